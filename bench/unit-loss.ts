/**
 * Loss detection, end to end: `npm start` (nats-server, the Controller, the manager), a unit run by
 * the nunect-guardian CLI with a 1 s heartbeat, the Units page in Chromium logged in as
 * `dashboard`. SIGKILL of the unit's process (the Guardian and its command), then the time until
 * the page shows it `late`, and `lost`. The Controller's bound is 5.5 heartbeats; on 2.11+ the
 * server pushes the expiry (per-message TTL markers), before 2.11 the Controller's timer does.
 *
 *   node --import tsx bench/unit-loss.ts [--runs 3] [--interval 1s] [--server BIN]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

import { chromium, type Page } from 'playwright-core';
import { CHROME_PATH, chromiumArgs } from '../scripts/chromium.mjs';
import { ROOT } from '../test/support/nats-server.js';
import { cleanup, loadGenerated, stackEnv, startScript, stopChild } from '../test/support/stack.js';

const argv = process.argv.slice(2);
const opt = (name: string, fallback: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1]! : fallback);
const runs = Number(opt('--runs', '3'));
const interval = opt('--interval', '1s');
if (argv.includes('--server')) process.env.NATS_SERVER_BIN = opt('--server', '');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const range = (xs: number[]) => `${Math.round(Math.min(...xs))}–${Math.round(Math.max(...xs))}`;

const stack = await stackEnv();
const npmStart = await startScript(stack, 'start.sh', /Crashes: /, 170_000);
loadGenerated(stack);
const unit = stack.settings.NATS_BRIDGE_UNIT || 'bridge-1';
const browser = await chromium.launch({ executablePath: CHROME_PATH, args: chromiumArgs({ spki: stack.spki }) });

/** The text of the unit's row on the page ('' while it is not listed). */
function rowText(page: Page): Promise<string> {
  return page.locator('nunect-units').evaluate((el, id) => {
    const row = [...(el.shadowRoot?.querySelectorAll('tbody tr') ?? [])].find((tr) => tr.textContent?.includes(id));
    return row?.textContent?.replace(/\s+/g, ' ') ?? '';
  }, unit);
}

async function until(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const end = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function startUnit(): ChildProcess {
  const args = ['--import', 'tsx', 'scripts/nunect-guardian.ts', '--unit', unit, '--user', stack.settings.NATS_BRIDGE_UNIT_USER!, '--interval', interval];
  args.push('--server', stack.wsUrl, '--ca', stack.env.NATS_TLS_CA!, '--', 'sleep', '600');
  return spawn('node', args, {
    cwd: ROOT,
    detached: true, // its own process group: the SIGKILL takes the command with it
    stdio: 'ignore',
    env: { ...process.env, NATS_PASSWORD: stack.settings.NATS_BRIDGE_UNIT_PASSWORD! },
  });
}

let child: ChildProcess | undefined;
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(new URL('units.html', stack.url).href);
  await page.getByLabel('User', { exact: true }).fill(stack.settings.NATS_DASHBOARD_USER!);
  await page.getByLabel('Password', { exact: true }).fill(stack.settings.NATS_DASHBOARD_PASSWORD!);
  await page.getByRole('button', { name: /log in/i }).click();
  const liveness = await page.locator('nunect-units').evaluate(async (el) => {
    for (let i = 0; i < 300 && !/markers|timer/.test(el.shadowRoot?.textContent ?? ''); i++) await new Promise((r) => setTimeout(r, 50));
    return /markers/.test(el.shadowRoot?.textContent ?? '') ? 'server-pushed markers' : 'the Controller timer';
  });
  const late: number[] = [];
  const lost: number[] = [];
  for (let i = 0; i < runs; i++) {
    child = startUnit();
    await until(async () => /\balive\b/.test(await rowText(page)), 30_000, 'alive');
    process.kill(-child.pid!, 'SIGKILL');
    const t0 = performance.now();
    await until(async () => /\b(late|lost)\b/.test(await rowText(page)), 60_000, 'late');
    late.push(performance.now() - t0);
    await until(async () => /\blost\b/.test(await rowText(page)), 60_000, 'lost');
    lost.push(performance.now() - t0);
    child = undefined;
  }
  const version = /nats-server (\S+)/.exec(npmStart.output())?.[1] ?? '?';
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  console.log(`nats-server ${version}, heartbeat ${interval}, liveness by ${liveness}, ${runs} runs (load ${load})`);
  console.log(`SIGKILL → late on the page   median ${Math.round(median(late))} ms (${range(late)})`);
  console.log(`SIGKILL → lost on the page   median ${Math.round(median(lost))} ms (${range(lost)}); bound 5.5 heartbeats`);
} finally {
  if (child?.pid) process.kill(-child.pid, 'SIGKILL');
  await browser.close();
  await stopChild(npmStart.child, 'SIGINT');
  cleanup(stack);
}
