/**
 * How `<nunect-connz>` behaves in a real browser against a real nats-server holding 10,000 client
 * connections: time to the first rows after login, and the main-thread cost of every refresh.
 *
 * What it does:
 *  1. Starts nats-server with the test harness (free ports, its own certificates; stopped by PID).
 *  2. Opens `--connections` real client connections to it. Default transport `tcp`: a minimal NATS
 *     protocol client on node:net (INFO → CONNECT with user/password → SUBs → PING/PONG, and PONG
 *     to every server PING), because @nats-io/transport-node is not installed and a full WebSocket
 *     client per connection costs far more memory and CPU on the benchmarking side. `--transport
 *     wss` opens them with the project's own Node client (client/node.ts) instead, in batches. The
 *     connections are spread over the BRIDGE, ENGINE and PROVISION accounts, have 1–3 subscriptions,
 *     every 100th publishes 5 messages a second and every 2,500th subscribes to those messages, so the
 *     rates columns move. The time the connects take is measured and printed.
 *  3. Bundles a small page (provider + `<nunect-connz>`, production Lit) with esbuild, serves it from
 *     a node:http server on a free port, opens it in headless Chromium (puppeteer-core, which
 *     @web/test-runner-chrome brings; /usr/bin/chromium, trusting the server certificate by its SPKI
 *     hash only) and logs in as the SYS user over wss.
 *  4. Measures: time from the login call to the first rendered rows; then, over `--duration` seconds
 *     of polling every `--interval` ms, every widget update (render + commit, timed around
 *     `update()`), every main-thread task (from a Chromium trace) and every long task (> 50 ms, from a
 *     PerformanceObserver 'longtask'); then a few interactions (next page, another sort, open a row,
 *     a name filter, which fetches 1,024 connections) timed from the action to the updated rows.
 *  5. Closes every connection, the browser, the page server and nats-server (by PID, via the harness).
 *
 * Target: the longest main-thread task during refreshes stays under 50 ms.
 *
 * Usage: node --import tsx bench/connz-render.ts [--connections 10000] [--transport tcp|wss]
 *          [--duration 20] [--interval 1000] [--page-size 50] [--batch 500] [--server PATH] [--cluster N] [--json]
 *   --cluster 3: a dev cluster of 3 nodes (scripts/nats-server.sh), the connections spread 50/30/20 %,
 *   the widget showing the merged list of every server.
 *
 * Notes from runs on the development box (2 cores, 23 GiB, Node 20.20, Chromium 156 headless with
 * --disable-gpu; nats-server, the load generator and Chromium share the two cores):
 *  - Connects: 10,000 raw TCP connections in 1.5–3.9 s (2,600–6,700/s, 500 at a time); 10,000 WSS
 *    connections through client/node.ts in 25 s (~400/s, 100 at a time; the Node process then holds
 *    ~1 GB). nats-server 2.9.10 holds them in 210–350 MiB.
 *  - One CONNZ page of 50 out of 10,000 costs the server 11–30 ms per poll (it builds and sorts the
 *    whole list each time).
 *  - Login → first 50 rows in the DOM: 70–105 ms (login itself ~20 ms); painted ~120–130 ms.
 *  - Refreshes every 1 s for 20 s: 20 widget updates (one per poll: a poll's "loading" notice with
 *    unchanged data does not re-render), update() p50 0.7–1.6 ms, p95 2–10 ms, max 2.5–33 ms wall;
 *    no long task (> 50 ms) in any run. Traced: longest main-thread task 12–39 ms wall but only
 *    6–12 ms CPU (Paint, Layout and Layerize of the table); the rest is waiting for a core.
 *    Target (< 50 ms): met in every run (2.9.10 and 2.15.2, TCP and WSS load).
 *  - Interactions (action → new rows, including the server round trip): next page 60–110 ms, another
 *    sort 55–160 ms, open a row 35–75 ms, name filter (1,024 connections fetched and filtered)
 *    65–120 ms; longest task 27–46 ms wall, ≤ 27 ms CPU.
 *  - The wall-clock maxima vary ±2× between runs on this box: compare CPU times across changes.
 *  - puppeteer-core is used because playwright-core is not installed; it comes with
 *    @web/test-runner-chrome and is not a direct devDependency.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { connect as tcpConnect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import puppeteer, { type Browser } from 'puppeteer-core';
import { connect, type NunectClient } from '../client/node.js';
import { fetchMonitor } from '../client/monitor.js';
import { freePort, makeCerts, ROOT, TestNatsServer, type AccountName, type NatsServerInfo } from '../test/support/nats-server.js';
import { cleanup, loadGenerated, script, stackEnv, type Stack } from '../test/support/stack.js';
import { CHROME_PATH, chromiumArgs } from '../scripts/chromium.mjs';

const TARGET_MS = 50;

// ---------------------------------------------------------------------------------------------
// Options

const USAGE = `Usage: node --import tsx bench/connz-render.ts [options]
  --connections N  client connections to open (default 10000)
  --transport T    tcp (minimal NATS client on node:net, default) or wss (client/node.ts)
  --batch N        connections opened concurrently (default 500 for tcp, 100 for wss)
  --duration S     seconds of polling measured (default 20)
  --interval MS    the widget's poll interval (default 1000)
  --page-size N    the widget's page size (default 50)
  --server PATH    nats-server binary (default: NATS_SERVER_BIN, else the harness default)
  --json           print the results as JSON too`;

function options() {
  const { values } = parseArgs({
    options: {
      connections: { type: 'string', default: '10000' },
      transport: { type: 'string', default: 'tcp' },
      batch: { type: 'string' },
      duration: { type: 'string', default: '20' },
      interval: { type: 'string', default: '1000' },
      'page-size': { type: 'string', default: '50' },
      server: { type: 'string' },
      cluster: { type: 'string', default: '1' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const int = (name: string, v: string, min: number) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer ≥ ${min}`);
    return n;
  };
  if (values.transport !== 'tcp' && values.transport !== 'wss') throw new Error('--transport is tcp or wss');
  const transport = values.transport;
  return {
    connections: int('connections', values.connections, 0),
    transport,
    batch: int('batch', values.batch ?? (transport === 'tcp' ? '500' : '100'), 1),
    duration: int('duration', values.duration, 1),
    interval: int('interval', values.interval, 100),
    pageSize: int('page-size', values['page-size'], 1),
    server: values.server,
    cluster: int('cluster', values.cluster, 1),
    json: values.json,
  };
}

const log = (...args: unknown[]) => console.error('·', ...args);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fmt = (n: number | undefined, digits = 1) => (n === undefined || !Number.isFinite(n) ? '–' : n.toFixed(digits));
const int = (n: number) => Math.round(n).toLocaleString('en-US');

function percentile(values: number[], p: number): number | undefined {
  if (!values.length) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

// ---------------------------------------------------------------------------------------------
// Load: many client connections

const LOAD_ACCOUNTS: AccountName[] = ['BRIDGE', 'ENGINE', 'PROVISION'];

interface Load {
  count(): number;
  close(): Promise<void>;
}

/** One minimal NATS client over plain TCP; resolves when the server answered the first PING. */
function openTcp(nodes: readonly NatsServerInfo[], i: number, timers: Set<ReturnType<typeof setInterval>>): Promise<Socket> {
  const account = LOAD_ACCOUNTS[i % LOAD_ACCOUNTS.length]!;
  const info = nodeOf(nodes, i);
  const { user, pass } = info.users[account];
  return new Promise((resolve, reject) => {
    const socket = tcpConnect(info.ports.client, info.host);
    let buffer = '';
    let ready = false;
    const fail = (err: Error) => {
      socket.destroy();
      reject(err);
    };
    socket.setNoDelay(true);
    socket.setTimeout(20_000, () => fail(new Error(`connection ${i}: timed out`)));
    socket.on('error', (err) => (ready ? undefined : fail(err)));
    socket.on('data', (chunk: Buffer) => {
      // Only the protocol lines matter; payloads are 16 bytes of 'x' and never contain them.
      buffer += chunk.toString('latin1');
      if (!ready && buffer.startsWith('INFO ') && buffer.includes('\r\n')) {
        const connect = {
          verbose: false,
          pedantic: false,
          tls_required: false,
          user,
          pass,
          name: `bench-${account.toLowerCase()}-${i}`,
          lang: 'bench-tcp',
          version: '1.0.0',
          protocol: 1,
          headers: false,
        };
        let out = `CONNECT ${JSON.stringify(connect)}\r\n`;
        for (let s = 0; s < (i % 3) + 1; s++) out += `SUB bench.${account.toLowerCase()}.${i}.${s} ${s + 1}\r\n`;
        if (i % 2500 === 250) out += `SUB bench.load.> 9\r\n`;
        out += 'PING\r\n';
        socket.write(out);
        buffer = buffer.slice(buffer.indexOf('\r\n') + 2);
      }
      if (buffer.includes('-ERR')) return fail(new Error(`connection ${i}: ${buffer.slice(buffer.indexOf('-ERR'), buffer.indexOf('-ERR') + 120).trim()}`));
      let pings = 0;
      let at = buffer.indexOf('PING\r\n');
      while (at >= 0) {
        pings++;
        at = buffer.indexOf('PING\r\n', at + 6);
      }
      if (pings) socket.write('PONG\r\n'.repeat(pings));
      if (!ready && buffer.includes('PONG\r\n')) {
        ready = true;
        socket.setTimeout(0);
        if (i % 100 === 0) {
          const timer = setInterval(() => {
            if (!socket.destroyed) socket.write(`PUB bench.load.${i} 16\r\nxxxxxxxxxxxxxxxx\r\n`);
          }, 200);
          timers.add(timer);
        }
        resolve(socket);
      }
      // Keep only a possible partial line.
      const last = buffer.lastIndexOf('\r\n');
      if (last >= 0) buffer = buffer.slice(last + 2);
    });
  });
}

/** The node of the i-th connection: one node takes all; of a cluster, half, 30 % and 20 % (uneven on purpose). */
function nodeOf(nodes: readonly NatsServerInfo[], i: number): NatsServerInfo {
  if (nodes.length === 1) return nodes[0]!;
  const slot = i % 10;
  return nodes[slot < 5 ? 0 : slot < 8 ? 1 % nodes.length : 2 % nodes.length]!;
}

async function openLoad(nodes: readonly NatsServerInfo[], n: number, transport: 'tcp' | 'wss', batch: number): Promise<Load> {
  const timers = new Set<ReturnType<typeof setInterval>>();
  if (transport === 'tcp') {
    const sockets: Socket[] = [];
    for (let start = 0; start < n; start += batch) {
      const opened = await Promise.all(Array.from({ length: Math.min(batch, n - start) }, (_, k) => openTcp(nodes, start + k, timers)));
      sockets.push(...opened);
      if ((start / batch) % 4 === 3) log(`${sockets.length} connections`);
    }
    return {
      count: () => sockets.filter((s) => !s.destroyed).length,
      close: async () => {
        for (const t of timers) clearInterval(t);
        for (const s of sockets) s.destroy();
      },
    };
  }
  const clients: NunectClient[] = [];
  for (let start = 0; start < n; start += batch) {
    const opened = await Promise.all(
      Array.from({ length: Math.min(batch, n - start) }, async (_, k) => {
        const i = start + k;
        const account = LOAD_ACCOUNTS[i % LOAD_ACCOUNTS.length]!;
        const info = nodeOf(nodes, i);
        const c = await connect({ servers: info.wsUrl, ca: info.ca, ...info.users[account], name: `bench-${account.toLowerCase()}-${i}`, timeout: 30_000 });
        for (let s = 0; s < (i % 3) + 1; s++) c.subscribe(`bench.${account.toLowerCase()}.${i}.${s}`, { onMessage: () => {} });
        if (i % 2500 === 250) c.subscribe('bench.load.>', { onMessage: () => {} });
        if (i % 100 === 0) timers.add(setInterval(() => c.publish(`bench.load.${i}`, 'xxxxxxxxxxxxxxxx'), 200));
        return c;
      }),
    );
    clients.push(...opened);
    if ((start / batch) % 10 === 9) log(`${clients.length} connections`);
  }
  return {
    count: () => clients.filter((c) => !c.isClosed).length,
    close: async () => {
      for (const t of timers) clearInterval(t);
      for (let i = 0; i < clients.length; i += 500) await Promise.all(clients.slice(i, i + 500).map((c) => c.close().catch(() => {})));
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The page

/** The browser side: provider + widget, timing hooks, and `window.bench` for the driver. */
const PAGE_ENTRY = `
import './components/provider/define.js';
import './components/connz/define.js';
import { NunectConnz } from './components/connz/nunect-connz.js';

const updates = [];
const longTasks = [];
let recording = false;
const proto = NunectConnz.prototype;
const update = proto.update;
proto.update = function (changed) {
  const t = performance.now();
  try {
    return update.call(this, changed);
  } finally {
    if (recording) updates.push(performance.now() - t);
  }
};
try {
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (recording) longTasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: false });
} catch (e) {
  console.warn('no longtask observer', e);
}

const rowsOf = (el) => el.shadowRoot ? [...el.shadowRoot.querySelectorAll('tbody tr.conn')] : [];
const firstRowText = (el) => (rowsOf(el)[0]?.textContent ?? '').replace(/\\s+/g, ' ').trim();
const rangeOf = (el) => (el.shadowRoot.querySelector('.pager .range')?.textContent ?? '').replace(/\\s+/g, ' ').trim();
const nextFrame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));

async function until(check, timeout = 30000) {
  const end = performance.now() + timeout;
  while (performance.now() < end) {
    const v = check();
    if (v) return v;
    await new Promise((r) => requestAnimationFrame(r));
  }
  throw new Error('timed out');
}

window.bench = {
  async start(server, user, pass, interval, pageSize) {
    const provider = document.createElement('nunect-provider');
    provider.server = server;
    provider.connectionName = 'bench-browser';
    const el = document.createElement('nunect-connz');
    el.interval = interval;
    el.pageSize = pageSize;
    provider.append(el);
    document.body.append(provider);
    await el.updateComplete;
    window.el = el;
    const t0 = performance.now();
    await provider.login({ user, pass });
    const loggedIn = performance.now() - t0;
    await until(() => rowsOf(el).length > 0);
    const firstRows = performance.now() - t0;
    await nextFrame();
    const firstPaint = performance.now() - t0;
    return { loggedIn, firstRows, firstPaint, rows: rowsOf(el).length, range: rangeOf(el) };
  },
  record(on) {
    recording = on;
    if (on) {
      updates.length = 0;
      longTasks.length = 0;
    }
    return { updates: [...updates], longTasks: [...longTasks] };
  },
  async interact(what) {
    const el = window.el;
    const root = el.shadowRoot;
    const before = firstRowText(el);
    const t0 = performance.now();
    if (what === 'next page') root.querySelector('button.next').click();
    else if (what === 'sort by msgs_from') el.sort = 'msgs_from';
    else if (what === 'open a row') {
      rowsOf(el)[0].click();
      await until(() => root.querySelector('[part="subscriptions"], tr.detail p.note:not([role="status"])'));
      await nextFrame();
      return { ms: performance.now() - t0, rows: rowsOf(el).length };
    } else if (what === 'name filter (1,024 scanned)') el.nameFilter = 'bench-engine-1';
    else if (what === 'clear name filter') el.nameFilter = '';
    await until(() => firstRowText(el) !== before && !root.querySelector('.scroll[aria-busy="true"]'));
    await nextFrame();
    return { ms: performance.now() - t0, rows: rowsOf(el).length, range: rangeOf(el) };
  },
};
`;

async function bundlePage(dir: string): Promise<void> {
  await build({
    stdin: { contents: PAGE_ENTRY, resolveDir: ROOT, sourcefile: 'connz-bench-page.ts', loader: 'ts' },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    outfile: join(dir, 'page.js'),
    tsconfig: join(ROOT, 'tsconfig.json'),
    logLevel: 'warning',
  });
}

async function servePage(dir: string): Promise<{ server: Server; url: string }> {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>nunect-connz bench</title>
<style>body{margin:0;padding:12px;font-family:system-ui}</style></head><body><script type="module" src="/page.js"></script></body></html>`;
  const js = readFileSync(join(dir, 'page.js'));
  const port = await freePort();
  const server = createHttpServer((req, res) => {
    if (req.url === '/' || req.url === '/index.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
    } else if (req.url === '/page.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(js);
    } else {
      res.writeHead(req.url === '/favicon.ico' ? 204 : 404).end();
    }
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${port}/` };
}

// ---------------------------------------------------------------------------------------------
// Trace: every main-thread task of the page's renderer

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  /** Thread (CPU) time, µs. */
  tdur?: number;
  args?: { name?: string };
}

interface Tasks {
  /** Durations (wall clock) of every task of the page's main thread, ms. */
  durations: number[];
  /** Their CPU time, ms (the difference is time the thread waited, e.g. for a core on a busy box). */
  cpu: number[];
  /** The longest task: its duration, CPU time and the events inside it that took longest (ms, nested ones counted too). */
  longest?: { ms: number; cpuMs?: number; inside: Array<[string, number]> };
}

function mainThreadTasks(trace: Uint8Array | undefined): Tasks {
  if (!trace) return { durations: [], cpu: [] };
  const events = (JSON.parse(Buffer.from(trace).toString('utf8')) as { traceEvents: TraceEvent[] }).traceEvents;
  const mains = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  const byThread = new Map<string, TraceEvent[]>();
  for (const e of events) {
    const key = `${e.pid}:${e.tid}`;
    if (e.name !== 'RunTask' || e.ph !== 'X' || !mains.has(key) || e.dur === undefined) continue;
    let list = byThread.get(key);
    if (!list) byThread.set(key, (list = []));
    list.push(e);
  }
  // The page's renderer is the busiest main thread.
  const total = (list: TraceEvent[]) => list.reduce((a, e) => a + (e.dur ?? 0), 0);
  let best: TraceEvent[] = [];
  for (const list of byThread.values()) if (total(list) > total(best)) best = list;
  if (!best.length) return { durations: [], cpu: [] };
  const top = best.reduce((a, e) => ((e.dur ?? 0) > (a.dur ?? 0) ? e : a));
  const inside = new Map<string, number>();
  for (const e of events) {
    if (e.pid !== top.pid || e.tid !== top.tid || e.ph !== 'X' || e.name === 'RunTask' || e.dur === undefined) continue;
    if (e.ts < top.ts || e.ts + e.dur > top.ts + top.dur!) continue;
    inside.set(e.name, (inside.get(e.name) ?? 0) + e.dur / 1000);
  }
  return {
    durations: best.map((e) => e.dur! / 1000),
    cpu: best.filter((e) => e.tdur !== undefined).map((e) => e.tdur! / 1000),
    longest: { ms: top.dur! / 1000, cpuMs: top.tdur === undefined ? undefined : top.tdur / 1000, inside: [...inside].sort((a, b) => b[1] - a[1]).slice(0, 4) },
  };
}

const TRACE_CATEGORIES = ['toplevel', 'devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'disabled-by-default-v8.gc', 'blink.user_timing'];

function describe(t: Tasks): string {
  if (!t.longest) return '–';
  return `${fmt(t.longest.ms, 1)} ms (CPU ${fmt(t.longest.cpuMs, 1)} ms): ${t.longest.inside.map(([n, ms]) => `${n} ${fmt(ms, 1)}`).join(', ')}`;
}

// ---------------------------------------------------------------------------------------------

/** Each cluster node as the harness describes a server (ports, URLs, the CA, the account users). */
function clusterInfos(stack: Stack): NatsServerInfo[] {
  const env = stack.settings;
  const user = (account: string) => ({ user: env[`NATS_${account}_USER`]!, pass: env[`NATS_${account}_PASSWORD`]! });
  const users = Object.fromEntries(['SYS', ...LOAD_ACCOUNTS].map((a) => [a, user(a)])) as NatsServerInfo['users'];
  return stack.servers.map((s) => ({
    bin: process.env.NATS_SERVER_BIN ?? 'nats-server',
    version: '',
    name: s.name,
    host: '127.0.0.1',
    ports: { client: Number(new URL(s.natsUrl).port), ws: Number(new URL(s.wsUrl!).port), https: Number(new URL(s.monitorUrl).port) },
    wsUrl: s.wsUrl!,
    monitorUrl: s.monitorUrl,
    natsUrl: s.natsUrl,
    ca: stack.ca,
    users,
    roles: {} as NatsServerInfo['roles'],
    loggerUnit: '',
  }));
}

async function main(): Promise<void> {
  const opts = options();
  const work = mkdtempSync(join(tmpdir(), 'nunect-connz-bench-'));
  const certDir = join(work, 'certs');
  let { spki } = makeCerts(certDir);
  let nats: TestNatsServer | undefined;
  let stack: Stack | undefined;
  let load: Load | undefined;
  let browser: Browser | undefined;
  let http: Server | undefined;
  let sys: NunectClient | undefined;
  try {
    let nodes: NatsServerInfo[];
    if (opts.cluster > 1) {
      // A dev cluster as `npm start` runs it (scripts/nats-server.sh, free ports, stopped by PID).
      if (opts.server) process.env.NATS_SERVER_BIN = opts.server;
      stack = await stackEnv({ cluster: opts.cluster });
      script(stack, 'nats-server.sh', 'start');
      loadGenerated(stack);
      spki = stack.spki;
      nodes = clusterInfos(stack);
      log(`a cluster of ${opts.cluster} nodes: ${nodes.map((n) => n.wsUrl).join(', ')}`);
    } else {
      nats = await TestNatsServer.start({ bin: opts.server, certDir, name: 'nunect-bench' });
      nodes = [nats.info];
      log(`nats-server ${nats.info.version} (pid ${nats.pid}) on ${nats.info.wsUrl}`);
    }
    const info = nodes[0]!;

    log(`opening ${int(opts.connections)} ${opts.transport} connections, ${opts.batch} at a time…`);
    const c0 = performance.now();
    load = await openLoad(nodes, opts.connections, opts.transport as 'tcp' | 'wss', opts.batch);
    const connectMs = performance.now() - c0;
    // The cost on the server side of one CONNZ page (asked by a Node SYS client, 10 times each).
    sys = await connect({ servers: info.wsUrl, ca: info.ca, ...info.users.SYS, name: 'bench-sys' });
    const varz = await fetchMonitor<{ connections: number; mem: number }>(sys, 'VARZ', {}, { expectServers: nodes.length });
    const counted = varz.map((r) => `${r.server.name} ${int(r.data?.connections ?? 0)} (${fmt((r.data?.mem ?? 0) / 2 ** 20, 0)} MiB)`).join(', ');
    log(`${int(load.count())} connections in ${fmt(connectMs / 1000)} s; the servers count ${counted}`);
    const connzLatency: Record<string, number> = {};
    for (const sort of ['cid', 'msgs_from']) {
      const times: number[] = [];
      for (let k = 0; k < 10; k++) {
        const t = performance.now();
        await fetchMonitor(sys, 'CONNZ', { auth: true, sort, limit: opts.pageSize }, { expectServers: 1 });
        times.push(performance.now() - t);
      }
      connzLatency[sort] = percentile(times, 50)!;
    }
    await sys.close();
    sys = undefined;

    await bundlePage(work);
    const page0 = await servePage(work);
    http = page0.server;
    browser = await puppeteer.launch({
      executablePath: CHROME_PATH,
      headless: true,
      args: chromiumArgs({ spki, headless: true }),
    });
    const version = await browser.version();
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warn') pageErrors.push(m.text());
    });
    await page.setViewport({ width: 1600, height: 1000 });
    await page.goto(page0.url, { waitUntil: 'load' });
    await page.waitForFunction(() => 'bench' in window);

    type Start = { loggedIn: number; firstRows: number; firstPaint: number; rows: number; range: string };
    type Recording = { updates: number[]; longTasks: Array<{ start: number; duration: number }> };
    const start = (await page.evaluate(
      (server: string, user: string, pass: string, interval: number, pageSize: number) =>
        (window as unknown as { bench: { start: (...a: unknown[]) => Promise<unknown> } }).bench.start(server, user, pass, interval, pageSize),
      info.wsUrl,
      info.users.SYS.user,
      info.users.SYS.pass,
      opts.interval,
      opts.pageSize,
    )) as Start;
    log(`first rows after ${fmt(start.firstRows, 0)} ms: ${start.range}`);

    // Refreshes, untraced (tracing costs CPU): --duration seconds after a short warm-up, the
    // PerformanceObserver's long tasks and the widget's update() times.
    await sleep(2_000);
    const record = (on: boolean) =>
      page.evaluate((v: boolean) => (window as unknown as { bench: { record: (v: boolean) => unknown } }).bench.record(v), on) as Promise<Recording>;
    await record(true);
    log(`recording ${opts.duration} s of refreshes every ${opts.interval} ms…`);
    await sleep(opts.duration * 1_000);
    const refresh = await record(false);
    // Then traced, half as long: every main-thread task, wall clock and CPU time.
    const tracedSeconds = Math.max(5, Math.round(opts.duration / 2));
    log(`tracing ${tracedSeconds} s of refreshes…`);
    await page.tracing.start({ categories: TRACE_CATEGORIES });
    await sleep(tracedSeconds * 1_000);
    const traced = mainThreadTasks(await page.tracing.stop());
    const tasks = traced.durations;
    if (process.env.CONNZ_BENCH_DEBUG) {
      log(
        'top tasks (wall)',
        [...tasks]
          .sort((a, b) => b - a)
          .slice(0, 12)
          .map((t) => t.toFixed(1))
          .join(' '),
      );
      log(
        'top tasks (cpu)',
        [...traced.cpu]
          .sort((a, b) => b - a)
          .slice(0, 12)
          .map((t) => t.toFixed(1))
          .join(' '),
      );
    }

    // Interactions.
    const interactions: Array<{ what: string; ms: number; rows: number; range?: string }> = [];
    await page.tracing.start({ categories: TRACE_CATEGORIES });
    for (const what of ['next page', 'sort by msgs_from', 'open a row', 'name filter (1,024 scanned)', 'clear name filter']) {
      await record(true);
      const r = (await page.evaluate(
        (w: string) => (window as unknown as { bench: { interact: (w: string) => Promise<unknown> } }).bench.interact(w),
        what,
      )) as {
        ms: number;
        rows: number;
        range?: string;
      };
      await sleep(1_500);
      const rec = await record(false);
      const longest = Math.max(0, ...rec.longTasks.map((t) => t.duration));
      interactions.push({ what: `${what}${longest ? ` (long task ${fmt(longest, 0)} ms)` : ''}`, ms: r.ms, rows: r.rows, range: r.range });
    }
    const interactionTasks = mainThreadTasks(await page.tracing.stop());

    const stillOpen = load.count();
    const longMax = Math.max(0, ...refresh.longTasks.map((t) => t.duration));
    const taskMax = Math.max(0, ...tasks);
    const results = {
      server: info.version,
      chromium: version,
      connections: {
        requested: opts.connections,
        open: stillOpen,
        transport: opts.transport,
        connectSeconds: connectMs / 1000,
        perSecond: opts.connections / (connectMs / 1000),
      },
      connzLatencyMs: connzLatency,
      firstRowsMs: start.firstRows,
      loginMs: start.loggedIn,
      firstRowsPaintedMs: start.firstPaint,
      pageSize: opts.pageSize,
      rowsRendered: start.rows,
      refresh: {
        seconds: opts.duration,
        updates: refresh.updates.length,
        updateP50: percentile(refresh.updates, 50),
        updateP95: percentile(refresh.updates, 95),
        updateMax: Math.max(0, ...refresh.updates),
        tracedSeconds,
        tasks: tasks.length,
        taskP95: percentile(tasks, 95),
        taskMax,
        taskCpuP95: percentile(traced.cpu, 95),
        taskCpuMax: Math.max(0, ...traced.cpu),
        tasksOver50: tasks.filter((t) => t > TARGET_MS).length,
        longTasks: refresh.longTasks.length,
        longTaskMax: longMax,
        longTaskP95: percentile(
          refresh.longTasks.map((t) => t.duration),
          95,
        ),
        longestTask: traced.longest,
      },
      interactionTasks: {
        tasks: interactionTasks.durations.length,
        max: interactionTasks.longest?.ms,
        cpuMax: Math.max(0, ...interactionTasks.cpu),
        over50: interactionTasks.durations.filter((t) => t > TARGET_MS).length,
        longest: interactionTasks.longest,
      },
      interactions,
      pageErrors,
    };

    const rows: Array<[string, string]> = [
      ['nats-server', info.version],
      ['browser', version],
      [
        'connections',
        `${int(stillOpen)} open (${opts.transport}), connected in ${fmt(connectMs / 1000)} s (${int(results.connections.perSecond)}/s, ${opts.batch} at a time)`,
      ],
      ['CONNZ page of 50, server round trip (p50, Node)', `sort cid ${fmt(connzLatency.cid)} ms · sort msgs_from ${fmt(connzLatency.msgs_from)} ms`],
      ['login → first rows in the DOM', `${fmt(start.firstRows, 0)} ms (login ${fmt(start.loggedIn, 0)} ms; painted ${fmt(start.firstPaint, 0)} ms)`],
      ['rows rendered', `${start.rows} (${start.range})`],
      [
        `refreshes: widget update() in ${opts.duration} s`,
        `${refresh.updates.length}: p50 ${fmt(results.refresh.updateP50, 2)} ms · p95 ${fmt(results.refresh.updateP95, 2)} ms · max ${fmt(results.refresh.updateMax, 2)} ms`,
      ],
      [
        'refreshes: long tasks > 50 ms (PerformanceObserver)',
        refresh.longTasks.length ? `${refresh.longTasks.length}: max ${fmt(longMax, 0)} ms · p95 ${fmt(results.refresh.longTaskP95, 0)} ms` : '0',
      ],
      [
        `refreshes: main-thread tasks (trace, ${tracedSeconds} s)`,
        `${int(tasks.length)}: wall p95 ${fmt(results.refresh.taskP95, 2)} ms, max ${fmt(taskMax, 1)} ms · CPU p95 ${fmt(results.refresh.taskCpuP95, 2)} ms, max ${fmt(results.refresh.taskCpuMax, 1)} ms · > 50 ms: ${results.refresh.tasksOver50}`,
      ],
      ['  longest task, what ran inside', describe(traced)],
      // (CPU time of the renderer's main-thread tasks over the traced seconds.)
      ['refreshes: main thread busy (CPU, trace)', `${fmt((traced.cpu.reduce((a, b) => a + b, 0) / (tracedSeconds * 1_000)) * 100, 1)} %`],
      ...interactions.map((i): [string, string] => [`→ ${i.what}`, `${fmt(i.ms, 0)} ms to new rows, ${i.rows} rows${i.range ? ` (${i.range})` : ''}`]),
      [
        'interactions: main-thread tasks (trace)',
        `${int(interactionTasks.durations.length)}: wall max ${fmt(interactionTasks.longest?.ms, 1)} ms · CPU max ${fmt(results.interactionTasks.cpuMax, 1)} ms · > 50 ms: ${results.interactionTasks.over50}`,
      ],
      ['  longest task, what ran inside', describe(interactionTasks)],
      [
        `target: longest task during refreshes < ${TARGET_MS} ms`,
        `${Math.max(taskMax, longMax) < TARGET_MS ? 'PASS' : 'FAIL'} (wall ${fmt(Math.max(taskMax, longMax), 1)} ms; CPU ${fmt(results.refresh.taskCpuMax, 1)} ms — on a busy 2-core box wall time includes waiting for a core)`,
      ],
    ];
    if (pageErrors.length) rows.push(['page errors', pageErrors.slice(0, 5).join(' | ')]);
    const width = Math.max(...rows.map(([k]) => k.length));
    console.log(`\nnunect-connz render benchmark\n${'-'.repeat(width + 40)}`);
    for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
    if (opts.json) console.log(JSON.stringify(results, null, 2));
  } finally {
    await sys?.close().catch(() => {});
    await browser?.close().catch(() => {});
    await new Promise<void>((r) => (http ? http.close(() => r()) : r()));
    await load?.close().catch(() => {});
    await nats?.stop().catch(() => {});
    if (stack) {
      try {
        script(stack, 'nats-server.sh', 'stop');
      } finally {
        cleanup(stack);
      }
    }
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
