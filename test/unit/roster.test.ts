import { expect } from '@open-wc/testing';
import { ManualClock, MonitorSurveyor, type Msg, type NunectClient, type SubscribeOptions } from '../../client/index.js';
import { ServerRoster } from '../../src/monitor/roster.js';
import { fakeMsg } from '../support/fake-client.js';

const ref = (name: string, id = `ID-${name}`) => ({ name, id, ver: '2.15.2' });
const reply = (name: string, id?: string) => ({ server: ref(name, id) });

describe('ServerRoster', () => {
  it('expects every known running server, or the size the servers report, whichever is larger', () => {
    const roster = new ServerRoster(new ManualClock(0));
    expect(roster.expected(), 'nothing known: wait for quiet').to.equal(0);
    roster.surveyed([ref('n1'), ref('n2')]);
    expect(roster.expected()).to.equal(2);
    roster.reportedSize(3);
    expect(roster.expected(), 'a third server is reported').to.equal(3);
  });

  it('names a server that stops answering: since when, and for how many surveys', () => {
    const clock = new ManualClock('2026-11-29T10:42:07Z');
    const roster = new ServerRoster(clock);
    roster.surveyed([ref('n1'), ref('n2'), ref('n3')]);
    clock.advance(5_000);
    roster.surveyed([ref('n1'), ref('n2')]);
    clock.advance(5_000);
    roster.surveyed([ref('n1'), ref('n2')]);
    const [absent] = roster.absent([reply('n1'), reply('n2')]);
    expect(absent).to.include({ name: 'n3', presence: 'missing', missedSurveys: 2, lastSeen: Date.parse('2026-11-29T10:42:07Z') });
    expect(roster.expected(), 'still expected: a crashed server may come back').to.equal(3);
    // It comes back with a new id (a restarted nats-server): one entry, answering again.
    roster.surveyed([ref('n1'), ref('n2'), ref('n3', 'NEW-ID')]);
    expect(roster.absent([reply('n1'), reply('n2'), reply('n3', 'NEW-ID')])).to.deep.equal([]);
    expect(roster.servers.map((s) => [s.name, s.id, s.missedSurveys])).to.deep.equal([
      ['n1', 'ID-n1', 0],
      ['n2', 'ID-n2', 0],
      ['n3', 'NEW-ID', 0],
    ]);
  });

  it('shows a clean shutdown at once and stops expecting that server; its comeback is news', () => {
    const roster = new ServerRoster(new ManualClock(0));
    let changes = 0;
    roster.onChange(() => changes++);
    roster.surveyed([ref('n1'), ref('n2'), ref('n3')]);
    roster.reportedSize(3);
    roster.stopping(ref('n3'), 'shutdown');
    expect(changes).to.equal(1);
    expect(roster.expected()).to.equal(2);
    // The others still report 3 for a while (STATSZ is minutes stale): the stopped one is not awaited.
    roster.reportedSize(3);
    expect(roster.expected(), 'a stale reported size').to.equal(2);
    expect(roster.absent([reply('n1'), reply('n2')])[0]).to.include({ name: 'n3', presence: 'shutdown' });
    // The old instance's late goodbye does not hide the new one.
    expect(roster.heard(ref('n3', 'NEW-ID')), 'heard again').to.equal(true);
    roster.stopping(ref('n3'), 'shutdown');
    expect(roster.absent([reply('n1'), reply('n2')])).to.deep.equal([]);
  });

  it('learns of a server joining from an event, before any survey counts it', () => {
    const roster = new ServerRoster(new ManualClock(0));
    roster.surveyed([ref('n1')]);
    expect(roster.heard(ref('n4'), 2)).to.equal(true);
    expect(roster.expected()).to.equal(2);
  });
});

/** Just enough of a client for a surveyor: an inbox, subscriptions and publishes with a reply. */
class PubSub {
  subs: Array<{ subject: string; onMessage: (m: Msg) => void }> = [];
  published: Array<{ subject: string; reply?: string }> = [];
  createInbox() {
    return '_INBOX_test.abc';
  }
  subscribe(subject: string, options: SubscribeOptions) {
    const sub = { subject, onMessage: options.onMessage!, closed: false };
    this.subs.push(sub);
    return { unsubscribe: () => (sub.closed = true), isClosed: () => sub.closed };
  }
  publish(subject: string, _data: unknown, options: { reply?: string } = {}) {
    this.published.push({ subject, reply: options.reply });
  }
  /** A server answers the n-th survey. */
  answer(n: number, name: string, headers?: { code: number }) {
    const to = this.published[n]!.reply!;
    const msg = fakeMsg(to, headers ? '' : { server: ref(name), data: { server_name: name } });
    if (headers) (msg as { headers?: unknown }).headers = headers;
    this.subs[0]!.onMessage(msg);
  }
}

describe('MonitorSurveyor', () => {
  it('stops as soon as every expected server answered; a reply after the end goes to onLate with its tag', async () => {
    const net = new PubSub();
    const late: Array<[string, string | undefined]> = [];
    const surveyor = new MonitorSurveyor(net as unknown as NunectClient, (r, tag) => late.push([r.server.name, tag]));
    const done = surveyor.survey('VARZ', undefined, { expectServers: 2, quiet: 60_000, maxWait: 60_000, tag: 'varz#1' });
    expect(net.published[0]!.subject).to.equal('$SYS.REQ.SERVER.PING.VARZ');
    expect(net.subs.map((s) => s.subject)).to.deep.equal(['_INBOX_test.abc.>']);
    net.answer(0, 'n1');
    net.answer(0, 'n2');
    const replies = await done;
    expect(replies.map((r) => r.server.name)).to.deep.equal(['n1', 'n2']);
    net.answer(0, 'n3');
    expect(late).to.deep.equal([['n3', 'varz#1']]);
    // One subscription for every survey.
    const second = surveyor.survey('JSZ', undefined, { expectServers: 1, tag: 'jsz#1' });
    net.answer(1, 'n1');
    await second;
    expect(net.subs).to.have.length(1);
    surveyor.close();
  });

  it('says who may not ask when nobody answers (503 no responders)', async () => {
    const net = new PubSub();
    const surveyor = new MonitorSurveyor(net as unknown as NunectClient);
    const done = surveyor.survey('VARZ').catch((e: { code: string }) => e.code);
    net.answer(0, '', { code: 503 });
    expect(await done).to.equal('PERMISSION_DENIED');
  });
});
