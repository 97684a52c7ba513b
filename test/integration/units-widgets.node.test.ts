/**
 * The real sources of <nunect-units> and <nunect-log-tail> against a real nats-server, read as
 * the OPS account's read-only `dashboard` user: the units source (KV watch of OPS_UNITS, the
 * timeline from OPS_UNIT_EVENTS) sees Guardians alive, then one stopped and one lost; the log
 * source (one ordered consumer on OPS_LOGS) opens with the last records and counts a burst of
 * 10,000 exactly, in order, none twice; a user of another account is told it cannot read OPS.
 */
import { after, before, describe, test } from 'node:test';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, createLogger, userInboxPrefix, type NunectClient } from '../../client/node.js';
import { startGuardian, type Guardian } from '../../client/guardian-node.js';
import { lostAfter, OPS, type ControllerRecord, type UnitRecord } from '../../client/units.js';
import { Controller } from '../../scripts/controller/controller.js';
import { serverHas } from '../../src/monitor/features.js';
import { kvUnitsSource } from '../../components/units/units-source.js';
import { streamLogSource, type RawLogRecord } from '../../components/log-tail/log-source.js';
import { equal, ok, until, within } from '../support/assert.js';
import { TestNatsServer, type RoleName } from '../support/nats-server.js';

let server: TestNatsServer;
const clients: NunectClient[] = [];
const guardians: Guardian[] = [];
let controller: Controller | undefined;
const INTERVAL = 500;

async function as(role: RoleName | 'ops', name?: string): Promise<NunectClient> {
  const who = role === 'ops' ? server.info.users.OPS : server.info.roles[role];
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

describe(`widget sources against nats-server ${process.env.NATS_SERVER_BIN ?? 'default'}`, () => {
  before(async () => {
    server = await TestNatsServer.start();
    controller = await Controller.start({ client: await as('controller', 'nunect-controller'), sweepEvery: 100 });
  });
  after(async () => {
    for (const g of guardians) await g.stop().catch(() => {});
    await controller?.stop();
    await Promise.all(clients.map((c) => c.close().catch(() => {})));
    await server?.stop();
  });

  test('the units source sees the Guardians alive, then stopped and lost, with the timeline', { timeout: 60_000 }, async () => {
    const units = new Map<string, UnitRecord>();
    let record: ControllerRecord | undefined;
    let initialized = false;
    const problems: unknown[] = [];
    const source = kvUnitsSource(await as('dashboard'));
    const watch = await within(
      source.watch({
        put: (k, r) => units.set(k, r),
        remove: (k) => units.delete(k),
        controller: (r) => (record = r),
        initialized: () => (initialized = true),
        problem: (e) => e && problems.push(e),
      }),
      10_000,
      'the watch opens',
    );
    try {
      await until(() => initialized, 10_000, 'initialized');
      const bridge = await as('bridge-unit', 'bridge-1');
      guardians.push(await startGuardian(bridge, { unit: 'bridge-1', kind: 'bridge', version: '1.4.0', interval: INTERVAL, checks: { db: () => {} } }));
      const engine = await as('engine-unit', 'engine-1');
      await startGuardian(engine, { unit: 'engine-1', kind: 'engine', version: '2.0.0', interval: INTERVAL });
      await until(() => units.get('bridge.bridge-1')?.state === 'alive' && units.get('engine.engine-1')?.state === 'alive', 20_000, 'both alive');
      equal(units.get('bridge.bridge-1')!.checks[0]?.name, 'db');
      await until(() => record, 10_000, 'the controller record');
      equal(record!.liveness, serverHas(server.info.version, 'msgTtl') ? 'markers' : 'timer');

      await guardians.shift()!.stop('upgrade');
      await until(() => units.get('bridge.bridge-1')?.state === 'stopped', 10_000, 'bridge-1 stopped');
      equal(units.get('bridge.bridge-1')!.reason, 'stopped: upgrade');

      // The engine's connection goes away without a last heartbeat: late, then lost.
      await engine.close();
      const lost = await until(
        () => (units.get('engine.engine-1')?.state === 'lost' ? units.get('engine.engine-1') : undefined),
        lostAfter(INTERVAL) + 15_000,
        'engine-1 lost',
      );
      ok(/heartbeat expired \d+ s ago/.test(lost!.reason ?? ''), lost!.reason);

      const timeline = await until(
        async () => {
          const t = await source.timeline('engine', 'engine-1', 50);
          return t[0]?.to === 'lost' ? t : undefined;
        },
        10_000,
        'the timeline ends with lost',
      );
      equal(timeline!.at(-1)!.to, 'alive', 'oldest last');
      ok(
        timeline!.some((e) => e.to === 'late'),
        JSON.stringify(timeline),
      );
      equal(problems.length, 0, String(problems));
    } finally {
      watch.stop();
    }
  });

  test('the log source opens with the last records and counts a burst of 10,000 exactly', { timeout: 120_000 }, async () => {
    const ops = await as('ops');
    const jsm = await jetstreamManager(ops.nc);
    const stored = async () => (await jsm.streams.info(OPS.logs)).state.messages;
    const unit = await as('provision-unit', 'provision-1');
    const log = createLogger(unit, 'provision-1', { bufferSize: 20_000 });
    for (let i = 0; i < 50; i++) log.info(`before ${i}`, { i });
    await unit.flush();
    await until(async () => (await stored()) >= 50, 20_000, 'fifty stored');
    const already = await stored();

    const got: RawLogRecord[] = [];
    let historyDone = false;
    const tail = await within(
      streamLogSource(await as('dashboard')).open(
        {
          record: (r) => got.push(r),
          historyDone: () => (historyDone = true),
          problem: (e) => e && got.push({ subject: 'problem', seq: -1, data: String(e) }),
        },
        { history: 20 },
      ),
      10_000,
      'the tail opens',
    );
    try {
      await until(() => historyDone, 10_000, 'the history');
      equal(got.length, 20, 'twenty of history');
      equal(JSON.parse(got.at(-1)!.data).message, 'before 49');
      for (let i = 0; i < 10_000; i++) log.info(`burst ${i}`, { i });
      await unit.flush();
      await until(() => got.length >= 10_020, 60_000, 'ten thousand more');
      equal(got.length, 10_020, 'exactly');
      ok(
        got.every((r, i) => i === 0 || r.seq === got[i - 1]!.seq + 1),
        'in order, none twice, none missing',
      );
      equal(got.at(-1)!.seq, already + 10_000);
      equal(JSON.parse(got.at(-1)!.data).message, 'burst 9999');
      equal(log.dropped, 0);
    } finally {
      tail.stop();
    }
  });

  test('a user of another account is told it cannot read OPS', { timeout: 30_000 }, async () => {
    const bridge = await as('bridge-unit');
    const units = kvUnitsSource(bridge).watch({ put() {}, remove() {}, controller() {}, initialized() {}, problem() {} });
    const err = await within(
      units.then(
        () => undefined,
        (e: Error) => e,
      ),
      15_000,
      'refused',
    );
    ok(err && /OPS account's dashboard user/.test(err.message), err?.message);
    const logs = streamLogSource(bridge).open({ record() {}, historyDone() {}, problem() {} }, { history: 1 });
    const err2 = await within(
      logs.then(
        () => undefined,
        (e: Error) => e,
      ),
      15_000,
      'refused',
    );
    ok(err2 && /OPS account's dashboard user/.test(err2.message), err2?.message);
  });
});
