import {
  connect,
  httpMonitor,
  loginInboxPrefix,
  NunectError,
  systemClock,
  type AuthOptions,
  type Clock,
  type ConnectOptions,
  type MonitorSource,
  type Msg,
  type NunectClient,
  type Subscription,
} from '../../client/index.js';
import { MonitorPoller, type PollerHost } from '../monitor/poller.js';
import { FirstRenderQueue } from '../controllers/first-render-queue.js';

/**
 * Where a hub is: `unconfigured` (no server URL), `idle` (a server, not logged in), `connecting`,
 * `connected`, `reconnecting` (lost, retrying by itself), or `error` (closed with a reason; `retry()`).
 */
export type HubState = 'unconfigured' | 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'error';

export interface HubStatus {
  readonly state: HubState;
  /** The server URL(s) the hub connects to. */
  readonly servers: readonly string[];
  /** host:port of the server in use. */
  readonly server?: string;
  readonly error?: NunectError;
  /** Server name and version of the current connection. */
  readonly serverName?: string;
  readonly serverVersion?: string;
  readonly reconnects: number;
}

/** Settings of a hub: where to connect and connect() options other than credentials. */
export interface HubOptions extends Omit<ConnectOptions, keyof AuthOptions | 'servers' | 'inboxPrefix'> {
  servers?: string | string[];
  /**
   * Reply inbox prefix: a fixed one (`_INBOX` is the NATS standard), or one per login. Default
   * `loginInboxPrefix`: `_INBOX_<user>` for a login that names its user (user/password, JWT,
   * .creds), which is all the nunect stack's restricted users may read; `_INBOX` otherwise.
   */
  inboxPrefix?: string | ((credentials: AuthOptions) => string | undefined);
  /**
   * HTTP(S) monitor URL (e.g. `https://nats.example.com:8444` or a same-origin proxy path). When set,
   * monitoring data comes from it instead of `$SYS` requests; events still need NATS.
   */
  monitorUrl?: string;
}

type Listener = (status: HubStatus) => void;

function list(servers: string | readonly string[] | undefined): string[] {
  if (!servers) return [];
  return (typeof servers === 'string' ? servers.split(/[\s,]+/) : [...servers]).map((s) => s.trim()).filter(Boolean);
}

/**
 * One shared NATS connection for every widget that uses it: its status, the login that opens it,
 * and the monitoring poller all its widgets share. Credentials are kept in memory only, to
 * reconnect and retry; they are never written to the DOM or anywhere else.
 */
export class ConnectionHub implements PollerHost {
  readonly monitor = new MonitorPoller(this);
  /** Spreads the widgets' first renders with data over frames (see {@link FirstRenderQueue}). */
  readonly firstRenders = new FirstRenderQueue();
  #options: HubOptions = {};
  #credentials?: AuthOptions;
  #client?: NunectClient;
  #ownsClient = false;
  #status: HubStatus = { state: 'unconfigured', servers: [], reconnects: 0 };
  #listeners = new Set<Listener>();
  #stopWatching?: () => void;
  #generation = 0;
  #http?: { url: string; source: MonitorSource };
  #nats?: { client: NunectClient; source: MonitorSource & { close(): void } };

  constructor(options: HubOptions = {}) {
    this.configure(options);
  }

  get status(): HubStatus {
    return this.#status;
  }

  /** The connected client, if any (also while reconnecting). */
  get client(): NunectClient | undefined {
    return this.#client;
  }

  get options(): Readonly<HubOptions> {
    return this.#options;
  }

  /**
   * Where monitoring data comes from, chosen here once for every widget: the HTTP monitor when
   * `monitorUrl` is set, else `$SYS` requests over the connected client; undefined while offline.
   */
  get monitorSource(): MonitorSource | undefined {
    const url = this.#options.monitorUrl;
    if (url) {
      if (this.#http?.url !== url) this.#http = { url, source: httpMonitor(url) };
      return this.#http.source;
    }
    const client = this.#client;
    if (!client) return undefined;
    if (this.#nats?.client !== client) {
      this.#nats?.source.close();
      this.#nats = { client, source: client.monitor({ onLate: (reply, tag) => this.monitor.late(reply, tag) }) };
    }
    return this.#nats.source;
  }

  /** Subscribes to events on the current client (none: nothing); errors (e.g. permissions) are ignored. */
  events(subjects: readonly string[], onMessage: (msg: Msg) => void): () => void {
    const client = this.#client;
    if (!client || client.isClosed) return () => {};
    const subs: Subscription[] = [];
    for (const subject of subjects) {
      try {
        subs.push(client.subscribe(subject, { onMessage, onError: () => {} }));
      } catch {
        /* not allowed, or the connection is gone: the roster learns from replies only */
      }
    }
    return () => {
      for (const s of subs) {
        try {
          s.unsubscribe();
        } catch {
          /* gone already */
        }
      }
    };
  }

  /** Releases the monitoring source (its survey subscription) until it is needed again. */
  releaseMonitorSource(): void {
    this.#nats?.source.close();
    this.#nats = undefined;
  }

  /** Whether monitoring can be asked now: connected, or an HTTP monitor (which needs no login). */
  get monitorAvailable(): boolean {
    return !!this.#options.monitorUrl || this.#status.state === 'connected';
  }

  /** The time source of the hub's widgets (`options.clock`, else the system clock). */
  get clock(): Clock {
    return this.#options.clock ?? systemClock;
  }

  /** Changes the settings; a change of servers disconnects the current connection. */
  configure(options: HubOptions): void {
    const before = list(this.#options.servers).join(',');
    this.#options = { ...this.#options, ...options };
    const servers = list(this.#options.servers);
    if (servers.join(',') !== before && this.#client && this.#ownsClient) void this.logout();
    if (!this.#client) this.#set({ state: servers.length ? 'idle' : 'unconfigured', servers, error: undefined });
    else this.#set({ servers });
  }

  /** Listens to status changes; called at once with the current status. Returns the remover. */
  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    listener(this.#status);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Connects with these credentials (user/pass, token, nkey, jwt+seed or creds; `{}` for none).
   * Resolves when connected; on failure the hub is in `error` with the reason, and it rejects.
   */
  async login(credentials: AuthOptions = {}): Promise<void> {
    const servers = list(this.#options.servers);
    if (!servers.length) throw new NunectError('INVALID_OPTIONS', 'no server configured');
    await this.#drop();
    const generation = ++this.#generation;
    this.#credentials = credentials;
    this.#set({ state: 'connecting', servers, error: undefined, server: undefined });
    try {
      const { servers: _servers, monitorUrl: _monitorUrl, inboxPrefix, ...rest } = this.#options;
      const pick = inboxPrefix ?? loginInboxPrefix;
      const prefix = typeof pick === 'function' ? pick(credentials) : pick;
      const client = await connect({ ...rest, ...credentials, servers, ...(prefix ? { inboxPrefix: prefix } : {}) });
      if (generation !== this.#generation) {
        await client.close();
        return;
      }
      this.#adopt(client, true);
    } catch (err) {
      if (generation !== this.#generation) return;
      const error = err instanceof NunectError ? err : new NunectError('NATS', String(err));
      this.#set({ state: 'error', error });
      throw error;
    }
  }

  /** Connects again with the last credentials (after an error). */
  retry(): Promise<void> {
    return this.login(this.#credentials ?? {});
  }

  /** Uses a client connected elsewhere; the hub does not close it on logout. */
  useClient(client: NunectClient): void {
    void this.#drop();
    this.#generation++;
    this.#adopt(client, false);
  }

  /** Closes the hub's connection and forgets the credentials. */
  async logout(): Promise<void> {
    this.#credentials = undefined;
    this.#generation++;
    await this.#drop();
    const servers = list(this.#options.servers);
    this.#set({ state: servers.length ? 'idle' : 'unconfigured', servers, error: undefined, server: undefined });
  }

  #adopt(client: NunectClient, owned: boolean): void {
    this.#client = client;
    this.#ownsClient = owned;
    const info = client.info;
    this.#stopWatching = client.on('status', (s) => {
      if (this.#client !== client) return;
      const base = { server: s.server, reconnects: s.reconnects, serverName: client.info?.server_name, serverVersion: client.info?.version };
      if (s.state === 'connected') this.#set({ ...base, state: 'connected', error: undefined });
      else if (s.state === 'reconnecting' || s.state === 'connecting') this.#set({ ...base, state: 'reconnecting', error: s.error });
      else {
        this.#client = undefined;
        this.#stopWatching?.();
        this.#set({ ...base, state: s.error ? 'error' : 'idle', error: s.error });
      }
    });
    if (client.status.state === 'connected') {
      this.#set({ state: 'connected', serverName: info?.server_name, serverVersion: info?.version });
    }
  }

  async #drop(): Promise<void> {
    const client = this.#client;
    this.#stopWatching?.();
    this.#stopWatching = undefined;
    this.#client = undefined;
    if (client && this.#ownsClient) await client.close().catch(() => {});
  }

  #set(change: Partial<HubStatus>): void {
    this.#status = { ...this.#status, ...change };
    for (const l of this.#listeners) {
      try {
        l(this.#status);
      } catch (err) {
        console.error('nunect: a hub listener threw', err);
      }
    }
  }
}
