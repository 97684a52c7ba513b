import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { ref } from 'lit/directives/ref.js';
import { repeat } from 'lit/directives/repeat.js';
import type { NunectClient, NunectError } from '../../client/index.js';
import { OPS } from '../../client/units.js';
import { NunectWidget, widgetState, type WidgetState } from '../../src/base/nunect-widget.js';
import { FrameBatchController } from '../../src/controllers/frame-batch-controller.js';
import { VirtualWindowController, type VirtualWindow } from '../../src/controllers/virtual-window-controller.js';
import { formatNumber, formatTime, MISSING } from '../../src/monitor/format.js';
import { styleProps } from '../../src/parts/style-props.js';
import { RingBuffer } from '../event-log/ring-buffer.js';
import { opsError } from '../units/units-source.js';
import { streamLogSource, type LogSourceFactory, type LogTail, type RawLogRecord } from './log-source.js';
import { logTailStyles } from './nunect-log-tail.styles.js';

export type { LogHandlers, LogSource, LogSourceFactory, LogTail, RawLogRecord } from './log-source.js';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** A buffered record. */
export interface LogRow {
  /** 1 for the first record received, counting every record (also those evicted). */
  n: number;
  /** Its stream sequence. */
  seq: number;
  subject: string;
  account: string;
  level: string;
  unit: string;
  /** When the unit logged it (ms since the epoch), if it said. */
  time?: number;
  message: string;
  data?: unknown;
  search?: string;
}

const fmt = (n: number) => formatNumber(n);

/** A record from its subject (`<account>.ops.log.<level>.<unit>`) and its JSON (or plain text). */
export function parseLogRecord(raw: RawLogRecord, n: number): LogRow {
  const t = raw.subject.split('.');
  const fromSubject = t.length >= 5 && t[1] === 'ops' && t[2] === 'log' ? { account: t[0]!, level: t[3]!, unit: t.slice(4).join('.') } : undefined;
  let body: Record<string, unknown> | undefined;
  try {
    const parsed: unknown = JSON.parse(raw.data);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) body = parsed as Record<string, unknown>;
  } catch {
    /* plain text */
  }
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const time = body ? (typeof body.time === 'number' ? body.time : Date.parse(str(body.time) ?? '')) : NaN;
  return {
    n,
    seq: raw.seq,
    subject: raw.subject,
    account: fromSubject?.account ?? '',
    level: fromSubject?.level ?? str(body?.level) ?? 'info',
    unit: fromSubject?.unit ?? str(body?.unit) ?? '',
    ...(Number.isFinite(time) ? { time } : {}),
    message: body ? (str(body.message) ?? JSON.stringify(body)) : raw.data,
    ...(body && body.data !== undefined ? { data: body.data } : {}),
  };
}

/**
 * A live tail of every unit's log records (`ops.log.<level>.<unit>` of every account, as the OPS
 * account keeps them in the stream `OPS_LOGS`): it opens with the last `history` stored records
 * and follows the stream (one ordered consumer: in order, none twice). Filter by level, unit and
 * text; pause to read — records keep arriving and are counted ("2,314 new while paused"); the
 * buffer keeps `capacity` records, and received and evicted counts are exact; open a record (its
 * time is a button: click, Enter or Space; again, Escape or Close shuts it) to read it whole —
 * subject, sequence, the full message and its structured `data` — in a panel below the list;
 * export downloads the buffer as JSON lines. Built for bursts: records are batched per animation
 * frame and only the rows in view are in the DOM, every row one line of the same height (the
 * open record's fields are never in the rows). Needs the OPS account's `dashboard` user;
 * anything else is told as an error that says so.
 *
 * @tag nunect-log-tail
 * @summary Live unit logs from OPS_LOGS: history, filters, pause, bounded buffer, export.
 *
 * @csspart status - The status line (connecting, loading, stale, error, waiting for records).
 * @csspart toolbar - The filters and buttons.
 * @csspart levels - The group of level filters.
 * @csspart pause - The Pause/Resume button.
 * @csspart export - The Export button.
 * @csspart counts - The line with the received, evicted and shown counts.
 * @csspart paused - The "paused, N new" notice.
 * @csspart log - The scrolling area holding the table.
 * @csspart table - The table of records (an ARIA table).
 * @csspart row - A record; it has `data-level`, and `data-open` when it is the open one.
 * @csspart open - A record's button (its time) that opens and closes it; `aria-expanded` tells which is open.
 * @csspart has-data - The "data" mark of a record with structured data.
 * @csspart detail - The panel of the open record, below the list.
 * @csspart message - The full message of the open record.
 * @csspart data - The structured data of the open record (JSON).
 * @csspart close - The button that closes the open record.
 * @csspart empty - The "no records match" line.
 *
 * @cssprop --nunect-log-tail-height - Maximum height of the scrolling log (default 420px).
 * @cssprop --nunect-log-tail-row-height - Height of every row (default 2em; rows do not wrap: a record opens below the list).
 * @cssprop --nunect-log-tail-open-background - Background of the open record's row.
 * @cssprop --nunect-log-tail-gap - Space between the toolbar items.
 * @cssprop --nunect-log-tail-header-background - Background of the sticky header.
 * @cssprop --nunect-log-tail-error-color - Colour of the error level.
 * @cssprop --nunect-log-tail-warn-color - Colour of the warn level.
 * @cssprop --nunect-log-tail-debug-color - Colour of the debug level.
 *
 * @fires nunect-state-change - The widget state changed; `detail.state`.
 */
export class NunectLogTail extends NunectWidget {
  static override styles = [...NunectWidget.styles, logTailStyles];

  /** The source of every `<nunect-log-tail>` without a `source` of its own: the OPS_LOGS stream. */
  static defaultSource: LogSourceFactory = streamLogSource;

  /** Where the records come from (default {@link NunectLogTail.defaultSource}); for tests, stories or another backend. */
  @property({ attribute: false }) source?: LogSourceFactory;

  /** How many records the buffer keeps (oldest evicted first, and counted). Export covers them all. */
  @property({ type: Number }) capacity = 5_000;

  /** How many stored records the tail opens with. */
  @property({ type: Number }) history = 200;

  /** How many of the newest matching records are listed (only those in view are in the DOM). */
  @property({ type: Number, attribute: 'visible-rows' }) visibleRows = 1_000;

  /** Freezes the rows on screen; records keep arriving into the buffer and are counted. */
  @property({ type: Boolean, reflect: true }) paused = false;

  /** The levels shown (attribute: comma-separated). Default all. */
  @property({ converter: { fromAttribute: (v: string | null) => (v ? v.split(/[\s,]+/).filter(Boolean) : [...LOG_LEVELS]) } })
  levels: string[] = [...LOG_LEVELS];

  /** Shows only the records of this unit; empty for all. */
  @property() unit = '';

  /** Shows only records whose message, unit, account or data contains this text (any case). */
  @property() text = '';

  /** Records received since the tail opened (including those evicted). */
  get received(): number {
    return this.#received;
  }

  /** Records evicted from the buffer. */
  get evicted(): number {
    return this.#evicted;
  }

  /** The buffered records, oldest first (a copy). */
  get records(): LogRow[] {
    return this.#ring.toArray();
  }

  /** The open record (its `n`), shown in the panel below the list. */
  @state() private selected?: number;

  /** The open record, kept when it leaves the buffer or the filters. */
  #selectedRow?: LogRow;
  /** After the panel closes from inside it, the focus goes back to the record's button (or the list). */
  #refocus?: number;
  /** The rows of the last render (the window): the ones whose buttons can be clicked. */
  #rendered: LogRow[] = [];

  #ring = new RingBuffer<LogRow>(5_000);
  #received = 0;
  #evicted = 0;
  #units = new Set<string>();
  #frozen?: LogRow[];
  #receivedAtPause = 0;
  #open = false;
  #error?: NunectError;
  #problem?: Error;
  #client?: NunectClient;
  #tail?: LogTail;
  #generation = 0;

  readonly #batches = new FrameBatchController<RawLogRecord>(this, (batch) => this.#take(batch), {
    minInterval: 100,
    fallback: 250,
    maxPending: () => 2 * this.#ring.capacity,
  });
  readonly #virtual = new VirtualWindowController(this, { overscan: 8, rowHeight: 28, viewportHeight: 420 });

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

  /** Forgets the buffered records and the counts. */
  clear(): void {
    this.#ring.clear();
    this.#batches.clear();
    this.#received = 0;
    this.#evicted = 0;
    this.#units.clear();
    this.#frozen = this.paused ? [] : undefined;
    this.#receivedAtPause = 0;
    this.#selectedRow = undefined;
    this.selected = undefined;
    this.requestUpdate();
  }

  /** The buffer as JSON lines, oldest first: one record a line. */
  exportJSONLines(): string {
    return this.#ring
      .toArray()
      .map((r) =>
        JSON.stringify({ seq: r.seq, subject: r.subject, account: r.account, level: r.level, unit: r.unit, time: r.time, message: r.message, data: r.data }),
      )
      .join('\n');
  }

  #close(): void {
    this.#generation++;
    this.#tail?.stop();
    this.#tail = undefined;
    this.#client = undefined;
    this.#open = false;
    this.#error = undefined;
    this.#problem = undefined;
  }

  #sync(): void {
    const client = this.hubs.hub.client;
    if (!this.isConnected || client === this.#client) return;
    this.#close();
    if (!client || client.isClosed) return;
    this.#client = client;
    const generation = this.#generation;
    const live = () => generation === this.#generation;
    (this.source ?? NunectLogTail.defaultSource)(client)
      .open(
        {
          record: (raw) => live() && this.#batches.push(raw),
          historyDone: () => {
            if (!live()) return;
            this.#open = true;
            this.requestUpdate();
          },
          problem: (e) => {
            if (!live() || e === this.#problem) return;
            this.#problem = e;
            this.requestUpdate();
          },
        },
        { history: Math.max(0, Math.floor(this.history) || 0) },
      )
      .then(
        (tail) => (live() ? (this.#tail = tail) : tail.stop()),
        (err: unknown) => {
          if (!live()) return;
          this.#error = opsError(err, `the unit logs (stream ${OPS.logs})`);
          this.requestUpdate();
        },
      );
  }

  #take(batch: RawLogRecord[]): void {
    const skip = Math.max(0, batch.length - this.#ring.capacity);
    this.#received += skip;
    this.#evicted += skip;
    for (let i = skip; i < batch.length; i++) {
      const row = parseLogRecord(batch[i]!, ++this.#received);
      if (row.unit) this.#units.add(row.unit);
      if (this.#ring.push(row)) this.#evicted++;
    }
    this.requestUpdate();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('source') && this.hasUpdated) this.#close();
    this.#sync();
    if (changed.has('capacity')) this.#evicted += this.#ring.resize(this.capacity);
    if (changed.has('paused')) {
      this.#frozen = this.paused ? this.#ring.toArray() : undefined;
      this.#receivedAtPause = this.#received;
    }
    super.willUpdate(changed);
  }

  protected override computeState(): WidgetState {
    const error = this.#error ?? (this.#problem ? opsError(this.#problem, `the unit logs (stream ${OPS.logs})`) : undefined);
    return widgetState(this.hubs.status, this.#open || this.#received > 0, error);
  }

  #download(): void {
    const blob = new Blob([this.exportJSONLines()], { type: 'application/x-ndjson' });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = `nunect-logs-${new Date(this.now()).toISOString().replace(/[:.]/g, '-')}.jsonl`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1_000);
  }

  /** Opens a record in the panel below the list, or closes it when it is the open one. */
  #toggle(row: LogRow): void {
    if (this.selected === row.n) return this.#deselect(false);
    this.#selectedRow = row;
    this.selected = row.n;
  }

  /** Closes the open record; `refocus`: the focus was in the panel, it goes back to the record. */
  #deselect(refocus: boolean): void {
    if (refocus) this.#refocus = this.selected;
    this.#selectedRow = undefined;
    this.selected = undefined;
  }

  #onOpen = (e: Event): void => {
    const n = Number((e.currentTarget as HTMLElement).dataset.n);
    const row = this.#rowByN(n);
    if (row) this.#toggle(row);
  };

  #onOpenKeydown = (e: KeyboardEvent): void => {
    if (e.key === 'Escape' && Number((e.currentTarget as HTMLElement).dataset.n) === this.selected) {
      e.preventDefault();
      this.#deselect(false);
    }
  };

  #onDetailKeydown = (e: KeyboardEvent): void => {
    if (e.key === 'Escape') {
      e.preventDefault();
      this.#deselect(true);
    }
  };

  #onClose = (): void => this.#deselect(true);

  /** A rendered record by its `n` (the rows in view are all there is to click). */
  #rowByN(n: number): LogRow | undefined {
    return this.#rendered.find((r) => r.n === n);
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    const n = this.#refocus;
    if (n === undefined) return;
    this.#refocus = undefined;
    const root = this.renderRoot as ShadowRoot;
    const target = root.querySelector<HTMLElement>(`button.open[data-n="${n}"]`) ?? root.querySelector<HTMLElement>('.log');
    target?.focus();
  }

  #toggleLevel(level: string, on: boolean): void {
    const next = new Set(this.levels);
    if (on) next.add(level);
    else next.delete(level);
    this.levels = LOG_LEVELS.filter((l) => next.has(l));
  }

  #visible(from: number, to: number, limit: number): { rows: LogRow[]; matching: number; listed: number; total: number } {
    const source = this.#frozen;
    const size = source ? source.length : this.#ring.size;
    const at = source ? (i: number) => source[i]! : (i: number) => this.#ring.at(i)!;
    const levels = new Set(this.levels);
    const unit = this.unit;
    const text = this.text.trim().toLowerCase();
    const rows: LogRow[] = [];
    let matching = 0;
    for (let i = size - 1; i >= 0; i--) {
      const r = at(i);
      if (!levels.has(r.level) || (unit && r.unit !== unit)) continue;
      if (text && !(r.search ??= `${r.message} ${r.unit} ${r.account} ${r.data === undefined ? '' : JSON.stringify(r.data)}`.toLowerCase()).includes(text))
        continue;
      if (matching >= from && matching < to && matching < limit) rows.push(r);
      matching++;
    }
    return { rows, matching, listed: Math.min(matching, limit), total: size };
  }

  override render() {
    const state = this.state;
    const status = this.renderStatus(this.computeStateError(), 'logs');
    if (state !== 'ready' && state !== 'stale') return status;
    const limit = Math.max(0, Math.floor(this.visibleRows) || 0);
    const { from, to } = this.#virtual.window(limit);
    const { rows, matching, listed, total } = this.#visible(from, to, limit);
    const view = this.#virtual.window(listed);
    return html`${status} ${this.#renderToolbar()}
      <div class="counts" part="counts">
        <span>${fmt(this.#received)} received · ${fmt(this.#evicted)} evicted (buffer ${fmt(this.#ring.capacity)})</span>
        ${total ? html`<span class="muted">showing ${fmt(listed)} of ${fmt(matching)} matching</span>` : nothing}
        ${this.paused ? html`<span class="paused" part="paused">Paused · ${fmt(this.#received - this.#receivedAtPause)} new while paused</span>` : nothing}
      </div>
      ${
        this.#received === 0
          ? html`<div class="status" part="status" role="status">Waiting for log records…</div>`
          : listed === 0
            ? html`<p class="empty muted" part="empty">No records match the filters.</p>`
            : this.#renderTable(rows, view, listed)
      }
      ${this.#renderDetail()}`;
  }

  /** The error shown in the status line. */
  private computeStateError(): NunectError | undefined {
    return this.#error ?? (this.#problem ? opsError(this.#problem, `the unit logs (stream ${OPS.logs})`) : undefined);
  }

  #renderToolbar() {
    const units = [...this.#units].sort();
    if (this.unit && !this.#units.has(this.unit)) units.unshift(this.unit);
    const levels = new Set(this.levels);
    return html`<div class="toolbar" part="toolbar">
      <fieldset class="levels" part="levels">
        <legend>Levels</legend>
        ${LOG_LEVELS.map(
          (l) =>
            html`<label
              ><input
                type="checkbox"
                .checked=${levels.has(l)}
                @change=${(e: Event) => this.#toggleLevel(l, (e.target as HTMLInputElement).checked)}
              />${l}</label
            >`,
        )}
      </fieldset>
      <label class="field"
        >Unit
        <select @change=${(e: Event) => (this.unit = (e.target as HTMLSelectElement).value)}>
          <option value="" ?selected=${!this.unit}>All units</option>
          ${repeat(
            units,
            (u) => u,
            (u) => html`<option value=${u} ?selected=${u === this.unit}>${u}</option>`,
          )}
        </select></label
      >
      <label class="field"
        >Search
        <input type="search" .value=${this.text} placeholder="message, unit, data" @input=${(e: Event) => (this.text = (e.target as HTMLInputElement).value)}
      /></label>
      <button part="pause" aria-pressed=${this.paused ? 'true' : 'false'} @click=${() => (this.paused = !this.paused)}>
        ${this.paused ? 'Resume' : 'Pause'}
      </button>
      <button part="export" @click=${this.#download}>Export JSON lines</button>
    </div>`;
  }

  #renderTable(rows: LogRow[], { from, height, offset }: VirtualWindow, listed: number) {
    const now = this.now();
    this.#rendered = rows;
    return html`<div class="log" part="log" role="region" aria-label="Log records, newest first" tabindex="0" ${ref(this.#virtual.scroller)}>
      <div class="table" part="table" role="table" aria-label="Log records" aria-rowcount=${listed + 1}>
        <div class="head" role="rowgroup">
          <div class="row" role="row" aria-rowindex="1" ${ref(this.#virtual.sampleRow)}>
            <span role="columnheader">Time</span><span role="columnheader">Level</span><span role="columnheader">Unit</span
            ><span role="columnheader">Message</span>
          </div>
        </div>
        <div class="body" role="rowgroup" ${styleProps({ height: `${height}px` })}>
          <div class="window" ${styleProps({ transform: `translateY(${offset}px)` })}>
            ${rows.map((r, i) => {
              // Rows by position, not keyed by record: while records flow every row in view shows a
              // new one on each redraw, and reusing its element (a few text updates) halves the
              // frame's CPU against building every row again (bench:units, log phase).
              // One line per row, whatever the record: its fields open in the panel below the list.
              const open = r.n === this.selected;
              return html`<div class="row" part="row" role="row" aria-rowindex=${from + i + 2} data-level=${r.level} ?data-open=${open}>
                <span role="cell" class="mono"
                  ><button
                    class="open"
                    part="open"
                    data-n=${r.n}
                    aria-expanded=${open ? 'true' : 'false'}
                    aria-controls=${open ? 'record' : nothing}
                    title=${open ? 'Close the record' : 'Open the record'}
                    @click=${this.#onOpen}
                    @keydown=${this.#onOpenKeydown}
                  >
                    ${r.time === undefined ? `#${fmt(r.seq)}` : formatTime(r.time, now)}
                  </button></span
                ><span role="cell" class="level">${r.level}</span><span role="cell" title=${r.account}>${r.unit}</span
                ><span role="cell" title=${r.message}
                  >${r.data === undefined ? nothing : html`<span class="badge" part="has-data" title="structured data: open the record">data</span> `}${r.message}</span
                >
              </div>`;
            })}
          </div>
        </div>
      </div>
    </div>`;
  }

  /** The open record, whole: where it came from, the full message and its structured data. */
  #renderDetail() {
    const r = this.#selectedRow;
    if (!r || this.selected !== r.n) return nothing;
    const now = this.now();
    return html`<section class="detail" part="detail" id="record" aria-labelledby="record-title" @keydown=${this.#onDetailKeydown}>
      <header class="detail-head">
        <h3 id="record-title" class="detail-title">${r.level} · ${r.unit || r.subject} · record #${fmt(r.seq)}</h3>
        <button class="close" part="close" aria-label="Close the record" @click=${this.#onClose}>×</button>
      </header>
      <dl class="meta">
        <div>
          <dt>Time</dt>
          <dd>${r.time === undefined ? MISSING : formatTime(r.time, now)}</dd>
        </div>
        <div>
          <dt>Account</dt>
          <dd>${r.account || MISSING}</dd>
        </div>
        <div>
          <dt>Subject</dt>
          <dd class="mono">${r.subject}</dd>
        </div>
        <div>
          <dt>Sequence</dt>
          <dd>${fmt(r.seq)}</dd>
        </div>
      </dl>
      <p class="message" part="message">${r.message}</p>
      ${r.data === undefined ? html`<p class="muted">No structured data.</p>` : html`<pre class="data" part="data">${JSON.stringify(r.data, null, 2)}</pre>`}
    </section>`;
  }
}
