import { expect } from '@open-wc/testing';
import events29 from '../../test/fixtures/2.9.10/events.json' with { type: 'json' };
import events215 from '../../test/fixtures/2.15.2/events.json' with { type: 'json' };
import { accountLabel, userLabel, isPublicKey, parseEvent, searchText, shortKey, timestampMs } from './parse-event.js';
import { RingBuffer } from './ring-buffer.js';

type Fixture = Array<{ subject: string; data: unknown }>;
const FIXTURES: Array<[string, Fixture]> = [
  ['2.9.10', events29 as Fixture],
  ['2.15.2', events215 as Fixture],
];

const ACCOUNT_KEY = 'ABJHLOVMPA4CI6R5KLNGOB4GSLNIY7IOUPAJC4YFNDLQVIOBYQGUWVLA';
const USER_KEY = 'UCKOIKSFGKUN4ZS3FX2AI4NIYVH4YRCZN2NWCQGVOQ2WRHA5C6ZMUUQV';

describe('parseEvent', () => {
  for (const [version, fixture] of FIXTURES) {
    describe(`on the events captured from nats-server ${version}`, () => {
      const rows = fixture.map((e) => parseEvent(e.subject, e.data));
      const find = (type: string, name?: string) => rows.find((r) => r.type === type && (name === undefined || r.name === name));

      it('reads every event as a known type (none is Other)', () => {
        expect(rows.map((r) => r.type)).to.not.include('other');
        expect(rows).to.have.length(fixture.length);
      });

      it('reads a connect: time, server, account, user, client name and ID, IP, client type and lang', () => {
        const r = find('connect', 'bridge-gateway')!;
        expect(r, 'the bridge-gateway connect').to.exist;
        expect(r.subject).to.equal('$SYS.ACCOUNT.BRIDGE.CONNECT');
        expect(r.server).to.equal('nunect-fixture');
        expect(r.serverId).to.match(/^N[A-Z0-9]{55}$/);
        expect(r.account).to.equal('BRIDGE');
        expect(r.user).to.equal('bridge');
        expect(r.host).to.equal('127.0.0.1');
        expect(r.clientType).to.equal('websocket');
        expect(r.lang).to.equal('nats.ws');
        expect(r.version).to.equal('3.4.0');
        expect(r.kind, 'kind Client is left out').to.equal(undefined);
        expect(r.cid).to.be.a('number');
        expect(r.time).to.equal(Date.parse((r.timestamp ?? '').replace(/(\.\d{3})\d*/, '$1')));
        // 2.10+ sets name_tag to the account name even without operator mode: nothing to add.
        expect(r.accountName).to.equal(undefined);
        expect(r.echo).to.equal(undefined);
      });

      it('reads a disconnect: reason, messages and bytes both ways, RTT in ms from integer ns', () => {
        const r = find('disconnect', 'short-lived')!;
        const raw = fixture.find((e) => e.subject.endsWith('.DISCONNECT') && (e.data as { client: { name: string } }).client.name === 'short-lived')!.data as {
          client: { rtt: number };
          sent: { msgs: number; bytes: number };
          received: { msgs: number; bytes: number };
        };
        expect(r.reason).to.equal('Client Closed');
        expect(r.account).to.equal('PROVISION');
        expect(r.rttMs).to.be.closeTo(raw.client.rtt / 1e6, 1e-9);
        expect(r.rttMs).to.be.within(0.1, 10);
        expect([r.sentMsgs, r.sentBytes, r.receivedMsgs, r.receivedBytes]).to.deep.equal([
          raw.sent.msgs,
          raw.sent.bytes,
          raw.received.msgs,
          raw.received.bytes,
        ]);
      });

      it('reads an authentication error with the attempted user', () => {
        const r = find('auth-error')!;
        expect(r.subject).to.match(/^\$SYS\.SERVER\.N[A-Z0-9]+\.CLIENT\.AUTH\.ERR$/);
        expect(r.user).to.equal('bridge');
        expect(r.name).to.equal('bad-password');
        expect(r.reason).to.equal('Authentication Failure');
        expect(r.echo).to.equal(undefined);
      });

      it('reads account connection counts', () => {
        const r = rows.find((x) => x.type === 'conns' && x.account === 'BRIDGE')!;
        expect(r.conns).to.be.a('number');
        expect(r.totalConns).to.be.a('number');
        expect(r.leafnodes).to.equal(0);
      });

      it('marks the $G echoes and nothing else', () => {
        for (const r of rows) {
          const isEcho = r.account === '$G' && (r.type === 'conns' || (r.type === 'disconnect' && r.reason === 'Authentication Failure'));
          expect(!!r.echo, `${r.subject} echo`).to.equal(isEcho);
        }
      });

      it('keeps the hostile client name as plain data', () => {
        expect(rows.some((r) => r.name === '<img src=x onerror=alert(1)>')).to.equal(true);
      });
    });
  }

  it('marks 2.9 $G account counts and the 2.10+ $G repeat of an auth error as echoes', () => {
    expect(
      (events29 as Fixture)
        .map((e) => parseEvent(e.subject, e.data))
        .filter((r) => r.echo)
        .map((r) => r.type),
    ).to.deep.equal(Array(7).fill('conns'));
    expect(
      (events215 as Fixture)
        .map((e) => parseEvent(e.subject, e.data))
        .filter((r) => r.echo)
        .map((r) => r.subject),
    ).to.deep.equal(['$SYS.ACCOUNT.$G.DISCONNECT']);
  });

  it('shows operator-mode accounts by their name tag (2.10+), users by their JWT or 2.9 name tag', () => {
    const r = parseEvent(`$SYS.ACCOUNT.${ACCOUNT_KEY}.CONNECT`, {
      type: 'io.nats.server.advisory.v1.client_connect',
      timestamp: '2026-11-29T15:03:48.720284965Z',
      server: { name: 'n1', id: 'NX', ver: '2.15.2' },
      client: { acc: ACCOUNT_KEY, user: USER_KEY, name_tag: 'Billing', name: 'svc', kind: 'Leafnode' },
    });
    expect(r.accountName).to.equal('Billing');
    expect(r.userName).to.equal(undefined);
    // 2.9: name_tag is the user's name; a user JWT names the user on every version.
    const on29 = parseEvent(`$SYS.ACCOUNT.${ACCOUNT_KEY}.CONNECT`, {
      type: 'io.nats.server.advisory.v1.client_connect',
      server: { name: 'n1', id: 'NX', ver: '2.9.10' },
      client: { acc: ACCOUNT_KEY, user: USER_KEY, name_tag: 'billing-svc' },
    });
    expect([on29.accountName, on29.userName]).to.deep.equal([undefined, 'billing-svc']);
    const jwt = `e30.${btoa(JSON.stringify({ name: 'reporter' })).replace(/=+$/, '')}.sig`;
    const withJwt = parseEvent(`$SYS.ACCOUNT.${ACCOUNT_KEY}.CONNECT`, {
      type: 'io.nats.server.advisory.v1.client_connect',
      server: { name: 'n1', id: 'NX', ver: '2.15.2' },
      client: { acc: ACCOUNT_KEY, user: USER_KEY, name_tag: 'Billing', jwt },
    });
    expect([withJwt.accountName, withJwt.userName]).to.deep.equal(['Billing', 'reporter']);
    expect(userLabel(USER_KEY, withJwt.userName)).to.equal('reporter (UCKOIKSF…)');
    expect(r.kind).to.equal('Leafnode');
    expect(accountLabel(r.account!, r.accountName)).to.equal('Billing (ABJHLOVM…)');
    expect(shortKey(USER_KEY)).to.equal('UCKOIKSF…');
    expect(isPublicKey(USER_KEY)).to.equal(true);
    expect(isPublicKey('bridge')).to.equal(false);
    expect(accountLabel('BRIDGE')).to.equal('BRIDGE');
  });

  it('keeps unknown and malformed events as Other rows with the subject, never throwing', () => {
    const cases: Array<[string, unknown, RegExp]> = [
      ['$SYS.ACCOUNT.X.CONNECT', 'not json {', /not JSON/],
      ['$SYS.ACCOUNT.X.CONNECT', null, /not an object/],
      ['$SYS.ACCOUNT.X.CONNECT', [1, 2], /not an object/],
      ['$SYS.ACCOUNT.X.CONNECT', 42, /not an object/],
      ['$SYS.ACCOUNT.X.CONNECT', {}, /no event type/],
      ['$SYS.ACCOUNT.X.LEAFNODE.CONNECT', { type: 'io.nats.server.advisory.v1.leafnode_connect', timestamp: 'garbage' }, /leafnode_connect/],
      ['$SYS.ACCOUNT.X.CONNECT', { type: 'io.nats.server.advisory.v1.client_connect', client: 'oops' }, /without client/],
      ['$SYS.ACCOUNT.X.SERVER.CONNS', { type: 'io.nats.server.advisory.v1.account_connections', acc: 7 }, /without an account/],
    ];
    for (const [subject, data, note] of cases) {
      const r = parseEvent(subject, data);
      expect(r.type, JSON.stringify(data)).to.equal('other');
      expect(r.subject).to.equal(subject);
      expect(r.note).to.match(note);
      expect(r.data).to.equal(data);
    }
    const hostile = {
      get type(): string {
        throw new Error('boom');
      },
    };
    expect(parseEvent('$SYS.X', hostile).type).to.equal('other');
    expect(parseEvent('$SYS.ACCOUNT.X.CONNECT', { type: 'io.nats.server.advisory.v1.client_connect', timestamp: 'garbage', client: {} }).time).to.equal(
      undefined,
    );
  });

  it('tolerates odd field types in a known event', () => {
    const r = parseEvent('$SYS.ACCOUNT.A.DISCONNECT', {
      type: 'io.nats.server.advisory.v1.client_disconnect',
      client: { acc: 'A', id: 'seven', rtt: '1.5ms', name: 12, host: '' },
      sent: 'lots',
      reason: { nested: true },
    });
    expect(r.type).to.equal('disconnect');
    expect(r.cid).to.equal(undefined);
    expect(r.rttMs).to.equal(1.5);
    expect(r.name).to.equal(undefined);
    expect(r.host).to.equal(undefined);
    expect(r.sentMsgs).to.equal(undefined);
    expect(r.reason).to.equal(undefined);
  });

  it('reads timestamps with nanoseconds', () => {
    expect(timestampMs('2026-11-29T15:03:48.720284965Z')).to.equal(Date.UTC(2026, 10, 29, 15, 3, 48, 720));
    expect(timestampMs('2026-11-29T15:03:48Z')).to.equal(Date.UTC(2026, 10, 29, 15, 3, 48));
    expect(timestampMs('2026-11-29T16:03:48.5+01:00')).to.equal(Date.UTC(2026, 10, 29, 15, 3, 48, 500));
    expect(timestampMs('yesterday')).to.equal(undefined);
  });

  it('searches names, user, IP, reason and server in any case', () => {
    const r = parseEvent((events29 as Fixture).at(-1)!.subject, (events29 as Fixture).at(-1)!.data);
    const text = searchText(r);
    for (const s of ['bad-password', 'bridge', '127.0.0.1', 'authentication failure', 'nunect-fixture']) expect(text).to.contain(s);
  });
});

describe('RingBuffer', () => {
  it('keeps the newest items and returns each evicted one', () => {
    const ring = new RingBuffer<number>(3);
    const evicted: Array<number | undefined> = [];
    for (let i = 1; i <= 5; i++) evicted.push(ring.push(i));
    expect(evicted).to.deep.equal([undefined, undefined, undefined, 1, 2]);
    expect(ring.toArray()).to.deep.equal([3, 4, 5]);
    expect(ring.at(0)).to.equal(3);
    expect(ring.at(3)).to.equal(undefined);
  });

  it('resizes keeping the newest and says how many it dropped', () => {
    const ring = new RingBuffer<number>(5);
    for (let i = 1; i <= 7; i++) ring.push(i);
    expect(ring.resize(2)).to.equal(3);
    expect(ring.toArray()).to.deep.equal([6, 7]);
    expect(ring.resize(4)).to.equal(0);
    ring.push(8);
    expect(ring.toArray()).to.deep.equal([6, 7, 8]);
    expect(new RingBuffer(0).capacity).to.equal(1);
    expect(new RingBuffer(Number.NaN).capacity).to.equal(1);
  });
});

describe('parseEvent: audit records of admin actions', () => {
  it('reads ops.audit.<action> records: who did what to which client, and how it ended', () => {
    const row = parseEvent('ops.audit.kick', {
      time: '2026-11-29T15:05:30.123Z',
      action: 'kick',
      who: 'admin',
      target: { serverId: 'NX', server: 'n2', cid: 7, client: 'sensor-1', account: 'BRIDGE' },
      outcome: 'refused',
      message: 'not allowed',
    });
    expect(row).to.include({
      type: 'audit',
      action: 'Disconnect',
      outcome: 'refused',
      message: 'not allowed',
      user: 'admin',
      server: 'n2',
      cid: 7,
      name: 'sensor-1',
      account: 'BRIDGE',
    });
    expect(row.time).to.equal(Date.parse('2026-11-29T15:05:30.123Z'));
    expect(searchText(row)).to.contain('refused');
  });

  it('keeps an unreadable audit record as an audit row with what it has', () => {
    const row = parseEvent('ops.audit.reload', { nonsense: true });
    expect(row.type).to.equal('audit');
    expect(row.action).to.equal('Reload configuration');
  });
});
