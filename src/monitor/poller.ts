import { NunectError, type Clock, type MonitorSource, type Msg } from '../../client/index.js';
import type { MonitorKind, MonitorParams, MonitorReply, ServerRef } from '../../client/monitor-types.js';
import { ServerRoster, type AbsentServer } from './roster.js';

/**
 * What the poller needs of its connection (the hub implements it): where data comes from now,
 * whether it can be asked, the clock, live events, and a way to hear when that changes.
 */
export interface PollerHost {
  /** The current source: `$SYS` over the connected client, or the HTTP monitor; none while offline. */
  readonly monitorSource: MonitorSource | undefined;
  /** Whether polling makes sense now (connected, or an HTTP monitor that needs no connection). */
  readonly monitorAvailable: boolean;
  readonly clock: Clock;
  /** Calls `listener` whenever the connection's state changes; returns the remover. */
  subscribe(listener: () => void): () => void;
  /** Subscribes to events on the current connection (none: a no-op); returns the remover. */
  events(subjects: readonly string[], onMessage: (msg: Msg) => void): () => void;
  /** The poller needs no source any more (it has nothing to poll): release it. */
  releaseMonitorSource?(): void;
}

/** What a widget sees of one poll: the last good replies, and the last error if the latest poll failed. */
export interface PollSnapshot<T = unknown> {
  replies?: MonitorReply<T>[];
  /**
   * Servers of the cluster that are not in `replies`: not answering (since when, how many surveys)
   * or stopped cleanly. Empty when every known server answered, or for one server.
   */
  absent?: AbsentServer[];
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
  /** The number of the latest survey of this entry (late replies to it are merged in). */
  survey: number;
  /** Late replies to the survey in flight that came before its first replies were handled. */
  early: MonitorReply[];
}

const DEFAULT_INTERVAL = 5_000;
/** Events that tell the roster about servers between surveys. */
export const ROSTER_EVENTS = ['$SYS.SERVER.*.STATSZ', '$SYS.SERVER.*.SHUTDOWN', '$SYS.SERVER.*.LAMEDUCK'] as const;

/**
 * One poll per kind of data (and parameters) per interval, shared by every widget of a hub,
 * however many watch it. Pauses while the page is hidden or the connection is down, and polls
 * at once when either comes back.
 *
 * Surveys (every server answers) wait for every server the {@link ServerRoster} knows to be
 * running — or for the cluster size the servers report, whichever is larger — then stop; with
 * fewer replies they end after a quiet period. A server that answers after its survey ended is
 * merged into that survey's snapshot, so a returning or new server shows at the next poll.
 */
/** The kinds polled first after a (re)connect, in this order; the others follow. */
const FIRST_KINDS: readonly string[] = ['VARZ', 'STATSZ', 'HEALTHZ', 'CONNZ'];

export class MonitorPoller {
  /** Requests sent so far (for tests and benchmarks). */
  requestsSent = 0;
  /** Every server of the cluster heard of, and whether it is answering. */
  readonly roster: ServerRoster;
  #hub: PollerHost;
  #entries = new Map<string, Entry>();
  #stopHub?: () => void;
  #stopEvents?: () => void;
  #stopRoster?: () => void;
  #onVisibility = () => this.#resume();

  constructor(hub: PollerHost) {
    this.#hub = hub;
    // The host's clock may change (a provider's .clock): read it at each use.
    this.roster = new ServerRoster({ now: () => hub.clock.now() });
  }

  /** Starts (or joins) polling; `listener` gets every new snapshot. Returns the stop function. */
  watch<T>(options: WatchOptions, listener: (snapshot: PollSnapshot<T>) => void): () => void {
    const key = JSON.stringify([options.kind, options.serverId ?? '', options.params ?? {}]);
    let entry = this.#entries.get(key);
    const l = listener as Listener;
    if (!entry) {
      entry = { key, options, listeners: new Map(), inFlight: false, snapshot: { loading: false }, lastStart: -Infinity, survey: 0, early: [] };
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
    for (const e of this.#byPriority()) this.#schedule(e, 0);
  }

  /**
   * The entries, the kinds a page shows first (which servers, their figures) before the rest: a
   * server answers one connection's requests in the order they came, and JSZ or ACCOUNTZ of a
   * cluster can take a while.
   */
  #byPriority(): Entry[] {
    const rank = (e: Entry) => {
      const i = FIRST_KINDS.indexOf(e.options.kind);
      return i < 0 ? FIRST_KINDS.length : i;
    };
    return [...this.#entries.values()].sort((a, b) => rank(a) - rank(b));
  }

  /** How many kinds are being polled (for tests). */
  get activeCount(): number {
    return this.#entries.size;
  }

  /** A reply that came after its survey ended (the source's late-reply handler). */
  late(reply: MonitorReply, tag: string | undefined): void {
    const changed = this.roster.heard(reply.server);
    const [key, survey] = tag ? [tag.slice(0, tag.lastIndexOf('#')), Number(tag.slice(tag.lastIndexOf('#') + 1))] : ['', 0];
    const entry = this.#entries.get(key);
    if (entry && entry.survey === survey && entry.inFlight) {
      // Its survey ended, but the poll has not handled the first replies yet (they came in the
      // same read as this one): merged when it does.
      entry.early.push(reply);
    } else if (entry && entry.survey === survey && entry.snapshot.replies) {
      const replies = [...entry.snapshot.replies.filter((r) => r.server.name !== reply.server.name), reply].sort(byName);
      this.#emit(entry, { ...entry.snapshot, replies, absent: this.#absent(replies, entry.snapshot.absent) });
    } else if (changed) {
      this.#refreshAbsent();
    }
  }

  /** Whether `entry` is the live one of its key (not one stopped and replaced meanwhile). */
  #current(entry: Entry): boolean {
    return this.#entries.get(entry.key) === entry && entry.listeners.size > 0;
  }

  /** The shortest interval its listeners ask for (finite: a timer of Infinity fires at once). */
  #interval(entry: Entry): number {
    const ms = Math.min(...entry.listeners.values());
    return Number.isFinite(ms) && ms > 0 ? ms : DEFAULT_INTERVAL;
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
    // An entry stopped while its poll was in flight is not the one under its key any more (a new
    // watch of the same options made another): it must never poll again.
    if (entry.inFlight || !this.#current(entry)) return;
    if (this.#paused()) return; // #resume() polls again
    const source = this.#hub.monitorSource;
    const { kind, params, serverId } = entry.options;
    entry.inFlight = true;
    entry.lastStart = performance.now();
    this.#emit(entry, { ...entry.snapshot, loading: true });
    this.requestsSent++;
    try {
      if (!source) throw new NunectError('CLOSED', 'not connected');
      const survey = !serverId && source.via === 'nats';
      const seq = ++entry.survey;
      // Stop at every known server; knowing none yet, at the first reply: the others follow as late
      // replies, merged into this snapshot as they come, so the first rows need not wait a quiet period.
      const known = survey ? this.roster.expected() : 0;
      const expected = survey ? Math.max(1, known) : 0;
      entry.early = [];
      const first: MonitorReply[] = await source.fetch(kind, params, {
        serverId,
        expectServers: expected || undefined,
        tag: `${entry.key}#${seq}`,
      });
      const early = new Set(entry.early.map((r) => r.server.name));
      const replies = [...first.filter((r) => !early.has(r.server.name)), ...entry.early].sort(byName);
      entry.early = [];
      if (survey) {
        // A survey that knew no server stopped at the first reply: it says nothing of the others
        // (the roster may have learnt them meanwhile from another kind's survey).
        if (known > 0) this.roster.surveyed(replies.map((r) => r.server));
        else for (const r of replies) this.roster.heard(r.server);
        if (kind === 'STATSZ') this.roster.reportedSize(maxActive(replies));
      }
      const failed = replies.filter((r) => r.error);
      const good = replies.filter((r) => !r.error);
      const error = good.length === 0 && failed.length ? new NunectError('NATS', `${kind}: ${failed[0]!.error!.description}`) : undefined;
      const absent = survey ? this.roster.absent(replies) : [];
      this.#emit(entry, error ? { ...entry.snapshot, error, loading: false } : { replies, absent, at: this.#hub.clock.now(), loading: false });
    } catch (err) {
      const error = err instanceof NunectError ? err : new NunectError('NATS', String(err));
      this.#emit(entry, { ...entry.snapshot, error, loading: false });
    } finally {
      entry.inFlight = false;
    }
    if (this.#current(entry)) {
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

  /** The roster changed between surveys (a shutdown, a server heard again): every snapshot says so. */
  #refreshAbsent(): void {
    for (const e of this.#entries.values()) {
      const replies = e.snapshot.replies;
      if (!replies || e.options.serverId) continue;
      this.#emit(e, { ...e.snapshot, absent: this.#absent(replies, e.snapshot.absent) });
    }
  }

  /**
   * The servers `replies` lack. One named before stays named while these replies lack it, even
   * once the roster hears it again (an event): these replies still have nothing from it, and
   * every snapshot names each server it lacks. Its reply comes with the next poll.
   */
  #absent(replies: readonly MonitorReply[], before: readonly AbsentServer[] | undefined): AbsentServer[] {
    const now = this.roster.absent(replies);
    if (!before?.length) return now;
    const named = new Set([...replies.map((r) => r.server.name), ...now.map((a) => a.name)]);
    return [...now, ...before.filter((a) => !named.has(a.name))].sort((a, b) => a.name.localeCompare(b.name));
  }

  #resume(): void {
    if (this.#paused()) return;
    const now = performance.now();
    for (const e of this.#byPriority()) {
      if (!e.inFlight && (e.timer === undefined || now - e.lastStart >= this.#interval(e))) this.#schedule(e, 0);
    }
  }

  #onEvent = (msg: Msg): void => {
    let body: { server?: ServerRef; statsz?: { active_servers?: number } } & Partial<ServerRef>;
    try {
      body = msg.json();
    } catch {
      return;
    }
    // STATSZ wraps the server in `server`; SHUTDOWN and LAMEDUCK are the server info itself.
    const server = body.server ?? (typeof body.name === 'string' ? (body as ServerRef) : undefined);
    if (!server || typeof server.name !== 'string' || typeof server.id !== 'string') return;
    if (msg.subject.endsWith('.SHUTDOWN')) this.roster.stopping(server, 'shutdown');
    else if (msg.subject.endsWith('.LAMEDUCK')) this.roster.stopping(server, 'lame-duck');
    else this.roster.heard(server, body.statsz?.active_servers);
  };

  #listenToEvents(): void {
    this.#stopEvents?.();
    this.#stopEvents = this.#hub.events(ROSTER_EVENTS, this.#onEvent);
  }

  #attach(): void {
    if (this.#stopHub) return;
    let last = this.#hub.monitorAvailable;
    this.#stopHub = this.#hub.subscribe(() => {
      const now = this.#hub.monitorAvailable;
      if (now === last) return;
      last = now;
      if (now) {
        this.#listenToEvents();
        this.#resume();
      }
    });
    this.#listenToEvents();
    this.#stopRoster = this.roster.onChange(() => this.#refreshAbsent());
    if (typeof document !== 'undefined') document.addEventListener('visibilitychange', this.#onVisibility);
  }

  #detach(): void {
    this.#stopHub?.();
    this.#stopHub = undefined;
    this.#stopEvents?.();
    this.#stopEvents = undefined;
    this.#stopRoster?.();
    this.#stopRoster = undefined;
    this.#hub.releaseMonitorSource?.();
    if (typeof document !== 'undefined') document.removeEventListener('visibilitychange', this.#onVisibility);
  }
}

function byName(a: MonitorReply, b: MonitorReply): number {
  return a.server.name.localeCompare(b.server.name);
}

function maxActive(replies: MonitorReply[]): number | undefined {
  let n: number | undefined;
  for (const r of replies) {
    const a = (r.data as { active_servers?: number } | undefined)?.active_servers;
    if (typeof a === 'number') n = Math.max(n ?? 0, a);
  }
  return n;
}
