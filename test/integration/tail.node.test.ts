/**
 * The real source of <nunect-tail> (components/tail/tail-source.ts) and its buffer against a real
 * nats-server: a tail on `bridge.>` as the read-only `bridge-viewer` counts every one of 10,000
 * messages exactly, in order, while paused and resumed; headers arrive intact; a queue group
 * shares the messages; a subject the user may not read is refused with a clear message; and when
 * the server drops the tail's connection as a slow consumer, the gap is reported with the
 * server's reason and the number of messages it dropped.
 */
import { after, before, describe, test } from 'node:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Worker } from 'node:worker_threads';
import { connect, userInboxPrefix, type NunectClient } from '../../client/node.js';
import { TailBuffer } from '../../components/tail/tail-buffer.js';
import { subjectTailSource, type TailGap, type TailMsg } from '../../components/tail/tail-source.js';
import { equal, ok, rejects, until, within } from '../support/assert.js';
import { CONFIG, ROOT, TestNatsServer, type RoleName } from '../support/nats-server.js';

let server: TestNatsServer;
const clients: NunectClient[] = [];
const decoder = new TextDecoder();

async function as(s: TestNatsServer, role: RoleName | 'bridge', name?: string): Promise<NunectClient> {
  const who = role === 'bridge' ? s.info.users.BRIDGE : s.info.roles[role];
  const c = await connect({
    servers: s.info.wsUrl,
    ca: s.info.ca,
    user: who.user,
    pass: who.pass,
    inboxPrefix: userInboxPrefix(who.user),
    name,
    timeout: 10_000,
  });
  clients.push(c);
  return c;
}

/** A tail feeding a TailBuffer (as the element does, without the frames), with what it reported. */
async function tail(client: NunectClient, subject: string, queue?: string) {
  const buffer = new TailBuffer(20_000);
  const gaps: TailGap[] = [];
  const problems: unknown[] = [];
  const handle = await within(
    subjectTailSource(client).open(
      {
        message: (msg: TailMsg) => buffer.take([{ msg, time: Date.now() }]),
        problem: (e) => e && problems.push(e),
        gap: (g) => gaps.push(g),
      },
      { subject, ...(queue ? { queue } : {}) },
    ),
    10_000,
    `the tail on ${subject} opens`,
  );
  return { buffer, gaps, problems, handle };
}

describe(`the tail source against nats-server ${process.env.NATS_SERVER_BIN ?? 'default'}`, () => {
  before(async () => {
    server = await TestNatsServer.start();
  });
  after(async () => {
    await Promise.all(clients.map((c) => c.close().catch(() => {})));
    await server?.stop();
  });

  test('a tail on bridge.> counts every one of 10,000 messages exactly while paused and resumed', { timeout: 60_000 }, async () => {
    const viewer = await as(server, 'bridge-viewer');
    const publisher = await as(server, 'bridge');
    const t = await tail(viewer, 'bridge.>');
    const send = async (from: number, to: number) => {
      for (let i = from; i < to; i++) publisher.publish(`bridge.burst.${i % 10}`, String(i));
      await publisher.flush();
    };
    try {
      await send(0, 3_000);
      await until(() => t.buffer.received === 3_000, 10_000, '3,000 received');
      t.buffer.pause();
      await send(3_000, 7_000);
      await until(() => t.buffer.received === 7_000, 10_000, '7,000 received while paused');
      equal(t.buffer.newWhilePaused, 4_000, 'new while paused');
      equal(t.buffer.rows().rows.length, 3_000, 'the frozen view');
      t.buffer.resume();
      await send(7_000, 10_000);
      await until(() => t.buffer.received === 10_000, 10_000, '10,000 received');
      const rows = t.buffer.all();
      equal(rows.length, 10_000);
      equal(t.buffer.evicted, 0);
      rows.forEach((r, i) => {
        if (decoder.decode(r.msg.data) !== String(i) || r.n !== i + 1) throw new Error(`message ${i + 1} is ${decoder.decode(r.msg.data)} (n ${r.n})`);
      });
      equal(t.buffer.rows({ subject: 'bridge.burst.3' }).matching, 1_000, 'filtered by subject');
      equal(t.problems.length, 0, 'no problem');
      equal(t.gaps.length, 0, 'no gap');
    } finally {
      t.handle.stop();
    }
  });

  test('headers arrive intact, repeated values in order, and the export keeps them', { timeout: 30_000 }, async () => {
    const viewer = await as(server, 'bridge-viewer');
    const publisher = await as(server, 'bridge');
    const t = await tail(viewer, 'bridge.headers');
    try {
      publisher.publish('bridge.headers', '{"a":1}', { headers: { 'Nats-Msg-Id': 'id-1', 'X-Tag': ['one', 'two'], 'X-Text': 'héllo wörld' } });
      await publisher.flush();
      await until(() => t.buffer.received === 1, 10_000, 'the message');
      const [row] = t.buffer.all();
      const h = row!.msg.headers!;
      equal(h.get('Nats-Msg-Id'), 'id-1');
      equal(h.values('X-Tag').join(','), 'one,two');
      equal(h.get('X-Text'), 'héllo wörld');
      const line = JSON.parse(t.buffer.exportJSONLines()) as { headers: Record<string, string[]>; payload: string };
      equal(JSON.stringify(line.headers), JSON.stringify({ 'Nats-Msg-Id': ['id-1'], 'X-Tag': ['one', 'two'], 'X-Text': ['héllo wörld'] }));
      equal(line.payload, '{"a":1}');
    } finally {
      t.handle.stop();
    }
  });

  test('two tails in one queue group share the messages: each once', { timeout: 30_000 }, async () => {
    const a = await tail(await as(server, 'bridge-viewer'), 'bridge.work', 'workers');
    const b = await tail(await as(server, 'bridge-viewer'), 'bridge.work', 'workers');
    const publisher = await as(server, 'bridge');
    try {
      for (let i = 0; i < 200; i++) publisher.publish('bridge.work', String(i));
      await publisher.flush();
      await until(() => a.buffer.received + b.buffer.received === 200, 10_000, '200 in all');
      ok(a.buffer.received > 0 && b.buffer.received > 0, `both got some (${a.buffer.received}, ${b.buffer.received})`);
      const seen = new Set([...a.buffer.all(), ...b.buffer.all()].map((r) => decoder.decode(r.msg.data)));
      equal(seen.size, 200, 'each message once');
    } finally {
      a.handle.stop();
      b.handle.stop();
    }
  });

  test('a subject the user may not read is refused, saying so; a bad subject is invalid', { timeout: 30_000 }, async () => {
    const viewer = await as(server, 'bridge-viewer');
    const source = subjectTailSource(viewer);
    const handlers = { message: () => {}, problem: () => {}, gap: () => {} };
    await rejects(() => source.open(handlers, { subject: 'secret.>' }), 'PERMISSION_DENIED', /may not subscribe to secret\.>/);
    await rejects(() => source.open(handlers, { subject: 'a..b' }), 'INVALID_SUBJECT');
    await rejects(() => source.open(handlers, { subject: 'bridge.x', queue: 'bad queue' }), 'INVALID_SUBJECT');
    // The connection is still usable after the refusal.
    const t = await tail(viewer, 'bridge.after');
    t.handle.stop();
  });

  test('a slow consumer dropped by the server is reported with the reason and the count dropped', { timeout: 120_000 }, async () => {
    // A server that keeps at most 1 MiB pending (no less than max_payload) for a client, then closes it as a slow consumer.
    const dir = mkdtempSync(join(tmpdir(), 'nunect-tail-'));
    const config = join(dir, 'slow-consumer.conf');
    writeFileSync(config, `include "${relative(dir, CONFIG)}"\nmax_pending: 1048576\nwrite_deadline: "2s"\n`);
    const slow = await TestNatsServer.start({ config });
    const flag = new SharedArrayBuffer(4);
    const worker = new Worker(join(ROOT, 'test/support/tail-flood.mjs'), {
      workerData: {
        url: slow.info.natsUrl,
        user: slow.info.users.BRIDGE.user,
        pass: slow.info.users.BRIDGE.pass,
        subject: 'flood.x',
        count: 40_000,
        size: 1_024,
        flag,
      },
    });
    try {
      const client = await as(slow, 'bridge', 'nunect-tail-slow');
      const t = await tail(client, 'flood.>');
      const ready = new Promise((r) => worker.once('message', r));
      await within(ready, 20_000, 'the publisher connects');
      const result = new Promise<{ sent: number }>((r) => worker.on('message', (m: { sent?: number }) => m.sent !== undefined && r(m as { sent: number })));
      worker.postMessage('go');
      // This thread reads nothing until the publisher is done: the server's queue for it overflows.
      Atomics.wait(new Int32Array(flag), 0, 0, 60_000);
      const { sent } = await within(result, 30_000, 'the publisher reports');
      equal(sent, 40_000, 'published');
      const gaps = await until(() => (t.gaps.length ? t.gaps : undefined), 30_000, 'a gap reported after the reconnect');
      const gap = gaps![0]!;
      ok(/slow consumer/i.test(gap.reason ?? ''), `the server's reason (${gap.reason}; ${gap.unknown})`);
      ok(gap.dropped !== undefined && gap.dropped > 0, `dropped counted (${gap.dropped})`);
      ok(t.buffer.received + gap.dropped! <= sent, `received ${t.buffer.received} + dropped ${gap.dropped} <= sent ${sent}`);
      ok(gap.until >= gap.since);
      console.log(`slow consumer: sent ${sent}, received ${t.buffer.received}, dropped by the server ${gap.dropped} (${gap.reason})`);
      t.handle.stop();
    } finally {
      await worker.terminate();
      await slow.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
