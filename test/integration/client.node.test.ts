/** The client scenarios in Node (WebSocket from the `ws` package), plus Node-only checks. */
import { after, before, describe, test } from 'node:test';
import { connect } from '../../client/node.js';
import { equal, ok } from '../support/assert.js';
import { TestNatsServer } from '../support/nats-server.js';
import { scenarios, type ScenarioEnv } from './client.scenarios.js';

let server: TestNatsServer;
let env: ScenarioEnv;

describe(`client in Node against nats-server ${process.env.NATS_SERVER_BIN ?? ''}`, () => {
  before(async () => {
    server = await TestNatsServer.start();
    env = {
      server: server.info,
      connect,
      platform: { ca: server.info.ca },
      concurrentClients: 200,
      control: {
        kill: () => server.kill('SIGKILL'),
        start: () => server.start(),
        authFailures: async () => (server.log().match(/authorization violation|authentication error/gi) ?? []).length,
      },
    };
  });
  after(async () => {
    await server?.stop();
  });

  for (const [name, scenario] of Object.entries(scenarios)) {
    test(name, { timeout: 60_000 }, () => scenario(env));
  }

  test('/varz answers on the HTTPS monitor port', async () => {
    const varz = await server.monitor<{ server_name: string; version: string; https_port: number }>('/varz');
    equal(varz.server_name, server.info.name);
    equal(varz.version, server.info.version);
    equal(varz.https_port, server.info.ports.https);
  });

  test('a wss server whose CA is not trusted is refused with a clear error', async () => {
    const { user, pass } = server.info.users.BRIDGE;
    try {
      await connect({ servers: server.info.wsUrl, user, pass, timeout: 3_000 });
      ok(false, 'connected without trusting the CA');
    } catch (err) {
      equal((err as { code?: string }).code, 'CONNECTION_FAILED');
      ok(/certificate/i.test((err as Error).message), (err as Error).message);
    }
  });
});
