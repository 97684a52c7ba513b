/**
 * Reading Chromium traces (puppeteer's page.tracing) for the benches: the renderer main thread's
 * tasks, wall time and CPU time (`tdur`), and what the longest ones did.
 */

/** The longest a main-thread task may take (the performance targets). */
export const TARGET_TASK_MS = 50;

export interface Stats {
  n: number;
  p50: number;
  p95: number;
  min: number;
  max: number;
}
export const round1 = (n: number) => Math.round(n * 10) / 10;
export function stats(values: number[]): Stats {
  const s = [...values].sort((a, b) => a - b);
  const p = (q: number) => (s.length ? s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]! : 0);
  return { n: s.length, p50: round1(p(0.5)), p95: round1(p(0.95)), min: round1(s[0] ?? 0), max: round1(s.at(-1) ?? 0) };
}

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string; data?: { functionName?: string; url?: string; lineNumber?: number } };
}

/** The renderer main thread's tasks in a trace (the busiest CrRendererMain), and the longest three explained. */
export function mainThread(trace: Buffer, what: string, log: (s: string) => void = (x) => console.error(x)) {
  const { traceEvents } = JSON.parse(trace.toString('utf8')) as { traceEvents: TraceEvent[] };
  const mains = new Set(
    traceEvents.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`),
  );
  const byThread = new Map<string, TraceEvent[]>();
  for (const e of traceEvents) {
    if (e.ph !== 'X' || e.name !== 'RunTask' || e.dur === undefined || !mains.has(`${e.pid}:${e.tid}`)) continue;
    const k = `${e.pid}:${e.tid}`;
    (byThread.get(k) ?? byThread.set(k, []).get(k)!).push(e);
  }
  let tasks: TraceEvent[] = [];
  for (const t of byThread.values()) if (t.reduce((a, e) => a + e.dur!, 0) > tasks.reduce((a, e) => a + e.dur!, 0)) tasks = t;
  if (!tasks.length) return { taskMaxMs: 0, taskCpuMaxMs: 0, tasksOver50: 0, tasks: 0, busyPct: 0 };
  tasks.sort((a, b) => a.ts - b.ts);
  const span = tasks.at(-1)!.ts + tasks.at(-1)!.dur! - tasks[0]!.ts;
  const { pid, tid } = tasks[0]!;
  for (const task of [...tasks].sort((a, b) => b.dur! - a.dur!).slice(0, 3)) {
    const inner = traceEvents
      .filter((e) => e.ph === 'X' && e.pid === pid && e.tid === tid && e.ts >= task.ts && e.ts < task.ts + task.dur! && e.name !== 'RunTask' && e.dur)
      .sort((a, b) => b.dur! - a.dur!)
      .slice(0, 6)
      .map((e) => {
        const d = e.args?.data;
        const fn = d?.functionName || d?.url ? `(${d.functionName || 'anon'}@${(d.url ?? '').split('/').pop()}:${d.lineNumber ?? ''})` : '';
        return `${e.name}${fn} ${(e.dur! / 1000).toFixed(1)}`;
      });
    log(`  ${what}: task ${(task.dur! / 1000).toFixed(1)} ms (CPU ${((task.tdur ?? task.dur!) / 1000).toFixed(1)}): ${inner.join(', ')}`);
  }
  const totals = new Map<string, number>();
  for (const e of traceEvents)
    if (e.ph === 'X' && e.dur && e.pid === pid && e.tid === tid && e.name !== 'RunTask') totals.set(e.name, (totals.get(e.name) ?? 0) + e.dur / 1000);
  log(
    `  ${what}: main thread by event (ms, nested events overlap): ${[...totals]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 8)
      .map(([n, ms]) => `${n} ${ms.toFixed(0)}`)
      .join(', ')}`,
  );
  const durs = tasks.map((e) => e.dur! / 1000);
  const cpu = tasks.map((e) => (e.tdur ?? e.dur!) / 1000);
  return {
    taskMaxMs: round1(Math.max(...durs)),
    taskCpuMaxMs: round1(Math.max(...cpu)),
    taskP95Ms: stats(durs).p95,
    tasksOver50: durs.filter((d) => d > TARGET_TASK_MS).length,
    tasksCpuOver50: cpu.filter((d) => d > TARGET_TASK_MS).length,
    tasks: tasks.length,
    busyPct: round1((durs.reduce((a, b) => a + b, 0) / (span / 1000)) * 100),
  };
}
