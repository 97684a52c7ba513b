/**
 * The built manager page (dist/manager) for the benches: served over HTTPS on a free port next to
 * a test nats-server, in headless Chromium (Playwright), logged in as the system account's user.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { connect as tcpConnect, type NatsConnection } from '@nats-io/transport-node';
import { CHROME_PATH, chromiumArgs } from '../scripts/chromium.mjs';
import { createManagerServer } from '../scripts/manager/server.js';
import { freePort, ROOT, type TestNatsServer } from '../test/support/nats-server.js';

export interface ManagerPage {
  url: string;
  browser: Browser;
  page: Page;
  close(): Promise<void>;
}

/** Serves the page for `nats` and opens it (not logged in). Needs `npm run build:manager`. */
export async function openManagerPage(nats: TestNatsServer, certs: { cert: string; key: string; spki: string }): Promise<ManagerPage> {
  const root = join(ROOT, 'dist/manager');
  if (!existsSync(join(root, 'index.html'))) throw new Error('build the page first: npm run build:manager');
  const port = await freePort();
  const wsUrl = `wss://localhost:${nats.info.ports.ws}`;
  const manager = createManagerServer({
    root,
    host: '127.0.0.1',
    port,
    cert: certs.cert,
    key: certs.key,
    corsOrigins: [],
    wsUrls: [wsUrl],
    settings: { servers: [wsUrl], domain: 'localhost', monitor: 'nats', inboxes: 'user' },
  });
  await new Promise<void>((r) => manager.listen(port, '127.0.0.1', r));
  const browser = await chromium.launch({ executablePath: CHROME_PATH, args: chromiumArgs({ spki: certs.spki }) });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const url = `https://localhost:${port}/`;
  await page.goto(url);
  return {
    url,
    browser,
    page,
    close: async () => {
      await browser.close();
      manager.closeAllConnections();
      manager.close();
    },
  };
}

/** Logs the page in as the system account's user. */
export async function logIn(page: Page, nats: TestNatsServer): Promise<void> {
  await page.getByLabel('User', { exact: true }).fill(nats.info.users.SYS.user);
  await page.getByLabel('Password', { exact: true }).fill(nats.info.users.SYS.pass);
  await page.getByRole('button', { name: 'Log in' }).click();
}

/** `n` idle client connections over plain TCP, spread over the service accounts (connections for CONNZ to list). */
export async function idleClients(nats: TestNatsServer, n: number): Promise<NatsConnection[]> {
  const users = [nats.info.users.BRIDGE, nats.info.users.ENGINE, nats.info.users.PROVISION];
  const idle: NatsConnection[] = [];
  for (let i = 0; i < n; i += 50) {
    idle.push(
      ...(await Promise.all(
        Array.from({ length: Math.min(50, n - i) }, (_, k) => {
          const { user, pass } = users[(i + k) % users.length]!;
          return tcpConnect({ servers: nats.info.natsUrl, user, pass, name: `idle-${i + k}`, tls: null as never });
        }),
      )),
    );
  }
  return idle;
}
