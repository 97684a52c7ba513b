/**
 * The real source of <nunect-streams> against a real nats-server: the stream list paged as the
 * API pages it, a stream's info and consumers (with pending), messages browsed by sequence — a
 * limits stream and a work-queue stream, gaps skipped — with no consumer created (the count
 * before and after), the last message of a subject, a time jump where the server has it; the
 * read-only `bridge-viewer` reads it all and is refused a purge (PERMISSION_DENIED), `bridge`
 * purges, deletes a message and a consumer, each with an audit record on ops.audit.<action>; an
 * account without JetStream is told so.
 */
import { after, before, describe, test } from 'node:test';
import { AckPolicy, jetstreamManager, RetentionPolicy, type JetStreamManager } from '@nats-io/jetstream';
import { connect, userInboxPrefix, type NunectClient } from '../../client/node.js';
import type { AuditRecord } from '../../client/admin.js';
import { userRights } from '../../client/admin.js';
import { serverHas } from '../../src/monitor/features.js';
import { actionSubjects, jetStreamSource, messageBefore, messageFrom, runAction, type StreamsSource } from '../../components/streams/streams-source.js';
import { equal, ok, until, within } from '../support/assert.js';
import { TestNatsServer } from '../support/nats-server.js';

let server: TestNatsServer;
const clients: NunectClient[] = [];

async function as(who: { user: string; pass: string }): Promise<NunectClient> {
  const c = await connect({
    servers: server.info.wsUrl,
    ca: server.info.ca,
    user: who.user,
    pass: who.pass,
    inboxPrefix: userInboxPrefix(who.user),
    timeout: 10_000,
  });
  clients.push(c);
  return c;
}

describe(`streams source against nats-server ${process.env.NATS_SERVER_BIN ?? 'default'}`, () => {
  let bridge: NunectClient;
  let viewer: NunectClient;
  let jsm: JetStreamManager;
  let source: StreamsSource;
  const consumerCount = async (stream: string) => (await jsm.streams.info(stream)).state.consumer_count;

  before(async () => {
    server = await TestNatsServer.start();
    bridge = await as(server.info.users.BRIDGE);
    viewer = await as(server.info.roles['bridge-viewer']);
    jsm = await jetstreamManager(bridge.nc);
    await jsm.streams.add({ name: 'ORDERS', subjects: ['orders.>'] });
    await jsm.streams.add({ name: 'JOBS', subjects: ['jobs.>'], retention: RetentionPolicy.Workqueue, allow_direct: true });
    const js = (await import('@nats-io/jetstream')).jetstream(bridge.nc);
    for (let i = 1; i <= 10; i++) await js.publish(`orders.${i % 2 ? 'odd' : 'even'}`, JSON.stringify({ i }));
    for (let i = 1; i <= 5; i++) await js.publish('jobs.build', `job ${i}`);
    await jsm.streams.deleteMessage('ORDERS', 4);
    await jsm.streams.deleteMessage('ORDERS', 5);
    await jsm.consumers.add('ORDERS', { durable_name: 'audit', ack_policy: AckPolicy.Explicit });
    source = jetStreamSource(viewer);
  });
  after(async () => {
    await Promise.all(clients.map((c) => c.close().catch(() => {})));
    await server?.stop();
  });

  test('lists the streams a page at a time, with the total', async () => {
    const page = await within(source.listPage(0), 10_000, 'the first page');
    equal(page.total, 2);
    equal(page.offset, 0);
    ok(page.limit >= 2, `limit ${page.limit}`);
    const names = page.streams.map((s) => s.config.name).sort();
    equal(names.join(), 'JOBS,ORDERS');
    const orders = page.streams.find((s) => s.config.name === 'ORDERS')!;
    equal(orders.state.messages, 8);
    equal(orders.state.consumer_count, 1);
    const empty = await source.listPage(2);
    equal(empty.streams.length, 0);
    equal(empty.total, 2);
  });

  test('a stream: info with its cluster, consumers with pending', async () => {
    const info = await source.info('ORDERS');
    equal(info.config.name, 'ORDERS');
    equal(info.state.first_seq, 1);
    equal(info.state.last_seq, 10);
    // A lone server leads its streams (2.9 leaves the leader out when there is no cluster).
    if (info.cluster?.leader) equal(info.cluster.leader, server.info.name);
    const consumers = await source.consumers('ORDERS');
    equal(consumers.length, 1);
    equal(consumers[0]!.name, 'audit');
    equal(consumers[0]!.num_pending, 8);
  });

  for (const [stream, direct] of [
    ['ORDERS', false],
    ['JOBS', true],
  ] as const) {
    test(`browses ${stream} by sequence (${direct ? 'direct get' : 'MSG.GET'}) without creating a consumer`, async () => {
      const before = await consumerCount(stream);
      const first = await messageFrom(source, stream, 1, direct);
      equal(first.message?.seq, 1);
      equal(first.message?.via, direct ? 'direct' : 'get');
      ok(first.message!.time && !Number.isNaN(Date.parse(first.message!.time)), first.message!.time);
      equal(
        first.message!.headers.some(([k]) => /^nats-(stream|sequence)$/i.test(k)),
        false,
        'server headers of a direct get left out',
      );
      const next = await messageFrom(source, stream, 2, direct);
      equal(next.message?.seq, 2);
      if (stream === 'ORDERS') {
        equal(new TextDecoder().decode(first.message!.data), '{"i":1}');
        equal(first.message!.subject, 'orders.odd');
        // 4 and 5 were deleted: "next" after 3 lands on 6 and says what it skipped.
        const gap = await messageFrom(source, stream, 4, direct);
        equal(gap.message?.seq, 6);
        equal(gap.skipped?.join('-'), '4-5');
        const back = await messageBefore(source, stream, 6, 1, direct);
        equal(back.message?.seq, 3);
        equal(back.skipped?.join('-'), '4-5');
        const last = await source.message(stream, { lastBySubject: 'orders.even' }, direct);
        equal(last?.seq, 10);
        equal(new TextDecoder().decode(last!.data), '{"i":10}');
        const beyond = await messageFrom(source, stream, 11, direct);
        equal(beyond.message, null);
      } else {
        equal(new TextDecoder().decode(first.message!.data), 'job 1');
        const last = await source.message(stream, { lastBySubject: 'jobs.build' }, direct);
        equal(last?.seq, 5);
        if (serverHas(server.info.version, 'directStartTime')) {
          const at = await source.message(stream, { startTime: first.message!.time }, direct);
          equal(at?.seq, 1);
        }
        const none = await source.message(stream, { seq: 99 }, direct);
        equal(none, null);
      }
      equal(await consumerCount(stream), before, 'no consumer created');
      equal(before, stream === 'ORDERS' ? 1 : 0);
    });
  }

  test('bridge-viewer is refused a purge by the server; bridge purges; both audited', { timeout: 30_000 }, async () => {
    const audits: AuditRecord[] = [];
    const sub = bridge.subscribe('ops.audit.>', { onMessage: (m) => audits.push(m.json<AuditRecord>()) });
    await bridge.flush();
    try {
      const rights = await userRights(viewer);
      if (rights.known) equal(rights.mayPublish(actionSubjects.purge('ORDERS')), false, 'the viewer may not purge');
      const refused = await within(runAction(viewer, source, 'purge', { stream: 'ORDERS' }, 'bridge-viewer', Date.now()), 10_000, 'the refused purge');
      equal(refused.outcome, 'refused', refused.message);
      ok(/PERMISSION_DENIED/.test(refused.message ?? ''), refused.message);
      equal((await jsm.streams.info('ORDERS')).state.messages, 8, 'nothing purged');

      const owner = jetStreamSource(bridge);
      const one = await runAction(bridge, owner, 'purge', { stream: 'ORDERS', subject: 'orders.odd' }, 'bridge', Date.now(), 'BRIDGE');
      equal(one.outcome, 'ok', one.message);
      equal(one.purged, 4);
      const del = await runAction(bridge, owner, 'delete-message', { stream: 'ORDERS', seq: 10 }, 'bridge', Date.now());
      equal(del.outcome, 'ok', del.message);
      const cons = await runAction(bridge, owner, 'delete-consumer', { stream: 'ORDERS', consumer: 'audit' }, 'bridge', Date.now());
      equal(cons.outcome, 'ok', cons.message);
      equal(await consumerCount('ORDERS'), 0);
      const all = await runAction(bridge, owner, 'purge', { stream: 'ORDERS' }, 'bridge', Date.now());
      equal(all.outcome, 'ok', all.message);
      equal((await jsm.streams.info('ORDERS')).state.messages, 0);

      await until(() => audits.length >= 5, 10_000, 'five audit records');
      const purges = audits.filter((a) => a.action === 'purge');
      equal(purges[0]!.outcome, 'refused');
      equal(purges[0]!.who, 'bridge-viewer');
      equal(purges[1]!.outcome, 'ok');
      equal(purges[1]!.target.subject, 'orders.odd');
      equal(purges[1]!.target.account, 'BRIDGE');
      equal(audits.find((a) => a.action === 'delete-message')?.target.seq, 10);
      equal(audits.find((a) => a.action === 'delete-consumer')?.target.consumer, 'audit');
    } finally {
      sub.unsubscribe();
    }
  });

  test('an account without JetStream is told so', async () => {
    const sys = await as(server.info.users.SYS);
    const err = await jetStreamSource(sys)
      .listPage(0)
      .then(
        () => undefined,
        (e: Error) => e,
      );
    ok(err, 'the list fails');
    ok(/JetStream/.test(err.message), err.message);
  });
});
