/**
 * Captures monitoring replies from a real dev cluster — 3 nodes and a leaf node server, started by
 * the project's own scripts on free ports (test/support/stack.ts) — into
 * test/fixtures/cluster-<version>/, for the widgets' cluster tests and stories:
 *   <kind>.json          every kind, every server's reply (clients spread unevenly: 7, 3, 2)
 *   stream-info.json     $JS.API.STREAM.INFO of the R3 stream ORDERS (leader, replicas)
 *   down-<kind>.json     VARZ, JSZ and STATSZ after `kill -9` of node 3 (replicas offline)
 *   down-stream-info.json, events.json (STATSZ, SHUTDOWN of a clean stop of node 2)
 * Refresh with: node --import tsx scripts/capture-cluster-fixtures.ts [--server <nats-server>|current]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect, fetchMonitor, type Msg, type NunectClient } from '../client/node.js';
import { MONITOR_KINDS, type MonitorKind } from '../client/monitor-types.js';
import { ROOT } from '../test/support/nats-server.js';
import { cleanup, loadGenerated, script, serverPid, stackEnv } from '../test/support/stack.js';
import { currentNatsServer, NATS_SERVER_VERSION } from './versions.mjs';

const argv = process.argv.slice(2);
const named = argv.includes('--server') ? argv[argv.indexOf('--server') + 1] : undefined;
if (named) process.env.NATS_SERVER_BIN = named === 'current' ? (currentNatsServer() ?? fail(`nats-server ${NATS_SERVER_VERSION} is not built`)) : named;

function fail(message: string): never {
  console.error(`capture-cluster-fixtures: ${message}`);
  process.exit(1);
}

const stack = await stackEnv({ cluster: 3, leaf: true });
const clients: NunectClient[] = [];
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
try {
  script(stack, 'nats-server.sh', 'start');
  loadGenerated(stack);
  const as = async (key: string, node: number, name: string) => {
    const c = await connect({
      servers: stack.servers[node]!.wsUrl!,
      ca: stack.ca,
      user: stack.settings[`NATS_${key}_USER`]!,
      pass: stack.settings[`NATS_${key}_PASSWORD`]!,
      name,
      timeout: 10_000,
    });
    clients.push(c);
    return c;
  };
  const sys = await as('SYS', 0, 'fixture-monitor');
  const events: Array<{ subject: string; data: unknown }> = [];
  for (const subject of ['$SYS.SERVER.*.STATSZ', '$SYS.SERVER.*.SHUTDOWN', '$SYS.SERVER.*.LAMEDUCK']) {
    sys.subscribe(subject, { onMessage: (m: Msg) => events.push({ subject: m.subject, data: m.json() }) });
  }
  // Clients spread unevenly over the nodes: 7 on node 1, 3 on node 2, 2 on node 3.
  for (const [node, n] of [
    [0, 7],
    [1, 3],
    [2, 2],
  ] as const) {
    for (let i = 0; i < n; i++) {
      const c = await as(i % 2 ? 'ENGINE' : 'BRIDGE', node, `client-${node + 1}-${i}`);
      c.subscribe(i % 2 ? 'engine.>' : 'bridge.>', { onMessage: () => {} });
      for (let k = 0; k < 10 * (i + 1); k++) c.publish(i % 2 ? 'engine.work' : 'bridge.in', `m${k}`);
    }
  }
  const bridge = await as('BRIDGE', 1, 'orders-writer');
  await bridge.request('$JS.API.STREAM.CREATE.ORDERS', JSON.stringify({ name: 'ORDERS', subjects: ['bridge.orders.>'], storage: 'file', num_replicas: 3 }), {
    timeout: 10_000,
  });
  for (let i = 0; i < 200; i++) await bridge.request('bridge.orders.new', `order ${i}`, { timeout: 5_000 });
  await bridge.request(
    '$JS.API.CONSUMER.CREATE.ORDERS.shipper',
    JSON.stringify({ stream_name: 'ORDERS', config: { durable_name: 'shipper', ack_policy: 'explicit', num_replicas: 3 } }),
    { timeout: 10_000 },
  );
  await wait(1_500);

  const params: Partial<Record<MonitorKind, Record<string, unknown>>> = {
    CONNZ: { auth: true, limit: 1024 },
    SUBSZ: { limit: 100 },
    JSZ: { accounts: true, streams: true, consumer: true, config: true },
    ACCSTATZ: { include_unused: true },
  };
  const version = (await fetchMonitor<{ version: string }>(sys, 'VARZ', undefined, { quiet: 1_000 }))[0]!.data!.version;
  const dir = join(ROOT, 'test/fixtures', `cluster-${version}`);
  mkdirSync(dir, { recursive: true });
  const save = (file: string, value: unknown) => writeFileSync(join(dir, file), `${JSON.stringify(value, null, 2)}\n`);
  const capture = async (prefix: string, kinds: readonly MonitorKind[]) => {
    for (const kind of kinds)
      save(`${prefix}${kind.toLowerCase()}.json`, await fetchMonitor(sys, kind, params[kind] as never, { quiet: 1_000, maxWait: 10_000 }));
  };
  await capture('', MONITOR_KINDS);
  save('stream-info.json', (await bridge.request('$JS.API.STREAM.INFO.ORDERS', '', { timeout: 5_000 })).json());

  // Node 3 killed: its replicas go offline, the others report it behind.
  process.kill(serverPid(stack.servers[2]!)!, 'SIGKILL');
  await wait(3_000);
  await capture('down-', ['VARZ', 'JSZ', 'STATSZ']);
  save('down-stream-info.json', (await bridge.request('$JS.API.STREAM.INFO.ORDERS', '', { timeout: 5_000 })).json());
  // A clean stop of node 2 (SHUTDOWN event), then both back.
  script(stack, 'nats-server.sh', 'stop', '--node', '2');
  await wait(1_000);
  save('events.json', events);
  console.log(`captured into ${dir} (${events.length} events)`);
} finally {
  await Promise.all(clients.map((c) => c.close().catch(() => {})));
  try {
    script(stack, 'nats-server.sh', 'stop');
  } finally {
    cleanup(stack);
  }
}
