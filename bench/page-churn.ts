/**
 * The whole manager page under real churn: a real nats-server (free ports, stopped by PID) with
 * `--connections` idle clients, the built page in headless Chromium logged in as the system
 * account's user, every widget refreshing every `--interval` ms (connz `--rows` a page); then
 * `--conns-per-second` short client lives for `--seconds` (1 in 20 with a wrong password: real
 * CONNECT, DISCONNECT, CLIENT.AUTH.ERR and account CONNS events for the event log).
 *
 * Measured per run, from a Chromium trace of the churn and the 2 s after it: the renderer main
 * thread's tasks — longest (wall and CPU time: on a busy machine a task's wall time includes time
 * the thread was descheduled), count over 50 ms, busy share — and the three longest explained;
 * the in-page `longtask` entries as a cross-check; and the event log's received count, which must
 * equal what a Node subscriber on the same subjects counted (else exit 1).
 *
 *   node --import tsx bench/page-churn.ts [--connections 1000] [--conns-per-second 200] [--seconds 10]
 *     [--runs 3] [--interval 1000] [--rows 50] [--server BIN]
 * Needs the built page (npm run build:manager; `npm run bench:page-churn` builds it).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { connect } from '../client/node.js';
import { EVENT_SUBJECTS } from '../components/event-log/parse-event.js';
import { makeCerts, TestNatsServer } from '../test/support/nats-server.js';
import { generate } from './churn.js';
import { idleClients, logIn, openManagerPage } from './manager-page.js';
import { mainThread, TARGET_TASK_MS } from './trace.js';

const { values: opts } = parseArgs({
  options: {
    connections: { type: 'string', default: '1000' },
    'conns-per-second': { type: 'string', default: '200' },
    seconds: { type: 'string', default: '10' },
    runs: { type: 'string', default: '3' },
    interval: { type: 'string', default: '1000' },
    rows: { type: 'string', default: '50' },
    server: { type: 'string' },
  },
});
const CONNECTIONS = Number(opts.connections);
const RATE = Number(opts['conns-per-second']);
const SECONDS = Number(opts.seconds);
const RUNS = Number(opts.runs);
const INTERVAL = Number(opts.interval);
const ROWS = Number(opts.rows);
const log = (s: string) => console.error(`bench:page-churn: ${s}`);
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

const certDir = mkdtempSync(join(tmpdir(), 'nunect-bench-certs-'));
const certs = makeCerts(certDir);
const nats = await TestNatsServer.start({ bin: opts.server, certDir });
let failed = false;
try {
  log(`nats-server ${nats.info.version}; ${cpus().length} cores; ${CONNECTIONS} idle clients`);
  const idle = await idleClients(nats, CONNECTIONS);
  const oracle = await connect({
    servers: nats.info.wsUrl,
    ca: nats.info.ca,
    user: nats.info.users.SYS.user,
    pass: nats.info.users.SYS.pass,
    name: 'bench-oracle',
  });
  let counted = 0;
  for (const s of EVENT_SUBJECTS) oracle.subscribe(s, { onMessage: () => counted++ });
  await oracle.flush();
  const { page, close } = await openManagerPage(nats, certs);
  try {
    await logIn(page, nats);
    await page.locator('nunect-varz').getByText(nats.info.name).first().waitFor({ timeout: 20_000 });
    await page.evaluate(
      ([interval, rows]) => {
        for (const el of document.querySelectorAll('*'))
          if (el.tagName.startsWith('NUNECT-') && 'interval' in el)
            Object.assign(el, { interval, ...(el.tagName === 'NUNECT-CONNZ' ? { pageSize: rows } : {}) });
        const w = window as unknown as { __long: number[] };
        w.__long = [];
        new PerformanceObserver((l) => w.__long.push(...l.getEntries().map((e) => e.duration))).observe({ type: 'longtask' });
      },
      [INTERVAL, ROWS],
    );
    const received = () => page.locator('nunect-event-log').evaluate((el) => Number((el as HTMLElement & { received?: number }).received ?? NaN));
    await page.waitForTimeout(3_000); // warm-up: every widget's first data, rates
    const widgets = await page.evaluate(() =>
      [...document.querySelectorAll('*')].filter((e) => e.tagName.startsWith('NUNECT-') && 'interval' in e).map((e) => e.tagName.toLowerCase()),
    );
    log(`widgets refreshing every ${INTERVAL} ms: ${widgets.join(', ')}`);
    const results: Array<{ load: string; lives: number; exact: boolean; shown: number; counted: number; t: ReturnType<typeof mainThread>; long: number[] }> =
      [];
    for (let run = 0; run < RUNS; run++) {
      const before = load();
      const shown0 = await received();
      const counted0 = counted;
      await page.evaluate(() => ((window as unknown as { __long: number[] }).__long = []));
      await page
        .context()
        .browser()!
        .startTracing(page, { categories: ['disabled-by-default-devtools.timeline', 'devtools.timeline', 'toplevel'] });
      const lives = await generate(nats.info, RATE, SECONDS, 50);
      await oracle.flush();
      await page.waitForTimeout(2_000);
      const trace = await page.context().browser()!.stopTracing();
      const long = await page.evaluate(() => (window as unknown as { __long: number[] }).__long);
      const t = mainThread(trace, `run ${run + 1}`, log);
      // The log counts events as its frames flush: wait for it to catch up with the oracle (or 10 s).
      let shown = (await received()) - shown0;
      for (let i = 0; i < 100 && shown < counted - counted0; i++) {
        await page.waitForTimeout(100);
        shown = (await received()) - shown0;
      }
      results.push({ load: before, lives, exact: shown === counted - counted0, shown, counted: counted - counted0, t, long });
    }
    console.log(
      `nats-server ${nats.info.version}, the whole manager page (${widgets.length} refreshing widgets, every ${INTERVAL} ms, connz ${ROWS} a page), ${CONNECTIONS} idle clients, ${RATE} client lives/s for ${SECONDS} s; ${cpus().length} cores`,
    );
    for (const [i, r] of results.entries()) {
      console.log(
        `run ${i + 1} (load ${r.load}): ${r.lives} lives; event log ${r.shown} of ${r.counted} events (${r.exact ? 'exact' : 'WRONG'}); ` +
          `longest task ${r.t.taskMaxMs} ms wall / ${r.t.taskCpuMaxMs} ms CPU; over ${TARGET_TASK_MS} ms: ${r.t.tasksOver50} wall, ${r.t.tasksCpuOver50} CPU, of ${r.t.tasks}; ` +
          `p95 ${r.t.taskP95Ms} ms; busy ${r.t.busyPct} %; longtask entries ${r.long.length}${r.long.length ? ` (longest ${Math.round(Math.max(...r.long))} ms)` : ''}`,
      );
      if (!r.exact) failed = true;
    }
  } finally {
    await close();
    await oracle.close();
    await Promise.all(idle.map((c) => c.close()));
  }
} finally {
  await nats.stop();
  rmSync(certDir, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
