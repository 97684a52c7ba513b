/**
 * <nunect-units> on a fake registry (units-source.fake.ts over the fake client's responders):
 * the shared widget suite, states, filters, the live heartbeat age on the manual clock, version
 * skew, the Controller's liveness, the timeline, sorting (headers, default worst first, stable
 * ties, the attributes), a reader that cannot read OPS, hostile text; 1,000 units (only the rows in
 * view in the DOM, every one reachable, one row height) and a burst of updates (few renders, exact).
 */
import { expect, html, waitUntil } from '@open-wc/testing';
import { NunectError } from '../../client/index.js';
import type { ControllerRecord, UnitEvent, UnitRecord } from '../../client/units.js';
import { CAPTURE_TIME, mountInProvider } from '../../test/support/fixtures.js';
import { FakeClient, FIXTURES } from '../../test/support/fake-client.js';
import { textOf, widgetSuite } from '../../test/support/widget-suite.js';
import './define.js';
import { NunectUnits, nameOrder, sortUnits, unitSortValue, UNITS_SORT_KEYS, type UnitsSortKey } from './nunect-units.js';
import { fakeUnitsSource, type FakeRegistry } from './units-source.fake.js';
import { opsError, type UnitsSourceFactory, type UnitsWatchHandlers } from './units-source.js';

const T = new Date(CAPTURE_TIME).getTime();
const unit = (over: Partial<UnitRecord> & { unit: string; account: string }): UnitRecord => ({
  kind: 'bridge',
  version: '1.4.0',
  host: 'host-a',
  pid: 42,
  state: 'alive',
  status: 'ok',
  reason: 'heartbeats arrive',
  since: T - 60_000,
  firstSeen: T - 3_600_000,
  lastBeat: T - 2_000,
  started: new Date(T - 600_000).toISOString(),
  seq: 12,
  interval: 5_000,
  restarts: 0,
  flaps: 0,
  checks: [{ name: 'db', status: 'ok', ms: 1 }],
  load: { cpu: 2.5, rss: 50 * 1024 * 1024, eventLoopDelay: 3 },
  ...over,
});
const CONTROLLER: ControllerRecord = {
  version: '0.1.0',
  started: T - 7_200_000,
  liveness: 'timer',
  serverVersion: '2.9.10',
  lateAfterBeats: 2,
  lostAfterBeats: 5,
};
const REGISTRY: FakeRegistry = {
  units: [
    unit({ unit: 'bridge-1', account: 'bridge' }),
    unit({ unit: 'bridge-2', account: 'bridge', version: '1.5.0-rc1', host: 'host-b' }),
    unit({ unit: 'bridge-3', account: 'bridge' }),
    unit({
      unit: 'engine-1',
      account: 'engine',
      kind: 'engine',
      version: '2.0.0',
      state: 'lost',
      reason: 'heartbeat expired 12 s ago',
      lastBeat: T - 30_000,
      since: T - 3_000,
      restarts: 3,
      status: 'failing',
      checks: [{ name: 'gpu', status: 'failing', message: 'timed out after 200 ms', ms: 200 }],
    }),
    unit({ unit: 'provision-1', account: 'provision', kind: 'provision', version: '1.0.0', state: 'stopped', reason: 'stopped: upgrade' }),
  ],
  controller: CONTROLLER,
};
const EVENTS: UnitEvent[] = [
  { time: T - 100_000, unit: 'engine-1', account: 'engine', to: 'alive', status: 'ok', reason: 'heartbeats arrive' },
  { time: T - 20_000, unit: 'engine-1', account: 'engine', from: 'alive', to: 'late', status: 'ok', reason: 'disconnected: Kicked' },
  { time: T - 3_000, unit: 'engine-1', account: 'engine', from: 'late', to: 'lost', status: 'ok', reason: 'heartbeat expired 12 s ago' },
];
// Every FakeClient (also those the shared suite makes) answers the fake registry and events.
FIXTURES.UNITS = [REGISTRY];
FIXTURES.UNIT_EVENTS = [EVENTS];
NunectUnits.defaultSource = fakeUnitsSource(20);

widgetSuite('nunect-units', { kinds: ['UNITS'], readyText: 'bridge-1' });

async function mount(fake = new FakeClient(), attrs: Partial<NunectUnits> = {}) {
  const m = await mountInProvider<NunectUnits>(html`<nunect-units .interval=${100}></nunect-units>`, { client: fake });
  Object.assign(m.el, attrs);
  await waitUntil(() => m.el.state === 'ready', `ready (is ${m.el.state}): ${textOf(m.el)}`, { timeout: 3_000 });
  await m.el.updateComplete;
  return m;
}
const rows = (el: NunectUnits) => [...el.shadowRoot!.querySelectorAll<HTMLTableRowElement>('tr.unit')];
const row = (el: NunectUnits, key: string) => el.shadowRoot!.querySelector<HTMLTableRowElement>(`tr.unit[data-key="${key}"]`)!;
const keys = (el: NunectUnits) => rows(el).map((r) => r.dataset.key);
const header = (el: NunectUnits, column: string) => el.shadowRoot!.querySelector<HTMLTableCellElement>(`thead th[data-column="${column}"]`)!;
const sortButton = (el: NunectUnits, column: string) => header(el, column).querySelector<HTMLButtonElement>('button[data-sort]')!;
const text = (e: Element | null | undefined) => (e?.textContent ?? '').replace(/\s+/g, ' ').trim();

describe('<nunect-units>', () => {
  it('lists every unit with state in colour and words, why, age, version, host, uptime, restarts, checks and load', async () => {
    const { el } = await mount();
    expect(
      rows(el)
        .map((r) => r.dataset.key)
        .sort(),
    ).to.deep.equal(REGISTRY.units.map((u) => `${u.account}.${u.unit}`).sort());
    const lost = row(el, 'engine.engine-1');
    expect(lost.dataset.state).to.equal('lost');
    expect(lost.querySelector('[part="state"]')!.getAttribute('data-state')).to.equal('lost');
    const t = text(lost);
    expect(t).to.contain('lost').and.contain('failing').and.contain('heartbeat expired 12 s ago').and.contain('30 s ago');
    expect(t).to.contain('gpu: failing (timed out after 200 ms)').and.contain('3');
    expect(text(row(el, 'bridge.bridge-1')))
      .to.contain('host-a')
      .and.contain('10 min')
      .and.contain('CPU 2.5 %')
      .and.contain('50 MiB');
    expect(textOf(el)).to.contain('Lost 1').and.contain('Alive 3');
  });

  it('sorts by state by default, the lost unit first, then by name', async () => {
    const { el } = await mount();
    expect(keys(el)).to.deep.equal(['engine.engine-1', 'bridge.bridge-1', 'bridge.bridge-2', 'bridge.bridge-3', 'provision.provision-1']);
    expect(el.effectiveSort).to.deep.equal({ key: 'state', direction: 'ascending' });
    expect(header(el, 'state').getAttribute('aria-sort')).to.equal('ascending');
    expect(el.shadowRoot!.querySelectorAll('th[aria-sort]').length).to.equal(1);
  });

  it('ranks states and statuses worst first: lost, failing, late, degraded, alive, stopped', async () => {
    const fake = new FakeClient();
    fake.respond('UNITS', [
      {
        units: [
          unit({ unit: 'a-ok', account: 'x' }),
          unit({ unit: 'b-degraded', account: 'x', status: 'degraded' }),
          unit({ unit: 'c-late', account: 'x', state: 'late' }),
          unit({ unit: 'd-failing', account: 'x', status: 'failing' }),
          unit({ unit: 'e-lost', account: 'x', state: 'lost' }),
          unit({ unit: 'f-stopped', account: 'x', state: 'stopped' }),
        ],
      },
    ]);
    const { el } = await mount(fake);
    expect(keys(el)).to.deep.equal(['x.e-lost', 'x.d-failing', 'x.c-late', 'x.b-degraded', 'x.a-ok', 'x.f-stopped']);
    sortButton(el, 'state').click();
    await el.updateComplete;
    expect(el.sortDirection).to.equal('descending');
    expect(keys(el)).to.deep.equal(['x.f-stopped', 'x.a-ok', 'x.b-degraded', 'x.c-late', 'x.d-failing', 'x.e-lost']);
  });

  it('sorts by a clicked header, and reverses on a second click (aria-sort, arrow)', async () => {
    const { el } = await mount();
    const byName = ['bridge.bridge-1', 'bridge.bridge-2', 'bridge.bridge-3', 'engine.engine-1', 'provision.provision-1'];
    sortButton(el, 'unit').click();
    await el.updateComplete;
    expect([el.sort, el.sortDirection]).to.deep.equal(['unit', 'ascending']);
    expect(keys(el)).to.deep.equal(byName);
    expect(header(el, 'unit').getAttribute('aria-sort')).to.equal('ascending');
    expect(header(el, 'state').hasAttribute('aria-sort')).to.equal(false);
    expect(text(header(el, 'unit').querySelector('.sort-arrow'))).to.equal('↑');
    sortButton(el, 'unit').click();
    await el.updateComplete;
    expect([el.sort, el.sortDirection]).to.deep.equal(['unit', 'descending']);
    expect(keys(el)).to.deep.equal([...byName].reverse());
    expect(header(el, 'unit').getAttribute('aria-sort')).to.equal('descending');
    expect(text(header(el, 'unit').querySelector('.sort-arrow'))).to.equal('↓');
    // Another header starts ascending.
    sortButton(el, 'host').click();
    await el.updateComplete;
    expect([el.sort, el.sortDirection]).to.deep.equal(['host', 'ascending']);
    expect(keys(el)[4]).to.equal('bridge.bridge-2');
  });

  it('keeps equal values in name order whichever the direction', async () => {
    const { el } = await mount();
    sortButton(el, 'restarts').click();
    await el.updateComplete;
    expect(keys(el)).to.deep.equal(['bridge.bridge-1', 'bridge.bridge-2', 'bridge.bridge-3', 'provision.provision-1', 'engine.engine-1']);
    sortButton(el, 'restarts').click();
    await el.updateComplete;
    expect(keys(el)).to.deep.equal(['engine.engine-1', 'bridge.bridge-1', 'bridge.bridge-2', 'bridge.bridge-3', 'provision.provision-1']);
    // A live update re-sorts without moving the equal ones around.
    el.requestUpdate();
    await el.updateComplete;
    expect(keys(el)[1]).to.equal('bridge.bridge-1');
  });

  it('takes the sort from its attributes, and falls back to the default for an unknown one', async () => {
    const { el } = await mountInProvider<NunectUnits>(html`<nunect-units sort="restarts" sort-direction="descending"></nunect-units>`, {
      client: new FakeClient(),
    });
    await waitUntil(() => el.state === 'ready', `ready (is ${el.state})`, { timeout: 3_000 });
    await el.updateComplete;
    expect(el.effectiveSort).to.deep.equal({ key: 'restarts', direction: 'descending' });
    expect(keys(el)[0]).to.equal('engine.engine-1');
    expect(header(el, 'restarts').getAttribute('aria-sort')).to.equal('descending');
    el.setAttribute('sort', 'nonsense');
    el.setAttribute('sort-direction', 'sideways');
    await el.updateComplete;
    expect(el.effectiveSort).to.deep.equal({ key: 'state', direction: 'ascending' });
    expect(keys(el)[0]).to.equal('engine.engine-1');
  });

  it('sorts from the keyboard: the headers are buttons outside the rows', async () => {
    const { el } = await mount();
    const buttons = [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('thead th button[data-sort]')];
    expect(buttons.map((b) => b.dataset.sort)).to.deep.equal(['unit', 'state', 'why', 'beat', 'version', 'host', 'uptime', 'restarts', 'checks', 'load']);
    const b = sortButton(el, 'unit');
    b.focus();
    expect(el.shadowRoot!.activeElement).to.equal(b);
    // The row navigation does not take the arrows on a header.
    b.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true, composed: true }));
    expect(el.shadowRoot!.activeElement).to.equal(b);
    // Enter and Space on a focused <button> click it.
    b.click();
    await el.updateComplete;
    expect(el.sort).to.equal('unit');
    expect(el.shadowRoot!.activeElement).to.equal(sortButton(el, 'unit'));
    await expect(el).to.be.accessible();
  });

  it('marks a version that differs from the rest of its kind', async () => {
    const { el } = await mount();
    const skew = [...el.shadowRoot!.querySelectorAll('.skew')].map((e) => text(e));
    expect(skew).to.deep.equal(['1.5.0-rc1']);
  });

  it('counts the heartbeat age live on the injected clock', async () => {
    const { el, clock } = await mount();
    expect(text(row(el, 'bridge.bridge-1'))).to.contain('2 s ago');
    clock.advance(10_000);
    await waitUntil(() => text(row(el, 'bridge.bridge-1')).includes('12 s ago'), text(row(el, 'bridge.bridge-1')), { timeout: 3_000 });
  });

  it('follows the registry live: a unit turns lost, a new one appears', async () => {
    const fake = new FakeClient();
    const registry = structuredClone(REGISTRY);
    fake.respond('UNITS', () => [structuredClone(registry)]);
    const { el } = await mount(fake);
    registry.units[0] = { ...registry.units[0]!, state: 'late', reason: 'disconnected: Kicked' };
    registry.units.push(unit({ unit: 'bridge-9', account: 'bridge' }));
    await waitUntil(() => row(el, 'bridge.bridge-1')?.dataset.state === 'late' && !!row(el, 'bridge.bridge-9'), 'live update', { timeout: 3_000 });
    expect(text(row(el, 'bridge.bridge-1'))).to.contain('disconnected: Kicked');
  });

  it('filters by state, kind and account', async () => {
    const { el } = await mount();
    el.stateFilter = 'alive';
    await el.updateComplete;
    expect(rows(el).length).to.equal(3);
    el.stateFilter = '';
    el.kind = 'engine';
    await el.updateComplete;
    expect(rows(el).map((r) => r.dataset.key)).to.deep.equal(['engine.engine-1']);
    el.kind = '';
    el.account = 'provision';
    await el.updateComplete;
    expect(rows(el).map((r) => r.dataset.key)).to.deep.equal(['provision.provision-1']);
    el.account = 'nobody';
    await el.updateComplete;
    expect(textOf(el)).to.contain('No units match the filters.');
    // The selects set the same properties.
    el.account = '';
    await el.updateComplete;
    const select = el.shadowRoot!.querySelectorAll('select')[0]!;
    select.value = 'lost';
    select.dispatchEvent(new Event('change'));
    await el.updateComplete;
    expect(el.stateFilter).to.equal('lost');
    expect(rows(el).length).to.equal(1);
  });

  it('says which liveness the Controller uses', async () => {
    const { el } = await mount();
    expect(text(el.shadowRoot!.querySelector('[part="liveness"]')))
      .to.contain("the Controller's timer")
      .and.contain('2.9.10');
    const fake = new FakeClient();
    fake.respond('UNITS', [{ ...REGISTRY, controller: { ...CONTROLLER, liveness: 'markers', serverVersion: '2.15.2' } }]);
    const { el: other } = await mount(fake);
    expect(text(other.shadowRoot!.querySelector('[part="liveness"]')))
      .to.contain('server-pushed markers')
      .and.contain('2.15.2');
  });

  it('opens a unit with its timeline, newest first (Enter, click, ArrowLeft closes)', async () => {
    const fake = new FakeClient();
    const { el } = await mount(fake);
    const r = row(el, 'engine.engine-1');
    r.focus();
    r.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true }));
    await waitUntil(() => el.shadowRoot!.querySelector('[part="timeline"]'), 'the timeline', { timeout: 3_000 });
    expect(el.expanded).to.equal('engine.engine-1');
    expect(row(el, 'engine.engine-1').getAttribute('aria-expanded')).to.equal('true');
    const items = [...el.shadowRoot!.querySelectorAll('[part="timeline"] li')].map((li) => text(li));
    expect(items.length).to.equal(3);
    expect(items[0]).to.contain('late → lost').and.contain('heartbeat expired 12 s ago');
    expect(items[2]).to.contain('alive');
    expect(fake.requests.some((q) => q.subject.endsWith('.UNIT_EVENTS') && (q.body as { unit: string }).unit === 'engine-1')).to.equal(true);
    row(el, 'engine.engine-1').dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowLeft', bubbles: true, composed: true }));
    await el.updateComplete;
    expect(el.expanded).to.equal(undefined);
    expect(el.shadowRoot!.querySelector('[part="detail"]')).to.equal(null);
  });

  it('keeps one tab stop on the rows; arrows move the focus', async () => {
    const { el } = await mount();
    const tabbable = rows(el).filter((r) => r.tabIndex === 0);
    expect(tabbable.length).to.equal(1);
    tabbable[0]!.focus();
    tabbable[0]!.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true, composed: true }));
    expect(el.shadowRoot!.activeElement).to.equal(rows(el)[1]);
  });

  it('says clearly when the user cannot read OPS (no JetStream, bucket missing, not allowed)', async () => {
    const cases: Array<[NunectError, RegExp]> = [
      [new NunectError('NATS', 'jetstream not enabled for account'), /No JetStream for this user's account.*dashboard user/],
      [new NunectError('NATS', 'stream not found'), /OPS_UNITS.*does not exist.*Controller/],
      [new NunectError('PERMISSION_DENIED', 'Permissions Violation for Publish to "$JS.API.STREAM.INFO.KV_OPS_UNITS"'), /Not allowed to read.*dashboard/],
    ];
    for (const [err, expected] of cases) {
      const fake = new FakeClient();
      fake.respond('UNITS', () => Promise.reject(err));
      const { el } = await mountInProvider<NunectUnits>(html`<nunect-units></nunect-units>`, { client: fake });
      await waitUntil(() => el.state === 'error', `error (is ${el.state})`, { timeout: 3_000 });
      await el.updateComplete;
      expect(textOf(el)).to.match(expected);
    }
    expect(opsError(new Error('10059 stream not found'), 'x').message).to.match(/does not exist/);
  });

  it('shows hostile server text as text', async () => {
    const fake = new FakeClient();
    const evil = '<img src=x onerror="window.__pwned=1"><b>bold</b>';
    fake.respond('UNITS', [
      {
        units: [
          unit({
            unit: 'bridge-1',
            account: 'bridge',
            reason: evil,
            host: evil,
            version: evil,
            checks: [{ name: evil, status: 'degraded', message: evil, ms: 1 }],
          }),
        ],
      },
    ]);
    const { el } = await mount(fake);
    expect(el.shadowRoot!.querySelector('img, b')).to.equal(null);
    expect(textOf(el)).to.contain(evil);
    expect((window as { __pwned?: number }).__pwned).to.equal(undefined);
  });

  it('stops the watch when removed', async () => {
    let stopped = 0;
    const inner = fakeUnitsSource(20);
    const { el, provider } = await mount(new FakeClient(), {
      source: (client) => {
        const src = inner(client);
        return {
          ...src,
          watch: async (h) => {
            const w = await src.watch(h);
            return { stop: () => (stopped++, w.stop()) };
          },
        };
      },
    });
    await waitUntil(() => el.units.length === REGISTRY.units.length, 'the units from the new source', { timeout: 3_000 });
    provider.remove();
    expect(stopped).to.equal(1);
  });
});

describe('<nunect-units> with 1,000 units', () => {
  const many = (n: number) =>
    Array.from({ length: n }, (_, i) =>
      unit({
        unit: `unit-${String(i).padStart(4, '0')}`,
        account: ['bridge', 'engine', 'provision'][i % 3]!,
        // Some rows with more (and longer) checks: still one line each.
        checks:
          i % 7 === 0
            ? [
                { name: 'db', status: 'ok', ms: 1 },
                { name: 'cache', status: 'degraded', message: 'slow answers from the cache for a long while now', ms: 900 },
                { name: 'gpu', status: 'failing', message: 'timed out after 200 ms', ms: 200 },
              ]
            : [{ name: 'db', status: 'ok', ms: 1 }],
      }),
    );
  const key = (i: number) => `${['bridge', 'engine', 'provision'][i % 3]}.unit-${String(i).padStart(4, '0')}`;
  const scroller = (el: NunectUnits) => el.shadowRoot!.querySelector<HTMLElement>('.scroll.virtual')!;

  it('renders only the rows in view, says how many there are, and reaches every unit by scrolling', async () => {
    const fake = new FakeClient();
    fake.respond('UNITS', [{ units: many(1_000), controller: CONTROLLER }]);
    const { el } = await mount(fake, { sort: 'unit' });
    await el.updateComplete;
    expect(el.units.length).to.equal(1_000);
    expect(rows(el).length).to.be.above(0).and.below(120);
    expect(el.shadowRoot!.querySelector('table')!.getAttribute('aria-rowcount')).to.equal('1001');
    expect(rows(el)[0]!.dataset.key).to.equal(key(0));
    expect(rows(el)[0]!.getAttribute('aria-rowindex')).to.equal('2');
    expect(textOf(el)).to.contain('Units 1,000').and.contain('Alive 1,000');
    const s = scroller(el);
    expect(s.scrollHeight).to.be.above(s.clientHeight);
    s.scrollTop = s.scrollHeight;
    s.dispatchEvent(new Event('scroll'));
    await waitUntil(() => !!row(el, key(999)), `the last unit after scrolling (rows ${keys(el).at(0)}…${keys(el).at(-1)})`, { timeout: 3_000 });
    expect(row(el, key(999)).getAttribute('aria-rowindex')).to.equal('1001');
    expect(rows(el).length).to.be.below(120);
    expect(row(el, key(0))).to.equal(null);
    // A filter that leaves fewer than `virtualRows` rows renders them all, unwindowed.
    el.account = 'engine';
    el.virtualRows = 500;
    await el.updateComplete;
    expect(rows(el).length).to.equal(333);
    expect(el.shadowRoot!.querySelector('table')!.hasAttribute('aria-rowcount')).to.equal(false);
  });

  it('opens a unit in a panel below the table: rows keep one height; Escape closes it, the focus back on the row', async () => {
    const fake = new FakeClient();
    fake.respond('UNITS', [{ units: many(1_000), controller: CONTROLLER }]);
    const { el } = await mount(fake, { sort: 'unit' });
    const r = row(el, key(7));
    r.click();
    await waitUntil(() => text(el.shadowRoot!.querySelector('[part="detail"]')).includes('No state changes recorded.'), 'the detail panel', { timeout: 3_000 });
    const detail = el.shadowRoot!.querySelector<HTMLElement>('[part="detail"]')!;
    expect(detail.closest('table')).to.equal(null);
    expect(text(detail)).to.contain('unit-0007').and.contain('cache: degraded (slow answers').and.contain('Heartbeat');
    expect(row(el, key(7)).getAttribute('aria-expanded')).to.equal('true');
    expect(row(el, key(7)).getAttribute('aria-controls')).to.equal(detail.id);
    const heights = rows(el).map((x) => x.getBoundingClientRect().height);
    expect(Math.max(...heights) - Math.min(...heights)).to.be.below(0.5);
    await expect(el).to.be.accessible();
    detail.querySelector<HTMLButtonElement>('[part="close"]')!.focus();
    detail.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }));
    await el.updateComplete;
    await el.updateComplete;
    expect(el.expanded).to.equal(undefined);
    expect(el.shadowRoot!.querySelector('[part="detail"]')).to.equal(null);
    expect(el.shadowRoot!.activeElement).to.equal(row(el, key(7)));
    // Escape on the open row closes it too.
    row(el, key(7)).dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true }));
    await el.updateComplete;
    expect(el.expanded).to.equal(key(7));
    row(el, key(7)).dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }));
    await el.updateComplete;
    expect(el.expanded).to.equal(undefined);
  });

  it('renders a burst of 500 registry updates a few times, not 500, and ends exact', async () => {
    let handlers: UnitsWatchHandlers | undefined;
    const initial = many(250);
    const source: UnitsSourceFactory = () => ({
      watch: (h) => {
        handlers = h;
        for (const u of initial) h.put(`${u.account}.${u.unit}`, u);
        h.controller(CONTROLLER);
        h.initialized();
        return Promise.resolve({ stop: () => {} });
      },
      timeline: () => Promise.resolve([]),
    });
    const { el } = await mount(new FakeClient(), { source, interval: 600_000 });
    await waitUntil(() => el.units.length === 250, 'the 250 units', { timeout: 3_000 });
    await el.updateComplete;
    let renders = 0;
    const spied = el as unknown as { update(changed: unknown): void };
    const update = spied.update.bind(el);
    spied.update = (changed) => {
      renders++;
      update(changed);
    };
    // Each update on its own microtask turn (as a KV watch's async iterator hands them over):
    // without batching, every one of them would render.
    for (let i = 0; i < 500; i++) {
      const u = initial[i % 250]!;
      const last = i >= 250;
      handlers!.put(`${u.account}.${u.unit}`, { ...u, seq: (u.seq ?? 0) + (last ? 2 : 1), state: last && i % 2 ? 'lost' : 'late', reason: `update ${i}` });
      for (let k = 0; k < 3; k++) await null;
    }
    handlers!.remove(key(0));
    await waitUntil(() => text(el.shadowRoot!.querySelector('dl')).includes('Units 249'), `rendered: ${text(el.shadowRoot!.querySelector('dl'))}`, {
      timeout: 3_000,
    });
    await el.updateComplete;
    expect(renders).to.be.at.most(3);
    const units = el.units;
    expect(units.length).to.equal(249);
    expect(units.filter((u) => u.state === 'lost').length).to.equal(125);
    expect(units.filter((u) => u.state === 'late').length).to.equal(124);
    expect(units.every((u) => u.reason === `update ${250 + initial.findIndex((x) => x.unit === u.unit)}`)).to.equal(true);
    expect(textOf(el)).to.contain('Lost 125').and.contain('Late 124').and.contain('Alive 0');
    for (const r of rows(el)) expect(r.dataset.state).to.equal(units.find((u) => `${u.account}.${u.unit}` === r.dataset.key)!.state);
  });
});

describe('sortUnits (numbers only while sorting)', () => {
  // The order as it was defined: every comparison collated (the reference the ranks must match).
  const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
  type R = { key: string; u: UnitRecord };
  const byName = (a: R, b: R) =>
    collator.compare(a.u.unit, b.u.unit) || collator.compare(a.u.account, b.u.account) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
  const reference = (rows: R[], k: UnitsSortKey, dir: 1 | -1) =>
    rows
      .map((r) => ({ r, v: unitSortValue(k, r.u) }))
      .sort((a, b) => {
        if (a.v === undefined || b.v === undefined) return (a.v === undefined ? 1 : 0) - (b.v === undefined ? 1 : 0) || byName(a.r, b.r);
        const c = typeof a.v === 'number' && typeof b.v === 'number' ? a.v - b.v : collator.compare(String(a.v), String(b.v));
        return c * dir || byName(a.r, b.r);
      })
      .map(({ r }) => r.key);
  // Names that collate differently from code points (case, numbers, accents), repeated values, unknowns.
  const rows: R[] = Array.from({ length: 300 }, (_, i) => {
    const u = unit({
      unit: [`unit-${i % 120}`, `Unit-${i % 17}`, `ünit-${i % 9}`, `unit-${i}0`][i % 4]!,
      account: ['bridge', 'engine', 'provision'][i % 3]!,
      reason: i % 11 ? ['heartbeats arrive', 'Heartbeat expired 12 s ago', 'check db failed: timeout', 'zz', ''][i % 5] : undefined,
      version: i % 13 ? `1.${i % 12}.0` : undefined,
      host: i % 6 ? `host-${String.fromCharCode(97 + (i % 5))}${i % 2 ? '' : 'B'}` : '',
      restarts: i % 4,
      load: i % 10 ? { cpu: (i * 7) % 23 } : undefined,
      lastBeat: i % 8 ? T - ((i * 37) % 5_000) : undefined,
      state: (['alive', 'late', 'lost', 'stopped', 'alive'] as const)[i % 5]!,
      status: i % 9 === 1 ? 'degraded' : 'ok',
      started: i % 7 ? new Date(T - ((i * 101) % 90_000)).toISOString() : undefined,
      checks: i % 5 ? [{ name: 'db', status: (['ok', 'degraded', 'failing'] as const)[i % 3]!, ms: 1 }] : [],
    });
    return { key: `${u.account}.${u.unit}.${i}`, u };
  });

  it('matches the collated order for every text and number column, both directions, ties by name', () => {
    const order = nameOrder(rows);
    for (const k of UNITS_SORT_KEYS) {
      for (const [direction, dir] of [
        ['ascending', 1],
        ['descending', -1],
      ] as const) {
        const want = reference(rows, k, dir);
        expect(
          sortUnits(rows, { key: k, direction }, order).map((r) => r.key),
          `${k} ${direction}`,
        ).to.deep.equal(want);
        expect(
          sortUnits(rows, { key: k, direction }).map((r) => r.key),
          `${k} ${direction}, order computed`,
        ).to.deep.equal(want);
      }
    }
  });

  it('places a unit added after the first render by its name (the order by name is computed again)', async () => {
    let handlers: UnitsWatchHandlers | undefined;
    const source: UnitsSourceFactory = () => ({
      watch: (h) => {
        handlers = h;
        for (const name of ['unit-1', 'unit-3', 'unit-10']) h.put(`bridge.${name}`, unit({ unit: name, account: 'bridge' }));
        h.controller(CONTROLLER);
        h.initialized();
        return Promise.resolve({ stop: () => {} });
      },
      timeline: () => Promise.resolve([]),
    });
    const { el } = await mount(new FakeClient(), { source, sort: 'unit' });
    await waitUntil(() => keys(el).length === 3, 'three rows', { timeout: 3_000 });
    expect(keys(el)).to.deep.equal(['bridge.unit-1', 'bridge.unit-3', 'bridge.unit-10']);
    handlers!.put('bridge.unit-1', unit({ unit: 'unit-1', account: 'bridge', seq: 13 }));
    handlers!.put('bridge.unit-2', unit({ unit: 'unit-2', account: 'bridge' }));
    await waitUntil(() => keys(el).length === 4, 'four rows', { timeout: 3_000 });
    expect(keys(el)).to.deep.equal(['bridge.unit-1', 'bridge.unit-2', 'bridge.unit-3', 'bridge.unit-10']);
    handlers!.remove('bridge.unit-3');
    handlers!.put('bridge.unit-0', unit({ unit: 'unit-0', account: 'bridge' }));
    await waitUntil(() => keys(el)[0] === 'bridge.unit-0', `unit-0 first: ${keys(el).join(' ')}`, { timeout: 3_000 });
    expect(keys(el)).to.deep.equal(['bridge.unit-0', 'bridge.unit-1', 'bridge.unit-2', 'bridge.unit-10']);
  });
});
