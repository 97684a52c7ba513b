/**
 * Message and byte rates of each server from its VARZ counters, over the server's own clock (see
 * `RateTracker`), with a short history for sparklines: the last `samples` rates of the polls, or,
 * once {@link ServerTrends.useHistory} is given the Controller's bins (varz-history.ts), those
 * bins with the live rates folded in. Lit-free; `<nunect-varz>` and `<nunect-servers>` both keep one.
 */
import type { MonitorReply, Varz } from '../../client/monitor-types.js';
import { History, RateTracker } from '../../src/monitor/rates.js';
import type { HistoryBins } from './varz-history.js';

export type Counter = 'in_msgs' | 'out_msgs' | 'in_bytes' | 'out_bytes';
export const COUNTERS: readonly Counter[] = ['in_msgs', 'out_msgs', 'in_bytes', 'out_bytes'];

export interface ServerTrend {
  rates: RateTracker<Counter>;
  /** The latest rates per second (empty until the second reply). */
  current: Partial<Record<Counter, number>>;
  history: Record<Counter, History>;
  /** The server's clock at the last reply, ms. */
  at?: number;
}

/** The trends of every server, by server id (a restarted server starts again). */
export class ServerTrends {
  #trends = new Map<string, ServerTrend>();
  #samples: () => number;
  #bins?: HistoryBins;

  /** `samples`: how many rates each history keeps (read when a server is first seen). */
  constructor(samples: () => number = () => 60) {
    this.#samples = samples;
  }

  /** Feeds a poll's replies. */
  track(replies: readonly MonitorReply<Varz>[]): void {
    for (const r of replies) {
      if (!r.data) continue;
      let trend = this.#trends.get(r.server.id);
      if (!trend) {
        const history = Object.fromEntries(COUNTERS.map((c) => [c, new History(this.#samples())])) as Record<Counter, History>;
        trend = { rates: new RateTracker<Counter>(), current: {}, history };
        this.#trends.set(r.server.id, trend);
      }
      const before = trend.at;
      const at = Date.parse(r.data.now);
      const rates = trend.rates.update(r.data.now, Object.fromEntries(COUNTERS.map((c) => [c, r.data![c]])) as Record<Counter, number>);
      if (Number.isFinite(at)) trend.at = at;
      if (rates) {
        trend.current = rates;
        for (const c of COUNTERS) if (rates[c] !== undefined) trend.history[c].push(rates[c]!);
        if (before !== undefined) this.#bins?.fold(r.server.id, r.data.server_name || r.server.name, at, (at - before) / 1000, rates);
      }
    }
  }

  /** The Controller's bins the sparklines show from now on (live rates are folded in); undefined: the polls' samples. */
  useHistory(bins: HistoryBins | undefined): void {
    this.#bins = bins;
  }

  /** The bins in use, if any. */
  get bins(): HistoryBins | undefined {
    return this.#bins;
  }

  /** A rate's sparkline values: the bins (gaps undefined) when history is in use, else the polls' samples. */
  series(serverId: string, name: string, counter: Counter): readonly (number | undefined)[] {
    if (this.#bins) return this.#bins.values(serverId, name, counter);
    return this.#trends.get(serverId)?.history[counter].values ?? [];
  }

  get(serverId: string): ServerTrend | undefined {
    return this.#trends.get(serverId);
  }

  /** Forgets every server and the bins (another connection). */
  clear(): void {
    this.#trends.clear();
    this.#bins = undefined;
  }
}
