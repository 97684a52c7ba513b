/**
 * The dev cluster — 3 nodes and a leaf node server, started by the project's own scripts
 * (nats-server.sh with NATS_CLUSTER_SIZE=3, NATS_LEAF=1) on free ports — seen through the shared
 * poller: surveys that count every server, a missing server named (and the others never dropped),
 * a clean stop shown at once, a returning server back at the next poll; and acting on it (kick,
 * lame duck, reload) on servers 2.10+, refused to monitor and explained on 2.9.
 */
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { connect, kickClient, moveClient, reloadServer, userInboxPrefix, userRights, type Msg, type NunectClient } from '../../client/node.js';
import { ConnectionHub } from '../../src/connection/hub.js';
import { serverHas } from '../../src/monitor/features.js';
import type { PollSnapshot } from '../../src/monitor/poller.js';
import { deepEqual, equal, ok, until, within } from '../support/assert.js';
import { cleanup, loadGenerated, script, serverPid, stackEnv, type Stack } from '../support/stack.js';

let stack: Stack;
const clients: NunectClient[] = [];

/** A client of `user` on node `server` (its index), or on every node (-1: it may fail over). */
async function as(user: 'sys' | 'monitor' | 'admin' | 'bridge', server = 0, name?: string): Promise<NunectClient> {
  const key = { sys: 'SYS', monitor: 'MONITOR', admin: 'ADMIN', bridge: 'BRIDGE' }[user];
  const c = await connect({
    servers: server < 0 ? stack.servers.filter((s) => s.wsUrl).map((s) => s.wsUrl!) : stack.servers[server]!.wsUrl!,
    ca: stack.ca,
    user: stack.settings[`NATS_${key}_USER`]!,
    pass: stack.settings[`NATS_${key}_PASSWORD`]!,
    inboxPrefix: userInboxPrefix(stack.settings[`NATS_${key}_USER`]!),
    name,
    timeout: 10_000,
    reconnectDelay: { initial: 100, max: 500 },
  });
  clients.push(c);
  return c;
}

/** A hub on a monitor connection, and every VARZ snapshot it delivers. */
async function watchVarz(interval: number): Promise<{ hub: ConnectionHub; snapshots: PollSnapshot[]; last: () => PollSnapshot; stop: () => void }> {
  const hub = new ConnectionHub();
  hub.useClient(await as('monitor'));
  const snapshots: PollSnapshot[] = [];
  const stop = hub.monitor.watch({ kind: 'VARZ', interval }, (s) => {
    if (s.replies && !s.loading) snapshots.push(s);
  });
  return { hub, snapshots, last: () => snapshots.at(-1) ?? { loading: true }, stop };
}

const names = (s: PollSnapshot | undefined) => (s?.replies ?? []).map((r) => r.server.name).sort();
const ALL = ['nunect-e2e-1', 'nunect-e2e-2', 'nunect-e2e-3', 'nunect-e2e-edge'];

describe(`dev cluster of 3 nodes and a leaf (nats-server ${process.env.NATS_SERVER_BIN ?? 'default'})`, () => {
  before(async () => {
    stack = await stackEnv({ cluster: 3, leaf: true });
    script(stack, 'nats-server.sh', 'start');
    loadGenerated(stack);
  });
  after(async () => {
    await Promise.all(clients.map((c) => c.close().catch(() => {})));
    try {
      script(stack, 'nats-server.sh', 'stop');
    } finally {
      cleanup(stack);
    }
  });

  test('nats:status lists every node and the leaf; every server answers the surveys, as raw $SYS counts say', { timeout: 60_000 }, async () => {
    const status = script(stack, 'nats-server.sh', 'status');
    for (const n of ALL) ok(status.includes(`nats-server ${n} `), `${n} in the status:\n${status}`);
    const sys = await as('sys');
    const raw = await sys.requestMany('$SYS.REQ.SERVER.PING', '', { quiet: 1_000, maxWait: 10_000 });
    deepEqual(raw.map((m) => (m.json() as { server: { name: string } }).server.name).sort(), ALL, 'independent count (raw PING)');
    const active = (raw[0]!.json() as { statsz: { active_servers: number } }).statsz.active_servers;
    equal(active, 4, 'statsz.active_servers');
    const w = await watchVarz(500);
    try {
      await until(() => names(w.last()).length === 4, 20_000, 'four servers in a VARZ survey');
      deepEqual(names(w.last()), ALL);
      deepEqual(w.last().absent, []);
      equal(w.hub.monitor.roster.expected(), 4, 'the roster expects all four');
    } finally {
      w.stop();
    }
  });

  test('kill -9 of a node: named as missing, the others never drop out, back by the next poll after it returns', { timeout: 120_000 }, async () => {
    const w = await watchVarz(500);
    try {
      await until(() => names(w.last()).length === 4, 20_000, 'four servers');
      const node3 = stack.servers[2]!;
      const from = w.snapshots.length;
      process.kill(serverPid(node3)!, 'SIGKILL');
      await until(
        () => w.last().absent?.some((a) => a.name === node3.name && a.presence === 'missing' && a.missedSurveys >= 2),
        30_000,
        'node 3 named as missing for two surveys',
      );
      const missing = w.last().absent!.find((a) => a.name === node3.name)!;
      ok(missing.lastSeen > 0, 'when it was last heard from');
      // Every snapshot since the kill has the other nodes (no "first N" subset), and names every
      // server it lacks: the leaf may really be away for a moment if its link was on node 3.
      for (const s of w.snapshots.slice(from)) {
        for (const n of ['nunect-e2e-1', 'nunect-e2e-2']) ok(names(s).includes(n), `${n} in every snapshot: ${names(s).join(', ')}`);
        const told = [...names(s), ...(s.absent ?? []).map((a) => a.name)].sort();
        deepEqual(told, ALL, 'every server either answered or is named as absent');
      }
      script(stack, 'nats-server.sh', 'start', ...node3.option);
      const back = w.snapshots.length;
      await until(() => names(w.last()).length === 4 && !w.last().absent?.length, 30_000, 'node 3 back');
      // Back within a couple of polls of its start (the next survey, or a late reply merged in).
      ok(w.snapshots.length - back <= 3, `back after ${w.snapshots.length - back} snapshots`);
    } finally {
      w.stop();
    }
  });

  test('a clean stop is shown as such (the SHUTDOWN event), not as a missing server', { timeout: 120_000 }, async () => {
    const w = await watchVarz(500);
    try {
      await until(() => names(w.last()).length === 4, 20_000, 'four servers');
      const node2 = stack.servers[1]!;
      script(stack, 'nats-server.sh', 'stop', ...node2.option);
      await until(() => w.last().absent?.some((a) => a.name === node2.name && a.presence === 'shutdown'), 20_000, 'node 2 shown as stopped');
      // (A STATSZ sent just before the stop may still count it; the next ones do not.)
      await until(() => w.hub.monitor.roster.expected() === 3, 30_000, 'a stopped server no longer waited for');
      script(stack, 'nats-server.sh', 'start', ...node2.option);
      await until(() => names(w.last()).length === 4 && !w.last().absent?.length, 30_000, 'node 2 back');
    } finally {
      w.stop();
    }
  });

  test('kick, lame duck and reload: done by admin on 2.10+, explained on 2.9, refused to monitor', { timeout: 120_000 }, async () => {
    const sys = await as('sys');
    const [varz] = await sys.requestMany('$SYS.REQ.SERVER.PING.VARZ', '', { quiet: 1_000 });
    const version = (varz!.json() as { server: { ver: string } }).server.ver;
    const ids = new Map<string, string>();
    for (const m of await sys.requestMany('$SYS.REQ.SERVER.PING', '', { quiet: 1_000 })) {
      const { server } = m.json() as { server: { name: string; id: string } };
      ids.set(server.name, server.id);
    }
    const victim = await as('bridge', 1, 'kick-me');
    const events: Msg[] = [];
    sys.subscribe('$SYS.ACCOUNT.*.DISCONNECT', { onMessage: (m) => events.push(m) });
    await sys.flush();
    const cidOf = async (name: string) => {
      const replies = await sys.requestMany('$SYS.REQ.SERVER.PING.CONNZ', JSON.stringify({ auth: true, limit: 1024 }), { quiet: 1_000 });
      for (const r of replies) {
        const { server, data } = r.json() as { server: { id: string }; data: { connections: Array<{ cid: number; name?: string }> } };
        const c = data.connections.find((x) => x.name === name);
        if (c) return { serverId: server.id, cid: c.cid };
      }
      return undefined;
    };
    const target = (await until(() => cidOf('kick-me'), 10_000, 'the client in connz'))!;
    const admin = await as('admin');
    const monitor = await as('monitor');
    const [adminRights, monitorRights] = [await userRights(admin), await userRights(monitor)];
    const kick = `$SYS.REQ.SERVER.${target.serverId}.KICK`;
    if (!serverHas(version, 'kick')) {
      equal(adminRights.known, false, 'a 2.9 server cannot tell rights');
      ok(/2\.10/.test(adminRights.reason ?? ''), adminRights.reason);
      const r = await kickClient(admin, target.serverId, target.cid);
      equal(r.outcome, 'unsupported', r.message);
      ok(/2\.10/.test(r.message ?? ''), r.message);
      equal((await reloadServer(admin, target.serverId)).outcome, 'unsupported');
      return;
    }
    equal(adminRights.known && adminRights.mayPublish(kick), true, 'admin may kick (USER.INFO)');
    equal(
      monitorRights.known && !monitorRights.mayPublish(kick) && monitorRights.mayPublish('$SYS.REQ.SERVER.PING.VARZ'),
      true,
      'monitor may monitor, not kick',
    );
    for (const action of [
      () => kickClient(monitor, target.serverId, target.cid),
      () => moveClient(monitor, target.serverId, target.cid),
      () => reloadServer(monitor, target.serverId),
    ]) {
      equal((await action()).outcome, 'refused', 'monitor may not act');
    }
    const kicked = await kickClient(admin, target.serverId, target.cid);
    equal(kicked.outcome, 'ok', kicked.message);
    await until(
      () =>
        events.some(
          (e) =>
            (e.json() as { client?: { name?: string }; reason?: string }).client?.name === 'kick-me' &&
            /kick/i.test((e.json() as { reason?: string }).reason ?? ''),
        ),
      10_000,
      'a DISCONNECT event with reason Kicked',
    );
    await until(() => victim.status.state === 'connected' && victim.status.reconnects >= 1, 20_000, 'the kicked client reconnected by itself');
    equal((await kickClient(admin, target.serverId, 999_999)).outcome, 'no-such-client');
    // Lame duck for one client: it moves to another node (it knows them all, as the page does).
    const mover = await as('bridge', -1, 'move-me');
    const before = mover.info?.server_name;
    const where = (await until(() => cidOf('move-me'), 10_000, 'move-me in connz'))!;
    const moved = await moveClient(admin, where.serverId, where.cid);
    equal(moved.outcome, 'ok', moved.message);
    await within(
      until(() => mover.status.reconnects >= 1 && mover.status.state === 'connected' && mover.info?.server_name !== before, 30_000, 'moved to another node'),
      40_000,
      'the move',
    );
    // Reload: a broken config is reported with its line number, and the server keeps running.
    const conf = join(stack.env.NATS_RUN_DIR!, 'topology.conf');
    const good = readFileSync(conf, 'utf8');
    appendFileSync(conf, '\nthis is { not a config\n');
    try {
      const broken = await reloadServer(admin, ids.get('nunect-e2e-1')!);
      equal(broken.outcome, 'failed');
      ok(/line/i.test(broken.message ?? ''), `the error names the line: ${broken.message}`);
    } finally {
      writeFileSync(conf, good);
    }
    const fine = await reloadServer(admin, ids.get('nunect-e2e-1')!);
    equal(fine.outcome, 'ok', fine.message);
  });
});
