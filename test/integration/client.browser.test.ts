/** The client scenarios in Chromium, with the browser's own WebSocket. */
import { executeServerCommand } from '@web/test-runner-commands';
import { connect } from '../../client/index.js';
import type { NatsServerInfo } from '../support/nats-server.js';
import { scenarios, type ScenarioEnv } from './client.scenarios.js';

describe('client in Chromium', () => {
  let env: ScenarioEnv;

  before(async () => {
    const server = (await (await fetch('/__nunect/nats-server.json')).json()) as NatsServerInfo;
    env = {
      server,
      connect,
      platform: {},
      concurrentClients: 50,
      control: {
        kill: async () => void (await executeServerCommand('nats-kill')),
        start: async () => void (await executeServerCommand('nats-start')),
        authFailures: async () => Number(await executeServerCommand('nats-auth-failures')),
      },
    };
  });

  for (const [name, scenario] of Object.entries(scenarios)) {
    it(name, () => scenario(env));
  }
});
