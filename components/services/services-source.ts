/**
 * Where `<nunect-services>` reads NATS services from, Lit-free: the services protocol (ADR-32,
 * "micro", what `@nats-io/services` and `nats micro` speak). One poll asks `$SRV.INFO` and
 * `$SRV.STATS` (or `$SRV.INFO.<name>` / `$SRV.STATS.<name>` for one service) of every instance at
 * once — `requestMany`: replies are collected until nothing arrived for a quiet period — then pings
 * each instance on its own subject `$SRV.PING.<name>.<id>` (first reply wins) for its round trip.
 *
 * Permissions: a publish that the user's permissions refuse gets no reply, only an asynchronous
 * "Permissions Violation for Publish to …" from the server; the source listens for it while it
 * asks, so a refused `$SRV.INFO` is a `PERMISSION_DENIED` ("INFO not allowed"), never an empty
 * list. Nobody listening (no responders) is an empty list: "no services answer".
 *
 * The widget takes a {@link ServicesSourceFactory}; the default is {@link natsServicesSource} on
 * the nunect client. Tests and stories use it on the fake client with replies from
 * `services-source.fake.ts`.
 */
import { NunectError, type Msg, type NunectClient, type RequestManyOptions } from '../../client/index.js';
import { toNunectError } from '../../client/errors.js';

/** The three verbs of the services protocol. */
export type ServiceVerb = 'PING' | 'INFO' | 'STATS';

/** An endpoint as INFO describes it. */
export interface ServiceEndpointInfo {
  name: string;
  subject: string;
  /** The queue group its subscription uses; empty or missing for none. */
  queueGroup?: string;
  metadata?: Record<string, string>;
}

/** An endpoint's counters as STATS reports them. */
export interface ServiceEndpointStats {
  name: string;
  subject: string;
  queueGroup?: string;
  /** Requests received since the instance started (or its stats were reset). */
  requests: number;
  /** Requests whose handler failed. */
  errors: number;
  /** Total processing time, nanoseconds. */
  processingTime: number;
  /** Average processing time per request, nanoseconds. */
  averageProcessingTime: number;
  /** The last error, as the service reported it (`code:description` or a message). */
  lastError?: string;
  /** What the service's stats handler added. */
  data?: unknown;
}

/** One instance of a service in a poll: what INFO, STATS and PING said. */
export interface ServiceInstanceReport {
  name: string;
  id: string;
  version: string;
  description?: string;
  metadata?: Record<string, string>;
  /** From INFO (undefined when only STATS answered). */
  endpoints?: ServiceEndpointInfo[];
  /** From STATS (undefined when only INFO answered). */
  stats?: { started?: string; endpoints: ServiceEndpointStats[] };
  /** PING round trip, ms (undefined: not pinged, refused or no reply in time). */
  rtt?: number;
}

/** What one poll found. */
export interface ServicesPoll {
  /** Every instance that answered INFO or STATS, by name then id. */
  instances: ServiceInstanceReport[];
  /** Verbs the user may not ask (STATS, PING; a refused INFO rejects the poll). */
  denied: Partial<Record<ServiceVerb, NunectError>>;
  /** Replies left out because they were not a services reply (not JSON, no name or id). */
  malformed: number;
}

export interface ServicesPollOptions {
  /** Only this service (`$SRV.<verb>.<name>`); one subject token. Default every service. */
  name?: string;
  /** Milliseconds without a new reply that end the collection. Default 300. */
  quiet?: number;
  /** Longest wait for the replies (and for a ping), ms. Default 3 000. */
  maxWait?: number;
}

export interface ServicesSource {
  /**
   * Asks every instance once. Rejects with a NunectError: `PERMISSION_DENIED` when INFO is not
   * allowed, the failure of INFO or STATS otherwise (a timeout, a closed connection, every reply
   * malformed).
   */
  poll(options?: ServicesPollOptions): Promise<ServicesPoll>;
}

export type ServicesSourceFactory = (client: NunectClient) => ServicesSource;

/** The discovery subject of a verb, for every service, one service or one instance. */
export function serviceSubject(verb: ServiceVerb, name?: string, id?: string): string {
  return ['$SRV', verb, name, name ? id : undefined].filter((t) => t !== undefined && t !== '').join('.');
}

/** A service name or id fit for a subject token (the protocol allows letters, digits, `-`, `_`). */
export function isServiceToken(s: unknown): s is string {
  return typeof s === 'string' && /^[A-Za-z0-9_-]+$/.test(s);
}

/** "INFO not allowed" in words a user can act on, from the server's refusal. */
export function deniedError(verb: ServiceVerb, subject: string, err: NunectError): NunectError {
  return new NunectError('PERMISSION_DENIED', `${verb} not allowed: this user may not ask ${subject} (${err.message})`, { cause: err });
}

const decoder = new TextDecoder();
/** A reply larger than this is not a services reply (a broken or hostile responder). */
export const MAX_SERVICE_REPLY_BYTES = 4 * 1024 * 1024;

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

function strings(v: unknown): Record<string, string> | undefined {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v as Record<string, unknown>)) out[k] = typeof val === 'string' ? val : JSON.stringify(val);
  return Object.keys(out).length ? out : undefined;
}

/** The JSON object of a reply, or undefined when it is not one (or too large). */
function body(msg: Pick<Msg, 'data'>): Record<string, unknown> | undefined {
  if (!msg.data || msg.data.length > MAX_SERVICE_REPLY_BYTES) return undefined;
  try {
    const v = JSON.parse(decoder.decode(msg.data)) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

type Identity = Pick<ServiceInstanceReport, 'name' | 'id' | 'version' | 'metadata'>;

function identity(b: Record<string, unknown>): Identity | undefined {
  const name = str(b.name);
  const id = str(b.id);
  if (!name || !id) return undefined;
  return { name, id, version: str(b.version) ?? '', metadata: strings(b.metadata) };
}

/** An INFO reply (`io.nats.micro.v1.info_response`), or undefined when it is not one. */
export function parseInfo(msg: Pick<Msg, 'data'>): (Identity & { description?: string; endpoints: ServiceEndpointInfo[] }) | undefined {
  const b = body(msg);
  const who = b && identity(b);
  if (!b || !who) return undefined;
  const endpoints = Array.isArray(b.endpoints) ? b.endpoints : [];
  return {
    ...who,
    description: str(b.description) || undefined,
    endpoints: endpoints
      .filter((e): e is Record<string, unknown> => !!e && typeof e === 'object')
      .map((e) => ({ name: str(e.name) ?? '', subject: str(e.subject) ?? '', queueGroup: str(e.queue_group) || undefined, metadata: strings(e.metadata) })),
  };
}

/** A STATS reply (`io.nats.micro.v1.stats_response`), or undefined when it is not one. */
export function parseStats(msg: Pick<Msg, 'data'>): (Identity & { started?: string; endpoints: ServiceEndpointStats[] }) | undefined {
  const b = body(msg);
  const who = b && identity(b);
  if (!b || !who) return undefined;
  const endpoints = Array.isArray(b.endpoints) ? b.endpoints : [];
  return {
    ...who,
    started: str(b.started),
    endpoints: endpoints
      .filter((e): e is Record<string, unknown> => !!e && typeof e === 'object')
      .map((e) => ({
        name: str(e.name) ?? '',
        subject: str(e.subject) ?? '',
        queueGroup: str(e.queue_group) || undefined,
        requests: num(e.num_requests),
        errors: num(e.num_errors),
        processingTime: num(e.processing_time),
        averageProcessingTime: num(e.average_processing_time),
        lastError: str(e.last_error) || undefined,
        data: e.data ?? undefined,
      })),
  };
}

/** The key of an instance: name and id. */
export const instanceKey = (name: string, id: string) => JSON.stringify([name, id]);

/** A refused publish to `subject` reported by the server while we wait (`-ERR 'Permissions Violation for Publish to "…"'`). */
function refusedPublish(client: NunectClient, subject: string): { refused: Promise<NunectError>; release: () => void } {
  let release = () => {};
  const refused = new Promise<NunectError>((resolve) => {
    const off =
      typeof client.on === 'function'
        ? client.on('error', (e) => {
            if (e.code !== 'PERMISSION_DENIED') return;
            const cause = e.cause as { operation?: string; subject?: string } | undefined;
            const publish = cause?.operation ? cause.operation === 'publish' : /publish/i.test(e.message);
            const target = cause?.subject ?? /"([^"]+)"/.exec(e.message)?.[1];
            if (publish && target === subject) resolve(e);
          })
        : () => {};
    release = () => off();
  });
  return { refused, release };
}

/**
 * Asks `subject` and collects the replies; `[]` when nobody listens. A refused publish or
 * subscription rejects with a `PERMISSION_DENIED` NunectError.
 */
async function ask(client: NunectClient, subject: string, options: RequestManyOptions): Promise<Msg[]> {
  const { refused, release } = refusedPublish(client, subject);
  try {
    return await Promise.race([
      client.requestMany(subject, '', options),
      refused.then((e) => {
        throw e;
      }),
    ]);
  } catch (err) {
    const e = toNunectError(err, `request to ${subject}`);
    if (e.code === 'NO_RESPONDERS') return [];
    throw e;
  } finally {
    release();
  }
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: NunectError };
const settle = <T>(p: Promise<T>): Promise<Settled<T>> =>
  p.then(
    (value) => ({ ok: true as const, value }),
    (err: unknown) => ({ ok: false as const, error: toNunectError(err) }),
  );

/** The services of the client's account over the services protocol. */
export function natsServicesSource(client: NunectClient): ServicesSource {
  return {
    async poll(options = {}) {
      const name = options.name || undefined;
      if (name !== undefined && !isServiceToken(name)) {
        throw new NunectError('INVALID_SUBJECT', `not a service name: ${JSON.stringify(name)} (letters, digits, - and _)`);
      }
      const collect: RequestManyOptions = { quiet: options.quiet ?? 300, maxWait: options.maxWait ?? 3_000 };
      const infoSubject = serviceSubject('INFO', name);
      const statsSubject = serviceSubject('STATS', name);
      const [info, stats] = await Promise.all([settle(ask(client, infoSubject, collect)), settle(ask(client, statsSubject, collect))]);
      const denied: ServicesPoll['denied'] = {};
      if (!info.ok) throw info.error.code === 'PERMISSION_DENIED' ? deniedError('INFO', infoSubject, info.error) : info.error;
      if (!stats.ok) {
        if (stats.error.code !== 'PERMISSION_DENIED') throw stats.error;
        denied.STATS = deniedError('STATS', statsSubject, stats.error);
      }

      let malformed = 0;
      const byKey = new Map<string, ServiceInstanceReport>();
      const infos = info.value.map(parseInfo);
      if (infos.length && infos.every((i) => !i)) throw new NunectError('NATS', `malformed replies to ${infoSubject}: none is a services INFO reply`);
      for (const i of infos) {
        if (!i) {
          malformed++;
          continue;
        }
        byKey.set(instanceKey(i.name, i.id), { ...i });
      }
      const statsMsgs = stats.ok ? stats.value : [];
      const parsedStats = statsMsgs.map(parseStats);
      if (parsedStats.length && parsedStats.every((s) => !s)) {
        throw new NunectError('NATS', `malformed replies to ${statsSubject}: none is a services STATS reply`);
      }
      for (const s of parsedStats) {
        if (!s) {
          malformed++;
          continue;
        }
        const key = instanceKey(s.name, s.id);
        const known = byKey.get(key);
        const rest = { started: s.started, endpoints: s.endpoints };
        if (known) known.stats = rest;
        else byKey.set(key, { name: s.name, id: s.id, version: s.version, metadata: s.metadata, stats: rest });
      }

      // Each instance on its own subject: the time to its first reply is its round trip.
      const instances = [...byKey.values()];
      const pings = await Promise.all(
        instances.map(async (inst) => {
          if (!isServiceToken(inst.name) || !isServiceToken(inst.id)) return settle(Promise.resolve(undefined));
          const subject = serviceSubject('PING', inst.name, inst.id);
          const t0 = performance.now();
          return settle(ask(client, subject, { maxMessages: 1, maxWait: collect.maxWait }).then((msgs) => (msgs.length ? performance.now() - t0 : undefined)));
        }),
      );
      pings.forEach((p, i) => {
        if (p.ok) instances[i]!.rtt = p.value;
        else if (p.error.code === 'PERMISSION_DENIED' && !denied.PING)
          denied.PING = deniedError('PING', serviceSubject('PING', instances[i]!.name, instances[i]!.id), p.error);
      });
      instances.sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version, undefined, { numeric: true }) || a.id.localeCompare(b.id));
      return { instances, denied, malformed };
    },
  };
}
