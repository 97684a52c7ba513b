/**
 * Bytes on the wire for the page, with and without the WebSocket listener's permessage-deflate
 * (NATS_WS_COMPRESSION), against a real nats-server with N idle client connections: the manager
 * page logged in, `<nunect-connz>` at `--rows` a page and `<nunect-varz>`, both refreshing every
 * second. For each setting: bytes the server sent the browser per second (kernel socket counters,
 * `ss -ti`: what really crossed the loopback), nats-server CPU (ms per s, /proc), and the page's
 * main-thread busy time (ms per s, CDP). Interleaved runs; medians are printed.
 *
 *   node --import tsx bench/wire-bytes.ts [--connections 1000] [--rows 1000] [--seconds 10] [--runs 3] [--server BIN]
 *
 * Needs the built page (npm run build:manager).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeCerts, TestNatsServer } from '../test/support/nats-server.js';
import { idleClients, logIn, openManagerPage } from './manager-page.js';

const argv = process.argv.slice(2);
const opt = (name: string, fallback: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1]! : fallback);
const connections = Number(opt('--connections', '1000'));
const rows = Number(opt('--rows', '1000'));
const seconds = Number(opt('--seconds', '10'));
const runs = Number(opt('--runs', '3'));
const bin = argv.includes('--server') ? opt('--server', '') : undefined;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

/** Bytes the server sent on its established sockets of `port` (bytes_acked of each). */
function sentBytes(port: number): number {
  const out = execFileSync('ss', ['-tinH', 'state', 'established', `( sport = :${port} )`], { encoding: 'utf8' });
  return [...out.matchAll(/bytes_acked:(\d+)/g)].reduce((sum, m) => sum + Number(m[1]), 0);
}

/** CPU time of a process so far, ms (utime + stime). */
function cpuMs(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(f[11]) + Number(f[12])) * 1000) / 100;
}

async function measure(compression: boolean): Promise<{ bytes: number; serverCpu: number; mainThread: number }> {
  process.env.NATS_WS_COMPRESSION = String(compression);
  const certDir = mkdtempSync(join(tmpdir(), 'nunect-bench-certs-'));
  const certs = makeCerts(certDir);
  const nats = await TestNatsServer.start({ bin, certDir });
  const idle = await idleClients(nats, connections);
  const { page, close } = await openManagerPage(nats, certs);
  try {
    await logIn(page, nats);
    await page.evaluate(
      ([r]) => {
        for (const el of document.querySelectorAll('nunect-connz, nunect-varz'))
          Object.assign(el, { interval: 1000, ...(el.tagName === 'NUNECT-CONNZ' ? { pageSize: r } : {}) });
      },
      [rows],
    );
    await page.waitForTimeout(3_000); // warm-up: the first pages and rates
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const task = async () => ((await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0) * 1000;
    const [b0, c0, t0] = [sentBytes(nats.info.ports.ws), cpuMs(nats.pid!), await task()];
    await page.waitForTimeout(seconds * 1000);
    const [b1, c1, t1] = [sentBytes(nats.info.ports.ws), cpuMs(nats.pid!), await task()];
    return { bytes: (b1 - b0) / seconds, serverCpu: (c1 - c0) / seconds, mainThread: (t1 - t0) / seconds };
  } finally {
    await close();
    await Promise.all(idle.map((c) => c.close()));
    await nats.stop();
    rmSync(certDir, { recursive: true, force: true });
  }
}

const results: Record<'on' | 'off', Array<Awaited<ReturnType<typeof measure>>>> = { on: [], off: [] };
for (let i = 0; i < runs; i++) {
  for (const mode of i % 2 ? (['on', 'off'] as const) : (['off', 'on'] as const)) results[mode].push(await measure(mode === 'on'));
}
console.log(`${connections} connections, connz ${rows} rows a page + varz, 1 s refresh, ${seconds} s × ${runs} runs (load ${loadavg()})`);
console.log('compression'.padEnd(14), 'kB/s to page'.padStart(14), 'server CPU ms/s'.padStart(16), 'page main thread ms/s'.padStart(22));
for (const mode of ['off', 'on'] as const) {
  const r = results[mode];
  console.log(
    mode.padEnd(14),
    `${(median(r.map((x) => x.bytes)) / 1000).toFixed(1)}`.padStart(14),
    `${median(r.map((x) => x.serverCpu)).toFixed(0)}`.padStart(16),
    `${median(r.map((x) => x.mainThread)).toFixed(0)}`.padStart(22),
  );
}
