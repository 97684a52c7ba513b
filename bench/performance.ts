/**
 * The performance issue's figures in one command: for 100 / 1,000 / 10,000 connections and 50 /
 * 1,000 rows a page, `<nunect-connz>` in headless Chromium against a real nats-server (login →
 * first rows, the longest main-thread task and the busy share while refreshing every second:
 * bench/connz-render.ts), the bytes on the wire per second (bench/wire-bytes.ts: with and without
 * the WebSocket listener's compression), and the churn case (200 client lives a second for 10 s
 * against the event log on a real server: bench/event-log-render.ts --server; and with the whole
 * manager page open and 1,000 idle clients: bench/page-churn.ts). Each bench runs
 * alone, one after the other (never two at once: the machine has 2 cores); the machine's load
 * average is printed next to every figure, since a busy box stretches wall times.
 *
 *   npm run bench:perf [-- --quick] [--server BIN] [--json]
 *   --quick: 10 s refresh windows, one wire run and one run of each churn (≈ 8 min instead of ≈ 15)
 */
import { spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../test/support/nats-server.js';

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const json = argv.includes('--json');
const server = argv.includes('--server') ? ['--server', argv[argv.indexOf('--server') + 1]!] : [];
const CONNECTIONS = [100, 1_000, 10_000];
const PAGE_SIZES = [50, 1_000];
const TARGET_MS = 50;

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const fmt = (n: number | undefined, digits = 0) => (n === undefined || !Number.isFinite(n) ? '–' : n.toFixed(digits));

/** Runs a bench with tsx; returns its stdout (its progress goes to our stderr). */
function bench(file: string, args: string[]): string {
  console.error(`\n$ node --import tsx bench/${file} ${args.join(' ')}   (load ${load()})`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', file), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`bench/${file} ${args.join(' ')} failed (exit ${r.status}):\n${r.stdout.slice(-2_000)}`);
  return r.stdout;
}

/** The last JSON object a bench printed (it prints its table first). */
function lastJson<T>(out: string): T {
  const start = out.lastIndexOf('\n{');
  return JSON.parse(out.slice(start >= 0 ? start + 1 : out.indexOf('{'))) as T;
}

interface ConnzFigures {
  firstRowsMs: number;
  rowsRendered: number;
  refresh: { tracedSeconds: number; taskMax: number; taskCpuMax: number; longTaskMax: number; tasksOver50: number; busyPercent?: number };
  mainThreadBusyPercent?: number;
}

const rows: string[][] = [];
const out: Record<string, unknown> = { machine: `${cpus().length} × ${cpus()[0]?.model ?? '?'}` };

for (const connections of CONNECTIONS) {
  for (const pageSize of PAGE_SIZES) {
    const before = load();
    const text = bench('connz-render.ts', [
      '--connections',
      String(connections),
      '--page-size',
      String(pageSize),
      '--duration',
      quick ? '10' : '20',
      '--json',
      ...server,
    ]);
    const r = lastJson<ConnzFigures>(text);
    const busy = /main thread busy \(CPU, trace\)\s+([\d.]+) %/.exec(text)?.[1];
    const longest = Math.max(r.refresh.taskMax, r.refresh.longTaskMax);
    rows.push([
      String(connections),
      String(pageSize),
      fmt(r.firstRowsMs),
      String(r.rowsRendered),
      fmt(longest, 1),
      fmt(r.refresh.taskCpuMax, 1),
      busy ?? '–',
      longest < TARGET_MS ? 'yes' : r.refresh.taskCpuMax < TARGET_MS ? 'CPU yes, wall no' : 'no',
      before,
    ]);
    out[`connz ${connections}/${pageSize}`] = { ...r, busyPercent: busy ? Number(busy) : undefined, load: before };
  }
}

const wire: string[] = [];
for (const pageRows of PAGE_SIZES) {
  const text = bench('wire-bytes.ts', ['--connections', '1000', '--rows', String(pageRows), '--seconds', '10', '--runs', quick ? '1' : '3', ...server]);
  wire.push(...text.trim().split('\n'));
  out[`wire ${pageRows}`] = text.trim();
}

const churnBefore = load();
const churnText = bench('event-log-render.ts', ['--server', '--conns-per-second', '200', '--seconds', '10', '--runs', quick ? '1' : '3', '--json']);
const churn = lastJson<{ results: Array<{ exact: boolean; taskMaxMs: number; taskCpuMaxMs: number }> }>(churnText);
out.churn = { ...churn, load: churnBefore };

// The same churn with the whole manager page open (every widget at 1 s, 1,000 idle clients).
const pageChurnBefore = load();
const pageChurn = bench('page-churn.ts', ['--runs', quick ? '1' : '3', ...server]).trim();
out.pageChurn = { text: pageChurn, load: pageChurnBefore };

if (json) {
  console.log(JSON.stringify(out, null, 2));
} else {
  console.log(`\nmachine: ${out.machine as string}; ${quick ? '--quick' : 'full'} run`);
  console.log('\n<nunect-connz>, 1 s refresh (target: first rows < 1 s, longest task ≤ 50 ms, busy < 10 %)');
  const head = ['connections', 'rows/page', 'first rows ms', 'rows in DOM', 'longest task ms', 'longest CPU ms', 'busy %', '≤ 50 ms', 'load before'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  for (const r of [head, ...rows]) console.log(r.map((c, i) => c.padStart(widths[i]!)).join('  '));
  console.log('\nbytes on the wire (connz + varz, 1,000 connections, 1 s refresh):');
  for (const l of wire) console.log(`  ${l}`);
  console.log(`\nchurn: 200 client lives/s for 10 s, event log on a real server (load before ${churnBefore}):`);
  for (const r of churn.results) {
    console.log(`  counts exact: ${r.exact ? 'yes' : 'NO'} · longest task ${fmt(r.taskMaxMs, 1)} ms wall, ${fmt(r.taskCpuMaxMs, 1)} ms CPU`);
  }
  console.log(`\nchurn with the whole manager page open (load before ${pageChurnBefore}):`);
  for (const l of pageChurn.split('\n')) console.log(`  ${l}`);
}
