import { html, nothing, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import { ref } from 'lit/directives/ref.js';
import { repeat } from 'lit/directives/repeat.js';
import { styleProps } from '../../src/parts/style-props.js';
import { NunectError, type Msg } from '../../client/index.js';
import { NunectWidget, widgetState, type WidgetState } from '../../src/base/nunect-widget.js';
import { FrameBatchController } from '../../src/controllers/frame-batch-controller.js';
import { SubscriptionController } from '../../src/controllers/subscription-controller.js';
import { VirtualWindowController, type VirtualWindow } from '../../src/controllers/virtual-window-controller.js';
import { formatBytes, formatCount, formatNumber, formatRtt } from '../../src/monitor/format.js';
import { eventLogStyles } from './nunect-event-log.styles.js';
import {
  accountLabel,
  userLabel,
  EVENT_SUBJECTS,
  EVENT_TYPES,
  parseEvent,
  searchText,
  shortKey,
  TYPE_LABELS,
  type EventRow,
  type EventType,
} from './parse-event.js';
import { RingBuffer } from './ring-buffer.js';

export { EVENT_SUBJECTS } from './parse-event.js';

/** A buffered row: the parsed event, its arrival number and its search text (made on demand). */
export interface LogRow extends EventRow {
  /** 1 for the first event received, counting every event (also those evicted unseen). */
  seq: number;
  search?: string;
}

export type { EventLogPauseDetail } from '../../src/base/events.js';

const fmt = (n: number) => formatNumber(n);
/** Batches are rendered at most this often (on an animation frame). */
const MIN_INTERVAL_MS = 100;
/** Rows rendered above and below the ones in view. */
const OVERSCAN = 8;
/** How long a batch may wait for an animation frame before a timer flushes it (hidden tab). */
const FALLBACK_MS = 250;

const typesConverter = {
  fromAttribute(value: string | null): EventType[] {
    if (value === null) return [...EVENT_TYPES];
    return value
      .split(/[\s,]+/)
      .map((t) => t.trim())
      .filter((t): t is EventType => (EVENT_TYPES as readonly string[]).includes(t));
  },
  toAttribute(value: EventType[]): string {
    return value.join(',');
  },
};

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** Local wall-clock time with milliseconds; the date too when it is not today. */
function clock(ms: number | undefined, todayStart: number): string {
  if (ms === undefined) return '–';
  const d = new Date(ms);
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
  if (ms >= todayStart && ms < todayStart + 86_400_000) return time;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${time}`;
}

function msgs(n: number | undefined, bytes: number | undefined): string {
  return `${formatCount(n)} ${n === 1 ? 'msg' : 'msgs'} (${formatBytes(bytes)})`;
}

function plural(n: number | undefined, one: string, many: string): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/**
 * A live log of the cluster's client events from `$SYS`: connects, disconnects (with reason,
 * traffic and RTT), authentication errors and account connection counts, from every server of
 * the cluster. Filter by type, account and text; pause to read (events keep arriving into the
 * buffer and are counted); export the buffer as JSON. Needs a user of the system account.
 *
 * Built for bursts: messages are batched and rendered on an animation frame at most every 100 ms
 * (a timer stands in when frames stall); the newest `visibleRows` matching rows are listed, of
 * which only those in view are in the DOM; the buffer is a ring of `capacity` events whose
 * evictions are counted — nothing is dropped silently.
 *
 * Echo events are hidden unless `showEchoes` is set (they are still counted, buffered and
 * exported): nats-server 2.9 publishes a `$G` account-connections event for every new connection
 * before authentication moves it to its account, and 2.10+ repeats each authentication error as a
 * `$G` DISCONNECT. Set `show-echoes` if your clients really use the global account `$G`.
 *
 * @tag nunect-event-log
 * @summary Live $SYS client events: connect, disconnect, auth errors, account connections.
 *
 * @csspart status - The status line (connecting, stale, error, waiting for events).
 * @csspart toolbar - The filters and buttons.
 * @csspart types - The group of type filters.
 * @csspart pause - The Pause/Resume button.
 * @csspart export - The Export JSON button.
 * @csspart counts - The line with the received, evicted and shown counts.
 * @csspart paused - The "paused, N new events" notice.
 * @csspart log - The scrolling area holding the table.
 * @csspart table - The table of events (an ARIA table).
 * @csspart row - One event row; it has `data-type` (connect, disconnect, auth-error, conns, audit, other).
 * @csspart type - The type label of a row.
 * @csspart empty - The "no events match" line.
 *
 * @cssprop --nunect-event-log-height - Maximum height of the scrolling log (default 420px).
 * @cssprop --nunect-event-log-row-height - Height of a row (default 2em; rows do not wrap, full text in the tooltip).
 * @cssprop --nunect-event-log-gap - Space between the toolbar items.
 * @cssprop --nunect-event-log-header-background - Background of the sticky table header.
 * @cssprop --nunect-event-log-row-hover - Background of a row under the pointer.
 * @cssprop --nunect-event-log-connect-color - Colour of the Connect label.
 * @cssprop --nunect-event-log-disconnect-color - Colour of the Disconnect label.
 * @cssprop --nunect-event-log-auth-error-color - Colour of the Auth error label.
 * @cssprop --nunect-event-log-conns-color - Colour of the Account conns label.
 * @cssprop --nunect-event-log-audit-color - Colour of the Admin action label (kick, move, reload from a page).
 * @cssprop --nunect-event-log-other-color - Colour of the Other label.
 *
 * @fires nunect-event-log-pause - The user paused or resumed the log; `detail.paused`.
 * @fires nunect-state-change - The widget state changed; `detail.state`.
 */
export class NunectEventLog extends NunectWidget {
  static override styles = [...NunectWidget.styles, eventLogStyles];

  /** How many events the buffer keeps (oldest evicted first, and counted). Export covers them all. */
  @property({ type: Number }) capacity = 1_000;

  /**
   * How many of the newest matching rows are listed (scrollable). Only the rows in view, and a
   * few around them, are in the DOM at any time.
   */
  @property({ type: Number, attribute: 'visible-rows' }) visibleRows = 200;

  /**
   * Freezes the rows on screen. Events keep arriving into the buffer and are counted; they show
   * on resume. Set by the Pause/Resume button (which fires `nunect-event-log-pause`) or by you.
   */
  @property({ type: Boolean, reflect: true }) paused = false;

  /**
   * The event types shown: any of `connect`, `disconnect`, `auth-error`, `conns`, `other`
   * (attribute: comma-separated). Default: all.
   */
  @property({ converter: typesConverter }) types: EventType[] = [...EVENT_TYPES];

  /** Shows only the events of this account (its name or public key); empty for all accounts. */
  @property() account = '';

  /** Shows only events whose client name, user, IP, reason, server or account contains this text (any case). */
  @property() text = '';

  /** Also shows echo events (`$G` account counts before authentication, `$G` repeats of auth errors). */
  @property({ type: Boolean, attribute: 'show-echoes' }) showEchoes = false;

  /** Events received since the element was created (including those evicted). */
  get received(): number {
    return this.#received;
  }

  /** Events evicted from the buffer since the element was created. */
  get evicted(): number {
    return this.#evicted;
  }

  /** The buffered events, oldest first (a copy). */
  get events(): LogRow[] {
    return this.#ring.toArray();
  }

  #ring = new RingBuffer<LogRow>(1_000);
  #received = 0;
  #evicted = 0;
  /** Accounts seen, with their name tag when there is one. */
  #accounts = new Map<string, string | undefined>();
  /** The rows on screen when paused, and the received count then. */
  #frozen?: LogRow[];
  #receivedAtPause = 0;
  #types = new Set<EventType>(EVENT_TYPES);
  #errorFor?: NunectError;
  #error?: NunectError;

  /**
   * Messages wait here for the next frame. Frames and timers stall (a hidden tab) while messages
   * pour in: at most twice the buffer waits, then they are taken in at once (the excess counted
   * as evicted, unparsed).
   */
  readonly #batches = new FrameBatchController<Msg>(this, (batch) => this.#take(batch), {
    minInterval: MIN_INTERVAL_MS,
    fallback: FALLBACK_MS,
    maxPending: () => 2 * this.#ring.capacity,
  });
  /** Which listed rows are in view: the log's scroll position and height, a row's height. */
  readonly #virtual = new VirtualWindowController(this, { overscan: OVERSCAN, rowHeight: 28, viewportHeight: 420 });
  readonly #subs = new SubscriptionController(
    this,
    this.hubs,
    () => EVENT_SUBJECTS,
    (msg) => this.#batches.push(msg),
  );

  /** The buffer as JSON: counts and the events, oldest first, with their subject and payload. */
  exportJSON(): string {
    return JSON.stringify(
      {
        exported: new Date(this.now()).toISOString(),
        received: this.#received,
        evicted: this.#evicted,
        capacity: this.#ring.capacity,
        events: this.#ring.toArray().map((r) => ({ seq: r.seq, type: r.type, subject: r.subject, data: r.data })),
      },
      null,
      2,
    );
  }

  /** Forgets the buffered events and the counts. */
  clear(): void {
    this.#ring.clear();
    this.#batches.clear();
    this.#received = 0;
    this.#evicted = 0;
    this.#accounts.clear();
    this.#frozen = this.paused ? [] : undefined;
    this.#receivedAtPause = 0;
    this.requestUpdate();
  }

  /** Subscribes again after an error (or logs in again when the connection failed). */
  override retry(): void {
    if (this.hubs.hub.status.state === 'error') super.retry();
    else this.#subs.resubscribe();
  }

  /** Parses a batch of messages into the buffer and renders once. */
  #take(batch: Msg[]): void {
    // More than the buffer holds arrived in one batch: the oldest would be evicted at once, so
    // they are counted as received and evicted without being parsed.
    const skip = Math.max(0, batch.length - this.#ring.capacity);
    this.#received += skip;
    this.#evicted += skip;
    for (let i = skip; i < batch.length; i++) {
      const msg = batch[i]!;
      let data: unknown;
      try {
        data = msg.json();
      } catch {
        try {
          data = msg.string();
        } catch {
          data = undefined;
        }
      }
      const row = parseEvent(msg.subject, data) as LogRow;
      row.seq = ++this.#received;
      if (row.account !== undefined && (!this.#accounts.has(row.account) || row.accountName)) this.#accounts.set(row.account, row.accountName);
      if (this.#ring.push(row)) this.#evicted++;
    }
    this.requestUpdate();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('capacity')) this.#evicted += this.#ring.resize(this.capacity);
    if (changed.has('types')) this.#types = new Set(Array.isArray(this.types) ? this.types : EVENT_TYPES);
    if (changed.has('paused')) {
      if (this.paused) {
        this.#frozen = this.#ring.toArray();
        this.#receivedAtPause = this.#received;
      } else {
        this.#frozen = undefined;
      }
    }
    const e = this.#subs.error;
    if (e !== this.#errorFor) {
      this.#errorFor = e;
      this.#error =
        e?.code === 'PERMISSION_DENIED'
          ? new NunectError('PERMISSION_DENIED', `The event log needs a user of the system account (SYS): ${e.message}`, { cause: e })
          : e;
    }
    super.willUpdate(changed);
  }

  protected override computeState(): WidgetState {
    const error = this.#error;
    // Subscribed counts as data (`ready`, "Waiting for events…") once the server has the
    // subscriptions, and only while connected: with no event yet, a reconnecting log is
    // `connecting`, not `stale`.
    const hasData = this.#received > 0 || (this.#subs.confirmed && !error && this.hubs.status.state === 'connected');
    return widgetState(this.hubs.status, hasData, error);
  }

  #togglePause(): void {
    this.paused = !this.paused;
    this.emit('nunect-event-log-pause', { paused: this.paused });
  }

  #toggleType(type: EventType, on: boolean): void {
    const next = new Set(Array.isArray(this.types) ? this.types : EVENT_TYPES);
    if (on) next.add(type);
    else next.delete(type);
    this.types = EVENT_TYPES.filter((t) => next.has(t));
  }

  #download(): void {
    const blob = new Blob([this.exportJSON()], { type: 'application/json' });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = `nats-events-${new Date(this.now()).toISOString().replace(/[:.]/g, '-')}.json`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1_000);
  }

  /**
   * Filters the buffer, newest first: how many rows match, how many of them are listed (at most
   * `limit`, from `visibleRows`), and the listed rows from index `from` to `to` (the ones in view).
   */
  #visible(from: number, to: number, limit: number): { rows: LogRow[]; matching: number; listed: number; total: number } {
    const source = this.#frozen;
    const size = source ? source.length : this.#ring.size;
    const at = source ? (i: number) => source[i]! : (i: number) => this.#ring.at(i)!;
    const types = this.#types;
    const echoes = this.showEchoes;
    const account = this.account;
    const text = this.text.trim().toLowerCase();
    const rows: LogRow[] = [];
    let matching = 0;
    for (let i = size - 1; i >= 0; i--) {
      const r = at(i);
      if (!types.has(r.type) || (r.echo && !echoes) || (account && r.account !== account)) continue;
      if (text && !(r.search ??= searchText(r)).includes(text)) continue;
      if (matching >= from && matching < to && matching < limit) rows.push(r);
      matching++;
    }
    return { rows, matching, listed: Math.min(matching, limit), total: size };
  }

  override render() {
    const state = this.state;
    const status = this.renderStatus(this.#error, 'events');
    if (state !== 'ready' && state !== 'stale') return status;
    // The window is taken for the most rows that can be listed, then placed for those listed.
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
          ? html`<div class="status" part="status" role="status">Waiting for events…</div>`
          : listed === 0
            ? html`<p class="empty muted" part="empty">
                ${this.paused && total === 0 ? 'Paused before the first event: resume to see the events that arrived.' : 'No events match the filters.'}
              </p>`
            : this.#renderTable(rows, view, listed)
      }`;
  }

  #renderToolbar() {
    const accounts = [...this.#accounts].sort((a, b) => (a[1] ?? a[0]).localeCompare(b[1] ?? b[0]));
    if (this.account && !this.#accounts.has(this.account)) accounts.unshift([this.account, undefined]);
    return html`<div class="toolbar" part="toolbar">
      <fieldset class="types" part="types">
        <legend>Types</legend>
        ${EVENT_TYPES.map(
          (t) =>
            html`<label
              ><input
                type="checkbox"
                .checked=${this.#types.has(t)}
                @change=${(e: Event) => this.#toggleType(t, (e.target as HTMLInputElement).checked)}
              />${TYPE_LABELS[t]}</label
            >`,
        )}
        <label title="$G account counts before authentication and $G repeats of auth errors"
          ><input type="checkbox" .checked=${this.showEchoes} @change=${(e: Event) => (this.showEchoes = (e.target as HTMLInputElement).checked)} />$G
          echoes</label
        >
      </fieldset>
      <label class="field"
        >Account
        <select @change=${(e: Event) => (this.account = (e.target as HTMLSelectElement).value)}>
          <option value="" ?selected=${!this.account}>All accounts</option>
          ${repeat(
            accounts,
            ([acc]) => acc,
            ([acc, name]) => html`<option value=${acc} ?selected=${acc === this.account}>${accountLabel(acc, name)}</option>`,
          )}
        </select></label
      >
      <label class="field"
        >Search
        <input
          type="search"
          .value=${this.text}
          placeholder="name, user, IP, reason, server"
          @input=${(e: Event) => (this.text = (e.target as HTMLInputElement).value)}
      /></label>
      <button part="pause" aria-pressed=${this.paused ? 'true' : 'false'} @click=${this.#togglePause}>${this.paused ? 'Resume' : 'Pause'}</button>
      <button part="export" @click=${this.#download}>Export JSON</button>
    </div>`;
  }

  /**
   * The listed rows as an ARIA table of divs. Only the rows in view (plus a margin) are in the
   * DOM, at their place in a body as tall as all listed rows, so the scroll bar is true.
   */
  #renderTable(rows: LogRow[], { from, height, offset }: VirtualWindow, listed: number) {
    const now = new Date(this.now());
    const todayStart = new Date(now.getFullYear(), now.getMonth(), now.getDate()).getTime();
    return html`<div class="log" part="log" role="region" aria-label="Events, newest first" tabindex="0" ${ref(this.#virtual.scroller)}>
      <div class="table" part="table" role="table" aria-label="Events" aria-rowcount=${listed + 1}>
        <div class="head" role="rowgroup">
          <div class="row" role="row" aria-rowindex="1" ${ref(this.#virtual.sampleRow)}>
            <span role="columnheader">Time</span><span role="columnheader">Type</span><span role="columnheader">Server</span
            ><span role="columnheader">Account</span><span role="columnheader">User</span><span role="columnheader">Client</span
            ><span role="columnheader">IP</span><span role="columnheader">Type · lang</span><span role="columnheader">Details</span>
          </div>
        </div>
        <div class="body" role="rowgroup" ${styleProps({ height: `${height}px` })}>
          <div class="window" ${styleProps({ transform: `translateY(${offset}px)` })}>
            ${repeat(
              rows,
              (r) => r.seq,
              (r, i) => this.#renderRow(r, todayStart, from + i + 2),
            )}
          </div>
        </div>
      </div>
    </div>`;
  }

  #renderRow(r: LogRow, todayStart: number, index: number) {
    // Few elements per row, one text per cell: at thousands of events per second the whole list
    // is replaced on every render, so each node counts.
    const account = r.account === undefined ? '' : accountLabel(r.account, r.accountName);
    const client = [r.clientType, r.kind, r.lang && `${r.lang}${r.version ? ` ${r.version}` : ''}`].filter(Boolean).join(' · ');
    const details = this.#details(r);
    return html`<div class="row" part="row" role="row" aria-rowindex=${index} data-type=${r.type}>
      <span role="cell" class="mono" title=${r.timestamp ?? ''}>${clock(r.time, todayStart)}</span
      ><span role="cell" class="type" part="type">${TYPE_LABELS[r.type]}</span
      ><span role="cell" title=${r.serverId ?? ''}>${r.server ?? (r.serverId ? shortKey(r.serverId) : '')}</span
      ><span role="cell" title=${r.account ?? ''}>${account}</span><span role="cell" title=${r.user ?? ''}>${r.user ? userLabel(r.user, r.userName) : ''}</span
      ><span role="cell" title=${r.name ?? ''}>${r.name ?? ''}${r.cid !== undefined ? ` #${r.cid}` : ''}</span
      ><span role="cell" class="mono">${r.host ?? ''}</span><span role="cell" title=${client}>${client}</span
      ><span role="cell" title=${details}>${details}</span>
    </div>`;
  }

  /** The last column: reason and traffic of a disconnect, counts of an account, why Other is other. */
  #details(r: LogRow): string {
    switch (r.type) {
      case 'disconnect':
      case 'auth-error': {
        const rtt = r.rttMs !== undefined ? ` · RTT ${formatRtt(r.rttMs)}` : '';
        return `${r.reason ?? ''}${rtt} · sent ${msgs(r.sentMsgs, r.sentBytes)} · received ${msgs(r.receivedMsgs, r.receivedBytes)}`;
      }
      case 'conns':
        return `${plural(r.conns, 'connection', 'connections')} · ${plural(r.leafnodes, 'leaf node', 'leaf nodes')} · ${formatCount(r.totalConns)} total`;
      case 'audit':
        return `${r.action ?? 'action'}: ${r.outcome ?? '?'}${r.message ? ` (${r.message})` : ''}`;
      case 'other':
        return `${r.subject}${r.note ? ` · ${r.note}` : ''}`;
      default:
        return '';
    }
  }
}
