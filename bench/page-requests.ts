/**
 * The manager page with every widget, logged in against a real nats-server in headless Chromium:
 * how many WebSockets it opens and how many $SYS requests of each kind it sends per interval.
 * Reads the WebSocket frames the page sends (Playwright), so nothing in the page is instrumented.
 *
 *   node --import tsx bench/page-requests.ts [--seconds 30] [--server /path/to/nats-server]
 *
 * Needs the built page (npm run build:manager).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { createManagerServer } from '../scripts/manager/server.js';
import { freePort, makeCerts, ROOT, TestNatsServer } from '../test/support/nats-server.js';
import { CHROME_PATH, chromiumArgs } from '../scripts/chromium.mjs';

const argv = process.argv.slice(2);
const opt = (name: string, fallback: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1]! : fallback);
const seconds = Number(opt('--seconds', '30'));
const bin = argv.includes('--server') ? opt('--server', '') : undefined;
const pageRoot = join(ROOT, 'dist/manager');
if (!existsSync(join(pageRoot, 'index.html'))) throw new Error('build the page first: npm run build:manager');

const certDir = mkdtempSync(join(tmpdir(), 'nunect-bench-certs-'));
const certs = makeCerts(certDir);
const nats = await TestNatsServer.start({ bin, certDir });
const port = await freePort();
const wsUrl = `wss://localhost:${nats.info.ports.ws}`;
const manager = createManagerServer({
  root: pageRoot,
  host: '127.0.0.1',
  port,
  cert: certs.cert,
  key: certs.key,
  corsOrigins: [],
  wsUrls: [wsUrl],
  settings: { servers: [wsUrl], domain: 'localhost', monitor: 'nats', inboxes: 'user' },
});
await new Promise<void>((r) => manager.listen(port, '127.0.0.1', r));
const browser = await chromium.launch({
  executablePath: CHROME_PATH,
  args: chromiumArgs({ spki: certs.spki }),
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const sockets: string[] = [];
  const requests = new Map<string, number[]>();
  let t0 = 0;
  page.on('websocket', (ws) => {
    sockets.push(ws.url());
    ws.on('framesent', (frame) => {
      const text = typeof frame.payload === 'string' ? frame.payload : frame.payload.toString('utf8');
      for (const m of text.matchAll(/^(?:PUB|HPUB) (\$SYS\.REQ\.\S+) \S+/gm)) {
        if (!t0) continue;
        const list = requests.get(m[1]!) ?? [];
        list.push((Date.now() - t0) / 1000);
        requests.set(m[1]!, list);
      }
    });
  });
  await page.goto(`https://localhost:${port}/`);
  await page.getByLabel('User', { exact: true }).fill(nats.info.users.SYS.user);
  await page.getByLabel('Password', { exact: true }).fill(nats.info.users.SYS.pass);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.locator('nunect-varz').getByText(nats.info.name).first().waitFor({ timeout: 15_000 });
  t0 = Date.now();
  await page.waitForTimeout(seconds * 1000);
  console.log(`nats-server ${nats.info.version}, ${seconds} s after login, every widget on the page`);
  console.log(`WebSockets opened: ${sockets.length} (${[...new Set(sockets)].join(', ')})`);
  console.log('request subject'.padEnd(44), 'count', ' per 5 s');
  for (const [subject, times] of [...requests].sort()) {
    console.log(subject.padEnd(44), String(times.length).padStart(5), (times.length / (seconds / 5)).toFixed(2).padStart(8));
  }
} finally {
  await browser.close();
  manager.closeAllConnections();
  manager.close();
  await nats.stop();
  rmSync(certDir, { recursive: true, force: true });
}
