/**
 * The history behind `<nunect-varz>`'s sparklines, Lit-free: the Controller's binned server
 * statistics (`ops.history.statsz`, client/history.ts) prefill one series per server and rate,
 * and the live VARZ rates are folded into the current bin (a new bin opens when the time moves
 * past it), so a sparkline shows the last hour (1-minute bins) or the last 24 hours (24-minute
 * bins) from the moment the widget opens. `live` keeps today's behaviour (the samples of the
 * widget's own polls, see varz-trends.ts).
 */
import { NunectError } from '../../client/errors.js';
import { HISTORY_RANGES, MAX_HISTORY_POINTS, STATSZ_HISTORY_SUBJECT, type HistoryRange, type StatszHistoryReply } from '../../client/history.js';
import { formatDuration } from '../../src/monitor/format.js';
import type { Counter } from './varz-trends.js';

/** What the sparklines show: the widget's own polls (`live`), or the last hour or day from the Controller. */
export type SparklineRange = 'live' | HistoryRange;
export const SPARKLINE_RANGES: readonly SparklineRange[] = ['live', '1h', '24h'];

export function isSparklineRange(v: unknown): v is SparklineRange {
  return typeof v === 'string' && (SPARKLINE_RANGES as readonly string[]).includes(v);
}

/** The toggle's labels. */
export const RANGE_LABELS: Record<SparklineRange, string> = { live: 'Live', '1h': '1 h', '24h': '24 h' };

/** How a sparkline's label names its range: "last hour", "last 24 hours", live: "last 5 min". */
export function rangeText(range: SparklineRange, liveSpan: number): string {
  if (range === '1h') return 'last hour';
  if (range === '24h') return 'last 24 hours';
  return `last ${formatDuration(liveSpan)}`;
}

const COUNTER_TEXT: Record<Counter, string> = {
  in_msgs: 'messages in',
  out_msgs: 'messages out',
  in_bytes: 'bytes in',
  out_bytes: 'bytes out',
};

/** The accessible name of a rate's sparkline: "messages in per second, last hour". */
export function sparklineLabel(counter: Counter, range: SparklineRange, liveSpan: number): string {
  return `${COUNTER_TEXT[counter]} per second, ${rangeText(range, liveSpan)}`;
}

/** How many bins the widget asks for: its `samples`, within what the Controller accepts. */
export function historyPoints(samples: number): number {
  return Math.min(MAX_HISTORY_POINTS, Math.max(1, Math.floor(Number.isFinite(samples) ? samples : 60)));
}

/** Why the history could not be had, for people: "history not available: no Controller answers ops.history.statsz". */
export function historyProblem(err: unknown, timeout: number): string {
  const code = err instanceof NunectError ? err.code : undefined;
  const why =
    code === 'NO_RESPONDERS'
      ? `no Controller answers ${STATSZ_HISTORY_SUBJECT}`
      : code === 'TIMEOUT'
        ? `no Controller answered ${STATSZ_HISTORY_SUBJECT} within ${formatDuration(timeout)}`
        : code === 'PERMISSION_DENIED'
          ? `permission denied: this user may not ask ${STATSZ_HISTORY_SUBJECT}`
          : code === 'CLOSED'
            ? 'the connection is closed'
            : err instanceof Error
              ? err.message
              : String(err);
  return `history not available: ${why}`;
}

/**
 * When to ask for the history again after it failed: a Controller that is not there yet (it
 * reconnects after the server, or starts after the page) or did not answer in time is asked
 * again after 5 s, then 10, 20, 40 and every 60 s, so the sparklines recover by themselves. A
 * permission error is final. Driven by the widget's polls and the connection's clock: no timers.
 */
export class HistoryRetry {
  static readonly FIRST_MS = 5_000;
  static readonly MAX_MS = 60_000;
  /** Goes up by one for each new ask: part of the history task's arguments. */
  attempt = 0;
  #failures = 0;
  #retryAt: number | undefined;

  failed(err: unknown, now: number): void {
    this.#failures++;
    // Permission denied never passes by waiting (a new login asks again).
    const final = err instanceof NunectError && err.code === 'PERMISSION_DENIED';
    this.#retryAt = final ? undefined : now + Math.min(HistoryRetry.MAX_MS, HistoryRetry.FIRST_MS * 2 ** (this.#failures - 1));
  }

  succeeded(): void {
    this.#failures = 0;
    this.#retryAt = undefined;
  }

  /** When the next ask is due (undefined: none planned). */
  get retryAt(): number | undefined {
    return this.#retryAt;
  }

  /** True (and a new attempt counted) when a failed ask is due again at `now`. */
  askAgain(now: number): boolean {
    if (this.#retryAt === undefined || now < this.#retryAt) return false;
    this.#retryAt = undefined;
    this.attempt++;
    return true;
  }
}

const COUNTERS: readonly Counter[] = ['in_msgs', 'out_msgs', 'in_bytes', 'out_bytes'];

/** One bin of one server: per counter, rate × seconds and the seconds (a weighted mean). */
interface Bin {
  sum: number[];
  weight: number[];
}

interface Series {
  id: string;
  name: string;
  bins: Map<number, Bin>;
}

/**
 * The binned rates of every server for one range: the Controller's reply, then the live rates
 * folded in. Sparkline values are the `slots` bins that end with the latest one, `undefined` where
 * a bin has no data (a gap, drawn as a break).
 */
export class HistoryBins {
  readonly range: HistoryRange;
  readonly binMs: number;
  readonly slots: number;
  /** The Controller's "now" when it answered: live rates up to it are in the reply already. */
  readonly to: number;
  #latest: number;
  #servers = new Map<string, Series>();

  constructor(reply: StatszHistoryReply) {
    this.range = reply.range;
    this.binMs = reply.bin_seconds * 1000;
    this.slots = Math.max(2, Math.ceil(HISTORY_RANGES[reply.range] / this.binMs));
    const to = Date.parse(reply.to);
    this.to = Number.isFinite(to) ? to : 0;
    this.#latest = this.to;
    for (const s of reply.servers) {
      const series = this.#series(s.id, s.name);
      for (const b of s.bins) {
        const t = this.#binOf(Date.parse(b.t));
        if (!Number.isFinite(t)) continue;
        const bin = this.#bin(series, t);
        const seconds = b.seconds > 0 ? b.seconds : 1;
        COUNTERS.forEach((c, i) => {
          const rate = b[c];
          if (rate === null) return;
          bin.sum[i]! += rate * seconds;
          bin.weight[i]! += seconds;
        });
        this.#latest = Math.max(this.#latest, t);
      }
    }
  }

  /**
   * Folds live rates measured over the `seconds` before `at` (the server's clock, ms) into the bin
   * of `at`. Intervals that end before the reply's time are in the reply already and are skipped.
   */
  fold(serverId: string, name: string, at: number, seconds: number, rates: Partial<Record<Counter, number>>): void {
    if (!Number.isFinite(at) || !(seconds > 0) || at <= this.to) return;
    const bin = this.#bin(this.#series(serverId, name), this.#binOf(at));
    COUNTERS.forEach((c, i) => {
      const rate = rates[c];
      if (rate === undefined) return;
      bin.sum[i]! += rate * seconds;
      bin.weight[i]! += seconds;
    });
    this.#latest = Math.max(this.#latest, at);
  }

  /**
   * A server's values for one rate, oldest first, `slots` long, ending with the latest bin. A
   * server that restarted has a new id: its earlier runs (same name) fill the bins it lacks.
   */
  values(serverId: string, name: string, counter: Counter): (number | undefined)[] {
    const i = COUNTERS.indexOf(counter);
    const sources = [this.#servers.get(serverId), ...[...this.#servers.values()].filter((s) => s.id !== serverId && s.name === name)].filter(
      (s): s is Series => !!s,
    );
    const end = this.#binOf(this.#latest);
    const out: (number | undefined)[] = [];
    for (let k = this.slots - 1; k >= 0; k--) {
      const t = end - k * this.binMs;
      let value: number | undefined;
      for (const s of sources) {
        const bin = s.bins.get(t);
        if (bin && bin.weight[i]! > 0) {
          value = bin.sum[i]! / bin.weight[i]!;
          break;
        }
      }
      out.push(value);
    }
    return out;
  }

  /** Whether any bin of this server (or an earlier run of it) has data. */
  has(serverId: string, name: string): boolean {
    return [...this.#servers.values()].some((s) => (s.id === serverId || s.name === name) && s.bins.size > 0);
  }

  #binOf(t: number): number {
    return Math.floor(t / this.binMs) * this.binMs;
  }

  #series(id: string, name: string): Series {
    let s = this.#servers.get(id);
    if (!s) {
      s = { id, name, bins: new Map() };
      this.#servers.set(id, s);
    }
    return s;
  }

  #bin(series: Series, t: number): Bin {
    let bin = series.bins.get(t);
    if (!bin) {
      bin = { sum: [0, 0, 0, 0], weight: [0, 0, 0, 0] };
      series.bins.set(t, bin);
      // Bounded: bins older than the range behind the newest are dropped.
      const oldest = t - this.slots * this.binMs;
      for (const k of series.bins.keys()) if (k < oldest) series.bins.delete(k);
    }
    return bin;
  }
}
