/**
 * What `<nunect-connz>` asks the server and makes of the answers, without Lit: the sort keys and
 * which of them a server and a state allow, the CONNZ parameters of a page, a detail row and the
 * discovery of servers, merging a reply into rows (and filtering them by name), the rates per
 * connection, and the paging a view says; for the whole cluster, which requests a page needs and
 * the merge of every server's sorted connections into one list (see {@link clusterView}).
 */
import type { ConnInfo, Connz, MonitorParams, MonitorReply, ServerRef } from '../../client/monitor-types.js';
import { parseGoDuration } from '../../src/monitor/format.js';
import { RateTracker } from '../../src/monitor/rates.js';
import { timestampMs } from '../event-log/parse-event.js';

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
  /** The server's clock when it answered (CONNZ `now`): rates, idle time and uptime are relative to it. */
  now?: string;
}

/** The rows of a reply, in the server's order. */
export function rowsOf(reply: MonitorReply<Connz> | undefined): ConnzRow[] {
  const list = reply?.data?.connections;
  if (!reply || !Array.isArray(list)) return [];
  const now = reply.data?.now;
  return list.map((c) => ({ key: `${reply.server.id}:${c.cid}`, server: reply.server, c, now }));
}

/** The rows whose client name contains `nameFilter` (case-insensitive). */
export function rowsMatching(rows: readonly ConnzRow[], nameFilter: string): ConnzRow[] {
  const needle = nameFilter.trim().toLowerCase();
  return rows.filter((r) => (r.c.name ?? '').toLowerCase().includes(needle));
}

/** The rows of a reply whose client name contains `nameFilter` (case-insensitive). */
export function nameMatches(reply: MonitorReply<Connz> | undefined, nameFilter: string): ConnzRow[] {
  return rowsMatching(rowsOf(reply), nameFilter);
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
  if (!data || scanning(nameFilter) || data.offset !== offset) return undefined;
  return pastEnd(data.total, offset, size);
}

/** The offset of the last page when `offset` lies past `total` rows (undefined: the page is fine). */
export function pastEnd(total: number, offset: number, size: number): number | undefined {
  if (offset <= 0 || offset < total) return undefined;
  return total > 0 ? Math.floor((total - 1) / size) * size : 0;
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

  /**
   * Takes in rows made at `now` (a server's clock), else each at its own server's clock (the row's
   * `now`); forgets the connections not among them.
   */
  update(rows: readonly ConnzRow[], now?: string): void {
    const seen = new Set<string>();
    for (const { key, c, now: rowNow } of rows) {
      const at = now ?? rowNow;
      seen.add(key);
      if (c.account && this.accounts.size < MAX_ACCOUNTS) this.accounts.add(c.account);
      if (!at) continue;
      let t = this.#trackers.get(key);
      if (!t) this.#trackers.set(key, (t = new RateTracker<ConnzCounter>()));
      const rates = t.update(at, { in_msgs: c.in_msgs, out_msgs: c.out_msgs, in_bytes: c.in_bytes, out_bytes: c.out_bytes });
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

// -------------------------------------------------------------------------------------------------
// The whole cluster in one list

/**
 * The most connections one CONNZ request asks a server for: a reply travels as one NATS message
 * (`max_payload`, 1 MB by default) and a connection takes about 500 bytes of it.
 */
export const CONNZ_MAX_LIMIT = 1024;

/**
 * How many connections of each server a cluster page needs: the first `offset + size` in the sort
 * order (the page can only hold those), or the first 1,024 to filter by name.
 */
export function clusterNeed(q: Pick<ConnzQuery, 'offset' | 'size' | 'nameFilter'>): number {
  return scanning(q.nameFilter) ? NAME_SCAN_LIMIT : q.offset + q.size;
}

/**
 * The survey (`$SYS.REQ.SERVER.PING.CONNZ`: every server answers) of a cluster page: each server's
 * first `min(need, 1,024)` connections in the sort order, from offset 0.
 */
export function clusterParams(q: ConnzQuery, max = CONNZ_MAX_LIMIT): MonitorParams {
  return { ...pageParams(q), offset: 0, limit: Math.min(clusterNeed(q), max) };
}

/** A further request of a cluster page: one server (by id), from a zero-based offset. */
export interface ConnzChunk {
  serverId: string;
  offset: number;
  limit: number;
}

/** Names a chunk (`<server id>@<offset>`). */
export function chunkKey(serverId: string, offset: number): string {
  return `${serverId}@${offset}`;
}

/** The CONNZ parameters of a chunk: the page's query, that offset and limit. */
export function chunkParams(q: ConnzQuery, chunk: ConnzChunk): MonitorParams {
  return { ...pageParams(q), offset: chunk.offset, limit: chunk.limit };
}

/**
 * The requests a cluster page needs beyond the survey: for each server with more connections than
 * the survey brought, its next ones by id in steps of `max` with zero-based offsets (`max`,
 * `2·max`, …, up to `min(need, total)`), so no connection is skipped or read twice. None while
 * the page lies within each server's first `max`.
 */
export function moreChunks(first: readonly MonitorReply<Connz>[] | undefined, need: number, max = CONNZ_MAX_LIMIT): ConnzChunk[] {
  const chunks: ConnzChunk[] = [];
  for (const r of first ?? []) {
    if (r.error || !r.data) continue;
    const want = Math.min(need, r.data.total ?? 0);
    for (let offset = max; offset < want; offset += max) chunks.push({ serverId: r.server.id, offset, limit: Math.min(max, want - offset) });
  }
  return chunks;
}

/** What came of a chunk's request: its reply, or why there is none (nothing yet: neither). */
export interface ChunkResult {
  reply?: MonitorReply<Connz>;
  error?: string;
}

/** One server's part of a cluster page. */
export interface ServerList {
  server: ServerRef;
  /** Connections the server has (in the chosen state and account). */
  total: number;
  /** Its first connections in its own order: as many as the page needs (fewer while a chunk is missing). */
  rows: ConnzRow[];
  /** A chunk the page needs has not come yet. */
  pending: boolean;
  /** A chunk the page needs failed: why. The page may then lack some of this server's connections. */
  failed?: string;
}

/**
 * Every answering server's first `need` connections: the survey's reply, then the chunks by
 * offset (a connection that moved between two chunks' requests is kept once). Servers that
 * answered with an error are not among them (the widget names them).
 */
export function serverLists(
  first: readonly MonitorReply<Connz>[] | undefined,
  chunks: ReadonlyMap<string, ChunkResult>,
  need: number,
  max = CONNZ_MAX_LIMIT,
): ServerList[] {
  const lists: ServerList[] = [];
  for (const r of first ?? []) {
    if (r.error || !r.data) continue;
    const total = r.data.total ?? 0;
    const want = Math.min(need, total);
    const rows = rowsOf(r).slice(0, Math.min(want, max));
    const seen = new Set(rows.map((x) => x.key));
    // A reply to a smaller request (the previous page's) is not enough for this page.
    let pending = short(r.data, rows.length, Math.min(want, max));
    let failed: string | undefined;
    // Only contiguous chunks: a server that sent fewer than asked has no more.
    for (let offset = max; !pending && offset < want && rows.length === offset; offset += max) {
      const got = chunks.get(chunkKey(r.server.id, offset));
      const data = got?.reply?.data;
      if (!data || data.offset !== offset) {
        if (got?.error) failed = got.error;
        else pending = true;
        break;
      }
      for (const x of rowsOf(got.reply).slice(0, Math.min(max, want - offset))) {
        if (seen.has(x.key)) continue;
        seen.add(x.key);
        rows.push(x);
      }
      // (Connections that went away between the survey and this request leave a gap: the list ends there.)
      pending = short(data, rows.length - offset, Math.min(max, want - offset));
    }
    lists.push({ server: r.server, total, rows: rows.slice(0, want), pending, failed });
  }
  return lists;
}

/** A reply with fewer than `wanted` rows because it answered a smaller request (not because the server has no more). */
function short(data: Connz, got: number, wanted: number): boolean {
  return got < wanted && (data.limit ?? 0) < wanted;
}

/** The time of an RFC 3339 timestamp in nanoseconds since the epoch (CONNZ times carry nanoseconds). */
export function timeNs(ts: string | undefined): bigint | undefined {
  const ms = timestampMs(ts);
  if (ms === undefined || !ts) return undefined;
  const fraction = /^\.(\d+)/.exec(ts.slice(19))?.[1] ?? '';
  return BigInt(ms) * 1_000_000n + BigInt(fraction.slice(3, 9).padEnd(6, '0'));
}

type SortValue = number | bigint | string;

/**
 * What a sort key compares of a row, as nats-server compares it: counters, times to the
 * nanosecond, idle time and uptime against the row's server clock, the round-trip time, the close
 * reason. (`start` is the start time: nats-server sorts its own list by cid for it, which is its
 * start order; across servers the time is what can be compared.)
 */
export function sortValue(key: string, r: ConnzRow): SortValue {
  const c = r.c;
  const time = (ts: string | undefined) => timeNs(ts) ?? 0n;
  switch (key) {
    case 'start':
      return time(c.start);
    case 'subs':
      return c.subscriptions ?? 0;
    case 'pending':
      return c.pending_bytes ?? 0;
    case 'msgs_to':
      return c.out_msgs ?? 0;
    case 'msgs_from':
      return c.in_msgs ?? 0;
    case 'bytes_to':
      return c.out_bytes ?? 0;
    case 'bytes_from':
      return c.in_bytes ?? 0;
    case 'last':
      return time(c.last_activity);
    case 'idle':
      return time(r.now) - time(c.last_activity);
    case 'uptime':
      return (c.stop ? time(c.stop) : time(r.now)) - time(c.start);
    case 'stop':
      return time(c.stop);
    case 'reason':
      return c.reason ?? '';
    case 'rtt':
      return parseGoDuration(c.rtt) ?? 0;
    default:
      return c.cid;
  }
}

function compare(a: SortValue | string, b: SortValue | string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Merges lists that each server sorted by `sort` into one list in that order: at each step the
 * best of the lists' first remaining rows, ties broken by server name, then cid. Each server's
 * own order is kept, so the first `n` rows of the merge are made of each server's first rows only
 * — which is why a page needs no more than each server's first `offset + size`. Stops after
 * `limit` rows.
 */
export function mergeRows(lists: readonly (readonly ConnzRow[])[], sort: string, limit = Infinity): ConnzRow[] {
  const sign = sortKeyInfo(sort)?.direction === 'descending' ? -1 : 1;
  const values = lists.map((l) => l.map((r) => sortValue(sort, r)));
  const at = lists.map(() => 0);
  const before = (i: number, j: number): boolean => {
    const a = lists[i]![at[i]!]!;
    const b = lists[j]![at[j]!]!;
    const by = sign * compare(values[i]![at[i]!]!, values[j]![at[j]!]!) || compare(a.server.name, b.server.name) || a.c.cid - b.c.cid;
    return by < 0;
  };
  const out: ConnzRow[] = [];
  while (out.length < limit) {
    let best = -1;
    for (let i = 0; i < lists.length; i++) if (at[i]! < lists[i]!.length && (best < 0 || before(i, best))) best = i;
    if (best < 0) break;
    out.push(lists[best]![at[best]!++]!);
  }
  return out;
}

/** One server's count in a cluster view. */
export interface ServerCount {
  name: string;
  id: string;
  /** Its connections (in the chosen state and account). */
  total: number;
  /** With a name filter: its matches among those scanned. */
  matches?: number;
}

/** What a cluster page shows. */
export interface ClusterView extends ConnzView {
  /** The answering servers, by name, with their counts. */
  servers: ServerCount[];
  /** A chunk the page needs has not come yet (the rows may not be the page's yet). */
  pending: boolean;
  /** Servers whose further connections could not be read, and why. */
  failed: Array<{ name: string; message: string }>;
}

/**
 * The page of the merged list: `mergeRows` of every server's first `offset + size`, from `offset`
 * (zero-based), counted over every server's total; with a name filter, the matches among each
 * server's first 1,024, merged and paged in the browser.
 */
export function clusterView(lists: readonly ServerList[], q: Pick<ConnzQuery, 'sort' | 'offset' | 'size' | 'nameFilter'>): ClusterView {
  const scan = scanning(q.nameFilter);
  const byName = [...lists].sort((a, b) => compare(a.server.name, b.server.name));
  const parts = byName.map((l) => (scan ? rowsMatching(l.rows, q.nameFilter) : l.rows));
  const servers = byName.map((l, i) => ({ name: l.server.name, id: l.server.id, total: l.total, ...(scan ? { matches: parts[i]!.length } : {}) }));
  const pending = lists.some((l) => l.pending);
  const failed = byName.filter((l) => l.failed).map((l) => ({ name: l.server.name, message: l.failed! }));
  const sum = (f: (l: ServerList) => number) => lists.reduce((n, l) => n + f(l), 0);
  if (scan) {
    const matches = mergeRows(parts, q.sort);
    const first = Math.min(q.offset, Math.max(0, Math.floor((matches.length - 1) / q.size) * q.size));
    const scanned = { n: sum((l) => l.rows.length), of: sum((l) => l.total) };
    return { rows: matches.slice(first, first + q.size), first, count: matches.length, scanned, servers, pending, failed };
  }
  const merged = mergeRows(parts, q.sort, q.offset + q.size);
  return { rows: merged.slice(q.offset), first: q.offset, count: sum((l) => l.total), servers, pending, failed };
}
