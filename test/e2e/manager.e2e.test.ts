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
import { cleanup, getStatus, loadGenerated, natsPid, script, stackEnv, startScript, stopChild, type Stack } from '../support/stack.js';
import { until } from '../support/assert.js';
import { CHROME_PATH, chromiumArgs } from '../../scripts/chromium.mjs';

const SHOTS = join(ROOT, 'test-results/screenshots');
const STEP = { timeout: 15_000 };
/** The supervisor's crash limit (scripts/start.sh CRASH_LIMIT). */
const CRASHES = 5;
const killed = new Set<number>();

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

/** Waits until every live widget of the page is `ready` (its state property). */
async function everyWidgetReady(page: Page): Promise<void> {
  await page.waitForFunction(
    () => {
      const widgets = [...document.querySelectorAll('*')].filter((el) => el.tagName.startsWith('NUNECT-') && 'state' in el);
      return widgets.length > 0 && widgets.every((el) => (el as HTMLElement & { state: string }).state === 'ready');
    },
    undefined,
    STEP,
  );
}

/** Waits until the widget `tag` is `ready`; else fails with its state and what it shows. */
async function widgetReady(page: Page, tag: string, timeout: number): Promise<void> {
  const state = () => page.locator(tag).evaluate((el) => (el as HTMLElement & { state?: string }).state);
  try {
    await until(async () => (await state()) === 'ready', timeout, `${tag} ready`);
  } catch {
    throw new Error(`${tag} not ready within ${timeout} ms: ${await state()}: ${(await shadowText(page.locator(tag))).slice(0, 400)}`);
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

  test('npm start (scripts/start.sh) brings up both services and prints the URL and the server version', { timeout: 120_000 }, async () => {
    npmStart = await startScript(stack, 'start.sh', /Crashes: /, 110_000);
    const out = npmStart.output();
    ok(out.includes(stack.url), `the URL ${stack.url} is printed:\n${out}`);
    ok(/Log in as \S+ with NATS_MONITOR_PASSWORD/.test(out), 'it says where the dev credentials are');
    ok(/stack is running \(nats-server \d+\.\d+\.\d+\)/.test(out), `it says which server version runs:\n${out}`);
    loadGenerated(stack);
    ok(natsPid(stack), 'nats-server pidfile');
    browser = await chromium.launch({
      executablePath: CHROME_PATH,
      args: chromiumArgs({ spki: stack.spki }),
    });
  });

  test('the page logs in and shows the server', { timeout: 90_000 }, async () => {
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
    // Ready once the server has the log's subscriptions (not at "Connecting…", which the old
    // text match accepted: the probe's CONNECT event could then come before the log subscribed).
    await page.waitForFunction(() => (document.querySelector('nunect-event-log') as (Element & { state?: string }) | null)?.state === 'ready', null, STEP);
    const client = await connect({
      servers: stack.wsUrl,
      ca: stack.ca,
      user: stack.settings.NATS_BRIDGE_USER!,
      pass: stack.settings.NATS_BRIDGE_PASSWORD!,
      name: 'e2e-probe',
    });
    await log.getByText('e2e-probe').first().waitFor(STEP);
    await page.locator('nunect-connz').getByText('e2e-probe').first().waitFor(STEP);
    await client.close();
    await log
      .getByText(/disconnect/i)
      .first()
      .waitFor(STEP);
    await page.close();
  });

  test('a wrong password shows the authorization error', { timeout: 30_000 }, async () => {
    const page = await openManager();
    await login(page, stack.settings.NATS_SYS_USER!, 'not-the-password');
    await page
      .locator('nunect-connection')
      .getByText(/refused the credentials/i)
      .waitFor(STEP);
    await page.close();
  });

  test('the data page: a BRIDGE user sees its streams, KV, services and a live tail; the read-only viewer gets no purge', { timeout: 120_000 }, async () => {
    const bridge = await connect({
      servers: stack.wsUrl,
      ca: stack.ca,
      user: stack.settings.NATS_BRIDGE_USER!,
      pass: stack.settings.NATS_BRIDGE_PASSWORD!,
      name: 'e2e-data',
    });
    const { jetstreamManager, jetstream } = await import('@nats-io/jetstream');
    const { Kvm } = await import('@nats-io/kv');
    const { Svcm } = await import('@nats-io/services');
    const jsm = await jetstreamManager(bridge.nc as never);
    await jsm.streams.add({ name: 'E2E_ORDERS', subjects: ['bridge.e2e.orders.>'] });
    const js = jetstream(bridge.nc as never);
    for (let i = 1; i <= 3; i++) await js.publish(`bridge.e2e.orders.${i}`, JSON.stringify({ order: i, note: '<b>not markup</b>' }));
    const kv = await new Kvm(bridge.nc as never).create('E2E_CFG');
    await kv.put('config.colour', 'teal');
    const svc = await new Svcm(bridge.nc as never).add({ name: 'e2e-svc', version: '1.2.3' });
    svc.addEndpoint('echo', { subject: 'bridge.e2e.echo', handler: (_err, m) => m.respond(m.data) });
    const page = await openManager();
    try {
      await page.getByRole('link', { name: /streams, kv, messages and services/i }).click();
      await login(page, stack.settings.NATS_BRIDGE_VIEWER_USER!, stack.settings.NATS_BRIDGE_VIEWER_PASSWORD!);
      // The data elements and the JetStream libraries load with this page: a loaded machine takes a while.
      for (const tag of ['nunect-streams', 'nunect-kv', 'nunect-services']) await widgetReady(page, tag, 30_000);
      await until(async () => (await shadowText(page.locator('nunect-streams'))).includes('E2E_ORDERS'), 15_000, 'the stream listed');
      await until(async () => (await shadowText(page.locator('nunect-kv'))).includes('E2E_CFG'), 15_000, 'the bucket listed');
      await until(async () => /e2e-svc/.test(await shadowText(page.locator('nunect-services'))), 15_000, 'the service listed');
      // One bucket's keys, filtered, and a key's value; a change made elsewhere shows live.
      await page.locator('nunect-kv').evaluate((el) => Object.assign(el, { bucket: 'E2E_CFG', filter: 'config.>', key: 'config.colour' }));
      await until(async () => (await shadowText(page.locator('nunect-kv'))).includes('teal'), 15_000, 'the value of config.colour');
      await kv.put('config.size', 'large');
      await until(async () => (await shadowText(page.locator('nunect-kv'))).includes('config.size'), 15_000, 'a new key, live');
      ok((await shadowText(page.locator('nunect-services'))).includes('1.2.3'), 'its version');
      // A live tail: messages published by another client appear, payloads as text.
      await page.locator('nunect-tail').evaluate((el) => ((el as HTMLElement & { subject: string }).subject = 'bridge.e2e.>'));
      await widgetReady(page, 'nunect-tail', 30_000);
      await bridge.flush();
      await until(
        async () => {
          bridge.publish('bridge.e2e.ping', '<img src=x onerror=alert(1)>');
          return (await shadowText(page.locator('nunect-tail'))).includes('bridge.e2e.ping');
        },
        15_000,
        'a message in the tail',
      );
      equal(await page.locator('nunect-tail').evaluate((el) => el.shadowRoot!.querySelectorAll('img').length), 0, 'a payload is never markup');
      // The viewer may not purge: on 2.10+ the page knows and offers no purge; before, the server refuses.
      await page.locator('nunect-streams').evaluate((el) => ((el as HTMLElement & { selected?: string }).selected = 'E2E_ORDERS'));
      await until(async () => (await shadowText(page.locator('nunect-streams'))).includes('bridge.e2e.orders.>'), 15_000, 'the stream detail');
      const purge = page.locator('nunect-streams').getByRole('button', { name: /purge/i });
      if (!/^2\.9\./.test(serverVersion)) equal(await purge.count(), 0, 'no purge button for the viewer');
      mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: join(SHOTS, 'data-1280.png'), fullPage: true });
      const errors = ((page as Page & { errors?: string[] }).errors ?? []).filter((e) => !/favicon/.test(e));
      equal(errors.length, 0, `no page errors (CSP included): ${errors.join('\n')}`);
      const info = await jsm.streams.info('E2E_ORDERS');
      equal(info.state.messages, 3, 'nothing purged');
      equal(info.state.consumer_count, 0, 'browsing created no consumer');
    } finally {
      await page.close();
      await svc.stop().catch(() => {});
      await jsm.streams.delete('E2E_ORDERS').catch(() => {});
      await kv.destroy().catch(() => {});
      await bridge.close();
    }
  });

  test('kill -9 of nats-server: npm start restarts it by itself, the page stays reachable and recovers', { timeout: 120_000 }, async () => {
    const page = await openManager();
    await login(page, stack.settings.NATS_MONITOR_USER!, stack.settings.NATS_MONITOR_PASSWORD!);
    const varz = page.locator('nunect-varz');
    await varz.getByText('nunect-e2e').first().waitFor(STEP);
    const before = natsPid(stack)!;
    const logged = npmStart!.output().length;
    process.kill(before, 'SIGKILL');
    // While nats-server is down (or restarting), the manager keeps serving the page.
    equal((await getStatus(stack, '/')).status, 200, 'the page is served during the outage');
    equal((await getStatus(stack, '/settings.json')).status, 200, 'and its settings');
    // nats-server comes back without a command, with a new pid, and the supervisor says why.
    await until(() => natsPid(stack) !== before && alive(natsPid(stack)!), 30_000, 'a new nats-server');
    await until(() => /is back \(pid \d+\)/.test(npmStart!.output().slice(logged)), 30_000, 'the "is back" line');
    const said = npmStart!.output().slice(logged);
    ok(said.includes(`nats-server (pid ${before}) killed by SIGKILL; restarting in`), said);
    ok(!/Killed\s+bash/.test(said), `no raw job notice from bash:\n${said}`);
    const supervisorLog = readFileSync(join(stack.env.NATS_RUN_DIR!, 'supervisor.log'), 'utf8');
    ok(supervisorLog.includes('killed by SIGKILL'), supervisorLog);
    // The page, never reloaded, is live again by itself.
    await varz.locator('[part~="status"]').waitFor({ state: 'detached', timeout: 30_000 });
    // The sparklines' history too: the Controller reconnects after the server, and is asked again.
    await varz.locator('[part="history-note"]').waitFor({ state: 'detached', timeout: 30_000 });
    await page
      .locator('nunect-connection')
      .getByText(/reconnecting/i)
      .first()
      .waitFor({ state: 'detached', timeout: 30_000 });
    ok((await shadowText(varz)).includes('nunect-e2e'));
    equal(npmStart!.child.exitCode, null, 'npm start is still running');
    // A new visitor gets the page and live data too.
    const visitor = await openManager();
    await login(visitor, stack.settings.NATS_MONITOR_USER!, stack.settings.NATS_MONITOR_PASSWORD!);
    await visitor.locator('nunect-varz').getByText('nunect-e2e').first().waitFor(STEP);
    await visitor.context().close();
    await page.close();
  });

  test('screenshots: desktop and phone, light and dark', { timeout: 90_000 }, async () => {
    mkdirSync(SHOTS, { recursive: true });
    for (const scheme of ['light', 'dark'] as const) {
      for (const [name, viewport] of [
        ['desktop', { width: 1280, height: 900 }],
        ['phone', { width: 390, height: 844 }],
      ] as const) {
        const page = await openManager(scheme, viewport);
        await login(page, stack.settings.NATS_MONITOR_USER!, stack.settings.NATS_MONITOR_PASSWORD!);
        await page.locator('nunect-varz').getByText('nunect-e2e').first().waitFor(STEP);
        await everyWidgetReady(page);
        await page.screenshot({ path: join(SHOTS, `manager-${name}-${scheme}-${serverVersion}.png`), fullPage: true });
        const errors = (page as Page & { errors?: string[] }).errors ?? [];
        equal(errors.filter((e) => !/favicon/.test(e)).length, 0, `no page errors: ${errors.join('\n')}`);
        await page.context().close();
      }
    }
  });

  test('Ctrl-C stops npm start and both services', { timeout: 60_000 }, async () => {
    const pid = natsPid(stack)!;
    await stopChild(npmStart!.child, 'SIGINT');
    equal(npmStart!.child.exitCode, 0, 'exit code after Ctrl-C');
    ok(!alive(pid), 'nats-server stopped with it');
    await rejectsConnection(stack);
  });

  test('the scripts alone (npm run nats:start, npm run manager) run the stack without the supervisor', { timeout: 90_000 }, async () => {
    script(stack, 'nats-server.sh', 'start');
    manager = await startScript(stack, 'manager.sh', /manager: serving/);
    equal((await getStatus(stack, '/')).status, 200);
    await stopChild(manager.child);
    script(stack, 'nats-server.sh', 'stop');
  });

  test(`a crash loop: ${CRASHES} crashes within a minute stop npm start with the log tail and exit code 1`, { timeout: 120_000 }, async () => {
    const crashing = await startScript(stack, 'start.sh', /Crashes: /, 110_000);
    npmStart = crashing;
    const exited = new Promise<number | null>((r) => crashing.child.once('exit', (code) => r(code)));
    for (let i = 0; i < CRASHES; i++) {
      const pid = await until(
        () => {
          const p = natsPid(stack);
          return p && alive(p) && !killed.has(p) ? p : 0;
        },
        60_000,
        `nats-server #${i + 1}`,
      );
      killed.add(pid);
      process.kill(pid, 'SIGKILL');
    }
    equal(await exited, 1, 'exit code');
    const out = crashing.output();
    ok(new RegExp(`${CRASHES} crashes within 60s; giving up`).test(out), out);
    ok(/Last lines of \S+nats-server\.log/.test(out), 'the log tail is printed');
    await rejectsConnection(stack);
  });
});

/** The manager no longer answers (its port is closed). */
async function rejectsConnection(stack: Stack): Promise<void> {
  const r = await getStatus(stack, '/').catch((e: Error) => ({ status: 0, error: e }));
  equal(r.status, 0, 'the manager server stopped too');
}
