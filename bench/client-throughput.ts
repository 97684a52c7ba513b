/**
 * Throughput of the nunect client against raw `@nats-io/nats-core` `wsconnect`, on the same
 * nats-server and the same transport (wss:// through the `ws` package, trusting the test CA), so
 * that only the wrapper differs.
 *
 * Scenario: one publisher connection → one subscriber connection (separate connections, same
 * account, same Node process), `--messages` messages per run for each payload size. A run is
 * timed from the first publish to the arrival of the last message at the subscriber. The
 * publisher sends in batches of `--batch` messages and awaits `flush()` after each (a server
 * round trip, which also yields to the event loop); it also waits while more than `--window`
 * messages are in flight, so that the server never has to drop the subscriber as a slow
 * consumer. Both sides run exactly the same loop.
 *
 * Runs are interleaved (raw, nunect, raw, nunect, …) after one warm-up pair per size, with a
 * forced GC before each run, to cancel drift on a noisy machine. Every message must arrive:
 * a run that loses (or duplicates) messages is an error, never a figure.
 *
 * Usage: node --import tsx bench/client-throughput.ts [--messages 200000] [--rounds 7]
 *          [--sizes 16,1024] [--batch 1000] [--window 20000] [--server PATH] [--json]
 */
import { wsconnect, type Msg, type NatsConnection } from '@nats-io/nats-core';
import { existsSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import WebSocket from 'ws';
import { connect, type NunectClient } from '../client/node.js';
import { TestNatsServer, type NatsServerInfo } from '../test/support/nats-server.js';

const TARGET_RATIO = 0.95;
/** A run fails when the subscriber receives nothing for this long while messages are missing. */
const STALL_MS = 10_000;

type Impl = 'raw' | 'nunect';
const IMPLS: readonly Impl[] = ['raw', 'nunect'];

// ---------------------------------------------------------------------------------------------
// Options

const USAGE = `Usage: node --import tsx bench/client-throughput.ts [options]
  --messages N   messages per run (default 200000)
  --rounds N     measured rounds per size, each one raw run and one nunect run (default 7)
  --sizes LIST   payload sizes in bytes, comma-separated (default 16,1024)
  --batch N      publisher flushes (awaits a server round trip) every N messages (default 1000)
  --window N     publisher pauses while more than N messages are in flight (default 20000)
  --server PATH  nats-server binary (default: NATS_SERVER_BIN, else the test harness default)
  --json         print the results as JSON on stdout (progress still goes to stderr)
  --control      A/A check: the "nunect" slot runs raw nats-core too, to show the noise floor
                 and any bias from running second in each round (the ratio should be ≈ 1)
  --quiet        no progress lines on stderr`;

class UsageError extends Error {}

const OPTIONS = {
  messages: { type: 'string', default: '200000' },
  rounds: { type: 'string', default: '7' },
  sizes: { type: 'string', default: '16,1024' },
  batch: { type: 'string', default: '1000' },
  window: { type: 'string', default: '20000' },
  server: { type: 'string' },
  json: { type: 'boolean', default: false },
  control: { type: 'boolean', default: false },
  quiet: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

function parseOptions() {
  const parse = () => {
    try {
      return parseArgs({ options: OPTIONS, strict: true, allowPositionals: false });
    } catch (err) {
      throw new UsageError(err instanceof Error ? err.message : String(err));
    }
  };
  const { values } = parse();
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const int = (name: string, text: string, min: number): number => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be an integer ≥ ${min}, not ${JSON.stringify(text)}`);
    return n;
  };
  const sizes = values.sizes.split(',').map((s) => int('sizes', s.trim(), 0));
  if (sizes.length === 0) throw new UsageError('--sizes is empty');
  if (values.server !== undefined && !existsSync(values.server)) throw new UsageError(`--server ${values.server}: no such file`);
  const messages = int('messages', values.messages, 1);
  const batch = int('batch', values.batch, 1);
  return {
    messages,
    rounds: int('rounds', values.rounds, 1),
    sizes,
    batch,
    window: Math.max(int('window', values.window, 1), batch),
    server: values.server,
    json: values.json,
    control: values.control,
    quiet: values.quiet,
  };
}
type Options = ReturnType<typeof parseOptions>;

// ---------------------------------------------------------------------------------------------
// The two implementations behind one small interface (the same extra call on both sides)

interface BenchConnection {
  publish(subject: string, data: Uint8Array): void;
  flush(): Promise<void>;
  subscribe(subject: string, onMessage: (msg: Msg) => void): void;
  close(): Promise<void>;
}

async function openRaw(info: NatsServerInfo, name: string, onError: (err: Error) => void): Promise<BenchConnection> {
  const { ca } = info;
  const nc: NatsConnection = await wsconnect({
    servers: info.wsUrl,
    name,
    user: info.users.BRIDGE.user,
    pass: info.users.BRIDGE.pass,
    // Exactly what client/node.ts does, so that only the wrapper differs.
    wsFactory: async (url: string) => ({
      socket: new WebSocket(url, { ca, perMessageDeflate: false }) as unknown as globalThis.WebSocket,
      encrypted: true,
    }),
  });
  void (async () => {
    for await (const s of nc.status()) {
      if (s.type === 'error') onError(new Error(`${name}: ${s.error.message}`));
      else if (s.type === 'slowConsumer') onError(new Error(`${name}: slow consumer (${s.pending} pending)`));
      else if (s.type === 'disconnect') onError(new Error(`${name}: disconnected from ${s.server}`));
    }
  })().catch(() => {});
  return {
    publish: (subject, data) => nc.publish(subject, data),
    flush: () => nc.flush(),
    subscribe: (subject, onMessage) => {
      // The error handling a user of nats-core writes (nunect's wrapper does the same).
      nc.subscribe(subject, {
        callback: (err, msg) => {
          if (err) onError(err);
          else onMessage(msg);
        },
      });
    },
    close: () => nc.close(),
  };
}

async function openNunect(info: NatsServerInfo, name: string, onError: (err: Error) => void): Promise<BenchConnection> {
  const client: NunectClient = await connect({
    servers: info.wsUrl,
    name,
    user: info.users.BRIDGE.user,
    pass: info.users.BRIDGE.pass,
    ca: info.ca,
  });
  client.on('error', (err) => onError(new Error(`${name}: ${err.message}`)));
  client.on('status', (s) => {
    if (s.state === 'reconnecting') onError(new Error(`${name}: disconnected (${s.error?.message ?? 'no reason'})`));
  });
  return {
    publish: (subject, data) => client.publish(subject, data),
    flush: () => client.flush(),
    subscribe: (subject, onMessage) => {
      client.subscribe(subject, { onMessage, onError });
    },
    close: () => client.close(),
  };
}

const OPEN: Record<Impl, typeof openRaw> = { raw: openRaw, nunect: openNunect };
/** How the results call each slot (with --control both slots are raw nats-core). */
const LABEL: Record<Impl, string> = { raw: 'raw', nunect: 'nunect' };

// ---------------------------------------------------------------------------------------------
// One run

interface RunResult {
  impl: Impl;
  size: number;
  messages: number;
  /** ms from the first publish to the last message received. */
  ms: number;
  /** ms from the first publish until the publisher had sent (and flushed) everything. */
  publishMs: number;
  msgsPerSec: number;
}

let gc: () => void = () => {};
try {
  setFlagsFromString('--expose-gc');
  gc = runInNewContext('gc') as () => void;
} catch {
  /* no forced GC: runs are still interleaved */
}

let runCounter = 0;

async function runOnce(impl: Impl, info: NatsServerInfo, size: number, opts: Options): Promise<RunResult> {
  const { messages, batch, window } = opts;
  // The same length for both sides: the subject is on every message and checked on every publish.
  const subject = `bench.throughput.${size}.${process.pid}.${String(runCounter++).padStart(4, '0')}`;
  const payload = new Uint8Array(size).fill(0x78);
  let failure: Error | undefined;
  const fail = (err: Error) => {
    failure ??= err;
    wake();
  };

  let received = 0;
  let wrongSize = 0;
  let tLast = 0;
  // The publisher waits for `received >= waitTarget`; the subscriber wakes it.
  let waitTarget = Infinity;
  let wakeUp: (() => void) | undefined;
  function wake(): void {
    waitTarget = Infinity;
    const w = wakeUp;
    wakeUp = undefined;
    w?.();
  }
  const onMessage = (msg: Msg) => {
    if (msg.data.length !== size) wrongSize++;
    if (++received === messages) tLast = performance.now();
    if (received >= waitTarget) wake();
  };

  /** Resolves once `received >= target`; rejects on failure or when the subscriber stalls. */
  const waitFor = async (target: number): Promise<void> => {
    while (received < target && !failure) {
      const before = received;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => wake(), STALL_MS);
        waitTarget = target;
        wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      if (received === before && received < target && !failure) {
        fail(
          new Error(`${LABEL[impl]} ${size} B: lost messages: the subscriber received ${received} of ${messages} and nothing more for ${STALL_MS / 1000} s`),
        );
      }
    }
    if (failure) throw failure;
  };

  let sub: BenchConnection | undefined;
  let pub: BenchConnection | undefined;
  try {
    sub = await OPEN[impl](info, `bench-${impl}-sub`, fail);
    pub = await OPEN[impl](info, `bench-${impl}-pub`, fail);
    sub.subscribe(subject, onMessage);
    await sub.flush(); // the server has the subscription before the first publish
    gc();
    await new Promise((r) => setTimeout(r, 50));

    const publish = pub.publish;
    const t0 = performance.now();
    let sent = 0;
    while (sent < messages) {
      const end = Math.min(messages, sent + batch);
      for (; sent < end; sent++) publish(subject, payload);
      await pub.flush();
      if (failure) throw failure;
      if (sent - received > window) await waitFor(sent - window);
    }
    const publishMs = performance.now() - t0;
    await waitFor(messages);
    const ms = tLast - t0;

    // Anything beyond `messages` (duplicates) would have arrived before this round trip ends.
    await sub.flush();
    await new Promise((r) => setTimeout(r, 20));
    if (failure) throw failure;
    if (received !== messages) throw new Error(`${LABEL[impl]} ${size} B: received ${received} messages, sent ${messages}`);
    if (wrongSize) throw new Error(`${LABEL[impl]} ${size} B: ${wrongSize} messages arrived with a wrong payload size`);
    return { impl, size, messages, ms, publishMs, msgsPerSec: (messages / ms) * 1000 };
  } finally {
    await pub?.close().catch(() => {});
    await sub?.close().catch(() => {});
  }
}

// ---------------------------------------------------------------------------------------------
// Statistics and output

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

interface ImplSummary {
  runs: number[];
  median: number;
  min: number;
  max: number;
  /** Payload throughput at the median rate, MB/s (10^6 bytes). */
  medianMBps: number;
}

interface SizeSummary {
  size: number;
  raw: ImplSummary;
  nunect: ImplSummary;
  ratio: {
    /** median(nunect) / median(raw). */
    ofMedians: number;
    /** nunect/raw of each round (the runs of one round are adjacent in time). */
    perRound: number[];
    medianOfRounds: number;
    min: number;
    max: number;
  };
  meetsTarget: boolean;
}

function summarise(size: number, results: RunResult[]): SizeSummary {
  const of = (impl: Impl): ImplSummary => {
    const runs = results.filter((r) => r.impl === impl).map((r) => r.msgsPerSec);
    const med = median(runs);
    return { runs, median: med, min: Math.min(...runs), max: Math.max(...runs), medianMBps: (med * size) / 1e6 };
  };
  const raw = of('raw');
  const nunect = of('nunect');
  const perRound = raw.runs.map((r, i) => nunect.runs[i]! / r);
  const medianOfRounds = median(perRound);
  const ofMedians = nunect.median / raw.median;
  return {
    size,
    raw,
    nunect,
    ratio: { ofMedians, perRound, medianOfRounds, min: Math.min(...perRound), max: Math.max(...perRound) },
    meetsTarget: medianOfRounds >= TARGET_RATIO,
  };
}

/** The JSON figures: msg/s as integers, ratios to 4 decimals. */
function rounded(s: SizeSummary): SizeSummary {
  const impl = (r: ImplSummary): ImplSummary => ({
    runs: r.runs.map(Math.round),
    median: Math.round(r.median),
    min: Math.round(r.min),
    max: Math.round(r.max),
    medianMBps: Math.round(r.medianMBps * 100) / 100,
  });
  const r4 = (x: number) => Math.round(x * 1e4) / 1e4;
  const q = s.ratio;
  return {
    ...s,
    raw: impl(s.raw),
    nunect: impl(s.nunect),
    ratio: { ofMedians: r4(q.ofMedians), perRound: q.perRound.map(r4), medianOfRounds: r4(q.medianOfRounds), min: r4(q.min), max: r4(q.max) },
  };
}

const fmtInt = (n: number) => Math.round(n).toLocaleString('en-US');
const fmtSize = (n: number) => (n >= 1024 && n % 1024 === 0 ? `${n / 1024} KiB` : `${n} B`);
const pad = (s: string, n: number) => s.padEnd(n);
const lpad = (s: string, n: number) => s.padStart(n);

const loadNow = () => loadavg().map((x) => Math.round(x * 100) / 100);

function machine() {
  const list = cpus();
  return {
    cpus: list.length,
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    kernel: release(),
    node: process.version,
    loadavgAtStart: loadNow(),
  };
}

function printTable(meta: ReturnType<typeof machine>, info: NatsServerInfo, opts: Options, summaries: SizeSummary[]): void {
  const out: string[] = [];
  out.push('');
  out.push(
    opts.control
      ? 'CONTROL (A/A): raw @nats-io/nats-core wsconnect vs itself: 1 publisher → 1 subscriber connection'
      : 'nunect client vs raw @nats-io/nats-core wsconnect: 1 publisher → 1 subscriber connection',
  );
  out.push(`  server    nats-server ${info.version} (${info.bin}), wss:// via the ws package, same account`);
  out.push(`  machine   ${meta.cpus} × ${meta.cpuModel}, ${meta.memoryGiB} GiB, Linux ${meta.kernel}, Node ${meta.node}`);
  out.push(`  load avg  ${meta.loadavgAtStart.join(' ')} at start, ${loadNow().join(' ')} at the end (1, 5, 15 min; other processes add noise)`);
  out.push(
    `  runs      ${fmtInt(opts.messages)} messages each, flush every ${fmtInt(opts.batch)}, ≤ ${fmtInt(opts.window)} in flight; 1 warm-up + ${opts.rounds} rounds (raw, nunect interleaved) per size`,
  );
  out.push(`  measured  first publish → last message received; every message counted`);
  out.push('');
  const header = `${pad('size', 8)}${pad('client', 8)}${lpad('median msg/s', 14)}${lpad('min', 12)}${lpad('max', 12)}${lpad('MB/s', 9)}`;
  out.push(header);
  out.push('-'.repeat(header.length));
  for (const s of summaries) {
    for (const impl of IMPLS) {
      const r = s[impl];
      out.push(
        `${pad(impl === 'raw' ? fmtSize(s.size) : '', 8)}${pad(LABEL[impl], 8)}${lpad(fmtInt(r.median), 14)}${lpad(fmtInt(r.min), 12)}${lpad(fmtInt(r.max), 12)}${lpad(r.medianMBps.toFixed(1), 9)}`,
      );
    }
    const rr = s.ratio;
    out.push(
      `${pad('', 8)}ratio ${LABEL.nunect}/raw: ${rr.medianOfRounds.toFixed(3)} median of rounds (min ${rr.min.toFixed(3)}, max ${rr.max.toFixed(3)}), ` +
        `${rr.ofMedians.toFixed(3)} of medians — target ≥ ${TARGET_RATIO}: ${s.meetsTarget ? 'met' : 'NOT MET'}`,
    );
    out.push(`${pad('', 8)}per round: ${rr.perRound.map((x) => x.toFixed(3)).join(' ')}`);
    out.push('');
  }
  console.log(out.join('\n'));
}

// ---------------------------------------------------------------------------------------------
// Main

async function main(): Promise<number> {
  const opts = parseOptions();
  const log = (line: string) => {
    if (!opts.quiet) process.stderr.write(`${line}\n`);
  };
  const meta = machine();
  let starting: Promise<TestNatsServer> | undefined;
  let stopping: Promise<void> | undefined;
  // Stops the server this process started (by the harness, i.e. by its PID), also when a signal
  // arrives while it is still starting.
  const stopServer = () =>
    (stopping ??= (async () => {
      const server = await starting?.catch(() => undefined);
      await server?.stop();
    })());
  const onSignal = (signal: NodeJS.Signals) => {
    process.stderr.write(`\n${signal}: stopping nats-server\n`);
    void stopServer().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  if (opts.control) {
    OPEN.nunect = openRaw;
    LABEL.nunect = 'raw-B';
  }
  try {
    starting = TestNatsServer.start(opts.server ? { bin: opts.server } : {});
    const { info } = await starting;
    log(`nats-server ${info.version} (${info.bin}) at ${info.wsUrl}`);
    const summaries: SizeSummary[] = [];
    for (const size of opts.sizes) {
      const results: RunResult[] = [];
      for (let round = 0; round <= opts.rounds; round++) {
        for (const impl of IMPLS) {
          const r = await runOnce(impl, info, size, opts);
          const label = round === 0 ? 'warm-up' : `round ${round}/${opts.rounds}`;
          log(
            `${fmtSize(size).padEnd(7)} ${label.padEnd(11)} ${LABEL[impl].padEnd(7)} ${lpad(fmtInt(r.msgsPerSec), 10)} msg/s  (${r.ms.toFixed(0)} ms, publishing ${r.publishMs.toFixed(0)} ms)`,
          );
          if (round > 0) results.push(r);
        }
      }
      summaries.push(summarise(size, results));
    }
    if (opts.json) {
      console.log(
        JSON.stringify(
          {
            benchmark: 'client-throughput',
            date: new Date().toISOString(),
            machine: { ...meta, loadavgAtEnd: loadNow() },
            server: { bin: info.bin, version: info.version },
            config: {
              control: opts.control,
              messages: opts.messages,
              rounds: opts.rounds,
              sizes: opts.sizes,
              batch: opts.batch,
              window: opts.window,
              warmupRounds: 1,
            },
            targetRatio: TARGET_RATIO,
            results: summaries.map(rounded),
          },
          null,
          2,
        ),
      );
    } else {
      printTable(meta, info, opts, summaries);
    }
    return 0;
  } finally {
    await stopServer();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof UsageError) {
      console.error(`${err.message}\n\n${USAGE}`);
      process.exit(2);
    }
    console.error(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  },
);
