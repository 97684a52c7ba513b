/**
 * End to end: the connections table on the manager page fits its card at desktop and phone sizes.
 * Every column header is visible within the card or reachable by scrolling the table's own
 * scroller; the card never overflows the page; the column chooser hides and shows columns.
 * The stack is started by `npm start` (scripts/start.sh, which builds the page) on free ports.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { connect, type NunectClient } from '../../client/node.js';
import { equal, ok } from '../support/assert.js';
import { ROOT } from '../support/nats-server.js';
import { cleanup, loadGenerated, stackEnv, startScript, stopChild, type Stack } from '../support/stack.js';
import { CHROME_PATH, chromiumArgs } from '../../scripts/chromium.mjs';

const SHOTS = join(ROOT, 'test-results/screenshots');
const STEP = { timeout: 15_000 };
/** A long client name: the name column clips it, the row still fits. */
const PROBE = 'e2e-layout-probe-with-a-rather-long-client-name-that-does-not-fit';

let stack: Stack;
let browser: Browser | undefined;
let npmStart: Awaited<ReturnType<typeof startScript>> | undefined;
let probe: NunectClient | undefined;

interface Box {
  left: number;
  right: number;
  width: number;
}

interface Layout {
  viewport: number;
  /** The page's own horizontal scroll width (the page must not scroll sideways). */
  pageScrollWidth: number;
  card: Box;
  section: Box;
  cardScrollWidth: number;
  cardClientWidth: number;
  scroller: Box & { scrollWidth: number; clientWidth: number };
  headers: string[];
}

async function openManager(viewport: { width: number; height: number }, colorScheme: 'light' | 'dark' = 'light'): Promise<Page & { errors: string[] }> {
  const context = await browser!.newContext({ viewport, colorScheme });
  // tsx keeps function names with an `__name` helper, which the functions given to evaluate() carry along.
  await context.addInitScript({ content: 'globalThis.__name ??= (f) => f;' });
  const page = (await context.newPage()) as Page & { errors: string[] };
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && page.errors.push(m.text()));
  await page.goto(stack.url);
  await page.getByLabel('User', { exact: true }).fill(stack.settings.NATS_MONITOR_USER!);
  await page.getByLabel('Password', { exact: true }).fill(stack.settings.NATS_MONITOR_PASSWORD!);
  await page.getByRole('button', { name: /log in/i }).click();
  await page.locator('nunect-connz').getByText(PROBE).first().waitFor(STEP);
  // Every widget has its first data, so nothing above the connections moves any more.
  await page.waitForFunction(
    () =>
      [...document.querySelectorAll('main section > *')].every(
        (w) => !['connecting', 'loading', 'unconfigured'].includes((w as HTMLElement & { state?: string }).state ?? ''),
      ),
    undefined,
    STEP,
  );
  return page;
}

function layout(connz: Locator): Promise<Layout> {
  return connz.evaluate((el) => {
    const box = (r: DOMRect) => ({ left: r.left, right: r.right, width: r.width });
    const root = el.shadowRoot!;
    const scroller = root.querySelector<HTMLElement>('.scroll')!;
    return {
      viewport: window.innerWidth,
      pageScrollWidth: document.documentElement.scrollWidth,
      card: box(el.getBoundingClientRect()),
      section: box(el.closest('section')!.getBoundingClientRect()),
      cardScrollWidth: el.scrollWidth,
      cardClientWidth: el.clientWidth,
      scroller: { ...box(scroller.getBoundingClientRect()), scrollWidth: scroller.scrollWidth, clientWidth: scroller.clientWidth },
      headers: [...root.querySelectorAll('thead th')].map((th) => (th.textContent ?? '').replace(/\s+/g, ' ').trim()),
    };
  });
}

/**
 * For each header: scrolls the table's scroller until the header is at its right edge (or leaves it
 * where it is if it is already in view) and says whether the header is then wholly inside the
 * scroller's visible box and not covered (the sticky name column covers what scrolls under it).
 * Ends scrolled to the far end, and reports whether the last header is in view there.
 */
function reachability(connz: Locator): Promise<{ unreachable: string[]; lastInViewAtEnd: boolean }> {
  return connz.evaluate((el) => {
    const root = el.shadowRoot!;
    const scroller = root.querySelector<HTMLElement>('.scroll')!;
    const headers = [...root.querySelectorAll<HTMLElement>('thead th')];
    const inView = (th: HTMLElement) => {
      const s = scroller.getBoundingClientRect();
      const r = th.getBoundingClientRect();
      if (r.left < s.left - 1 || r.right > s.left + scroller.clientWidth + 1) return false;
      const hit = root.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      return !!hit && th.contains(hit);
    };
    // (elementFromPoint sees only what is in the viewport.)
    headers[0]!.scrollIntoView({ block: 'center', inline: 'nearest' });
    scroller.scrollLeft = 0;
    const unreachable: string[] = [];
    for (const th of headers) {
      if (!inView(th)) scroller.scrollLeft = th.offsetLeft + th.offsetWidth - scroller.clientWidth;
      if (!inView(th)) unreachable.push((th.textContent ?? '').trim());
    }
    scroller.scrollLeft = scroller.scrollWidth;
    const lastInViewAtEnd = inView(headers[headers.length - 1]!);
    return { unreachable, lastInViewAtEnd };
  });
}

function checkFits(l: Layout, what: string): void {
  ok(l.card.width <= l.section.width + 0.5, `${what}: the card (${l.card.width}px) is not wider than its section (${l.section.width}px)`);
  ok(l.card.right <= l.viewport + 0.5 && l.card.left >= -0.5, `${what}: the card (${l.card.left}–${l.card.right}) is inside the viewport (${l.viewport})`);
  ok(l.cardScrollWidth <= l.cardClientWidth, `${what}: the card does not overflow (scrollWidth ${l.cardScrollWidth} > clientWidth ${l.cardClientWidth})`);
  ok(l.pageScrollWidth <= l.viewport, `${what}: the page does not scroll sideways (${l.pageScrollWidth} > ${l.viewport})`);
  ok(l.scroller.right <= l.card.right + 0.5, `${what}: the table's scroller stays in the card`);
}

async function checkReachable(connz: Locator, what: string): Promise<void> {
  const r = await reachability(connz);
  equal(r.unreachable.length, 0, `${what}: headers not reachable: ${r.unreachable.join(', ')}`);
  ok(r.lastInViewAtEnd, `${what}: scrolled to the end, the last header is in the scroller's visible box`);
  await connz.evaluate((el) => {
    el.shadowRoot!.querySelector<HTMLElement>('.scroll')!.scrollLeft = 0;
  });
}

/** The Connections section at the page's full width (the card against the viewport). */
async function sectionShot(page: Page, file: string): Promise<void> {
  const section = page.locator('section[aria-labelledby="h-connections"]');
  await section.scrollIntoViewIfNeeded();
  const clip = await section.evaluate((s) => {
    const r = s.getBoundingClientRect();
    return { x: 0, y: r.top + window.scrollY - 8, width: window.innerWidth, height: r.height + 16 };
  });
  await page.screenshot({ path: join(SHOTS, file), clip, fullPage: true });
}

describe(`connections table layout (nats-server ${process.env.NATS_SERVER_BIN ?? 'default'})`, () => {
  before(async () => {
    stack = await stackEnv();
    npmStart = await startScript(stack, 'start.sh', /Log in as \S+ with NATS_MONITOR_PASSWORD/, 110_000);
    loadGenerated(stack);
    probe = await connect({
      servers: stack.wsUrl,
      ca: stack.ca,
      user: stack.settings.NATS_BRIDGE_USER!,
      pass: stack.settings.NATS_BRIDGE_PASSWORD!,
      name: PROBE,
    });
    browser = await chromium.launch({
      executablePath: CHROME_PATH,
      args: chromiumArgs({ spki: stack.spki }),
    });
    mkdirSync(SHOTS, { recursive: true });
  });

  after(async () => {
    await probe?.close().catch(() => {});
    await browser?.close().catch(() => {});
    await stopChild(npmStart?.child, 'SIGINT');
    if (stack) cleanup(stack);
  });

  for (const [name, viewport] of [
    ['1280', { width: 1280, height: 800 }],
    ['390', { width: 390, height: 844 }],
  ] as const) {
    test(`${viewport.width}×${viewport.height}: every column reachable, the card fits, the chooser hides and shows`, { timeout: 90_000 }, async () => {
      const page = await openManager(viewport);
      const connz = page.locator('nunect-connz');
      await connz.locator('table[role="treegrid"] thead th').first().waitFor(STEP);

      const defaults = await layout(connz);
      checkFits(defaults, `${name}, default columns`);
      ok(defaults.headers[0] === 'Name', `the name column comes first: ${defaults.headers.join(', ')}`);
      if (viewport.width >= 1280) {
        // The default columns fit at 1280 px, or scroll only slightly.
        const over = defaults.scroller.scrollWidth - defaults.scroller.clientWidth;
        ok(over <= 160, `default columns at 1280 px overflow the scroller by ${over}px`);
      }
      await checkReachable(connz, `${name}, default columns`);
      await sectionShot(page, `connz-${name}.png`);

      // The chooser: hide a column, show it again.
      const button = connz.getByRole('button', { name: 'Columns', exact: true });
      await button.click();
      equal(await button.getAttribute('aria-expanded'), 'true');
      await connz.locator('[part="columns-menu"]').waitFor(STEP);
      checkFits(await layout(connz), `${name}, chooser open`);
      await sectionShot(page, `connz-${name}-columns.png`);
      const client = connz.getByRole('checkbox', { name: 'Client', exact: true });
      await client.uncheck();
      await connz.locator('thead th', { hasText: /^\s*Client\s*$/ }).waitFor({ state: 'detached', ...STEP });
      ok(!(await layout(connz)).headers.includes('Client'), 'Client hidden');
      await client.check();
      await connz.locator('thead th', { hasText: /^\s*Client\s*$/ }).waitFor(STEP);
      equal((await layout(connz)).headers.join('|'), defaults.headers.join('|'), 'Client shown again, in its place');

      // Every column shown: still reachable by scrolling the table's own scroller, the card still fits.
      await connz.getByRole('button', { name: 'Show all' }).click();
      await connz.locator('thead th', { hasText: 'Bytes out' }).waitFor(STEP);
      const all = await layout(connz);
      ok(all.headers.length > defaults.headers.length, `more columns: ${all.headers.join(', ')}`);
      checkFits(all, `${name}, every column`);
      ok(all.scroller.scrollWidth > all.scroller.clientWidth, `${name}: with every column the table scrolls inside its card`);
      await checkReachable(connz, `${name}, every column`);
      // Escape closes the chooser.
      await connz.getByRole('checkbox', { name: 'Uptime', exact: true }).focus();
      await page.keyboard.press('Escape');
      equal(await button.getAttribute('aria-expanded'), 'false');
      // Scrolled sideways, the sticky name column stays in view (screenshot to look at).
      await connz.evaluate((el) => {
        const s = el.shadowRoot!.querySelector<HTMLElement>('.scroll')!;
        s.scrollLeft = s.scrollWidth / 3;
      });
      await sectionShot(page, `connz-${name}-all-scrolled.png`);

      equal(page.errors.filter((e) => !/favicon/.test(e)).length, 0, `no page errors (CSP included): ${page.errors.join('\n')}`);
      await page.context().close();
    });
  }

  test('390×844 dark: the sticky name column is opaque, an open detail stays in view (screenshot)', { timeout: 60_000 }, async () => {
    const page = await openManager({ width: 390, height: 844 }, 'dark');
    const connz = page.locator('nunect-connz');
    await connz.locator('table[role="treegrid"] thead th').first().waitFor(STEP);
    await connz.locator('tr.conn', { hasText: PROBE }).click();
    await connz
      .locator('tr.detail')
      .getByText(/subscriptions/i)
      .first()
      .waitFor(STEP);
    await connz.locator('tr.conn', { hasText: 'nunect-manager' }).hover();
    const seen = await connz.evaluate((el) => {
      const root = el.shadowRoot!;
      const s = root.querySelector<HTMLElement>('.scroll')!;
      s.scrollLeft = 160;
      const box = s.getBoundingClientRect();
      const detail = root.querySelector<HTMLElement>('tr.detail > td > .detail-grid')!.getBoundingClientRect();
      return {
        scrolled: s.scrollLeft,
        backgrounds: [...root.querySelectorAll<HTMLElement>('th.name, td.name')].map((c) => getComputedStyle(c).backgroundColor),
        detailInView: detail.left >= box.left - 1 && detail.right <= box.left + s.clientWidth + 1,
        colspan: Number(root.querySelector('tr.detail > td')!.getAttribute('colspan')),
        columns: root.querySelectorAll('thead th').length,
      };
    });
    ok(seen.scrolled > 0, 'the table scrolled sideways');
    ok(seen.backgrounds.length > 1 && seen.backgrounds.every((b) => /^rgb\(|^rgba\(.*, 1\)$/.test(b)), `opaque: ${seen.backgrounds.join(', ')}`);
    ok(seen.detailInView, 'the detail stays inside the visible part of the scrolled table');
    equal(seen.colspan, seen.columns, 'the detail row spans the visible columns');
    await sectionShot(page, 'connz-390-dark-scrolled.png');
    equal(page.errors.filter((e) => !/favicon/.test(e)).length, 0, `no page errors: ${page.errors.join('\n')}`);
    await page.context().close();
  });
});
