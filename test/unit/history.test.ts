import { expect } from '@open-wc/testing';
import {
  historyBinMs,
  parseHistoryQuery,
  parseHistoryReply,
  requestStatszHistory,
  StatszSummary,
  statszSample,
  STATSZ_HISTORY_SUBJECT,
  type StatszSample,
} from '../../client/history.js';
import { NunectError } from '../../client/index.js';
import statsz29 from '../fixtures/2.9.10/statsz.json' with { type: 'json' };
import statsz215 from '../fixtures/2.15.2/statsz.json' with { type: 'json' };

const T0 = Date.parse('2026-11-29T10:00:00Z');
const MIN = 60_000;
const sample = (time: number, over: Partial<StatszSample> = {}): StatszSample => ({
  id: 'N1',
  name: 'n1',
  time,
  in_msgs: 0,
  out_msgs: 0,
  in_bytes: 0,
  out_bytes: 0,
  connections: 3,
  mem: 1_000,
  cpu: 5,
  ...over,
});
const data = (body: unknown) => ({ data: new TextEncoder().encode(JSON.stringify(body)) });

describe('server statistics history (client/history.ts)', () => {
  it('reads a STATSZ event and the request form of both captured server versions', () => {
    for (const reply of [statsz29[0]!, statsz215[0]!]) {
      const s = statszSample(reply)!;
      expect(s.id).to.equal(reply.server.id);
      expect(s.name).to.equal(reply.server.name);
      expect(s.time).to.equal(Date.parse(reply.server.time));
      expect(s.in_msgs).to.equal(reply.data.received.msgs);
      expect(s.out_bytes).to.equal(reply.data.sent.bytes);
      expect(s.connections).to.equal(reply.data.connections);
      const event = statszSample({ server: reply.server, statsz: reply.data })!;
      expect(event).to.deep.equal(s);
    }
    expect(statszSample({ server: { id: 'x' } })).to.equal(undefined);
    expect(statszSample('nope')).to.equal(undefined);
  });

  it('checks requests and says what is wrong', () => {
    expect(parseHistoryQuery('{"range":"1h"}')).to.deep.equal({ range: '1h', points: 60 });
    expect(parseHistoryQuery('{"range":"24h","points":1440}')).to.deep.equal({ range: '24h', points: 1440 });
    expect((parseHistoryQuery('nope') as { error: string }).error).to.match(/not JSON/);
    expect((parseHistoryQuery('{"range":"2h"}') as { error: string }).error).to.match(/range must be "1h" or "24h", not "2h"/);
    expect((parseHistoryQuery('{}') as { error: string }).error).to.match(/range must be/);
    expect((parseHistoryQuery('{"range":"1h","points":0}') as { error: string }).error).to.match(/points must be a whole number from 1 to 1440/);
    expect((parseHistoryQuery('{"range":"1h","points":1441}') as { error: string }).error).to.match(/points/);
    expect((parseHistoryQuery('{"range":"1h","points":2.5}') as { error: string }).error).to.match(/points/);
    expect(historyBinMs('1h', 60)).to.equal(MIN);
    expect(historyBinMs('24h', 60)).to.equal(24 * MIN);
    expect(historyBinMs('1h', 1440), 'never below the summary’s minute').to.equal(MIN);
    expect(historyBinMs('24h', 100)).to.equal(15 * MIN);
  });

  it('turns cumulative counters into per-second rates per bin, and gauges into the last value in the bin', () => {
    const s = new StatszSummary();
    // Every 10 s: 100 messages in, 200 out, 1,000 bytes in, 3,000 bytes out.
    for (let i = 0; i <= 12; i++) {
      s.add(sample(T0 + i * 10_000, { in_msgs: i * 100, out_msgs: i * 200, in_bytes: i * 1_000, out_bytes: i * 3_000, connections: i }), T0 + i * 10_000);
    }
    const reply = s.query({ range: '1h', points: 60 }, T0 + 125_000);
    expect(reply.range).to.equal('1h');
    expect(reply.bin_seconds).to.equal(60);
    expect(reply.to).to.equal(new Date(T0 + 125_000).toISOString());
    expect(reply.from).to.equal(new Date(T0 + 2 * MIN - 59 * MIN).toISOString());
    const [server] = reply.servers;
    expect(server!.id).to.equal('N1');
    expect(server!.bins.map((b) => b.t)).to.deep.equal([T0, T0 + MIN, T0 + 2 * MIN].map((t) => new Date(t).toISOString()));
    const first = server!.bins[0]!;
    expect(first.in_msgs).to.be.closeTo(10, 1e-9);
    expect(first.out_msgs).to.be.closeTo(20, 1e-9);
    expect(first.in_bytes).to.be.closeTo(100, 1e-9);
    expect(first.out_bytes).to.be.closeTo(300, 1e-9);
    expect(first.seconds).to.equal(60);
    expect(first.connections).to.equal(5);
    expect(server!.bins[1]!.connections).to.equal(11);
    expect(server!.bins[1]!.seconds).to.equal(60);
    expect(server!.bins[2]!.in_msgs, 'the last sample alone: gauges, no interval yet').to.equal(null);
    expect(server!.bins[2]!.connections).to.equal(12);
    const day = s.query({ range: '24h', points: 60 }, T0 + 125_000);
    expect(day.bin_seconds).to.equal(1_440);
    expect(day.servers[0]!.bins).to.have.length(1);
    expect(day.servers[0]!.bins[0]!.in_msgs).to.be.closeTo(10, 1e-9);
    expect(day.servers[0]!.bins[0]!.connections).to.equal(12);
  });

  it('spreads an interval over the minutes it covers', () => {
    const s = new StatszSummary();
    s.add(sample(T0 + 30_000), T0);
    s.add(sample(T0 + 90_000, { in_msgs: 600 }), T0 + 90_000);
    const bins = s.query({ range: '1h', points: 60 }, T0 + 90_000).servers[0]!.bins;
    expect(bins.map((b) => [b.seconds, b.in_msgs])).to.deep.equal([
      [30, 10],
      [30, 10],
    ]);
  });

  it('skips the delta of a counter that went down (a restart) and ignores duplicates', () => {
    const s = new StatszSummary();
    s.add(sample(T0, { in_msgs: 1_000, out_msgs: 1_000 }), T0);
    s.add(sample(T0 + 10_000, { in_msgs: 1_100, out_msgs: 1_100 }), T0 + 10_000);
    s.add(sample(T0 + 20_000, { in_msgs: 50, out_msgs: 1_200 }), T0 + 20_000);
    expect(s.add(sample(T0 + 20_000, { in_msgs: 9_999 }), T0 + 20_000), 'the same sample twice').to.equal(false);
    expect(s.add(sample(T0 + 5_000), T0 + 20_000), 'an older sample').to.equal(false);
    s.add(sample(T0 + 30_000, { in_msgs: 150, out_msgs: 1_300 }), T0 + 30_000);
    const [bin] = s.query({ range: '1h', points: 60 }, T0 + 30_000).servers[0]!.bins;
    expect(bin!.in_msgs, 'in: two good intervals of 10 s, 100 each').to.be.closeTo(10, 1e-9);
    expect(bin!.out_msgs).to.be.closeTo(10, 1e-9);
  });

  it('a first sample alone gives gauges and no rates', () => {
    const s = new StatszSummary();
    s.add(sample(T0, { in_msgs: 5 }), T0);
    const [bin] = s.query({ range: '1h', points: 60 }, T0).servers[0]!.bins;
    expect(bin!.in_msgs).to.equal(null);
    expect(bin!.connections).to.equal(3);
  });

  it('keeps at most 24 h: memory is bounded, a silent server is forgotten, old bins leave the 1 h range', () => {
    const s = new StatszSummary();
    const step = 30_000;
    const end = T0 + 26 * 3_600_000;
    s.add(sample(T0, { id: 'N2', name: 'n2' }), T0);
    for (let t = T0; t <= end; t += step) s.add(sample(t, { in_msgs: (t - T0) / 1_000 }), t);
    expect(s.size.servers).to.equal(1);
    expect(s.size.minutes).to.be.at.most(1_441);
    const hour = s.query({ range: '1h', points: 60 }, end).servers[0]!.bins;
    expect(hour.length).to.be.within(59, 60);
    expect(hour[0]!.in_msgs).to.be.closeTo(1, 1e-9);
    const day = s.query({ range: '24h', points: 1440 }, end).servers[0]!.bins;
    expect(day.length).to.be.within(1_439, 1_440);
    // A sample older than the window is not kept.
    expect(s.add(sample(T0, { id: 'N3' }), end)).to.equal(false);
  });

  it('parses replies, refuses malformed ones and says the Controller’s error', async () => {
    const s = new StatszSummary();
    s.add(sample(T0), T0);
    s.add(sample(T0 + 10_000, { in_msgs: 10 }), T0 + 10_000);
    const good = s.query({ range: '1h', points: 60 }, T0 + 10_000);
    expect(parseHistoryReply(data(good))).to.deep.equal(good);
    expect(() => parseHistoryReply(data({ error: 'range must be "1h" or "24h"' }))).to.throw(/the Controller refused the request: range must be/);
    expect(() => parseHistoryReply(data({ servers: [] }))).to.throw(/malformed history reply/);
    expect(() => parseHistoryReply({ data: new TextEncoder().encode('{') })).to.throw(/not JSON/);
    const asked: Array<{ subject: string; body: string }> = [];
    const reply = await requestStatszHistory(
      {
        request: async (subject, body) => {
          asked.push({ subject, body: String(body) });
          return data(good);
        },
      },
      { range: '24h' },
    );
    expect(reply.servers[0]!.bins[0]!.in_msgs).to.equal(1);
    expect(asked).to.deep.equal([{ subject: STATSZ_HISTORY_SUBJECT, body: '{"range":"24h","points":60}' }]);
    let refused: unknown;
    await requestStatszHistory({ request: () => Promise.reject(new NunectError('NO_RESPONDERS', 'no responders')) }, { range: '1h' }).catch(
      (e: unknown) => (refused = e),
    );
    expect((refused as NunectError).code).to.equal('NO_RESPONDERS');
  });
});
