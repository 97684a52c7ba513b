/**
 * The manager page with every widget, logged in against a real nats-server in headless Chromium:
 * how many WebSockets it opens and how many $SYS requests of each kind it sends per interval.
 * Reads the WebSocket frames the page sends (Playwright), so nothing in the page is instrumented.
 *
 *   node --import tsx bench/page-requests.ts [--seconds 30] [--server /path/to/nats-server]
 *
 * Needs the built page (npm run build:manager).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeCerts, TestNatsServer } from '../test/support/nats-server.js';
import { logIn, openManagerPage } from './manager-page.js';

const argv = process.argv.slice(2);
const opt = (name: string, fallback: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1]! : fallback);
const seconds = Number(opt('--seconds', '30'));
const bin = argv.includes('--server') ? opt('--server', '') : undefined;

const certDir = mkdtempSync(join(tmpdir(), 'nunect-bench-certs-'));
const certs = makeCerts(certDir);
const nats = await TestNatsServer.start({ bin, certDir });
const { page, close } = await openManagerPage(nats, certs);
try {
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
  await page.reload(); // the sockets of the page's load are counted from here
  await logIn(page, nats);
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
  await close();
  await nats.stop();
  rmSync(certDir, { recursive: true, force: true });
}
