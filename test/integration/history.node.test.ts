/**
 * Server statistics history against a real nats-server, in both authentication modes: the real
 * servers' `$SYS.SERVER.<id>.STATSZ` samples (asked for with a STATSZ request without a reply
 * subject, which makes the server broadcast one) go through SYS's export into OPS_STATSZ and the
 * Controller's live subscription; the monitor and admin users (SYS) ask `ops.history.statsz`
 * across accounts (OPS exports it, SYS imports it: config/links.conf); bad requests get a clear
 * error; a restarted Controller answers the same from the stream; users of other accounts cannot.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { connect, userInboxPrefix, type ConnectOptions, type NunectClient } from '../../client/node.js';
import { STATSZ_HISTORY_SUBJECT, type StatszHistoryReply } from '../../client/history.js';
import { Controller } from '../../scripts/controller/controller.js';
import { generate, type GenerateResult } from '../../scripts/operator.js';
import { equal, ok, rejects, until } from '../support/assert.js';
import { TestNatsServer, userSettings } from '../support/nats-server.js';

interface Mode {
  name: 'password' | 'operator';
  server: () => TestNatsServer;
  auth: (user: string) => Partial<ConnectOptions>;
}

function historySuite(mode: Mode): void {
  const clients: NunectClient[] = [];
  let controller: Controller | undefined;
  const as = async (user: string): Promise<NunectClient> => {
    const { info } = mode.server();
    const c = await connect({
      servers: info.wsUrl,
      ca: info.ca,
      timeout: 10_000,
      name: `history-${user}`,
      inboxPrefix: userInboxPrefix(user),
      ...mode.auth(user),
    });
    clients.push(c);
    return c;
  };
  const startController = async () => (controller = await Controller.start({ client: await as('controller'), sweepEvery: 100 }));
  const ask = async (client: NunectClient, body: unknown) =>
    (await client.request(STATSZ_HISTORY_SUBJECT, JSON.stringify(body), { timeout: 5_000 })).json<StatszHistoryReply & { error?: string }>();

  after(async () => {
    await controller?.stop();
    await Promise.all(clients.map((c) => c.close().catch(() => {})));
  });

  test(`${mode.name}: with no Controller, the monitor user's request finds nobody`, { timeout: 30_000 }, async () => {
    const monitor = await as('monitor');
    // 2.15 says "no responders" through the import; 2.9 lets the request time out.
    const err = await rejects(
      () => monitor.request(STATSZ_HISTORY_SUBJECT, '{"range":"1h"}', { timeout: 1_500 }),
      mode.server().info.version.startsWith('2.9.') ? 'TIMEOUT' : 'NO_RESPONDERS',
    );
    ok(err);
  });

  test(`${mode.name}: STATSZ through the real stack; monitor and admin (SYS) read per-second rates of every server from OPS`, { timeout: 60_000 }, async () => {
    await startController();
    const monitor = await as('monitor');
    const admin = await as('admin');
    const bridge = await as('bridge');
    const serverId = monitor.info!.server_id;
    let reply: StatszHistoryReply | undefined;
    await until(
      async () => {
        for (let i = 0; i < 50; i++) bridge.publish('bridge.history.test', 'x'.repeat(100));
        await bridge.flush();
        // No reply subject: the server broadcasts its STATSZ on $SYS.SERVER.<id>.STATSZ.
        monitor.publish('$SYS.REQ.SERVER.PING.STATSZ', '');
        await monitor.flush();
        reply = await ask(monitor, { range: '1h' });
        const bins = reply.servers.find((s) => s.id === serverId)?.bins ?? [];
        return bins.some((b) => (b.in_msgs ?? 0) > 0 && (b.in_bytes ?? 0) > 0);
      },
      40_000,
      'a bin with message and byte rates above zero',
    );
    const server = reply!.servers.find((s) => s.id === serverId)!;
    equal(server.name, mode.server().info.name, 'the server name');
    equal(reply!.range, '1h');
    equal(reply!.bin_seconds, 60);
    const last = server.bins[server.bins.length - 1]!;
    equal(Date.parse(last.t) % 60_000, 0, 'bins start on a minute');
    ok(Date.parse(last.t) >= Date.parse(reply!.from) && Date.parse(last.t) <= Date.parse(reply!.to), JSON.stringify(reply));
    ok(
      server.bins.some((b) => (b.connections ?? 0) > 0 && (b.mem ?? 0) > 0),
      'gauges',
    );
    ok(server.bins.every((b) => b.out_msgs === null || b.out_msgs >= 0));

    const day = await ask(admin, { range: '24h', points: 1440 });
    equal(day.bin_seconds, 60, 'admin asks too; 1,440 points of 24 h are minutes');
    ok(day.servers.some((s) => s.id === serverId && s.bins.length > 0));
    equal((await ask(monitor, { range: '24h' })).bin_seconds, 1_440);
    ok(controller!.history.size.servers >= 1);
  });

  test(`${mode.name}: a bad request gets a clear error`, { timeout: 30_000 }, async () => {
    const monitor = await as('monitor');
    ok(/range must be "1h" or "24h", not "2h"/.test((await ask(monitor, { range: '2h' })).error ?? ''));
    ok(/points must be a whole number from 1 to 1440/.test((await ask(monitor, { range: '1h', points: 5_000 })).error ?? ''));
    const notJson = (await monitor.request(STATSZ_HISTORY_SUBJECT, 'hello', { timeout: 5_000 })).json<{ error?: string }>();
    ok(/not JSON/.test(notJson.error ?? ''), JSON.stringify(notJson));
  });

  test(`${mode.name}: a restarted Controller rebuilds the history from OPS_STATSZ`, { timeout: 60_000 }, async () => {
    const monitor = await as('monitor');
    const serverId = monitor.info!.server_id;
    const before = (await ask(monitor, { range: '1h' })).servers.find((s) => s.id === serverId)!;
    await controller!.stop();
    const next = await startController();
    ok(next.historyRebuilt > 0, `samples read from the stream: ${next.historyRebuilt} (${next.historyProblem ?? 'no problem'})`);
    equal(next.historyProblem, undefined);
    const after = (await ask(monitor, { range: '1h' })).servers.find((s) => s.id === serverId);
    ok(after, 'the server is there after the restart');
    for (const b of before.bins) {
      const again = after.bins.find((x) => x.t === b.t);
      ok(again, `bin ${b.t} kept`);
      if ((b.in_msgs ?? 0) > 0) ok((again.in_msgs ?? 0) > 0, `bin ${b.t}: rates kept`);
    }
  });

  test(`${mode.name}: other accounts do not import the service; the dashboard (OPS) may not ask it`, { timeout: 30_000 }, async () => {
    const bridge = await as('bridge');
    await rejects(() => bridge.request(STATSZ_HISTORY_SUBJECT, '{"range":"1h"}', { timeout: 5_000 }), 'NO_RESPONDERS');
    const dashboard = await as('dashboard');
    await rejects(() => dashboard.request(STATSZ_HISTORY_SUBJECT, '{"range":"1h"}', { timeout: 5_000 }), 'PERMISSION_DENIED', /ops\.history\.statsz/);
  });
}

describe(`history of server statistics, password mode (nats-server ${process.env.NATS_SERVER_BIN ?? 'default'})`, () => {
  let server: TestNatsServer;
  before(async () => {
    server = await TestNatsServer.start();
  });
  historySuite({
    name: 'password',
    server: () => server,
    auth: (user) => {
      const { users, roles } = server.info;
      const found = Object.values(users).find((u) => u.user === user) ?? Object.values(roles).find((u) => u.user === user);
      if (!found) throw new Error(`no user ${user}`);
      return { user: found.user, pass: found.pass };
    },
  });
  // After the suite's own clean-up (hooks run in the order they are registered).
  after(async () => {
    await server?.stop();
  });
});

describe(`history of server statistics, operator mode (nats-server ${process.env.NATS_SERVER_BIN ?? 'default'})`, () => {
  let server: TestNatsServer;
  let gen: GenerateResult;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nunect-history-operator-'));
    gen = await generate({
      env: { ...userSettings(), NATS_OPERATOR_DIR: join(dir, 'operator'), NATS_CREDS_DIR: join(dir, 'creds'), NATS_OPERATOR_NAME: 'nunect-test' },
    });
    server = await TestNatsServer.start({ config: gen.config });
  });
  historySuite({ name: 'operator', server: () => server, auth: (user) => ({ creds: readFileSync(gen.users[user]!.creds, 'utf8') }) });
  after(async () => {
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
});
