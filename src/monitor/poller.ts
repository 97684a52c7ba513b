import { NunectError, type Clock, type MonitorSource } from '../../client/index.js';
import type { MonitorKind, MonitorParams, MonitorReply } from '../../client/monitor-types.js';

/**
 * What the poller needs of its connection (the hub implements it): where data comes from now,
 * whether it can be asked, the clock, and a way to hear when that changes.
 */
export interface PollerHost {
  /** The current source: `$SYS` over the connected client, or the HTTP monitor; none while offline. */
  readonly monitorSource: MonitorSource | undefined;
  /** Whether polling makes sense now (connected, or an HTTP monitor that needs no connection). */
  readonly monitorAvailable: boolean;
  readonly clock: Clock;
  /** Calls `listener` whenever the connection's state changes; returns the remover. */
  subscribe(listener: () => void): () => void;
}

/** What a widget sees of one poll: the last good replies, and the last error if the latest poll failed. */
export interface PollSnapshot<T = unknown> {
  replies?: MonitorReply<T>[];
  /** When the last good replies arrived (ms since the epoch). */
  at?: number;
  /** The last poll's error; cleared by the next success. */
  error?: NunectError;
  /** A request is under way. */
  loading: boolean;
}

export interface WatchOptions {
  kind: MonitorKind;
  params?: MonitorParams;
  /** Milliseconds between polls. Default 5 000; the shortest interval of all watchers wins. */
  interval?: number;
  /** Ask one server (by id) rather than every server. */
  serverId?: string;
}

type Listener = (snapshot: PollSnapshot<never>) => void;

interface Entry {
  key: string;
  options: WatchOptions;
  listeners: Map<Listener, number>;
  timer?: ReturnType<typeof setTimeout>;
  inFlight: boolean;
  snapshot: PollSnapshot;
  lastStart: number;
}

const DEFAULT_INTERVAL = 5_000;

/**
 * One poll per kind of data (and parameters) per interval, shared by every widget of a hub,
 * however many watch it. Pauses while the page is hidden or the connection is down, and polls
 * at once when either comes back.
 */
export class MonitorPoller {
  /** Requests sent so far (for tests and benchmarks). */
  requestsSent = 0;
  #hub: PollerHost;
  #entries = new Map<string, Entry>();
  #stopHub?: () => void;
  #onVisibility = () => this.#resume();
  /** Servers that answered the last survey, to stop collecting replies as soon as all did. */
  #knownServers = 0;
  #lastSurvey = 0;

  constructor(hub: PollerHost) {
    this.#hub = hub;
  }

  /** Starts (or joins) polling; `listener` gets every new snapshot. Returns the stop function. */
  watch<T>(options: WatchOptions, listener: (snapshot: PollSnapshot<T>) => void): () => void {
    const key = JSON.stringify([options.kind, options.serverId ?? '', options.params ?? {}]);
    let entry = this.#entries.get(key);
    const l = listener as Listener;
    if (!entry) {
      entry = { key, options, listeners: new Map(), inFlight: false, snapshot: { loading: false }, lastStart: 0 };
      this.#entries.set(key, entry);
      this.#attach();
    }
    entry.listeners.set(l, options.interval ?? DEFAULT_INTERVAL);
    l(entry.snapshot as PollSnapshot<never>);
    if (entry.listeners.size === 1) this.#schedule(entry, 0);
    const e = entry;
    return () => {
      e.listeners.delete(l);
      if (e.listeners.size === 0) {
        clearTimeout(e.timer);
        this.#entries.delete(e.key);
        if (this.#entries.size === 0) this.#detach();
      }
    };
  }

  /** Polls every watched kind now (the retry button). */
  refresh(): void {
    for (const e of this.#entries.values()) this.#schedule(e, 0);
  }

  /** How many kinds are being polled (for tests). */
  get activeCount(): number {
    return this.#entries.size;
  }

  #interval(entry: Entry): number {
    return Math.min(...entry.listeners.values());
  }

  #paused(): boolean {
    if (typeof document !== 'undefined' && document.hidden) return true;
    return !this.#hub.monitorAvailable;
  }

  #schedule(entry: Entry, delay: number): void {
    clearTimeout(entry.timer);
    entry.timer = setTimeout(() => void this.#poll(entry), delay);
  }

  async #poll(entry: Entry): Promise<void> {
    entry.timer = undefined;
    if (entry.inFlight || !this.#entries.has(entry.key)) return;
    if (this.#paused()) return; // #resume() polls again
    const source = this.#hub.monitorSource;
    const { kind, params, serverId } = entry.options;
    entry.inFlight = true;
    entry.lastStart = performance.now();
    this.#emit(entry, { ...entry.snapshot, loading: true });
    this.requestsSent++;
    try {
      if (!source) throw new NunectError('CLOSED', 'not connected');
      // Every 30 s wait the full quiet period, so servers that joined the cluster are found.
      const survey = !serverId && (this.#knownServers === 0 || performance.now() - this.#lastSurvey > 30_000);
      const replies: MonitorReply[] = await source.fetch(kind, params, { serverId, expectServers: survey ? undefined : this.#knownServers });
      if (!serverId && (survey || replies.length > this.#knownServers)) {
        this.#knownServers = replies.length;
        this.#lastSurvey = performance.now();
      }
      replies.sort((a, b) => a.server.name.localeCompare(b.server.name));
      const failed = replies.filter((r) => r.error);
      const good = replies.filter((r) => !r.error);
      const error = good.length === 0 && failed.length ? new NunectError('NATS', `${kind}: ${failed[0]!.error!.description}`) : undefined;
      this.#emit(entry, error ? { ...entry.snapshot, error, loading: false } : { replies, at: this.#hub.clock.now(), loading: false });
    } catch (err) {
      const error = err instanceof NunectError ? err : new NunectError('NATS', String(err));
      this.#emit(entry, { ...entry.snapshot, error, loading: false });
    } finally {
      entry.inFlight = false;
    }
    if (this.#entries.has(entry.key)) {
      const elapsed = performance.now() - entry.lastStart;
      this.#schedule(entry, Math.max(250, this.#interval(entry) - elapsed));
    }
  }

  #emit(entry: Entry, snapshot: PollSnapshot): void {
    entry.snapshot = snapshot;
    for (const l of entry.listeners.keys()) {
      try {
        l(snapshot as PollSnapshot<never>);
      } catch (err) {
        console.error('nunect: a poll listener threw', err);
      }
    }
  }

  #resume(): void {
    if (this.#paused()) return;
    const now = performance.now();
    for (const e of this.#entries.values()) {
      if (!e.inFlight && (e.timer === undefined || now - e.lastStart >= this.#interval(e))) this.#schedule(e, 0);
    }
  }

  #attach(): void {
    if (this.#stopHub) return;
    let last = this.#hub.monitorAvailable;
    this.#stopHub = this.#hub.subscribe(() => {
      const now = this.#hub.monitorAvailable;
      if (now === last) return;
      last = now;
      if (now) this.#resume();
    });
    if (typeof document !== 'undefined') document.addEventListener('visibilitychange', this.#onVisibility);
  }

  #detach(): void {
    this.#stopHub?.();
    this.#stopHub = undefined;
    if (typeof document !== 'undefined') document.removeEventListener('visibilitychange', this.#onVisibility);
  }
}
