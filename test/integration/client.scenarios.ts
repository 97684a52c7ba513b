/**
 * Client scenarios against a real nats-server, written once and run twice: by Node's test runner
 * (client.node.test.ts) and in Chromium by web-test-runner (client.browser.test.ts).
 */
import type { ConnectOptions, NunectClient, connect as connectFn, Msg, LogRecord } from '../../client/index.js';
import { createLogger } from '../../client/index.js';
import { deepEqual, equal, ok, rejects, sleep, until, within } from '../support/assert.js';
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
          ok(
            conns.some((x) => x.name === `nunect-test-${account}` && x.account === account),
            `connection listed in ${account}`,
          );
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

  async 'subjects, replies and payloads of any script and size arrive as sent'(env) {
    // In Chromium short ASCII is decoded by client/utf8.ts, the rest by TextDecoder: both paths.
    const c = await as(env, 'BRIDGE');
    try {
      const texts = ['plain', '', 'héllo wörld', 'unit 🚀 up', 'x'.repeat(512), 'y'.repeat(513), `${'z'.repeat(600)}é`];
      const subjects = ['text.plain', 'text.héllo', `text.${'s'.repeat(400)}`];
      const got: Msg[] = [];
      c.subscribe('text.>', { onMessage: (m) => got.push(m) });
      await c.flush();
      const sent: Array<{ subject: string; text: string }> = [];
      for (const subject of subjects)
        for (const text of texts) {
          c.publish(subject, text);
          sent.push({ subject, text });
        }
      c.publish('text.bytes', new Uint8Array([0x41, 0xff, 0x42]));
      await until(() => got.length === sent.length + 1, 3_000, 'every message');
      deepEqual(
        got.slice(0, -1).map((m) => ({ subject: m.subject, text: m.string() })),
        sent,
      );
      equal(got.at(-1)!.string(), 'A\uFFFDB', 'invalid UTF-8 decodes to U+FFFD as TextDecoder does');
      // Replies: a request's reply subject (an inbox) and the answer's text.
      c.subscribe('svc.text', { onMessage: (m) => m.respond(`${m.reply?.startsWith('_INBOX') ? 'inbox' : 'no inbox'}: ${m.string()}`) });
      await c.flush();
      equal((await c.request('svc.text', 'grüße', { timeout: 2_000 })).string(), 'inbox: grüße');
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
      deepEqual(
        star.map((m) => m.subject),
        ['wild.a.temp', 'wild.b.temp'],
      );
      deepEqual(
        tail.map((m) => m.subject),
        ['wild.a.temp', 'wild.b.temp', 'wild.a.b.temp', 'wild.x'],
      );
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
      // Quiet period and deadline far beyond the test's own bound: only maxMessages can end it.
      const replies = await within(
        c.requestMany('$SYS.REQ.SERVER.PING.VARZ', '', { maxMessages: 1, quiet: 120_000, maxWait: 120_000 }),
        20_000,
        'requestMany to stop at maxMessages',
      );
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
      deepEqual(
        got.map((m) => m.subject),
        ['ops.log.debug.unit-7', 'ops.log.info.unit-7', 'ops.log.warn.unit-7', 'ops.log.error.unit-7'],
      );
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
      // Once, unless the restarted server dropped the first reconnection (seen on a loaded machine:
      // two disconnects, two reconnects): the count is the reconnections the client really made.
      ok(c.status.reconnects >= 1, `reconnected: ${JSON.stringify(states)}`);
      equal(c.status.reconnects, states.filter((s) => s === 'connected').length - 1, `one count per reconnection: ${JSON.stringify(states)}`);
      await until(() => got.length === 3, 5_000, 'buffered records flushed to the resubscribed subscription');
      deepEqual(
        got.map((m) => (m.json() as LogRecord).message),
        ['during outage 2', 'during outage 3', 'during outage 4'],
      );
      deepEqual(states.slice(0, 2), ['connected', 'reconnecting']);
      equal(states.at(-1), 'connected');
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
    const after = await until(
      async () => {
        const n = await env.control.authFailures();
        return n > before ? n : 0;
      },
      3_000,
      'the server to log the failure',
    );
    await sleep(1_500);
    equal(await env.control.authFailures(), after, 'no further attempts after the refusal');
  },

  async 'an unreachable server is a clear error within the timeout'(env) {
    // Port 9 (discard) on loopback: nothing listens there in the test environment. The bound is
    // far above the timeout: the point is that connect() settles, never that it is fast.
    await within(
      rejects(
        () => env.connect({ servers: 'wss://127.0.0.1:9', user: 'x', pass: 'y', timeout: 3_000, ...env.platform }),
        'CONNECTION_FAILED',
        /127\.0\.0\.1:9/,
      ),
      30_000,
      'connect() to give up',
    );
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
  // --- Every documented form of subscribe, request, requestMany, publish and drain -----------

  async 'subscribe without onMessage: the subscription is an async iterator'(env) {
    const c = await as(env, 'BRIDGE');
    try {
      const sub = c.subscribe('forms.iter');
      await c.flush();
      for (let i = 0; i < 3; i++) c.publish('forms.iter', `m${i}`);
      const got: string[] = [];
      await within(
        (async () => {
          for await (const m of sub) {
            got.push(m.string());
            if (got.length === 3) break;
          }
        })(),
        10_000,
        'three messages through for await',
      );
      deepEqual(got, ['m0', 'm1', 'm2']);
    } finally {
      await c.close();
    }
  },

  async 'subscribe with max: the callback form stops after max messages, the iterator ends'(env) {
    const c = await as(env, 'BRIDGE');
    try {
      const cb: string[] = [];
      const cbSub = c.subscribe('forms.max', { max: 2, onMessage: (m) => cb.push(m.string()) });
      const iterSub = c.subscribe('forms.max', { max: 3 });
      const iterated: string[] = [];
      const ended = (async () => {
        for await (const m of iterSub) iterated.push(m.string());
      })();
      await c.flush();
      for (let i = 0; i < 5; i++) c.publish('forms.max', String(i));
      await c.flush();
      await within(ended, 10_000, 'the iterator of a max: 3 subscription to end');
      deepEqual(iterated, ['0', '1', '2']);
      await until(() => cbSub.isClosed(), 5_000, 'the max: 2 subscription to close');
      deepEqual(cb, ['0', '1']);
      equal(cbSub.getProcessed(), 2, 'processed count');
    } finally {
      await c.close();
    }
  },

  async 'queue groups deliver each message once, to callback and iterator members alike'(env) {
    const c = await as(env, 'ENGINE');
    const other = await as(env, 'ENGINE');
    try {
      const byCallback: string[] = [];
      c.subscribe('forms.queue', { queue: 'q1', onMessage: (m) => byCallback.push(m.string()) });
      const iterSub = other.subscribe('forms.queue', { queue: 'q1' });
      const byIterator: string[] = [];
      void (async () => {
        for await (const m of iterSub) byIterator.push(m.string());
      })();
      const everyone: string[] = [];
      other.subscribe('forms.queue', { onMessage: (m) => everyone.push(m.string()) });
      await Promise.all([c.flush(), other.flush()]);
      for (let i = 0; i < 200; i++) c.publish('forms.queue', String(i));
      await c.flush();
      await until(() => everyone.length === 200 && byCallback.length + byIterator.length === 200, 10_000, 'every queued message');
      const seen = new Set([...byCallback, ...byIterator]);
      equal(seen.size, 200, 'each message delivered to exactly one member');
      ok(byCallback.length > 0 && byIterator.length > 0, `both members got work (${byCallback.length}/${byIterator.length})`);
    } finally {
      await Promise.all([c.close(), other.close()]);
    }
  },

  async 'publish with a reply subject; request with headers; the responder sees them'(env) {
    const c = await as(env, 'PROVISION');
    try {
      c.subscribe('forms.svc', {
        onMessage: (m) => m.respond(`${m.string()}|${m.headers?.get('Nunect-Trace') ?? 'no header'}`),
      });
      const replies = collect(c, 'forms.replies');
      await c.flush();
      const reply = await c.request('forms.svc', 'ask', { timeout: 5_000, headers: { 'Nunect-Trace': 't-1' } });
      equal(reply.string(), 'ask|t-1');
      c.publish('forms.svc', 'direct', { reply: 'forms.replies', headers: { 'Nunect-Trace': 't-2' } });
      await until(() => replies.length === 1, 5_000, 'the reply on the given reply subject');
      equal(replies[0]!.string(), 'direct|t-2');
    } finally {
      await c.close();
    }
  },

  async 'requestMany: every reply until maxMessages, the quiet period or maxWait; headers go along'(env) {
    const c = await as(env, 'PROVISION');
    const responders = await Promise.all([as(env, 'PROVISION'), as(env, 'PROVISION'), as(env, 'PROVISION')]);
    try {
      responders.forEach((r, i) => r.subscribe('forms.survey', { onMessage: (m) => m.respond(`r${i}:${m.headers?.get('Nunect-Ask') ?? ''}`) }));
      // A fourth responder answers late, after 1.5 s: the quiet period ends the survey before it.
      const late = await as(env, 'PROVISION');
      responders.push(late);
      late.subscribe('forms.survey', { onMessage: (m) => setTimeout(() => m.respond('late'), 1_500) });
      await Promise.all(responders.map((r) => r.flush()));
      const all = await c.requestMany('forms.survey', 'x', { quiet: 500, maxWait: 20_000, headers: { 'Nunect-Ask': 'h' } });
      deepEqual(all.map((m) => m.string()).sort(), ['r0:h', 'r1:h', 'r2:h'], 'the quiet period ends it before the late reply');
      const two = await within(c.requestMany('forms.survey', 'x', { maxMessages: 2, quiet: 120_000, maxWait: 120_000 }), 20_000, 'maxMessages');
      equal(two.length, 2, 'maxMessages');
      const capped = await c.requestMany('forms.survey', 'x', { quiet: 120_000, maxWait: 3_000 });
      equal(capped.length, 4, 'maxWait ends it, with the late reply in');
    } finally {
      await Promise.all([c, ...responders].map((x) => x.close()));
    }
  },

  async 'subscribe onError gets a refused subscription; on("error") otherwise; the connection stays up'(env) {
    const { user, pass } = env.server.roles.logger;
    const c = await env.connect({ servers: env.server.wsUrl, user, pass, timeout: 5_000, ...env.platform });
    try {
      const viaOnError: string[] = [];
      c.subscribe('bridge.secret', { onMessage: () => {}, onError: (e) => viaOnError.push(e.code) });
      const viaClient: string[] = [];
      const off = c.on('error', (e) => viaClient.push(e.code));
      c.subscribe('bridge.other', { onMessage: () => {} });
      await until(() => viaOnError.length === 1 && viaClient.length >= 1, 5_000, 'both refusals reported');
      deepEqual(viaOnError, ['PERMISSION_DENIED']);
      equal(viaClient[0], 'PERMISSION_DENIED');
      off();
      equal(c.status.state, 'connected', 'the connection stays up');
    } finally {
      await c.close();
    }
  },

  async 'flush, rtt, stats, status listeners and closed()'(env) {
    const c = await as(env, 'BRIDGE');
    const seen: string[] = [];
    const off = c.on('status', (s) => seen.push(s.state));
    equal(seen[0], 'connected', 'a status listener is called at once');
    const got = collect(c, 'forms.stats');
    await c.flush();
    c.publish('forms.stats', 'abc');
    await c.flush();
    await until(() => got.length === 1, 5_000, 'the message');
    const rtt = await c.rtt();
    ok(rtt >= 0 && Number.isFinite(rtt), `rtt ${rtt}`);
    const stats = c.stats();
    ok(stats.outMsgs >= 1 && stats.inMsgs >= 1 && stats.outBytes >= 3, JSON.stringify(stats));
    const closed = c.closed();
    await c.close();
    equal(await closed, undefined, 'closed() resolves without an error after close()');
    equal(c.isClosed, true);
    deepEqual(seen, ['connected', 'closed']);
    off();
  },

  async 'drain lets an iterator finish what it has, then closes'(env) {
    const reader = await as(env, 'ENGINE');
    const writer = await as(env, 'ENGINE');
    try {
      const sub = reader.subscribe('forms.drain');
      let n = 0;
      const done = (async () => {
        for await (const _ of sub) n++;
      })();
      await reader.flush();
      for (let i = 0; i < 50; i++) writer.publish('forms.drain', String(i));
      await writer.flush();
      await until(() => n === 50, 5_000, 'fifty messages');
      await reader.drain();
      await within(done, 10_000, 'the iterator to end on drain');
      equal(reader.status.state, 'closed');
    } finally {
      await writer.close();
    }
  },
};
