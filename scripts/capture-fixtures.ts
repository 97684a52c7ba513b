/**
 * Captures monitoring replies and $SYS events from a real nats-server into test/fixtures/<version>/,
 * for unit tests and Storybook. Refresh with:
 *   node --import tsx scripts/capture-fixtures.ts [--server /path/to/nats-server | --server current]
 * (`npm run fixtures` captures from Debian's 2.9.10 and the current pinned build.)
 * It starts its own server (free ports, temp dirs), makes some traffic, asks every kind of data as
 * the SYS user, records the events, and stops the server by PID.
 * $SYS request bodies use these keys: CONNZ `auth acc state sort limit offset subscriptions
 * subscriptions_detail`; SUBSZ `account test subscriptions limit offset` (not `acc`!); JSZ
 * `account accounts streams consumer config` (`acc` is ignored there too).  ACCSTATZ: `include_unused`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect, type Msg, type NunectClient } from '../client/node.js';
import { fetchMonitor } from '../client/monitor.js';
import { MONITOR_KINDS, type MonitorKind } from '../client/monitor-types.js';
import { ROOT, TestNatsServer, type AccountName } from '../test/support/nats-server.js';
import { currentNatsServer, NATS_SERVER_VERSION } from './versions.mjs';

const argv = process.argv.slice(2);
const named = argv.includes('--server') ? argv[argv.indexOf('--server') + 1] : undefined;
const bin =
  named === 'current'
    ? (currentNatsServer() ?? fail(`the current nats-server ${NATS_SERVER_VERSION} is not built: run bash scripts/install-test-deps.sh`))
    : named;

function fail(message: string): never {
  console.error(`capture-fixtures: ${message}`);
  process.exit(1);
}

const server = await TestNatsServer.start({ bin, name: 'nunect-fixture' });
const { info } = server;
const clients: NunectClient[] = [];
const as = async (account: AccountName, name: string, pass?: string) => {
  const c = await connect({ servers: info.wsUrl, ca: info.ca, user: info.users[account].user, pass: pass ?? info.users[account].pass, name, timeout: 5_000 });
  clients.push(c);
  return c;
};

try {
  const sys = await as('SYS', 'nunect-fixture-monitor');
  const events: Array<{ subject: string; data: unknown }> = [];
  for (const subject of ['$SYS.ACCOUNT.*.CONNECT', '$SYS.ACCOUNT.*.DISCONNECT', '$SYS.SERVER.*.CLIENT.AUTH.ERR', '$SYS.ACCOUNT.*.SERVER.CONNS']) {
    sys.subscribe(subject, { onMessage: (m: Msg) => events.push({ subject: m.subject, data: m.json() }) });
  }
  await sys.flush();

  // Traffic: service clients in each account, one with a hostile name, subscriptions, messages.
  const bridge = await as('BRIDGE', 'bridge-gateway');
  const engine = await as('ENGINE', 'engine-worker-1');
  const hostile = await as('ENGINE', '<img src=x onerror=alert(1)>');
  await as('PROVISION', 'provisioner');
  bridge.subscribe('bridge.in.>', { onMessage: () => {} });
  bridge.subscribe('ops.log.>', { onMessage: () => {} });
  engine.subscribe('engine.jobs.*', { queue: 'workers', onMessage: (m) => m.respond('ok') });
  hostile.subscribe('engine.jobs.*', { queue: 'workers', onMessage: (m) => m.respond('ok') });
  for (let i = 0; i < 500; i++) bridge.publish('bridge.in.sensor', JSON.stringify({ i }));
  for (let i = 0; i < 20; i++) await bridge.request('bridge.in.sensor', 'x').catch(() => {});
  for (let i = 0; i < 50; i++) await engine.request('engine.jobs.build', String(i));
  // JetStream: a stream and a consumer in BRIDGE, through the JS API subjects.
  await bridge.request('$JS.API.STREAM.CREATE.EVENTS', JSON.stringify({ name: 'EVENTS', subjects: ['events.>'], storage: 'file' }));
  for (let i = 0; i < 100; i++) bridge.publish('events.sensor', `reading ${i}`);
  await bridge.flush();
  await bridge.request(
    '$JS.API.CONSUMER.CREATE.EVENTS.reader',
    JSON.stringify({ stream_name: 'EVENTS', config: { durable_name: 'reader', ack_policy: 'explicit' } }),
  );
  // A connection that comes and goes, and a failed login.
  const shortLived = await as('PROVISION', 'short-lived');
  shortLived.publish('provision.hello', 'hi');
  await shortLived.close();
  await as('BRIDGE', 'bad-password', 'wrong').catch(() => {});
  await new Promise((r) => setTimeout(r, 500));

  const params: Partial<Record<MonitorKind, Record<string, unknown>>> = {
    CONNZ: { auth: true, subscriptions: true, limit: 1024 },
    SUBSZ: { subscriptions: true, limit: 1024 },
    JSZ: { accounts: true, streams: true, consumer: true, config: true },
    ACCOUNTZ: {},
    ACCSTATZ: { include_unused: true },
  };
  const dir = join(ROOT, 'test/fixtures', info.version);
  mkdirSync(dir, { recursive: true });
  for (const kind of MONITOR_KINDS) {
    const replies = await fetchMonitor(sys, kind, params[kind] as never);
    writeFileSync(join(dir, `${kind.toLowerCase()}.json`), `${JSON.stringify(replies, null, 2)}\n`);
  }
  const closed = await fetchMonitor(sys, 'CONNZ', { auth: true, state: 1 } as never);
  writeFileSync(join(dir, 'connz-closed.json'), `${JSON.stringify(closed, null, 2)}\n`);
  writeFileSync(join(dir, 'events.json'), `${JSON.stringify(events, null, 2)}\n`);
  console.log(`captured ${MONITOR_KINDS.length + 2} files from nats-server ${info.version} into ${dir} (${events.length} events)`);
} finally {
  await Promise.all(clients.map((c) => c.close().catch(() => {})));
  await server.stop();
}
