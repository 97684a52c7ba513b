/**
 * Authentication and least privilege against a real nats-server, in both modes: password mode
 * (config/nats-server.conf) and operator mode (the config, JWTs and .creds files that
 * scripts/operator.ts makes). The same rights are checked in both, with the same tests.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { encodeUser, fmtCreds } from '@nats-io/jwt';
import { credsAuthenticator } from '@nats-io/nats-core';
import { createAccount, createUser, fromSeed } from '@nats-io/nkeys';
import { connect as tcpConnect } from '@nats-io/transport-node';
import {
  connect,
  createLogger,
  loginInboxPrefix,
  userInboxPrefix,
  type ConnectOptions,
  type Msg,
  type NunectClient,
  type NunectError,
} from '../../client/node.js';
import { EVENT_SUBJECTS } from '../../components/event-log/parse-event.js';
import { generate, readAccounts, type GenerateResult } from '../../scripts/operator.js';
import { fetchMonitor } from '../../client/monitor.js';
import { MONITOR_KINDS } from '../../client/monitor-types.js';
import { deepEqual, equal, ok, rejects, sleep, until } from '../support/assert.js';
import { ACCOUNTS, ROLES, TestNatsServer, userSettings, type AccountName } from '../support/nats-server.js';

const encoder = new TextEncoder();

/** Every user of the config, with its account: the full-rights one per account and the roles. */
const USERS: Record<string, AccountName> = {
  ...Object.fromEntries(ACCOUNTS.map((a) => [a.toLowerCase(), a])),
  ...Object.fromEntries(Object.entries(ROLES).map(([role, { account }]) => [role, account])),
};

/** One way of running the server: how users log in and how the server names accounts. */
interface Mode {
  name: 'password' | 'operator';
  server: TestNatsServer;
  /** The authentication options of a user. */
  auth(user: string): Partial<ConnectOptions>;
  /** An account as the server reports it: its name, or its public key in operator mode. */
  accountId(account: AccountName): string;
}

function as(mode: Mode, user: string, extra: Partial<ConnectOptions> = {}): Promise<NunectClient> {
  const { info } = mode.server;
  // Every user reads its replies on its own inbox, as the manager page does (loginInboxPrefix).
  const inbox = { inboxPrefix: userInboxPrefix(user) };
  return connect({ servers: info.wsUrl, ca: info.ca, timeout: 5_000, name: `auth-${mode.name}-${user}`, ...inbox, ...mode.auth(user), ...extra });
}

/** The asynchronous errors of a client, as they arrive. */
function errorsOf(client: NunectClient): NunectError[] {
  const list: NunectError[] = [];
  client.on('error', (e) => list.push(e));
  return list;
}

function collect(client: NunectClient, subject: string): Msg[] {
  const got: Msg[] = [];
  client.subscribe(subject, { onMessage: (m) => got.push(m) });
  return got;
}

/** Opens clients and closes them all at the end of a test. */
async function withClients(fn: (open: (mode: Mode, user: string, extra?: Partial<ConnectOptions>) => Promise<NunectClient>) => Promise<void>): Promise<void> {
  const open: NunectClient[] = [];
  try {
    await fn(async (mode, user, extra) => {
      const c = await as(mode, user, extra);
      open.push(c);
      return c;
    });
  } finally {
    await Promise.all(open.map((c) => c.close().catch(() => {})));
  }
}

interface ConnInfo {
  name?: string;
  account?: string;
  authorized_user?: string;
  name_tag?: string;
}

/** The rights of every user; registered once per mode. */
function leastPrivilege(mode: () => Mode): void {
  test('every user connects and lands in its own account', { timeout: 60_000 }, () =>
    withClients(async (open) => {
      const m = mode();
      const monitor = await open(m, 'monitor');
      for (const [user, account] of Object.entries(USERS)) {
        const c = await open(m, user, { name: `whoami-${m.name}-${user}` });
        equal(c.status.state, 'connected', user);
        equal(c.authMethod, m.name === 'operator' ? 'creds' : 'user', `${user}: auth method`);
        const [reply] = await fetchMonitor<{ connections: ConnInfo[] }>(monitor, 'CONNZ', { auth: true, acc: m.accountId(account) }, { expectServers: 1 });
        const conn = reply!.data!.connections.find((x) => x.name === `whoami-${m.name}-${user}`);
        ok(conn, `${user}: listed in the CONNZ of ${account}`);
        equal(conn.account, m.accountId(account), `${user}: account`);
        if (m.name === 'password') equal(conn.authorized_user, user, `${user}: authorized_user`);
        // name_tag: the user JWT's name up to 2.9, the account JWT's name from 2.10 on.
        else equal(conn.name_tag, m.server.info.version.startsWith('2.9.') ? user : account, `${user}: name_tag`);
        await c.close();
      }
    }),
  );

  test('the monitoring user gets every kind of data the widgets ask for, and the $SYS events', { timeout: 60_000 }, () =>
    withClients(async (open) => {
      const m = mode();
      const monitor = await open(m, 'monitor');
      const errors = errorsOf(monitor);
      for (const kind of MONITOR_KINDS) {
        const replies = await fetchMonitor(monitor, kind, undefined, { expectServers: 1 });
        equal(replies.length, 1, `${kind}: one reply`);
        equal(replies[0]!.error, undefined, `${kind}: no error in the reply`);
      }
      const [varz] = await fetchMonitor<{ server_id: string }>(monitor, 'VARZ', undefined, { expectServers: 1 });
      const id = varz!.data!.server_id;
      const [one] = await fetchMonitor(monitor, 'CONNZ', { auth: true }, { serverId: id });
      equal(one!.server.id, id, 'a server asked by its id answers');
      const ping = await monitor.requestMany('$SYS.REQ.SERVER.PING', '', { maxMessages: 1 });
      equal(ping.length, 1, 'PING (STATSZ of every server)');

      const events: Msg[] = [];
      for (const subject of [...EVENT_SUBJECTS, '$SYS.SERVER.ACCOUNT.*.CONNS']) {
        monitor.subscribe(subject, { onMessage: (msg) => events.push(msg) });
      }
      await monitor.flush();
      const visitor = await open(m, 'engine-service', { name: 'auth-event-visitor' });
      await visitor.close();
      const named = (type: string) => (e: Msg) =>
        e.subject.endsWith(type) && (e.json() as { client?: { name?: string } }).client?.name === 'auth-event-visitor';
      await until(() => events.some(named('.CONNECT')) && events.some(named('.DISCONNECT')), 5_000, 'CONNECT and DISCONNECT events');
      await until(() => events.some((e) => e.subject.endsWith('.SERVER.CONNS')), 5_000, 'an account CONNS event');
      deepEqual(
        errors.map((e) => e.message),
        [],
        'no permission errors along the way',
      );
      equal(monitor.status.state, 'connected');
    }),
  );

  test('the monitoring user cannot publish elsewhere (application subjects, KICK, RELOAD, LDM); the connection stays up', { timeout: 60_000 }, () =>
    withClients(async (open) => {
      const m = mode();
      const admin = await open(m, 'sys');
      const monitor = await open(m, 'monitor');
      const errors = errorsOf(monitor);
      const [varz] = await fetchMonitor<{ server_id: string }>(monitor, 'VARZ', undefined, { expectServers: 1 });
      const id = varz!.data!.server_id;
      const leaked = collect(admin, 'bridge.>');
      const control = collect(admin, `$SYS.REQ.SERVER.${id}.*`);
      await admin.flush();

      const denied = [
        'bridge.commands',
        `$SYS.REQ.SERVER.${id}.KICK`,
        `$SYS.REQ.SERVER.${id}.RELOAD`,
        `$SYS.REQ.SERVER.${id}.LDM`,
        '$SYS.REQ.ACCOUNT.BRIDGE.CLAIMS.UPDATE',
      ];
      for (const subject of denied) {
        monitor.publish(subject, '{}');
        await until(() => errors.find((e) => e.message.includes(subject)), 3_000, `the error for ${subject}`);
      }
      for (const e of errors) {
        equal(e.code, 'PERMISSION_DENIED', e.message);
        ok(/permissions violation for publish/i.test(e.message), e.message);
      }
      let subError: NunectError | undefined;
      monitor.subscribe('bridge.>', { onMessage: () => {}, onError: (e) => (subError = e) });
      await until(() => subError, 3_000, 'the subscription error');
      equal(subError!.code, 'PERMISSION_DENIED', subError!.message);
      ok(/subscription/i.test(subError!.message), subError!.message);

      await admin.flush();
      await sleep(100);
      equal(leaked.length, 0, 'nothing reached bridge.>');
      equal(control.length, 0, 'no KICK/RELOAD/LDM request reached the server');
      equal(monitor.status.state, 'connected', 'still connected');
      const after = await fetchMonitor(monitor, 'VARZ', undefined, { expectServers: 1 });
      equal(after.length, 1, 'and still monitoring');
    }),
  );

  test("a logger user publishes its own unit's records and nothing else", { timeout: 60_000 }, () =>
    withClients(async (open) => {
      const m = mode();
      const unit = m.server.info.loggerUnit;
      const reader = await open(m, 'bridge');
      const got = collect(reader, 'ops.log.>');
      await reader.flush();
      const logger = await open(m, 'logger');
      const errors = errorsOf(logger);
      createLogger(logger, unit).info('mine', { n: 1 });
      createLogger(logger, 'bridge-2').warn('pretending to be another unit');
      logger.publish('bridge.commands', 'x');
      await until(() => errors.length === 2, 3_000, 'two permission errors');
      for (const e of errors) equal(e.code, 'PERMISSION_DENIED', e.message);
      ok(
        errors.some((e) => e.message.includes('ops.log.warn.bridge-2')),
        errors.map((e) => e.message).join('; '),
      );
      await until(() => got.length >= 1, 3_000, 'the own record');
      await reader.flush();
      await sleep(100);
      deepEqual(
        got.map((msg) => msg.subject),
        [`ops.log.info.${unit}`],
      );
      let subError: NunectError | undefined;
      logger.subscribe('ops.log.>', { onMessage: () => {}, onError: (e) => (subError = e) });
      await until(() => subError, 3_000, 'the subscription error');
      equal(subError!.code, 'PERMISSION_DENIED');
      equal(logger.status.state, 'connected', 'still connected');
    }),
  );

  test('BRIDGE users cannot see ENGINE traffic', { timeout: 60_000 }, () =>
    withClients(async (open) => {
      const m = mode();
      const bridge = await open(m, 'bridge');
      const all = collect(bridge, '>');
      const service = await open(m, 'bridge-service');
      const serviceGot = collect(service, 'bridge.>');
      await Promise.all([bridge.flush(), service.flush()]);
      const engine = await open(m, 'engine');
      const engineService = await open(m, 'engine-service');
      for (const s of ['engine.jobs.build', 'bridge.in.sensor', `ops.log.info.${m.server.info.loggerUnit}`, 'anything']) engine.publish(s, 'from ENGINE');
      engineService.publish('engine.jobs.done', 'from ENGINE');
      await Promise.all([engine.flush(), engineService.flush()]);
      service.publish('bridge.in.control', 'from BRIDGE');
      await until(() => all.length >= 1 && serviceGot.length >= 1, 3_000, 'the BRIDGE control message');
      await sleep(200);
      deepEqual(
        all.map((msg) => msg.subject).filter((s) => !s.startsWith('$JS.') && !s.startsWith('_INBOX.')),
        ['bridge.in.control'],
      );
      deepEqual(
        serviceGot.map((msg) => msg.string()),
        ['from BRIDGE'],
      );
      let subError: NunectError | undefined;
      service.subscribe('engine.>', { onMessage: () => {}, onError: (e) => (subError = e) });
      await until(() => subError, 3_000, 'the subscription error');
      equal(subError!.code, 'PERMISSION_DENIED', 'a BRIDGE service user may not even subscribe to engine.>');
    }),
  );

  test("restricted users read only their own replies: monitor never sees the replies to sys's requests", { timeout: 60_000 }, () =>
    withClients(async (open) => {
      const m = mode();
      equal(loginInboxPrefix(m.auth('monitor')), '_INBOX_monitor', 'the login names the user (password or .creds JWT)');
      const monitor = await open(m, 'monitor');
      const sys = await open(m, 'sys', { inboxPrefix: undefined });
      const spied: Msg[] = [];
      const refused: NunectError[] = [];
      for (const subject of ['_INBOX.>', '_INBOX_sys.>', '_INBOX_engine-service.>', '>']) {
        monitor.subscribe(subject, { onMessage: (msg) => spied.push(msg), onError: (e) => refused.push(e) });
      }
      const own = collect(monitor, '_INBOX_monitor.>');
      await until(() => refused.length === 4, 5_000, 'four refused subscriptions');
      for (const e of refused) equal(e.code, 'PERMISSION_DENIED', e.message);
      // sys asks (standard _INBOX) while monitor listens wherever it may.
      const [varz] = await fetchMonitor(sys, 'VARZ', undefined, { expectServers: 1 });
      ok(varz?.data, 'sys got its reply');
      await sys.request('$SYS.REQ.SERVER.PING', '', { timeout: 5_000 });
      await monitor.flush();
      await sys.flush();
      equal(spied.length, 0, 'nothing reached the refused subscriptions');
      equal(own.length, 0, "sys's replies never reach monitor's own inbox");
      // monitor's own requests still work, on its own inbox.
      const mine = await fetchMonitor(monitor, 'VARZ', undefined, { expectServers: 1 });
      equal(mine.length, 1, 'monitor still monitors');
      equal(monitor.status.state, 'connected');
      // A monitor client that uses the standard inbox is refused its replies (so it cannot spy either).
      const standard = await open(m, 'monitor', { inboxPrefix: undefined });
      await rejects(() => standard.request('$SYS.REQ.SERVER.PING', '', { timeout: 3_000 }), 'PERMISSION_DENIED', /_INBOX\./);
    }),
  );

  test("units: a unit's user publishes its own heartbeat and logs only; OPS sees every account's ops.> under its name", { timeout: 60_000 }, () =>
    withClients(async (open) => {
      const m = mode();
      const controller = await open(m, 'controller');
      const seen = collect(controller, '*.ops.>');
      await controller.flush();
      const unit = await open(m, 'engine-unit');
      const errors = errorsOf(unit);
      unit.publish('ops.health.engine-1', '{"status":"ok"}');
      unit.publish('ops.log.info.engine-1', '{"message":"hi"}');
      unit.publish('ops.health.bridge-1', 'impostor');
      unit.publish('ops.log.info.engine-2', 'impostor');
      unit.publish('engine.work', 'x');
      await until(() => seen.length >= 2 && errors.length >= 3, 10_000, 'two records in OPS, three refusals');
      deepEqual(seen.map((x) => x.subject).sort(), ['engine.ops.health.engine-1', 'engine.ops.log.info.engine-1']);
      for (const e of errors) equal(e.code, 'PERMISSION_DENIED', e.message);
      // Other accounts' units and records stay apart from ENGINE; OPS sees them under their name.
      const bridgeUnit = await open(m, 'bridge-unit');
      bridgeUnit.publish('ops.health.bridge-1', '{}');
      await until(() => seen.some((x) => x.subject === 'bridge.ops.health.bridge-1'), 10_000, 'BRIDGE in OPS');
      // The dashboard reads; it may not write to OPS subjects or delete streams.
      const dashboard = await open(m, 'dashboard');
      const refused = errorsOf(dashboard);
      dashboard.publish('ops.units.events.x', 'x');
      dashboard.publish('$JS.API.STREAM.DELETE.OPS_LOGS', '');
      await until(() => refused.length >= 2, 10_000, 'the dashboard refused to write');
      equal(unit.status.state, 'connected');
    }),
  );

  test('service users keep to their own subjects; request-reply and JetStream work inside them', { timeout: 60_000 }, () =>
    withClients(async (open) => {
      const m = mode();
      const worker = await open(m, 'engine-service');
      const errors = errorsOf(worker);
      worker.subscribe('engine.echo', { onMessage: (msg) => msg.respond(`echo:${msg.string()}`) });
      await worker.flush();
      const caller = await open(m, 'engine');
      equal((await caller.request('engine.echo', 'hi')).string(), 'echo:hi', 'the reply (allow_responses)');
      const peer = await open(m, 'engine-service');
      equal((await peer.request('engine.echo', 'peer')).string(), 'echo:peer', 'a service user asks another (its own _INBOX_<user>)');
      const js = (await worker.request('$JS.API.INFO', '')).json() as { type?: string; error?: unknown };
      equal(js.error, undefined, 'JetStream is enabled for the account');
      ok(js.type?.includes('account_info_response'), JSON.stringify(js));
      for (const s of ['provision.x', 'bridge.x', 'ops.log.info.engine-1']) worker.publish(s, 'x');
      await until(() => errors.length === 3, 3_000, 'three permission errors');
      for (const e of errors) equal(e.code, 'PERMISSION_DENIED', e.message);
      equal(worker.status.state, 'connected');
    }),
  );
}

const bin = process.env.NATS_SERVER_BIN ?? '';

describe(`password mode against nats-server ${bin}`, () => {
  let server: TestNatsServer;
  const mode: Mode = {
    name: 'password',
    get server() {
      return server;
    },
    auth(user) {
      const { users, roles } = server.info;
      const found = Object.values(users).find((u) => u.user === user) ?? Object.values(roles).find((u) => u.user === user);
      if (!found) throw new Error(`no user ${user}`);
      return { user: found.user, pass: found.pass };
    },
    accountId: (account) => account,
  };
  before(async () => {
    server = await TestNatsServer.start();
  });
  after(async () => {
    await server?.stop();
  });
  leastPrivilege(() => mode);
});

describe(`operator mode against nats-server ${bin}`, () => {
  let server: TestNatsServer;
  let gen: GenerateResult;
  let dir: string;
  const creds = (user: string) => readFileSync(gen.users[user]!.creds, 'utf8');
  const mode: Mode = {
    name: 'operator',
    get server() {
      return server;
    },
    auth: (user) => ({ creds: creds(user) }),
    accountId: (account) => gen.accounts[account]!.publicKey,
  };
  const settings = () => ({
    ...userSettings(),
    NATS_OPERATOR_DIR: join(dir, 'operator'),
    NATS_CREDS_DIR: join(dir, 'creds'),
    NATS_OPERATOR_NAME: 'nunect-test',
  });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nunect-operator-'));
    gen = await generate({ env: settings() });
    server = await TestNatsServer.start({ config: gen.config });
  });
  after(async () => {
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  leastPrivilege(() => mode);

  test('the generated config is in operator mode; keys, seeds and .creds files are private', () => {
    const text = readFileSync(gen.config, 'utf8');
    ok(!/^\s*accounts\s*[:=]?\s*\{/m.test(text), 'no accounts block');
    ok(/^resolver: MEMORY$/m.test(text) && /^resolver_preload: \{$/m.test(text), 'MEMORY resolver with preloaded JWTs');
    ok(text.includes(`system_account: ${gen.accounts.SYS!.publicKey}`), 'the system account by public key');
    ok(/^websocket \{/m.test(text) && /^jetstream \{/m.test(text) && /^https_port: \$NATS_HTTPS_PORT$/m.test(text), 'the listeners of config/nats-server.conf');
    deepEqual(Object.keys(gen.accounts), ['SYS', 'BRIDGE', 'ENGINE', 'PROVISION', 'OPS']);
    deepEqual(Object.keys(gen.users).sort(), Object.keys(USERS).sort(), 'one .creds file per user of config/nats-server.conf');
    const mode = (p: string) => statSync(p).mode & 0o777;
    for (const d of [gen.credsDir, gen.keysDir]) equal(mode(d), 0o700, d);
    for (const f of readdirSync(gen.keysDir)) equal(mode(join(gen.keysDir, f)), 0o600, f);
    for (const u of Object.values(gen.users)) equal(mode(u.creds), 0o600, u.creds);
    equal(mode(gen.config), 0o600, gen.config);
  });

  test('re-running keeps every key and leaves the files as they were; --rotate replaces the keys', async () => {
    const before = { config: readFileSync(gen.config, 'utf8'), monitor: creds('monitor') };
    const again = await generate({ env: settings() });
    deepEqual(again.created, [], 'no new keys');
    equal(again.operator.publicKey, gen.operator.publicKey);
    for (const a of ACCOUNTS) equal(again.accounts[a]!.publicKey, gen.accounts[a]!.publicKey, a);
    for (const u of Object.keys(USERS)) equal(again.users[u]!.publicKey, gen.users[u]!.publicKey, u);
    equal(readFileSync(gen.config, 'utf8'), before.config, 'config unchanged byte for byte');
    equal(creds('monitor'), before.monitor, '.creds unchanged byte for byte');

    // Rotation in a copy of the settings (the running server keeps the first operator).
    const other = { ...settings(), NATS_OPERATOR_DIR: join(dir, 'rotated'), NATS_CREDS_DIR: join(dir, 'rotated-creds') };
    const first = await generate({ env: other });
    const rotated = await generate({ env: other, rotate: true });
    equal(rotated.created.length, 1 + ACCOUNTS.length + Object.keys(USERS).length, 'every key replaced');
    ok(rotated.operator.publicKey !== first.operator.publicKey, 'new operator key');
    ok(rotated.users.monitor!.publicKey !== first.users.monitor!.publicKey, 'new user key');
  });

  test('the accounts and users are those of config/nats-server.conf', () => {
    const conf = readAccounts();
    equal(conf.systemAccount, 'SYS');
    deepEqual(
      conf.accounts.map((a) => [a.name, a.jetstream, a.users.map((u) => u.permissions ?? '-')]),
      [
        ['SYS', false, ['-', 'MONITOR_PERMISSIONS', 'ADMIN_PERMISSIONS']],
        ['BRIDGE', true, ['-', 'BRIDGE_SERVICE_PERMISSIONS', 'BRIDGE_UNIT_PERMISSIONS', 'LOGGER_PERMISSIONS', '-', 'BRIDGE_VIEWER_PERMISSIONS']],
        ['ENGINE', true, ['-', 'ENGINE_SERVICE_PERMISSIONS', 'ENGINE_UNIT_PERMISSIONS']],
        ['PROVISION', true, ['-', 'PROVISION_SERVICE_PERMISSIONS', 'PROVISION_UNIT_PERMISSIONS']],
        ['OPS', true, ['-', '-', 'DASHBOARD_PERMISSIONS']],
      ],
    );
  });

  test('a user connects with jwt + seed as well as with the .creds file', async () => {
    const text = creds('bridge-service');
    const jwt = /-----BEGIN NATS USER JWT-----\s*(\S+)/.exec(text)![1]!;
    const seed = /-----BEGIN USER NKEY SEED-----\s*(\S+)/.exec(text)![1]!;
    const c = await as(mode, 'bridge-service', { creds: undefined, jwt, seed });
    try {
      equal(c.authMethod, 'jwt');
      equal(c.status.state, 'connected');
    } finally {
      await c.close();
    }
  });

  test('every account user connects over TCP (plain and TLS) with its .creds file', { timeout: 60_000 }, async () => {
    for (const user of Object.keys(USERS)) {
      for (const tls of [null, { ca: server.info.ca }]) {
        const nc = await tcpConnect({
          servers: server.info.natsUrl,
          authenticator: credsAuthenticator(encoder.encode(creds(user))),
          tls,
          timeout: 5_000,
          name: `auth-tcp-${user}`,
        });
        try {
          await nc.flush();
          equal(nc.info?.server_name, server.info.name, `${user} over ${tls ? 'TLS' : 'plain TCP'}`);
        } finally {
          await nc.close();
        }
      }
    }
  });

  test('unknown account, expired JWT and wrong seed are refused and appear as AUTH.ERR events', { timeout: 60_000 }, () =>
    withClients(async (open) => {
      const monitor = await open(mode, 'monitor');
      const events: Msg[] = [];
      monitor.subscribe('$SYS.SERVER.*.CLIENT.AUTH.ERR', { onMessage: (msg) => events.push(msg) });
      await monitor.flush();

      const stranger = createAccount();
      const strangerUser = createUser();
      const unknownAccount = fmtCreds(await encodeUser('stranger', strangerUser, stranger), strangerUser);
      const bridgeKey = fromSeed(encoder.encode(readFileSync(join(gen.keysDir, 'account-BRIDGE.nk'), 'utf8').trim()));
      const expiredUser = createUser();
      const expired = fmtCreds(await encodeUser('expired', expiredUser, bridgeKey, {}, { exp: Math.floor(Date.now() / 1000) - 60 }), expiredUser);
      const realJwt = /-----BEGIN NATS USER JWT-----\s*(\S+)/.exec(creds('bridge'))![1]!;
      const wrongSeed = fmtCreds(realJwt, createUser());

      const cases: Array<[string, Uint8Array]> = [
        ['unknown-account', unknownAccount],
        ['expired-jwt', expired],
        ['wrong-seed', wrongSeed],
      ];
      for (const [name, bytes] of cases) {
        await rejects(
          () => connect({ servers: server.info.wsUrl, ca: server.info.ca, timeout: 5_000, name, creds: new TextDecoder().decode(bytes) }),
          'AUTHORIZATION',
          /refused the credentials/,
        );
        const event = (await until(
          () => events.find((e) => (e.json() as { client?: { name?: string } }).client?.name === name),
          5_000,
          `the AUTH.ERR event of ${name}`,
        ))!;
        ok(/^\$SYS\.SERVER\.[A-Z0-9]+\.CLIENT\.AUTH\.ERR$/.test(event.subject), event.subject);
        const body = event.json() as { type?: string; reason?: string };
        equal(body.type, 'io.nats.server.advisory.v1.client_disconnect');
        ok(body.reason, 'with a reason');
      }
      equal(monitor.status.state, 'connected');
    }),
  );
});
