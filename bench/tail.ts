/**
 * `<nunect-tail>` under a sustained stream, end to end, in headless Chromium: a real nats-server
 * (test/support/nats-server.ts, free ports, stopped by PID); the page logs in over wss as the
 * read-only `bridge-viewer` and tails `bridge.>`; Node publishes `--rate` messages a second
 * (JSON, ~150 B, paced every 10 ms) for `--seconds` as the `bridge` user. Midway the tail is paused
 * for a third of the run and resumed, and a message is opened (its payload part rendered).
 *
 * Measured per run:
 * - correctness: the count the tail shows must equal the messages published, exactly, and the
 *   "new while paused" count the messages sent while paused (else exit 1);
 * - main-thread long tasks (PerformanceObserver `longtask`, tasks over 50 ms): count and longest —
 *   the target is none; they include nats-core's WebSocket and protocol work;
 * - frames: requestAnimationFrame callbacks during the run (fps, longest gap).
 *
 * Usage: node --import tsx bench/tail.ts [--rate 10000] [--seconds 10] [--runs 1] [--capacity 10000] [--json]
 * Browser: CHROME_PATH or /usr/bin/chromium (never downloaded), driven by puppeteer-core.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { connect, type NunectClient } from '../client/node.js';
import { makeCerts, TestNatsServer } from '../test/support/nats-server.js';
import { CHROME_PATH, chromiumArgs } from '../scripts/chromium.mjs';
import { bundlePage, servePage } from './page-bundle.js';

const { values: opts } = parseArgs({
  options: {
    rate: { type: 'string', default: '10000' },
    seconds: { type: 'string', default: '10' },
    runs: { type: 'string', default: '1' },
    capacity: { type: 'string', default: '10000' },
    json: { type: 'boolean', default: false },
  },
});
const RATE = Number(opts.rate);
const SECONDS = Number(opts.seconds);
const RUNS = Number(opts.runs);
const CAPACITY = Number(opts.capacity);
const log = (s: string) => console.error(`bench:tail: ${s}`);

const PAGE_ENTRY = `
import '../components/provider/define.js';
import '../components/tail/define.js';
const w = window;
w.__mount = async ({ wsUrl, user, pass, capacity }) => {
  document.body.innerHTML = '';
  const provider = document.createElement('nunect-provider');
  provider.setAttribute('server', wsUrl);
  const tail = document.createElement('nunect-tail');
  tail.capacity = capacity;
  provider.append(tail);
  document.body.append(provider);
  await provider.login({ user, pass });
  tail.subject = 'bridge.>';
  for (let i = 0; i < 400 && tail.state !== 'ready'; i++) await new Promise((r) => setTimeout(r, 25));
  await new Promise((r) => setTimeout(r, 200));
  w.__tail = tail;
  return tail.state;
};
w.__watch = () => {
  const m = { longtasks: [], at: [], marks: [], frames: [], on: true, t0: performance.now() };
  new PerformanceObserver((list) => { for (const e of list.getEntries()) { m.longtasks.push(e.duration); m.at.push(Math.round(e.startTime - m.t0)); } }).observe({ type: 'longtask' });
  const frame = (t) => { if (!m.on) return; m.frames.push(t); requestAnimationFrame(frame); };
  requestAnimationFrame(frame);
  w.__m = m;
};
w.__click = (sel) => { w.__m?.marks.push(sel + '@' + Math.round(performance.now() - w.__m.t0)); w.__tail.shadowRoot.querySelector(sel)?.click(); };
w.__counts = () => ({ received: w.__tail.received, newWhilePaused: w.__tail.newWhilePaused, evicted: w.__tail.evicted });
w.__stop = async () => {
  await new Promise((r) => setTimeout(r, 400));
  const m = w.__m; m.on = false;
  const gaps = m.frames.slice(1).map((t, i) => t - m.frames[i]);
  const text = (w.__tail.shadowRoot.querySelector('[part="counts"]')?.textContent ?? '').replace(/\\s+/g, ' ').trim();
  return { at: m.at, marks: m.marks, received: w.__tail.received, evicted: w.__tail.evicted, counts: text, longtasks: m.longtasks, frames: m.frames.length,
    span: m.frames.length > 1 ? m.frames[m.frames.length - 1] - m.frames[0] : 0, maxGap: Math.max(0, ...gaps),
    detail: !!w.__tail.shadowRoot.querySelector('[part="detail"] .payload-body') };
};
`;

interface Figures {
  sent: number;
  received: number;
  sentWhilePaused: number;
  newWhilePaused: number;
  evicted: number;
  counts: string;
  longTasks: number;
  longestTaskMs: number;
  fps: number;
  longestFrameGapMs: number;
  detail: boolean;
  ok: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Publishes `RATE`/s for `SECONDS`, paced every 10 ms; pauses the tail from 1/3 to 2/3 of the run. */
async function run(page: Page, publisher: NunectClient): Promise<Figures> {
  await page.evaluate(() => (window as unknown as { __watch: () => void }).__watch());
  const base = (await page.evaluate(() => (window as unknown as { __counts: () => { received: number } }).__counts())).received;
  const total = Math.round(RATE * SECONDS);
  const t0 = performance.now();
  let sent = 0;
  let pausedAt = -1;
  let resumedAt = -1;
  let opened = false;
  let whilePaused = -1;
  const body = (i: number) =>
    JSON.stringify({
      seq: i,
      kind: 'order',
      region: i % 2 ? 'eu' : 'us',
      total: (i % 997) / 10,
      items: [{ sku: `sku-${i % 31}`, qty: 1 + (i % 3) }],
      note: 'x'.repeat(40),
    });
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - t0) / 1_000) * RATE));
    for (; sent < due; sent++) publisher.publish(`bridge.bench.${sent % 16}`, body(sent));
    const third = total / 3;
    if (pausedAt < 0 && sent >= third) {
      await publisher.flush();
      // Everything sent so far has arrived: what comes after the click is "new while paused".
      await page.waitForFunction((n) => (window as unknown as { __counts: () => { received: number } }).__counts().received >= n, { polling: 20 }, base + sent);
      await page.evaluate(() => (window as unknown as { __click: (s: string) => void }).__click('button.pause'));
      pausedAt = sent;
    }
    if (resumedAt < 0 && sent >= 2 * third) {
      await publisher.flush();
      await page.waitForFunction((n) => (window as unknown as { __counts: () => { received: number } }).__counts().received >= n, { polling: 50 }, base + sent);
      const counts = await page.evaluate(() => (window as unknown as { __counts: () => { newWhilePaused: number } }).__counts());
      whilePaused = counts.newWhilePaused;
      await page.evaluate(() => (window as unknown as { __click: (s: string) => void }).__click('button.pause'));
      resumedAt = sent;
    }
    if (!opened && sent >= 0.8 * total) {
      await page.evaluate(() => (window as unknown as { __click: (s: string) => void }).__click('.body button.open'));
      opened = true;
    }
    await publisher.flush();
    await sleep(10);
  }
  await publisher.flush();
  await page.waitForFunction(
    (n) => (window as unknown as { __counts: () => { received: number } }).__counts().received >= n,
    { polling: 100, timeout: 60_000 },
    base + total,
  );
  const r = (await page.evaluate(() => (window as unknown as { __stop: () => Promise<unknown> }).__stop())) as {
    received: number;
    evicted: number;
    counts: string;
    longtasks: number[];
    frames: number;
    span: number;
    maxGap: number;
    detail: boolean;
    at: number[];
    marks: string[];
  };
  if (r.longtasks.length) log(`long tasks at ${r.at.map((t, i) => `${t} ms (${r.longtasks[i]!.toFixed(0)} ms)`).join(', ')}; clicks ${r.marks.join(', ')}`);
  const received = r.received - base;
  const sentWhilePaused = resumedAt - pausedAt;
  const newWhilePaused = whilePaused;
  return {
    sent: total,
    received,
    sentWhilePaused,
    newWhilePaused,
    evicted: r.evicted,
    counts: r.counts,
    longTasks: r.longtasks.length,
    longestTaskMs: Math.max(0, ...r.longtasks),
    fps: r.span ? ((r.frames - 1) * 1_000) / r.span : 0,
    longestFrameGapMs: r.maxGap,
    detail: r.detail,
    ok: received === total && newWhilePaused === sentWhilePaused,
  };
}

async function main(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'nunect-tail-bench-'));
  let http: Server | undefined;
  let browser: Browser | undefined;
  let nats: TestNatsServer | undefined;
  let publisher: NunectClient | undefined;
  try {
    const certDir = join(dir, 'certs');
    const { spki } = makeCerts(certDir);
    nats = await TestNatsServer.start({ certDir });
    log(`nats-server ${nats.info.version} on ${nats.info.wsUrl}; ${cpus().length} cores, load ${loadavg()[0]!.toFixed(2)}`);
    await bundlePage(dir, { entry: PAGE_ENTRY, sourcefile: 'tail-page.js', title: 'tail bench' });
    const served = await servePage(dir);
    http = served.server;
    browser = await puppeteer.launch({ executablePath: CHROME_PATH, headless: true, args: chromiumArgs({ spki, headless: true }) });
    const page = await browser.newPage();
    await page.setViewport({ width: 1400, height: 900 });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(served.url, { waitUntil: 'load' });
    await page.waitForFunction(() => typeof (window as unknown as { __mount?: unknown }).__mount === 'function');
    const viewer = nats.info.roles['bridge-viewer'];
    const state = await page.evaluate((o) => (window as unknown as { __mount: (o: unknown) => Promise<string> }).__mount(o), {
      wsUrl: nats.info.wsUrl,
      user: viewer.user,
      pass: viewer.pass,
      capacity: CAPACITY,
    });
    if (state !== 'ready') throw new Error(`the tail is ${state}: ${errors.join('; ')}`);
    publisher = await connect({
      servers: nats.info.wsUrl,
      ca: nats.info.ca,
      user: nats.info.users.BRIDGE.user,
      pass: nats.info.users.BRIDGE.pass,
      name: 'bench-tail-publisher',
    });
    const results: Figures[] = [];
    for (let i = 0; i < RUNS; i++) {
      log(`run ${i + 1}/${RUNS}: ${RATE} msg/s for ${SECONDS} s, capacity ${CAPACITY}`);
      results.push(await run(page, publisher));
    }
    if (errors.length) log(`page errors: ${errors.join('; ')}`);
    if (opts.json) console.log(JSON.stringify(results, null, 2));
    else
      for (const [i, r] of results.entries())
        console.log(
          `run ${i + 1}: sent ${r.sent}, shown ${r.received} (${r.ok ? 'exact' : 'WRONG'}); paused: ${r.sentWhilePaused} sent, ${r.newWhilePaused} counted; ` +
            `long tasks (>50 ms): ${r.longTasks}, longest ${r.longestTaskMs.toFixed(0)} ms; ${r.fps.toFixed(0)} fps, longest frame gap ${r.longestFrameGapMs.toFixed(0)} ms; ` +
            `detail shown: ${r.detail}; "${r.counts}"`,
        );
    return results.every((r) => r.ok) && !errors.length ? 0 : 1;
  } finally {
    await publisher?.close().catch(() => {});
    await browser?.close().catch(() => {});
    http?.close();
    await nats?.stop().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  }
}

process.exitCode = await main().catch((e: unknown) => {
  console.error(e);
  return 1;
});
