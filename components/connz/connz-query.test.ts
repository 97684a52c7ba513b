import { expect } from '@open-wc/testing';
import type { ConnInfo, Connz, MonitorParams, MonitorReply } from '../../client/monitor-types.js';
import connz29 from '../../test/fixtures/2.9.10/connz.json' with { type: 'json' };
import { answerConnz, clusterOrder, fakeCluster, type FakeServer } from './connz-fake-cluster.js';
import * as q from './connz-query.js';

/** A connection of the fixture, made the i-th of a list (cid i + 1, counters i). */
const BASE = (connz29 as unknown as MonitorReply<Connz>[])[0]!.data!.connections[0]!;
function conn(i: number, extra: Partial<ConnInfo> = {}): ConnInfo {
  const counters = { in_msgs: i, out_msgs: i, in_bytes: i * 10, out_bytes: i * 10 };
  return { ...BASE, ...counters, cid: i + 1, port: 40_000 + i, name: `synthetic-${i + 1}`, account: i % 2 ? 'ENGINE' : 'BRIDGE', ...extra };
}

function reply(connections: ConnInfo[], opts: { offset?: number; total?: number; name?: string; id?: string; now?: string } = {}): MonitorReply<Connz> {
  const id = opts.id ?? 'NA';
  return {
    server: { name: opts.name ?? 'a', id },
    data: {
      server_id: id,
      now: opts.now ?? '2026-11-29T15:05:00Z',
      num_connections: connections.length,
      total: opts.total ?? connections.length,
      offset: opts.offset ?? 0,
      limit: connections.length,
      connections,
    },
  };
}

const query = (over: Partial<q.ConnzQuery> = {}): q.ConnzQuery => ({ state: 'open', sort: 'cid', offset: 0, size: 50, account: '', nameFilter: '', ...over });

describe('connz query', () => {
  it('allows a sort key only where the server takes it', () => {
    expect(q.sortAllowed('subs', 'open', false)).to.equal(true);
    expect(q.sortAllowed('stop', 'open', true), 'stop needs closed').to.equal(false);
    expect(q.sortAllowed('stop', 'closed', true)).to.equal(true);
    expect(q.sortAllowed('rtt', 'open', false), 'rtt needs 2.10').to.equal(false);
    expect(q.sortAllowed('rtt', 'open', true)).to.equal(true);
    expect(q.sortAllowed('nonsense', 'open', true)).to.equal(false);
    expect(q.effectiveSort('reason', 'all', true)).to.equal('cid');
    expect(q.effectiveSort('reason', 'closed', true)).to.equal('reason');
    expect(q.effectiveSort('rtt', 'open', false)).to.equal('cid');
    const open29 = q.sortKeysFor('open', false).map((s) => s.key);
    expect(open29).to.not.include.members(['rtt', 'stop', 'reason']);
    expect(q.sortKeysFor('closed', true)).to.have.length(q.CONNZ_SORT_KEYS.length);
  });

  it('asks for one page, or the first 1,024 to filter by name, with auth, state and account', () => {
    expect(q.pageParams(query({ offset: 100, size: 50, sort: 'msgs_from', account: ' ENGINE ' }))).to.deep.equal({
      auth: true,
      state: 0,
      sort: 'msgs_from',
      offset: 100,
      limit: 50,
      acc: 'ENGINE',
    });
    expect(q.pageParams(query({ state: 'closed', offset: 100, nameFilter: 'worker' }))).to.include({
      state: 1,
      offset: 0,
      limit: q.NAME_SCAN_LIMIT,
      acc: undefined,
    });
    expect(q.pageParams(query({ state: 'all' })).state).to.equal(2);
    // 2.9 finds a cid with state 0 or 1 only.
    expect(q.detailParams(8, false)).to.deep.equal({ auth: true, cid: 8, state: 0, subscriptions_detail: true });
    expect(q.detailParams(8, true).state).to.equal(1);
    expect([q.pageSize(0), q.pageSize(-3), q.pageSize(12.7), q.pageSize(Number.NaN)]).to.deep.equal([50, 1, 12, 50]);
  });

  it('merges a reply into rows keyed by server and cid; filters names case-insensitively', () => {
    const r = reply([conn(0), conn(1, { name: 'Engine-Worker' }), conn(2, { name: undefined })], { id: 'NX' });
    expect(q.rowsOf(r).map((x) => x.key)).to.deep.equal(['NX:1', 'NX:2', 'NX:3']);
    expect(q.rowsOf(undefined)).to.deep.equal([]);
    expect(q.rowsOf({ server: r.server, data: { ...r.data!, connections: null as unknown as ConnInfo[] } })).to.deep.equal([]);
    expect(q.nameMatches(r, '  worker ').map((x) => x.c.cid)).to.deep.equal([2]);
  });

  it('picks the shown server’s reply, or the first unless one was asked for by name', () => {
    const a = reply([conn(0)], { name: 'a', id: 'NA' });
    const b = reply([conn(1)], { name: 'b', id: 'NB' });
    expect(q.pickReply([a, b], 'b', true)).to.equal(b);
    expect(q.pickReply([a, b], 'c', false)).to.equal(a);
    expect(q.pickReply([a, b], 'c', true)).to.equal(undefined);
    expect(q.pickReply([], 'a', false)).to.equal(undefined);
  });

  it('shows at most one page, and pages through the name matches in the browser', () => {
    const all = Array.from({ length: 120 }, (_, i) => conn(i));
    const page = q.connzView(reply(all, { offset: 50, total: 1_234 }), { offset: 50, size: 50, nameFilter: '' });
    expect(page.rows).to.have.length(50);
    expect([page.first, page.count, page.scanned]).to.deep.equal([50, 1_234, undefined]);
    expect(q.paging(page, 50)).to.deep.equal({ first: 50, shown: 50, total: 1_234, none: false, hasNext: true });
    // synthetic-1, -10…-19, -100…-120: 32 matches; the page past them is clamped to the last one.
    const scan = q.connzView(reply(all, { total: 3_000 }), { offset: 200, size: 10, nameFilter: 'synthetic-1' });
    expect(scan.count).to.equal(32);
    expect(scan.first).to.equal(30);
    expect(scan.rows.map((r) => r.c.name)).to.deep.equal(['synthetic-119', 'synthetic-120']);
    expect(scan.scanned).to.deep.equal({ n: 120, of: 3_000 });
    expect(q.paging(scan, 10).hasNext).to.equal(false);
    const none = q.connzView(undefined, { offset: 0, size: 50, nameFilter: '' });
    expect(q.paging(none, 50)).to.include({ none: true, hasNext: false });
  });

  it('goes to the last page when connections went away past the current one', () => {
    const data = (offset: number, total: number) => reply([], { offset, total }).data!;
    expect(q.offsetPastEnd(data(100, 60), 100, 50, '')).to.equal(50);
    expect(q.offsetPastEnd(data(100, 0), 100, 50, '')).to.equal(0);
    expect(q.offsetPastEnd(data(50, 60), 50, 50, ''), 'still in range').to.equal(undefined);
    expect(q.offsetPastEnd(data(50, 60), 100, 50, ''), 'an older page’s reply').to.equal(undefined);
    expect(q.offsetPastEnd(data(100, 60), 100, 50, 'x'), 'name filter').to.equal(undefined);
  });

  it('computes rates per connection over the server clock, for the rows it is given', () => {
    const traffic = new q.ConnzTraffic();
    const busy = (n: number) => conn(0, { in_msgs: 1_000 + n * 200, in_bytes: 10_000 + n * 4_096 });
    traffic.update(q.rowsOf(reply([busy(0), conn(1)], { now: '2026-11-29T10:00:00Z' })), '2026-11-29T10:00:00Z');
    expect(traffic.rates('NA:1')).to.equal(undefined);
    traffic.update(q.rowsOf(reply([busy(1), conn(1)])), '2026-11-29T10:00:02Z');
    expect(traffic.rates('NA:1')).to.deep.equal({ in_msgs: 100, out_msgs: 0, in_bytes: 2_048, out_bytes: 0 });
    expect(traffic.rates('NA:2')).to.deep.equal({ in_msgs: 0, out_msgs: 0, in_bytes: 0, out_bytes: 0 });
    expect([...traffic.accounts].sort()).to.deep.equal(['BRIDGE', 'ENGINE']);
    // A connection no longer among the rows is forgotten.
    traffic.update(q.rowsOf(reply([conn(1)])), '2026-11-29T10:00:04Z');
    expect(traffic.rates('NA:1')).to.equal(undefined);
    traffic.clear();
    expect(traffic.rates('NA:2')).to.equal(undefined);
    expect(traffic.accounts.size).to.equal(0);
  });

  it('describes a connection: address (IPv6 in brackets) and client', () => {
    expect(q.hostPort(conn(0, { ip: '::1', port: 4222 }))).to.equal('[::1]:4222');
    expect(q.hostPort(conn(0, { ip: '10.0.0.1', port: 4222 }))).to.equal('10.0.0.1:4222');
    expect(q.clientLabel(conn(0, { type: 'websocket', lang: 'nats.ws', version: '3.4.0' }))).to.equal('websocket · nats.ws 3.4.0');
    expect(q.clientLabel(conn(0, { type: undefined, kind: 'Client', lang: undefined, version: undefined }))).to.equal('Client');
  });

  it('finds an open row’s connection in the detail replies of its server', () => {
    const fixture = connz29 as unknown as MonitorReply<Connz>[];
    const first = fixture[0]!;
    const cid = first.data!.connections[0]!.cid;
    expect(q.detailConnection(fixture, first.server.id, cid)?.cid).to.equal(cid);
    // One reply from another server id (a PING answered by the one server there is): that one.
    expect(q.detailConnection(fixture, 'NOTHERE', cid)?.cid).to.equal(cid);
    const other = reply([conn(cid - 1)], { id: 'NB' });
    expect(q.detailConnection([first, other], 'NB', cid)).to.equal(other.data!.connections[0]);
    expect(q.detailConnection([first, other], 'NC', cid)).to.equal(undefined);
    expect(q.detailConnection(undefined, 'NB', cid)).to.equal(undefined);
  });

  it('remembers the last result for the same arguments', () => {
    let calls = 0;
    const f = q.lastResult((a: object, n: number) => {
      calls++;
      return { a, n };
    });
    const a = {};
    const first = f(a, 1);
    expect(f(a, 1)).to.equal(first);
    expect(calls).to.equal(1);
    expect(f({}, 1)).to.not.equal(first);
    expect(f(a, 2).n).to.equal(2);
    expect(calls).to.equal(3);
  });
});

describe('connz query: the whole cluster in one list', () => {
  /** One refresh of a cluster page against the fake servers: the survey, then the chunks by id, merged. */
  function refresh(servers: FakeServer[], over: Partial<q.ConnzQuery>, max = q.CONNZ_MAX_LIMIT) {
    const answer = answerConnz(servers);
    const query = { ...queryOf(over) };
    const asked: Array<{ subject: string; params: MonitorParams }> = [];
    const ask = (subject: string, params: MonitorParams) => {
      asked.push({ subject, params });
      return answer(subject, params) as MonitorReply<Connz>[];
    };
    const survey = ask('$SYS.REQ.SERVER.PING.CONNZ', q.clusterParams(query, max));
    const need = q.clusterNeed(query);
    const chunks = new Map<string, q.ChunkResult>();
    for (const ch of q.moreChunks(survey, need, max)) {
      chunks.set(q.chunkKey(ch.serverId, ch.offset), { reply: ask(`$SYS.REQ.SERVER.${ch.serverId}.CONNZ`, q.chunkParams(query, ch))[0] });
    }
    return { view: q.clusterView(q.serverLists(survey, chunks, need, max), query), asked };
  }
  const queryOf = (over: Partial<q.ConnzQuery>): q.ConnzQuery => ({ state: 'open', sort: 'cid', offset: 0, size: 50, account: '', nameFilter: '', ...over });

  /** Every page from offset 0 until the pager has no next one: the keys in order, and the requests of each page. */
  function walk(servers: FakeServer[], sort: string, size: number, max?: number) {
    const keys: string[] = [];
    const requests: number[] = [];
    for (let offset = 0; ; offset += size) {
      const { view, asked } = refresh(servers, { sort, offset, size }, max);
      expect(view.first, 'zero-based first row').to.equal(offset);
      expect(view.pending).to.equal(false);
      keys.push(...view.rows.map((r) => r.key));
      requests.push(asked.length);
      if (!q.paging(view, size).hasNext) return { keys, requests, view };
    }
  }

  // Uneven: one server with none, one with fewer than a page.
  const counts = [37, 5, 0, 18, 61];

  for (const sort of ['cid', 'msgs_from', 'bytes_to', 'start', 'idle', 'uptime', 'subs']) {
    it(`reaches every connection exactly once across all pages, in ${sort} order`, () => {
      const servers = fakeCluster(counts);
      // Chunks of 7 and pages of 6: pages cross each server's chunk boundaries many times.
      const { keys, view } = walk(servers, sort, 6, 7);
      const expected = clusterOrder(servers, sort);
      expect(keys).to.have.length(121);
      expect(new Set(keys).size, 'no duplicates').to.equal(keys.length);
      expect(keys).to.deep.equal(expected);
      expect(view.count).to.equal(121);
      expect(view.servers.map((s) => [s.name, s.total])).to.deep.equal(counts.map((n, i) => [`nats-${i + 1}`, n]));
    });
  }

  it('sorts ascending and descending keys across servers, ties by server then cid', () => {
    const servers = fakeCluster([20, 20, 20]);
    const byCid = refresh(servers, { sort: 'cid', size: 9 }).view.rows.map((r) => `${r.server.name}:${r.c.cid}`);
    // Every server numbers its own connections: cid 1 of each, by server name, then cid 2 …
    expect(byCid).to.deep.equal(['nats-1:1', 'nats-2:1', 'nats-3:1', 'nats-1:2', 'nats-2:2', 'nats-3:2', 'nats-1:3', 'nats-2:3', 'nats-3:3']);
    const busiest = refresh(servers, { sort: 'msgs_from', size: 60 }).view.rows;
    const values = busiest.map((r) => r.c.in_msgs);
    expect(values).to.deep.equal([...values].sort((a, b) => b - a));
    for (let i = 1; i < busiest.length; i++) {
      const [a, b] = [busiest[i - 1]!, busiest[i]!];
      if (a.c.in_msgs === b.c.in_msgs)
        expect(a.server.name < b.server.name || (a.server.name === b.server.name && a.c.cid < b.c.cid), `${a.key} before ${b.key}`).to.equal(true);
    }
  });

  it('asks one survey while the page lies within each server’s first 1,024, then the rest by id with zero-based offsets', () => {
    const servers = fakeCluster([1_500, 700, 30]);
    const first = refresh(servers, { sort: 'bytes_to', offset: 950, size: 50 });
    expect(first.asked.map((a) => a.subject)).to.deep.equal(['$SYS.REQ.SERVER.PING.CONNZ']);
    expect(first.asked[0]!.params).to.include({ offset: 0, limit: 1_000, sort: 'bytes_to', auth: true });
    // Offset 2,000: each server's first 2,050 — 1,024 from the survey, nats-1's next 476 by id.
    const deep = refresh(servers, { sort: 'bytes_to', offset: 2_000, size: 50 });
    expect(deep.asked.map((a) => [a.subject, a.params.offset, a.params.limit])).to.deep.equal([
      ['$SYS.REQ.SERVER.PING.CONNZ', 0, 1_024],
      [`$SYS.REQ.SERVER.${servers[0]!.id}.CONNZ`, 1_024, 476],
    ]);
    expect(deep.view.rows.map((r) => r.key)).to.deep.equal(clusterOrder(servers, 'bytes_to').slice(2_000, 2_050));
    expect(q.paging(deep.view, 50)).to.include({ first: 2_000, shown: 50, total: 2_230, hasNext: true });
    // The last page: 2,200–2,229.
    const last = refresh(servers, { sort: 'bytes_to', offset: 2_200, size: 50 });
    expect(last.view.rows).to.have.length(30);
    expect(q.paging(last.view, 50).hasNext).to.equal(false);
  });

  it('filters by name across servers among each one’s first 1,024, and counts the matches per server', () => {
    const servers = fakeCluster([30, 12, 1_100]);
    const { view, asked } = refresh(servers, { sort: 'msgs_from', nameFilter: 'CLIENT-1', size: 20 });
    expect(asked).to.have.length(1);
    expect(asked[0]!.params).to.include({ offset: 0, limit: q.NAME_SCAN_LIMIT });
    // s1: 1, 10–19, s2: 1, 10–12; s3 among its first 1,024 in this order.
    const scanned = new Set(
      answerConnz(servers)('$SYS.REQ.SERVER.PING.CONNZ', { sort: 'msgs_from', limit: 1_024 }).flatMap((r) =>
        (r as MonitorReply<Connz>).data!.connections.map((c) => `${(r as MonitorReply<Connz>).server.id}:${c.cid}`),
      ),
    );
    const expected = clusterOrder(servers, 'msgs_from', (c) => /client-1/.test(c.name ?? '')).filter((k) => scanned.has(k));
    expect(view.count).to.equal(expected.length);
    expect(view.rows.map((r) => r.key)).to.deep.equal(expected.slice(0, 20));
    expect(view.servers.map((s) => s.matches)).to.deep.equal([11, 4, expected.filter((k) => k.startsWith(servers[2]!.id)).length]);
    expect(view.scanned).to.deep.equal({ n: 30 + 12 + 1_024, of: 1_142 });
    // The page past the matches is clamped to the last one.
    const far = refresh(servers, { sort: 'msgs_from', nameFilter: 'client-1', size: 20, offset: 10_000 }).view;
    expect(far.first).to.equal(Math.floor((expected.length - 1) / 20) * 20);
  });

  it('says a page is not ready while a chunk is missing, and names a server whose chunk failed', () => {
    const servers = fakeCluster([20, 3]);
    const query = queryOf({ offset: 10, size: 5 });
    const survey = answerConnz(servers)('$SYS.REQ.SERVER.PING.CONNZ', q.clusterParams(query, 8)) as MonitorReply<Connz>[];
    const need = q.clusterNeed(query);
    expect(q.moreChunks(survey, need, 8)).to.deep.equal([{ serverId: servers[0]!.id, offset: 8, limit: 7 }]);
    const waiting = q.clusterView(q.serverLists(survey, new Map(), need, 8), query);
    expect(waiting.pending).to.equal(true);
    const failed = q.clusterView(q.serverLists(survey, new Map([[q.chunkKey(servers[0]!.id, 8), { error: 'timed out' }]]), need, 8), query);
    expect([failed.pending, failed.failed]).to.deep.equal([false, [{ name: 'nats-1', message: 'timed out' }]]);
    // A survey of a smaller page (the previous one) is not this page's either.
    const older = answerConnz(servers)('$SYS.REQ.SERVER.PING.CONNZ', q.clusterParams(queryOf({ size: 5 }))) as MonitorReply<Connz>[];
    expect(q.clusterView(q.serverLists(older, new Map(), need), query).pending).to.equal(true);
    // Servers that answered with an error are left out of the lists.
    const broken = [...survey, { server: { name: 'nats-x', id: 'NX' }, error: { code: 400, description: 'invalid sorting option' } }];
    expect(q.serverLists(broken, new Map(), 5).map((l) => l.server.name)).to.deep.equal(['nats-1', 'nats-2']);
  });

  it('compares times to the nanosecond, and idle time and uptime against each server’s clock', () => {
    expect(q.timeNs('2026-11-29T10:00:00.000000002Z')! - q.timeNs('2026-11-29T10:00:00.000000001Z')!).to.equal(1n);
    expect(q.timeNs('2026-11-29T10:00:00.1Z')).to.equal(q.timeNs('2026-11-29T10:00:00.100000000Z'));
    expect(q.timeNs('2026-11-29T11:00:00+01:00')).to.equal(q.timeNs('2026-11-29T10:00:00Z'));
    expect(q.timeNs('not a time')).to.equal(undefined);
    const row = (now: string, last: string): q.ConnzRow => ({
      key: 'k',
      server: { name: 'a', id: 'A' },
      c: conn(0, { last_activity: last, start: last }),
      now,
    });
    expect(q.sortValue('idle', row('2026-11-29T10:00:05Z', '2026-11-29T10:00:00Z'))).to.equal(5_000_000_000n);
    expect(q.sortValue('uptime', row('2026-11-29T10:00:07Z', '2026-11-29T10:00:00Z'))).to.equal(7_000_000_000n);
    expect(q.sortValue('rtt', { ...row('', ''), c: conn(0, { rtt: '1.5ms' }) })).to.equal(1.5);
    expect(q.pastEnd(60, 100, 50)).to.equal(50);
    expect(q.pastEnd(0, 100, 50)).to.equal(0);
    expect(q.pastEnd(60, 50, 50)).to.equal(undefined);
  });

  it('keeps rates per connection at each row’s server clock', () => {
    const traffic = new q.ConnzTraffic();
    const at = (now: string, n: number): q.ConnzRow => ({ key: 'B:1', server: { name: 'b', id: 'B' }, c: conn(0, { in_msgs: n }), now });
    traffic.update([at('2026-11-29T10:00:00Z', 0)]);
    traffic.update([at('2026-11-29T10:00:04Z', 400)]);
    expect(traffic.rates('B:1')?.in_msgs).to.equal(100);
  });
});
