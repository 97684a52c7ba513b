/**
 * Units against a real nats-server: Guardians (the library and the nunect-guardian CLI) in three
 * accounts, the Controller in OPS, and what the dashboard user reads (the KV watch, the streams).
 * Alive, late then lost after SIGKILL (with the reason, within the documented bounds), stopped on
 * a clean stop, restarts counted, failing checks with their message, a Controller restarted
 * mid-test loses nothing, `nats micro ls` lists the Guardians, a unit's user cannot speak for
 * another unit, and a burst of 10,000 log records is kept exactly.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { connect, createLogger, userInboxPrefix, type NunectClient } from '../../client/node.js';
import { startGuardian, type Guardian } from '../../client/guardian-node.js';
import { CONTROLLER_KEY, lostAfter, OPS, type ControllerRecord, type UnitRecord } from '../../client/units.js';
import { Controller } from '../../scripts/controller/controller.js';
import { NATSCLI_VERSION, cachedBinary } from '../../scripts/versions.mjs';
import { serverHas } from '../../src/monitor/features.js';
import { equal, ok, until, within } from '../support/assert.js';
import { ROOT, TestNatsServer, type RoleName } from '../support/nats-server.js';

const run = promisify(execFile);
let server: TestNatsServer;
const clients: NunectClient[] = [];
const guardians: Guardian[] = [];
const children: ChildProcess[] = [];
let controller: Controller | undefined;
let dir: string;
const INTERVAL = 500;
/** The engine-1 unit run by the CLI in the first test (the SIGKILL test's victim). */
let engineCli: ChildProcess | undefined;

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

async function startController(): Promise<Controller> {
  controller = await Controller.start({ client: await as('controller', 'nunect-controller'), sweepEvery: 100 });
  return controller;
}

/** The registry as the dashboard user sees it: a KV watch, kept up to date. */
async function watchRegistry(): Promise<{ units: Map<string, UnitRecord>; controller: () => ControllerRecord | undefined; stop: () => void }> {
  const dashboard = await as('dashboard');
  const kv = await new Kvm(dashboard.nc).open(OPS.registry);
  const units = new Map<string, UnitRecord>();
  let record: ControllerRecord | undefined;
  const watch = await kv.watch();
  void (async () => {
    for await (const e of watch) {
      if (e.operation !== 'PUT') continue;
      if (e.key === CONTROLLER_KEY) record = e.json();
      else units.set(e.key, e.json());
    }
  })();
  return { units, controller: () => record, stop: () => watch.stop() };
}

/** nunect-guardian in a child process, running a small Node program. */
function cli(role: RoleName, unitId: string, program: string, extra: string[] = []): ChildProcess {
  const who = server.info.roles[role];
  const script = join(dir, `${unitId}.mjs`);
  writeFileSync(script, program);
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(ROOT, 'scripts/nunect-guardian.ts'),
      '--unit',
      unitId,
      '--kind',
      'engine',
      '--version',
      '2.0.0',
      '--interval',
      `${INTERVAL}ms`,
      '--server',
      server.info.wsUrl,
      '--ca',
      join(dir, 'ca.pem'),
      '--user',
      who.user,
      ...extra,
      '--',
      process.execPath,
      script,
    ],
    { cwd: ROOT, env: { ...process.env, NATS_PASSWORD: who.pass }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  children.push(child);
  return child;
}

describe(`units: Guardians and the Controller (nats-server ${process.env.NATS_SERVER_BIN ?? 'default'})`, () => {
  before(async () => {
    server = await TestNatsServer.start();
    dir = mkdtempSync(join(tmpdir(), 'nunect-units-'));
    writeFileSync(join(dir, 'ca.pem'), server.info.ca);
    await startController();
  });
  after(async () => {
    for (const g of guardians) await g.stop().catch(() => {});
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    await controller?.stop();
    await Promise.all(clients.map((c) => c.close().catch(() => {})));
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test(
    'three units (library and CLI) appear alive in the registry the dashboard watches; the Controller says how it detects loss',
    { timeout: 60_000 },
    async () => {
      const reg = await watchRegistry();
      try {
        const bridge = await as('bridge-unit', 'bridge-1');
        guardians.push(await startGuardian(bridge, { unit: 'bridge-1', kind: 'bridge', version: '1.4.0', interval: INTERVAL, checks: { db: () => {} } }));
        const provision = await as('provision-unit', 'provision-1');
        guardians.push(await startGuardian(provision, { unit: 'provision-1', kind: 'provision', version: '1.0.0', interval: INTERVAL }));
        engineCli = cli('engine-unit', 'engine-1', `setInterval(() => console.log('working'), 200); setTimeout(() => console.error('a warning'), 300);`);
        await until(
          () => ['bridge.bridge-1', 'provision.provision-1', 'engine.engine-1'].every((k) => reg.units.get(k)?.state === 'alive'),
          30_000,
          'three units alive',
        );
        const b = reg.units.get('bridge.bridge-1')!;
        ok(b.kind === 'bridge' && b.version === '1.4.0' && b.host && b.pid, JSON.stringify(b));
        equal(b.checks[0]?.name, 'db');
        const expected = serverHas(server.info.version, 'msgTtl') ? 'markers' : 'timer';
        await until(() => reg.controller(), 10_000, 'the controller record');
        equal(reg.controller()!.liveness, expected, 'server-pushed markers on 2.11+, a timer before');
      } finally {
        reg.stop();
      }
    },
  );

  test('nats micro ls (the nats CLI, an independent oracle) lists the Guardians', { timeout: 60_000 }, async (t) => {
    const nats = cachedBinary('nats', NATSCLI_VERSION);
    if (!existsSync(nats)) {
      t.diagnostic(`the nats CLI ${NATSCLI_VERSION} is not built (scripts/install-test-deps.sh builds it)`);
      ok(false, `nats CLI missing at ${nats}`);
    }
    const { user, pass } = server.info.users.BRIDGE;
    const { stdout } = await run(nats, ['--server', server.info.natsUrl, '--user', user, '--password', pass, 'micro', 'ls', '--json']);
    const listed = JSON.parse(stdout) as Array<{ name: string; metadata?: Record<string, string> }>;
    ok(
      listed.some((s) => s.name === 'nunect-unit' && s.metadata?.unit === 'bridge-1'),
      stdout,
    );
  });

  test(
    'SIGKILL of a unit: late at once (its connection closed), then lost within the documented bound, both in its timeline',
    { timeout: 60_000 },
    async () => {
      const reg = await watchRegistry();
      const events = await as('dashboard');
      const timeline: Array<{ to: string; reason: string }> = [];
      events.subscribe(OPS.eventSubject('engine', 'engine-1'), { onMessage: (m) => timeline.push(m.json()) });
      await events.flush();
      try {
        await until(() => reg.units.get('engine.engine-1')?.state === 'alive', 30_000, 'engine-1 alive');
        engineCli!.kill('SIGKILL');
        await until(() => reg.units.get('engine.engine-1')?.state === 'late', 10_000, 'late');
        const lost = await within(
          until(
            () => (reg.units.get('engine.engine-1')?.state === 'lost' ? reg.units.get('engine.engine-1') : undefined),
            lostAfter(INTERVAL) + 10_000,
            'lost',
          ),
          30_000,
          'lost in time',
        );
        ok(/heartbeat expired \d+ s ago/.test(lost?.reason ?? ''), lost?.reason);
        await until(() => timeline.some((e) => e.to === 'lost'), 5_000, 'lost in the timeline');
        ok(
          timeline.some((e) => e.to === 'late' && /disconnected|heartbeat expired/.test(e.reason)),
          JSON.stringify(timeline),
        );
        ok(reg.units.has('engine.engine-1'), 'a lost unit stays listed');
      } finally {
        reg.stop();
      }
    },
  );

  test('a clean stop is stopped; a restart is alive with restarts + 1; a failing check is failing with its message', { timeout: 60_000 }, async () => {
    const reg = await watchRegistry();
    try {
      // The first run of bridge-1 stops; a second one starts (a restart, as a supervisor would).
      await guardians.shift()!.stop('upgrade');
      await until(() => reg.units.get('bridge.bridge-1')?.state === 'stopped', 10_000, 'the first run stopped');
      const c = await as('bridge-unit', 'bridge-1');
      let healthy = true;
      const g = await startGuardian(c, {
        unit: 'bridge-1',
        kind: 'bridge',
        version: '1.4.0',
        interval: INTERVAL,
        checkTimeout: 200,
        checks: { db: () => (healthy ? undefined : new Promise(() => {})) },
      });
      await until(
        () => reg.units.get('bridge.bridge-1')?.restarts === 1 && reg.units.get('bridge.bridge-1')?.state === 'alive',
        10_000,
        'restarted (a new run of bridge-1)',
      );
      healthy = false;
      await until(() => reg.units.get('bridge.bridge-1')?.status === 'failing', 10_000, 'failing');
      equal(reg.units.get('bridge.bridge-1')!.reason, 'check db failed: timed out after 200 ms');
      healthy = true;
      await until(() => reg.units.get('bridge.bridge-1')?.status === 'ok', 10_000, 'ok again');
      await g.stop('maintenance');
      await until(() => reg.units.get('bridge.bridge-1')?.state === 'stopped', 10_000, 'stopped');
      equal(reg.units.get('bridge.bridge-1')!.reason, 'stopped: maintenance');
    } finally {
      reg.stop();
    }
  });

  test('the Controller restarted mid-test loses nothing', { timeout: 60_000 }, async () => {
    const before = new Map(controller!.units.map((u) => [`${u.account}.${u.unit}`, u]));
    await controller!.stop();
    const next = await startController();
    for (const [key, u] of before) {
      const now = next.units.find((x) => `${x.account}.${x.unit}` === key);
      ok(now, `${key} still known`);
      equal(now.firstSeen, u.firstSeen, `${key}: first seen kept`);
      equal(now.restarts, u.restarts, `${key}: restarts kept`);
    }
    const reg = await watchRegistry();
    try {
      await until(
        () =>
          reg.units.get('provision.provision-1')?.state === 'alive' &&
          (reg.units.get('provision.provision-1')?.seq ?? 0) > (before.get('provision.provision-1')?.seq ?? 0),
        10_000,
        'heartbeats tracked again',
      );
    } finally {
      reg.stop();
    }
  });

  test("a unit's user cannot send another unit's heartbeat or logs", { timeout: 30_000 }, async () => {
    const c = await as('bridge-unit');
    const errors: string[] = [];
    c.on('error', (e) => errors.push(e.code));
    c.publish('ops.health.bridge-2', '{"type":"io.nunect.unit.v1.heartbeat","unit":"bridge-2"}');
    c.publish('ops.log.info.bridge-2', '{}');
    await until(() => errors.length >= 2, 10_000, 'two refusals');
    ok(
      errors.every((e) => e === 'PERMISSION_DENIED'),
      errors.join(),
    );
    ok(!controller!.units.some((u) => u.unit === 'bridge-2'), 'no impostor in the registry');
  });

  test('the CLI run as another unit than its user may be says why its heartbeats are refused', { timeout: 60_000 }, async () => {
    // bridge-unit may publish only bridge-1's subjects: as bridge-9 every heartbeat is refused.
    const child = cli('bridge-unit', 'bridge-9', 'setInterval(() => {}, 1000);');
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += String(d)));
    await until(() => /Permissions Violation/i.test(stderr), 30_000, `the refusal said: ${stderr}`);
    ok(/may user bridge-unit publish ops\.health\.bridge-9/.test(stderr), stderr);
    child.kill('SIGTERM');
  });

  test('a burst of 10,000 log records is kept exactly in OPS_LOGS', { timeout: 120_000 }, async () => {
    const ops = await as('ops');
    const jsm = await jetstreamManager(ops.nc);
    const count = async () =>
      (await jsm.streams.info(OPS.logs, { subjects_filter: 'provision.ops.log.>' })).state.subjects?.['provision.ops.log.info.provision-1'] ?? 0;
    const before = await count();
    const unit = await as('provision-unit');
    const log = createLogger(unit, 'provision-1', { bufferSize: 20_000 });
    for (let i = 0; i < 10_000; i++) log.info(`burst ${i}`, { i });
    await unit.flush();
    await until(async () => (await count()) - before >= 10_000, 60_000, 'ten thousand records');
    equal((await count()) - before, 10_000, 'exactly');
    equal(log.dropped, 0);
  });
});
