/**
 * `<nunect-streams>` in headless Chromium against a real nats-server (test/support/nats-server.ts,
 * free ports, stopped by PID): an account with `--streams` streams (one of them BIG, a file
 * stream of `--messages` messages with direct get), the page logged in over wss as the BRIDGE user.
 *
 * Measured, every time from the action to the first animation frame that shows its result:
 * 1. the list: login → first rows painted, → every stream loaded ("1–1,000 of 1,000"), with the
 *    long tasks of the load (target: first rows < 1 s);
 * 2. scrolling the list from top to bottom, a step a frame: long tasks (PerformanceObserver,
 *    wall time) and the main thread's tasks from a trace (wall and CPU time); target: none > 50 ms;
 * 3. the message browser on BIG: the stream opened → its first message shown, 10 × next and
 *    10 × previous, jump to sequence messages/2, the last message on a subject, a time in the
 *    middle (2.11+; explained on older servers) — and BIG's consumer count before and after
 *    (browsing creates none).
 *
 * Usage: node --import tsx bench/streams-page.ts [--streams 1000] [--messages 1000000] [--server BIN] [--json]
 * Browser: CHROME_PATH or /usr/bin/chromium (never downloaded), driven by puppeteer-core.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { jetstream, jetstreamManager, StorageType } from '@nats-io/jetstream';
import { connect, type NunectClient } from '../client/node.js';
import { makeCerts, TestNatsServer } from '../test/support/nats-server.js';
import { CHROME_PATH, chromiumArgs } from '../scripts/chromium.mjs';
import { bundlePage, servePage } from './page-bundle.js';
import { mainThread, TARGET_TASK_MS } from './trace.js';

const { values: opts } = parseArgs({
  options: {
    streams: { type: 'string', default: '1000' },
    messages: { type: 'string', default: '1000000' },
    server: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});
const STREAMS = Number(opts.streams);
const MESSAGES = Number(opts.messages);
const log = (s: string) => console.error(`bench:streams: ${s}`);
const load = () => loadavg()[0]!.toFixed(2);

// The page's side: mount, and time an action to the first frame that shows its result.
const PAGE_ENTRY = `
import '../components/provider/define.js';
import '../components/streams/define.js';
const w = window;
const long = [];
new PerformanceObserver((list) => { for (const e of list.getEntries()) long.push({ at: e.startTime, ms: e.duration }); }).observe({ type: 'longtask' });
const longSince = (t) => long.filter((l) => l.at >= t).map((l) => l.ms);
const root = () => w.__el.shadowRoot;
/** Resolves with the ms from t0 to the first animation frame where check() holds. */
const frameWhen = (t0, check, timeout = 60000) => new Promise((ok, fail) => {
  const f = () => {
    let v; try { v = check(); } catch { v = false; }
    if (v) return ok(performance.now() - t0);
    if (performance.now() - t0 > timeout) return fail(new Error('timed out: ' + check + '; message ' + seqShown() + '; status: ' + (root().querySelector('.browse-status')?.textContent ?? '').replace(/\\s+/g, ' ')));
    requestAnimationFrame(f);
  };
  requestAnimationFrame(f);
});
w.__mount = async ({ wsUrl, user, pass, total }) => {
  const provider = document.createElement('nunect-provider');
  provider.setAttribute('server', wsUrl);
  const el = document.createElement('nunect-streams');
  el.interval = 600000; // no refresh during the bench: one read of the list
  provider.append(el);
  document.body.append(provider);
  w.__el = el;
  const t0 = performance.now();
  const login = provider.login({ user, pass });
  const first = await frameWhen(t0, () => root().querySelector('tr.stream'));
  const all = await frameWhen(t0, () => el.streams.length === total && !root().querySelector('[aria-busy="true"]'));
  await login;
  const range = root().querySelector('[part="pager"] .range')?.textContent.trim();
  return { first, all, range, rowsInDom: root().querySelectorAll('tr.stream').length, longTasks: longSince(t0) };
};
w.__scroll = async (step) => {
  const scroller = root().querySelector('.scroll');
  scroller.scrollTop = 0;
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  const t0 = performance.now();
  let frames = 0;
  while (scroller.scrollTop + scroller.clientHeight < scroller.scrollHeight - 1) {
    scroller.scrollTop += step;
    frames++;
    await new Promise((r) => requestAnimationFrame(r));
  }
  const names = [...root().querySelectorAll('tr.stream')].map((r) => r.dataset.name);
  const last = w.__el.streams.map((s) => s.config.name).sort((a, b) => a.localeCompare(b)).at(-1);
  await frameWhen(t0, () => [...root().querySelectorAll('tr.stream')].some((r) => r.dataset.name === last));
  return { ms: performance.now() - t0, frames, rowsInDom: names.length, lastShown: true, height: scroller.scrollHeight, longTasks: longSince(t0) };
};
const seqShown = () => Number((root().querySelector('[part="message"] .seq')?.textContent ?? '').replace(/[^0-9]/g, '')) || 0;
const busy = () => root().querySelector('.browse-status')?.textContent.includes('Reading');
w.__open = async (name) => {
  const sel = 'button.link[data-name="' + name + '"]';
  root().querySelector('.scroll').scrollTop = 0; // its row is at the top
  await frameWhen(performance.now(), () => root().querySelector(sel));
  const t0 = performance.now();
  root().querySelector(sel).click();
  const ms = await frameWhen(t0, () => seqShown() > 0 && !busy());
  return { ms, seq: seqShown(), longTasks: longSince(t0) };
};
w.__step = async (cls, n) => {
  const times = [];
  const t00 = performance.now();
  for (let i = 0; i < n; i++) {
    const before = seqShown();
    const t0 = performance.now();
    root().querySelector('button.' + cls).click();
    times.push(await frameWhen(t0, () => seqShown() !== before && !busy()));
  }
  return { times, seq: seqShown(), longTasks: longSince(t00) };
};
w.__jump = async (form, value, expect) => {
  const f = root().querySelector('form.' + form);
  const input = f.querySelector('input');
  if (input.disabled) return { disabled: root().querySelector('.time-why')?.textContent.trim() };
  input.value = value;
  const t0 = performance.now();
  const before = seqShown();
  f.requestSubmit();
  const ms = await frameWhen(t0, () => !busy() && (expect ? seqShown() === expect : seqShown() !== before));
  return { ms, seq: seqShown(), subject: root().querySelector('[part="message"] .subject')?.textContent, longTasks: longSince(t0) };
};
/** An ISO time as the datetime-local input takes it, in this page's time zone. */
w.__local = (iso) => { const d = new Date(iso); const p = (n) => String(n).padStart(2, '0');
  return d.getFullYear() + '-' + p(d.getMonth() + 1) + '-' + p(d.getDate()) + 'T' + p(d.getHours()) + ':' + p(d.getMinutes()) + ':' + p(d.getSeconds()); };
`;

/** Calls a `window.__…` function of the page (by name: tsx would rewrite a function passed in). */
function call<T>(page: Page, fn: string, ...args: unknown[]): Promise<T> {
  return page.evaluate(`window.${fn}(...${JSON.stringify(args)})`) as Promise<T>;
}

const ms = (n: number) => `${Math.round(n)} ms`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const longest = (xs: number[]) => (xs.length ? `${xs.length} over 50 ms, longest ${ms(Math.max(...xs))}` : 'none over 50 ms');

async function main(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'nunect-streams-bench-'));
  let http: Server | undefined;
  let browser: Browser | undefined;
  let nats: TestNatsServer | undefined;
  let client: NunectClient | undefined;
  const failures: string[] = [];
  try {
    const certDir = join(dir, 'certs');
    const { spki } = makeCerts(certDir);
    nats = await TestNatsServer.start({ certDir, ...(opts.server ? { bin: opts.server } : {}) });
    const version = nats.info.version;
    log(`nats-server ${version}; ${cpus().length} cores, load ${load()}`);
    const who = nats.info.users.BRIDGE;
    client = await connect({ servers: nats.info.wsUrl, ca: nats.info.ca, user: who.user, pass: who.pass, timeout: 20_000, name: 'bench-streams-setup' });
    const jsm = await jetstreamManager(client.nc);
    let t = performance.now();
    for (let i = 0; i < STREAMS - 1; i++)
      await jsm.streams.add({ name: `S${String(i).padStart(4, '0')}`, subjects: [`s.${i}.>`], storage: StorageType.Memory });
    await jsm.streams.add({ name: 'BIG', subjects: ['big.>'], storage: StorageType.File, allow_direct: true });
    log(`${STREAMS} streams made in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    const js = jetstream(client.nc);
    t = performance.now();
    const payload = new TextEncoder().encode(JSON.stringify({ reading: 42, unit: 'kPa', tags: ['a', 'b'] }));
    const BATCH = 5_000;
    for (let i = 0; i < MESSAGES; i += BATCH) {
      const acks: Promise<unknown>[] = [];
      for (let j = i; j < Math.min(MESSAGES, i + BATCH); j++) acks.push(js.publish(`big.${j % 100}`, payload));
      await Promise.all(acks);
    }
    log(`${MESSAGES} messages stored in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    const middle = Math.floor(MESSAGES / 2);
    const middleTime = (await jsm.streams.getMessage('BIG', { seq: middle }))!.time.toISOString();
    const consumersBefore = (await jsm.streams.info('BIG')).state.consumer_count;

    await bundlePage(dir, { entry: PAGE_ENTRY, sourcefile: 'streams-page.js', title: 'streams bench' });
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

    const loadAt = load();
    const list = await call<{ first: number; all: number; range: string; rowsInDom: number; longTasks: number[] }>(page, '__mount', {
      wsUrl: nats.info.wsUrl,
      user: who.user,
      pass: who.pass,
      total: STREAMS,
    });
    await page.tracing.start({ categories: ['disabled-by-default-devtools.timeline', 'devtools.timeline', 'toplevel'] });
    const scroll = await call<{ ms: number; frames: number; rowsInDom: number; height: number; longTasks: number[] }>(page, '__scroll', 300);
    const trace = await page.tracing.stop();
    const scrollTasks = mainThread(Buffer.from(trace!), 'scroll', log);
    const scrollLoad = load();

    const browseLoad = load();
    const open = await call<{ ms: number; seq: number; longTasks: number[] }>(page, '__open', 'BIG');
    const next = await call<{ times: number[]; seq: number; longTasks: number[] }>(page, '__step', 'next-msg', 10);
    const prev = await call<{ times: number[]; seq: number; longTasks: number[] }>(page, '__step', 'prev-msg', 10);
    const jump = await call<{ ms: number; seq: number; longTasks: number[] }>(page, '__jump', 'jump-seq', String(middle), middle);
    const bySubject = await call<{ ms: number; seq: number; subject: string; longTasks: number[] }>(page, '__jump', 'jump-subject', 'big.7', 0);
    const local = await call<string>(page, '__local', middleTime);
    const byTime = await call<{ ms?: number; seq?: number; disabled?: string; longTasks?: number[] }>(page, '__jump', 'jump-time', local, 0);
    const consumersAfter = (await jsm.streams.info('BIG')).state.consumer_count;
    // The last message on big.7: the highest sequence ≡ 8 (mod 100), counted from 1.
    const lastOn7 = MESSAGES - ((MESSAGES - 8) % 100);

    if (list.first >= 1_000) failures.push(`first rows ${ms(list.first)} (target < 1 s)`);
    if (list.range !== `1–${STREAMS.toLocaleString('en')} of ${STREAMS.toLocaleString('en')}`) failures.push(`pager says "${list.range}"`);
    if (scrollTasks.taskMaxMs > TARGET_TASK_MS) failures.push(`a scrolling task of ${scrollTasks.taskMaxMs} ms`);
    if (open.seq !== 1) failures.push(`opened at ${open.seq}, not 1`);
    if (next.seq !== 11 || prev.seq !== 1) failures.push(`next/previous reached ${next.seq}/${prev.seq}`);
    if (jump.seq !== middle) failures.push(`jump reached ${jump.seq}`);
    if (bySubject.seq !== lastOn7) failures.push(`last on big.7 is ${bySubject.seq}, not ${lastOn7}`);
    if (consumersAfter !== consumersBefore) failures.push(`consumers ${consumersBefore} → ${consumersAfter}`);
    if (errors.length) failures.push(`page errors: ${errors.join('; ')}`);

    const out = {
      server: version,
      streams: STREAMS,
      messages: MESSAGES,
      list: { loadAt, ...list },
      scroll: { loadAt: scrollLoad, ...scroll, trace: scrollTasks },
      browse: { loadAt: browseLoad, open, next, prev, jump, bySubject, byTime, consumersBefore, consumersAfter },
      failures,
    };
    if (opts.json) console.log(JSON.stringify(out, null, 2));
    console.log(`nats-server ${version}, ${STREAMS} streams, BIG with ${MESSAGES.toLocaleString('en')} messages; ${cpus().length} cores`);
    console.log(
      `list (load ${loadAt}): first rows painted ${ms(list.first)} after login, all ${STREAMS} loaded ${ms(list.all)} ("${list.range}"), ${list.rowsInDom} rows in the DOM; long tasks: ${longest(list.longTasks)}`,
    );
    console.log(
      `scroll top → bottom (load ${scrollLoad}): ${scroll.frames} steps of 300 px in ${ms(scroll.ms)}, ${scroll.rowsInDom} rows in the DOM at the end; ` +
        `long tasks: ${longest(scroll.longTasks)}; trace: longest task ${scrollTasks.taskMaxMs} ms wall / ${scrollTasks.taskCpuMaxMs} ms CPU, ${scrollTasks.tasksOver50} of ${scrollTasks.tasks} over 50 ms, ${scrollTasks.busyPct} % busy`,
    );
    console.log(`browser on BIG (load ${browseLoad}): opened → message ${open.seq} shown ${ms(open.ms)}; long tasks: ${longest(open.longTasks)}`);
    console.log(
      `  next ×10: median ${ms(median(next.times))} (max ${ms(Math.max(...next.times))}) → ${next.seq}; previous ×10: median ${ms(median(prev.times))} (max ${ms(Math.max(...prev.times))}) → ${prev.seq}`,
    );
    console.log(
      `  jump to ${middle.toLocaleString('en')}: ${ms(jump.ms)} → ${jump.seq}; last on big.7: ${ms(bySubject.ms)} → ${bySubject.seq} (${bySubject.subject})`,
    );
    console.log(
      byTime.disabled
        ? `  jump to a time: not offered on ${version}: "${byTime.disabled}"`
        : `  jump to ${middleTime} (${local} local): ${ms(byTime.ms!)} → ${byTime.seq}`,
    );
    console.log(
      `  long tasks while browsing: ${longest([...next.longTasks, ...prev.longTasks, ...jump.longTasks, ...bySubject.longTasks, ...(byTime.longTasks ?? [])])}; consumers on BIG before ${consumersBefore}, after ${consumersAfter}`,
    );
    if (failures.length) console.log(`FAILED: ${failures.join('; ')}`);
    return failures.length ? 1 : 0;
  } finally {
    await client?.close().catch(() => {});
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
