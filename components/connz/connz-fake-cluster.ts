/**
 * A made-up cluster of nats-servers that answers CONNZ as nats-server does, for the tests and
 * stories of `<nunect-connz>` (not used by the element): a survey (`$SYS.REQ.SERVER.PING.CONNZ`)
 * gets one reply per running server, `$SYS.REQ.SERVER.<id>.CONNZ` that server's alone; each sorts
 * its own connections with nats-server's comparisons (monitor_sort_opts.go: only cid/start, uptime
 * and reason ascending, `start` by cid), then pages with a zero-based `offset` and `limit`
 * (default 1,024), filtering by `state`, `acc`, `user` (with `auth`) and `cid`. Equal values keep
 * cid order (nats-server leaves their order to its map; here it is fixed, so tests can check
 * every page). Times are kept in nanoseconds and sent as RFC 3339 with nanoseconds.
 */
import { NunectError } from '../../client/errors.js';
import type { ConnInfo } from '../../client/monitor-types.js';

export interface FakeConn {
  cid: number;
  startNs: bigint;
  lastNs: bigint;
  stopNs?: bigint;
  reason?: string;
  subs: number;
  pending: number;
  inMsgs: number;
  outMsgs: number;
  inBytes: number;
  outBytes: number;
  rttNs: number;
  name?: string;
  account: string;
  user: string;
}

export interface FakeServer {
  name: string;
  id: string;
  ver: string;
  /** The server's clock (CONNZ `now`). */
  nowNs: bigint;
  conns: FakeConn[];
  /** Not answering (crashed): no reply to anything. */
  down?: boolean;
}

const BASE_NS = BigInt(Date.parse('2026-11-29T09:00:00Z')) * 1_000_000n;
const ACCOUNTS = ['BRIDGE', 'ENGINE', 'PROVISION'];

/**
 * `count` connections of server number `s`, with counters that repeat (ties) and start times that
 * grow with the cid, as a server numbers its connections.
 */
export function fakeConns(s: number, count: number, firstCid = 1): FakeConn[] {
  return Array.from({ length: count }, (_, i) => {
    const cid = firstCid + i;
    const busy = (i * 7 + s * 3) % 11;
    return {
      cid,
      startNs: BASE_NS + BigInt(cid) * 1_000_123n + BigInt(s * 333),
      lastNs: BASE_NS + 3_600_000_000_000n + BigInt(((i * 37 + s) % 97) * 1_000_000_007),
      subs: (i % 4) + 1,
      pending: i % 13 === 0 ? 512 : 0,
      inMsgs: busy * 100,
      outMsgs: (i * 13 + s) % 29,
      inBytes: busy * 100 * 64,
      outBytes: ((i * 31 + s * 5) % 23) * 1_000,
      rttNs: (((i * 17 + s) % 9) + 1) * 250_000,
      name: `s${s + 1}-client-${i + 1}`,
      account: ACCOUNTS[(i + s) % 3]!,
      user: ACCOUNTS[(i + s) % 3]!.toLowerCase(),
    };
  });
}

/** Servers `nats-1`, `nats-2`, … with the given numbers of connections. */
export function fakeCluster(counts: readonly number[], ver = '2.15.2'): FakeServer[] {
  return counts.map((count, s) => ({
    name: `nats-${s + 1}`,
    id: `NFAKE${s + 1}${'X'.repeat(50)}`,
    ver,
    nowNs: BASE_NS + 7_200_000_000_000n + BigInt(s * 1_000_003),
    conns: fakeConns(s, count),
  }));
}

/** RFC 3339 with nanoseconds, as Go writes `time.Time`. */
export function isoNs(ns: bigint): string {
  const ms = ns / 1_000_000n;
  const rest = (ns % 1_000_000n).toString().padStart(6, '0');
  return new Date(Number(ms)).toISOString().replace(/\.(\d{3})Z$/, `.$1${rest}Z`);
}

function goSeconds(ns: bigint): string {
  return `${ns / 1_000_000_000n}s`;
}

type Value = number | bigint | string;

/**
 * What each sort key compares (nats-server's `Less`), and whether it sorts ascending (otherwise
 * `sort.Reverse`). `start` sorts by cid on the server; start times grow with cids, so it is the
 * same order.
 */
const KEYS: Record<string, { value: (c: FakeConn, now: bigint) => Value; ascending?: boolean }> = {
  cid: { value: (c) => c.cid, ascending: true },
  start: { value: (c) => c.startNs, ascending: true },
  subs: { value: (c) => c.subs },
  pending: { value: (c) => c.pending },
  msgs_to: { value: (c) => c.outMsgs },
  msgs_from: { value: (c) => c.inMsgs },
  bytes_to: { value: (c) => c.outBytes },
  bytes_from: { value: (c) => c.inBytes },
  last: { value: (c) => c.lastNs },
  idle: { value: (c, now) => now - c.lastNs },
  uptime: { value: (c, now) => (c.stopNs ?? now) - c.startNs, ascending: true },
  stop: { value: (c) => c.stopNs ?? 0n },
  reason: { value: (c) => c.reason ?? '', ascending: true },
  rtt: { value: (c) => c.rttNs },
};

function order(sort: string, a: { c: FakeConn; now: bigint }, b: { c: FakeConn; now: bigint }): number {
  const k = KEYS[sort]!;
  const x = k.value(a.c, a.now);
  const y = k.value(b.c, b.now);
  return (x < y ? -1 : x > y ? 1 : 0) * (k.ascending ? 1 : -1);
}

/** A server's connections in the state, sorted for `sort` as the server sorts them (equal values in cid order). */
function sorted(s: FakeServer, sort: string, list: readonly FakeConn[]): FakeConn[] {
  return [...list].sort((a, b) => order(sort, { c: a, now: s.nowNs }, { c: b, now: s.nowNs }) || a.cid - b.cid);
}

function connInfo(c: FakeConn, now: bigint, auth: boolean, subs: boolean): ConnInfo {
  return {
    cid: c.cid,
    kind: 'Client',
    type: c.cid % 3 ? 'nats' : 'websocket',
    ip: '10.0.0.1',
    port: 30_000 + (c.cid % 30_000),
    start: isoNs(c.startNs),
    last_activity: isoNs(c.lastNs),
    ...(c.stopNs !== undefined ? { stop: isoNs(c.stopNs), reason: c.reason } : {}),
    rtt: `${c.rttNs / 1_000_000}ms`,
    uptime: goSeconds((c.stopNs ?? now) - c.startNs),
    idle: goSeconds(now - c.lastNs),
    pending_bytes: c.pending,
    in_msgs: c.inMsgs,
    out_msgs: c.outMsgs,
    in_bytes: c.inBytes,
    out_bytes: c.outBytes,
    subscriptions: c.subs,
    ...(subs
      ? {
          subscriptions_list_detail: Array.from({ length: c.subs }, (_, k) => ({
            subject: `app.${c.account.toLowerCase()}.${k}.>`,
            sid: String(k + 1),
            msgs: 0,
          })),
        }
      : {}),
    name: c.name,
    lang: 'go',
    version: '1.37.0',
    ...(auth ? { authorized_user: c.user, account: c.account } : {}),
  };
}

/** One server's CONNZ reply envelope for a request body, as nats-server builds it. */
export function connzReply(s: FakeServer, body: Record<string, unknown>): unknown {
  const server = { name: s.name, id: s.id, ver: s.ver };
  const sort = String(body.sort || 'cid');
  const state = Number(body.state ?? 0);
  const atLeast210 = !/^2\.[0-9]\./.test(s.ver);
  const invalid = !KEYS[sort] || (sort === 'rtt' && !atLeast210);
  if (invalid) return { server, error: { code: 400, description: `invalid sorting option: ${sort}` } };
  if ((sort === 'stop' || sort === 'reason') && state !== 1)
    return { server, error: { code: 400, description: `sort by ${sort} only valid on closed connections` } };
  const auth = body.auth === true;
  let list = s.conns.filter((c) => (state === 2 ? true : state === 1 ? c.stopNs !== undefined : c.stopNs === undefined));
  if (body.cid) list = list.filter((c) => c.cid === Number(body.cid));
  if (auth && body.acc) list = list.filter((c) => c.account === body.acc);
  if (auth && body.user) list = list.filter((c) => c.user === body.user);
  const all = sorted(s, sort, list);
  const limit = Number(body.limit) > 0 ? Number(body.limit) : 1024;
  const offset = Math.min(Math.max(Number(body.offset ?? 0), 0), all.length);
  const page = all.slice(offset, offset + Math.min(limit, all.length - offset));
  const subs = body.subscriptions_detail === true;
  return {
    server,
    data: {
      server_id: s.id,
      now: isoNs(s.nowNs),
      num_connections: page.length,
      total: all.length,
      offset,
      limit,
      connections: page.map((c) => connInfo(c, s.nowNs, auth, subs)),
    },
  };
}

/**
 * A responder for the fake client (`fake.respond('CONNZ', answerConnz(servers))`): every running
 * server answers a survey, one server its own request; a request to a server that is down or
 * unknown has no responders.
 */
export function answerConnz(servers: readonly FakeServer[]): (subject: string, body: unknown) => unknown[] {
  return (subject, body) => {
    const b = (body ?? {}) as Record<string, unknown>;
    const up = servers.filter((s) => !s.down);
    if (subject === '$SYS.REQ.SERVER.PING.CONNZ') return up.map((s) => connzReply(s, b));
    const one = up.find((s) => subject === `$SYS.REQ.SERVER.${s.id}.CONNZ`);
    if (!one) throw new NunectError('NO_RESPONDERS', `no responders on ${subject}`);
    return [connzReply(one, b)];
  };
}

/**
 * Every open connection of the running servers in the order a cluster-wide list must show them:
 * by the key's value (against each one's server clock), equal values by server name, then cid.
 * As `<server id>:<cid>` keys.
 */
export function clusterOrder(servers: readonly FakeServer[], sort: string, keep: (c: FakeConn) => boolean = () => true): string[] {
  const all = servers.filter((s) => !s.down).flatMap((s) => s.conns.filter((c) => c.stopNs === undefined && keep(c)).map((c) => ({ s, c, now: s.nowNs })));
  all.sort((a, b) => order(sort, a, b) || (a.s.name < b.s.name ? -1 : a.s.name > b.s.name ? 1 : 0) || a.c.cid - b.c.cid);
  return all.map(({ s, c }) => `${s.id}:${c.cid}`);
}
