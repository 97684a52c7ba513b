/**
 * The real source of <nunect-kv> (components/kv/kv-source.ts) against a real nats-server, read as
 * BRIDGE's read-only `bridge-viewer` while a second, independent client (`bridge`) changes the
 * bucket: the buckets and their status, keys filtered, a watch that sees every put, delete and
 * purge live (also across a server restart), a key's value and history (deletes and purges
 * marked); the server refuses the viewer's put and delete (the widget says "not allowed"), the
 * rights say so on 2.10+; `bridge` deletes and the audit record is published on
 * ops.audit.kv-delete; no JetStream, no such bucket and a bad filter are told clearly.
 */
import { after, before, describe, test } from 'node:test';
import { Kvm, type KV } from '@nats-io/kv';
import { connect, userInboxPrefix, userRights, type AuditRecord, type NunectClient } from '../../client/node.js';
import { serverHas } from '../../src/monitor/features.js';
import { natsKvSource, type KvEntryInfo } from '../../components/kv/kv-source.js';
import { kvActionBlocked, runKvAction } from '../../components/kv/kv-actions.js';
import { deepEqual, equal, ok, rejects, until, within } from '../support/assert.js';
import { TestNatsServer } from '../support/nats-server.js';

let server: TestNatsServer;
const clients: NunectClient[] = [];
let writer: KV;
const BUCKET = 'CFG';

async function as(who: { user: string; pass: string }, name?: string): Promise<NunectClient> {
  const c = await connect({
    servers: server.info.wsUrl,
    ca: server.info.ca,
    user: who.user,
    pass: who.pass,
    inboxPrefix: userInboxPrefix(who.user),
    name,
    timeout: 10_000,
  });
  clients.push(c);
  return c;
}

/** $SYS.REQ.USER.INFO (a user's rights) and a JetStream error for a JetStream-less account arrived with 2.10, as KICK did. */
const since210 = () => serverHas(server.info.version, 'kick');
const text = (e: KvEntryInfo | undefined) => (e?.value ? new TextDecoder().decode(e.value) : undefined);

describe(`kv source against nats-server ${process.env.NATS_SERVER_BIN ?? 'default'}`, () => {
  before(async () => {
    server = await TestNatsServer.start();
    const bridge = await as(server.info.users.BRIDGE, 'kv-writer');
    writer = await new Kvm(bridge.nc).create(BUCKET, { history: 5, description: 'configuration' });
    await writer.put('config.a', 'one');
    await writer.put('config.b', '{"x":1}');
    await writer.put('config.deep.c', 'three');
    await writer.put('other.d', 'four');
  });
  after(async () => {
    await Promise.all(clients.map((c) => c.close().catch(() => {})));
    await server?.stop();
  });

  test('bridge-viewer lists the buckets with their status and the keys, filtered', { timeout: 30_000 }, async () => {
    const source = natsKvSource(await as(server.info.roles['bridge-viewer']));
    const buckets = await within(source.buckets(), 10_000, 'the bucket list');
    const cfg = buckets.find((b) => b.bucket === BUCKET);
    ok(cfg, `CFG listed: ${JSON.stringify(buckets)}`);
    equal(cfg.history, 5, 'history');
    equal(cfg.storage, 'file', 'storage');
    equal(cfg.replicas, 1, 'replicas');
    equal(cfg.ttl, 0, 'ttl');
    ok(cfg.values >= 4 && cfg.bytes > 0, `values ${cfg.values}, bytes ${cfg.bytes}`);
    equal(cfg.description, 'configuration');
    equal((await source.bucket(BUCKET)).bucket, BUCKET);
    deepEqual(await source.keys(BUCKET, 'config.>'), ['config.a', 'config.b', 'config.deep.c']);
    deepEqual(await source.keys(BUCKET, 'config.*'), ['config.a', 'config.b']);
    deepEqual(await source.keys(BUCKET, '*.d'), ['other.d']);
    deepEqual(await source.keys(BUCKET, 'none.>'), []);
    await rejects(() => source.keys(BUCKET, 'config.>.x'), 'INVALID_SUBJECT', /> may only be the last part/);
    const a = await source.get(BUCKET, 'config.a');
    equal(text(a), 'one');
    equal(a?.operation, 'PUT');
    equal(await source.get(BUCKET, 'never.there'), undefined);
  });

  test('a watch sees each put, delete and purge of another client live; history marks them', { timeout: 60_000 }, async () => {
    const source = natsKvSource(await as(server.info.roles['bridge-viewer']));
    const seen: KvEntryInfo[] = [];
    let initialized = false;
    const problems: unknown[] = [];
    const watch = await within(
      source.watch(BUCKET, 'config.>', {
        entry: (e) => seen.push(e),
        initialized: () => (initialized = true),
        problem: (e) => e && problems.push(e),
      }),
      10_000,
      'the watch opens',
    );
    try {
      await until(() => initialized, 10_000, 'initialized');
      deepEqual(seen.map((e) => e.key).sort(), ['config.a', 'config.b', 'config.deep.c'], 'the initial keys of the filter');
      ok(
        seen.every((e) => e.value === undefined && e.length > 0),
        'headers only, with the sizes',
      );
      const start = seen.length;
      const r1 = await writer.put('config.a', 'two');
      await writer.put('other.d', 'not in the filter');
      await writer.delete('config.b');
      await writer.put('config.new', 'fresh');
      await writer.purge('config.deep.c');
      await until(() => seen.length >= start + 4, 10_000, `four changes (saw ${JSON.stringify(seen.slice(start))})`);
      deepEqual(
        seen.slice(start).map((e) => [e.key, e.operation]),
        [
          ['config.a', 'PUT'],
          ['config.b', 'DEL'],
          ['config.new', 'PUT'],
          ['config.deep.c', 'PURGE'],
        ],
        'each change once, in order, none outside the filter',
      );
      equal(seen[start]!.revision, r1, 'the revision of the put');
      equal(text(await source.get(BUCKET, 'config.a')), 'two');
      equal((await source.get(BUCKET, 'config.b'))?.operation, 'DEL');
      const history = await source.history(BUCKET, 'config.b');
      deepEqual(
        history.map((e) => [e.operation, text(e)]),
        [
          ['PUT', '{"x":1}'],
          ['DEL', ''],
        ],
        'the history of config.b',
      );
      const purged = await source.history(BUCKET, 'config.deep.c');
      deepEqual(
        purged.map((e) => e.operation),
        ['PURGE'],
        'a purge leaves only its marker',
      );
      deepEqual(await source.keys(BUCKET, 'config.>'), ['config.a', 'config.new'], 'deleted and purged keys are not listed');

      // A restart of the server: the watch survives it and sees what changed meanwhile and after.
      await server.kill();
      await server.start();
      const after = seen.length;
      // The writer's JetStream answers again once the server has recovered its streams.
      await until(
        () =>
          writer.put('config.after', 'restart').then(
            () => true,
            () => false,
          ),
        30_000,
        'a put after the restart',
      );
      await until(() => seen.slice(after).some((e) => e.key === 'config.after'), 40_000, 'the change after the restart');
      equal(problems.length, 0, `no problem reported: ${problems.map(String).join('; ')}`);
    } finally {
      watch.stop();
    }
  });

  test('the server refuses bridge-viewer’s put and delete: "not allowed", and the rights say so on 2.10+', { timeout: 30_000 }, async () => {
    const viewer = await as(server.info.roles['bridge-viewer']);
    const source = natsKvSource(viewer);
    const put = await rejects(() => source.put(BUCKET, 'config.a', 'nope'), 'PERMISSION_DENIED', /^Not allowed: this user may not put config\.a in CFG/);
    ok(/Permissions Violation for Publish to "\$KV\.CFG\.config\.a"/.test(put.message), put.message);
    await rejects(() => source.delete(BUCKET, 'config.a'), 'PERMISSION_DENIED', /^Not allowed: this user may not delete config\.a in CFG/);
    equal(text(await source.get(BUCKET, 'config.a')), 'two', 'the value is unchanged');
    const rights = await userRights(viewer);
    if (since210()) {
      ok(rights.known, `rights known on ${server.info.version}`);
      ok(/bridge-viewer may not put values in CFG/.test(kvActionBlocked('kv-put', BUCKET, 'config.a', rights) ?? ''), 'put blocked');
      ok(kvActionBlocked('kv-delete', BUCKET, 'config.a', rights), 'delete blocked');
    } else {
      equal(rights.known, false, 'rights unknown on 2.9');
      equal(kvActionBlocked('kv-delete', BUCKET, 'config.a', rights), undefined, 'offered: the server decides');
    }
    // The audit record of a refused attempt says so.
    const result = await runKvAction(viewer, source, 'kv-delete', { bucket: BUCKET, key: 'config.a' }, 'bridge-viewer', () => Date.now());
    equal(result.outcome, 'refused');
    ok(result.audited, 'audited');
  });

  test('bridge deletes a key and the audit record is published on ops.audit.kv-delete', { timeout: 30_000 }, async () => {
    const bridge = await as(server.info.users.BRIDGE, 'kv-admin');
    const listener = await as(server.info.users.BRIDGE, 'audit-listener');
    const records: AuditRecord[] = [];
    listener.subscribe('ops.audit.>', { onMessage: (m) => m.subject.startsWith('ops.audit.kv-') && records.push(m.json<AuditRecord>()) });
    await listener.flush();
    const source = natsKvSource(bridge);
    const put = await runKvAction(bridge, source, 'kv-put', { bucket: BUCKET, key: 'config.tmp', value: 'x' }, 'bridge', () => Date.now());
    equal(put.outcome, 'ok', put.message);
    ok((put.revision ?? 0) > 0, 'a revision');
    const del = await runKvAction(bridge, source, 'kv-delete', { bucket: BUCKET, key: 'config.tmp' }, 'bridge', () => Date.now());
    equal(del.outcome, 'ok', del.message);
    equal((await source.get(BUCKET, 'config.tmp'))?.operation, 'DEL');
    await until(() => records.length >= 2, 10_000, 'two audit records');
    deepEqual(
      records.map((r) => [r.action, r.outcome, r.target.bucket, r.target.key, r.who]),
      [
        ['kv-put', 'ok', BUCKET, 'config.tmp', 'bridge'],
        ['kv-delete', 'ok', BUCKET, 'config.tmp', 'bridge'],
      ],
    );
  });

  test('no JetStream, no such bucket: told clearly', { timeout: 30_000 }, async () => {
    const viewer = natsKvSource(await as(server.info.roles['bridge-viewer']));
    await rejects(() => viewer.bucket('NOPE'), 'NATS', /^No such bucket: NOPE/);
    await rejects(() => viewer.watch('NOPE', '>', { entry: () => {}, initialized: () => {}, problem: () => {} }), 'NATS', /^No such bucket: NOPE/);
    // SYS has no JetStream (2.9.10 does not answer, later servers say so).
    const sys = natsKvSource(await as(server.info.users.SYS));
    const e = await rejects(() => sys.buckets(), since210() ? 'NO_RESPONDERS' : 'TIMEOUT');
    ok(/No JetStream for this user's account|No answer from JetStream/.test(e.message), e.message);
  });
});
