/**
 * End to end: the dev stack started by the project's scripts, the manager page in Debian's
 * Chromium driven by Playwright, a real Node client coming and going.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { connect } from '../../client/node.js';
import { ok, equal } from '../support/assert.js';
import { ROOT } from '../support/nats-server.js';
import { cleanup, loadGenerated, natsPid, script, stackEnv, startScript, stopChild, type Stack } from './stack.js';

const SHOTS = join(ROOT, 'test-results/screenshots');
const chromePath = process.env.CHROME_PATH ?? '/usr/bin/chromium';
const STEP = { timeout: 15_000 };

let stack: Stack;
let browser: Browser;
let manager: Awaited<ReturnType<typeof startScript>> | undefined;
let npmStart: Awaited<ReturnType<typeof startScript>> | undefined;
let serverVersion = 'unknown';

async function openManager(colorScheme: 'light' | 'dark' = 'light', viewport = { width: 1280, height: 900 }): Promise<Page> {
  const context = await browser.newContext({ colorScheme, viewport });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  (page as Page & { errors?: string[] }).errors = errors;
  await page.goto(stack.url);
  return page;
}

/** What a widget shows (its shadow root's text; innerText does not enter shadow roots). */
function shadowText(locator: Locator): Promise<string> {
  return locator.evaluate((el) => (el.shadowRoot?.textContent ?? '').replace(/\s+/g, ' '));
}

/** True while the process exists and is not a zombie. */
function alive(pid: number): boolean {
  try {
    return !/^\S+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

async function login(page: Page, user: string, pass: string): Promise<void> {
  await page.getByLabel('User', { exact: true }).fill(user);
  await page.getByLabel('Password', { exact: true }).fill(pass);
  await page.getByRole('button', { name: /log in/i }).click();
}

describe(`manager end to end (nats-server ${process.env.NATS_SERVER_BIN ?? 'default'})`, () => {
  before(async () => {
    stack = await stackEnv();
  });

  after(async () => {
    await browser?.close().catch(() => {});
    await stopChild(npmStart?.child, 'SIGINT');
    await stopChild(manager?.child);
    try {
      script(stack, 'nats-server.sh', 'stop');
    } catch {
      /* already stopped */
    }
    cleanup(stack);
  });

  test('npm start (scripts/start.sh) brings up both services, prints the URL, and Ctrl-C stops both', { timeout: 120_000 }, async () => {
    const started = await startScript(stack, 'start.sh', /Log in as \S+ with NATS_MONITOR_PASSWORD/, 110_000);
    npmStart = started;
    const out = started.output();
    ok(out.includes(stack.url), `the URL ${stack.url} is printed:\n${out}`);
    ok(/NATS_MONITOR_PASSWORD/.test(out), 'it says where the dev credentials are');
    loadGenerated(stack);
    const pid = natsPid(stack);
    ok(pid, 'nats-server pidfile');
    await stopChild(started.child, 'SIGINT');
    equal(started.child.exitCode, 0, 'exit code after Ctrl-C');
    ok(!alive(pid!), 'nats-server stopped with it');
  });

  test('the stack starts again through the scripts; the page logs in and shows the server', { timeout: 90_000 }, async () => {
    script(stack, 'nats-server.sh', 'start');
    manager = await startScript(stack, 'manager.sh', /manager: serving/);
    browser = await chromium.launch({
      executablePath: chromePath,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', `--ignore-certificate-errors-spki-list=${stack.spki}`],
    });
    const page = await openManager();
    await page.getByText('localhost', { exact: false }).first().waitFor(STEP);
    await login(page, stack.settings.NATS_MONITOR_USER!, stack.settings.NATS_MONITOR_PASSWORD!);
    const varz = page.locator('nunect-varz');
    await varz.getByText('nunect-e2e').first().waitFor(STEP);
    const shown = await shadowText(varz);
    const version = /\(v(\d+\.\d+\.\d+)\)/.exec(script(stack, 'nats-server.sh', 'status'))?.[1];
    ok(shown.includes('nunect-e2e'), shown);
    ok(version && shown.includes(`nats-server ${version}`), `version ${version} shown: ${shown}`);
    serverVersion = version;
    await page.close();
  });

  test('a client that connects and disconnects shows in the event log and the connections table', { timeout: 60_000 }, async () => {
    const page = await openManager();
    await login(page, stack.settings.NATS_MONITOR_USER!, stack.settings.NATS_MONITOR_PASSWORD!);
    const log = page.locator('nunect-event-log');
    await log.getByText(/waiting for events|connect/i).first().waitFor(STEP);
    const client = await connect({ servers: stack.wsUrl, ca: stack.ca, user: stack.settings.NATS_BRIDGE_USER!, pass: stack.settings.NATS_BRIDGE_PASSWORD!, name: 'e2e-probe' });
    const t0 = Date.now();
    await log.getByText('e2e-probe').first().waitFor({ timeout: 2_000 });
    ok(Date.now() - t0 <= 2_000, 'CONNECT row within 2 s');
    await page.locator('nunect-connz').getByText('e2e-probe').first().waitFor(STEP);
    await client.close();
    const t1 = Date.now();
    await log.getByText(/disconnect/i).first().waitFor({ timeout: 2_000 });
    ok(Date.now() - t1 <= 2_000, 'DISCONNECT row within 2 s');
    await page.close();
  });

  test('a wrong password shows the authorization error', { timeout: 30_000 }, async () => {
    const page = await openManager();
    await login(page, stack.settings.NATS_SYS_USER!, 'not-the-password');
    await page.locator('nunect-connection').getByText(/refused the credentials/i).waitFor(STEP);
    await page.close();
  });

  test('the page shows an outage when nats-server is killed, and comes back by itself', { timeout: 90_000 }, async () => {
    const page = await openManager();
    await login(page, stack.settings.NATS_MONITOR_USER!, stack.settings.NATS_MONITOR_PASSWORD!);
    const varz = page.locator('nunect-varz');
    await varz.getByText('nunect-e2e').first().waitFor(STEP);
    process.kill(natsPid(stack)!, 'SIGKILL');
    await page.locator('nunect-connection').getByText(/reconnecting/i).first().waitFor(STEP);
    await varz.getByText(/showing the last/i).waitFor(STEP);
    script(stack, 'nats-server.sh', 'start');
    await page.locator('nunect-connection').getByText(/reconnecting/i).first().waitFor({ state: 'detached', timeout: 30_000 });
    await varz.getByText(/showing the last/i).waitFor({ state: 'detached', timeout: 30_000 });
    ok((await shadowText(varz)).includes('nunect-e2e'));
    await page.close();
  });

  test('screenshots: desktop and phone, light and dark', { timeout: 90_000 }, async () => {
    mkdirSync(SHOTS, { recursive: true });
    for (const scheme of ['light', 'dark'] as const) {
      for (const [name, viewport] of [['desktop', { width: 1280, height: 900 }], ['phone', { width: 390, height: 844 }]] as const) {
        const page = await openManager(scheme, viewport);
        await login(page, stack.settings.NATS_MONITOR_USER!, stack.settings.NATS_MONITOR_PASSWORD!);
        await page.locator('nunect-varz').getByText('nunect-e2e').first().waitFor(STEP);
        await new Promise((r) => setTimeout(r, 1_500));
        await page.screenshot({ path: join(SHOTS, `manager-${name}-${scheme}-${serverVersion}.png`), fullPage: true });
        const errors = (page as Page & { errors?: string[] }).errors ?? [];
        equal(errors.filter((e) => !/favicon/.test(e)).length, 0, `no page errors: ${errors.join('\n')}`);
        await page.context().close();
      }
    }
  });
});
