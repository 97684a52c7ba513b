/**
 * The dev cluster as `npm start` runs it (NATS_CLUSTER_SIZE=3): how long until the manager page
 * shows all 3 servers after login, side by side with `nats server list` (the nats CLI, a test tool)
 * in the same run; and how long a server that stops answering and comes back (SIGSTOP, SIGCONT:
 * the supervisor leaves it alone) takes to show again, against the poll interval.
 *
 *   node --import tsx bench/cluster-servers.ts [--runs 3] [--server BIN]
 *
 * Needs the nats CLI (scripts/install-test-deps.sh builds it with go install).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { chromium, type Page } from 'playwright-core';
import { CHROME_PATH, chromiumArgs } from '../scripts/chromium.mjs';
import { cachedBinary, NATSCLI_VERSION } from '../scripts/versions.mjs';
import { cleanup, loadGenerated, nodeOfUser, serverPid, stackEnv, startScript, stopChild } from '../test/support/stack.js';

const argv = process.argv.slice(2);
const opt = (name: string, fallback: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1]! : fallback);
const runs = Number(opt('--runs', '3'));
if (argv.includes('--server')) process.env.NATS_SERVER_BIN = opt('--server', '');
const cli = cachedBinary('nats', NATSCLI_VERSION);
if (!existsSync(cli)) throw new Error(`the nats CLI is not built (${cli}): bash scripts/install-test-deps.sh`);
const run = promisify(execFile);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const range = (xs: number[]) => `${Math.round(Math.min(...xs))}–${Math.round(Math.max(...xs))}`;

const stack = await stackEnv({ cluster: 3 });
const npmStart = await startScript(stack, 'start.sh', /Crashes: /, 170_000);
loadGenerated(stack);
const nodes = stack.servers;
const user = stack.settings.NATS_MONITOR_USER!;
const pass = stack.settings.NATS_MONITOR_PASSWORD!;
const browser = await chromium.launch({ executablePath: CHROME_PATH, args: chromiumArgs({ spki: stack.spki }) });

/** Whether `<nunect-servers>` lists every node and marks none absent. */
function allShown(page: Page): Promise<boolean> {
  return page.locator('nunect-servers').evaluate(
    (el, names) => {
      const root = el.shadowRoot;
      if (!root || root.querySelector('tr.absent')) return false;
      const text = root.textContent ?? '';
      return names.every((n) => text.includes(n));
    },
    nodes.map((s) => s.name),
  );
}

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const end = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

try {
  const pageMs: number[] = [];
  /** The same, seen in the page: the first animation frame that shows all servers (the bench's own polling lags). */
  const pageFrameMs: number[] = [];
  const breakdown: Array<{ firstFrame: number; frames: number; firstShown: number; longTasks: number; longTotal: number; longMax: number; marks: string[] }> =
    [];
  const cliMs: number[] = [];
  const cliExpectMs: number[] = [];
  const cliArgs = [
    '--server',
    nodes[0]!.natsUrl,
    '--user',
    user,
    '--password',
    pass,
    '--tlsca',
    stack.env.NATS_TLS_CA!,
    '--inbox-prefix',
    `_INBOX_${user}`,
    'server',
    'list',
  ];
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(stack.url);
    await page.getByLabel('User', { exact: true }).fill(user);
    await page.getByLabel('Password', { exact: true }).fill(pass);
    // Where the time goes: WebSocket frames (when they reach the page), long tasks, first server shown.
    const frames: number[] = [];
    page.on('websocket', (ws) => ws.on('framereceived', () => frames.push(performance.now())));
    // A string, not a function: tsx would wrap the page's named functions in its own helper.
    await page.evaluate(`(() => {
      window.__long = [];
      window.__marks = [];
      new PerformanceObserver((l) => window.__long.push(...l.getEntries().map((e) => e.duration))).observe({ type: 'longtask' });
      const names = ${JSON.stringify(nodes.map((n) => n.name))};
      // Every frame after the click: when does the page first show one server, and all of them?
      const frame = () => {
        const root = document.querySelector('nunect-servers').shadowRoot;
        const text = root?.textContent ?? '';
        const t = Math.round(performance.now() - window.__t0);
        if (window.__firstShown === undefined && names.some((n) => text.includes(n))) window.__firstShown = t;
        if (names.every((n) => text.includes(n)) && !root.querySelector('tr.absent')) window.__allShown = t;
        else requestAnimationFrame(frame);
      };
      document.addEventListener('click', () => ((window.__t0 = performance.now()), requestAnimationFrame(frame)), { capture: true, once: true });
      document.addEventListener('nunect-login', () => window.__marks.push('logged in ' + Math.round(performance.now() - window.__t0)));
      document.querySelector('nunect-servers').addEventListener('nunect-state-change', (e) =>
        window.__marks.push('servers ' + e.detail.state + ' ' + Math.round(performance.now() - window.__t0)),
      );
    })()`);
    const t0 = performance.now();
    await page.getByRole('button', { name: /log in/i }).click();
    let firstShown: number | undefined;
    await until(async () => {
      if (firstShown === undefined && (await page.locator('nunect-servers').evaluate((el) => !!el.shadowRoot?.querySelector('tbody tr:not(.empty-row)')))) {
        firstShown = performance.now() - t0;
      }
      return allShown(page);
    }, 30_000);
    pageMs.push(performance.now() - t0);
    const long = await page.evaluate(() => (window as unknown as { __long: number[] }).__long);
    const marks = await page.evaluate(() => (window as unknown as { __marks: string[] }).__marks);
    const inPage = (await page.evaluate('({ first: window.__firstShown, all: window.__allShown })')) as { first: number; all: number };
    pageFrameMs.push(inPage.all);
    marks.push(`one server in a frame ${inPage.first}`, `all in a frame ${inPage.all}`);
    breakdown.push({
      firstFrame: (frames[0] ?? NaN) - t0,
      frames: frames.filter((f) => f - t0 <= pageMs.at(-1)!).length,
      firstShown: firstShown ?? NaN,
      longTasks: long.length,
      longTotal: long.reduce((a, b) => a + b, 0),
      longMax: Math.max(0, ...long),
      marks,
    });
    await context.close();

    let t = performance.now();
    const { stdout } = await run(cli, cliArgs);
    cliMs.push(performance.now() - t);
    if (!nodes.every((s) => stdout.includes(s.name))) throw new Error(`nats server list did not list every node:\n${stdout}`);
    t = performance.now();
    await run(cli, [...cliArgs, String(nodes.length)]);
    cliExpectMs.push(performance.now() - t);
  }

  // A server that comes back: from SIGCONT to shown again, with the page open all along.
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(stack.url);
  await page.getByLabel('User', { exact: true }).fill(user);
  await page.getByLabel('Password', { exact: true }).fill(pass);
  await page.getByRole('button', { name: /log in/i }).click();
  await until(() => allShown(page), 30_000);
  const interval = await page.locator('nunect-servers').evaluate((el) => (el as HTMLElement & { interval: number }).interval);
  const backMs: number[] = [];
  // Not the node the page is connected to (the page would freeze with it).
  let pageNode: string | undefined;
  for (let i = 0; i < 100 && !pageNode; i++) pageNode = await nodeOfUser(stack, nodes, user);
  const frozen = nodes.find((s) => s.name !== pageNode)!;
  for (let i = 0; i < runs; i++) {
    const pid = serverPid(frozen)!;
    process.kill(pid, 'SIGSTOP');
    await until(() => page.locator('nunect-servers').evaluate((el) => !!el.shadowRoot?.querySelector('tr.absent')), 60_000);
    const t = performance.now();
    process.kill(pid, 'SIGCONT');
    await until(() => allShown(page), 60_000);
    backMs.push(performance.now() - t);
  }
  await context.close();

  const load = (await import('node:fs')).readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  console.log(`3-node dev cluster, ${runs} runs (load ${load})`);
  console.log(`all 3 servers shown after login (in page) median ${Math.round(median(pageFrameMs))} ms (${range(pageFrameMs)}), from the click`);
  console.log(`  (seen by this bench's polling          median ${Math.round(median(pageMs))} ms (${range(pageMs)}))`);
  for (const [i, b] of breakdown.entries()) {
    console.log(
      `  run ${i + 1}: first WebSocket frame ${Math.round(b.firstFrame)} ms, ${b.frames} frames until all shown; a server first shown ${Math.round(b.firstShown)} ms; long tasks ${b.longTasks} (${Math.round(b.longTotal)} ms, longest ${Math.round(b.longMax)} ms); in the page (ms): ${b.marks.join(', ')}`,
    );
  }
  console.log(`nats server list (waits for its timeout) median ${Math.round(median(cliMs))} ms (${range(cliMs)})`);
  console.log(`nats server list 3 (stops at 3 replies)  median ${Math.round(median(cliExpectMs))} ms (${range(cliExpectMs)})`);
  console.log(`a returning server shown again           median ${Math.round(median(backMs))} ms (${range(backMs)}); poll interval ${interval} ms`);
} finally {
  await browser.close();
  await stopChild(npmStart.child, 'SIGINT');
  cleanup(stack);
}
