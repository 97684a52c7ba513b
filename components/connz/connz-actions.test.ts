import { expect } from '@open-wc/testing';
import type { UserRights } from '../../client/admin.js';
import type { Connz, MonitorReply } from '../../client/monitor-types.js';
import { subjectMatches } from '../../client/subjects.js';
import * as a from './connz-actions.js';
import { answerConnz, fakeCluster } from './connz-fake-cluster.js';

const rights = (allow: string[] | undefined, user = 'admin'): UserRights => ({
  known: true,
  user,
  account: 'SYS',
  mayPublish: (subject) => !allow || allow.some((p) => subjectMatches(p, subject)),
});

const SERVER = { serverId: 'NABC', server: 'nunect-e2e-1', version: '2.15.2' };

describe('connz actions', () => {
  it('offers an action only on 2.10+ servers to a user whose rights include its subject', () => {
    expect(a.actionSubject('kick', 'NABC')).to.equal('$SYS.REQ.SERVER.NABC.KICK');
    expect(a.actionSubject('ldm', 'NABC')).to.equal('$SYS.REQ.SERVER.NABC.LDM');
    expect(a.actionBlocked('kick', SERVER, rights(undefined))).to.equal(undefined);
    expect(a.actionBlocked('ldm', SERVER, rights(['$SYS.REQ.SERVER.*.LDM']))).to.equal(undefined);
    expect(a.actionBlocked('kick', SERVER, rights(['$SYS.REQ.SERVER.*.LDM'], 'monitor'))).to.equal('monitor may not publish $SYS.REQ.SERVER.NABC.KICK.');
    expect(a.actionBlocked('kick', { ...SERVER, version: '2.9.10' }, rights(undefined))).to.equal(
      'Disconnecting a client (KICK) needs nats-server 2.10 or later; nunect-e2e-1 runs 2.9.10.',
    );
    expect(a.actionBlocked('kick', SERVER, undefined)).to.match(/Checking/);
    const unknown: UserRights = { known: false, reason: 'this user may not ask for its rights ($SYS.REQ.USER.INFO)', mayPublish: () => true };
    expect(a.actionBlocked('ldm', SERVER, unknown)).to.contain('may not ask for its rights');
  });

  it('previews how many connections on how many servers', () => {
    expect(a.targetsSummary([{ serverId: 'A' }])).to.equal('1 connection on 1 server');
    expect(a.targetsSummary([{ serverId: 'A' }, { serverId: 'B' }, { serverId: 'A' }])).to.equal('3 connections on 2 servers');
    expect(a.targetsSummary(Array.from({ length: 1_200 }, (_, i) => ({ serverId: `S${i % 3}` })))).to.match(/^1[,.\s\u202f]?200 connections on 3 servers$/);
  });

  it('records an action with who did it, to what, and how it ended', () => {
    const target: a.ConnzTarget = { key: 'NABC:7', serverId: 'NABC', server: 'nunect-e2e-1', cid: 7, name: 'kick-me', account: 'BRIDGE', user: 'bridge' };
    expect(a.auditRecord('kick', target, { outcome: 'ok' }, 'admin', Date.parse('2026-12-01T10:00:00Z'))).to.deep.equal({
      time: '2026-12-01T10:00:00.000Z',
      action: 'kick',
      who: 'admin',
      target: { serverId: 'NABC', server: 'nunect-e2e-1', cid: 7, client: 'kick-me', account: 'BRIDGE', user: 'bridge' },
      outcome: 'ok',
    });
    expect(a.auditRecord('ldm', target, { outcome: 'refused', message: 'no' }, undefined, 0)).to.include({ outcome: 'refused', message: 'no', who: undefined });
  });

  it('reads the DISCONNECT event of a connection and says what it confirms', () => {
    const event = {
      type: 'io.nats.server.advisory.v1.client_disconnect',
      id: 'e1',
      timestamp: '2026-12-01T10:00:01.5Z',
      server: { name: 'nunect-e2e-1', id: 'NABC' },
      client: { id: 7, acc: 'BRIDGE', user: 'bridge', name: 'kick-me' },
      reason: 'Kicked',
    };
    expect(a.disconnectOf('$SYS.ACCOUNT.BRIDGE.DISCONNECT', event)).to.deep.equal({ key: 'NABC:7', reason: 'Kicked' });
    expect(a.disconnectOf('$SYS.ACCOUNT.BRIDGE.CONNECT', { ...event, type: 'io.nats.server.advisory.v1.client_connect' })).to.equal(undefined);
    expect(a.disconnectOf('$SYS.ACCOUNT.BRIDGE.DISCONNECT', 'garbage')).to.equal(undefined);
    expect(a.confirmation('kick', 'Kicked')).to.equal('confirmed: disconnected');
    expect(a.confirmation('kick', 'Client Closed')).to.equal('disconnected (Client Closed)');
    expect(a.confirmation('ldm', 'Client Closed')).to.equal('confirmed: left the server (Client Closed)');
  });

  it('selects every connection matching an account, a user or a name across the servers', () => {
    const servers = fakeCluster([30, 12, 5]);
    const answer = answerConnz(servers);
    const ask = (field: a.MatchField, value: string) => answer('$SYS.REQ.SERVER.PING.CONNZ', a.matchParams(field, value)) as MonitorReply<Connz>[];
    expect(a.matchParams('account', ' ENGINE ')).to.include({ acc: 'ENGINE', user: undefined, state: 0, auth: true, limit: 1_024 });
    expect(a.matchParams('user', 'bridge')).to.include({ user: 'bridge', acc: undefined });
    expect(a.matchParams('name', 'x')).to.include({ user: undefined, acc: undefined });
    const engine = a.matchRows(ask('account', 'ENGINE'), 'account', 'ENGINE');
    const all = servers.flatMap((s) => s.conns.map((c) => ({ s, c })));
    expect(engine).to.have.length(all.filter(({ c }) => c.account === 'ENGINE').length);
    expect(new Set(engine.map((r) => r.server.name)).size).to.equal(3);
    expect(a.matchRows(ask('user', 'bridge'), 'user', 'bridge').every((r) => r.c.authorized_user === 'bridge')).to.equal(true);
    expect(a.matchRows(ask('name', 'CLIENT-1'), 'name', 'client-1').map((r) => r.c.name)).to.include.members(['s1-client-1', 's2-client-12', 's3-client-1']);
    expect(a.matchCut(ask('account', 'ENGINE'))).to.deep.equal([]);
    const big = answerConnz(fakeCluster([1_100]))('$SYS.REQ.SERVER.PING.CONNZ', a.matchParams('name', '')) as MonitorReply<Connz>[];
    expect(a.matchCut(big)).to.deep.equal([{ server: 'nats-1', total: 1_100 }]);
  });

  it('runs at most a few at a time and hands over every result', async () => {
    let running = 0;
    let most = 0;
    const seen: number[] = [];
    await a.runAll(
      [1, 2, 3, 4, 5, 6, 7],
      3,
      async (n) => {
        running++;
        most = Math.max(most, running);
        await Promise.resolve();
        running--;
        return n * 10;
      },
      (n, r) => seen.push(r + n),
    );
    expect(most).to.equal(3);
    expect([...seen].sort((x, y) => x - y)).to.deep.equal([11, 22, 33, 44, 55, 66, 77]);
    await a.runAll(
      [],
      3,
      async () => 1,
      () => expect.fail('nothing to do'),
    );
  });
});
