/**
 * A stand-in for NunectClient for component unit tests: answers `$SYS` monitoring requests from
 * fixtures captured from a real server (test/fixtures, refreshed by scripts/capture-fixtures.ts),
 * delivers messages you emit to matching subscriptions, and records what was asked.
 */
import {
  monitorSubject,
  NunectError,
  parseReply,
  subjectMatches,
  SYSTEM_ONLY,
  type ConnectionStatus,
  type FetchOptions,
  type MonitorKind,
  type MonitorParams,
  type MonitorSource,
  type Msg,
  type NunectClient,
  type SubscribeOptions,
} from '../../client/index.js';
import varz29 from '../fixtures/2.9.10/varz.json' with { type: 'json' };
import connz29 from '../fixtures/2.9.10/connz.json' with { type: 'json' };
import subsz29 from '../fixtures/2.9.10/subsz.json' with { type: 'json' };
import routez29 from '../fixtures/2.9.10/routez.json' with { type: 'json' };
import gatewayz29 from '../fixtures/2.9.10/gatewayz.json' with { type: 'json' };
import leafz29 from '../fixtures/2.9.10/leafz.json' with { type: 'json' };
import jsz29 from '../fixtures/2.9.10/jsz.json' with { type: 'json' };
import accountz29 from '../fixtures/2.9.10/accountz.json' with { type: 'json' };
import healthz29 from '../fixtures/2.9.10/healthz.json' with { type: 'json' };
import statsz29 from '../fixtures/2.9.10/statsz.json' with { type: 'json' };
import accstatz29 from '../fixtures/2.9.10/accstatz.json' with { type: 'json' };

const encoder = new TextEncoder();

/** The 2.9.10 fixtures by subject suffix (`VARZ`, `CONNZ`, …, and `ACCOUNT.PING.STATZ`). */
export const FIXTURES: Record<string, unknown[]> = {
  VARZ: varz29,
  CONNZ: connz29,
  SUBSZ: subsz29,
  ROUTEZ: routez29,
  GATEWAYZ: gatewayz29,
  LEAFZ: leafz29,
  JSZ: jsz29,
  ACCOUNTZ: accountz29,
  HEALTHZ: healthz29,
  STATSZ: statsz29,
  'ACCOUNT.PING.STATZ': accstatz29,
};

/** A fake Msg with what widgets use. */
export function fakeMsg(subject: string, data: unknown, reply?: string): Msg {
  const bytes = typeof data === 'string' ? encoder.encode(data) : data instanceof Uint8Array ? data : encoder.encode(JSON.stringify(data));
  return {
    subject,
    reply,
    data: bytes,
    sid: 1,
    headers: undefined,
    json: () => JSON.parse(new TextDecoder().decode(bytes)),
    string: () => new TextDecoder().decode(bytes),
    respond: () => true,
  } as unknown as Msg;
}

/** Responder: returns reply bodies (one per "server"), or throws a NunectError. */
export type Responder = (subject: string, body: unknown) => unknown[] | Promise<unknown[]>;

interface FakeSub {
  subject: string;
  onMessage?: (m: Msg) => void;
  closed: boolean;
}

export class FakeClient {
  status: ConnectionStatus = { state: 'connected', reconnects: 0, since: Date.now(), server: '127.0.0.1:4222' };
  info = {
    server_name: 'nunect-fixture',
    version: '2.9.10',
    server_id: (varz29[0] as { server: { id: string } }).server.id,
  } as NunectClient['info'];
  authMethod = 'user' as const;
  /** Every request subject with its parsed body, in order. */
  requests: Array<{ subject: string; body: unknown }> = [];
  subs: FakeSub[] = [];
  /** Replies by subject suffix; defaults to the fixtures. */
  responders = new Map<string, Responder>();
  #statusListeners = new Set<(s: ConnectionStatus) => void>();

  constructor() {
    for (const [suffix, replies] of Object.entries(FIXTURES)) this.responders.set(suffix, () => structuredClone(replies));
  }

  get isClosed(): boolean {
    return this.status.state === 'closed';
  }

  /** Open subscriptions (not unsubscribed). */
  get openSubs(): FakeSub[] {
    return this.subs.filter((s) => !s.closed);
  }

  on(event: 'status' | 'error', listener: (s: ConnectionStatus) => void): () => void {
    if (event !== 'status') return () => {};
    this.#statusListeners.add(listener);
    listener(this.status);
    return () => this.#statusListeners.delete(listener);
  }

  setState(state: ConnectionStatus['state'], error?: NunectError): void {
    this.status = { ...this.status, state, error, since: Date.now() };
    for (const l of this.#statusListeners) l(this.status);
  }

  /** Replaces the reply for a subject suffix (e.g. 'VARZ') with a function or fixed bodies. */
  respond(suffix: string, responder: Responder | unknown[]): void {
    this.responders.set(suffix, typeof responder === 'function' ? (responder as Responder) : () => structuredClone(responder));
  }

  async requestMany(subject: string, data?: string | Uint8Array): Promise<Msg[]> {
    return (await this.#answer(subject, data)).map((b) => fakeMsg('_INBOX.fake', b));
  }

  async request(subject: string, data?: string | Uint8Array): Promise<Msg> {
    const [first] = await this.#answer(subject, data);
    return fakeMsg('_INBOX.fake', first);
  }

  /** A monitoring source answering from the responders (as `NunectClient.monitor()` does from servers). */
  monitor(): MonitorSource & { close(): void } {
    return {
      via: 'nats',
      fetch: async <T>(kind: MonitorKind, params?: MonitorParams, options: FetchOptions = {}) => {
        const subject = monitorSubject(kind, options.serverId);
        const payload = Object.fromEntries(Object.entries(params ?? {}).filter(([, v]) => v !== undefined && v !== ''));
        const msgs = await this.requestMany(subject, Object.keys(payload).length ? JSON.stringify(payload) : '').catch((err: unknown) => {
          if (err instanceof NunectError && err.code === 'NO_RESPONDERS' && SYSTEM_ONLY.has(kind)) {
            throw new NunectError('PERMISSION_DENIED', `${kind} needs a user of the system account (SYS)`, { cause: err });
          }
          throw err;
        });
        if (!msgs.length) throw new NunectError('TIMEOUT', `no server answered the ${kind} request`);
        return msgs.map((m) => parseReply<T>(m, kind));
      },
      close: () => {},
    };
  }

  subscribe(subject: string, options: SubscribeOptions = {}) {
    const sub: FakeSub = { subject, onMessage: options.onMessage, closed: false };
    this.subs.push(sub);
    return {
      unsubscribe: () => {
        sub.closed = true;
      },
      getSubject: () => subject,
    } as unknown as ReturnType<NunectClient['subscribe']>;
  }

  /** Delivers a message to every open subscription whose subject matches. */
  emit(subject: string, data: unknown): void {
    const msg = fakeMsg(subject, data);
    for (const s of this.openSubs) if (subjectMatches(s.subject, subject)) s.onMessage?.(msg);
  }

  /** Every message published, in order. */
  published: Array<{ subject: string; data: unknown }> = [];

  publish(subject: string, data?: unknown): void {
    this.published.push({ subject, data });
  }
  async flush(): Promise<void> {}
  async rtt(): Promise<number> {
    return 1;
  }
  async close(): Promise<void> {
    this.setState('closed');
  }
  closed() {
    return Promise.resolve(undefined);
  }

  async #answer(subject: string, data?: string | Uint8Array): Promise<unknown[]> {
    const text = typeof data === 'string' ? data : data ? new TextDecoder().decode(data) : '';
    const body = text ? JSON.parse(text) : {};
    this.requests.push({ subject, body });
    if (this.status.state !== 'connected') throw new NunectError('CLOSED', 'the connection is closed');
    for (const [suffix, responder] of [...this.responders].sort((a, b) => b[0].length - a[0].length)) {
      if (subject.endsWith(`.${suffix}`)) return responder(subject, body);
    }
    throw new NunectError('NO_RESPONDERS', `request to ${subject}: no responders on ${subject}`);
  }
}

/** The fake as the client type widgets accept. */
export function asClient(fake: FakeClient): NunectClient {
  return fake as unknown as NunectClient;
}
