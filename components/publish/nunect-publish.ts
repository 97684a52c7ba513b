import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { userRights, type NunectClient, type UserRights } from '../../client/index.js';
import { assertPublishSubject } from '../../client/subjects.js';
import { NunectWidget, widgetState, type WidgetState } from '../../src/base/nunect-widget.js';
import { formatBytes, formatDuration, formatNumber, formatTime } from '../../src/monitor/format.js';
import { headerEntries, previewPayload, renderHeaders, renderPayload, type PayloadView } from '../../src/parts/payload.js';
import { payloadStyles } from '../../src/styles/payload.js';
import {
  checkHeaders,
  encodePayload,
  ENCODINGS,
  isSecretHeader,
  loadStored,
  remember,
  saveStored,
  type Draft,
  type HeaderRow,
  type PayloadEncoding,
  type PublishMode,
} from './publish-model.js';
import { natsPublishSource, type Outgoing, type Reply, type Result, type PublishSourceFactory } from './publish-source.js';
import { publishStyles } from './nunect-publish.styles.js';

export type { GatherOptions, Outcome, Outgoing, PublishSource, PublishSourceFactory, Reply, ReplyMsg, Result } from './publish-source.js';
export type { Draft, HeaderRow, PayloadEncoding, PublishMode } from './publish-model.js';

const fmt = (n: number) => formatNumber(n);

/** A sent operation as the history lists it. */
interface Sent {
  id: number;
  mode: PublishMode;
  subject: string;
  headers: number;
  result: Result;
}

const MODES: ReadonlyArray<readonly [PublishMode, string]> = [
  ['publish', 'Publish'],
  ['request', 'Request'],
  ['gather', 'Scatter-gather'],
];

const STOPPED: Record<NonNullable<Result['stopped']>, string> = {
  count: 'the count was reached',
  quiet: 'no reply came for the quiet period',
  'max-wait': 'the time limit passed',
  aborted: 'stopped',
};

/**
 * Send to NATS from the page, as the logged-in user: **publish** a message with headers (name/value
 * rows) and a payload (text, JSON checked as you type, base64 or hex); **request** with a timeout,
 * showing the reply (headers and payload decoded by sniffing) and its round trip; **scatter-gather**:
 * publish with a reply inbox and collect every reply until a count, a quiet period or a time limit,
 * each reply with its responder (when the reply tells) and its time. A refused publish says so (the
 * server's permission error), and when the server can tell the user's rights (2.10+) a subject the
 * user may not publish to is said before sending. Recently used subjects and the draft are kept in
 * the browser's localStorage (`storage-key`) — never credentials: the value of a header that looks
 * like a secret is not stored. Replies are server text, rendered as text only.
 *
 * @tag nunect-publish
 * @summary Publish with headers, request with a timeout, scatter-gather; drafts kept locally.
 *
 * @csspart status - The status line (not connected, connecting, reconnecting).
 * @csspart form - The editor: mode, subject, headers, payload, limits, send.
 * @csspart modes - The mode selector (publish, request, scatter-gather).
 * @csspart headers-editor - The header rows of the editor.
 * @csspart payload-editor - The payload textarea.
 * @csspart send - The send button.
 * @csspart notice - Why sending is not possible now (rights, invalid input, not connected).
 * @csspart result - The outcome of the last operation, with its reply or replies.
 * @csspart replies - The table of scatter-gather replies.
 * @csspart reply - A reply row.
 * @csspart headers - The headers of the reply shown.
 * @csspart payload - The payload of the reply shown.
 * @csspart payload-body - The payload's text.
 * @csspart history - The list of operations sent.
 *
 * @cssprop --nunect-publish-gap - Space between the editor's fields.
 * @cssprop --nunect-publish-editor-height - Height of the payload textarea (default 8em).
 * @cssprop --nunect-publish-ok-color - Colour of a successful outcome.
 * @cssprop --nunect-publish-error-color - Colour of a failed outcome.
 * @cssprop --nunect-payload-max-height - Maximum height of a reply's payload (default 24em).
 *
 * @fires nunect-state-change - The widget state changed; `detail.state`.
 * @fires nunect-publish-result - An operation ended; `detail.mode`, `.subject`, `.outcome`, `.replies`.
 */
export class NunectPublish extends NunectWidget {
  static override styles = [...NunectWidget.styles, payloadStyles, publishStyles];

  /** The operations of every `<nunect-publish>` without a `source` of its own: the client's connection. */
  static defaultSource: PublishSourceFactory = natsPublishSource;

  /** Where messages go (default {@link NunectPublish.defaultSource}); for tests, stories or another backend. */
  @property({ attribute: false }) source?: PublishSourceFactory;

  /** The subject to send to (no wildcards). */
  @property() subject = '';

  /** What Send does: `publish`, `request` (one reply) or `gather` (scatter-gather: every reply). */
  @property() mode: PublishMode = 'publish';

  /** How the payload text is read: `text` (UTF-8), `json` (checked, sent as typed), `base64` or `hex`. */
  @property() encoding: PayloadEncoding = 'text';

  /** The payload as typed. */
  @property() payload = '';

  /** Milliseconds a request waits for its reply. */
  @property({ type: Number }) timeout = 5_000;

  /** Scatter-gather: stop after this many replies (0: no limit). */
  @property({ type: Number, attribute: 'max-replies' }) maxReplies = 0;

  /** Scatter-gather: stop when no reply came for this many ms after the last one. */
  @property({ type: Number }) quiet = 500;

  /** Scatter-gather: stop after this many ms in any case. */
  @property({ type: Number, attribute: 'max-wait' }) maxWait = 5_000;

  /**
   * The localStorage key of the recent subjects and the draft (one per widget that should remember
   * its own); empty: nothing is kept. Credentials are never stored.
   */
  @property({ attribute: 'storage-key' }) storageKey = 'nunect-publish';

  /** The header rows of the editor (a copy is kept; set a new array to change them). */
  @property({ attribute: false }) headers: HeaderRow[] = [];

  /** Recently used subjects, newest first. */
  get recent(): readonly string[] {
    return this.#recent;
  }

  /** The last operation's result. */
  get lastResult(): Result | undefined {
    return this.#sent[0]?.result;
  }

  @state() private busy = false;
  @state() private shownReply?: number;
  #recent: string[] = [];
  #sent: Sent[] = [];
  #nextId = 1;
  /** The replies of the operation in progress (scatter-gather shows them as they come). */
  #live: Reply[] = [];
  #views = new Map<string, PayloadView>();
  #expanded = new Set<string>();
  #rights?: UserRights;
  #rightsFor?: NunectClient;
  #everConnected = false;
  #abort?: AbortController;
  #loadedKey?: string;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#abort?.abort();
  }

  /** Sends with the current mode (as the Send button does); resolves with the result, or undefined when the input is not valid. */
  async send(): Promise<Result | undefined> {
    const problem = this.#problem();
    const client = this.hubs.hub.client;
    if (problem || !client || this.busy) return undefined;
    const { headers } = checkHeaders(this.headers);
    const m: Outgoing = { subject: this.subject.trim(), headers: headers!, payload: encodePayload(this.payload, this.encoding).bytes! };
    const mode = this.mode;
    const source = (this.source ?? NunectPublish.defaultSource)(client, { now: () => this.now() });
    this.busy = true;
    this.#live = [];
    this.shownReply = undefined;
    const abort = (this.#abort = new AbortController());
    const id = this.#nextId++;
    let result: Result;
    try {
      result =
        mode === 'publish'
          ? await source.publish(m)
          : mode === 'request'
            ? await source.request(m, this.#positive(this.timeout, 5_000))
            : await source.gather(m, {
                maxReplies: Math.max(0, Math.floor(this.maxReplies) || 0),
                quiet: this.#positive(this.quiet, 500),
                maxWait: this.#positive(this.maxWait, 5_000),
                signal: abort.signal,
                onReply: (r) => {
                  this.#live = [...this.#live, r];
                  this.requestUpdate();
                },
              });
    } catch (err) {
      const e = err instanceof Error ? err : new Error(String(err));
      result = { outcome: 'failed', error: e as Result['error'], time: this.now(), size: m.payload.length, replies: [], elapsed: 0 };
    } finally {
      this.busy = false;
      this.#abort = undefined;
    }
    this.#sent = [{ id, mode, subject: m.subject, headers: m.headers.length, result }, ...this.#sent].slice(0, 20);
    this.#live = [];
    if (result.replies.length) this.shownReply = result.replies[0]!.n;
    if (result.outcome !== 'refused' && result.outcome !== 'failed') this.#recent = remember(this.#recent, m.subject);
    this.#save();
    this.emit('nunect-publish-result', { mode, subject: m.subject, outcome: result.outcome, replies: result.replies.length });
    this.requestUpdate();
    return result;
  }

  /** Stops a scatter-gather in progress (the replies so far are kept). */
  stop(): void {
    this.#abort?.abort();
  }

  #positive(v: number, fallback: number): number {
    return Number.isFinite(v) && v > 0 ? v : fallback;
  }

  /** Why Send cannot go now, or undefined. */
  #problem(): string | undefined {
    const subject = this.subject.trim();
    if (!subject) return 'Enter a subject.';
    try {
      assertPublishSubject(subject);
    } catch (e) {
      return `The subject is not valid: ${(e as Error).message.replace(/^invalid publish subject /, '')}.`;
    }
    const headers = checkHeaders(this.headers);
    if (headers.error) return `Headers: ${headers.error}.`;
    const payload = encodePayload(this.payload, this.encoding);
    if (!payload.bytes) return `Payload: ${payload.error}.`;
    const max = this.hubs.hub.client?.info?.max_payload;
    if (max && payload.bytes.length > max) return `The payload is ${formatBytes(payload.bytes.length)}: this server takes at most ${formatBytes(max)}.`;
    const rights = this.#rights;
    if (rights?.known && !rights.mayPublish(subject)) return `${rights.user ?? 'This user'} may not publish to ${subject} (the server's permissions).`;
    if (this.state !== 'ready') return 'Not connected.';
    return undefined;
  }

  #load(): void {
    if (this.#loadedKey === this.storageKey) return;
    this.#loadedKey = this.storageKey;
    const stored = loadStored(this.storageKey);
    this.#recent = stored.recent;
    const d = stored.draft;
    if (!d) return;
    // The draft fills only what the page did not set.
    if (!this.subject && typeof d.subject === 'string') this.subject = d.subject;
    if (!this.payload && typeof d.payload === 'string') this.payload = d.payload;
    if (!this.headers.length && Array.isArray(d.headers))
      this.headers = d.headers.filter((h) => h && typeof h.name === 'string' && typeof h.value === 'string').map((h) => ({ name: h.name, value: h.value }));
    if (this.mode === 'publish' && (d.mode === 'request' || d.mode === 'gather')) this.mode = d.mode;
    if (this.encoding === 'text' && ENCODINGS.some(([e]) => e === d.encoding)) this.encoding = d.encoding!;
    for (const k of ['timeout', 'maxReplies', 'quiet', 'maxWait'] as const) if (typeof d[k] === 'number' && Number.isFinite(d[k])) this[k] = d[k];
  }

  #save(): void {
    const draft: Draft = {
      subject: this.subject,
      mode: this.mode,
      headers: this.headers,
      payload: this.payload,
      encoding: this.encoding,
      timeout: this.timeout,
      maxReplies: this.maxReplies,
      quiet: this.quiet,
      maxWait: this.maxWait,
    };
    saveStored(this.storageKey, { recent: this.#recent, draft });
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!this.hasUpdated || changed.has('storageKey')) this.#load();
    const client = this.hubs.hub.client;
    if (client && client !== this.#rightsFor && !client.isClosed) {
      this.#rightsFor = client;
      this.#rights = undefined;
      void userRights(client).then((r) => {
        if (this.#rightsFor !== client) return;
        this.#rights = r;
        this.requestUpdate();
      });
    }
    if (this.hubs.status.state === 'connected') this.#everConnected = true;
    super.willUpdate(changed);
  }

  protected override computeState(): WidgetState {
    return widgetState(this.hubs.status, this.#everConnected);
  }

  #edit(change: Partial<Pick<NunectPublish, 'subject' | 'mode' | 'encoding' | 'payload' | 'timeout' | 'maxReplies' | 'quiet' | 'maxWait' | 'headers'>>): void {
    Object.assign(this, change);
    this.#save();
  }

  #setHeader(i: number, row: Partial<HeaderRow>): void {
    const headers = this.headers.map((h, j) => (j === i ? { ...h, ...row } : h));
    this.#edit({ headers });
  }

  override render() {
    const status = this.state === 'ready' ? nothing : this.renderStatus(undefined, 'editor');
    return html`${status}${this.#renderForm()}${this.#renderResult()}${this.#renderHistory()}`;
  }

  #renderForm() {
    const problem = this.#problem();
    const bytes = encodePayload(this.payload, this.encoding).bytes;
    const number = (label: string, cls: string, value: number, set: (v: number) => void, unit: string) =>
      html`<label class="field"
        >${label}
        <input type="number" class=${cls} min="0" step="1" .value=${String(value)} @change=${(e: Event) => set(Number((e.target as HTMLInputElement).value))} />
        ${unit}</label
      >`;
    return html`<form
      class="form"
      part="form"
      @submit=${(e: Event) => {
        e.preventDefault();
        void this.send();
      }}
    >
      <fieldset class="modes" part="modes">
        <legend>Mode</legend>
        ${MODES.map(
          ([m, label]) =>
            html`<label><input type="radio" name="mode" value=${m} .checked=${this.mode === m} @change=${() => this.#edit({ mode: m })} />${label}</label>`,
        )}
      </fieldset>
      <label class="field subject-field"
        >Subject
        <input
          class="subject"
          list="recent-subjects"
          .value=${this.subject}
          placeholder="orders.created"
          autocomplete="off"
          spellcheck="false"
          @input=${(e: Event) => this.#edit({ subject: (e.target as HTMLInputElement).value })}
        />
        <datalist id="recent-subjects">${this.#recent.map((s) => html`<option value=${s}></option>`)}</datalist>
      </label>
      <fieldset class="headers-editor" part="headers-editor">
        <legend>Headers</legend>
        ${repeat(
          this.headers,
          (_, i) => i,
          (h, i) =>
            html`<div class="header-edit">
              <input
                class="header-name"
                aria-label=${`Header ${i + 1} name`}
                .value=${h.name}
                placeholder="Name"
                spellcheck="false"
                @input=${(e: Event) => this.#setHeader(i, { name: (e.target as HTMLInputElement).value })}
              />
              <input
                class="header-value"
                aria-label=${`Header ${i + 1} value`}
                .value=${h.value}
                placeholder="Value"
                spellcheck="false"
                @input=${(e: Event) => this.#setHeader(i, { value: (e.target as HTMLInputElement).value })}
              />
              <button
                type="button"
                class="remove-header"
                aria-label=${`Remove header ${i + 1}`}
                @click=${() => this.#edit({ headers: this.headers.filter((_, j) => j !== i) })}
              >
                Remove
              </button>
              ${isSecretHeader(h.name) && this.storageKey ? html`<span class="muted secret">not stored</span>` : nothing}
            </div>`,
        )}
        <button type="button" class="add-header" @click=${() => this.#edit({ headers: [...this.headers, { name: '', value: '' }] })}>Add header</button>
      </fieldset>
      <div class="payload-edit">
        <div class="payload-edit-bar">
          <label class="field" for="payload-text">Payload</label>
          <select
            class="encoding"
            aria-label="Payload encoding"
            @change=${(e: Event) => this.#edit({ encoding: (e.target as HTMLSelectElement).value as PayloadEncoding })}
          >
            ${ENCODINGS.map(([e, label]) => html`<option value=${e} ?selected=${e === this.encoding}>${label}</option>`)}
          </select>
          <span class="muted size">${bytes ? formatBytes(bytes.length) : ''}</span>
        </div>
        <textarea
          id="payload-text"
          class="payload-text"
          part="payload-editor"
          spellcheck="false"
          .value=${this.payload}
          @input=${(e: Event) => this.#edit({ payload: (e.target as HTMLTextAreaElement).value })}
        ></textarea>
      </div>
      ${this.mode === 'request' ? html`<div class="limits">${number('Timeout', 'timeout', this.timeout, (v) => this.#edit({ timeout: v }), 'ms')}</div>` : nothing}
      ${
        this.mode === 'gather'
          ? html`<div class="limits">
              ${number('Max replies', 'max-replies', this.maxReplies, (v) => this.#edit({ maxReplies: v }), '(0: any)')}
              ${number('Quiet', 'quiet', this.quiet, (v) => this.#edit({ quiet: v }), 'ms')}
              ${number('Max wait', 'max-wait', this.maxWait, (v) => this.#edit({ maxWait: v }), 'ms')}
            </div>`
          : nothing
      }
      <div class="actions">
        <button type="submit" class="send" part="send" ?disabled=${!!problem || this.busy}>
          ${this.busy ? (this.mode === 'gather' ? 'Gathering…' : 'Sending…') : MODES.find(([m]) => m === this.mode)![1]}
        </button>
        ${this.busy && this.mode === 'gather' ? html`<button type="button" class="stop" @click=${() => this.stop()}>Stop</button>` : nothing}
        ${problem ? html`<span class="notice" part="notice" role="status">${problem}</span>` : nothing}
      </div>
    </form>`;
  }

  #outcomeText(s: Sent): string {
    const r = s.result;
    const what = s.mode === 'publish' ? 'Published' : s.mode === 'request' ? 'Request' : 'Scatter-gather';
    const sent = `${formatBytes(r.size)}${s.headers ? ` + ${fmt(s.headers)} ${s.headers === 1 ? 'header' : 'headers'}` : ''}`;
    switch (r.outcome) {
      case 'ok':
        if (s.mode === 'publish') return `${what} ${sent} to ${s.subject} (the server has it).`;
        if (s.mode === 'request') return `Reply from ${s.subject} in ${formatDuration(r.elapsed)} (${sent} sent).`;
        return `${fmt(r.replies.length)} ${r.replies.length === 1 ? 'reply' : 'replies'} on ${s.subject} in ${formatDuration(r.elapsed)}: stopped because ${STOPPED[r.stopped ?? 'max-wait']}.`;
      case 'no-reply':
        return `${what} on ${s.subject}: no reply (${r.error?.message ?? 'timed out'}).`;
      case 'no-responders':
        return `${what} on ${s.subject}: no responders (nobody subscribes to it).`;
      case 'refused':
        return `Refused: ${r.error?.message ?? 'the server refused it'}`;
      case 'failed':
        return `${what} on ${s.subject} failed: ${r.error?.message ?? 'unknown error'}`;
    }
  }

  #renderResult() {
    const last = this.#sent[0];
    if (this.busy && this.mode === 'gather') {
      return html`<section class="result" part="result" aria-label="Replies" aria-busy="true">
        <p role="status">Gathering replies… ${fmt(this.#live.length)} so far.</p>
        ${this.#renderReplies(this.#live, -1)}
      </section>`;
    }
    if (!last) return nothing;
    const r = last.result;
    return html`<section class="result" part="result" aria-label="Result">
      <p class="outcome" data-outcome=${r.outcome} role=${r.outcome === 'ok' ? 'status' : 'alert'}>${this.#outcomeText(last)}</p>
      ${last.mode === 'gather' && r.replies.length ? this.#renderReplies(r.replies, last.id) : nothing}
      ${last.mode === 'request' && r.replies[0] ? this.#renderReply(r.replies[0], last.id) : nothing}
      ${last.mode === 'gather' ? this.#renderShown(r.replies, last.id) : nothing}
    </section>`;
  }

  #renderReplies(replies: readonly Reply[], id: number) {
    const now = this.now();
    return html`<div class="replies-scroll">
      <table class="replies" part="replies">
        <caption class="muted">
          Replies
        </caption>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Responder</th>
            <th scope="col" class="num">After</th>
            <th scope="col">Time</th>
            <th scope="col" class="num">Size</th>
            <th scope="col">Payload</th>
          </tr>
        </thead>
        <tbody>
          ${repeat(
            replies,
            (r) => r.n,
            (r) =>
              html`<tr part="reply" aria-selected=${this.shownReply === r.n ? 'true' : 'false'}>
                <td>
                  ${
                    id < 0
                      ? fmt(r.n)
                      : html`<button type="button" class="show-reply" title=${`Show reply ${fmt(r.n)}`} @click=${() => (this.shownReply = r.n)}>
                          ${fmt(r.n)}
                        </button>`
                  }
                </td>
                <td class="responder">${r.responder ?? html`<span class="muted">not told</span>`}</td>
                <td class="num">${formatDuration(r.elapsed)}</td>
                <td>${formatTime(r.time, now)}</td>
                <td class="num">${formatBytes(r.msg.data.length)}</td>
                <td class="preview">${previewPayload(r.msg.data)}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }

  #renderShown(replies: readonly Reply[], id: number) {
    const r = replies.find((x) => x.n === this.shownReply);
    return r ? this.#renderReply(r, id) : nothing;
  }

  #renderReply(r: Reply, id: number) {
    const key = `${id}:${r.n}`;
    const headers = headerEntries(r.msg.headers);
    const code = r.msg.headers && r.msg.headers.code > 0 ? `${r.msg.headers.code} ${r.msg.headers.description}` : '';
    return html`<div class="reply-detail">
      <dl class="meta">
        <div>
          <dt>Reply</dt>
          <dd>#${fmt(r.n)}</dd>
        </div>
        <div>
          <dt>Responder</dt>
          <dd>${r.responder ?? 'not told'}</dd>
        </div>
        <div>
          <dt>Round trip</dt>
          <dd>${formatDuration(r.elapsed)}</dd>
        </div>
        <div>
          <dt>Received</dt>
          <dd>${formatTime(r.time, this.now())}</dd>
        </div>
        ${
          code
            ? html`<div>
                <dt>Status</dt>
                <dd>${code}</dd>
              </div>`
            : nothing
        }
      </dl>
      ${renderHeaders(headers)}
      ${renderPayload(r.msg.data, {
        view: this.#views.get(key) ?? 'auto',
        onView: (v) => {
          this.#views.set(key, v);
          this.requestUpdate();
        },
        expanded: this.#expanded.has(key),
        onExpand: () => {
          this.#expanded.add(key);
          this.requestUpdate();
        },
        label: `Payload view of reply ${fmt(r.n)}`,
      })}
    </div>`;
  }

  #renderHistory() {
    if (this.#sent.length < 2) return nothing;
    const now = this.now();
    return html`<details class="history" part="history">
      <summary>Sent (${fmt(this.#sent.length)})</summary>
      <ol>
        ${this.#sent.map(
          (s) => html`<li data-outcome=${s.result.outcome}><span class="muted">${formatTime(s.result.time, now)}</span> ${this.#outcomeText(s)}</li>`,
        )}
      </ol>
    </details>`;
  }
}
