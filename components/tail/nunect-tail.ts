import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { ref } from 'lit/directives/ref.js';
import { repeat } from 'lit/directives/repeat.js';
import { NunectError, type NunectClient } from '../../client/index.js';
import { NunectWidget, widgetState, type WidgetState } from '../../src/base/nunect-widget.js';
import { FrameBatchController } from '../../src/controllers/frame-batch-controller.js';
import { VirtualWindowController, type VirtualWindow } from '../../src/controllers/virtual-window-controller.js';
import { formatBytes, formatNumber, formatTime } from '../../src/monitor/format.js';
import { headerEntries, renderHeaders, renderPayload, type PayloadView } from '../../src/parts/payload.js';
import { styleProps } from '../../src/parts/style-props.js';
import { payloadStyles } from '../../src/styles/payload.js';
import { previewOf, TailBuffer, type TailFilter, type TailRow } from './tail-buffer.js';
import { subjectTailSource, tailError, type TailGap, type TailHandle, type TailMsg, type TailSourceFactory } from './tail-source.js';
import { tailStyles } from './nunect-tail.styles.js';

export type { TailGap, TailHandle, TailHandlers, TailMsg, TailOptions, TailSource, TailSourceFactory } from './tail-source.js';
export type { TailFilter, TailRow } from './tail-buffer.js';

const fmt = (n: number) => formatNumber(n);

/**
 * A live tail of a subject: subscribe with wildcards (and an optional queue group) and see every
 * message with its subject, time, size, headers and payload, decoded by sniffing (JSON pretty, UTF-8
 * text, otherwise a hex + ASCII dump) with a per-message override (text, JSON, hex, base64) and a
 * large payload truncated with its size and "Show all". **Pause freezes the view and keeps
 * receiving** ("2,314 new while paused"); the buffer keeps the newest `capacity` messages with
 * exact received/evicted counts; a lost connection is told with what the server dropped (e.g. as a
 * slow consumer), never silent; filter the buffer by a subject pattern and text; export it as JSON
 * lines. Built for bursts: messages are batched per animation frame and only the rows in view are
 * in the DOM. Subjects, headers and payloads are server text, rendered as text only.
 *
 * @tag nunect-tail
 * @summary Live message tail of a subject: decode by sniffing, pause keeps receiving, counts, export.
 *
 * @csspart status - The status line (connecting, stale, error, waiting for messages).
 * @csspart form - The subject and queue group form.
 * @csspart toolbar - The filters and buttons.
 * @csspart pause - The Pause/Resume button.
 * @csspart export - The Export button.
 * @csspart counts - The line with the received, evicted and shown counts.
 * @csspart paused - The "paused, N new" notice.
 * @csspart gaps - The notice of connection losses and the messages dropped.
 * @csspart log - The scrolling area holding the table.
 * @csspart table - The table of messages (an ARIA table).
 * @csspart row - A message row; the selected one has `aria-selected="true"`.
 * @csspart detail - The selected message: subject, headers and payload.
 * @csspart headers - The headers of the selected message.
 * @csspart payload - The payload of the selected message (size, view selector, text).
 * @csspart payload-body - The payload's text.
 * @csspart empty - The "no messages match" line.
 *
 * @cssprop --nunect-tail-height - Maximum height of the scrolling list (default 360px).
 * @cssprop --nunect-tail-row-height - Least height of a row (default 2em).
 * @cssprop --nunect-tail-gap - Space between the toolbar items.
 * @cssprop --nunect-tail-header-background - Background of the sticky header.
 * @cssprop --nunect-tail-selected-background - Background of the selected row.
 * @cssprop --nunect-payload-max-height - Maximum height of the payload text (default 24em).
 *
 * @fires nunect-state-change - The widget state changed; `detail.state`.
 * @fires nunect-tail-pause - The user paused or resumed; `detail.paused`.
 */
export class NunectTail extends NunectWidget {
  static override styles = [...NunectWidget.styles, payloadStyles, tailStyles];

  /** The source of every `<nunect-tail>` without a `source` of its own: a core NATS subscription. */
  static defaultSource: TailSourceFactory = subjectTailSource;

  /** Where messages come from (default {@link NunectTail.defaultSource}); for tests, stories or another backend. */
  @property({ attribute: false }) source?: TailSourceFactory;

  /** The subject to tail, with wildcards (`orders.>`, `*.events`); empty: not tailing. A change starts a new tail. */
  @property() subject = '';

  /** A queue group to join (the tail then gets only its share of the messages); empty for none. */
  @property() queue = '';

  /** How many messages the buffer keeps (the oldest evicted first, and counted). Export covers them all. */
  @property({ type: Number }) capacity = 10_000;

  /** Freezes the rows on screen; messages keep arriving into the buffer and are counted. */
  @property({ type: Boolean, reflect: true }) paused = false;

  /** Shows only the buffered messages whose subject matches this pattern (wildcards allowed). */
  @property({ attribute: 'filter-subject' }) filterSubject = '';

  /** Shows only the buffered messages whose subject, headers or payload contain this text (any case). */
  @property({ attribute: 'filter-text' }) filterText = '';

  /** Messages received since the tail opened (including those evicted). */
  get received(): number {
    return this.#buffer.received;
  }

  /** Messages evicted from the buffer. */
  get evicted(): number {
    return this.#buffer.evicted;
  }

  /** Messages received since the pause. */
  get newWhilePaused(): number {
    return this.#buffer.newWhilePaused;
  }

  /** Connection losses while tailing, with what the server dropped. */
  get gaps(): readonly TailGap[] {
    return this.#buffer.gaps;
  }

  /** The buffered messages, oldest first (a copy). */
  get rows(): TailRow[] {
    return this.#buffer.all();
  }

  @state() private selected?: number;
  #buffer = new TailBuffer(10_000);
  /** The payload view chosen per message (by `n`) and the messages shown whole. */
  #views = new Map<number, PayloadView>();
  #expanded = new Set<number>();
  #selectedRow?: TailRow;
  #open = false;
  #error?: NunectError;
  #problem?: NunectError;
  #client?: NunectClient;
  #tail?: TailHandle;
  #opened = '';
  #generation = 0;

  readonly #batches = new FrameBatchController<{ msg: TailMsg; time: number }>(this, (batch) => this.#take(batch), {
    minInterval: 100,
    fallback: 250,
    maxPending: () => 2 * this.#buffer.capacity,
  });
  readonly #virtual = new VirtualWindowController(this, { overscan: 8, rowHeight: 28, viewportHeight: 360 });

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#close();
  }

  /** Opens the tail again after an error. */
  override retry(): void {
    if (this.hubs.hub.status.state === 'error') return super.retry();
    this.#close();
    this.requestUpdate();
  }

  /** Forgets the buffered messages, the counts and the gaps. */
  clear(): void {
    this.#buffer.clear();
    this.#batches.clear();
    this.#views.clear();
    this.#expanded.clear();
    this.#selectedRow = undefined;
    this.selected = undefined;
    this.requestUpdate();
  }

  /** The buffer (or the messages matching the filters, with `filtered`) as JSON lines, oldest first. */
  exportJSONLines(filtered = false): string {
    return this.#buffer.exportJSONLines(filtered ? this.#filter() : {});
  }

  #filter(): TailFilter {
    return { subject: this.filterSubject, text: this.filterText };
  }

  #close(): void {
    this.#generation++;
    this.#tail?.stop();
    this.#tail = undefined;
    this.#client = undefined;
    this.#open = false;
    this.#opened = '';
    this.#error = undefined;
    this.#problem = undefined;
  }

  #sync(): void {
    const client = this.hubs.hub.client;
    const key = `${this.subject}\u0000${this.queue}`;
    if (!this.isConnected || (client === this.#client && key === this.#opened)) return;
    if (key !== this.#opened && this.#opened) this.clear();
    this.#close();
    const subject = this.subject.trim();
    if (!client || client.isClosed || !subject) return;
    this.#client = client;
    this.#opened = key;
    const queue = this.queue.trim() || undefined;
    const generation = this.#generation;
    const live = () => generation === this.#generation;
    (this.source ?? NunectTail.defaultSource)(client, { now: () => this.now() })
      .open(
        {
          message: (msg) => live() && this.#batches.push({ msg, time: this.now() }),
          problem: (e) => {
            if (!live() || e === this.#problem) return;
            this.#problem = e;
            this.requestUpdate();
          },
          gap: (g) => {
            if (!live()) return;
            this.#buffer.gap(g);
            this.requestUpdate();
          },
        },
        { subject, ...(queue ? { queue } : {}) },
      )
      .then(
        (tail) => {
          if (!live()) return tail.stop();
          this.#tail = tail;
          this.#open = true;
          this.requestUpdate();
        },
        (err: unknown) => {
          if (!live()) return;
          this.#error = tailError(err, subject, queue);
          this.requestUpdate();
        },
      );
  }

  #take(batch: Array<{ msg: TailMsg; time: number }>): void {
    this.#buffer.take(batch);
    this.requestUpdate();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('source') && this.hasUpdated) {
      this.#close();
    }
    this.#sync();
    if (changed.has('capacity')) this.#buffer.capacity = Math.max(1, Math.floor(this.capacity) || 1);
    if (changed.has('paused')) {
      if (this.paused) this.#buffer.pause();
      else this.#buffer.resume();
    }
    super.willUpdate(changed);
  }

  protected override computeState(): WidgetState {
    // No subject is not an error: the form is what there is to show.
    const idle = !this.subject.trim();
    return widgetState(this.hubs.status, idle || this.#open || this.#buffer.received > 0, this.#error ?? this.#problem);
  }

  #togglePause(): void {
    this.paused = !this.paused;
    this.emit('nunect-tail-pause', { paused: this.paused });
  }

  #download(): void {
    const blob = new Blob([this.exportJSONLines(true)], { type: 'application/x-ndjson' });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = `nunect-tail-${new Date(this.now()).toISOString().replace(/[:.]/g, '-')}.jsonl`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1_000);
  }

  #submit(e: Event): void {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const data = new FormData(form);
    const subject = String(data.get('subject') ?? '').trim();
    const queue = String(data.get('queue') ?? '').trim();
    if (subject === this.subject && queue === this.queue && this.#error) this.retry();
    this.subject = subject;
    this.queue = queue;
  }

  #select(row: TailRow): void {
    this.#selectedRow = row;
    this.selected = row.n;
  }

  /** Shuts the open message and puts the focus back on its row (when it is still in view). */
  async #closeDetail(): Promise<void> {
    const n = this.selected;
    this.selected = undefined;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLButtonElement>(`.body button.open[data-n="${n}"]`)?.focus();
  }

  #onDetailKey = (e: KeyboardEvent): void => {
    if (e.key !== 'Escape') return;
    e.stopPropagation();
    void this.#closeDetail();
  };

  override render() {
    const state = this.state;
    const error = this.#error ?? this.#problem;
    const status = this.renderStatus(error, 'messages');
    const form = this.#renderForm();
    if (state !== 'ready' && state !== 'stale') return html`${form}${status}`;
    if (!this.subject.trim()) {
      return html`${form}
        <p class="status muted" part="status" role="status">Enter a subject to tail (wildcards: <code>*</code> one token, <code>&gt;</code> the rest).</p>`;
    }
    const filter = this.#filter();
    const all = this.#buffer.rows(filter, 0, 0);
    const view = this.#virtual.window(all.matching);
    const { rows, matching, total } = this.#buffer.rows(filter, view.from, view.to);
    const b = this.#buffer;
    return html`${form}${status} ${this.#renderToolbar()}
      <div class="counts" part="counts">
        <span>${fmt(b.received)} received · ${fmt(b.evicted)} evicted (buffer ${fmt(b.capacity)})</span>
        ${total ? html`<span class="muted">showing ${fmt(matching)} of ${fmt(total)}</span>` : nothing}
        ${this.paused ? html`<span class="paused" part="paused">Paused · ${fmt(b.newWhilePaused)} new while paused</span>` : nothing}
      </div>
      ${this.#renderGaps()}
      ${
        b.received === 0 && total === 0
          ? html`<div class="status" part="status" role="status">Waiting for messages on ${this.subject}…</div>`
          : matching === 0
            ? html`<p class="empty muted" part="empty">No buffered message matches the filters.</p>`
            : this.#renderTable(rows, view, matching)
      }
      ${this.#renderDetail()}`;
  }

  #renderForm() {
    return html`<form class="form" part="form" @submit=${this.#submit}>
      <label class="field"
        >Subject <input name="subject" class="subject" .value=${this.subject} placeholder="orders.&gt;" autocomplete="off" spellcheck="false" required
      /></label>
      <label class="field"
        >Queue group <input name="queue" class="queue" .value=${this.queue} placeholder="optional" autocomplete="off" spellcheck="false"
      /></label>
      <button type="submit">Tail</button>
    </form>`;
  }

  #renderToolbar() {
    return html`<div class="toolbar" part="toolbar">
      <label class="field"
        >Filter subject
        <input
          type="search"
          class="filter-subject"
          .value=${this.filterSubject}
          placeholder="a.*.c"
          spellcheck="false"
          @input=${(e: Event) => (this.filterSubject = (e.target as HTMLInputElement).value)}
      /></label>
      <label class="field"
        >Search
        <input
          type="search"
          class="filter-text"
          .value=${this.filterText}
          placeholder="subject, headers, payload"
          @input=${(e: Event) => (this.filterText = (e.target as HTMLInputElement).value)}
      /></label>
      <button part="pause" class="pause" aria-pressed=${this.paused ? 'true' : 'false'} @click=${this.#togglePause}>${this.paused ? 'Resume' : 'Pause'}</button>
      <button class="clear" @click=${() => this.clear()}>Clear</button>
      <button part="export" class="export" @click=${this.#download}>Export JSON lines</button>
    </div>`;
  }

  #renderGaps() {
    const gaps = this.#buffer.gaps;
    if (!gaps.length) return nothing;
    const now = this.now();
    const dropped = this.#buffer.dropped;
    const unknown = gaps.some((g) => g.dropped === undefined);
    return html`<div class="gaps" part="gaps" role="status">
      <strong
        >Connection lost ${fmt(gaps.length)} ${gaps.length === 1 ? 'time' : 'times'} while tailing: messages published meanwhile did not
        arrive${
          dropped ? html`; the server dropped ${fmt(dropped)} ${dropped === 1 ? 'message' : 'messages'} it had queued for this connection` : nothing
        }${unknown ? ' (how many the server dropped is not known for every loss)' : ''}.</strong
      >
      <ul>
        ${gaps.map(
          (g) =>
            html`<li>
              ${formatTime(g.since, now)} – ${formatTime(g.until, now)}${g.reason ? html` · <span class="reason">${g.reason}</span>` : nothing} ·
              ${g.dropped === undefined ? `dropped: not known (${g.unknown ?? 'the server did not say'})` : `${fmt(g.dropped)} dropped by the server`}
            </li>`,
        )}
      </ul>
    </div>`;
  }

  #renderTable(rows: TailRow[], { from, height, offset }: VirtualWindow, listed: number) {
    const now = this.now();
    return html`<div class="log" part="log" role="region" aria-label="Messages, newest first" tabindex="0" ${ref(this.#virtual.scroller)}>
      <div class="table" part="table" role="table" aria-label="Messages" aria-rowcount=${listed + 1}>
        <div class="head" role="rowgroup">
          <div class="row" role="row" aria-rowindex="1" ${ref(this.#virtual.sampleRow)}>
            <span role="columnheader">Time</span><span role="columnheader">Subject</span><span role="columnheader" class="num">Size</span
            ><span role="columnheader">Payload</span>
          </div>
        </div>
        <div class="body" role="rowgroup" ${styleProps({ height: `${height}px` })}>
          <div class="window" ${styleProps({ transform: `translateY(${offset}px)` })}>
            ${repeat(
              rows,
              (r) => r.n,
              (r, i) => {
                const headers = r.msg.headers ? r.msg.headers.keys().length : 0;
                return html`<div class="row" part="row" role="row" aria-rowindex=${from + i + 2} aria-selected=${r.n === this.selected ? 'true' : 'false'}>
                  <span role="cell" class="mono"
                    ><button class="open" data-n=${r.n} title=${`Show message ${fmt(r.n)}`} @click=${() => this.#select(r)}>
                      ${formatTime(r.time, now)}
                    </button></span
                  ><span role="cell" class="subject" title=${r.msg.subject}>${r.msg.subject}</span
                  ><span role="cell" class="num">${formatBytes(r.msg.data.length)}</span
                  ><span role="cell" class="preview"
                    >${headers ? html`<span class="badge" title="headers">${fmt(headers)} hdr</span> ` : nothing}${previewOf(r)}</span
                  >
                </div>`;
              },
            )}
          </div>
        </div>
      </div>
    </div>`;
  }

  #renderDetail() {
    const row = this.#selectedRow;
    if (!row || this.selected !== row.n) return nothing;
    const n = row.n;
    const { msg } = row;
    const view = this.#views.get(n) ?? 'auto';
    const headers = headerEntries(msg.headers);
    const status = msg.headers && msg.headers.code > 0 ? `${msg.headers.code} ${msg.headers.description}` : '';
    return html`<section class="detail" part="detail" aria-label="Message ${fmt(n)}" @keydown=${this.#onDetailKey}>
      <header class="detail-head">
        <h3 class="detail-subject">${msg.subject}</h3>
        <button class="close" aria-label="Close the message (Escape)" @click=${() => void this.#closeDetail()}>×</button>
      </header>
      <dl class="meta">
        <div>
          <dt>Received</dt>
          <dd>${formatTime(row.time, this.now())}</dd>
        </div>
        <div>
          <dt>Message</dt>
          <dd>#${fmt(n)}</dd>
        </div>
        ${
          msg.reply
            ? html`<div>
                <dt>Reply to</dt>
                <dd class="mono">${msg.reply}</dd>
              </div>`
            : nothing
        }
        ${
          status
            ? html`<div>
                <dt>Status</dt>
                <dd>${status}</dd>
              </div>`
            : nothing
        }
        <div>
          <dt>Headers</dt>
          <dd>${headers.length ? fmt(headers.length) : 'none'}</dd>
        </div>
      </dl>
      ${renderHeaders(headers)}
      ${renderPayload(msg.data, {
        view,
        onView: (v) => {
          this.#views.set(n, v);
          this.requestUpdate();
        },
        expanded: this.#expanded.has(n),
        onExpand: () => {
          this.#expanded.add(n);
          this.requestUpdate();
        },
        label: `Payload view of message ${fmt(n)}`,
      })}
    </section>`;
  }
}
