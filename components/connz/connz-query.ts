/**
 * What `<nunect-connz>` asks the server and makes of the answers, without Lit: the sort keys and
 * which of them a server and a state allow, the CONNZ parameters of a page, a detail row and the
 * discovery of servers, merging a reply into rows (and filtering them by name), the rates per
 * connection, and the paging a view says.
 */
import type { ConnInfo, Connz, MonitorParams, MonitorReply, ServerRef } from '../../client/monitor-types.js';
import { RateTracker } from '../../src/monitor/rates.js';

/** Which connections to list: CONNZ `state` 0, 1 and 2. */
export type ConnzConnectionState = 'open' | 'closed' | 'all';
export const STATE_CODE: Readonly<Record<ConnzConnectionState, number>> = { open: 0, closed: 1, all: 2 };

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

/** The sort key's description, if the server knows the key. */
export function sortKeyInfo(key: string): ConnzSortKey | undefined {
  return SORT_BY_KEY.get(key);
}

/** Whether the server takes `key` for `state` (closed-only keys) and its version (`rtt` from 2.10). */
export function sortAllowed(key: string, state: ConnzConnectionState, rttSupported: boolean): boolean {
  const s = SORT_BY_KEY.get(key);
  return !!s && (!s.closedOnly || state === 'closed') && (!s.since210 || rttSupported);
}

/** The sort key actually sent: `sort` unless the server or the state would refuse it (then `cid`). */
export function effectiveSort(sort: string, state: ConnzConnectionState, rttSupported: boolean): string {
  return sortAllowed(sort, state, rttSupported) ? sort : 'cid';
}

/** The sort keys to offer, in the server's order. */
export function sortKeysFor(state: ConnzConnectionState, rttSupported: boolean): ConnzSortKey[] {
  return CONNZ_SORT_KEYS.filter((s) => sortAllowed(s.key, state, rttSupported));
}

/**
 * With a name filter the widget asks for this many connections from offset 0 (in the chosen sort
 * order and state/account filter) and filters them by name in the browser: the server has no name
 * filter. Connections beyond the first 1,024 are not searched; the widget says so.
 */
export const NAME_SCAN_LIMIT = 1024;

/** Connections per page: a whole number from 1 (50 for nonsense). */
export function pageSize(n: number): number {
  return Math.max(1, Math.floor(n) || 50);
}

/** Whether a name filter is set (the widget then scans and filters in the browser). */
export function scanning(nameFilter: string): boolean {
  return nameFilter.trim() !== '';
}

/** What the page poll asks. */
export interface ConnzQuery {
  state: ConnzConnectionState;
  /** The sort key to send (see `effectiveSort`). */
  sort: string;
  /** First row of the page (server offset, or offset among the name matches). */
  offset: number;
  /** Rows per page (see `pageSize`). */
  size: number;
  /** Only this account (empty: all). */
  account: string;
  nameFilter: string;
}

/** The CONNZ parameters of a page: one page from the server, or the first 1,024 to filter by name. */
export function pageParams(q: ConnzQuery): MonitorParams {
  const scan = scanning(q.nameFilter);
  return {
    auth: true,
    state: STATE_CODE[q.state] ?? 0,
    sort: q.sort,
    offset: scan ? 0 : q.offset,
    limit: scan ? NAME_SCAN_LIMIT : q.size,
    acc: q.account.trim() || undefined,
  };
}

/**
 * The CONNZ parameters of an open row: that connection alone, with its subscriptions. nats-server
 * 2.9 finds a cid with state 0 (open) or 1 (closed), not with 2 (all).
 */
export function detailParams(cid: number, closed: boolean): MonitorParams {
  return { auth: true, cid, state: closed ? 1 : 0, subscriptions_detail: true };
}

/** How often the servers of a cluster are asked for while the page asks one of them. */
export const DISCOVERY_INTERVAL = 30_000;

/** The CONNZ parameters of the slow PING that finds the servers of a cluster (one connection each). */
export const DISCOVERY_PARAMS: MonitorParams = { limit: 1 };

/** One connection of one server. */
export interface ConnzRow {
  /** `<server id>:<cid>`: unique across the servers of a cluster. */
  key: string;
  server: ServerRef;
  c: ConnInfo;
}

/** The rows of a reply, in the server's order. */
export function rowsOf(reply: MonitorReply<Connz> | undefined): ConnzRow[] {
  const list = reply?.data?.connections;
  if (!reply || !Array.isArray(list)) return [];
  return list.map((c) => ({ key: `${reply.server.id}:${c.cid}`, server: reply.server, c }));
}

/** The rows whose client name contains `nameFilter` (case-insensitive). */
export function nameMatches(reply: MonitorReply<Connz> | undefined, nameFilter: string): ConnzRow[] {
  const needle = nameFilter.trim().toLowerCase();
  return rowsOf(reply).filter((r) => (r.c.name ?? '').toLowerCase().includes(needle));
}

/**
 * The reply of the server shown: the one named `shown`, else (when no server was asked for by
 * name, `strict` false) the first.
 */
export function pickReply(replies: readonly MonitorReply<Connz>[] | undefined, shown: string | undefined, strict: boolean): MonitorReply<Connz> | undefined {
  if (!replies?.length) return undefined;
  const found = shown ? replies.find((r) => r.server.name === shown) : undefined;
  return found ?? (strict ? undefined : replies[0]);
}

/** What a page shows. */
export interface ConnzView {
  reply?: MonitorReply<Connz>;
  rows: ConnzRow[];
  /** Index of the first row shown, in the list the range refers to. */
  first: number;
  /** Matches the range refers to (total of the server, or name matches in the scanned list). */
  count: number;
  /** Name filter active: how many connections were scanned, of how many. */
  scanned?: { n: number; of: number };
}

/** The page of `reply` to show: at most `size` rows from `offset` (or of the name matches). */
export function connzView(reply: MonitorReply<Connz> | undefined, q: Pick<ConnzQuery, 'offset' | 'size' | 'nameFilter'>): ConnzView {
  const d = reply?.data;
  if (!reply || !d) return { reply, rows: [], first: 0, count: 0 };
  if (scanning(q.nameFilter)) {
    const matches = nameMatches(reply, q.nameFilter);
    const first = Math.min(q.offset, Math.max(0, Math.floor((matches.length - 1) / q.size) * q.size));
    return {
      reply,
      rows: matches.slice(first, first + q.size),
      first,
      count: matches.length,
      scanned: { n: d.connections?.length ?? 0, of: d.total ?? 0 },
    };
  }
  // Never more than one page of rows, even if a server sends more than asked for.
  return { reply, rows: rowsOf(reply).slice(0, q.size), first: d.offset ?? 0, count: d.total ?? 0 };
}

/** What the range line and the pager of a view say. */
export interface ConnzPaging {
  first: number;
  shown: number;
  total: number;
  /** Nothing to show: the range says "0 connections". */
  none: boolean;
  hasNext: boolean;
}

export function paging(view: ConnzView, size: number): ConnzPaging {
  const shown = view.rows.length;
  return { first: view.first, shown, total: view.count, none: view.count === 0 || shown === 0, hasNext: view.first + size < view.count };
}

/**
 * Connections went away and the page is past the end: the offset of the last page (undefined: the
 * page is fine). Not while filtering by name (that page is clamped in `connzView`).
 */
export function offsetPastEnd(data: Connz | undefined, offset: number, size: number, nameFilter: string): number | undefined {
  if (!data || scanning(nameFilter) || data.offset !== offset || offset <= 0 || offset < data.total) return undefined;
  return data.total > 0 ? Math.floor((data.total - 1) / size) * size : 0;
}

/** A connection's address: `ip:port`, IPv6 in brackets. */
export function hostPort(c: ConnInfo): string {
  return c.ip?.includes(':') ? `[${c.ip}]:${c.port}` : `${c.ip}:${c.port}`;
}

/** What a client says about itself: kind or type, language and library version (`websocket · nats.ws 3.4.0`). */
export function clientLabel(c: ConnInfo): string {
  return [c.type ?? c.kind, [c.lang, c.version].filter(Boolean).join(' ')].filter(Boolean).join(' · ');
}

/** The connection as the detail poll of an open row has it (several servers may answer a PING with the same cid). */
export function detailConnection(replies: readonly MonitorReply<Connz>[] | undefined, serverId: string, cid: number): ConnInfo | undefined {
  const reply = replies?.find((x) => x.server.id === serverId) ?? (replies?.length === 1 ? replies[0] : undefined);
  return reply?.data?.connections?.find((c) => c.cid === cid);
}

export type ConnzCounter = 'in_msgs' | 'out_msgs' | 'in_bytes' | 'out_bytes';
export type ConnzRates = Partial<Record<ConnzCounter, number>>;

/** Accounts remembered for the account filter's suggestions. */
export const MAX_ACCOUNTS = 200;

/**
 * Rates per connection (messages and bytes per second in and out) from the counter deltas between
 * two replies over the server's clock (`now` of the reply), for the rows that can be shown; and the
 * accounts seen, for the account filter's suggestions.
 */
export class ConnzTraffic {
  #trackers = new Map<string, RateTracker<ConnzCounter>>();
  #rates = new Map<string, ConnzRates>();
  readonly accounts = new Set<string>();

  /** Takes in the rows of a reply made at `now` (the server's clock); forgets the connections not among them. */
  update(rows: readonly ConnzRow[], now: string | undefined): void {
    const seen = new Set<string>();
    for (const { key, c } of rows) {
      seen.add(key);
      if (c.account && this.accounts.size < MAX_ACCOUNTS) this.accounts.add(c.account);
      if (!now) continue;
      let t = this.#trackers.get(key);
      if (!t) this.#trackers.set(key, (t = new RateTracker<ConnzCounter>()));
      const rates = t.update(now, { in_msgs: c.in_msgs, out_msgs: c.out_msgs, in_bytes: c.in_bytes, out_bytes: c.out_bytes });
      if (rates) this.#rates.set(key, rates);
    }
    for (const key of this.#trackers.keys()) {
      if (!seen.has(key)) {
        this.#trackers.delete(key);
        this.#rates.delete(key);
      }
    }
  }

  /** The rates of a row (undefined until two replies had it). */
  rates(key: string): ConnzRates | undefined {
    return this.#rates.get(key);
  }

  clear(): void {
    this.#trackers.clear();
    this.#rates.clear();
    this.accounts.clear();
  }
}

/**
 * A function that remembers its last answer: called again with the same arguments (each the
 * same by `Object.is`), it returns that answer without computing it again. For derived state that
 * a render and a poll callback both need.
 */
export function lastResult<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
  let last: { args: A; result: R } | undefined;
  return (...args: A): R => {
    if (last && last.args.length === args.length && last.args.every((a, i) => Object.is(a, args[i]))) return last.result;
    const result = fn(...args);
    last = { args, result };
    return result;
  };
}
