/**
 * Client scenarios against a real nats-server, written once and run twice: by Node's test runner
 * (client.node.test.ts) and in Chromium by web-test-runner (client.browser.test.ts).
 */
import type { ConnectOptions, NunectClient, connect as connectFn, Msg, LogRecord } from '../../client/index.js';
import { createLogger } from '../../client/index.js';
import { deepEqual, equal, ok, rejects, sleep, until } from '../support/assert.js';
import type { AccountName, NatsServerInfo } from '../support/nats-server.js';

/** Server control, in-process in Node and through web-test-runner commands in the browser. */
export interface ServerControl {
  /** SIGKILL the server (by PID). */
  kill(): Promise<void>;
  /** Start it again on the same ports. */
  start(): Promise<void>;
  /** Lines of the server log matching an authorization failure so far. */
  authFailures(): Promise<number>;
}

export interface ScenarioEnv {
  server: NatsServerInfo;
  connect: typeof connectFn;
  /** Extra connect options for the platform (the CA in Node; nothing in the browser). */
  platform: Partial<ConnectOptions>;
  control: ServerControl;
  /** How many concurrent clients the load scenario opens. */
  concurrentClients: number;
}

export type Scenario = (env: ScenarioEnv) => Promise<void>;

function as(env: ScenarioEnv, account: AccountName, extra: Partial<ConnectOptions> = {}): Promise<NunectClient> {
  const { user, pass } = env.server.users[account];
  return env.connect({ servers: env.server.wsUrl, user, pass, timeout: 5_000, ...env.platform, ...extra });
}

/** Collects the messages of a subscription into an array. */
function collect(client: NunectClient, subject: string, options: { queue?: string } = {}): Msg[] {
  const got: Msg[] = [];
  client.subscribe(subject, { ...options, onMessage: (m) => got.push(m) });
  return got;
}

export const scenarios: Record<string, Scenario> = {
  async 'connects over wss as a user of each account'(env) {
    for (const account of ['SYS', 'BRIDGE', 'ENGINE', 'PROVISION'] as const) {
      const c = await as(env, account, { name: `nunect-test-${account}` });
      try {
        equal(c.status.state, 'connected', account);
        equal(c.info?.server_name, env.server.name, 'server name');
        equal(c.authMethod, 'user');
        // Each user lands in its own account: ask the server who we are.
        const sys = await as(env, 'SYS');
        try {
          const [reply] = await sys.requestMany('$SYS.REQ.SERVER.PING.CONNZ', JSON.stringify({ auth: true, acc: account }), { maxMessages: 1 });
          const conns = (reply!.json() as { data: { connections: Array<{ name?: string; account?: string }> } }).data.connections;
          ok(conns.some((x) => x.name === `nunect-test-${account}` && x.account === account), `connection listed in ${account}`);
        } finally {
          await sys.close();
        }
      } finally {
        await c.close();
      }
    }
  },

  async 'publishes with headers and receives them'(env) {
    const c = await as(env, 'BRIDGE');
    try {
      const got = collect(c, 'test.headers');
      await c.flush();
      c.publish('test.headers', 'hello', { headers: { 'Nunect-Unit': 'u1', Multi: ['a', 'b'] } });
      c.publish('test.headers', new Uint8Array([1, 2, 3]));
      await until(() => got.length === 2, 3_000, 'two messages');
      equal(got[0]!.string(), 'hello');
      equal(got[0]!.headers?.get('Nunect-Unit'), 'u1');
      deepEqual(got[0]!.headers?.values('Multi'), ['a', 'b']);
      deepEqual(Array.from(got[1]!.data), [1, 2, 3]);
      equal(got[1]!.headers, undefined, 'no headers on a plain publish');
    } finally {
      await c.close();
    }
  },

  async 'subscribes with * and > wildcards and queue groups'(env) {
    const c = await as(env, 'ENGINE');
    try {
      const star = collect(c, 'wild.*.temp');
      const tail = collect(c, 'wild.>');
      const q1 = collect(c, 'work.items', { queue: 'workers' });
      const q2 = collect(c, 'work.items', { queue: 'workers' });
      await c.flush();
      for (const s of ['wild.a.temp', 'wild.b.temp', 'wild.a.b.temp', 'wild.x', 'other.a.temp']) c.publish(s, s);
      for (let i = 0; i < 20; i++) c.publish('work.items', String(i));
      await c.flush();
      await until(() => tail.length === 4 && q1.length + q2.length === 20, 3_000, 'wildcard deliveries');
      await sleep(100);
      deepEqual(star.map((m) => m.subject), ['wild.a.temp', 'wild.b.temp']);
      deepEqual(tail.map((m) => m.subject), ['wild.a.temp', 'wild.b.temp', 'wild.a.b.temp', 'wild.x']);
      equal(q1.length + q2.length, 20, 'each queued message delivered once');
    } finally {
      await c.close();
    }
  },

  async 'unsubscribe stops delivery'(env) {
    const c = await as(env, 'BRIDGE');
    try {
      const got: Msg[] = [];
      const sub = c.subscribe('test.unsub', { onMessage: (m) => got.push(m) });
      await c.flush();
      c.publish('test.unsub', '1');
      await until(() => got.length === 1, 3_000, 'first message');
      sub.unsubscribe();
      c.publish('test.unsub', '2');
      await c.flush();
      await sleep(200);
      equal(got.length, 1, 'nothing after unsubscribe');
    } finally {
      await c.close();
    }
  },

  async 'request-reply, timeout and no responders'(env) {
    const c = await as(env, 'PROVISION');
    try {
      c.subscribe('svc.echo', { onMessage: (m) => m.respond(`echo:${m.string()}`) });
      c.subscribe('svc.silent', { onMessage: () => {} });
      await c.flush();
      const reply = await c.request('svc.echo', 'ping', { timeout: 2_000 });
      equal(reply.string(), 'echo:ping');
      await rejects(() => c.request('svc.silent', 'x', { timeout: 300 }), 'TIMEOUT');
      await rejects(() => c.request('svc.nobody', 'x', { timeout: 2_000 }), 'NO_RESPONDERS', /no responders/);
      await rejects(() => c.requestMany('svc.nobody', 'x', { maxWait: 2_000 }), 'NO_RESPONDERS');
    } finally {
      await c.close();
    }
  },

  async 'request-many collects the $SYS PING survey'(env) {
    const c = await as(env, 'SYS');
    try {
      const started = Date.now();
      const replies = await c.requestMany('$SYS.REQ.SERVER.PING.VARZ', '', { maxMessages: 1 });
      ok(Date.now() - started < 1_000, 'stops at maxMessages, without waiting');
      equal(replies.length, 1);
      const body = replies[0]!.json() as { server: { name: string; ver: string }; data: { server_name: string } };
      equal(body.server.name, env.server.name);
      equal(body.server.ver, env.server.version);
      // Without a count it stops after the quiet period.
      const quiet = await c.requestMany('$SYS.REQ.SERVER.PING', '', { quiet: 200, maxWait: 3_000 });
      equal(quiet.length, 1, 'one reply per server');
    } finally {
      await c.close();
    }
  },

  async 'logger records arrive on ops.log.{level}.{unitID} as JSON'(env) {
    const reader = await as(env, 'BRIDGE');
    const writer = await as(env, 'BRIDGE');
    try {
      const got = collect(reader, 'ops.log.>');
      await reader.flush();
      const log = createLogger(writer, 'unit-7');
      log.debug('d');
      log.info('started', { port: 1 });
      log.warn('careful');
      log.error('failed', new Error('boom'));
      await writer.flush();
      await until(() => got.length === 4, 3_000, 'four log records');
      deepEqual(got.map((m) => m.subject), ['ops.log.debug.unit-7', 'ops.log.info.unit-7', 'ops.log.warn.unit-7', 'ops.log.error.unit-7']);
      const info = got[1]!.json() as LogRecord;
      equal(info.level, 'info');
      equal(info.unit, 'unit-7');
      equal(info.message, 'started');
      deepEqual(info.data, { port: 1 });
      ok(!Number.isNaN(Date.parse(info.time)), 'time is ISO 8601');
      const err = got[3]!.json() as LogRecord & { data: { name: string; message: string } };
      equal(err.data.message, 'boom');
      equal(log.dropped, 0);
    } finally {
      await reader.close();
      await writer.close();
    }
  },

  async 'many concurrent clients exchange messages without loss'(env) {
    const n = env.concurrentClients;
    const perClient = 10;
    // All connect at once; the generous timeout is for a loaded 2-core machine (TLS handshakes).
    const clients = await Promise.all(Array.from({ length: n }, (_, i) => as(env, 'ENGINE', { name: `load-${i}`, timeout: 30_000 })));
    try {
      const received = clients.map((c, i) => collect(c, `load.${i}`));
      await Promise.all(clients.map((c) => c.flush()));
      clients.forEach((c, i) => {
        for (let k = 0; k < perClient; k++) c.publish(`load.${(i + 1) % n}`, `${i}:${k}`);
      });
      await Promise.all(clients.map((c) => c.flush()));
      await until(() => received.every((r) => r.length === perClient), 10_000, 'every message');
      const total = received.reduce((sum, r) => sum + r.length, 0);
      equal(total, n * perClient, 'messages received');
    } finally {
      await Promise.all(clients.map((c) => c.close()));
    }
  },

  async 'reconnects after the server is killed and restarted; subscriptions deliver again'(env) {
    const c = await as(env, 'BRIDGE', { reconnectDelay: { initial: 100, max: 500 } });
    const states: string[] = [];
    c.on('status', (s) => states.push(s.state));
    const log = createLogger(c, 'survivor', { bufferSize: 3 });
    try {
      const got = collect(c, 'ops.log.>');
      await c.flush();
      await env.control.kill();
      await until(() => c.status.state === 'reconnecting', 5_000, 'reconnecting state');
      ok(c.status.error, 'the reconnecting status says why');
      for (let i = 0; i < 5; i++) log.info(`during outage ${i}`);
      equal(log.buffered, 3, 'bounded buffer');
      equal(log.dropped, 2, 'dropped records are counted');
      await env.control.start();
      await until(() => c.status.state === 'connected', 15_000, 'reconnected');
      equal(c.status.reconnects, 1);
      await until(() => got.length === 3, 5_000, 'buffered records flushed to the resubscribed subscription');
      deepEqual(got.map((m) => (m.json() as LogRecord).message), ['during outage 2', 'during outage 3', 'during outage 4']);
      deepEqual(states.slice(0, 3), ['connected', 'reconnecting', 'connected']);
    } finally {
      log.dispose();
      await c.close();
    }
  },

  async 'a wrong password is an authorization error and is not retried'(env) {
    const before = await env.control.authFailures();
    const { user } = env.server.users.BRIDGE;
    await rejects(
      () => env.connect({ servers: env.server.wsUrl, user, pass: 'wrong', timeout: 5_000, ...env.platform }),
      'AUTHORIZATION',
      /refused the credentials/,
    );
    const after = await until(async () => {
      const n = await env.control.authFailures();
      return n > before ? n : 0;
    }, 3_000, 'the server to log the failure');
    await sleep(1_500);
    equal(await env.control.authFailures(), after, 'no further attempts after the refusal');
  },

  async 'an unreachable server is a clear error within the timeout'(env) {
    const started = Date.now();
    // Port 9 (discard) on loopback: nothing listens there in the test environment.
    await rejects(
      () => env.connect({ servers: 'wss://127.0.0.1:9', user: 'x', pass: 'y', timeout: 3_000, ...env.platform }),
      'CONNECTION_FAILED',
      /127\.0\.0\.1:9/,
    );
    ok(Date.now() - started < 4_000, 'within the timeout');
  },

  async 'drain delivers what was published, then closes'(env) {
    const reader = await as(env, 'ENGINE');
    const writer = await as(env, 'ENGINE');
    try {
      const got = collect(reader, 'drain.test');
      await reader.flush();
      for (let i = 0; i < 100; i++) writer.publish('drain.test', String(i));
      await writer.drain();
      equal(writer.status.state, 'closed');
      equal(writer.status.error, undefined, 'a requested close has no error');
      await until(() => got.length === 100, 3_000, 'all drained messages');
    } finally {
      await reader.close();
    }
  },
};
