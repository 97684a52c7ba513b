/**
 * End to end with the dev cluster: `npm start` (scripts/start.sh) with NATS_CLUSTER_SIZE=3 and
 * NATS_LEAF=1 on free ports — every node and the leaf started, reported and supervised — and the
 * manager page in Chromium showing the whole cluster, a killed node named missing in every widget
 * that shows servers, and back after the supervisor restarted it.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROME_PATH, chromiumArgs } from '../../scripts/chromium.mjs';
import { equal, ok, until } from '../support/assert.js';
import { ROOT } from '../support/nats-server.js';
import { cleanup, loadGenerated, nodeOfUser, script, serverPid, stackEnv, startScript, stopChild, type Stack } from '../support/stack.js';

const SHOTS = join(ROOT, 'test-results/screenshots');
let stack: Stack;
let npmStart: Awaited<ReturnType<typeof startScript>> | undefined;
let browser: Browser | undefined;

function alive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function page(): Promise<Page> {
  const context = await browser!.newContext({ viewport: { width: 1280, height: 900 } });
  const p = await context.newPage();
  const errors: string[] = [];
  p.on('pageerror', (e) => errors.push(e.message));
  p.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  (p as Page & { errors?: string[] }).errors = errors;
  await p.goto(stack.url);
  await p.getByLabel('User', { exact: true }).fill(stack.settings.NATS_MONITOR_USER!);
  await p.getByLabel('Password', { exact: true }).fill(stack.settings.NATS_MONITOR_PASSWORD!);
  await p.getByRole('button', { name: /log in/i }).click();
  return p;
}

/** The text a widget shows (its shadow root). */
function shadowText(p: Page, tag: string): Promise<string> {
  return p
    .locator(tag)
    .first()
    .evaluate((el) => (el.shadowRoot?.textContent ?? '').replace(/\s+/g, ' '));
}

describe(`dev cluster end to end (nats-server ${process.env.NATS_SERVER_BIN ?? 'default'})`, () => {
  before(async () => {
    stack = await stackEnv({ cluster: 3, leaf: true });
  });
  after(async () => {
    await browser?.close().catch(() => {});
    await stopChild(npmStart?.child, 'SIGINT');
    try {
      script(stack, 'nats-server.sh', 'stop');
    } catch {
      /* stopped already */
    }
    cleanup(stack);
  });

  test('npm start runs 3 nodes and a leaf, says so, and nats:status lists them all', { timeout: 180_000 }, async () => {
    npmStart = await startScript(stack, 'start.sh', /Crashes: /, 170_000);
    const out = npmStart.output();
    ok(/cluster nunect of 3 nodes and a leaf node/.test(out), out);
    loadGenerated(stack);
    for (const s of stack.servers) ok(alive(serverPid(s)), `${s.name} runs`);
    const status = script(stack, 'nats-server.sh', 'status');
    for (const s of stack.servers) ok(status.includes(`nats-server ${s.name} `), `${s.name} listed:\n${status}`);
    browser = await chromium.launch({ executablePath: CHROME_PATH, args: chromiumArgs({ spki: stack.spki }) });
  });

  test(
    'the page shows every server; a frozen node is named missing in every widget that shows servers, and back when it answers; a killed node is restarted and shown again',
    { timeout: 240_000 },
    async () => {
      const p = await page();
      const nodes = stack.servers.filter((s) => s.option[0] !== '--leaf');
      const serverWidgets = ['nunect-servers', 'nunect-varz', 'nunect-jsz', 'nunect-subsz', 'nunect-routez', 'nunect-accounts'];
      for (const tag of ['nunect-servers', 'nunect-varz', 'nunect-jsz']) {
        await until(
          async () => {
            const text = await shadowText(p, tag);
            return nodes.every((s) => text.includes(s.name));
          },
          30_000,
          `${tag} shows every node`,
        );
      }
      // The leaf is a server of its own (not of the cluster): the overview lists it too.
      const leaf = stack.servers.find((s) => s.option[0] === '--leaf');
      if (leaf) await until(async () => (await shadowText(p, 'nunect-servers')).includes(leaf.name), 30_000, 'the leaf is listed');

      // A node that stops answering while its process lives (SIGSTOP): the supervisor leaves it
      // alone, so the outage lasts until SIGCONT. Not the node the page is connected to.
      const pageNode = await until(() => nodeOfUser(stack, nodes, stack.settings.NATS_MONITOR_USER!), 15_000, "the page's node");
      const frozen = nodes.find((s) => s.name !== pageNode)!;
      const frozenPid = serverPid(frozen)!;
      process.kill(frozenPid, 'SIGSTOP');
      try {
        for (const tag of serverWidgets) {
          await until(
            async () => {
              const text = await shadowText(p, tag);
              return text.includes(frozen.name) && /not answering|no reply since/.test(text);
            },
            45_000,
            `${tag} names ${frozen.name} as not answering`,
          );
        }
        // The other nodes stay answering: no healthy node is marked. (The leaf answers through the
        // node it is linked to: when that is the frozen one, it cannot answer either.)
        const absentRows = await p
          .locator('nunect-servers')
          .evaluate((el) => [...el.shadowRoot!.querySelectorAll('tr.absent')].map((r) => r.textContent ?? ''));
        const absentNodes = absentRows.filter((text) => nodes.some((n) => text.includes(n.name) && !(leaf && text.includes(leaf.name))));
        equal(absentNodes.length, 1, `one node absent: ${absentRows.join(' | ')}`);
        ok(absentNodes[0]!.includes(frozen.name), absentNodes[0]);
      } finally {
        process.kill(frozenPid, 'SIGCONT');
      }
      for (const tag of serverWidgets) {
        await until(async () => !/not answering|no reply since/.test(await shadowText(p, tag)), 45_000, `${tag}: ${frozen.name} back`);
      }

      // kill -9: the supervisor restarts the node, the page shows it again without a command.
      const killed = nodes.find((s) => s.name !== pageNode && s.name !== frozen.name) ?? frozen;
      const before = serverPid(killed)!;
      const said = npmStart!.output().length;
      process.kill(before, 'SIGKILL');
      await until(() => /is back \(pid \d+\)/.test(npmStart!.output().slice(said)), 60_000, 'the supervisor restarted the node');
      ok(serverPid(killed) !== before, 'a new process');
      await until(
        async () => {
          const text = await shadowText(p, 'nunect-servers');
          return text.includes(killed.name) && !/not answering|no reply since/.test(text);
        },
        60_000,
        `${killed.name} back on the page`,
      );
      mkdirSync(SHOTS, { recursive: true });
      await p.screenshot({ path: join(SHOTS, 'cluster-manager-1280.png'), fullPage: true });
      // Chromium itself logs the refused WebSocket of the killed node's reconnect attempts.
      const errors = ((p as Page & { errors?: string[] }).errors ?? []).filter((e) => !/favicon|ERR_CONNECTION_REFUSED/.test(e));
      equal(errors.length, 0, `no page errors: ${errors.join('\n')}`);
    },
  );

  test('the units page logs in as dashboard: the units and their logs, from the Controller in OPS', { timeout: 60_000 }, async () => {
    const context = await browser!.newContext({ viewport: { width: 1280, height: 900 } });
    const p = await context.newPage();
    const errors: string[] = [];
    p.on('pageerror', (e) => errors.push(e.message));
    await p.goto(stack.url);
    await p.getByRole('link', { name: 'Units and logs' }).click();
    await p.getByLabel('User', { exact: true }).fill(stack.settings.NATS_DASHBOARD_USER!);
    await p.getByLabel('Password', { exact: true }).fill(stack.settings.NATS_DASHBOARD_PASSWORD!);
    await p.getByRole('button', { name: /log in/i }).click();
    for (const tag of ['nunect-units', 'nunect-log-tail']) {
      await p.waitForFunction((t) => (document.querySelector(t) as (Element & { state?: string }) | null)?.state === 'ready', tag, { timeout: 30_000 });
    }
    // The Controller says how it tells late and lost units (markers on 2.11+, its timer before).
    await until(async () => /markers|timer/i.test(await shadowText(p, 'nunect-units')), 15_000, 'the liveness line');
    mkdirSync(SHOTS, { recursive: true });
    await p.screenshot({ path: join(SHOTS, 'units-1280.png'), fullPage: true });
    equal(errors.length, 0, `no page errors: ${errors.join('\n')}`);
    await context.close();
  });

  test('Ctrl-C stops every node, the leaf and the manager', { timeout: 60_000 }, async () => {
    const pids = stack.servers.map((s) => serverPid(s));
    await stopChild(npmStart!.child, 'SIGINT');
    equal(npmStart!.child.exitCode, 0);
    for (const pid of pids) ok(!alive(pid), `pid ${pid} stopped`);
  });
});
