/**
 * Message and byte rates of each server from its VARZ counters, over the server's own clock (see
 * `RateTracker`), with a short history for sparklines. Lit-free; `<nunect-varz>` and
 * `<nunect-servers>` both keep one.
 */
import type { MonitorReply, Varz } from '../../client/monitor-types.js';
import { History, RateTracker } from '../../src/monitor/rates.js';

export type Counter = 'in_msgs' | 'out_msgs' | 'in_bytes' | 'out_bytes';
export const COUNTERS: readonly Counter[] = ['in_msgs', 'out_msgs', 'in_bytes', 'out_bytes'];

export interface ServerTrend {
  rates: RateTracker<Counter>;
  /** The latest rates per second (empty until the second reply). */
  current: Partial<Record<Counter, number>>;
  history: Record<Counter, History>;
}

/** The trends of every server, by server id (a restarted server starts again). */
export class ServerTrends {
  #trends = new Map<string, ServerTrend>();
  #samples: () => number;

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
      const rates = trend.rates.update(r.data.now, Object.fromEntries(COUNTERS.map((c) => [c, r.data![c]])) as Record<Counter, number>);
      if (rates) {
        trend.current = rates;
        for (const c of COUNTERS) if (rates[c] !== undefined) trend.history[c].push(rates[c]!);
      }
    }
  }

  get(serverId: string): ServerTrend | undefined {
    return this.#trends.get(serverId);
  }

  /** Forgets every server (another connection). */
  clear(): void {
    this.#trends.clear();
  }
}
