/**
 * The Controller: the dashboard's backend, a Node service in the OPS account that keeps what the
 * page shows about units, with NATS and JetStream as its only store (restartable; it keeps
 * nothing of its own):
 * - the unit registry, KV `OPS_UNITS` (key `<account>.<unit>`): state (alive, late, lost,
 *   stopped), why, last heartbeat, first seen, restarts, flaps, checks, load;
 * - every state change with its reason, stream `OPS_UNIT_EVENTS` (`ops.units.events.<account>.<unit>`);
 * - the units' logs, stream `OPS_LOGS` (age and size from NATS_LOG_MAX_AGE / NATS_LOG_MAX_BYTES);
 * - the audit records of page actions, stream `OPS_AUDIT`;
 * - 24 h of server statistics, stream `OPS_STATSZ` (`sys.statsz.<server id>`, exported by SYS),
 *   summarised per minute in memory and answered on `ops.history.statsz` (client/history.ts; OPS
 *   exports `ops.history.>` and SYS imports it, so the page's system users ask it). The summary
 *   is rebuilt from the stream at start and extended by a live subscription: nothing to lose.
 * Liveness: on nats-server 2.11+ each heartbeat refreshes two markers with a per-message TTL
 * (stream `OPS_UNITS_LIVE`) and the server pushes their expiry (late, lost); on older servers the
 * Controller sweeps once a second. A DISCONNECT of a unit's connection (named as the unit) makes
 * it late at once with the server's reason ("disconnected: Kicked"); lost if it does not come back. The registry's `_controller` key says which is in use.
 */
import { jetstream, jetstreamManager, type JetStreamManager, type StreamConfig } from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import { systemClock, type Clock, type Msg, type NunectClient, type Subscription } from '../../client/index.js';
import type { Heartbeat } from '../../client/guardian.js';
import {
  CONTROLLER_KEY,
  lateAfter,
  LATE_AFTER_BEATS,
  lostAfter,
  LOST_AFTER_BEATS,
  onDisconnect,
  onHeartbeat,
  onSilence,
  OPS,
  unitOfSubject,
  type ControllerRecord,
  type UnitEvent,
  type UnitRecord,
} from '../../client/units.js';
import { parseHistoryQuery, StatszSummary, statszSample, STATSZ_HISTORY_SUBJECT, HISTORY_WINDOW } from '../../client/history.js';
import { serverHas } from '../../src/monitor/features.js';

export interface ControllerOptions {
  /** A connection of a user of the OPS account with every right there (NATS_CONTROLLER_USER). */
  client: NunectClient;
  clock?: Clock;
  /** The accounts whose units OPS imports (config/links.conf), lower case. */
  accounts?: readonly string[];
  /** How long and how much log OPS_LOGS keeps: ms and bytes. */
  logMaxAge?: number;
  logMaxBytes?: number;
  /** How often the timer-based liveness sweeps (older servers), ms. Default 1 000. */
  sweepEvery?: number;
  /** Force the liveness method (tests); default: markers on 2.11+, the timer before. */
  liveness?: 'markers' | 'timer';
  version?: string;
  /** Called for every state change (logging). */
  onEvent?: (event: UnitEvent) => void;
}

const NS = 1_000_000;
const DAY = 86_400_000;
const keyOf = (account: string, unit: string) => `${account}.${unit}`;

export class Controller {
  readonly liveness: 'markers' | 'timer';
  readonly #client: NunectClient;
  readonly #clock: Clock;
  readonly #kv: KV;
  readonly #units = new Map<string, UnitRecord>();
  readonly #subs: Subscription[] = [];
  readonly #onEvent?: (e: UnitEvent) => void;
  #sweep?: ReturnType<typeof setInterval>;
  #beat?: ReturnType<typeof setInterval>;
  #stopMarkers?: () => void;
  #record: ControllerRecord;
  /** Heartbeats handled, for the benchmark. */
  heartbeats = 0;
  /** The per-minute STATSZ summary `ops.history.statsz` answers from. */
  readonly history = new StatszSummary();
  /** STATSZ samples read from OPS_STATSZ at start (the summary's rebuild). */
  historyRebuilt = 0;
  /** Why the rebuild from OPS_STATSZ failed, if it did (the summary then starts empty). */
  historyProblem?: string;

  private constructor(options: ControllerOptions, kv: KV, liveness: 'markers' | 'timer') {
    this.#client = options.client;
    this.#clock = options.clock ?? systemClock;
    this.#kv = kv;
    this.liveness = liveness;
    this.#onEvent = options.onEvent;
    this.#record = {
      version: options.version ?? '0.1.0',
      started: this.#clock.now(),
      liveness,
      serverVersion: options.client.info?.version,
      lateAfterBeats: LATE_AFTER_BEATS,
      lostAfterBeats: LOST_AFTER_BEATS,
    };
  }

  /** Creates (or updates) the OPS streams and bucket, loads the registry and starts listening. */
  static async start(options: ControllerOptions): Promise<Controller> {
    const { client } = options;
    const accounts = options.accounts ?? ['bridge', 'engine', 'provision'];
    const jsm = await jetstreamManager(client.nc);
    await ensureStream(jsm, {
      name: OPS.logs,
      subjects: accounts.map((a) => `${a}.ops.log.>`),
      max_age: (options.logMaxAge ?? 7 * DAY) * NS,
      max_bytes: options.logMaxBytes ?? 256 * 1024 * 1024,
      storage: 'file' as StreamConfig['storage'],
      discard: 'old' as StreamConfig['discard'],
    });
    await ensureStream(jsm, {
      name: OPS.audit,
      subjects: [...accounts, 'sys'].map((a) => `${a}.ops.audit.>`),
      max_age: 30 * DAY * NS,
      storage: 'file' as StreamConfig['storage'],
    });
    await ensureStream(jsm, { name: OPS.events, subjects: ['ops.units.events.>'], max_age: 7 * DAY * NS, storage: 'file' as StreamConfig['storage'] });
    await ensureStream(jsm, { name: OPS.statsz, subjects: ['sys.statsz.*'], max_age: DAY * NS, storage: 'file' as StreamConfig['storage'] });
    const liveness = options.liveness ?? (serverHas(client.info?.version, 'msgTtl') ? 'markers' : 'timer');
    if (liveness === 'markers') {
      await ensureStream(jsm, {
        name: OPS.live,
        subjects: ['ops.units.live.>'],
        storage: 'memory' as StreamConfig['storage'],
        max_msgs_per_subject: 1,
        allow_msg_ttl: true,
        subject_delete_marker_ttl: 60_000 * NS,
      } as Partial<StreamConfig> & { name: string });
    }
    const kv = await new Kvm(client.nc).create(OPS.registry, { history: 1, storage: 'file' as never });
    const c = new Controller(options, kv, liveness);
    await c.#load();
    await c.#startHistory();
    await c.#listen(options.sweepEvery ?? 1_000);
    return c;
  }

  /** The registry as it is now (a copy). */
  get units(): UnitRecord[] {
    return [...this.#units.values()].map((u) => ({ ...u }));
  }

  async stop(): Promise<void> {
    clearInterval(this.#sweep);
    clearInterval(this.#beat);
    this.#stopMarkers?.();
    for (const s of this.#subs) s.unsubscribe();
    // A flush waits for the server's answer; with the server gone it would wait for a reconnect.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const bound = new Promise<void>((resolve) => (timer = setTimeout(resolve, 2_000)));
    await Promise.race([this.#client.flush().catch(() => {}), bound]);
    clearTimeout(timer);
  }

  async #load(): Promise<void> {
    for await (const key of await this.#kv.keys()) {
      if (key === CONTROLLER_KEY) continue;
      const entry = await this.#kv.get(key);
      if (!entry || entry.operation !== 'PUT') continue;
      try {
        this.#units.set(key, entry.json<UnitRecord>());
      } catch {
        /* a record this version cannot read: it is rewritten by the next heartbeat */
      }
    }
    // Whatever fell silent while no Controller ran becomes late or lost now.
    this.#sweepAll();
  }

  /**
   * The STATSZ summary: the live subscription first (buffered), then the last 24 h of OPS_STATSZ
   * through an ordered consumer, then the buffer (samples already read are ignored: the summary
   * takes each server's samples in order only), then the answers on `ops.history.statsz`.
   */
  async #startHistory(): Promise<void> {
    let buffer: Msg[] | undefined = [];
    const take = (m: Msg) => {
      let body: unknown;
      try {
        body = m.json();
      } catch {
        return;
      }
      const sample = statszSample(body);
      if (sample) this.history.add(sample, this.#clock.now());
    };
    this.#subs.push(
      this.#client.subscribe('sys.statsz.*', {
        onMessage: (m) => {
          if (buffer) buffer.push(m);
          else take(m);
        },
      }),
    );
    await this.#client.flush();
    try {
      this.historyRebuilt = await rebuildHistory(this.#client, this.history, this.#clock);
    } catch (err) {
      this.historyProblem = (err as Error).message;
    }
    const pending = buffer;
    buffer = undefined;
    for (const m of pending) take(m);
    // One Controller answers each request (a queue group: a restart's overlap answers once).
    this.#subs.push(this.#client.subscribe(STATSZ_HISTORY_SUBJECT, { queue: 'nunect-controller', onMessage: (m) => this.#answerHistory(m) }));
  }

  #answerHistory(m: Msg): void {
    if (!m.reply) return;
    const query = parseHistoryQuery(m.data);
    let reply: string;
    if ('error' in query) {
      reply = JSON.stringify(query);
    } else {
      reply = JSON.stringify(this.history.query(query, this.#clock.now()));
      const max = this.#client.info?.max_payload;
      if (max && reply.length > max) {
        reply = JSON.stringify({ error: `the reply (${reply.length} bytes) exceeds the server's max_payload (${max}); ask fewer points` });
      }
    }
    try {
      m.respond(reply);
    } catch {
      /* the connection is going away */
    }
  }

  async #listen(sweepEvery: number): Promise<void> {
    const c = this.#client;
    this.#subs.push(c.subscribe(OPS.heartbeats, { onMessage: (m) => this.#heartbeat(m) }));
    this.#subs.push(c.subscribe('sys.disconnect.*', { onMessage: (m) => this.#disconnect(m) }));
    if (this.liveness === 'markers') await this.#watchMarkers();
    else this.#sweep = setInterval(() => this.#sweepAll(), sweepEvery);
    const saveRecord = () => void this.#kv.put(CONTROLLER_KEY, JSON.stringify({ ...this.#record, heartbeat: this.#clock.now() })).catch(() => {});
    saveRecord();
    this.#beat = setInterval(saveRecord, 5_000);
    await c.flush();
  }

  #heartbeat(m: Msg): void {
    const where = unitOfSubject(m.subject);
    if (!where) return;
    let hb: Heartbeat;
    try {
      hb = m.json();
    } catch {
      return;
    }
    if (hb?.type !== 'io.nunect.unit.v1.heartbeat' || hb.unit !== where.unit) return;
    this.heartbeats++;
    const key = keyOf(where.account, where.unit);
    const { record, event } = onHeartbeat(this.#units.get(key), hb, where.account, this.#clock.now());
    this.#save(key, record, event);
    if (this.liveness === 'markers' && record.state === 'alive') {
      // Two markers with a time to live; the server tells when they expire.
      const late = Math.ceil(lateAfter(record.interval) / 1000);
      const lost = Math.ceil(lostAfter(record.interval) / 1000);
      this.#client.publish(`ops.units.live.late.${key}`, '', { headers: { 'Nats-TTL': `${late}s` } });
      this.#client.publish(`ops.units.live.lost.${key}`, '', { headers: { 'Nats-TTL': `${lost}s` } });
    }
  }

  #disconnect(m: Msg): void {
    let body: { client?: { name?: string; acc?: string }; reason?: string };
    try {
      body = m.json();
    } catch {
      return;
    }
    const name = body.client?.name;
    if (!name) return;
    const account = (body.client?.acc ?? '').toLowerCase();
    for (const [key, record] of this.#units) {
      if (record.unit !== name) continue;
      // Password mode names the account; operator mode a key: then the unit's name decides.
      if (account && /^[a-z0-9_-]+$/.test(account) && account.length < 56 && record.account !== account) continue;
      const change = onDisconnect(record, body.reason ?? 'connection closed', this.#clock.now());
      if (change) this.#save(key, change.record, change.event);
    }
  }

  async #watchMarkers(): Promise<void> {
    const js = jetstream(this.#client.nc);
    const consumer = await js.consumers.get(OPS.live, { deliver_policy: 'new' as never });
    const messages = await consumer.consume();
    let stopped = false;
    this.#stopMarkers = () => {
      stopped = true;
      void messages.close();
    };
    void (async () => {
      for await (const m of messages) {
        if (stopped) break;
        if (!m.headers?.get('Nats-Marker-Reason')) continue;
        const match = /^ops\.units\.live\.(late|lost)\.([^.]+)\.([^.]+)$/.exec(m.subject);
        if (!match) continue;
        const key = keyOf(match[2]!, match[3]!);
        const record = this.#units.get(key);
        if (!record?.lastBeat) continue;
        // The server says the time is up: judge at the threshold it was given (no earlier).
        const threshold = match[1] === 'late' ? lateAfter(record.interval) : lostAfter(record.interval);
        const change = onSilence(record, Math.max(this.#clock.now(), record.lastBeat + threshold));
        if (change) this.#save(key, change.record, change.event);
      }
    })();
  }

  #sweepAll(): void {
    const now = this.#clock.now();
    for (const [key, record] of this.#units) {
      const change = onSilence(record, now);
      if (change) this.#save(key, change.record, change.event);
    }
  }

  #save(key: string, record: UnitRecord, event?: UnitEvent): void {
    this.#units.set(key, record);
    void this.#kv.put(key, JSON.stringify(record)).catch(() => {});
    if (event) {
      this.#client.publish(OPS.eventSubject(record.account, record.unit), JSON.stringify(event));
      this.#onEvent?.(event);
    }
  }
}

/** Reads the last 24 h of OPS_STATSZ into `summary`; returns how many samples it read. */
async function rebuildHistory(client: NunectClient, summary: StatszSummary, clock: Clock): Promise<number> {
  const jsm = await jetstreamManager(client.nc);
  const { state } = await jsm.streams.info(OPS.statsz);
  const since = clock.now() - HISTORY_WINDOW;
  if (!state.messages || !state.last_seq || Date.parse(state.last_ts) < since) return 0;
  const last = state.last_seq;
  const consumer = await jetstream(client.nc).consumers.get(OPS.statsz, {
    deliver_policy: 'by_start_time' as never,
    opt_start_time: new Date(since).toISOString(),
  });
  const messages = await consumer.consume();
  let read = 0;
  // A consumer that stops delivering (the stream purged meanwhile) must not hold the start up.
  let idle: ReturnType<typeof setTimeout> | undefined;
  const arm = () => {
    clearTimeout(idle);
    idle = setTimeout(() => void messages.close(), 10_000);
  };
  arm();
  try {
    for await (const m of messages) {
      arm();
      let body: unknown;
      try {
        body = m.json();
      } catch {
        body = undefined;
      }
      const sample = statszSample(body, m.time.getTime());
      if (sample && summary.add(sample, clock.now())) read++;
      if (m.seq >= last || m.info.pending === 0) break;
    }
  } finally {
    clearTimeout(idle);
    await messages.close();
  }
  return read;
}

async function ensureStream(jsm: JetStreamManager, config: Partial<StreamConfig> & { name: string }): Promise<void> {
  try {
    await jsm.streams.info(config.name);
    await jsm.streams.update(config.name, config);
  } catch (err) {
    if (!/not found/i.test(String((err as Error).message))) throw err;
    await jsm.streams.add(config);
  }
}
