/**
 * The real source of <nunect-services> (components/services/services-source.ts) and its model
 * against a real nats-server, read as BRIDGE's read-only `bridge-viewer` (it may ask `$SRV.>`):
 * two instances of one service in two versions (started with @nats-io/services) appear grouped,
 * with their endpoints; after requests, some failing, requests, errors, the last error and the
 * average time are what the services themselves count, and the error rate comes from the deltas
 * of two polls; a stopped instance is kept as missing; a Guardian (client/guardian.ts) is listed;
 * a user who may not publish to $SRV.INFO is told "INFO not allowed", an account without services
 * gets the empty list at once.
 */
import { after, before, describe, test } from 'node:test';
import { Svcm, type Service } from '@nats-io/services';
import { connect, userInboxPrefix, type NunectClient } from '../../client/node.js';
import { startGuardian } from '../../client/guardian-node.js';
import { UNIT_SERVICE, unitEndpoint } from '../../client/guardian.js';
import { ServicesModel } from '../../components/services/services-model.js';
import { natsServicesSource, type ServicesPoll, type ServicesSource } from '../../components/services/services-source.js';
import { deepEqual, equal, ok, rejects, until, within } from '../support/assert.js';
import { TestNatsServer, type RoleName } from '../support/nats-server.js';

let server: TestNatsServer;
const clients: NunectClient[] = [];
const services: Service[] = [];
const T0 = Date.parse('2026-11-29T15:05:30Z');

async function as(who: RoleName | 'BRIDGE' | 'ENGINE', name?: string): Promise<NunectClient> {
  const u = who === 'BRIDGE' || who === 'ENGINE' ? server.info.users[who] : server.info.roles[who];
  const c = await connect({
    servers: server.info.wsUrl,
    ca: server.info.ca,
    user: u.user,
    pass: u.pass,
    inboxPrefix: userInboxPrefix(u.user),
    name,
    timeout: 10_000,
  });
  clients.push(c);
  return c;
}

/** Deterministic work (no clock): the handler takes a little time to count. */
function work(): number {
  let x = 0;
  for (let i = 0; i < 200_000; i++) x = (x * 31 + i) % 1_000_003;
  return x;
}

/** A `calc` service: `add` answers, `divide` fails on "0" (the library counts the error). */
async function startCalc(version: string, region: string): Promise<Service> {
  const c = await as('BRIDGE', `calc-${version}`);
  const svc = await new Svcm(c.nc as never).add({ name: 'calc', version, description: 'Adds and divides', metadata: { region } });
  svc.addEndpoint('add', { subject: 'bridge.calc.add', handler: (_err, msg) => msg.respond(String(work())) });
  svc.addEndpoint('divide', {
    subject: 'bridge.calc.divide',
    metadata: { unit: 'ratio' },
    handler: (_err, msg) => {
      work();
      if (msg.string() === '0') throw new Error('division by zero');
      msg.respond('1');
    },
  });
  services.push(svc);
  return svc;
}

/** Polls until `check` holds for a poll; returns that poll. */
async function pollUntil(source: ServicesSource, check: (p: ServicesPoll) => boolean, what: string): Promise<ServicesPoll> {
  const poll = await until(
    async () => {
      const p = await source.poll();
      return check(p) ? p : undefined;
    },
    15_000,
    what,
  );
  return poll!;
}

describe(`services source against nats-server ${process.env.NATS_SERVER_BIN ?? 'default'}`, () => {
  let viewer: NunectClient;
  let source: ServicesSource;
  let a: Service;
  let b: Service;
  const model = new ServicesModel();

  before(async () => {
    server = await TestNatsServer.start();
    viewer = await as('bridge-viewer', 'services-reader');
    source = natsServicesSource(viewer);
    a = await startCalc('1.0.0', 'eu-west');
    b = await startCalc('1.1.0', 'us-east');
  });
  after(async () => {
    for (const s of services) await s.stop().catch(() => {});
    await Promise.all(clients.map((c) => c.close().catch(() => {})));
    await server?.stop();
  });

  test('two instances of a service in two versions appear grouped, with their endpoints', { timeout: 30_000 }, async () => {
    const poll = await pollUntil(source, (p) => p.instances.filter((i) => i.name === 'calc').length === 2, 'both calc instances');
    deepEqual(poll.denied, {});
    equal(poll.malformed, 0);
    model.apply(poll, T0);
    const calc = model.groups().find((g) => g.name === 'calc');
    ok(calc, 'a calc group');
    deepEqual(
      calc.versions.map((v) => [v.version, v.instances.map((i) => i.id)]),
      [
        ['1.0.0', [a.info().id]],
        ['1.1.0', [b.info().id]],
      ],
    );
    ok(calc.skew, 'two versions running is skew');
    deepEqual(calc.answeringVersions, ['1.0.0', '1.1.0']);
    equal(calc.description, 'Adds and divides');
    const ia = calc.versions[0]!.instances[0]!;
    deepEqual(ia.metadata, { region: 'eu-west' });
    equal(ia.started, (await a.stats()).started);
    ok(typeof ia.rtt === 'number' && ia.rtt >= 0, `a PING round trip (${ia.rtt})`);
    deepEqual(
      ia.endpoints.map((e) => [e.name, e.subject, e.queueGroup, e.metadata]),
      [
        ['add', 'bridge.calc.add', 'q', undefined],
        ['divide', 'bridge.calc.divide', 'q', { unit: 'ratio' }],
      ],
    );
    deepEqual(
      ia.endpoints.map((e) => [e.stats?.requests, e.stats?.errors]),
      [
        [0, 0],
        [0, 0],
      ],
    );
  });

  test('after requests (some failing) the stats are what was sent, and the error rate comes from two polls', { timeout: 30_000 }, async () => {
    const sender = await as('BRIDGE', 'calc-client');
    // 12 adds, 10 divides of which 4 fail; the queue group spreads them over both instances.
    for (let i = 0; i < 12; i++) await within(sender.request('bridge.calc.add', String(i)), 5_000, 'an add');
    const replies = [];
    for (let i = 0; i < 10; i++) replies.push(await within(sender.request('bridge.calc.divide', i % 5 < 2 ? '0' : '1'), 5_000, 'a divide'));
    equal(replies.filter((m) => m.headers?.get('Nats-Service-Error')).length, 4, 'four replies carry the service error');

    const sum = (p: ServicesPoll, ep: string, f: 'requests' | 'errors') =>
      p.instances.filter((i) => i.name === 'calc').reduce((n, i) => n + (i.stats?.endpoints.find((e) => e.name === ep)?.[f] ?? 0), 0);
    const poll = await pollUntil(source, (p) => sum(p, 'add', 'requests') === 12 && sum(p, 'divide', 'requests') === 10, 'the counts of what was sent');
    equal(sum(poll, 'divide', 'errors'), 4, 'divide errors');
    equal(sum(poll, 'add', 'errors'), 0, 'add errors');
    // Each instance's figures are exactly what the service counts itself.
    for (const svc of [a, b]) {
      const own = await svc.stats();
      const seen = poll.instances.find((i) => i.id === own.id)!;
      for (const e of own.endpoints ?? []) {
        const s = seen.stats!.endpoints.find((x) => x.name === e.name)!;
        deepEqual(
          [s.requests, s.errors, s.averageProcessingTime, s.processingTime, s.lastError],
          [e.num_requests, e.num_errors, e.average_processing_time, e.processing_time, e.last_error || undefined],
          `${own.version} ${e.name}`,
        );
        if (e.num_requests) equal(s.averageProcessingTime, Math.round(s.processingTime / s.requests), 'average = total / requests');
        if (e.num_errors) equal(s.lastError, 'division by zero');
      }
    }

    // Rates: the model's clock is ours; 10 s between this poll and the next, 5 more failing divides.
    model.apply(poll, T0 + 10_000);
    for (let i = 0; i < 5; i++) await within(sender.request('bridge.calc.divide', '0'), 5_000, 'a failing divide');
    const next = await pollUntil(source, (p) => sum(p, 'divide', 'errors') === 9, 'the new errors');
    model.apply(next, T0 + 20_000);
    const divides = model.instances.filter((i) => i.name === 'calc').map((i) => i.endpoints.find((e) => e.name === 'divide')!);
    const errorRate = divides.reduce((n, e) => n + (e.errorRate ?? 0), 0);
    const requestRate = divides.reduce((n, e) => n + (e.requestRate ?? 0), 0);
    equal(errorRate, 0.5, 'errors per second: 5 in 10 s');
    equal(requestRate, 0.5, 'requests per second: 5 in 10 s');
    for (const e of divides) if (e.requestRate) equal(e.errorShare, 100, 'every new divide failed');
  });

  test('a stopped instance shows as missing; the skew is gone', { timeout: 30_000 }, async () => {
    const id = b.info().id;
    await b.stop();
    const poll = await pollUntil(source, (p) => !p.instances.some((i) => i.id === id), 'the stopped instance gone');
    model.apply(poll, T0 + 30_000);
    const gone = model.instances.find((i) => i.id === id)!;
    ok(gone, 'still listed');
    equal(gone.answering, false);
    equal(gone.missedPolls, 1);
    equal(gone.lastSeen, T0 + 20_000);
    equal(gone.since, T0 + 30_000);
    const calc = model.groups().find((g) => g.name === 'calc')!;
    equal(calc.skew, false);
    deepEqual(calc.answeringVersions, ['1.0.0']);
    equal(calc.versions.length, 2, 'the missing version is still shown');
  });

  test("a unit's Guardian is a service too", { timeout: 30_000 }, async () => {
    const unit = await as('bridge-unit', 'bridge-1');
    const g = await startGuardian(unit, { unit: 'bridge-1', kind: 'bridge', version: '1.4.0', interval: 60_000 });
    try {
      const poll = await pollUntil(source, (p) => p.instances.some((i) => i.name === UNIT_SERVICE), 'the Guardian');
      const gi = poll.instances.find((i) => i.name === UNIT_SERVICE)!;
      equal(gi.version, '1.4.0');
      equal(gi.metadata?.unit, 'bridge-1');
      equal(gi.metadata?.kind, 'bridge');
      deepEqual(
        gi.endpoints?.map((e) => [e.name, e.subject]),
        [['health', unitEndpoint('bridge-1', 'health')]],
      );
      ok(gi.stats?.started, 'STATS answered');
      ok(typeof gi.rtt === 'number', 'PING answered');
    } finally {
      await g.stop();
    }
  });

  test('a user who may not publish to $SRV.INFO is told so; no services is an empty list', { timeout: 30_000 }, async () => {
    // bridge-service may read its inbox but not publish to $SRV.>: the server's refusal comes asynchronously.
    const service = natsServicesSource(await as('bridge-service', 'no-srv'));
    // A long collection: only the server's refusal (or nothing at all) can end it early.
    const patient = { maxWait: 8_000 };
    const e1 = await within(
      rejects(() => service.poll(patient), 'PERMISSION_DENIED', /^INFO not allowed: .*\$SRV\.INFO.*Permissions Violation for Publish/),
      5_000,
      'the refusal is told without waiting for replies',
    );
    ok(!/no services/i.test(e1.message), e1.message);
    // logger may publish only ops.log.*.<unit> and subscribe to nothing (not even its inbox).
    const logger = natsServicesSource(await as('logger', 'logger'));
    await within(
      rejects(() => logger.poll(patient), 'PERMISSION_DENIED', /^INFO not allowed/),
      5_000,
      'the logger is told',
    );
    // ENGINE runs no services: nobody listens, the list is empty at once (no responders).
    const engine = natsServicesSource(await as('ENGINE', 'engine-reader'));
    const empty = await within(engine.poll(patient), 5_000, 'an empty poll, without waiting');
    deepEqual(empty.instances, []);
    deepEqual(empty.denied, {});
  });
});
