import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import { Task, TaskStatus } from '@lit/task';
import { userRights, type NunectClient, type NunectError, type UserRights } from '../../client/index.js';
import { NunectWidget, widgetState, type WidgetState } from '../../src/base/nunect-widget.js';
import { VirtualWindowController } from '../../src/controllers/virtual-window-controller.js';
import { featureMissing, serverHas } from '../../src/monitor/features.js';
import { formatBytes, formatCount, formatDuration, formatSequence, formatTime, MISSING } from '../../src/monitor/format.js';
import { pager, pageRange } from '../../src/parts/pager.js';
import { renderHeaders, renderPayload, type PayloadView } from '../../src/parts/payload.js';
import { renderTable, renderWindow, type TableColumn, type TableSort } from '../../src/parts/table.js';
import {
  actionSubjects,
  jetStreamSource,
  messageBefore,
  messageFrom,
  runAction,
  streamsError,
  type ActionResult,
  type ActionTarget,
  type BrowseStep,
  type ConsumerInfo,
  type StreamAction,
  type StreamInfo,
  type StreamsSource,
  type StreamsSourceFactory,
} from './streams-source.js';
import { streamsStyles } from './nunect-streams.styles.js';

export type { StreamsSource, StreamsSourceFactory } from './streams-source.js';

/** The zero time of Go (a stream without messages). */
const ZERO_TIME = /^0001-01-01/;
const time = (t: string | undefined, now: number) => (!t || ZERO_TIME.test(t) ? MISSING : formatTime(t, now));
/** Nanoseconds (Go durations in the config) as a duration, "unlimited" for 0. */
const nanos = (ns: number | undefined) => (!ns ? 'unlimited' : formatDuration(ns / 1e6));
const limit = (n: number | undefined, f: (n: number) => string = formatCount) => (n === undefined || n < 0 ? 'unlimited' : f(n));

/** When a consumer last delivered: the server sends a time (the library's type says nanoseconds). */
const lastActive = (c: ConsumerInfo, now: number) => {
  const t = c.delivered?.last_active as unknown;
  return typeof t === 'string' ? time(t, now) : MISSING;
};

const SORTS: Record<string, (s: StreamInfo) => number | string> = {
  name: (s) => s.config.name,
  storage: (s) => String(s.config.storage),
  replicas: (s) => s.config.num_replicas ?? 1,
  messages: (s) => s.state.messages,
  bytes: (s) => s.state.bytes,
  first: (s) => s.state.first_seq,
  last: (s) => s.state.last_seq,
  consumers: (s) => s.state.consumer_count,
};

const ACTION_LABELS: Record<StreamAction, string> = { purge: 'Purge', 'delete-message': 'Delete message', 'delete-consumer': 'Delete consumer' };

/** What the stream detail shows (info and consumers, fetched when a stream is selected). */
interface Detail {
  stream: string;
  info?: StreamInfo;
  consumers?: ConsumerInfo[];
  error?: NunectError;
}

/** The message browser of the selected stream. */
interface Browse {
  stream: string;
  busy: boolean;
  step?: BrowseStep;
  error?: NunectError;
  /** What the last jump asked, for people. */
  asked?: string;
}

/** An action waiting for its typed confirmation. */
interface Confirming {
  action: StreamAction;
  target: ActionTarget;
}

/**
 * The logged-in account's JetStream streams, for any account's user: the list paged as the
 * JetStream API pages it (`$JS.API.STREAM.LIST`, with a running "n of total"), sortable and
 * filtered by name, only the rows in view rendered; a selected stream's config, state, cluster
 * leader and replicas (current, lag, offline) and its consumers (pending, ack floor, redelivered,
 * waiting, last active); a message browser reading by sequence (`MSG.GET`, or direct get when the
 * stream allows it) that never creates a consumer, so work-queue streams can be browsed too —
 * jump to a sequence, a time (direct get, nats-server 2.11+), the last message of a subject,
 * previous/next with deleted sequences skipped and said. Purge (the stream or one subject), delete
 * a message and delete a consumer need the right to publish the API subject, a typed confirmation
 * (the stream's name), and leave an audit record on `ops.audit.<action>`. A user without the right
 * sees the data and the reason instead of the buttons; where the server cannot tell the rights
 * (2.9) the buttons are shown and the server's refusal is shown as it comes.
 *
 * @tag nunect-streams
 * @summary JetStream streams, their consumers and a message browser, with purge and delete.
 *
 * @csspart status - The status line (connecting, loading, stale, error).
 * @csspart toolbar - The name filter.
 * @csspart table - A table (streams, replicas, consumers).
 * @csspart empty - The "no streams" row.
 * @csspart pager - The pager of the stream list.
 * @csspart detail - The selected stream's detail.
 * @csspart browser - The message browser.
 * @csspart message - The message shown.
 * @csspart headers - The message's headers.
 * @csspart payload - The message's payload.
 * @csspart payload-body - The payload's text.
 * @csspart actions - The destructive actions (or why there are none).
 * @csspart dialog - The confirmation dialog.
 * @csspart results - What the actions did.
 *
 * @cssprop --nunect-streams-gap - Space between the toolbar items.
 * @cssprop --nunect-streams-max-height - How tall the stream list gets before it scrolls (default 60vh).
 * @cssprop --nunect-streams-selected-background - Background of the selected stream's row.
 * @cssprop --nunect-streams-danger-color - Colour of the destructive buttons' border and failed results.
 * @cssprop --nunect-streams-header-background - Background of the sticky table header.
 * @cssprop --nunect-streams-sorted-color - Colour of the sorted column's header.
 * @cssprop --nunect-streams-name-background - Background of the sticky name column.
 * @cssprop --nunect-streams-scroll-shadow - The shadow at the table's right edge while it scrolls.
 *
 * @fires nunect-state-change - The widget state changed; `detail.state`.
 */
export class NunectStreams extends NunectWidget {
  static override styles = [...NunectWidget.styles, ...streamsStyles];

  /** The source of every `<nunect-streams>` without a `source` of its own: `@nats-io/jetstream`. */
  static defaultSource: StreamsSourceFactory = jetStreamSource;

  /** Where the streams come from (default {@link NunectStreams.defaultSource}); for tests, stories or another backend. */
  @property({ attribute: false }) source?: StreamsSourceFactory;

  /** Milliseconds between refreshes of the list (and of the selected stream). */
  @property({ type: Number }) interval = 10_000;

  /** Streams per page of the list (the API is asked a page of at most 256 at a time until it is full). */
  @property({ type: Number, attribute: 'page-size' }) pageSize = 1_000;

  /** Shows only the streams whose name contains this (any case). */
  @property() filter = '';

  /** The selected stream (its detail, consumers and messages are shown). */
  @property() selected?: string;

  /** The streams of the current page as last read (copies of the server's info). */
  get streams(): StreamInfo[] {
    return this.#rows ? [...this.#rows] : [];
  }

  /** How many streams the account has, as the list API last said. */
  get total(): number | undefined {
    return this.#total;
  }

  #client?: NunectClient;
  #source?: StreamsSource;
  #generation = 0;
  #rows?: StreamInfo[];
  #total?: number;
  #missing: string[] = [];
  #offset = 0;
  #loading = false;
  #error?: NunectError;
  #timer?: ReturnType<typeof setTimeout>;
  #sort: TableSort = { key: 'name', direction: 'ascending' };
  #detail?: Detail;
  #browse?: Browse;
  #view: PayloadView = 'auto';
  #expanded = false;
  #confirming?: Confirming;
  #typed = '';
  #results: ActionResult[] = [];
  #opener?: HTMLElement;

  readonly #virtual = new VirtualWindowController(this, { overscan: 10, rowHeight: 30 });

  readonly #rights = new Task(this, {
    args: () => [this.hubs.hub.client, this.hubs.status.state === 'connected'] as [NunectClient | undefined, boolean],
    task: async ([client, connected]): Promise<UserRights | undefined> => (client && connected ? userRights(client) : undefined),
  });

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#close();
  }

  /** Reads the list again (after an error, or to start over). */
  override retry(): void {
    if (this.hubs.hub.status.state === 'error') return super.retry();
    this.#close();
    this.requestUpdate();
  }

  #close(): void {
    this.#generation++;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#client = undefined;
    this.#source = undefined;
    this.#rows = undefined;
    this.#total = undefined;
    this.#missing = [];
    this.#loading = false;
    this.#error = undefined;
    this.#detail = undefined;
    this.#browse = undefined;
  }

  #sync(): void {
    const client = this.hubs.hub.client;
    if (!this.isConnected || client === this.#client) return;
    this.#close();
    if (!client || client.isClosed) return;
    this.#client = client;
    try {
      this.#source = (this.source ?? NunectStreams.defaultSource)(client);
    } catch (err) {
      this.#error = streamsError(err, 'the streams of this account');
      return;
    }
    void this.#load();
  }

  #live(generation: number): boolean {
    return generation === this.#generation && this.isConnected;
  }

  #pageSize(): number {
    return Math.max(1, Math.floor(Number(this.pageSize)) || 1_000);
  }

  /** Reads the current page of the list, an API page at a time (shown as they come on a first read). */
  async #load(): Promise<void> {
    const source = this.#source;
    if (!source) return;
    clearTimeout(this.#timer);
    const generation = this.#generation;
    const offset = this.#offset;
    const size = this.#pageSize();
    const progressive = !this.#rows;
    const rows: StreamInfo[] = [];
    const missing: string[] = [];
    this.#loading = true;
    try {
      let at = offset;
      for (;;) {
        const page = await source.listPage(at);
        if (!this.#live(generation) || offset !== this.#offset) return;
        this.#total = page.total;
        rows.push(...page.streams.slice(0, size - rows.length));
        missing.push(...(page.missing ?? []));
        if (progressive) {
          this.#rows = rows.slice();
          this.requestUpdate();
        }
        if (!page.streams.length || rows.length >= size || at + page.streams.length >= page.total) break;
        at += page.streams.length;
      }
      this.#rows = rows;
      this.#missing = missing;
      this.#error = undefined;
    } catch (err) {
      if (!this.#live(generation)) return;
      this.#error = streamsError(err, 'the streams of this account');
    }
    this.#loading = false;
    this.requestUpdate();
    if (this.selected && this.#detail?.stream === this.selected && this.#detail.info) void this.#loadDetail(this.selected, false);
    this.#timer = setTimeout(() => void this.#load(), Math.max(200, Number(this.interval) || 10_000));
  }

  /** Info and consumers of `stream`; `browse`: also open its first message. */
  async #loadDetail(stream: string, browse: boolean): Promise<void> {
    const source = this.#source;
    if (!source) return;
    const generation = this.#generation;
    const d: Detail = this.#detail?.stream === stream ? this.#detail : { stream };
    this.#detail = d;
    try {
      const [info, consumers] = await Promise.all([source.info(stream), source.consumers(stream)]);
      d.info = info;
      d.consumers = consumers;
      d.error = undefined;
    } catch (err) {
      d.error = streamsError(err, `the stream ${stream}`);
    }
    if (!this.#live(generation) || this.#detail !== d) return;
    this.requestUpdate();
    if (browse && d.info) void this.#go(stream, { from: d.info.state.first_seq || 1 }, 'the first message');
  }

  #info(stream: string): StreamInfo | undefined {
    return this.#detail?.stream === stream && this.#detail.info ? this.#detail.info : this.#rows?.find((s) => s.config.name === stream);
  }

  #direct(stream: string): boolean {
    return !!this.#info(stream)?.config.allow_direct;
  }

  /** Moves the browser: to the first message at or after `from`, before `before`, the last of a subject, or a time. */
  async #go(stream: string, to: { from: number } | { before: number } | { lastBySubject: string } | { startTime: string }, asked: string): Promise<void> {
    const source = this.#source;
    if (!source) return;
    const generation = this.#generation;
    const b: Browse = { stream, busy: true, step: this.#browse?.stream === stream ? this.#browse.step : undefined, asked };
    this.#browse = b;
    this.#expanded = false;
    this.requestUpdate();
    const direct = this.#direct(stream);
    try {
      if ('from' in to) b.step = await messageFrom(source, stream, to.from, direct);
      else if ('before' in to) b.step = await messageBefore(source, stream, to.before, this.#info(stream)?.state.first_seq ?? 1, direct);
      else if ('lastBySubject' in to) {
        const message = await source.message(stream, { lastBySubject: to.lastBySubject }, direct);
        b.step = message ? { message } : { message: null, note: `No message on ${to.lastBySubject}.` };
      } else {
        const message = await source.message(stream, { startTime: to.startTime }, direct);
        b.step = message ? { message } : { message: null, note: `No message stored at or after ${to.startTime}.` };
      }
      b.error = undefined;
    } catch (err) {
      b.error = streamsError(err, `the messages of ${stream}`);
    }
    b.busy = false;
    if (this.#live(generation) && this.#browse === b) this.requestUpdate();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('source') && this.hasUpdated) this.#close();
    if (changed.has('pageSize') && this.hasUpdated && this.#source) {
      this.#rows = undefined;
      void this.#load();
    }
    this.#sync();
    if (changed.has('selected') || (this.selected && this.#detail?.stream !== this.selected && this.#source)) {
      if (!this.selected) {
        this.#detail = undefined;
        this.#browse = undefined;
      } else if (this.#source && this.#detail?.stream !== this.selected) {
        this.#browse = undefined;
        void this.#loadDetail(this.selected, true);
      }
    }
    super.willUpdate(changed);
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    this.#virtual.measureRow(this.renderRoot.querySelector('tr.stream'));
  }

  protected override computeState(): WidgetState {
    return widgetState(this.hubs.status, !!this.#rows, this.#error);
  }

  // -----------------------------------------------------------------------------------------------
  // The list

  #onSort = (key: string) => {
    this.#sort = { key, direction: this.#sort.key === key && this.#sort.direction === 'ascending' ? 'descending' : 'ascending' };
    this.requestUpdate();
  };

  #onFilter = (e: Event) => {
    this.filter = (e.target as HTMLInputElement).value;
  };

  #onSelect = (e: Event) => {
    const name = (e.currentTarget as HTMLElement).dataset.name;
    this.selected = name && name !== this.selected ? name : undefined;
  };

  #onPrevious = () => this.#page(-1);
  #onNext = () => this.#page(1);

  #page(dir: number): void {
    const size = this.#pageSize();
    this.#offset = Math.max(0, this.#offset + dir * size);
    this.#rows = undefined;
    void this.#load();
  }

  /** The filtered, sorted list, kept until the rows, the filter or the sort change (a scroll renders only a new window). */
  #visible?: { rows?: StreamInfo[]; filter: string; sort: TableSort; result: StreamInfo[] };

  #visibleRows(): StreamInfo[] {
    const v = this.#visible;
    if (v && v.rows === this.#rows && v.filter === this.filter && v.sort === this.#sort) return v.result;
    const result = this.#filterAndSort();
    this.#visible = { rows: this.#rows, filter: this.filter, sort: this.#sort, result };
    return result;
  }

  #filterAndSort(): StreamInfo[] {
    const f = this.filter.trim().toLowerCase();
    const rows = (this.#rows ?? []).filter((s) => !f || s.config.name.toLowerCase().includes(f));
    const key = SORTS[this.#sort.key] ?? SORTS.name!;
    const dir = this.#sort.direction === 'ascending' ? 1 : -1;
    return rows.sort((a, b) => {
      const x = key(a);
      const y = key(b);
      const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
      return c * dir || a.config.name.localeCompare(b.config.name);
    });
  }

  #columns(now: number): TableColumn<StreamInfo>[] {
    return [
      {
        id: 'name',
        label: 'Stream',
        rowHeader: true,
        sortKey: 'name',
        className: 'name',
        cell: (s) =>
          html`<button
            type="button"
            class="link"
            data-name=${s.config.name}
            aria-pressed=${s.config.name === this.selected ? 'true' : 'false'}
            @click=${this.#onSelect}
          >
            ${s.config.name}
          </button>`,
      },
      {
        id: 'subjects',
        label: 'Subjects',
        className: 'subjects',
        cellClass: 'mono',
        cellTitle: (s) => (s.config.subjects ?? []).join(', '),
        cell: (s) => (s.config.subjects?.length ? s.config.subjects.join(', ') : MISSING),
      },
      { id: 'storage', label: 'Storage', sortKey: 'storage', cell: (s) => String(s.config.storage) },
      { id: 'replicas', label: 'Replicas', numeric: true, sortKey: 'replicas', cell: (s) => formatCount(s.config.num_replicas ?? 1) },
      { id: 'messages', label: 'Messages', numeric: true, sortKey: 'messages', cell: (s) => formatCount(s.state.messages) },
      { id: 'bytes', label: 'Bytes', numeric: true, sortKey: 'bytes', cell: (s) => formatBytes(s.state.bytes) },
      {
        id: 'first',
        label: 'First',
        numeric: true,
        sortKey: 'first',
        title: 'First sequence and when it was stored',
        cell: (s) => (s.state.messages ? html`${formatSequence(s.state.first_seq)} <span class="muted">${time(s.state.first_ts, now)}</span>` : MISSING),
      },
      {
        id: 'last',
        label: 'Last',
        numeric: true,
        sortKey: 'last',
        title: 'Last sequence and when it was stored',
        cell: (s) => (s.state.last_seq ? html`${formatSequence(s.state.last_seq)} <span class="muted">${time(s.state.last_ts, now)}</span>` : MISSING),
      },
      { id: 'consumers', label: 'Consumers', numeric: true, sortKey: 'consumers', cell: (s) => formatCount(s.state.consumer_count) },
    ];
  }

  override render() {
    const state = this.state;
    const status = this.renderStatus(this.#error, 'streams');
    if (state !== 'ready' && state !== 'stale') return status;
    const now = this.now();
    const rows = this.#visibleRows();
    const columns = this.#columns(now);
    const w = this.#virtual.window(rows.length);
    const loaded = this.#rows?.length ?? 0;
    const total = this.#total;
    const body = renderWindow(columns, rows, w, {
      key: (s) => s.config.name,
      stickyFirst: true,
      row: (s, cells) =>
        html`<tr class=${s.config.name === this.selected ? 'stream selected' : 'stream'} data-name=${s.config.name}>
          ${cells}
        </tr>`,
    });
    return html`${status}
      <div class="toolbar" part="toolbar">
        <label class="field"
          >Filter by name
          <input type="search" class="filter" .value=${this.filter} @input=${this.#onFilter} autocomplete="off" spellcheck="false" />
        </label>
        ${this.filter ? html`<span class="muted" role="status">${formatCount(rows.length)} of ${formatCount(loaded)} match</span>` : nothing}
      </div>
      ${renderTable({
        columns,
        rows,
        body,
        label: 'Streams',
        virtual: true,
        scrollerRef: this.#virtual.scroller,
        busy: this.#loading,
        key: (s) => s.config.name,
        sort: this.#sort,
        onSort: this.#onSort,
        stickyFirst: true,
        empty: loaded ? 'No stream matches the filter.' : 'This account has no streams.',
      })}
      ${pager({
        label: 'Stream pages',
        first: this.#offset,
        shown: loaded,
        total,
        hasNext: total !== undefined && this.#offset + this.#pageSize() < total,
        status:
          this.#loading && total !== undefined
            ? `Loading… ${pageRange(this.#offset, loaded, total)}`
            : loaded
              ? undefined
              : `${formatCount(total ?? 0)} streams`,
        onPrevious: this.#onPrevious,
        onNext: this.#onNext,
      })}
      ${this.#missing.length ? html`<p class="note muted" role="status">Not reported by the servers: ${this.#missing.join(', ')}.</p>` : nothing}
      ${this.selected ? this.#renderDetail(this.selected, now) : nothing} ${this.#renderDialog()}`;
  }

  // -----------------------------------------------------------------------------------------------
  // The detail

  #renderDetail(stream: string, now: number): TemplateResult {
    const d = this.#detail?.stream === stream ? this.#detail : undefined;
    const info = d?.info;
    return html`<section class="detail" part="detail" aria-label=${`Stream ${stream}`}>
      <h3>${stream}</h3>
      ${d?.error ? html`<p class="note" role="alert">${d.error.message}${info ? ' (showing the last detail read)' : ''}</p>` : nothing}
      ${!info ? (d?.error ? nothing : html`<p class="muted" role="status">Loading the stream…</p>`) : this.#renderInfo(info, d!.consumers ?? [], now)}
    </section>`;
  }

  #renderInfo(info: StreamInfo, consumers: ConsumerInfo[], now: number): TemplateResult {
    const c = info.config;
    const s = info.state;
    const dd = (label: string, value: unknown) =>
      html`<dt>${label}</dt>
        <dd>${value}</dd>`;
    return html`${c.description ? html`<p>${c.description}</p>` : nothing}
      <div class="columns">
        <div>
          <h4>Configuration</h4>
          <dl class="detail-grid config">
            ${dd('Subjects', c.subjects?.length ? c.subjects.join(', ') : MISSING)} ${dd('Retention', String(c.retention))} ${dd('Storage', String(c.storage))}
            ${dd('Replicas', formatCount(c.num_replicas ?? 1))} ${dd('Max messages', limit(c.max_msgs))} ${dd('Max bytes', limit(c.max_bytes, formatBytes))}
            ${dd('Max age', nanos(c.max_age))} ${dd('Max msgs per subject', limit(c.max_msgs_per_subject))} ${dd('Discard', String(c.discard))}
            ${dd('Direct get', c.allow_direct ? 'allowed' : 'no')} ${dd('Created', time(info.created, now))}
          </dl>
        </div>
        <div>
          <h4>State</h4>
          <dl class="detail-grid state">
            ${dd('Messages', formatCount(s.messages))} ${dd('Bytes', formatBytes(s.bytes))}
            ${dd('First', s.messages ? `${formatSequence(s.first_seq)} · ${time(s.first_ts, now)}` : MISSING)}
            ${dd('Last', s.last_seq ? `${formatSequence(s.last_seq)} · ${time(s.last_ts, now)}` : MISSING)} ${dd('Deleted', formatCount(s.num_deleted ?? 0))}
            ${dd('Subjects', s.num_subjects === undefined ? MISSING : formatCount(s.num_subjects))} ${dd('Consumers', formatCount(s.consumer_count))}
          </dl>
        </div>
        <div>
          <h4>Cluster</h4>
          ${this.#renderCluster(info)}
        </div>
      </div>
      ${this.#renderConsumers(info, consumers, now)} ${this.#renderBrowser(info, now)} ${this.#renderActions(info)} ${this.#renderResults()}`;
  }

  #renderCluster(info: StreamInfo): TemplateResult {
    const cl = info.cluster;
    const replicas = cl?.replicas ?? [];
    type Peer = NonNullable<NonNullable<StreamInfo['cluster']>['replicas']>[number];
    const columns: TableColumn<Peer>[] = [
      { id: 'name', label: 'Replica', rowHeader: true, cell: (p) => p.name },
      { id: 'current', label: 'Current', cell: (p) => (p.offline ? 'offline' : p.current ? 'yes' : 'no') },
      { id: 'lag', label: 'Lag', numeric: true, cell: (p) => (p.lag === undefined ? MISSING : formatCount(p.lag)) },
      { id: 'active', label: 'Last seen', numeric: true, cell: (p) => (p.active === undefined ? MISSING : `${formatDuration(p.active / 1e6)} ago`) },
    ];
    return html`<dl class="detail-grid cluster">
        <dt>Cluster</dt>
        <dd>${cl?.name ?? MISSING}</dd>
        <dt>Leader</dt>
        <dd>${cl?.leader ?? MISSING}</dd>
      </dl>
      ${
        replicas.length
          ? renderTable({ columns, rows: replicas, label: `Replicas of ${info.config.name}`, key: (p) => p.name })
          : html`<p class="muted">No other replicas${(info.config.num_replicas ?? 1) > 1 ? ' reported' : ''}.</p>`
      }`;
  }

  #renderConsumers(info: StreamInfo, consumers: ConsumerInfo[], now: number): TemplateResult {
    const stream = info.config.name;
    const del = this.#blocked('delete-consumer', stream);
    const columns: TableColumn<ConsumerInfo>[] = [
      {
        id: 'name',
        label: 'Consumer',
        rowHeader: true,
        cell: (c) => html`${c.name}${c.config.durable_name ? nothing : html` <span class="muted">(ephemeral)</span>`}`,
      },
      { id: 'filter', label: 'Filter', cellClass: 'mono', cell: (c) => c.config.filter_subject || (c.config.filter_subjects ?? []).join(', ') || MISSING },
      { id: 'pending', label: 'Pending', numeric: true, cell: (c) => formatCount(c.num_pending) },
      { id: 'ack-pending', label: 'Ack pending', numeric: true, cell: (c) => formatCount(c.num_ack_pending) },
      {
        id: 'ack-floor',
        label: 'Ack floor',
        numeric: true,
        title: 'Stream sequence of the ack floor',
        cell: (c) => formatSequence(c.ack_floor?.stream_seq ?? 0),
      },
      { id: 'redelivered', label: 'Redelivered', numeric: true, cell: (c) => formatCount(c.num_redelivered) },
      { id: 'waiting', label: 'Waiting', numeric: true, title: 'Pull requests waiting', cell: (c) => formatCount(c.num_waiting) },
      { id: 'active', label: 'Last active', numeric: true, cell: (c) => lastActive(c, now) },
    ];
    if (!del)
      columns.push({
        id: 'delete',
        label: 'Delete',
        cell: (c) =>
          html`<button
            type="button"
            class="danger delete-consumer"
            data-consumer=${c.name}
            aria-label=${`Delete consumer ${c.name}`}
            @click=${this.#onDeleteConsumer}
          >
            Delete…
          </button>`,
      });
    return html`<h4>Consumers</h4>
      ${renderTable({ columns, rows: consumers, label: `Consumers of ${stream}`, key: (c) => c.name, empty: 'No consumers.' })}
      ${del && consumers.length ? html`<p class="note muted why">${del}</p>` : nothing}`;
  }

  // -----------------------------------------------------------------------------------------------
  // The message browser

  #onJumpSeq = (e: Event) => {
    e.preventDefault();
    const input = (e.currentTarget as HTMLFormElement).querySelector<HTMLInputElement>('input')!;
    const seq = Math.floor(Number(input.value));
    if (this.selected && seq > 0) void this.#go(this.selected, { from: seq }, `sequence ${seq}`);
  };

  #onJumpSubject = (e: Event) => {
    e.preventDefault();
    const subject = (e.currentTarget as HTMLFormElement).querySelector<HTMLInputElement>('input')!.value.trim();
    if (this.selected && subject) void this.#go(this.selected, { lastBySubject: subject }, `the last message on ${subject}`);
  };

  #onJumpTime = (e: Event) => {
    e.preventDefault();
    const value = (e.currentTarget as HTMLFormElement).querySelector<HTMLInputElement>('input')!.value;
    const t = Date.parse(value);
    if (this.selected && Number.isFinite(t)) void this.#go(this.selected, { startTime: new Date(t).toISOString() }, `the first message at or after ${value}`);
  };

  #onFirst = () => this.selected && void this.#go(this.selected, { from: this.#info(this.selected)?.state.first_seq || 1 }, 'the first message');
  #onLast = () => this.selected && void this.#go(this.selected, { from: this.#info(this.selected)?.state.last_seq || 1 }, 'the last message');
  #onPrev = () => {
    const m = this.#browse?.step?.message;
    if (this.selected && m) void this.#go(this.selected, { before: m.seq }, 'the previous message');
  };
  #onNextMsg = () => {
    const m = this.#browse?.step?.message;
    if (this.selected && m) void this.#go(this.selected, { from: m.seq + 1 }, 'the next message');
  };
  #onView = (view: PayloadView) => {
    this.#view = view;
    this.requestUpdate();
  };
  #onExpand = () => {
    this.#expanded = true;
    this.requestUpdate();
  };

  /** Why jumping to a time is not offered (undefined: it is). */
  #timeBlocked(info: StreamInfo): string | undefined {
    const version = this.#client?.info?.version;
    if (!serverHas(version, 'directStartTime')) return featureMissing('directStartTime', { version });
    if (!info.config.allow_direct) return 'Reading from a time needs direct get, which this stream does not allow (allow_direct).';
    return undefined;
  }

  #renderBrowser(info: StreamInfo, now: number): TemplateResult {
    const b = this.#browse?.stream === info.config.name ? this.#browse : undefined;
    const m = b?.step?.message;
    const timeWhy = this.#timeBlocked(info);
    const empty = info.state.messages === 0;
    return html`<section class="browser" part="browser" aria-label=${`Messages of ${info.config.name}`}>
      <h4>Messages</h4>
      <p class="muted note">
        Read by sequence (${info.config.allow_direct ? 'direct get' : '$JS.API.STREAM.MSG.GET'}): no consumer is created, so nothing is acknowledged or removed.
      </p>
      <div class="toolbar">
        <button type="button" class="first" ?disabled=${empty || b?.busy} @click=${this.#onFirst}>First</button>
        <button type="button" class="prev-msg" ?disabled=${!m || b?.busy || m.seq <= info.state.first_seq} @click=${this.#onPrev}>Previous</button>
        <button type="button" class="next-msg" ?disabled=${!m || b?.busy || m.seq >= info.state.last_seq} @click=${this.#onNextMsg}>Next</button>
        <button type="button" class="last" ?disabled=${empty || b?.busy} @click=${this.#onLast}>Last</button>
        <form class="jump-seq" @submit=${this.#onJumpSeq}>
          <label class="field">Sequence <input type="number" min="1" step="1" inputmode="numeric" /></label>
          <button type="submit">Go</button>
        </form>
        <form class="jump-subject" @submit=${this.#onJumpSubject}>
          <label class="field">Last on subject <input type="text" autocomplete="off" spellcheck="false" /></label>
          <button type="submit">Go</button>
        </form>
        <form class="jump-time" @submit=${this.#onJumpTime}>
          <label class="field">From time <input type="datetime-local" step="1" ?disabled=${!!timeWhy} /></label>
          <button type="submit" ?disabled=${!!timeWhy}>Go</button>
        </form>
      </div>
      ${timeWhy ? html`<p class="note muted time-why">${timeWhy}</p>` : nothing}
      <div role="status" class="browse-status">
        ${b?.busy ? html`<span class="muted">Reading ${b.asked ?? 'a message'}…</span>` : nothing}
        ${b?.error ? html`<span class="result failed">${b.error.message}</span>` : nothing}
        ${b?.step?.skipped ? html`<span class="skipped">${this.#skippedText(b.step.skipped)}</span>` : nothing}
        ${b?.step?.note ? html`<span class="muted">${b.step.note}</span>` : nothing}
        ${empty ? html`<span class="muted">This stream holds no messages.</span>` : nothing}
      </div>
      ${m ? this.#renderMessage(info, m, now) : nothing}
    </section>`;
  }

  #skippedText([from, to]: [number, number]): string {
    return from === to
      ? `Sequence ${formatSequence(from)} is deleted: skipped.`
      : `Sequences ${formatSequence(from)}–${formatSequence(to)} are deleted: skipped.`;
  }

  #renderMessage(info: StreamInfo, m: NonNullable<BrowseStep['message']>, now: number): TemplateResult {
    const del = this.#blocked('delete-message', info.config.name);
    return html`<article class="message" part="message" aria-label=${`Message ${m.seq}`}>
      <div class="message-head">
        <span>Sequence <strong class="seq">${formatSequence(m.seq)}</strong> of ${formatSequence(info.state.last_seq)}</span>
        <span>Subject <strong class="subject mono">${m.subject}</strong></span>
        <span>Stored <span class="time">${time(m.time, now)}</span></span>
        <span class="muted">via ${m.via === 'direct' ? 'direct get' : 'MSG.GET'}</span>
      </div>
      ${renderHeaders(m.headers)}
      ${renderPayload(m.data, { view: this.#view, onView: this.#onView, expanded: this.#expanded, onExpand: this.#onExpand, label: `Payload view of message ${m.seq}` })}
      ${
        del
          ? html`<p class="note muted why">${del}</p>`
          : html`<button type="button" class="danger delete-message" data-seq=${m.seq} @click=${this.#onDeleteMessage}>
              Delete message ${formatSequence(m.seq)}…
            </button>`
      }
    </article>`;
  }

  // -----------------------------------------------------------------------------------------------
  // Destructive actions

  /** Why this user may not do `action` on `stream` (undefined: the button is offered). */
  #blocked(action: StreamAction, stream: string): string | undefined {
    const s = this.#rights.status;
    if (s === TaskStatus.PENDING || (s === TaskStatus.INITIAL && this.hubs.status.state === 'connected')) return 'Checking what this user may do…';
    const rights = this.#rights.value;
    if (!rights || !rights.known) return undefined;
    const subject = actionSubjects[action](stream);
    return rights.mayPublish(subject)
      ? undefined
      : `${rights.user ?? 'This user'} may not publish ${subject}: ${ACTION_LABELS[action].toLowerCase()} is not offered.`;
  }

  #renderActions(info: StreamInfo): TemplateResult {
    const stream = info.config.name;
    const why = this.#blocked('purge', stream);
    const rights = this.#rights.value;
    return html`<section class="actions-section" aria-label="Actions">
      <h4>Actions</h4>
      <div class="actions" part="actions">
        ${
          why
            ? html`<p class="note muted why">${why}</p>`
            : html`<button type="button" class="danger purge" @click=${this.#onPurge}>Purge stream…</button>
                <form class="purge-subject" @submit=${this.#onPurgeSubject}>
                  <label class="field">Purge one subject <input type="text" autocomplete="off" spellcheck="false" /></label>
                  <button type="submit" class="danger">Purge subject…</button>
                </form>`
        }
        ${
          rights && !rights.known
            ? html`<p class="note muted rights-unknown">
                The server did not say what this user may do (${rights.reason ?? 'no answer'}): the actions are offered and the server decides.
              </p>`
            : nothing
        }
      </div>
    </section>`;
  }

  #renderResults(): TemplateResult {
    return html`<div class="action-results" part="results" role="status">
      ${
        this.#results.length
          ? html`<ul>
              ${this.#results.map(
                (r) =>
                  html`<li class=${r.outcome === 'ok' ? 'result ok' : 'result failed'}>
                    ${ACTION_LABELS[r.action]} ${this.#targetText(r.target)}:
                    <strong class="outcome">${r.outcome}</strong>${r.message ? ` · ${r.message}` : ''}${
                      r.audited ? '' : ' · the audit record could not be sent'
                    }
                  </li>`,
              )}
            </ul>`
          : nothing
      }
    </div>`;
  }

  #targetText(t: ActionTarget): string {
    if (t.consumer) return `${t.consumer} of ${t.stream}`;
    if (t.seq !== undefined) return `${formatSequence(t.seq)} of ${t.stream}`;
    if (t.subject) return `${t.subject} of ${t.stream}`;
    return t.stream;
  }

  #onPurge = (e: Event) => this.selected && void this.#ask('purge', { stream: this.selected }, e.currentTarget as HTMLElement);

  #onPurgeSubject = (e: Event) => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const subject = form.querySelector<HTMLInputElement>('input')!.value.trim();
    if (this.selected && subject) void this.#ask('purge', { stream: this.selected, subject }, form.querySelector('button') ?? form);
  };

  #onDeleteMessage = (e: Event) => {
    const b = e.currentTarget as HTMLElement;
    const seq = Number(b.dataset.seq);
    if (this.selected && seq > 0) void this.#ask('delete-message', { stream: this.selected, seq }, b);
  };

  #onDeleteConsumer = (e: Event) => {
    const b = e.currentTarget as HTMLElement;
    const consumer = b.dataset.consumer;
    if (this.selected && consumer) void this.#ask('delete-consumer', { stream: this.selected, consumer }, b);
  };

  #dialog(): HTMLDialogElement | null {
    return this.renderRoot.querySelector('dialog.actions-dialog');
  }

  async #ask(action: StreamAction, target: ActionTarget, opener: HTMLElement): Promise<void> {
    this.#opener = opener;
    this.#confirming = { action, target };
    this.#typed = '';
    this.requestUpdate();
    await this.updateComplete;
    const dialog = this.#dialog();
    if (dialog && !dialog.open) dialog.showModal();
    dialog?.querySelector<HTMLInputElement>('input.confirm-name')?.focus();
  }

  #onTyped = (e: Event) => {
    this.#typed = (e.target as HTMLInputElement).value;
    this.requestUpdate();
  };

  #onCancel = () => this.#dialog()?.close();

  #onConfirm = (e: Event) => {
    e.preventDefault();
    const c = this.#confirming;
    if (!c || this.#typed !== c.target.stream) return;
    this.#dialog()?.close();
    void this.#run(c);
  };

  #onDialogClose = () => {
    this.#confirming = undefined;
    this.#typed = '';
    const opener = this.#opener;
    this.#opener = undefined;
    this.requestUpdate();
    void this.updateComplete.then(() => opener?.isConnected && opener.focus());
  };

  async #run({ action, target }: Confirming): Promise<void> {
    const client = this.#client;
    const source = this.#source;
    if (!client || !source) return;
    const rights = this.#rights.value;
    const result = await runAction(client, source, action, target, rights?.user, this.now(), rights?.account);
    this.#results = [result, ...this.#results].slice(0, 10);
    this.requestUpdate();
    if (result.outcome !== 'ok') return;
    // Show what it did: the stream's state, its consumers, the message after a deleted one.
    await this.#loadDetail(target.stream, false);
    if (action !== 'delete-consumer') {
      const m = this.#browse?.step?.message;
      void this.#go(target.stream, { from: action === 'delete-message' && target.seq ? target.seq : (m?.seq ?? 1) }, 'the message now there');
    }
    void this.#load();
  }

  #renderDialog(): TemplateResult {
    const c = this.#confirming;
    if (!c) return html`<dialog class="actions-dialog" part="dialog" aria-label="Confirm an action" @close=${this.#onDialogClose}></dialog>`;
    const { action, target } = c;
    const what =
      action === 'purge'
        ? target.subject
          ? `Purge every message on ${target.subject} from ${target.stream}?`
          : `Purge every message of ${target.stream}?`
        : action === 'delete-message'
          ? `Delete message ${formatSequence(target.seq ?? 0)} of ${target.stream}?`
          : `Delete consumer ${target.consumer ?? ''} of ${target.stream}?`;
    const ok = this.#typed === target.stream;
    return html`<dialog class="actions-dialog" part="dialog" aria-labelledby="action-title" aria-describedby="action-what" @close=${this.#onDialogClose}>
      <form @submit=${this.#onConfirm}>
        <h2 id="action-title">${what}</h2>
        <p id="action-what">
          ${
            action === 'delete-consumer'
              ? 'The consumer and its delivery state are removed; its clients stop receiving.'
              : 'The messages are removed from the stream for good: no consumer will receive them again.'
          }
        </p>
        <label
          >Type the stream name (${target.stream}) to confirm
          <input type="text" class="confirm-name" .value=${this.#typed} @input=${this.#onTyped} autocomplete="off" spellcheck="false" />
        </label>
        <p class="muted">The attempt is recorded in the audit trail (ops.audit.${action}).</p>
        <div class="dialog-actions">
          <button type="button" class="cancel" @click=${this.#onCancel}>Cancel</button>
          <button type="submit" class="confirm" ?disabled=${!ok}>${ACTION_LABELS[action]}</button>
        </div>
      </form>
    </dialog>`;
  }
}
