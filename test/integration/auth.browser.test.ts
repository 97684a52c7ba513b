/**
 * Least privilege in Chromium (the browser's own WebSocket), against the password-mode server of
 * the web-test-runner plugin: permission violations reach the caller as PERMISSION_DENIED and
 * never close the connection. (Operator mode in Chromium: auth-manager.node.test.ts.)
 */
import { connect, createLogger, userInboxPrefix, type ConnectOptions, type Msg, type NunectClient, type NunectError } from '../../client/index.js';
import { fetchMonitor } from '../../client/monitor.js';
import { MONITOR_KINDS } from '../../client/monitor-types.js';
import { deepEqual, equal, ok, sleep, until } from '../support/assert.js';
import type { NatsServerInfo } from '../support/nats-server.js';

describe('least privilege in Chromium (password mode)', () => {
  let server: NatsServerInfo;
  const open: NunectClient[] = [];

  const as = async (who: { user: string; pass: string }, extra: Partial<ConnectOptions> = {}) => {
    // Every user reads its replies on its own inbox, as the manager page does.
    const c = await connect({ servers: server.wsUrl, user: who.user, pass: who.pass, timeout: 5_000, inboxPrefix: userInboxPrefix(who.user), ...extra });
    open.push(c);
    return c;
  };
  const errorsOf = (c: NunectClient) => {
    const list: NunectError[] = [];
    c.on('error', (e) => list.push(e));
    return list;
  };

  before(async () => {
    server = (await (await fetch('/__nunect/nats-server.json')).json()) as NatsServerInfo;
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((c) => c.close().catch(() => {})));
  });

  it('the monitoring user gets every kind of data and cannot publish elsewhere; the connection stays up', async () => {
    const monitor = await as(server.roles.monitor);
    const errors = errorsOf(monitor);
    for (const kind of MONITOR_KINDS) {
      const replies = await fetchMonitor(monitor, kind, undefined, { expectServers: 1 });
      equal(replies[0]!.error, undefined, kind);
    }
    monitor.publish('bridge.commands', 'x');
    await until(() => errors.length === 1, 3_000, 'the permission error');
    equal(errors[0]!.code, 'PERMISSION_DENIED', errors[0]!.message);
    ok(errors[0]!.message.includes('bridge.commands'), errors[0]!.message);
    let subError: NunectError | undefined;
    monitor.subscribe('bridge.>', { onMessage: () => {}, onError: (e) => (subError = e) });
    await until(() => subError, 3_000, 'the subscription error');
    equal(subError!.code, 'PERMISSION_DENIED');
    equal(monitor.status.state, 'connected');
    equal((await fetchMonitor(monitor, 'VARZ', undefined, { expectServers: 1 })).length, 1, 'still monitoring');
  });

  it("a logger user publishes its own unit's records only", async () => {
    const reader = await as(server.users.BRIDGE);
    const got: Msg[] = [];
    reader.subscribe('ops.log.>', { onMessage: (m) => got.push(m) });
    await reader.flush();
    const logger = await as(server.roles.logger);
    const errors = errorsOf(logger);
    createLogger(logger, server.loggerUnit).info('mine');
    createLogger(logger, 'someone-else').info('not mine');
    await until(() => errors.length === 1 && got.length === 1, 3_000, 'one record and one error');
    await reader.flush();
    await sleep(100);
    deepEqual(
      got.map((m) => m.subject),
      [`ops.log.info.${server.loggerUnit}`],
    );
    equal(errors[0]!.code, 'PERMISSION_DENIED');
    equal(logger.status.state, 'connected');
  });

  it('BRIDGE users cannot see ENGINE traffic', async () => {
    const bridge = await as(server.users.BRIDGE);
    const got: Msg[] = [];
    bridge.subscribe('>', { onMessage: (m) => got.push(m) });
    await bridge.flush();
    const engine = await as(server.users.ENGINE);
    for (const s of ['engine.jobs.build', 'bridge.in.sensor', 'ops.log.info.bridge-1']) engine.publish(s, 'from ENGINE');
    await engine.flush();
    const service = await as(server.roles['bridge-service']);
    service.publish('bridge.in.control', 'from BRIDGE');
    await until(() => got.length >= 1, 3_000, 'the BRIDGE message');
    await sleep(200);
    deepEqual(
      got.map((m) => m.subject).filter((s) => !s.startsWith('$JS.') && !s.startsWith('_INBOX.')),
      ['bridge.in.control'],
    );
  });
});
