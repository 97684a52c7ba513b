import { html, nothing, type ComplexAttributeConverter, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { NunectWidget, widgetState, type WidgetState } from '../../src/base/nunect-widget.js';
import { humanNames, isPublicKey, shortKey, versionAtLeast } from '../../src/monitor/names.js';
import { PollController } from '../../src/controllers/poll-controller.js';
import { formatBytes, formatCount, formatDuration, formatNumber, formatRate, formatRtt, formatTime, parseGoDuration } from '../../src/monitor/format.js';
import type { PollSnapshot, WatchOptions } from '../../src/monitor/poller.js';
import { RateTracker } from '../../src/monitor/rates.js';
import type { ConnInfo, Connz, MonitorReply, ServerRef, SubDetail } from '../../client/monitor-types.js';
import { connzStyles } from './nunect-connz.styles.js';

/** Which connections to list: CONNZ `state` 0, 1 and 2. */
export type ConnzConnectionState = 'open' | 'closed' | 'all';
const STATE_CODE: Record<ConnzConnectionState, number> = { open: 0, closed: 1, all: 2 };

/** The sort keys the server accepts, in the order the server applies them (checked in nats-server's monitor.go). */
export interface ConnzSortKey {
  key: string;
  label: string;
  /** The direction the server sorts in (it cannot be changed). */
  direction: 'ascending' | 'descending';
  /** What that direction means, for people. */
  order: string;
  /** Only valid with `state` closed (the server refuses it for open and all). */
  closedOnly?: boolean;
  /** Needs nats-server 2.10 or later (older servers answer "invalid sorting option"). */
  since210?: boolean;
}

export const CONNZ_SORT_KEYS: readonly ConnzSortKey[] = [
  { key: 'cid', label: 'Connection ID', direction: 'ascending', order: 'lowest first' },
  { key: 'start', label: 'Start time', direction: 'ascending', order: 'oldest first' },
  { key: 'subs', label: 'Subscriptions', direction: 'descending', order: 'most first' },
  { key: 'pending', label: 'Pending bytes', direction: 'descending', order: 'most first' },
  { key: 'msgs_from', label: 'Messages in', direction: 'descending', order: 'most first' },
  { key: 'msgs_to', label: 'Messages out', direction: 'descending', order: 'most first' },
  { key: 'bytes_from', label: 'Bytes in', direction: 'descending', order: 'most first' },
  { key: 'bytes_to', label: 'Bytes out', direction: 'descending', order: 'most first' },
  { key: 'last', label: 'Last activity', direction: 'descending', order: 'most recent first' },
  { key: 'idle', label: 'Idle time', direction: 'descending', order: 'longest first' },
  { key: 'uptime', label: 'Uptime', direction: 'ascending', order: 'shortest first' },
  { key: 'rtt', label: 'Round-trip time', direction: 'descending', order: 'slowest first', since210: true },
  { key: 'stop', label: 'Stop time', direction: 'descending', order: 'most recent first', closedOnly: true },
  { key: 'reason', label: 'Close reason', direction: 'ascending', order: 'A to Z', closedOnly: true },
];
const SORT_BY_KEY = new Map(CONNZ_SORT_KEYS.map((s) => [s.key, s]));

/**
 * With a name filter the widget asks for this many connections from offset 0 (in the chosen sort
 * order and state/account filter) and filters them by name in the browser: the server has no name
 * filter. Connections beyond the first 1,024 are not searched; the widget says so.
 */
export const NAME_SCAN_LIMIT = 1024;

/** Subscriptions listed in a detail row; a connection may have many thousands. */
const MAX_DETAIL_SUBS = 500;
/** Accounts remembered for the account filter's suggestions. */
const MAX_ACCOUNTS = 200;
/** How often the servers of a cluster are asked for while the page asks one of them. */
const DISCOVERY_INTERVAL = 30_000;

type Counter = 'in_msgs' | 'out_msgs' | 'in_bytes' | 'out_bytes';
type Rates = Partial<Record<Counter, number>>;

interface Row {
  key: string;
  server: ServerRef;
  c: ConnInfo;
}

interface Expanded {
  key: string;
  cid: number;
  serverId: string;
  serverName: string;
  closed: boolean;
}

interface View {
  reply?: MonitorReply<Connz>;
  rows: Row[];
  /** Index of the first row shown, in the list the range refers to. */
  first: number;
  /** Matches the range refers to (total of the server, or name matches in the scanned list). */
  count: number;
  /** Name filter active: how many connections were scanned, of how many. */
  scanned?: { n: number; of: number };
}

/** What a cell needs, worked out once per row. */
interface CellContext {
  r: Row;
  c: ConnInfo;
  rates?: Rates;
  operator: boolean;
  names: { user?: string; account?: string };
  user: string;
  account: string;
  host: string;
  /** The current time (the connection's clock), for "today or another day". */
  now: number;
  client: string;
}

/** A column of the connections table. */
export interface ConnzColumn {
  /** Stable id (used by `columns` and the remembered choice). */
  id: string;
  label: string;
  /** Right-aligned numbers. */
  num?: boolean;
  /** The server sort key of a column header that sorts. */
  sort?: string;
  /** Header tooltip. */
  title?: string;
  /** Shown only with several servers (`multi`) or when closed connections are listed (`closed`). */
  only?: 'multi' | 'closed';
  /** The identity column: always shown, first, and sticky while scrolling sideways. */
  fixed?: boolean;
  cell: (x: CellContext) => TemplateResult;
}

const COLUMNS: readonly ConnzColumn[] = [
  {
    id: 'name',
    label: 'Name',
    fixed: true,
    cell: ({ c }) => html`<td class="text name" title=${c.name ?? ''}>${c.name || html`<span class="muted">(no name)</span>`}</td>`,
  },
  { id: 'cid', label: 'CID', num: true, sort: 'cid', cell: ({ c }) => html`<td class="num mono">${c.cid}</td>` },
  { id: 'server', label: 'Server', only: 'multi', cell: ({ r }) => html`<td>${r.server.name}</td>` },
  {
    id: 'account',
    label: 'Account',
    cell: ({ account, operator, names }) => html`<td class="text" title=${account}>
      <span class="mono">${operator ? shortKey(account) : account}</span>
      ${names.account ? html` <span class="tag">${names.account}</span>` : nothing}
    </td>`,
  },
  {
    id: 'user',
    label: 'User',
    cell: ({ user, operator, names }) => html`<td class="text" title=${user}>
      ${operator && isPublicKey(user) ? html`<span class="mono">${shortKey(user)}</span>` : user}
      ${names.user ? html` <span class="tag">${names.user}</span>` : nothing}
    </td>`,
  },
  { id: 'address', label: 'Address', cell: ({ host }) => html`<td class="mono">${host}</td>` },
  { id: 'client', label: 'Client', cell: ({ client }) => html`<td>${client}</td>` },
  { id: 'uptime', label: 'Uptime', num: true, sort: 'uptime', cell: ({ c }) => html`<td class="num">${formatDuration(parseGoDuration(c.uptime))}</td>` },
  { id: 'idle', label: 'Idle', num: true, sort: 'idle', cell: ({ c }) => html`<td class="num">${formatDuration(parseGoDuration(c.idle))}</td>` },
  { id: 'rtt', label: 'RTT', num: true, sort: 'rtt', title: 'Round-trip time', cell: ({ c }) => html`<td class="num">${formatRtt(c.rtt)}</td>` },
  { id: 'subs', label: 'Subs', num: true, sort: 'subs', title: 'Subscriptions', cell: ({ c }) => html`<td class="num">${formatCount(c.subscriptions)}</td>` },
  {
    id: 'pending',
    label: 'Pending',
    num: true,
    sort: 'pending',
    title: 'Bytes waiting to be sent to the client',
    cell: ({ c }) => html`<td class="num">${formatBytes(c.pending_bytes)}</td>`,
  },
  { id: 'msgs_in', label: 'Msgs in', num: true, sort: 'msgs_from', title: 'Messages published by the client', cell: ({ c }) => html`<td class="num">${formatCount(c.in_msgs)}</td>` },
  { id: 'msgs_out', label: 'Msgs out', num: true, sort: 'msgs_to', title: 'Messages delivered to the client', cell: ({ c }) => html`<td class="num">${formatCount(c.out_msgs)}</td>` },
  { id: 'msgs_rate_in', label: 'Msgs/s in', num: true, title: 'Messages per second from the client', cell: ({ rates }) => html`<td class="num">${formatRate(rates?.in_msgs)}</td>` },
  { id: 'msgs_rate_out', label: 'Msgs/s out', num: true, title: 'Messages per second to the client', cell: ({ rates }) => html`<td class="num">${formatRate(rates?.out_msgs)}</td>` },
  { id: 'bytes_in', label: 'Bytes in', num: true, sort: 'bytes_from', cell: ({ c }) => html`<td class="num">${formatBytes(c.in_bytes)}</td>` },
  { id: 'bytes_out', label: 'Bytes out', num: true, sort: 'bytes_to', cell: ({ c }) => html`<td class="num">${formatBytes(c.out_bytes)}</td>` },
  { id: 'bytes_rate_in', label: 'Bytes/s in', num: true, cell: ({ rates }) => html`<td class="num">${formatRate(rates?.in_bytes, true)}</td>` },
  { id: 'bytes_rate_out', label: 'Bytes/s out', num: true, cell: ({ rates }) => html`<td class="num">${formatRate(rates?.out_bytes, true)}</td>` },
  { id: 'start', label: 'Start', num: true, sort: 'start', cell: ({ c, now }) => html`<td class="num">${formatTime(c.start, now)}</td>` },
  { id: 'stop', label: 'Stop', num: true, sort: 'stop', only: 'closed', cell: ({ c, now }) => html`<td class="num closed">${c.stop ? formatTime(c.stop, now) : '–'}</td>` },
  { id: 'reason', label: 'Reason', sort: 'reason', only: 'closed', cell: ({ c }) => html`<td class="text closed" title=${c.reason ?? ''}>${c.reason ?? '–'}</td>` },
];

/** Every column id, in table order (`name` is always shown). */
export const CONNZ_COLUMNS: readonly string[] = COLUMNS.map((c) => c.id);

/**
 * The columns shown until a user or the page chooses: who (name, CID, account, user, address,
 * client), for how long (uptime), subscriptions and the live rates; they fit a 1280-px page. Idle
 * time, the totals, pending bytes, RTT and start time are in the chooser. (Server, stop and reason
 * show only where they apply.)
 */
export const CONNZ_DEFAULT_COLUMNS: readonly string[] = [
  'cid',
  'server',
  'account',
  'user',
  'address',
  'client',
  'uptime',
  'subs',
  'msgs_rate_in',
  'msgs_rate_out',
  'bytes_rate_in',
  'bytes_rate_out',
  'stop',
  'reason',
];

/**
 * The known optional column ids of a list, in table order; undefined if it is no list of strings,
 * or names columns and none of them is known (garbage, or another version's ids).
 */
function knownColumns(value: unknown): string[] | undefined {
  if (!Array.isArray(value) || value.length > 4 * COLUMNS.length || !value.every((v) => typeof v === 'string')) return undefined;
  const want = new Set(value);
  const known = COLUMNS.filter((c) => !c.fixed && want.has(c.id)).map((c) => c.id);
  return known.length || value.length === 0 || want.has('name') ? known : undefined;
}

/** The remembered choice (a JSON list of column ids), or undefined: none, unreadable or garbage. */
function readColumns(key: string): string[] | undefined {
  try {
    const raw = globalThis.localStorage?.getItem(key);
    if (!raw || raw.length > 4096) return undefined;
    return knownColumns(JSON.parse(raw));
  } catch {
    return undefined;
  }
}

function writeColumns(key: string, ids: readonly string[]): void {
  try {
    globalThis.localStorage?.setItem(key, JSON.stringify(ids));
  } catch {
    // Storage unavailable or full: the choice lasts as long as the element.
  }
}

/** `columns="cid subs bytes_in"` (spaces or commas) or a JSON list. */
const columnsConverter: ComplexAttributeConverter<string[] | undefined> = {
  fromAttribute(value) {
    if (value === null) return undefined;
    if (value.trim().startsWith('[')) {
      try {
        return knownColumns(JSON.parse(value));
      } catch {
        return undefined;
      }
    }
    return value.split(/[\s,]+/).filter(Boolean);
  },
};



/**
 * The connections of a server: who is connected (name, account, user, address, client library),
 * for how long, how busy (messages and bytes in and out, with rates per second), sorted and paged
 * by the server itself, so it stays fast with tens of thousands of connections. A row opens to show
 * the connection's subscriptions (and, for a closed connection, why it closed).
 *
 * Needs a user of the system account for every connection; other users see their own account's.
 * In a cluster it shows one server at a time (a selector appears when several servers answer) and
 * asks that server alone (`$SYS.REQ.SERVER.<id>.CONNZ`), so paging and sorting are exact on it and
 * no time is spent waiting for the other servers; a slow PING (every 30 s) notices servers joining.
 * A user who may not ask one server alone (outside the system account) is served by PING instead.
 *
 * "In" and "out" are seen from the server: messages in were published by the client, messages out
 * were delivered to it.
 *
 * Name filter: the server cannot filter by client name, so with a name filter the widget fetches the
 * first 1,024 connections (in the current sort order, state and account) and filters and pages them
 * in the browser; it says how many it searched.
 *
 * Subscriptions are asked for only while a row is open, and only for that connection (CONNZ `cid`
 * with `subscriptions_detail`), which is far cheaper than subscriptions for every row of every page.
 *
 * Columns: the "Columns" button at the end of the range line opens a list of the columns to show
 * (the name column is always shown, and stays in view while the table scrolls sideways inside its
 * card). The choice is remembered per page in `localStorage` (see `storageKey`); choosing a sort in
 * "Sort by" shows that column.
 *
 * @tag nunect-connz
 * @summary Connections table: server-side sort and paging, filters, rates, subscriptions.
 *
 * @csspart status - The status line (connecting, loading, stale, error).
 * @csspart toolbar - The filters and the sort control.
 * @csspart summary - The range line with the pager.
 * @csspart pager - The previous/next buttons and the range.
 * @csspart table - The table of connections.
 * @csspart row - One connection's row.
 * @csspart detail - The detail row of an open connection.
 * @csspart subscriptions - The subscription list in a detail row.
 * @csspart columns-button - The "Columns" button that opens the column chooser.
 * @csspart columns-menu - The column chooser (a fieldset of checkboxes).
 *
 * @cssprop --nunect-connz-max-height - Maximum height of the table before it scrolls (default none).
 * @cssprop --nunect-connz-filter-width - Width of the account and name inputs.
 * @cssprop --nunect-connz-header-background - Background of the sticky header row.
 * @cssprop --nunect-connz-sorted-color - Colour of the sorted column's header.
 * @cssprop --nunect-connz-row-hover-background - Background of a hovered row.
 * @cssprop --nunect-connz-expanded-background - Background of an open row and its detail.
 * @cssprop --nunect-connz-closed-color - Colour of the stop time and reason of closed connections.
 * @cssprop --nunect-connz-name-width - Maximum width of the name, account and user columns (the sticky name column also takes at most 40% of the table's visible width).
 * @cssprop --nunect-connz-subs-max-height - Maximum height of a subscription list before it scrolls.
 * @cssprop --nunect-connz-busy-opacity - Opacity of the old rows while a new page loads.
 * @cssprop --nunect-connz-name-background - Background of the sticky name column (opaque; rows' hover and open backgrounds are laid over it).
 * @cssprop --nunect-connz-columns-menu-background - Background of the column chooser.
 * @cssprop --nunect-connz-scroll-shadow - Colour of the shadow at the table's right edge while more columns lie beyond it.
 *
 * @fires nunect-state-change - The widget state changed; `detail.state`.
 * @fires nunect-connection-select - A detail row opened; `detail` is `{cid, server, serverId}` (server name and id).
 */
export class NunectConnz extends NunectWidget {
  static override styles = [...NunectWidget.styles, connzStyles];

  /** Milliseconds between polls. */
  @property({ type: Number }) interval = 5_000;

  /** Connections per page (CONNZ `limit`). */
  @property({ type: Number, attribute: 'page-size' }) pageSize = 50;

  /**
   * Server-side sort key (CONNZ `sort`): `cid start subs pending msgs_to msgs_from bytes_to bytes_from
   * last idle uptime`, `rtt` (nats-server ≥ 2.10), `stop` and `reason` (closed connections only). The
   * server picks the direction (see `CONNZ_SORT_KEYS`). A key the server would refuse falls back to `cid`.
   */
  @property() sort = 'cid';

  /**
   * Which connections: `open`, `closed` (recently closed, kept by the server) or `all` (CONNZ `state`).
   * (Named `connectionState` because `state` is the widget state every nunect widget has.)
   */
  @property({ attribute: 'connection-state' }) connectionState: ConnzConnectionState = 'open';

  /** Only connections of this account (CONNZ `acc`); empty for all. */
  @property() account = '';

  /** Only connections whose client name contains this text (case-insensitive; filtered in the browser over the first 1,024). */
  @property({ attribute: 'name-filter' }) nameFilter = '';

  /**
   * In a cluster, the server to show (its name). Empty: the server this connection is attached to,
   * else the first by name; a selector appears as soon as more than one server is known.
   */
  @property({ attribute: 'server-name' }) serverName = '';

  /**
   * The optional columns to show, by id (`name` is always shown): `cid server account user address
   * client uptime idle rtt subs pending msgs_in msgs_out msgs_rate_in msgs_rate_out bytes_in bytes_out
   * bytes_rate_in bytes_rate_out start stop reason` (`server` only in a cluster, `stop` and `reason`
   * only with closed connections). Attribute: ids separated by spaces or commas, or a JSON list.
   * Unset: the choice remembered under `storageKey`, else `CONNZ_DEFAULT_COLUMNS`. A set value wins
   * over the remembered choice; the column chooser sets it (and remembers it).
   */
  @property({ converter: columnsConverter }) columns?: string[];

  /**
   * The `localStorage` key the column choice is remembered under (only a JSON list of column ids is
   * stored). Empty: `nunect-connz-columns:<location.pathname>`, one choice per page.
   */
  @property({ attribute: 'storage-key' }) storageKey = '';

  /** First row of the page (server offset, or offset among the name matches). */
  @state() private offset = 0;
  @state() private expanded?: Expanded;
  /** The column chooser is open. */
  @state() private columnsOpen = false;
  /** The choice remembered under the storage key (read when the key changes). */
  #storedColumns?: string[];
  #storedKey?: string;
  /** The row that takes Tab (roving tabindex). */
  private focusKey?: string;

  /** Servers seen in replies, by name. */
  #servers = new Map<string, ServerRef>();
  /** Server ids whose own request failed (not allowed for this user, or gone): asked with PING instead. */
  #failed = new Set<string>();
  /** The server shown when `serverName` is empty: the connected one, else the first by name; kept once chosen. */
  #pinned?: string;
  /** The server the current page poll targets (undefined: PING). */
  #target?: string;
  /** A failed targeted poll that was given up for a PING: its error is not the widget's. */
  #abandoned?: PollSnapshot<Connz>;
  #accounts = new Set<string>();
  #trackers = new Map<string, RateTracker<Counter>>();
  #rates = new Map<string, Rates>();
  #tracked?: unknown;
  /** The last good replies, also of an earlier query (kept on screen while a new page loads). */
  #previous?: MonitorReply<Connz>[];

  readonly #page: PollController<Connz>;
  readonly #detail: PollController<Connz>;
  readonly #discovery: PollController<Connz>;

  constructor() {
    super();
    // Forget what belongs to the old connection before the polls restart on the new one.
    this.hubs.onChange(() => this.#forget());
    this.#page = new PollController<Connz>(this, this.hubs, () => this.#pageOptions(), (s) => this.#onPage(s));
    this.#detail = new PollController<Connz>(this, this.hubs, () => this.#detailOptions());
    this.#discovery = new PollController<Connz>(this, this.hubs, () => this.#discoveryOptions(), (s) => this.#learn(s.replies));
  }

  #forget(): void {
    this.#servers.clear();
    this.#failed.clear();
    this.#pinned = undefined;
    this.#abandoned = undefined;
    this.#accounts.clear();
    this.#trackers.clear();
    this.#rates.clear();
    this.#tracked = undefined;
    this.#previous = undefined;
    this.expanded = undefined;
  }

  /** Retry: also asks every server again which servers there are. */
  override retry(): void {
    this.#servers.clear();
    this.#failed.clear();
    this.#pinned = undefined;
    this.requestUpdate();
    super.retry();
  }

  // ---------------------------------------------------------------------------------------------
  // Requests

  /** The sort key actually sent: the `sort` property unless the server or the state would refuse it. */
  get effectiveSort(): string {
    const s = SORT_BY_KEY.get(this.sort);
    if (!s) return 'cid';
    if (s.closedOnly && this.connectionState !== 'closed') return 'cid';
    if (s.since210 && !this.#rttSupported()) return 'cid';
    return s.key;
  }

  /** Version of the server shown: from its reply envelope, else from the connection's INFO. */
  #version(): string | undefined {
    return this.#shownServer()?.ver ?? this.hubs.status.serverVersion;
  }

  #rttSupported(): boolean {
    return versionAtLeast(this.#version(), 2, 10);
  }

  #scanning(): boolean {
    return this.nameFilter.trim() !== '';
  }

  /** The server this connection is attached to (from its INFO), if the client says. */
  #connected(): ServerRef | undefined {
    const info = this.hubs.hub.client?.info as { server_id?: string; server_name?: string; version?: string } | undefined;
    return info?.server_id && info.server_name ? { id: info.server_id, name: info.server_name, ver: info.version } : undefined;
  }

  #shownName(): string | undefined {
    return this.serverName || this.#pinned;
  }

  #shownServer(): ServerRef | undefined {
    const name = this.#shownName();
    if (!name) return undefined;
    const connected = this.#connected();
    return this.#servers.get(name) ?? (connected?.name === name ? connected : undefined);
  }

  /**
   * Ask the shown server alone (`$SYS.REQ.SERVER.<id>.CONNZ`): exact paging and sorting on it, one
   * server's work, and no wait for other servers' replies. A user outside the system account may
   * only PING (its own account's connections), so a server whose own request failed is asked by PING.
   */
  #targetId(): string | undefined {
    const id = this.#shownServer()?.id;
    return id && !this.#failed.has(id) ? id : undefined;
  }

  #pageOptions(): WatchOptions {
    const scanning = this.#scanning();
    this.#target = this.#targetId();
    return {
      kind: 'CONNZ',
      interval: this.interval,
      serverId: this.#target,
      params: {
        auth: true,
        state: STATE_CODE[this.connectionState] ?? 0,
        sort: this.effectiveSort,
        offset: scanning ? 0 : this.offset,
        limit: scanning ? NAME_SCAN_LIMIT : this.#size(),
        acc: this.account.trim() || undefined,
      },
    };
  }

  #detailOptions(): WatchOptions | undefined {
    const e = this.expanded;
    if (!e) return undefined;
    // nats-server 2.9 finds a cid with state 0 (open) or 1 (closed), not with 2 (all).
    return {
      kind: 'CONNZ',
      interval: this.interval,
      serverId: this.#failed.has(e.serverId) ? undefined : e.serverId,
      params: { auth: true, cid: e.cid, state: e.closed ? 1 : 0, subscriptions_detail: true },
    };
  }

  /** While the page asks one server, a slow PING (one connection per server) finds the others. */
  #discoveryOptions(): WatchOptions | undefined {
    if (!this.#target) return undefined;
    return { kind: 'CONNZ', interval: Math.max(DISCOVERY_INTERVAL, this.interval), params: { limit: 1 } };
  }

  #learn(replies: MonitorReply<Connz>[] | undefined): void {
    if (!replies) return;
    for (const r of replies) if (r.server?.name && r.server.id) this.#servers.set(r.server.name, r.server);
  }

  #onPage(snapshot: PollSnapshot<Connz>): void {
    const code = snapshot.error?.code;
    const refused = code === 'NO_RESPONDERS' || code === 'TIMEOUT' || code === 'PERMISSION_DENIED';
    if (refused && !snapshot.loading && this.#target && !this.#failed.has(this.#target)) {
      // Not allowed to ask that server alone, or it is gone (a restarted server has a new id): PING.
      this.#failed.add(this.#target);
      this.#servers.clear();
      this.#abandoned = snapshot;
      return;
    }
    const replies = snapshot.replies;
    if (!replies || replies === this.#tracked) return;
    this.#tracked = replies;
    this.#previous = replies;
    this.#learn(replies);
    const view = this.#view(replies);
    // Rates for the rows that can be shown (one page, or the name matches).
    const seen = new Set<string>();
    const now = view.reply?.data?.now;
    const candidates = this.#scanning() ? this.#matches(view.reply) : view.rows;
    for (const { key, c } of candidates) {
      seen.add(key);
      if (c.account && this.#accounts.size < MAX_ACCOUNTS) this.#accounts.add(c.account);
      if (!now) continue;
      let t = this.#trackers.get(key);
      if (!t) this.#trackers.set(key, (t = new RateTracker<Counter>()));
      const rates = t.update(now, { in_msgs: c.in_msgs, out_msgs: c.out_msgs, in_bytes: c.in_bytes, out_bytes: c.out_bytes });
      if (rates) this.#rates.set(key, rates);
    }
    for (const key of this.#trackers.keys()) {
      if (!seen.has(key)) {
        this.#trackers.delete(key);
        this.#rates.delete(key);
      }
    }
    // Connections went away and the page is past the end: go to the last page.
    const d = view.reply?.data;
    if (d && !this.#scanning() && d.offset === this.offset && this.offset > 0 && this.offset >= d.total) {
      const size = this.#size();
      this.offset = d.total > 0 ? Math.floor((d.total - 1) / size) * size : 0;
    }
  }

  #size(): number {
    return Math.max(1, Math.floor(this.pageSize) || 50);
  }

  // ---------------------------------------------------------------------------------------------
  // State and view

  /** The page poll's error, unless it belongs to a targeted poll given up for a PING. */
  #error() {
    const s = this.#page.snapshot;
    return s === this.#abandoned ? undefined : s.error;
  }

  /** What the last render used; a poll's "loading" notice with the same data re-renders nothing. */
  #renderedWith: unknown[] = [];

  protected override shouldUpdate(changed: PropertyValues<this>): boolean {
    const page = this.#page.snapshot;
    const detail = this.#detail.snapshot;
    // (The target and the failed servers change the requests: the controllers must see them.)
    const inputs = [page.replies, this.#error(), this.#previous, detail.replies, detail.error, detail.loading, this.hubs.status, this.#targetId(), this.#failed.size];
    const same = changed.size === 0 && inputs.every((v, i) => v === this.#renderedWith[i]);
    this.#renderedWith = inputs;
    return !same && super.shouldUpdate(changed);
  }

  protected override computeState(): WidgetState {
    return widgetState(this.hubs.status, !!(this.#page.snapshot.replies ?? this.#previous), this.#error());
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (
      changed.has('sort') ||
      changed.has('connectionState') ||
      changed.has('account') ||
      changed.has('nameFilter') ||
      changed.has('serverName') ||
      changed.has('pageSize')
    ) {
      this.offset = 0;
    }
    if ((changed.has('serverName') || changed.has('connectionState') || changed.has('account')) && this.expanded) this.expanded = undefined;
    if (!this.serverName && !this.#pinned) {
      this.#pinned = this.#connected()?.name ?? [...this.#servers.keys()].sort((a, b) => a.localeCompare(b))[0];
    }
    const key = this.#storageKeyUsed();
    if (key !== this.#storedKey) {
      this.#storedKey = key;
      this.#storedColumns = readColumns(key);
    }
    super.willUpdate(changed);
  }

  #pick(replies: MonitorReply<Connz>[] | undefined): MonitorReply<Connz> | undefined {
    if (!replies?.length) return undefined;
    const name = this.#shownName();
    const found = name ? replies.find((r) => r.server.name === name) : undefined;
    return found ?? (this.serverName ? undefined : replies[0]);
  }

  #rowsOf(reply: MonitorReply<Connz> | undefined): Row[] {
    const list = reply?.data?.connections;
    if (!reply || !Array.isArray(list)) return [];
    return list.map((c) => ({ key: `${reply.server.id}:${c.cid}`, server: reply.server, c }));
  }

  #matches(reply: MonitorReply<Connz> | undefined): Row[] {
    const needle = this.nameFilter.trim().toLowerCase();
    return this.#rowsOf(reply).filter((r) => (r.c.name ?? '').toLowerCase().includes(needle));
  }

  #view(replies: MonitorReply<Connz>[] | undefined): View {
    const reply = this.#pick(replies);
    const size = this.#size();
    const d = reply?.data;
    if (!reply || !d) return { reply, rows: [], first: 0, count: 0 };
    if (this.#scanning()) {
      const matches = this.#matches(reply);
      const first = Math.min(this.offset, Math.max(0, Math.floor((matches.length - 1) / size) * size));
      return {
        reply,
        rows: matches.slice(first, first + size),
        first,
        count: matches.length,
        scanned: { n: d.connections?.length ?? 0, of: d.total ?? 0 },
      };
    }
    // Never more than one page of rows, even if a server sends more than asked for.
    return { reply, rows: this.#rowsOf(reply).slice(0, size), first: d.offset ?? 0, count: d.total ?? 0 };
  }

  // ---------------------------------------------------------------------------------------------
  // Events (stable handlers: rows and controls share them, nothing is rebuilt per row or poll)

  #onStateSelect = (e: Event) => {
    this.connectionState = (e.target as HTMLSelectElement).value as ConnzConnectionState;
  };

  #onSortSelect = (e: Event) => {
    this.sort = (e.target as HTMLSelectElement).value;
    // Sorting by a hidden column from the menu shows it (the header shows the order).
    const col = COLUMNS.find((c) => c.sort === this.sort);
    const chosen = this.#chosenColumns();
    if (col && !col.fixed && !chosen.has(col.id)) this.#chooseColumns(chosen.add(col.id));
  };

  #onColumnsButton = () => {
    this.columnsOpen = !this.columnsOpen;
  };

  #onColumnsKeydown = (e: KeyboardEvent) => {
    if (e.key !== 'Escape') return;
    e.preventDefault();
    e.stopPropagation();
    this.columnsOpen = false;
    this.renderRoot.querySelector<HTMLButtonElement>('button.columns-button')?.focus();
  };

  #onColumnToggle = (e: Event) => {
    const input = e.target as HTMLInputElement;
    const chosen = this.#chosenColumns();
    if (input.checked) chosen.add(input.value);
    else chosen.delete(input.value);
    this.#chooseColumns(chosen);
  };

  #onColumnsAll = () => {
    this.#chooseColumns(new Set(CONNZ_COLUMNS));
  };

  #onColumnsDefault = () => {
    this.#chooseColumns(new Set(CONNZ_DEFAULT_COLUMNS));
  };

  #onHeaderSort = (e: Event) => {
    const key = (e.currentTarget as HTMLElement).dataset.sort;
    if (key) this.sort = key;
  };

  #onAccount = (e: Event) => {
    this.account = (e.target as HTMLInputElement).value.trim();
  };

  #onName = (e: Event) => {
    this.nameFilter = (e.target as HTMLInputElement).value;
  };

  #onServer = (e: Event) => {
    this.serverName = (e.target as HTMLSelectElement).value;
  };

  #onPrev = () => {
    this.offset = Math.max(0, this.offset - this.#size());
  };

  #onNext = () => {
    this.offset += this.#size();
  };

  #rowOf(e: Event): HTMLTableRowElement | undefined {
    const row = (e.target as Element | null)?.closest?.('tr.conn');
    return row instanceof HTMLTableRowElement ? row : undefined;
  }

  #onRowClick = (e: Event) => {
    const row = this.#rowOf(e);
    if (row) this.#toggle(row);
  };

  #onRowKeydown = (e: KeyboardEvent) => {
    const row = this.#rowOf(e);
    if (!row || e.target !== row) return;
    const rows = [...(this.renderRoot.querySelectorAll<HTMLTableRowElement>('tr.conn'))];
    const i = rows.indexOf(row);
    let next: HTMLTableRowElement | undefined;
    switch (e.key) {
      case 'Enter':
      case ' ':
        e.preventDefault();
        this.#toggle(row);
        return;
      case 'ArrowDown':
        next = rows[i + 1];
        break;
      case 'ArrowUp':
        next = rows[i - 1];
        break;
      case 'Home':
        next = rows[0];
        break;
      case 'End':
        next = rows[rows.length - 1];
        break;
      case 'ArrowRight':
        if (row.getAttribute('aria-expanded') !== 'true') this.#toggle(row);
        e.preventDefault();
        return;
      case 'ArrowLeft':
        if (row.getAttribute('aria-expanded') === 'true') this.#toggle(row);
        e.preventDefault();
        return;
      default:
        return;
    }
    e.preventDefault();
    next?.focus();
  };

  #onRowFocus = (e: FocusEvent) => {
    const row = this.#rowOf(e);
    const key = row?.dataset.key;
    if (key && key !== this.focusKey) {
      this.focusKey = key;
      for (const r of this.renderRoot.querySelectorAll<HTMLTableRowElement>('tr.conn')) r.tabIndex = r === row ? 0 : -1;
    }
  };

  #toggle(row: HTMLTableRowElement): void {
    const key = row.dataset.key!;
    this.focusKey = key;
    if (this.expanded?.key === key) {
      this.expanded = undefined;
      return;
    }
    const cid = Number(row.dataset.cid);
    const serverId = row.dataset.server ?? '';
    const server = [...this.#servers.values()].find((s) => s.id === serverId);
    this.expanded = { key, cid, serverId, serverName: server?.name ?? serverId, closed: row.dataset.closed === 'true' };
    this.emit('nunect-connection-select', { cid, server: server?.name ?? serverId, serverId });
  }

  // ---------------------------------------------------------------------------------------------
  // Rendering

  override render() {
    const { replies } = this.#page.snapshot;
    const error = this.#error();
    const shown = replies ?? this.#previous;
    const busy = !replies && !!this.#previous;
    return html`${this.renderStatus(error, 'connections')}
      ${shown ? this.#renderData(this.#view(shown), busy) : nothing}`;
  }

  #renderData(view: View, busy: boolean): TemplateResult {
    const closedCols = this.connectionState !== 'open';
    const multi = this.#servers.size > 1;
    const operator = view.rows.some((r) => isPublicKey(r.c.authorized_user) || isPublicKey(r.c.account));
    const cols = this.#visibleColumns(multi, closedCols);
    const focusKey = view.rows.some((r) => r.key === this.focusKey) ? this.focusKey : view.rows[0]?.key;
    return html`${this.#renderToolbar(multi)}
      <div class="summary" part="summary">
        <span>${this.#renderRange(view)}</span>
        <span class="summary-end">${this.#renderPager(view)} ${this.#renderColumnsButton()}</span>
      </div>
      ${this.#renderColumnsMenu(multi, closedCols)}
      ${view.scanned
        ? html`<p class="note muted">
            The name filter applies to the first ${formatNumber(view.scanned.n)} of ${formatNumber(view.scanned.of)} connections in this
            order (the server cannot filter by name).
          </p>`
        : nothing}
      ${view.reply?.error ? html`<p class="note" role="alert">${view.reply.server.name}: ${view.reply.error.description}</p>` : nothing}
      ${!view.reply && this.serverName ? html`<p class="note" role="status">No reply from server ${this.serverName}.</p>` : nothing}
      <div class="scroll" aria-busy=${busy ? 'true' : 'false'}>
        <table part="table" role="treegrid" aria-label="Connections">
          ${this.#renderHead(cols)}
          <tbody @click=${this.#onRowClick} @keydown=${this.#onRowKeydown} @focusin=${this.#onRowFocus}>
            ${repeat(
              view.rows,
              (r) => r.key,
              (r) => this.#renderRow(r, r.key === focusKey, operator, cols),
            )}
          </tbody>
        </table>
        ${view.rows.length === 0
          ? html`<p class="empty muted">${this.#scanning() ? 'No connection name matches the filter.' : 'No connections.'}</p>`
          : nothing}
      </div>`;
  }

  #storageKeyUsed(): string {
    return this.storageKey || `nunect-connz-columns:${globalThis.location?.pathname ?? ''}`;
  }

  /** The optional columns chosen: the `columns` property, else the remembered choice, else the defaults. */
  #chosenColumns(): Set<string> {
    return new Set((this.columns && knownColumns(this.columns)) ?? this.#storedColumns ?? CONNZ_DEFAULT_COLUMNS);
  }

  /** A choice made in the widget: shown, and remembered for this page. */
  #chooseColumns(ids: Set<string>): void {
    const list = COLUMNS.filter((c) => !c.fixed && ids.has(c.id)).map((c) => c.id);
    this.columns = list;
    this.#storedColumns = list;
    writeColumns(this.#storageKeyUsed(), list);
  }

  /** The columns that apply (several servers, closed connections listed), in table order. */
  #applicableColumns(multi: boolean, closedCols: boolean): ConnzColumn[] {
    return COLUMNS.filter((col) => (col.only === 'multi' ? multi : col.only === 'closed' ? closedCols : true));
  }

  /** The columns shown, in order: the name first, then the chosen ones that apply. */
  #visibleColumns(multi: boolean, closedCols: boolean): ConnzColumn[] {
    const chosen = this.#chosenColumns();
    return this.#applicableColumns(multi, closedCols).filter((col) => col.fixed || chosen.has(col.id));
  }

  #renderColumnsButton(): TemplateResult {
    return html`<button
      class="columns-button"
      part="columns-button"
      aria-expanded=${this.columnsOpen ? 'true' : 'false'}
      aria-controls="columns-menu"
      @click=${this.#onColumnsButton}
    >
      <span aria-hidden="true">+/− </span>Columns
    </button>`;
  }

  #renderColumnsMenu(multi: boolean, closedCols: boolean): TemplateResult {
    const chosen = this.#chosenColumns();
    return html`<fieldset id="columns-menu" class="columns-menu" part="columns-menu" ?hidden=${!this.columnsOpen} @keydown=${this.#onColumnsKeydown}>
      <legend>Columns shown</legend>
      <div class="columns-list">
        ${this.#applicableColumns(multi, closedCols).map(
          (col) => html`<label title=${col.title ?? nothing}
            ><input type="checkbox" value=${col.id} .checked=${!!col.fixed || chosen.has(col.id)} ?disabled=${!!col.fixed} @change=${this.#onColumnToggle} />
            ${col.label}${col.fixed ? html` <span class="muted">(always)</span>` : nothing}</label
          >`,
        )}
      </div>
      <div class="columns-actions">
        <button @click=${this.#onColumnsAll}>Show all</button>
        <button @click=${this.#onColumnsDefault}>Defaults</button>
      </div>
    </fieldset>`;
  }

  #renderToolbar(multi: boolean): TemplateResult {
    const effective = this.effectiveSort;
    const sortInfo = SORT_BY_KEY.get(effective)!;
    const rtt = this.#rttSupported();
    const closed = this.connectionState === 'closed';
    const servers = [...this.#servers.values()].sort((a, b) => a.name.localeCompare(b.name));
    const shownName = this.#shownName() ?? '';
    return html`<div class="toolbar" part="toolbar">
      ${multi
        ? html`<label
            >Server
            <select @change=${this.#onServer} .value=${shownName}>
              ${servers.map((s) => html`<option value=${s.name} ?selected=${s.name === shownName}>${s.name}</option>`)}
            </select></label
          >`
        : nothing}
      <label
        >Show
        <select @change=${this.#onStateSelect} .value=${this.connectionState}>
          <option value="open" ?selected=${this.connectionState === 'open'}>Open connections</option>
          <option value="closed" ?selected=${this.connectionState === 'closed'}>Closed connections</option>
          <option value="all" ?selected=${this.connectionState === 'all'}>Open and closed</option>
        </select></label
      >
      <label
        >Sort by
        <select @change=${this.#onSortSelect} .value=${effective} aria-describedby="sort-order">
          ${CONNZ_SORT_KEYS.filter((s) => (!s.closedOnly || closed) && (!s.since210 || rtt)).map(
            (s) => html`<option value=${s.key} ?selected=${s.key === effective}>${s.label}</option>`,
          )}
        </select></label
      >
      <span id="sort-order" class="order muted">${sortInfo.direction === 'ascending' ? '↑' : '↓'} ${sortInfo.direction}, ${sortInfo.order} (server order)</span>
      <label
        >Account
        <input list="connz-accounts" .value=${this.account} @change=${this.#onAccount} placeholder="all" autocomplete="off" spellcheck="false" />
      </label>
      <datalist id="connz-accounts">${[...this.#accounts].sort().map((a) => html`<option value=${a}></option>`)}</datalist>
      <label
        >Client name
        <input type="search" .value=${this.nameFilter} @input=${this.#onName} placeholder="any" autocomplete="off" spellcheck="false" />
      </label>
    </div>`;
  }

  #renderRange(view: View): TemplateResult {
    const server = view.reply?.server;
    const where = server ? html` on <strong>${server.name}</strong>${server.ver ? html` <span class="muted">(nats-server ${server.ver})</span>` : nothing}` : nothing;
    if (view.count === 0 || view.rows.length === 0) {
      return html`<span role="status">0 ${this.#scanning() ? 'matching connections' : 'connections'}</span>${where}`;
    }
    const from = view.first + 1;
    const to = view.first + view.rows.length;
    return html`<span role="status">${formatNumber(from)}–${formatNumber(to)} of ${formatNumber(view.count)}${this.#scanning() ? ' matching' : ''}</span>${where}`;
  }

  #renderPager(view: View): TemplateResult {
    const size = this.#size();
    const atStart = view.first <= 0;
    const atEnd = view.first + size >= view.count;
    return html`<span class="pager" part="pager">
      <button class="prev" @click=${this.#onPrev} ?disabled=${atStart}><span aria-hidden="true">‹ </span>Previous page</button>
      <button class="next" @click=${this.#onNext} ?disabled=${atEnd}>Next page<span aria-hidden="true"> ›</span></button>
    </span>`;
  }

  #renderHead(cols: readonly ConnzColumn[]): TemplateResult {
    const sorted = this.effectiveSort;
    const rtt = this.#rttSupported();
    const th = (label: string, key?: string, num = false, title?: string, sticky = false) => {
      const info = key ? SORT_BY_KEY.get(key) : undefined;
      const sortable = info && (!info.since210 || rtt) && (!info.closedOnly || this.connectionState === 'closed');
      const active = sortable && sorted === key;
      return html`<th
        scope="col"
        class=${[num ? 'num' : '', sticky ? 'name' : ''].filter(Boolean).join(' ')}
        aria-sort=${active ? info!.direction : nothing}
        title=${title ?? nothing}
      >
        ${sortable
          ? html`<button data-sort=${key!} @click=${this.#onHeaderSort}>${label}${active ? (info!.direction === 'ascending' ? ' ↑' : ' ↓') : ''}</button>`
          : label}
      </th>`;
    };
    return html`<thead>
      <tr>
        ${cols.map((col) => th(col.label, col.sort, col.num, col.title, col.fixed))}
      </tr>
    </thead>`;
  }

  #renderRow(r: Row, tabbable: boolean, operator: boolean, cols: readonly ConnzColumn[]): TemplateResult {
    const { c } = r;
    const rates = this.#rates.get(r.key);
    const open = this.expanded?.key === r.key;
    const closed = !!c.stop;
    const user = c.authorized_user ?? '';
    const account = c.account ?? '';
    const names = operator ? humanNames({ nameTag: c.name_tag, jwt: c.jwt, serverVersion: r.server.ver }) : {};
    const host = c.ip?.includes(':') ? `[${c.ip}]:${c.port}` : `${c.ip}:${c.port}`;
    const client = [c.type ?? c.kind, [c.lang, c.version].filter(Boolean).join(' ')].filter(Boolean).join(' · ');
    const x: CellContext = { r, c, rates, operator, names, user, account, host, client, now: this.now() };
    return html`<tr
        class="conn"
        part="row"
        tabindex=${tabbable ? 0 : -1}
        aria-expanded=${open ? 'true' : 'false'}
        aria-level="1"
        data-key=${r.key}
        data-cid=${c.cid}
        data-server=${r.server.id}
        data-closed=${closed ? 'true' : 'false'}
      >
        ${cols.map((col) => col.cell(x))}
      </tr>
      ${open ? this.#renderDetail(r, cols.length) : nothing}`;
  }

  #renderDetail(r: Row, cols: number): TemplateResult {
    const { replies, error, loading } = this.#detail.snapshot;
    // Several servers may answer a PING with the same cid: take the row's server's.
    const reply = replies?.find((x) => x.server.id === r.server.id) ?? (replies?.length === 1 ? replies[0] : undefined);
    const fresh = reply?.data?.connections?.find((c) => c.cid === r.c.cid);
    const c = fresh ?? r.c;
    const detail = c.subscriptions_list_detail;
    const list = c.subscriptions_list;
    const subs: TemplateResult | string = detail
      ? html`${detail.slice(0, MAX_DETAIL_SUBS).map(
          (s) => html`<li>
            <span class="mono">${s.subject}</span>${s.qgroup ? html` <span class="muted">queue ${s.qgroup}</span>` : nothing}${s.msgs !== undefined
              ? html` <span class="muted">· ${formatCount(s.msgs)} msgs</span>`
              : nothing}
          </li>`,
        )}`
      : list
        ? html`${list.slice(0, MAX_DETAIL_SUBS).map((s) => html`<li class="mono">${s}</li>`)}`
        : '';
    const total = detail?.length ?? list?.length ?? 0;
    let subsBlock: TemplateResult;
    if (detail || list) {
      subsBlock = total
        ? html`<ul class="subs" part="subscriptions" tabindex="0" aria-label=${`Subscriptions of connection ${c.cid}`}>${subs}</ul>
            ${total > MAX_DETAIL_SUBS ? html`<p class="note muted">Showing ${formatNumber(MAX_DETAIL_SUBS)} of ${formatNumber(total)} subscriptions.</p>` : nothing}`
        : html`<p class="note muted">No subscriptions.</p>`;
    } else if (error) {
      subsBlock = html`<p class="note" role="alert">Subscriptions: ${error.message}</p>`;
    } else if (replies && !fresh) {
      subsBlock = html`<p class="note muted">The server no longer lists this connection.</p>`;
    } else {
      subsBlock = html`<p class="note muted" role="status">${loading || !replies ? 'Loading subscriptions…' : 'No subscriptions.'}</p>`;
    }
    return html`<tr class="detail" part="detail" aria-level="2">
      <td colspan=${cols}>
        <dl class="detail-grid">
          <dt>Connection</dt>
          <dd>${c.cid} on ${r.server.name}${c.kind ? ` · ${c.kind}` : ''}${c.type ? ` (${c.type})` : ''}</dd>
          ${c.name_tag ? html`<dt>Name tag</dt><dd>${c.name_tag}</dd>` : nothing}
          ${c.tls_version ? html`<dt>TLS</dt><dd>${c.tls_version}${c.tls_cipher_suite ? ` · ${String(c.tls_cipher_suite)}` : ''}</dd>` : nothing}
          <dt>Last activity</dt>
          <dd>${formatTime(c.last_activity, this.now())}</dd>
          ${c.stop ? html`<dt>Closed</dt><dd>${formatTime(c.stop, this.now())}</dd>` : nothing}
          ${c.reason ? html`<dt>Reason</dt><dd>${c.reason}</dd>` : nothing}
          <dt>Subscriptions</dt>
          <dd>${formatCount(c.subscriptions)}</dd>
        </dl>
        ${subsBlock}
      </td>
    </tr>`;
  }
}
