import { expect } from '@open-wc/testing';
import type { ConnInfo, Connz, MonitorReply } from '../../client/monitor-types.js';
import connz29 from '../../test/fixtures/2.9.10/connz.json' with { type: 'json' };
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
