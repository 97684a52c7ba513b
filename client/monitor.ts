/**
 * nats-server's monitoring data, from `$SYS` requests over a NATS connection or from an HTTP(S)
 * monitor URL: the one request path of the widgets and of Node scripts. No Lit, no DOM.
 * A {@link MonitorSource} is either; the widgets' hub picks one (`natsMonitor` or `httpMonitor`).
 */
import type { Msg, NunectClient, Subscription } from './client.js';
import { NunectError } from './errors.js';
import type { MonitorKind, MonitorParams, MonitorReply } from './monitor-types.js';

/** Replies larger than this are refused rather than parsed (a runaway response must not freeze the page). */
export const MAX_REPLY_BYTES = 32 * 1024 * 1024;

/** Kinds that only the system account may ask for (others get their own account's CONNZ). */
export const SYSTEM_ONLY: ReadonlySet<MonitorKind> = new Set(['VARZ', 'SUBSZ', 'ROUTEZ', 'GATEWAYZ', 'LEAFZ', 'JSZ', 'ACCOUNTZ', 'HEALTHZ', 'STATSZ']);

const decoder = new TextDecoder();

/** The $SYS request subject of a kind, for every server or for one. */
export function monitorSubject(kind: MonitorKind, serverId?: string): string {
  if (kind === 'ACCSTATZ') {
    if (serverId) throw new NunectError('INVALID_OPTIONS', 'ACCSTATZ is asked of every server, not of one');
    return '$SYS.REQ.ACCOUNT.PING.STATZ';
  }
  return serverId ? `$SYS.REQ.SERVER.${serverId}.${kind}` : `$SYS.REQ.SERVER.PING.${kind}`;
}

/**
 * $SYS request bodies and HTTP monitor queries name some options differently; requests are
 * written with the $SYS names and translated for HTTP here.
 */
const HTTP_NAMES: Partial<Record<MonitorKind, Record<string, string>>> = {
  CONNZ: { subscriptions: 'subs', subscriptions_detail: 'subs' },
  SUBSZ: { subscriptions: 'subs', account: 'acc' },
  JSZ: { account: 'acc', consumer: 'consumers' },
  ACCSTATZ: { include_unused: 'unused' },
};

export function httpQuery(kind: MonitorKind, params: MonitorParams | undefined): URLSearchParams {
  const names = HTTP_NAMES[kind] ?? {};
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params ?? {})) {
    if (v === undefined || v === '') continue;
    const name = names[k] ?? k;
    const value = k === 'subscriptions_detail' && v ? 'detail' : typeof v === 'boolean' ? (v ? '1' : '0') : String(v);
    q.set(name, value);
  }
  return q;
}

function body(params: MonitorParams | undefined): string {
  if (!params) return '';
  const clean: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') clean[k] = v;
  return Object.keys(clean).length ? JSON.stringify(clean) : '';
}

/** Parses one $SYS reply envelope; throws a clear error for anything malformed. */
export function parseReply<T>(msg: Pick<Msg, 'data'>, kind: MonitorKind): MonitorReply<T> {
  if (msg.data.length > MAX_REPLY_BYTES) {
    throw new NunectError('NATS', `${kind} reply of ${msg.data.length} bytes is larger than the ${MAX_REPLY_BYTES}-byte limit`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(decoder.decode(msg.data));
  } catch {
    throw new NunectError('NATS', `malformed ${kind} reply: not JSON`);
  }
  if (!parsed || typeof parsed !== 'object' || !('server' in parsed)) {
    throw new NunectError('NATS', `malformed ${kind} reply: no server envelope`);
  }
  const env = parsed as { server: MonitorReply['server']; data?: T; statsz?: T; error?: MonitorReply['error'] };
  if (!env.server || typeof env.server.name !== 'string') throw new NunectError('NATS', `malformed ${kind} reply: no server name`);
  return { server: env.server, data: env.data ?? env.statsz, error: env.error };
}

export interface FetchOptions {
  /** Ask one server (its id) instead of every server. */
  serverId?: string;
  /**
   * Stop collecting once this many servers answered: every server known to be up (never "the
   * first N" of an unknown number). Without it, collection ends after the quiet period.
   */
  expectServers?: number;
  /** Quiet period that ends collection, ms (after the last reply while fewer than expected came). */
  quiet?: number;
  maxWait?: number;
  /** Handed back with a reply that comes after its survey ended (see {@link MonitorSurveyor}). */
  tag?: string;
}

/**
 * Asks for monitoring data over NATS: `$SYS.REQ.SERVER.PING.<KIND>` (every server answers) or
 * `$SYS.REQ.SERVER.<id>.<KIND>`. Rejects with `NO_RESPONDERS` when the user may not ask.
 */
export async function fetchMonitor<T>(client: NunectClient, kind: MonitorKind, params?: MonitorParams, options: FetchOptions = {}): Promise<MonitorReply<T>[]> {
  const payload = body(params);
  let msgs: Msg[];
  try {
    if (options.serverId) {
      msgs = [await client.request(monitorSubject(kind, options.serverId), payload, { timeout: options.maxWait ?? 3_000 })];
    } else {
      msgs = await client.requestMany(monitorSubject(kind), payload, {
        maxMessages: options.expectServers,
        quiet: options.quiet ?? 300,
        maxWait: options.maxWait ?? 3_000,
      });
    }
  } catch (err) {
    if (err instanceof NunectError && err.code === 'NO_RESPONDERS' && SYSTEM_ONLY.has(kind)) {
      throw new NunectError('PERMISSION_DENIED', `${kind} needs a user of the system account (SYS)`, { cause: err });
    }
    throw err;
  }
  if (msgs.length === 0) throw new NunectError('TIMEOUT', `no server answered the ${kind} request`);
  return msgs.map((m) => parseReply<T>(m, kind));
}

/** Where monitoring data comes from: one interface for `$SYS` requests and the HTTP monitor. */
export interface MonitorSource {
  /** `nats` ($SYS requests: every server of the cluster answers) or `http` (one server's monitor port). */
  readonly via: 'nats' | 'http';
  /** Asks for one kind of data: one reply per server that answered. */
  fetch<T>(kind: MonitorKind, params?: MonitorParams, options?: FetchOptions & { signal?: AbortSignal }): Promise<MonitorReply<T>[]>;
}

/** A reply that came after its survey had ended, with the survey's tag. */
export type LateReplyHandler = (reply: MonitorReply, tag: string | undefined, kind: MonitorKind) => void;

/**
 * Surveys (`$SYS.REQ.SERVER.PING.<KIND>`: every server answers) over one long-lived inbox
 * subscription, each survey on its own reply subject. A reply that arrives after its survey
 * ended (a slow or returning server) is handed to `onLate` with the survey's tag — never dropped
 * silently. `close()` releases the subscription.
 */
export class MonitorSurveyor {
  readonly #client: NunectClient;
  readonly #onLate?: LateReplyHandler;
  #base?: string;
  #sub?: Subscription;
  #seq = 0;
  #open = new Map<string, { kind: MonitorKind; msgs: Msg[]; onMsg: (m: Msg) => void; fail: (e: NunectError) => void }>();
  #ended = new Map<string, { kind: MonitorKind; tag?: string }>();

  constructor(client: NunectClient, onLate?: LateReplyHandler) {
    this.#client = client;
    this.#onLate = onLate;
  }

  /** Asks every server; resolves with their replies (see {@link FetchOptions} for when it stops). */
  survey<T>(kind: MonitorKind, params?: MonitorParams, options: FetchOptions = {}): Promise<MonitorReply<T>[]> {
    const base = this.#subscribe();
    const id = String(++this.#seq);
    const quiet = options.quiet ?? 300;
    const expected = options.expectServers ?? 0;
    return new Promise<MonitorReply<T>[]>((resolve, reject) => {
      const msgs: Msg[] = [];
      let quietTimer: ReturnType<typeof setTimeout> | undefined;
      const end = () => {
        clearTimeout(quietTimer);
        clearTimeout(overall);
        this.#open.delete(id);
        this.#ended.set(id, { kind, tag: options.tag });
        // Remember the last surveys only: a reply to one long gone is of no use.
        if (this.#ended.size > 64) this.#ended.delete(this.#ended.keys().next().value!);
      };
      const finish = () => {
        end();
        if (msgs.length === 0) return reject(new NunectError('TIMEOUT', `no server answered the ${kind} request`));
        try {
          resolve(msgs.map((m) => parseReply<T>(m, kind)));
        } catch (err) {
          reject(err);
        }
      };
      const fail = (e: NunectError) => {
        end();
        reject(e);
      };
      const overall = setTimeout(finish, options.maxWait ?? 3_000);
      this.#open.set(id, {
        kind,
        msgs,
        fail,
        onMsg: (m) => {
          if (msgs.length === 0 && m.headers?.code === 503) {
            return fail(
              SYSTEM_ONLY.has(kind)
                ? new NunectError('PERMISSION_DENIED', `${kind} needs a user of the system account (SYS)`)
                : new NunectError('NO_RESPONDERS', `no responders for ${kind}`),
            );
          }
          msgs.push(m);
          if (expected > 0 && msgs.length >= expected) return finish();
          clearTimeout(quietTimer);
          quietTimer = setTimeout(finish, quiet);
        },
      });
      try {
        this.#client.publish(monitorSubject(kind), body(params), { reply: `${base}.${id}` });
      } catch (err) {
        fail(err instanceof NunectError ? err : new NunectError('NATS', String(err)));
      }
    });
  }

  /** Stops listening for replies (open surveys end as they are). */
  close(): void {
    try {
      this.#sub?.unsubscribe();
    } catch {
      /* the connection is gone */
    }
    this.#sub = undefined;
  }

  #subscribe(): string {
    if (this.#sub && this.#base && !this.#sub.isClosed()) return this.#base;
    const base = this.#client.createInbox();
    this.#base = base;
    this.#sub = this.#client.subscribe(`${base}.>`, {
      onMessage: (m) => this.#reply(m, m.subject.slice(base.length + 1)),
      onError: (e) => {
        for (const survey of [...this.#open.values()]) survey.fail(e);
      },
    });
    return base;
  }

  #reply(m: Msg, id: string): void {
    const open = this.#open.get(id);
    if (open) return open.onMsg(m);
    const ended = this.#ended.get(id);
    if (!ended || !this.#onLate || m.headers?.code === 503) return;
    try {
      this.#onLate(parseReply(m, ended.kind), ended.tag, ended.kind);
    } catch {
      /* a malformed late reply changes nothing */
    }
  }
}

/**
 * Monitoring over a NATS connection (`$SYS.REQ.SERVER.*`; a system-account user sees every kind).
 * Surveys go through one {@link MonitorSurveyor}; `onLate` gets replies that came too late.
 */
export function natsMonitor(client: NunectClient, options: { onLate?: LateReplyHandler } = {}): MonitorSource & { close(): void } {
  let surveyor: MonitorSurveyor | undefined;
  return {
    via: 'nats',
    fetch: (kind, params, opts = {}) => {
      if (opts.serverId) return fetchMonitor(client, kind, params, opts);
      return (surveyor ??= new MonitorSurveyor(client, options.onLate)).survey(kind, params, opts);
    },
    close: () => surveyor?.close(),
  };
}

/**
 * Monitoring from an HTTP(S) monitor URL (one server; option names translated). `serverId` is
 * ignored: the URL names the server.
 */
export function httpMonitor(baseUrl: string): MonitorSource {
  return { via: 'http', fetch: (kind, params, options) => fetchMonitorHttp(baseUrl, kind, params, options?.signal) };
}

/** Asks an HTTP(S) monitor URL (one server), with the $SYS option names translated. Servers ≥ 2.9.22 send CORS; older ones need a same-origin proxy. */
export async function fetchMonitorHttp<T>(baseUrl: string, kind: MonitorKind, params?: MonitorParams, signal?: AbortSignal): Promise<MonitorReply<T>[]> {
  const url = new URL(`${baseUrl.replace(/\/$/, '')}/${kind.toLowerCase()}`, globalThis.location?.href);
  url.search = httpQuery(kind, params).toString();
  let res: Response;
  try {
    res = await fetch(url, { signal, credentials: 'omit' });
  } catch (err) {
    throw new NunectError('CONNECTION_FAILED', `cannot reach the monitor at ${baseUrl} (unreachable, untrusted certificate, or no CORS)`, { cause: err });
  }
  if (!res.ok) throw new NunectError('NATS', `${kind}: HTTP ${res.status}`);
  const text = await res.text();
  if (text.length > MAX_REPLY_BYTES) throw new NunectError('NATS', `${kind} reply is larger than the ${MAX_REPLY_BYTES}-byte limit`);
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(text);
  } catch {
    throw new NunectError('NATS', `malformed ${kind} reply: not JSON`);
  }
  const name = String(data.server_name ?? data.name ?? baseUrl);
  return [{ server: { name, id: String(data.server_id ?? name), ver: data.version as string | undefined }, data: data as T }];
}
