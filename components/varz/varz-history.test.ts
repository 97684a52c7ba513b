import { expect } from '@open-wc/testing';
import { NunectError } from '../../client/index.js';
import type { StatszBin, StatszHistoryReply } from '../../client/history.js';
import { HistoryBins, HistoryRetry, historyPoints, historyProblem, sparklineLabel } from './varz-history.js';
import { ServerTrends } from './varz-trends.js';
import type { MonitorReply, Varz } from '../../client/monitor-types.js';

const T0 = Date.parse('2026-11-29T10:00:00Z');
const MIN = 60_000;
const bin = (t: number, in_msgs: number | null, seconds = 60): StatszBin => ({
  t: new Date(t).toISOString(),
  seconds,
  in_msgs,
  out_msgs: null,
  in_bytes: null,
  out_bytes: null,
  connections: 1,
  mem: 1,
  cpu: 1,
});
const reply = (bins: StatszBin[], to: number, over: Partial<StatszHistoryReply> = {}): StatszHistoryReply => ({
  range: '1h',
  bin_seconds: 60,
  from: new Date(to - 59 * MIN).toISOString(),
  to: new Date(to).toISOString(),
  servers: [{ id: 'N1', name: 'n1', bins }],
  ...over,
});

describe('varz history bins (varz-history.ts)', () => {
  it('prefills the slots that end with the latest bin; a bin without data is a gap', () => {
    const h = new HistoryBins(reply([bin(T0, 5), bin(T0 + 2 * MIN, 7), bin(T0 + 3 * MIN, 9, 30)], T0 + 3 * MIN + 30_000));
    expect(h.slots).to.equal(60);
    const values = h.values('N1', 'n1', 'in_msgs');
    expect(values).to.have.length(60);
    expect(values.slice(-4)).to.deep.equal([5, undefined, 7, 9]);
    expect(values.slice(0, 56).every((v) => v === undefined)).to.equal(true);
    expect(
      h.values('N1', 'n1', 'out_msgs').every((v) => v === undefined),
      'null rates are gaps',
    ).to.equal(true);
  });

  it('folds live rates into the current bin (weighted by seconds), then opens a new bin each minute', () => {
    const to = T0 + 3 * MIN + 30_000;
    const h = new HistoryBins(reply([bin(T0 + 3 * MIN, 10, 30)], to));
    h.fold('N1', 'n1', to - 5_000, 5, { in_msgs: 1_000 });
    expect(h.values('N1', 'n1', 'in_msgs').at(-1), 'an interval before the reply is in it already').to.equal(10);
    h.fold('N1', 'n1', to + 10_000, 10, { in_msgs: 100 });
    expect(h.values('N1', 'n1', 'in_msgs').at(-1)).to.equal((10 * 30 + 100 * 10) / 40);
    h.fold('N1', 'n1', T0 + 4 * MIN + 5_000, 5, { in_msgs: 50 });
    const values = h.values('N1', 'n1', 'in_msgs');
    expect(values.slice(-2)).to.deep.equal([(10 * 30 + 100 * 10) / 40, 50]);
    expect(values).to.have.length(60);
  });

  it('24 h: 24-minute bins; live rates fold into the current one', () => {
    const to = T0 + 30 * MIN;
    const h = new HistoryBins(reply([bin(T0, 4, 1_440), bin(T0 + 24 * MIN, 8, 360)], to, { range: '24h', bin_seconds: 1_440 }));
    expect(h.binMs).to.equal(24 * MIN);
    expect(h.slots).to.equal(60);
    h.fold('N1', 'n1', to + 60_000, 60, { in_msgs: 20 });
    expect(h.values('N1', 'n1', 'in_msgs').slice(-2)).to.deep.equal([4, (8 * 360 + 20 * 60) / 420]);
  });

  it('a restarted server (new id, same name) shows its earlier run’s bins; a new server starts empty', () => {
    const h = new HistoryBins(reply([bin(T0, 5)], T0 + 30_000));
    h.fold('N2', 'n1', T0 + MIN + 5_000, 5, { in_msgs: 9 });
    expect(h.values('N2', 'n1', 'in_msgs').slice(-2)).to.deep.equal([5, 9]);
    expect(h.has('N3', 'n3')).to.equal(false);
    expect(h.values('N3', 'n3', 'in_msgs').every((v) => v === undefined)).to.equal(true);
  });

  it('ServerTrends: live samples without history, the bins with it (live rates folded in over the server clock)', () => {
    const trends = new ServerTrends(() => 60);
    const varz = (seconds: number, in_msgs: number): MonitorReply<Varz>[] => [
      {
        server: { name: 'n1', id: 'N1' },
        data: { now: new Date(T0 + seconds * 1_000).toISOString(), server_name: 'n1', in_msgs, out_msgs: 0, in_bytes: 0, out_bytes: 0 } as Varz,
      },
    ];
    trends.track(varz(0, 0));
    trends.track(varz(10, 1_000));
    expect(trends.series('N1', 'n1', 'in_msgs')).to.deep.equal([100]);
    trends.useHistory(new HistoryBins(reply([bin(T0 - MIN, 7)], T0 + 10_000)));
    trends.track(varz(20, 1_500));
    expect(trends.series('N1', 'n1', 'in_msgs').slice(-2)).to.deep.equal([7, 50]);
    trends.useHistory(undefined);
    expect(trends.series('N1', 'n1', 'in_msgs')).to.deep.equal([100, 50]);
  });

  it('says why the history is not there, and names the range', () => {
    expect(historyProblem(new NunectError('NO_RESPONDERS', 'x'), 5_000)).to.equal('history not available: no Controller answers ops.history.statsz');
    expect(historyProblem(new NunectError('TIMEOUT', 'x'), 5_000)).to.equal('history not available: no Controller answered ops.history.statsz within 5 s');
    expect(historyProblem(new NunectError('PERMISSION_DENIED', 'x'), 5_000)).to.equal(
      'history not available: permission denied: this user may not ask ops.history.statsz',
    );
    expect(historyProblem(new NunectError('NATS', 'the Controller refused the request: nope'), 5_000)).to.equal(
      'history not available: the Controller refused the request: nope',
    );
    expect(sparklineLabel('in_msgs', '1h', 0)).to.equal('messages in per second, last hour');
    expect(sparklineLabel('out_bytes', '24h', 0)).to.equal('bytes out per second, last 24 hours');
    expect(sparklineLabel('in_bytes', 'live', 300_000)).to.equal('bytes in per second, last 5 min');
    expect(historyPoints(5_000)).to.equal(1_440);
    expect(historyPoints(0)).to.equal(1);
  });
});

describe('HistoryRetry (varz-history.ts)', () => {
  it('backs off 5, 10, 20, 40, then every 60 s; a success resets it; a permission error is final', () => {
    const retry = new HistoryRetry();
    const gaps: number[] = [];
    let now = T0;
    expect(retry.askAgain(now), 'nothing failed yet').to.equal(false);
    for (let i = 0; i < 6; i++) {
      retry.failed(new NunectError('NO_RESPONDERS', 'no responders'), now);
      gaps.push(retry.retryAt! - now);
      expect(retry.askAgain(retry.retryAt! - 1), 'not before').to.equal(false);
      now = retry.retryAt!;
      expect(retry.askAgain(now)).to.equal(true);
      expect(retry.askAgain(now), 'once per failure').to.equal(false);
    }
    expect(gaps).to.deep.equal([5_000, 10_000, 20_000, 40_000, 60_000, 60_000]);
    expect(retry.attempt).to.equal(6);
    retry.succeeded();
    retry.failed(new NunectError('TIMEOUT', 'timed out'), now);
    expect(retry.retryAt! - now, 'from the start again').to.equal(5_000);
    retry.failed(new NunectError('PERMISSION_DENIED', 'Permissions Violation'), now);
    expect(retry.retryAt).to.equal(undefined);
    expect(retry.askAgain(now + 3_600_000)).to.equal(false);
  });
});
