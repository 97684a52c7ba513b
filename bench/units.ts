/**
 * The "units" issue under load, against a real nats-server (test/support/nats-server.ts: free
 * ports, its own certificates, stopped by PID), with the real Controller (scripts/controller.ts in
 * its own child process, so its CPU and memory are its own) and the real widgets in headless
 * Chromium (puppeteer-core, /usr/bin/chromium, trusting the server certificate by its SPKI),
 * logged in as the OPS account's read-only `dashboard` user. Three phases, each on a fresh server:
 *
 * 1. `units`: `--units` Guardians (client/guardian-node.ts `startGuardian`, the library, with a
 *    `db` check and the NATS service) at `--interval`, in ONE child Node process (this file with
 *    `--guardians-child`) on `--connections` wss connections (the full-rights BRIDGE, ENGINE and
 *    PROVISION users, round robin; default one connection per Guardian), started spread over one
 *    interval, at `--load-nice` (default 10: the load generator yields the 2 cores to what is
 *    measured; 1,000 units do not run on the dashboard's machine in production; `--pin-browser`
 *    puts Chromium alone on core 0 and everything else on the other cores). Measured: registry lag — for every KV update of OPS_UNITS delivered to a watcher (the
 *    dashboard user, in this process), the time since the Guardian sent that heartbeat (its `time`,
 *    seen by an OPS subscriber on `*.ops.health.*`), and every second the age of each alive unit's
 *    last heartbeat in the registry (now − `lastBeat`); the Controller's CPU (% of one core, from
 *    /proc/<pid>/stat) and memory (VmRSS, VmHWM); then `<nunect-units>`: login → all units in the
 *    DOM, and during `--seconds` of updates a Chromium trace: longest main-thread task, tasks over
 *    50 ms, busy share (plus PerformanceObserver `longtask` entries as a cross-check).
 * 2. `loss`: `--kill-runs` times, the nunect-guardian CLI (scripts/nunect-guardian.ts, its own
 *    process group, as the least-privilege `bridge-unit` user, which may only speak for unit
 *    `bridge-1`) runs `node -e …`; once the page shows it alive (plus a random 0–1 interval), it is
 *    killed with SIGKILL (then its orphaned command, by process group) and the page is watched
 *    (MutationObserver) for `late` and `lost` on the unit's row: time from the kill to each.
 * 3. `logs`: `--log-rate` records/s for `--log-seconds` (client/logger.ts `createLogger`, as the
 *    `bridge-unit` user, unit bridge-1, on ops.log.<level>.bridge-1 → OPS_LOGS via the OPS import)
 *    while `<nunect-log-tail>` follows: its "received" count must equal the records published and
 *    the records OPS_LOGS stored, exactly (else exit 1); longest main-thread task from a trace.
 *    The tail opens, as it is used, with history: `--log-history` records (the widget's default
 *    200) are logged before the page opens; with 0 it opens on an empty stream, and the window
 *    then also holds the first render of its table.
 *
 * Usage: node --import tsx bench/units.ts [--server BIN] [--phases units,loss,logs] [--units 1000]
 *          [--connections 1000] [--interval 1000] [--load-nice 10] [--pin-browser] [--seconds 15] [--kill-runs 5]
 *          [--log-rate 5000] [--log-seconds 10] [--log-history 200] [--json]
 * Every server, child process and the browser are stopped on success, failure and SIGINT/SIGTERM.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { cpus, loadavg, setPriority, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import puppeteer, { type Browser } from 'puppeteer-core';
import { jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { connect, createLogger, userInboxPrefix, type NunectClient } from '../client/node.js';
import { startGuardian, type Guardian } from '../client/guardian-node.js';
import { CONTROLLER_KEY, lateAfter, lostAfter, OPS, type UnitRecord } from '../client/units.js';
import { makeCerts, TestNatsServer } from '../test/support/nats-server.js';
import { mainThread, round1, stats, type Stats } from './trace.js';
import { bundlePage, servePage } from './page-bundle.js';
import { CHROME_PATH, chromiumArgs } from '../scripts/chromium.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (...a: unknown[]) => console.error(...a);
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

/**
 * `--pin-browser`: Chromium and every process it has (and starts later) on core 0, this process
 * and all it starts from now on (nats-server, the Controller, the Guardians) on the others: the
 * dashboard as on its own one-core machine, without the backbone competing for its core.
 */
function pinCores(browserPid: number, self: number): void {
  const cores = cpus().length;
  if (cores < 2) throw new Error('--pin-browser needs 2 cores or more');
  const children = (pid: number): number[] => {
    const out: number[] = [];
    for (const d of readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
      try {
        if (Number(readFileSync(`/proc/${d}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]) === pid) out.push(Number(d), ...children(Number(d)));
      } catch {
        /* gone */
      }
    }
    return out;
  };
  for (const pid of [browserPid, ...children(browserPid)]) execFileSync('taskset', ['-a', '-p', '-c', '0', String(pid)], { stdio: 'ignore' });
  execFileSync('taskset', ['-a', '-p', '-c', `1-${cores - 1}`, String(self)], { stdio: 'ignore' });
  log(`pinned: Chromium on core 0, the backbone and the bench on cores 1-${cores - 1}`);
}

// ---------------------------------------------------------------------------------------------
// The Guardians' child process: `--guardians-child`, its settings as JSON in BENCH_UNITS_CHILD.

interface ChildSettings {
  wsUrl: string;
  ca: string;
  users: Array<{ user: string; pass: string; account: string }>;
  units: number;
  connections: number;
  interval: number;
  nice: number;
}

async function guardiansChild(): Promise<void> {
  const s = JSON.parse(process.env.BENCH_UNITS_CHILD!) as ChildSettings;
  // The load generator yields to what is measured: in production 1,000 units do not run on the dashboard's machine.
  if (s.nice) setPriority(s.nice);
  const clients: NunectClient[] = [];
  const guardians: Guardian[] = [];
  const t0 = performance.now();
  for (let i = 0; i < s.connections; i += 50) {
    const batch = Array.from({ length: Math.min(50, s.connections - i) }, (_, j) => {
      const who = s.users[(i + j) % s.users.length]!;
      return connect({ servers: s.wsUrl, ca: s.ca, user: who.user, pass: who.pass, name: `bench-units-${i + j}`, timeout: 30_000 });
    });
    clients.push(...(await Promise.all(batch)));
  }
  const connected = performance.now() - t0;
  // Spread over one interval, so the heartbeats do not all leave in the same millisecond.
  const starts: Promise<void>[] = [];
  for (let i = 0; i < s.units; i++) {
    const c = i % clients.length;
    const account = s.users[c % s.users.length]!.account;
    const unit = `${account[0]}${String(i).padStart(4, '0')}`;
    starts.push(
      sleep((i / s.units) * s.interval).then(async () => {
        guardians.push(
          await startGuardian(clients[c]!, {
            unit,
            kind: account,
            version: i % 50 === 7 ? '1.1.0' : '1.0.0',
            interval: s.interval,
            checks: { db: () => {} },
          }),
        );
      }),
    );
  }
  await Promise.all(starts);
  process.stdout.write(`ready ${guardians.length} guardians on ${clients.length} connections; connects ${connected.toFixed(0)} ms\n`);
  process.on('SIGTERM', () => {
    const cpu = process.cpuUsage();
    process.stdout.write(`cpu ${((cpu.user + cpu.system) / 1000 / (performance.now() - t0)) * 100} rss ${process.memoryUsage().rss}\n`);
    process.exit(0);
  });
}

// ---------------------------------------------------------------------------------------------
// The bench

async function main(): Promise<void> {
  const { values: opts } = parseArgs({
    options: {
      server: { type: 'string' },
      phases: { type: 'string', default: 'units,loss,logs' },
      units: { type: 'string', default: '1000' },
      connections: { type: 'string' },
      interval: { type: 'string', default: '1000' },
      'load-nice': { type: 'string', default: '10' },
      'pin-browser': { type: 'boolean', default: false },
      seconds: { type: 'string', default: '15' },
      'kill-runs': { type: 'string', default: '5' },
      'log-rate': { type: 'string', default: '5000' },
      'log-seconds': { type: 'string', default: '10' },
      'log-history': { type: 'string', default: '200' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (opts.help) {
    console.log(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('*/')[0]);
    process.exit(0);
  }
  const UNITS = Number(opts.units);
  const CONNECTIONS = Math.min(UNITS, Number(opts.connections ?? opts.units));
  const INTERVAL = Number(opts.interval);
  const LOAD_NICE = Math.max(0, Math.min(19, Number(opts['load-nice']) || 0));
  const SECONDS = Number(opts.seconds);
  const KILL_RUNS = Number(opts['kill-runs']);
  const LOG_RATE = Number(opts['log-rate']);
  const LOG_SECONDS = Number(opts['log-seconds']);
  const LOG_HISTORY = Math.max(0, Number(opts['log-history']) || 0);
  const phases = new Set(opts.phases.split(','));
  for (const [k, v] of Object.entries({ UNITS, CONNECTIONS, INTERVAL, SECONDS, KILL_RUNS, LOG_RATE, LOG_SECONDS })) {
    if (!Number.isFinite(v) || v <= 0) throw new Error(`bad option ${k}: ${v}`);
  }

  // Everything to clean up, whatever happens.
  const dir = mkdtempSync(join(tmpdir(), 'nunect-units-bench-'));
  const servers: TestNatsServer[] = [];
  const children = new Set<ChildProcess>();
  const groups = new Set<number>();
  const clients: NunectClient[] = [];
  let browser: Browser | undefined = undefined;
  let http: Server | undefined = undefined;
  let cleaned = false;
  const cleanup = async () => {
    if (cleaned) return;
    cleaned = true;
    for (const pid of groups) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await Promise.all(clients.map((c) => c.close().catch(() => {})));
    await browser?.close().catch(() => {});
    http?.close();
    for (const s of servers) await s.stop().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  };
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.on(sig, () => {
      log(`${sig}: cleaning up`);
      void cleanup().finally(() => process.exit(130));
    });
  }

  const certDir = join(dir, 'certs');
  const { spki } = makeCerts(certDir);
  const caFile = join(certDir, 'ca.pem');

  async function startServer(): Promise<TestNatsServer> {
    const s = await TestNatsServer.start({ certDir, ...(opts.server ? { bin: opts.server } : {}) });
    servers.push(s);
    return s;
  }
  async function stopServer(s: TestNatsServer): Promise<void> {
    await s.stop();
    servers.splice(servers.indexOf(s), 1);
  }
  async function as(s: TestNatsServer, who: { user: string; pass: string }, restricted: boolean): Promise<NunectClient> {
    const c = await connect({
      servers: s.info.wsUrl,
      ca: s.info.ca,
      user: who.user,
      pass: who.pass,
      ...(restricted ? { inboxPrefix: userInboxPrefix(who.user) } : {}),
      timeout: 20_000,
    });
    clients.push(c);
    return c;
  }

  /** A child process whose output is kept (last 200 lines) and can be waited on. */
  function child(name: string, args: string[], env: NodeJS.ProcessEnv, detached = false) {
    const c = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached });
    children.add(c);
    if (detached && c.pid) groups.add(c.pid);
    const lines: string[] = [];
    const waiters: Array<{ re: RegExp; ok: (l: string) => void }> = [];
    const take = (d: Buffer) => {
      for (const l of d.toString('utf8').split('\n').filter(Boolean)) {
        lines.push(l);
        if (lines.length > 200) lines.shift();
        for (const w of [...waiters])
          if (w.re.test(l)) {
            waiters.splice(waiters.indexOf(w), 1);
            w.ok(l);
          }
      }
    };
    c.stdout!.on('data', take);
    c.stderr!.on('data', take);
    const exited = new Promise<void>((r) => c.once('exit', () => r()));
    return {
      proc: c,
      lines,
      exited,
      waitFor: (re: RegExp, ms: number) =>
        new Promise<string>((ok, fail) => {
          const hit = lines.find((l) => re.test(l));
          if (hit) return ok(hit);
          const t = setTimeout(() => fail(new Error(`${name}: no ${re} within ${ms} ms; its output:\n${lines.join('\n')}`)), ms);
          c.once('exit', (code, sig) => fail(new Error(`${name} exited (${code ?? sig}); its output:\n${lines.join('\n')}`)));
          waiters.push({ re, ok: (l) => (clearTimeout(t), ok(l)) });
        }),
      stop: async () => {
        if (c.exitCode === null && c.signalCode === null) {
          c.kill('SIGTERM');
          const t = setTimeout(() => c.kill('SIGKILL'), 5_000);
          await exited;
          clearTimeout(t);
        }
        children.delete(c);
      },
    };
  }

  async function startController(s: TestNatsServer) {
    const env = { ...process.env };
    delete env.NATS_AUTH_MODE;
    const ctl = child('controller', ['--import', 'tsx', join(ROOT, 'scripts/controller.ts')], {
      ...env,
      NATS_CONTROLLER_USER: s.info.roles.controller.user,
      NATS_CONTROLLER_PASSWORD: s.info.roles.controller.pass,
      NATS_MANAGER_WS_URL: s.info.wsUrl,
      NATS_TLS_CA: caFile,
    });
    await ctl.waitFor(/controller: ready/, 30_000);
    return ctl;
  }

  // The page ----------------------------------------------------------------------------------
  const PAGE = String.raw`
import '../components/provider/define.js';
import '../components/units/define.js';
import '../components/log-tail/define.js';
let el;
window.__mount = async ({ tag, url, user, pass }) => {
  document.body.replaceChildren();
  const provider = document.createElement('nunect-provider');
  provider.server = url;
  el = document.createElement(tag);
  provider.append(el);
  document.body.append(provider);
  // Counts the widget's updates (render + commit) and their time.
  window.__upd = { n: 0, ms: 0, max: 0 };
  const update = el.update.bind(el);
  el.update = (c) => { const t = performance.now(); update(c); const d = performance.now() - t; window.__upd.n++; window.__upd.ms += d; window.__upd.max = Math.max(window.__upd.max, d); };
  await provider.updateComplete;
  window.__t0 = performance.now();
  await provider.login({ user, pass });
  for (let i = 0; i < 200 && el.state !== 'ready'; i++) await new Promise((r) => setTimeout(r, 50));
  return el.state;
};
/**
 * ms from the login call until the widget shows n units (in state), checked every frame. From
 * 100 units on only the rows in view are in the DOM: count what the widget renders from (its
 * units, redrawn at most once a frame) once a frame has passed.
 */
window.__waitRows = (n, state, timeout) =>
  new Promise((ok) => {
    const check = () => {
      const r = el.units.filter((u) => !state || u.state === state).length;
      if (r >= n) return ok({ ms: performance.now() - window.__t0, rows: r });
      if (performance.now() - window.__t0 > timeout) return ok({ ms: -1, rows: r });
      requestAnimationFrame(check);
    };
    check();
  });
window.__rowState = (key) => el.shadowRoot?.querySelector('tr.unit[data-key="' + key + '"]')?.dataset.state ?? '';
/** Records each change of a unit's row state with Date.now() (a MutationObserver on the shadow root). */
window.__follow = (key) => {
  const seen = [{ state: window.__rowState(key), t: Date.now() }];
  const mo = new MutationObserver(() => {
    const s = window.__rowState(key);
    if (s !== seen.at(-1).state) seen.push({ state: s, t: Date.now() });
  });
  mo.observe(el.shadowRoot, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state'] });
  window.__followed = { seen, mo };
};
window.__followed = undefined;
window.__seen = () => window.__followed.seen;
window.__unfollow = () => window.__followed?.mo.disconnect();
window.__received = () => {
  const t = el.shadowRoot?.querySelector('[part="counts"]')?.textContent?.replace(/\s+/g, ' ') ?? '';
  const m = /([\d.,\u00a0\u202f ]+) received/.exec(t);
  return m ? Number(m[1].replace(/[^\d]/g, '')) : -1;
};
window.__countsText = () => el.shadowRoot?.querySelector('[part="counts"]')?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
window.__updates = () => ({ ...window.__upd });
window.__longtasks = () => {
  const w = { entries: [] };
  w.po = new PerformanceObserver((l) => { for (const e of l.getEntries()) w.entries.push(e.duration); });
  w.po.observe({ type: 'longtask' });
  window.__lt = w;
};
window.__longtasksStop = () => { window.__lt.po.disconnect(); return window.__lt.entries; };
`;
  await bundlePage(dir, { entry: PAGE, sourcefile: 'units-page.ts', loader: 'ts', title: 'units bench' });
  const served = await servePage(dir);
  http = served.server;
  const pageUrl = served.url;
  // A saturated page answers late: calls that may wait on it are bounded by `callT`.
  browser = await puppeteer.launch({ executablePath: CHROME_PATH, headless: true, protocolTimeout: 600_000, args: chromiumArgs({ spki, headless: true }) });
  if (opts['pin-browser']) pinCores(browser.process()!.pid!, process.pid);
  const page = await browser.newPage();
  await page.setViewport({ width: 1400, height: 900 });
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  // A server stopped between phases leaves the page reconnecting: those refusals are expected.
  page.on('console', (m) => m.type() === 'error' && !/ERR_CONNECTION_REFUSED/.test(m.text()) && pageErrors.push(m.text()));
  type W = Record<string, (...a: never[]) => unknown>;
  const call = <T>(fn: string, ...args: unknown[]) => page.evaluate((f, a) => (window as unknown as W)[f]!(...(a as never[])), fn, args) as Promise<T>;
  /** `call`, or undefined when the page has not answered within `ms` (its main thread is saturated). */
  const callT = <T>(ms: number, fn: string, ...args: unknown[]) => Promise.race([call<T>(fn, ...args), sleep(ms).then(() => undefined)]).catch(() => undefined);
  async function mount(s: TestNatsServer, tag: string): Promise<void> {
    await page.goto(pageUrl, { waitUntil: 'load' });
    await page.waitForFunction(() => typeof (window as unknown as W).__mount === 'function');
    const d = s.info.roles.dashboard;
    const state = await call<string>('__mount', { tag, url: s.info.wsUrl, user: d.user, pass: d.pass });
    if (state !== 'ready') throw new Error(`${tag} is ${state}, not ready: ${pageErrors.join('\n')}`);
  }

  const out: Record<string, unknown> = { server: opts.server ?? 'default', browser: await browser.version() };
  let exact = true;
  try {
    // 1. 1,000 Guardians ------------------------------------------------------------------------
    if (phases.has('units')) {
      const s = await startServer();
      log(
        `units: nats-server ${s.info.version}; ${UNITS} Guardians at ${INTERVAL} ms on ${CONNECTIONS} connections, their process at nice ${LOAD_NICE} (load ${load()})`,
      );
      const ctl = await startController(s);
      // The oracles: heartbeats as OPS sees them, and the registry as the dashboard user reads it.
      const sent = new Map<string, number>();
      const ops = await as(s, s.info.users.OPS, false);
      ops.subscribe(OPS.heartbeats, {
        onMessage: (m) => {
          const t = m.subject.split('.');
          const hb = m.json<{ seq: number; time: string }>();
          sent.set(`${t[0]}.${t.at(-1)}:${hb.seq}`, Date.parse(hb.time));
        },
      });
      const registry = new Map<string, UnitRecord>();
      let measuring = false;
      const lags: number[] = [];
      let updates = 0;
      let unmatched = 0;
      const kv = await new Kvm((await as(s, s.info.roles.dashboard, true)).nc).open(OPS.registry);
      const watch = await kv.watch();
      void (async () => {
        for await (const e of watch) {
          if (e.operation !== 'PUT' || e.key === CONTROLLER_KEY) continue;
          const r = e.json<UnitRecord>();
          registry.set(e.key, r);
          if (!measuring) continue;
          updates++;
          const at = sent.get(`${e.key}:${r.seq}`);
          if (at === undefined) unmatched++;
          else lags.push(Date.now() - at);
          sent.delete(`${e.key}:${r.seq}`);
        }
      })();
      const g = child('guardians', ['--import', 'tsx', fileURLToPath(import.meta.url), '--guardians-child'], {
        ...process.env,
        BENCH_UNITS_CHILD: JSON.stringify({
          wsUrl: s.info.wsUrl,
          ca: s.info.ca,
          users: (['BRIDGE', 'ENGINE', 'PROVISION'] as const).map((a) => ({ ...s.info.users[a], account: a.toLowerCase() })),
          units: UNITS,
          connections: CONNECTIONS,
          interval: INTERVAL,
          nice: LOAD_NICE,
        } satisfies ChildSettings),
      });
      const tStart = performance.now();
      log(`  ${await g.waitFor(/^ready/, 180_000)}`);
      const aliveIn = async (ms: number) => {
        const end = performance.now() + ms;
        while (performance.now() < end && [...registry.values()].filter((u) => u.state === 'alive').length < UNITS) await sleep(100);
        return [...registry.values()].filter((u) => u.state === 'alive').length;
      };
      const alive = await aliveIn(30_000);
      const allAliveMs = performance.now() - tStart;
      log(`  registry: ${alive} alive ${(allAliveMs / 1000).toFixed(1)} s after the Guardians' process started`);
      await sleep(3_000); // settle
      await mount(s, 'nunect-units');
      const shown = await call<{ ms: number; rows: number }>('__waitRows', UNITS, 'alive', 120_000);
      log(`  page: ${shown.rows} alive rows, ${shown.ms.toFixed(0)} ms after login`);
      if (shown.rows < UNITS) exact = false;
      // The measured window.
      const cpuOf = (pid: number) => {
        const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
        return (Number(f[11]) + Number(f[12])) * 10; // ms (USER_HZ 100)
      };
      const memOf = (pid: number, key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
      const ages: number[] = [];
      const c0 = { ctl: cpuOf(ctl.proc.pid!), srv: cpuOf(s.pid!), g: cpuOf(g.proc.pid!), t: performance.now() };
      measuring = true;
      const u0 = await callT<{ n: number; ms: number }>(20_000, '__updates');
      await callT(20_000, '__longtasks');
      await page.tracing.start({ categories: ['disabled-by-default-devtools.timeline', 'devtools.timeline', 'toplevel'] });
      const wEnd = performance.now() + SECONDS * 1000;
      while (performance.now() < wEnd) {
        await sleep(1_000);
        const now = Date.now();
        for (const u of registry.values()) if (u.state === 'alive' && u.lastBeat) ages.push(now - u.lastBeat);
      }
      const trace = await page.tracing.stop();
      if (process.env.NUNECT_BENCH_TRACE) writeFileSync(process.env.NUNECT_BENCH_TRACE, trace!);
      const longtasks = (await callT<number[]>(20_000, '__longtasksStop')) ?? [];
      const u1 = await callT<{ n: number; ms: number; max: number }>(20_000, '__updates');
      measuring = false;
      const wall = performance.now() - c0.t;
      const c1 = { ctl: cpuOf(ctl.proc.pid!), srv: cpuOf(s.pid!), g: cpuOf(g.proc.pid!) };
      const tasks = mainThread(Buffer.from(trace!), 'units');
      const stillAlive = (await callT<{ rows: number }>(20_000, '__waitRows', UNITS, 'alive', 0))?.rows ?? -1;
      const fig = {
        server: s.info.version,
        units: UNITS,
        connections: CONNECTIONS,
        registryAliveAfterStartMs: Math.round(allAliveMs),
        registryAlive: alive,
        pageAllShownAfterLoginMs: Math.round(shown.ms),
        pageRowsAliveAtEnd: stillAlive,
        kvUpdatesPerS: Math.round(updates / (wall / 1000)),
        unmatchedUpdates: unmatched,
        lagMs: stats(lags),
        ageMs: stats(ages),
        controllerCpuPct: round1(((c1.ctl - c0.ctl) / wall) * 100),
        controllerRssMiB: round1(memOf(ctl.proc.pid!, 'VmRSS') / 2 ** 20),
        controllerHwmMiB: round1(memOf(ctl.proc.pid!, 'VmHWM') / 2 ** 20),
        serverCpuPct: round1(((c1.srv - c0.srv) / wall) * 100),
        serverRssMiB: round1(memOf(s.pid!, 'VmRSS') / 2 ** 20),
        guardiansCpuPct: round1(((c1.g - c0.g) / wall) * 100),
        guardiansRssMiB: round1(memOf(g.proc.pid!, 'VmRSS') / 2 ** 20),
        ...tasks,
        windowS: round1(wall / 1000),
        widgetUpdates: u0 && u1 ? u1.n - u0.n : -1,
        widgetUpdateMsMean: u0 && u1 && u1.n > u0.n ? round1((u1.ms - u0.ms) / (u1.n - u0.n)) : -1,
        widgetUpdateMsMax: u1 ? round1(u1.max) : -1,
        longtaskEntries: longtasks.length,
        longtaskMaxMs: round1(Math.max(0, ...longtasks)),
        load: load(),
      };
      out.units = fig;
      log(`  ${JSON.stringify(fig)}`);
      watch.stop();
      await g.stop();
      await ctl.stop();
      await Promise.all(clients.splice(0).map((c) => c.close().catch(() => {})));
      await stopServer(s);
    }

    // 2. Loss detection -------------------------------------------------------------------------
    if (phases.has('loss')) {
      const s = await startServer();
      log(`loss: nats-server ${s.info.version}; ${KILL_RUNS} runs, interval ${INTERVAL} ms (load ${load()})`);
      const ctl = await startController(s);
      await mount(s, 'nunect-units');
      const runs: Array<{ late: number; lost: number; sinceBeatLost?: number; load: string }> = [];
      const key = 'bridge.bridge-1';
      const who = s.info.roles['bridge-unit'];
      for (let i = 0; i < KILL_RUNS; i++) {
        const before = await call<string>('__rowState', key);
        const cli = child(
          'nunect-guardian',
          [
            '--import',
            'tsx',
            join(ROOT, 'scripts/nunect-guardian.ts'),
            '--unit',
            'bridge-1',
            '--kind',
            'bridge',
            '--version',
            '1.0.0',
            '--interval',
            `${INTERVAL}ms`,
            '--server',
            s.info.wsUrl,
            '--ca',
            caFile,
            '--user',
            who.user,
            '--',
            process.execPath,
            '-e',
            'setInterval(() => {}, 1e6)',
          ],
          { ...process.env, NATS_PASSWORD: who.pass },
          true,
        );
        // Alive on the page (a new run: "restarted" after the first).
        const deadline = performance.now() + 30_000;
        while ((await call<string>('__rowState', key)) !== 'alive' || (i > 0 && before === 'alive')) {
          if (performance.now() > deadline || cli.proc.exitCode !== null)
            throw new Error(`bridge-1 not alive on the page within 30 s (state ${await call('__rowState', key)}); the CLI said:\n${cli.lines.join('\n')}`);
          await sleep(50);
        }
        await sleep(2 * INTERVAL + Math.random() * INTERVAL);
        await call('__follow', key);
        const killedAt = Date.now();
        cli.proc.kill('SIGKILL');
        await cli.exited;
        const pgid = cli.proc.pid!;
        try {
          process.kill(-pgid, 'SIGKILL'); // its command, orphaned
        } catch {
          /* gone */
        }
        groups.delete(pgid);
        children.delete(cli.proc);
        const end = performance.now() + lostAfter(INTERVAL) + 15_000;
        let seen: Array<{ state: string; t: number }> = [];
        while (performance.now() < end) {
          seen = await call('__seen');
          if (seen.some((x) => x.state === 'lost')) break;
          await sleep(20);
        }
        await call('__unfollow');
        const at = (st: string) => seen.find((x) => x.state === st)?.t;
        const late = at('late');
        const lost = at('lost');
        if (late === undefined || lost === undefined) throw new Error(`run ${i + 1}: states seen ${JSON.stringify(seen)}`);
        const r = { late: late - killedAt, lost: lost - killedAt, load: load() };
        runs.push(r);
        log(`  run ${i + 1}: late ${r.late} ms, lost ${r.lost} ms after SIGKILL (load ${r.load})`);
      }
      const rec = (await new Kvm((await as(s, s.info.roles.dashboard, true)).nc).open(OPS.registry).then((k) => k.get(CONTROLLER_KEY)))?.json<{
        liveness: string;
      }>();
      out.loss = {
        server: s.info.version,
        liveness: rec?.liveness,
        runs,
        late: stats(runs.map((r) => r.late)),
        lost: stats(runs.map((r) => r.lost)),
        documented: { lateAfterLastBeatMs: lateAfter(INTERVAL), lostAfterLastBeatMs: lostAfter(INTERVAL) },
      };
      await ctl.stop();
      await Promise.all(clients.splice(0).map((c) => c.close().catch(() => {})));
      await stopServer(s);
    }

    // 3. The log tail ---------------------------------------------------------------------------
    if (phases.has('logs')) {
      const s = await startServer();
      log(`logs: nats-server ${s.info.version}; ${LOG_RATE} records/s for ${LOG_SECONDS} s (load ${load()})`);
      const ctl = await startController(s);
      const jsm = await jetstreamManager((await as(s, s.info.users.OPS, false)).nc);
      const stored = async () => (await jsm.streams.info(OPS.logs)).state.messages;
      const unit = await as(s, s.info.roles['bridge-unit'], true);
      const logger = createLogger(unit, 'bridge-1', { bufferSize: 100_000 });
      for (let i = 0; i < LOG_HISTORY; i++) logger.info(`history record ${i} of the bench`, { i });
      await unit.flush();
      for (let i = 0; i < 100 && (await stored()) < LOG_HISTORY; i++) await sleep(50);
      await mount(s, 'nunect-log-tail');
      for (let i = 0; i < 100 && (await call<number>('__received')) < LOG_HISTORY; i++) await sleep(50);
      const storedBefore = await stored();
      const shownBefore = await call<number>('__received');
      log(`  opened with ${shownBefore} stored records (of ${storedBefore})`);
      const total = LOG_RATE * LOG_SECONDS;
      await callT(20_000, '__longtasks');
      await page.tracing.start({ categories: ['disabled-by-default-devtools.timeline', 'devtools.timeline', 'toplevel'] });
      const t0 = performance.now();
      let n = 0;
      const levels = ['info', 'info', 'info', 'warn', 'debug', 'error'] as const;
      while (n < total) {
        const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * LOG_RATE));
        while (n < due) {
          logger[levels[n % levels.length]!](`record ${n} of the bench`, { n, worker: n % 7 });
          n++;
        }
        await sleep(5);
      }
      await unit.flush();
      const published = n;
      const pubMs = performance.now() - t0;
      let shown = shownBefore;
      const deadline = performance.now() + 30_000;
      while (performance.now() < deadline && (shown = await call<number>('__received')) < shownBefore + published) await sleep(100);
      await sleep(500);
      shown = await call<number>('__received');
      const catchUpMs = performance.now() - t0 - pubMs;
      const trace = await page.tracing.stop();
      if (process.env.NUNECT_BENCH_TRACE) writeFileSync(`${process.env.NUNECT_BENCH_TRACE}.logs`, trace!);
      const longtasks = (await callT<number[]>(20_000, '__longtasksStop')) ?? [];
      let inStream = 0;
      for (let i = 0; i < 50 && (inStream = (await stored()) - storedBefore) < published; i++) await sleep(100);
      const fig = {
        server: s.info.version,
        published,
        publishSeconds: round1(pubMs / 1000),
        dropped: logger.dropped,
        storedInOpsLogs: inStream,
        shownReceived: shown - shownBefore,
        countsText: await call<string>('__countsText'),
        exact: shown - shownBefore === published && inStream === published && logger.dropped === 0,
        catchUpAfterLastPublishMs: Math.round(catchUpMs),
        ...mainThread(Buffer.from(trace!), 'logs'),
        longtaskEntries: longtasks.length,
        longtaskMaxMs: round1(Math.max(0, ...longtasks)),
        load: load(),
      };
      if (!fig.exact) exact = false;
      out.logs = fig;
      log(`  ${JSON.stringify(fig)}`);
      await ctl.stop();
      await Promise.all(clients.splice(0).map((c) => c.close().catch(() => {})));
      await stopServer(s);
    }
    if (pageErrors.length) log(`page errors:\n${pageErrors.join('\n')}`);
  } finally {
    await cleanup();
  }

  if (opts.json) console.log(JSON.stringify(out, null, 2));
  else report(out);
  process.exit(exact ? 0 : 1);
}

// ---------------------------------------------------------------------------------------------
// Figures

function report(out: Record<string, unknown>): void {
  const lines: string[] = [`\nmachine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}; ${String(out.browser)}; load now ${load()}`];
  const u = out.units as (Record<string, unknown> & { lagMs: Stats; ageMs: Stats }) | undefined;
  const verdict = (ms: number, target: number, le = false) => ((le ? ms <= target : ms < target) ? 'met' : `NOT met (+${round1(ms - target)} ms)`);
  const st = (s: Stats) => `p50 ${s.p50} · p95 ${s.p95} · max ${s.max} ms (n ${s.n})`;
  if (u) {
    lines.push(
      `\n1. ${u.units} Guardians at 1 beat/${u.connections === u.units ? 'connection' : `${u.units}/${u.connections} per connection`}, nats-server ${u.server} (load ${u.load})`,
      `  registry: all alive ${u.registryAliveAfterStartMs} ms after the Guardians' process started; KV updates ${u.kvUpdatesPerS}/s (unmatched ${u.unmatchedUpdates})`,
      `  heartbeat sent → registry update delivered: ${st(u.lagMs)}`,
      `  age of alive units' last heartbeat when read: ${st(u.ageMs)}`,
      `  Controller: CPU ${u.controllerCpuPct} % of a core, RSS ${u.controllerRssMiB} MiB (peak ${u.controllerHwmMiB}); nats-server CPU ${u.serverCpuPct} %, RSS ${u.serverRssMiB} MiB; Guardians' process CPU ${u.guardiansCpuPct} %, RSS ${u.guardiansRssMiB} MiB`,
      `  <nunect-units>: all ${u.units} rows ${u.pageAllShownAfterLoginMs} ms after login; ${u.pageRowsAliveAtEnd} alive at the end (-1: the page did not answer within 20 s)`,
      `  widget updates (render + commit) in the window: ${u.widgetUpdates}, mean ${u.widgetUpdateMsMean} ms, max since mount ${u.widgetUpdateMsMax} ms (-1: the page did not answer)`,
      Number(u.tasks) < 10
        ? `  main thread while updating: SATURATED — the trace holds ${u.tasks} completed task(s) in ${u.windowS} s, i.e. one task ran through the whole window (target ≤ 50 ms: NOT met, by more than ${Number(u.windowS) * 1000 - 50} ms)`
        : `  main thread while updating: longest task ${u.taskMaxMs} ms (CPU ${u.taskCpuMaxMs}; target ≤ 50: ${verdict(Number(u.taskMaxMs), 50, true)}), p95 ${u.taskP95Ms}, over 50 ms: ${u.tasksOver50} of ${u.tasks} (CPU: ${u.tasksCpuOver50}), busy ${u.busyPct} %; longtask entries ${u.longtaskEntries} (max ${u.longtaskMaxMs})`,
    );
  }
  const l = out.loss as
    | {
        server: string;
        liveness: string;
        late: Stats;
        lost: Stats;
        runs: Array<{ late: number; lost: number; load: string }>;
        documented: Record<string, number>;
      }
    | undefined;
  if (l) {
    lines.push(
      `\n2. loss detection, nats-server ${l.server} (liveness: ${l.liveness}); documented: late ${l.documented.lateAfterLastBeatMs} ms, lost ${l.documented.lostAfterLastBeatMs} ms after the last heartbeat`,
      `  SIGKILL → late on the page: median ${l.late.p50} ms (${l.late.min}–${l.late.max}), n ${l.late.n}`,
      `  SIGKILL → lost on the page: median ${l.lost.p50} ms (${l.lost.min}–${l.lost.max})`,
      `  runs: ${l.runs.map((r) => `${r.late}/${r.lost} (load ${r.load.split(' ')[0]})`).join(', ')}`,
    );
  }
  const g = out.logs as Record<string, unknown> | undefined;
  if (g) {
    lines.push(
      `\n3. log tail, nats-server ${g.server} (load ${g.load}): ${g.published} records in ${g.publishSeconds} s; OPS_LOGS stored ${g.storedInOpsLogs}; page shows ${g.shownReceived} received (${g.countsText}): ${g.exact ? 'exact' : 'MISMATCH'}`,
      `  shown complete ${g.catchUpAfterLastPublishMs} ms after the last publish; longest task ${g.taskMaxMs} ms (CPU ${g.taskCpuMaxMs}; target < 50: ${verdict(Number(g.taskMaxMs), 50)}), p95 ${g.taskP95Ms}, over 50 ms: ${g.tasksOver50} of ${g.tasks} (CPU: ${g.tasksCpuOver50}), busy ${g.busyPct} %; longtask entries ${g.longtaskEntries} (max ${g.longtaskMaxMs})`,
    );
  }
  console.log(lines.join('\n'));
}

if (process.argv.includes('--guardians-child')) {
  await guardiansChild();
} else {
  await main();
}
