/**
 * The Guardian: a unit's heartbeat and health on NATS itself. `startGuardian(client, { unit })`
 * publishes a heartbeat on `ops.health.<unit>` every `interval` — who the unit is (kind, version,
 * host, pid, start time), a sequence number, its status (`ok`, `degraded`, `failing`) with the
 * result of each check, and its load (CPU, memory, event-loop delay) — and offers the unit as a
 * NATS service (`$SRV.PING/INFO/STATS`, name `nunect-unit`, endpoint `health` on
 * `ops.unit.<unit>.health`, which runs the checks on demand), so `nats micro ls` lists the units.
 * `stop()` sends a last heartbeat with status `stopping`: a stopped unit is told apart from a lost
 * one. Lit-free; runs in Node (CPU and memory) and in a browser (the rest).
 */
import type { NunectClient } from './client.js';
import { systemClock, type Clock } from './clock.js';
import { assertToken } from './subjects.js';

export type UnitStatus = 'ok' | 'degraded' | 'failing' | 'stopping';

/** What a check returns: nothing or `ok` (passed), `degraded` (with a message), or it throws (failing). */
export type CheckResult = void | undefined | 'ok' | 'degraded' | { status: 'ok' | 'degraded' | 'failing'; message?: string };

export interface Check {
  name: string;
  run: () => CheckResult | Promise<CheckResult>;
  /** Milliseconds before the check counts as failing ("timed out after …"). Default the guardian's `checkTimeout`. */
  timeout?: number;
  /** A failing critical check makes the unit `failing`; a failing non-critical one `degraded`. Default true. */
  critical?: boolean;
}

export interface CheckOutcome {
  name: string;
  status: 'ok' | 'degraded' | 'failing';
  message?: string;
  /** How long it took, ms. */
  ms: number;
}

export interface UnitLoad {
  /** CPU used by the process since the previous heartbeat, percent of one core (Node). */
  cpu?: number;
  /** Resident memory, bytes (Node). */
  rss?: number;
  /** Longest event-loop delay since the previous heartbeat, ms. */
  eventLoopDelay?: number;
}

/** The JSON of a heartbeat on `ops.health.<unit>`. */
export interface Heartbeat {
  type: 'io.nunect.unit.v1.heartbeat';
  unit: string;
  kind?: string;
  version?: string;
  host?: string;
  pid?: number;
  /** When this run of the unit started (ISO 8601); a new value means the unit restarted. */
  started: string;
  /** 1 for the first heartbeat of this run. */
  seq: number;
  /** When it was sent (ISO 8601). */
  time: string;
  /** Milliseconds until the next heartbeat. */
  interval: number;
  status: UnitStatus;
  /** Why it is stopping (`stop(reason)`), or the first failing check's message. */
  reason?: string;
  checks: CheckOutcome[];
  load: UnitLoad;
  /** Round trip to the NATS server, ms. */
  rtt?: number;
  /** Restarts of the unit's command, when a supervisor (the Guardian CLI) counts them. */
  restarts?: number;
}

export interface GuardianOptions {
  /** The unit's id: one subject token (letters, digits, `_`, `-`). */
  unit: string;
  /** What kind of unit it is (`bridge`, `engine`, …): the dashboard groups and compares versions by kind. */
  kind?: string;
  version?: string;
  /** Milliseconds between heartbeats. Default 5 000. */
  interval?: number;
  checks?: Check[] | Record<string, Check['run']>;
  /** Default timeout of a check, ms. Default 2 000. */
  checkTimeout?: number;
  /** Also a NATS service (`$SRV.*`, for `nats micro ls`). Default true. */
  service?: boolean;
  host?: string;
  pid?: number;
  /** Extra heartbeat fields from the caller, e.g. `{ restarts }` of a supervisor. */
  extra?: () => Partial<Pick<Heartbeat, 'restarts'>>;
  clock?: Clock;
}

export interface Guardian {
  readonly unit: string;
  /** The last heartbeat sent. */
  readonly last?: Heartbeat;
  /** Runs the checks and sends a heartbeat now (also what the `health` endpoint answers). */
  beat(): Promise<Heartbeat>;
  /** Sends the `stopping` heartbeat, stops the service and the timer. */
  stop(reason?: string): Promise<void>;
}

/** The heartbeat subject of a unit, and the subject of its endpoints. */
export const heartbeatSubject = (unit: string) => `ops.health.${unit}`;
export const unitEndpoint = (unit: string, name: string) => `ops.unit.${unit}.${name}`;
/** The NATS service name every Guardian registers (`nats micro ls` lists them). */
export const UNIT_SERVICE = 'nunect-unit';

type NodeProcess = {
  cpuUsage?: (prev?: { user: number; system: number }) => { user: number; system: number };
  memoryUsage?: () => { rss: number };
  pid?: number;
};

/** CPU, memory and event-loop delay between two heartbeats (where the platform tells). */
class LoadSampler {
  #proc = (globalThis as { process?: NodeProcess }).process;
  #cpu = this.#proc?.cpuUsage?.();
  #wall = performance.now();
  #maxDelay = 0;
  #expected = performance.now() + 100;
  #timer = setInterval(() => {
    const now = performance.now();
    this.#maxDelay = Math.max(this.#maxDelay, now - this.#expected);
    this.#expected = now + 100;
  }, 100);

  constructor() {
    (this.#timer as { unref?: () => void }).unref?.();
  }

  sample(): UnitLoad {
    const load: UnitLoad = { eventLoopDelay: Math.round(Math.max(0, this.#maxDelay) * 10) / 10 };
    this.#maxDelay = 0;
    const now = performance.now();
    if (this.#proc?.cpuUsage && this.#cpu) {
      const used = this.#proc.cpuUsage(this.#cpu);
      const wallUs = (now - this.#wall) * 1000;
      if (wallUs > 0) load.cpu = Math.round(((used.user + used.system) / wallUs) * 1000) / 10;
      this.#cpu = this.#proc.cpuUsage();
    }
    this.#wall = now;
    const rss = this.#proc?.memoryUsage?.().rss;
    if (rss !== undefined) load.rss = rss;
    return load;
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}

function normaliseChecks(checks: GuardianOptions['checks']): Check[] {
  if (!checks) return [];
  return Array.isArray(checks) ? checks : Object.entries(checks).map(([name, run]) => ({ name, run }));
}

async function runCheck(check: Check, fallbackTimeout: number): Promise<CheckOutcome> {
  const started = performance.now();
  const timeout = check.timeout ?? fallbackTimeout;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const ms = () => Math.round(performance.now() - started);
  try {
    const result = await Promise.race([
      Promise.resolve().then(() => check.run()),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${timeout} ms`)), timeout);
      }),
    ]);
    if (result === 'degraded') return { name: check.name, status: 'degraded', ms: ms() };
    if (result && typeof result === 'object')
      return { name: check.name, status: result.status, ...(result.message ? { message: result.message } : {}), ms: ms() };
    return { name: check.name, status: 'ok', ms: ms() };
  } catch (err) {
    const failing = check.critical === false ? 'degraded' : 'failing';
    return { name: check.name, status: failing, message: err instanceof Error ? err.message : String(err), ms: ms() };
  } finally {
    clearTimeout(timer);
  }
}

/** The unit's status from its checks: failing, degraded, or ok. */
export function unitStatus(checks: readonly CheckOutcome[]): 'ok' | 'degraded' | 'failing' {
  if (checks.some((c) => c.status === 'failing')) return 'failing';
  return checks.some((c) => c.status === 'degraded') ? 'degraded' : 'ok';
}

/**
 * Starts a unit's heartbeat (and its NATS service). The first heartbeat goes out at once. Publish
 * errors (e.g. a permission the unit's user lacks) reach the client's `error` listeners; the
 * Guardian keeps beating.
 */
export async function startGuardian(client: NunectClient, options: GuardianOptions): Promise<Guardian> {
  assertToken('unit', options.unit);
  const unit = options.unit;
  const interval = Math.max(100, options.interval ?? 5_000);
  const checks = normaliseChecks(options.checks);
  const checkTimeout = options.checkTimeout ?? 2_000;
  const clock = options.clock ?? systemClock;
  const proc = (globalThis as { process?: NodeProcess }).process;
  const identity = {
    unit,
    ...(options.kind ? { kind: options.kind } : {}),
    ...(options.version ? { version: options.version } : {}),
    ...((options.host ?? hostName()) ? { host: options.host ?? hostName() } : {}),
    ...((options.pid ?? proc?.pid) !== undefined ? { pid: options.pid ?? proc?.pid } : {}),
    started: new Date(clock.now()).toISOString(),
  };
  const load = new LoadSampler();
  let seq = 0;
  let last: Heartbeat | undefined;
  let stopped = false;

  const make = async (status?: UnitStatus, reason?: string): Promise<Heartbeat> => {
    const outcomes = status === 'stopping' ? [] : await Promise.all(checks.map((c) => runCheck(c, checkTimeout)));
    const rtt = await client.rtt().catch(() => undefined);
    const overall = status ?? unitStatus(outcomes);
    const firstProblem = outcomes.find((c) => c.status !== 'ok');
    const why =
      reason ??
      (firstProblem
        ? `check ${firstProblem.name} ${firstProblem.status === 'failing' ? 'failed' : 'degraded'}${firstProblem.message ? `: ${firstProblem.message}` : ''}`
        : undefined);
    return {
      type: 'io.nunect.unit.v1.heartbeat',
      ...identity,
      seq: ++seq,
      time: new Date(clock.now()).toISOString(),
      interval,
      status: overall,
      ...(why ? { reason: why } : {}),
      checks: outcomes,
      load: load.sample(),
      ...(rtt !== undefined ? { rtt: Math.round(rtt * 100) / 100 } : {}),
      ...(options.extra?.() ?? {}),
    };
  };

  const send = (hb: Heartbeat) => {
    last = hb;
    try {
      client.publish(heartbeatSubject(unit), JSON.stringify(hb));
    } catch {
      /* closed or refused: the client's error listeners hear of it */
    }
  };

  let timer: ReturnType<typeof setTimeout> | undefined;
  const loop = async () => {
    if (stopped) return;
    const started = performance.now();
    send(await make());
    if (stopped) return;
    timer = setTimeout(loop, Math.max(0, interval - (performance.now() - started)));
    (timer as { unref?: () => void }).unref?.();
  };

  let service: { stop(): Promise<unknown> } | undefined;
  if (options.service !== false) {
    // Loaded on demand: pages that only log never download the services library.
    const { Svcm } = await import('@nats-io/services');
    const svc = await new Svcm(client.nc as never).add({
      name: UNIT_SERVICE,
      // The services protocol wants a semantic version.
      version: /^\d+\.\d+\.\d+/.test(options.version ?? '') ? options.version! : '0.0.0',
      description: `nunect unit ${unit}${options.kind ? ` (${options.kind})` : ''}`,
      metadata: { unit, ...(options.kind ? { kind: options.kind } : {}), ...(identity.host ? { host: identity.host } : {}) },
    });
    svc.addEndpoint('health', {
      subject: unitEndpoint(unit, 'health'),
      handler: (err, msg) => {
        if (err) return;
        void make().then((hb) => msg.respond(JSON.stringify(hb)));
      },
    });
    service = svc;
  }
  await loop();

  return {
    unit,
    get last() {
      return last;
    },
    async beat() {
      const hb = await make();
      send(hb);
      return hb;
    },
    async stop(reason = 'stopped') {
      if (stopped) return;
      stopped = true;
      clearTimeout(timer);
      load.stop();
      send(await make('stopping', reason));
      await service?.stop().catch(() => {});
      await client.flush().catch(() => {});
    },
  };
}

let platformHost: (() => string | undefined) | undefined;

/** @internal The Node entry (`nunect/guardian` in Node) tells the host name (os.hostname()). */
export function setPlatformHost(fn: () => string | undefined): void {
  platformHost = fn;
}

function hostName(): string | undefined {
  const g = globalThis as { location?: { hostname?: string } };
  return platformHost?.() ?? g.location?.hostname ?? undefined;
}
