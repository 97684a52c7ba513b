import {
  createInbox,
  headers as natsHeaders,
  wsconnect,
  type Msg,
  type MsgHdrs,
  type NatsConnection,
  type Server,
  type ServerInfo,
  type Stats,
  type Status,
  type Subscription,
  type SubscriptionOptions,
  type WsSocketFactory,
} from '@nats-io/nats-core';
import { TD as natsTextDecoder } from '@nats-io/nats-core/internal';
import { authMethod, buildAuthenticator, type AuthMethod, type AuthOptions } from './auth.js';
import { systemClock, type Clock } from './clock.js';
import { NunectError, toNunectError } from './errors.js';
import { natsMonitor, type LateReplyHandler, type MonitorSource } from './monitor.js';
import { assertPublishSubject, assertQueueName, assertSubscribeSubject } from './subjects.js';
import { useFastDecoding } from './utf8.js';
import { hasGlobalWebSocket, platformWebSocket, type WebSocketFactoryOptions } from './websocket.js';

export type { Msg, MsgHdrs, Subscription, ServerInfo, Stats } from '@nats-io/nats-core';

/** Where a connection is in its life. */
export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'closed';

/** A snapshot of the connection's state; a new object on every change. */
export interface ConnectionStatus {
  readonly state: ConnectionState;
  /** The server (host:port) in use, or the last one used. */
  readonly server?: string;
  /** Why the connection is reconnecting or closed; undefined after a plain `close()`. */
  readonly error?: NunectError;
  /** How many times the connection was re-established. */
  readonly reconnects: number;
  /** When the state last changed (ms since the epoch). */
  readonly since: number;
}

/** Options of {@link connect}. Authentication: pass at most one method of {@link AuthOptions}. */
export interface ConnectOptions extends AuthOptions, WebSocketFactoryOptions {
  /** WebSocket URL(s) of the server or cluster, e.g. `wss://nats.example.com:8443`. */
  servers: string | string[];
  /** Connection name shown in the server's monitoring (connz, events). */
  name?: string;
  /** Milliseconds to wait for the first connection before failing. Default 10 000. */
  timeout?: number;
  /** Reconnect after a lost connection. Default true. */
  reconnect?: boolean;
  /** Reconnect attempts per server before giving up; -1 (default) retries forever. */
  maxReconnectAttempts?: number;
  /** Reconnect backoff: first delay and longest delay in ms. Default 250 and 5 000. */
  reconnectDelay?: { initial?: number; max?: number };
  /** Milliseconds between client pings (detects dead connections). Default 20 000. */
  pingInterval?: number;
  /** Prefix of reply inboxes, for users whose permissions restrict `_INBOX.>`. */
  inboxPrefix?: string;
  /** Do not receive the messages this connection publishes itself. */
  noEcho?: boolean;
  /** Your own WebSocket factory; by default the browser's WebSocket, or `ws` in Node. */
  webSocketFactory?: WsSocketFactory;
  /** Time source of `status.since`. Default the system clock. */
  clock?: Clock;
  /**
   * When a server enters lame-duck mode or asks this client to move (LDM), reconnect to another
   * server of the cluster at once. Default true.
   */
  migrateOnLameDuck?: boolean;
}

/** Options of {@link NunectClient.publish}. */
export interface PublishOptions {
  /** Message headers; a value may be a list for repeated headers. */
  headers?: HeadersInit;
  /** Subject for replies. */
  reply?: string;
}

/** Headers as a plain object or as nats-core `MsgHdrs`. */
export type HeadersInit = Record<string, string | readonly string[]> | MsgHdrs;

/** Payload of a message: text (sent as UTF-8) or bytes. */
export type Payload = string | Uint8Array;

/** Options of {@link NunectClient.subscribe}. */
export interface SubscribeOptions {
  /** Queue group: each message goes to one member of the group. */
  queue?: string;
  /** Unsubscribe automatically after this many messages. */
  max?: number;
  /** Called for each message. Without it, iterate the returned subscription (`for await`). */
  onMessage?: (msg: Msg) => void;
  /** Called when the subscription fails (e.g. permission denied). Default: the client's `error` listeners. */
  onError?: (error: NunectError) => void;
}

/** Options of {@link NunectClient.request}. */
export interface RequestOptions {
  /** Milliseconds to wait for the reply. Default 5 000. */
  timeout?: number;
  headers?: HeadersInit;
}

/** Options of {@link NunectClient.requestMany}. */
export interface RequestManyOptions {
  /** Stop after this many replies (e.g. the number of servers in a cluster). */
  maxMessages?: number;
  /** Stop when no reply arrived for this many ms after the last one. Default 300. */
  quiet?: number;
  /** Stop after this many ms in any case. Default 3 000. */
  maxWait?: number;
  headers?: HeadersInit;
}

type Listener<T> = (value: T) => void;

const DEFAULT_TIMEOUT = 10_000;

/** Turns the server list into URLs, refusing anything but ws:// and wss://. */
function normaliseServers(servers: string | string[] | undefined): string[] {
  const list = (Array.isArray(servers) ? servers : servers ? [servers] : []).map((s) => String(s).trim()).filter(Boolean);
  if (list.length === 0) throw new NunectError('INVALID_OPTIONS', 'no server URL given (servers: "wss://host:port")');
  for (const s of list) {
    let url: URL;
    try {
      url = new URL(s);
    } catch {
      throw new NunectError('INVALID_OPTIONS', `not a URL: ${JSON.stringify(s)} (expected wss://host:port)`);
    }
    if (url.protocol !== 'wss:' && url.protocol !== 'ws:') {
      throw new NunectError('INVALID_OPTIONS', `${url.protocol}// is not a WebSocket URL (expected wss://host:port)`);
    }
    if (url.username || url.password) {
      throw new NunectError('INVALID_OPTIONS', 'credentials do not belong in the server URL; use the user/pass options');
    }
  }
  return list;
}

function toMsgHdrs(init: HeadersInit | undefined): MsgHdrs | undefined {
  if (!init) return undefined;
  if (typeof (init as MsgHdrs).append === 'function' && typeof (init as MsgHdrs).keys === 'function') return init as MsgHdrs;
  const h = natsHeaders();
  for (const [key, value] of Object.entries(init as Record<string, string | readonly string[]>)) {
    if (Array.isArray(value)) for (const v of value) h.append(key, String(v));
    else h.append(key, String(value));
  }
  return h;
}

function pickWebSocketFactory(options: ConnectOptions): WsSocketFactory | undefined {
  if (options.webSocketFactory) return options.webSocketFactory;
  const maker = platformWebSocket();
  if (maker) return maker({ ca: options.ca });
  if (options.ca !== undefined) {
    throw new NunectError('INVALID_OPTIONS', 'the ca option works in Node only; a browser trusts certificates from its own store');
  }
  if (!hasGlobalWebSocket()) {
    throw new NunectError('NO_WEBSOCKET', 'no WebSocket implementation: in Node, import "nunect/client" (it uses the ws package) or pass webSocketFactory');
  }
  return undefined;
}

/**
 * A connection to NATS over WebSocket. Create it with {@link connect}.
 *
 * Status changes (`connecting` → `connected` ⇄ `reconnecting` → `closed`) are observable with
 * `on('status', …)`; asynchronous errors (permission violations, slow consumers) with
 * `on('error', …)`. The underlying nats-core connection is `nc`, for what this class does not wrap.
 */
export class NunectClient {
  readonly nc: NatsConnection;
  /** The authentication method in use (never the secret itself). */
  readonly authMethod: AuthMethod;
  readonly name?: string;
  readonly #inboxPrefix?: string;
  #status: ConnectionStatus;
  #statusListeners = new Set<Listener<ConnectionStatus>>();
  #errorListeners = new Set<Listener<NunectError>>();
  #lastError?: NunectError;
  #closedByUser = false;
  /** The last subject that passed validation: a stream of publishes to one subject checks it once. */
  #validSubject = '';
  readonly #closed: Promise<NunectError | undefined>;
  readonly #clock: Clock;
  readonly #migrateOnLameDuck: boolean;
  /** The server (host:port) that asked this client to move; the next dial avoids it. */
  readonly #movingFrom: { value?: string };

  /** @internal use {@link connect}. */
  constructor(
    nc: NatsConnection,
    init: { authMethod: AuthMethod; name?: string; inboxPrefix?: string; clock?: Clock; migrateOnLameDuck?: boolean; movingFrom?: { value?: string } },
  ) {
    this.nc = nc;
    this.authMethod = init.authMethod;
    this.name = init.name;
    this.#inboxPrefix = init.inboxPrefix;
    this.#clock = init.clock ?? systemClock;
    this.#migrateOnLameDuck = init.migrateOnLameDuck ?? true;
    this.#movingFrom = init.movingFrom ?? {};
    this.#status = { state: 'connected', server: nc.getServer(), reconnects: 0, since: this.#clock.now() };
    void this.#watchStatus();
    this.#closed = nc.closed().then((err) => {
      let error: NunectError | undefined;
      if (err) error = toNunectError(err, 'connection closed');
      else if (!this.#closedByUser && this.#lastError) error = this.#lastError;
      else if (!this.#closedByUser) error = new NunectError('CONNECTION_FAILED', 'gave up reconnecting');
      this.#setStatus({ state: 'closed', error });
      return error;
    });
  }

  /** The current status. */
  get status(): ConnectionStatus {
    return this.#status;
  }

  /** The server's INFO (name, version, id, …) of the current connection. */
  get info(): ServerInfo | undefined {
    return this.nc.info;
  }

  /** True while the connection can send (it may still be buffering during a reconnect). */
  get isClosed(): boolean {
    return this.#status.state === 'closed';
  }

  /**
   * Listens to `status` changes or asynchronous `error`s. The status listener is called at once
   * with the current status. Returns a function that removes the listener.
   */
  on(event: 'status', listener: Listener<ConnectionStatus>): () => void;
  on(event: 'error', listener: Listener<NunectError>): () => void;
  on(event: 'status' | 'error', listener: Listener<never>): () => void {
    if (event === 'status') {
      const l = listener as Listener<ConnectionStatus>;
      this.#statusListeners.add(l);
      l(this.#status);
      return () => this.#statusListeners.delete(l);
    }
    const l = listener as Listener<NunectError>;
    this.#errorListeners.add(l);
    return () => this.#errorListeners.delete(l);
  }

  /** Publishes a message. Throws {@link NunectError} for a bad subject or a closed connection. */
  publish(subject: string, data?: Payload, options?: PublishOptions): void {
    if (subject !== this.#validSubject) {
      assertPublishSubject(subject);
      this.#validSubject = subject;
    }
    if (options?.reply !== undefined) assertPublishSubject(options.reply);
    try {
      if (options) this.nc.publish(subject, data, { headers: toMsgHdrs(options.headers), reply: options.reply });
      else this.nc.publish(subject, data);
    } catch (err) {
      throw toNunectError(err, `publish to ${subject}`);
    }
  }

  /**
   * Subscribes to a subject; `*` matches one token, a final `>` the rest. With `onMessage` the
   * messages go to the callback; otherwise iterate the subscription with `for await`.
   * Stop with `subscription.unsubscribe()`.
   */
  subscribe(subject: string, options: SubscribeOptions = {}): Subscription {
    assertSubscribeSubject(subject);
    if (options.queue !== undefined) assertQueueName(options.queue);
    const { onMessage, onError } = options;
    const reportError = (err: unknown) => {
      const e = toNunectError(err, `subscription to ${subject}`);
      if (onError) onError(e);
      else this.#emitError(e);
    };
    try {
      // Only keys that are set: nats-core copies the options onto the subscription, and a
      // `callback: undefined` would shadow the iterator's own callback (every message lost).
      const subOptions: SubscriptionOptions = {};
      if (options.queue !== undefined) subOptions.queue = options.queue;
      if (options.max !== undefined) subOptions.max = options.max;
      if (onMessage) {
        subOptions.callback = (err, msg) => {
          if (err) reportError(err);
          else onMessage(msg);
        };
      }
      const sub = this.nc.subscribe(subject, subOptions);
      if (!onMessage) {
        sub.closed.then((err) => err && reportError(err)).catch(() => {});
      }
      return sub;
    } catch (err) {
      throw toNunectError(err, `subscribe to ${subject}`);
    }
  }

  /** Sends a request and waits for one reply. Rejects with `TIMEOUT` or `NO_RESPONDERS`. */
  async request(subject: string, data?: Payload, options: RequestOptions = {}): Promise<Msg> {
    assertPublishSubject(subject);
    try {
      return await this.nc.request(subject, data, {
        timeout: options.timeout ?? 5_000,
        headers: toMsgHdrs(options.headers),
      });
    } catch (err) {
      throw toNunectError(err, `request to ${subject}`);
    }
  }

  /**
   * Sends a request and collects every reply until `maxMessages` arrived, nothing arrived for
   * `quiet` ms, or `maxWait` ms passed. For surveys such as `$SYS.REQ.SERVER.PING`, where each
   * server of a cluster answers. Rejects with `NO_RESPONDERS` when nobody listens.
   */
  requestMany(subject: string, data?: Payload, options: RequestManyOptions = {}): Promise<Msg[]> {
    assertPublishSubject(subject);
    const quiet = options.quiet ?? 300;
    const maxWait = options.maxWait ?? 3_000;
    const max = options.maxMessages ?? Infinity;
    const inbox = this.createInbox();
    return new Promise<Msg[]>((resolve, reject) => {
      const replies: Msg[] = [];
      let quietTimer: ReturnType<typeof setTimeout> | undefined;
      let sub: Subscription | undefined;
      const finish = (err?: NunectError) => {
        clearTimeout(quietTimer);
        clearTimeout(overall);
        sub?.unsubscribe();
        if (err) reject(err);
        else resolve(replies);
      };
      const overall = setTimeout(() => finish(), maxWait);
      try {
        sub = this.nc.subscribe(inbox, {
          callback: (err, msg) => {
            if (err) return finish(toNunectError(err, `request to ${subject}`));
            if (msg.headers?.code === 503 && replies.length === 0) {
              return finish(new NunectError('NO_RESPONDERS', `request to ${subject}: no responders on ${subject}`));
            }
            replies.push(msg);
            if (replies.length >= max) return finish();
            clearTimeout(quietTimer);
            quietTimer = setTimeout(() => finish(), quiet);
          },
        });
        this.nc.publish(subject, data, { reply: inbox, headers: toMsgHdrs(options.headers) });
      } catch (err) {
        finish(toNunectError(err, `request to ${subject}`));
      }
    });
  }

  /**
   * A monitoring source over this connection: `$SYS` surveys (every server of the cluster
   * answers; late replies go to `onLate`) and requests to one server. `close()` releases it.
   */
  monitor(options: { onLate?: LateReplyHandler } = {}): MonitorSource & { close(): void } {
    return natsMonitor(this, options);
  }

  /** A new unique reply subject under this connection's inbox prefix (`_INBOX` unless set). */
  createInbox(): string {
    return createInbox(this.#inboxPrefix);
  }

  /** Resolves when the server has processed everything sent so far. */
  async flush(): Promise<void> {
    try {
      await this.nc.flush();
    } catch (err) {
      throw toNunectError(err, 'flush');
    }
  }

  /** Round-trip time to the server in ms. */
  async rtt(): Promise<number> {
    try {
      return await this.nc.rtt();
    } catch (err) {
      throw toNunectError(err, 'rtt');
    }
  }

  /** Message and byte counters of this connection. */
  stats(): Stats {
    return this.nc.stats();
  }

  /** Closes the connection at once; pending messages may be lost (use `drain()` to avoid that). */
  async close(): Promise<void> {
    this.#closedByUser = true;
    await this.nc.close().catch(() => {});
    await this.#closed;
  }

  /** Lets subscriptions process what they have, flushes what was published, then closes. */
  async drain(): Promise<void> {
    this.#closedByUser = true;
    try {
      await this.nc.drain();
    } catch (err) {
      throw toNunectError(err, 'drain');
    } finally {
      await this.#closed;
    }
  }

  /** Resolves when the connection is closed: with the reason, or undefined after `close()`. */
  closed(): Promise<NunectError | undefined> {
    return this.#closed;
  }

  #setStatus(change: Partial<ConnectionStatus> & { state: ConnectionState }): void {
    if (this.#status.state === 'closed') return;
    this.#status = { ...this.#status, error: undefined, ...change, since: this.#clock.now() };
    for (const l of this.#statusListeners) {
      try {
        l(this.#status);
      } catch (err) {
        console.error('nunect: a status listener threw', err);
      }
    }
  }

  #emitError(error: NunectError): void {
    if (this.#errorListeners.size === 0) return;
    for (const l of this.#errorListeners) {
      try {
        l(error);
      } catch (err) {
        console.error('nunect: an error listener threw', err);
      }
    }
  }

  async #watchStatus(): Promise<void> {
    for await (const s of this.nc.status() as AsyncIterable<Status>) {
      switch (s.type) {
        case 'disconnect':
          this.#setStatus({
            state: 'reconnecting',
            server: s.server,
            error: this.#lastError ?? new NunectError('CONNECTION_FAILED', `lost the connection to ${s.server}`),
          });
          break;
        case 'reconnecting':
          if (this.#status.state !== 'reconnecting') this.#setStatus({ state: 'reconnecting' });
          break;
        case 'ldm':
          // The server is going away (lame duck) or asks this client to move: reconnect to another
          // server of the cluster now, before it closes the connection (nothing queued is lost).
          if (this.#migrateOnLameDuck) {
            this.#movingFrom.value = s.server;
            this.nc.reconnect().catch(() => {});
          }
          break;
        case 'reconnect':
          this.#movingFrom.value = undefined;
          this.#lastError = undefined;
          this.#setStatus({ state: 'connected', server: s.server, reconnects: this.#status.reconnects + 1 });
          break;
        case 'error': {
          const e = toNunectError(s.error);
          if (e.code === 'AUTHORIZATION') this.#lastError = e;
          this.#emitError(e);
          break;
        }
        case 'slowConsumer':
          this.#emitError(new NunectError('NATS', `slow consumer on ${s.sub.getSubject()}: ${s.pending} messages pending`));
          break;
        default:
          break;
      }
    }
  }
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

function parseHostPort(hostport: string): { hostname: string; port: number } | undefined {
  const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(hostport.replace(/^\w+:\/\//, '').replace(/\/$/, ''));
  return m ? { hostname: m[1]!, port: Number(m[2]) } : undefined;
}

/** The same server, whatever loopback name the pool and the status use for it. */
function sameServer(a: { hostname: string; port: number }, b: { hostname: string; port: number }): boolean {
  return a.port === b.port && (a.hostname === b.hostname || (LOOPBACK.has(a.hostname) && LOOPBACK.has(b.hostname)));
}

/** Backoff that grows with the length of the outage: fast retries first, then `max` apart. */
function outageBackoff(initial: number, max: number): () => number {
  let outageStart = 0;
  let lastCall = 0;
  return () => {
    const now = Date.now();
    // A gap longer than the longest delay means a new outage began.
    if (now - lastCall > max * 2) outageStart = now;
    lastCall = now;
    const base = Math.min(max, Math.max(initial, (now - outageStart) / 2));
    return Math.round(base * (0.8 + Math.random() * 0.4));
  };
}

/**
 * Connects to NATS over WebSocket (wss:// in production). Resolves once connected; rejects with a
 * {@link NunectError} — `AUTHORIZATION`, `CONNECTION_FAILED` (also on timeout), `NO_WEBSOCKET`
 * or `INVALID_OPTIONS` — and never hangs.
 */
export async function connect(options: ConnectOptions): Promise<NunectClient> {
  if (!options || typeof options !== 'object') throw new NunectError('INVALID_OPTIONS', 'connect() needs an options object');
  const servers = normaliseServers(options.servers);
  const method = authMethod(options);
  const authenticator = await buildAuthenticator(options);
  const wsFactory = pickWebSocketFactory(options);
  // Subjects and replies of every message are decoded by this one decoder (see client/utf8.ts).
  useFastDecoding(natsTextDecoder);
  const timeout = options.timeout ?? DEFAULT_TIMEOUT;
  const delay = options.reconnectDelay ?? {};
  // After a lame-duck notice (LDM), dial another server of the pool than the one that sent it.
  const movingFrom: { value?: string } = {};
  const reconnectToServer = (pool: ReadonlyArray<Server>) => {
    const from = movingFrom.value && parseHostPort(movingFrom.value);
    if (!from) return null;
    return pool.find((srv) => !sameServer(srv, from)) ?? null;
  };
  const attempt = wsconnect({
    reconnectToServer,
    servers,
    name: options.name,
    authenticator,
    timeout,
    reconnect: options.reconnect ?? true,
    maxReconnectAttempts: options.maxReconnectAttempts ?? -1,
    reconnectDelayHandler: outageBackoff(delay.initial ?? 250, delay.max ?? 5_000),
    pingInterval: options.pingInterval ?? 20_000,
    inboxPrefix: options.inboxPrefix,
    noEcho: options.noEcho,
    ignoreAuthErrorAbort: false,
    ...(wsFactory ? { wsFactory } : {}),
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new NunectError('CONNECTION_FAILED', `no connection to ${servers.join(', ')} within ${timeout} ms`)), timeout);
  });
  try {
    const nc = await Promise.race([attempt, timedOut]);
    return new NunectClient(nc, {
      authMethod: method,
      name: options.name,
      inboxPrefix: options.inboxPrefix,
      clock: options.clock,
      migrateOnLameDuck: options.migrateOnLameDuck,
      movingFrom,
    });
  } catch (err) {
    // A connection that completes after the timeout must not linger.
    attempt.then((nc) => nc.close()).catch(() => {});
    if (err instanceof NunectError) throw err;
    const e = toNunectError(err);
    if (e.code === 'CONNECTION_FAILED' || e.code === 'NATS') {
      const detail = e.message && e.message !== 'connection refused' ? ` (${e.message})` : '';
      throw new NunectError(
        'CONNECTION_FAILED',
        `cannot connect to ${servers.join(', ')}: the server is unreachable or its certificate is not trusted${detail}`,
        { cause: err },
      );
    }
    throw e;
  } finally {
    clearTimeout(timer);
  }
}
