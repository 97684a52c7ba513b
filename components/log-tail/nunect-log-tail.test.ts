/**
 * <nunect-log-tail> on a fake stream (log-source.fake.ts over the fake client's responders): the
 * shared widget suite, history, filters, pause counts, exact eviction counts, an open record's
 * fields in the panel below the list (rows of one height while scrolling, keyboard, focus), export,
 * text.
 */
import { expect, html, waitUntil } from '@open-wc/testing';
import { mountInProvider } from '../../test/support/fixtures.js';
import { FakeClient, FIXTURES } from '../../test/support/fake-client.js';
import { textOf, widgetSuite } from '../../test/support/widget-suite.js';
import './define.js';
import { fakeLogSource, type FakeLogRecord } from './log-source.fake.js';
import { NunectLogTail, parseLogRecord } from './nunect-log-tail.js';

const rec = (i: number, level = 'info', unit = 'bridge-1', account = 'bridge', extra: Record<string, unknown> = {}): FakeLogRecord => ({
  subject: `${account}.ops.log.${level}.${unit}`,
  data: { time: '2026-11-29T15:05:00Z', level, unit, message: `record ${i}`, ...extra },
});
const STORED: FakeLogRecord[] = [
  ...Array.from({ length: 300 }, (_, i) => rec(i)),
  rec(300, 'error', 'engine-1', 'engine', { data: { job: 'j-7', attempt: 2 } }),
  rec(301, 'warn', 'provision-1', 'provision'),
];
FIXTURES.LOGS = [STORED];
NunectLogTail.defaultSource = fakeLogSource(10);

widgetSuite('nunect-log-tail', { kinds: ['LOGS'], readyText: 'record 301' });

async function mount(fake: FakeClient, attrs: Partial<NunectLogTail> = {}, height = '4000px') {
  const m = await mountInProvider<NunectLogTail>(html`<nunect-log-tail style=${`--nunect-log-tail-height: ${height}`}></nunect-log-tail>`, {
    client: false,
  });
  Object.assign(m.el, attrs);
  m.provider.client = fake as never;
  await waitUntil(() => m.el.state === 'ready', `ready (is ${m.el.state}): ${textOf(m.el)}`, { timeout: 3_000 });
  return m;
}
const stream = () => {
  const fake = new FakeClient();
  const records = structuredClone(STORED);
  fake.respond('LOGS', () => [records]);
  return { fake, records };
};
const counts = (el: NunectLogTail) => (el.shadowRoot!.querySelector('[part="counts"]')?.textContent ?? '').replace(/\s+/g, ' ').trim();
const rowTexts = (el: NunectLogTail) =>
  [...el.shadowRoot!.querySelectorAll('.body [role="row"]')].map((r) => (r.textContent ?? '').replace(/\s+/g, ' ').trim());

const bodyRows = (el: NunectLogTail) => [...el.shadowRoot!.querySelectorAll<HTMLElement>('.body [role="row"]')];
const openButton = (row: Element) => row.querySelector<HTMLButtonElement>('button[part="open"]')!;

describe('<nunect-log-tail>', () => {
  it('opens with the last `history` stored records, newest first', async () => {
    const { fake } = stream();
    const { el } = await mount(fake, { history: 200 });
    await waitUntil(() => el.received === 200, `200 received (is ${el.received})`, { timeout: 3_000 });
    await el.updateComplete;
    expect(el.records[0]!.message).to.equal('record 102');
    expect(rowTexts(el)[0]).to.contain('record 301').and.contain('warn').and.contain('provision-1');
    expect(counts(el)).to.contain('200 received · 0 evicted (buffer 5,000)');
  });

  it('redraws new records into the row elements already there (no rows rebuilt while records flow)', async () => {
    const { fake, records } = stream();
    const { el } = await mount(fake, { history: 20 }, '200px');
    await waitUntil(() => el.received === 20, `20 received (is ${el.received})`, { timeout: 3_000 });
    await el.updateComplete;
    const before = bodyRows(el);
    for (let i = 0; i < 30; i++) records.push(rec(2000 + i));
    await waitUntil(() => el.received === 50, `50 received (is ${el.received})`, { timeout: 3_000 });
    await el.updateComplete;
    const after = bodyRows(el);
    // Every row now shows another record, from the same element: at 5,000 records/s that is
    // ~5 text updates per row per redraw instead of building every row again.
    expect(rowTexts(el)[0]).to.contain('record 2029');
    expect(after.length).to.equal(before.length);
    expect(after.every((row, i) => row === before[i])).to.equal(true);
    expect(openButton(after[0]!).dataset.n).to.equal('50');
  });

  it('follows the stream live and filters by level, unit and text', async () => {
    const { fake, records } = stream();
    const { el } = await mount(fake, { history: 10 });
    records.push(rec(1000, 'error', 'bridge-2'));
    await waitUntil(() => el.received === 11, `11 received (is ${el.received})`, { timeout: 3_000 });
    el.levels = ['error'];
    await el.updateComplete;
    expect(rowTexts(el).map((t) => t.includes('record 1000') || t.includes('record 300'))).to.deep.equal([true, true]);
    el.levels = ['debug', 'info', 'warn', 'error'];
    el.unit = 'engine-1';
    await el.updateComplete;
    expect(rowTexts(el).length).to.equal(1);
    el.unit = '';
    el.text = 'J-7';
    await el.updateComplete;
    expect(rowTexts(el).length).to.equal(1);
    expect(rowTexts(el)[0]).to.contain('record 300');
    el.text = 'nothing like this';
    await el.updateComplete;
    expect(textOf(el)).to.contain('No records match the filters.');
  });

  it('pause freezes the view but keeps receiving, and counts what arrived', async () => {
    const { fake, records } = stream();
    const { el } = await mount(fake, { history: 5 });
    await waitUntil(() => el.received === 5, 'history', { timeout: 3_000 });
    const pause = el.shadowRoot!.querySelector<HTMLButtonElement>('[part="pause"]')!;
    pause.click();
    await el.updateComplete;
    const before = rowTexts(el);
    for (let i = 0; i < 2_314; i++) records.push(rec(5000 + i));
    await waitUntil(() => el.received === 5 + 2_314, `received (is ${el.received})`, { timeout: 3_000 });
    await el.updateComplete;
    expect(rowTexts(el)).to.deep.equal(before);
    expect(el.shadowRoot!.querySelector('[part="paused"]')!.textContent).to.contain('2,314 new while paused');
    el.shadowRoot!.querySelector<HTMLButtonElement>('[part="pause"]')!.click();
    await el.updateComplete;
    expect(rowTexts(el)[0]).to.contain(`record ${5000 + 2_313}`);
  });

  it('keeps a bounded buffer with exact received and evicted counts', async () => {
    const { fake, records } = stream();
    const { el } = await mount(fake, { history: 0, capacity: 1_000, visibleRows: 50 });
    for (let i = 0; i < 12_345; i++) records.push(rec(i));
    await waitUntil(() => el.received === 12_345, `received (is ${el.received})`, { timeout: 5_000 });
    await el.updateComplete;
    expect(el.evicted).to.equal(12_345 - 1_000);
    expect(el.records.length).to.equal(1_000);
    expect(el.records.at(-1)!.message).to.equal('record 12344');
    expect(counts(el)).to.contain('12,345 received · 11,345 evicted (buffer 1,000)');
    el.capacity = 100;
    await el.updateComplete;
    expect(el.evicted).to.equal(12_345 - 100);
  });

  it('opens a record in the panel below the list, and exports the buffer as JSON lines', async () => {
    const { fake } = stream();
    const { el } = await mount(fake, { history: 3 });
    await waitUntil(() => el.received === 3, 'history', { timeout: 3_000 });
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('details')).to.equal(null);
    const row = bodyRows(el).find((r) => r.textContent!.includes('record 300'))!;
    expect(row.querySelector('[part="has-data"]')).to.not.equal(null);
    expect(el.shadowRoot!.querySelector('[part="detail"]')).to.equal(null);
    openButton(row).click();
    await el.updateComplete;
    const detail = el.shadowRoot!.querySelector('[part="detail"]')!;
    expect(detail.querySelector('[part="data"]')!.textContent).to.contain('"job": "j-7"');
    expect(detail.textContent).to.contain('engine.ops.log.error.engine-1').and.contain('record 300');
    expect(openButton(row).getAttribute('aria-expanded')).to.equal('true');
    expect(openButton(row).getAttribute('aria-controls')).to.equal(detail.id);
    expect(row.hasAttribute('data-open')).to.equal(true);
    await expect(el).to.be.accessible();
    // Another record replaces it; its own button closes it again.
    const other = bodyRows(el).find((r) => r.textContent!.includes('record 301'))!;
    openButton(other).click();
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[part="detail"]')!.textContent).to.contain('record 301').and.contain('No structured data.');
    expect(openButton(row).getAttribute('aria-expanded')).to.equal('false');
    openButton(other).click();
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[part="detail"]')).to.equal(null);
    const lines = el.exportJSONLines().split('\n');
    expect(lines.length).to.equal(3);
    expect(JSON.parse(lines[1]!)).to.include({ unit: 'engine-1', level: 'error', message: 'record 300', account: 'engine' });
  });

  it('keeps every row one height with a record open while scrolling, the fields shown below', async () => {
    const fake = new FakeClient();
    const lines = Array.from({ length: 12 }, (_, i) => `line ${i} of a long structured field`);
    const records = Array.from({ length: 400 }, (_, i) => rec(i, i % 5 ? 'info' : 'warn', 'bridge-1', 'bridge', { data: { job: `j-${i}`, lines } }));
    fake.respond('LOGS', () => [records]);
    const { el } = await mount(fake, { history: 400 }, '300px');
    await waitUntil(() => el.received === 400, `400 received (is ${el.received})`, { timeout: 3_000 });
    await el.updateComplete;
    const log = el.shadowRoot!.querySelector<HTMLElement>('[part="log"]')!;
    const target = bodyRows(el)[2]!;
    expect(target.textContent).to.contain('record 397');
    openButton(target).click();
    await el.updateComplete;
    const detail = () => el.shadowRoot!.querySelector('[part="detail"]');
    expect(detail()!.querySelector('[part="data"]')!.textContent).to.contain('"job": "j-397"').and.contain('line 11 of a long structured field');
    // The panel is outside the scrolling list.
    expect(log.contains(detail())).to.equal(false);
    const heights = () => bodyRows(el).map((r) => r.getBoundingClientRect().height);
    const sample = el.shadowRoot!.querySelector('.head [role="row"]')!.getBoundingClientRect().height;
    const check = () => {
      const rs = bodyRows(el);
      expect(rs.length).to.be.greaterThan(5);
      for (const h of heights()) expect(h).to.be.closeTo(sample, 0.5);
      // Placed one after another, none overlapping.
      const tops = rs.map((r) => r.getBoundingClientRect().top);
      for (let i = 1; i < tops.length; i++) expect(tops[i]! - tops[i - 1]!).to.be.closeTo(sample, 0.5);
      // Each row sits where its index says: the body's top plus (index - 2) rows.
      const body = el.shadowRoot!.querySelector('.body')!.getBoundingClientRect().top;
      for (const r of rs) expect(r.getBoundingClientRect().top - body).to.be.closeTo((Number(r.getAttribute('aria-rowindex')) - 2) * sample, 1);
    };
    check();
    for (const top of [sample * 100, sample * 250, sample * 40]) {
      log.scrollTop = top;
      log.dispatchEvent(new Event('scroll'));
      await waitUntil(() => bodyRows(el).some((r) => Number(r.getAttribute('aria-rowindex')) - 2 === Math.floor(top / sample)), `scrolled to ${top}`, {
        timeout: 3_000,
      });
      await el.updateComplete;
      check();
      expect(detail()!.textContent).to.contain('"job": "j-397"');
    }
    // Back at the top, its row is marked open.
    log.scrollTop = 0;
    log.dispatchEvent(new Event('scroll'));
    await waitUntil(() => bodyRows(el).some((r) => r.textContent!.includes('record 397')), 'back at the top', { timeout: 3_000 });
    await el.updateComplete;
    check();
    expect(openButton(bodyRows(el).find((r) => r.textContent!.includes('record 397'))!).getAttribute('aria-expanded')).to.equal('true');
  });

  it('opens and closes a record from the keyboard, the focus going back to it', async () => {
    const { fake } = stream();
    const { el } = await mount(fake, { history: 3 });
    await waitUntil(() => el.received === 3, 'history', { timeout: 3_000 });
    await el.updateComplete;
    const button = () => openButton(bodyRows(el).find((r) => r.textContent!.includes('record 300'))!);
    const detail = () => el.shadowRoot!.querySelector<HTMLElement>('[part="detail"]');
    const active = () => el.shadowRoot!.activeElement;
    // A <button>: Tab reaches it, Enter and Space click it.
    expect(button().tagName).to.equal('BUTTON');
    button().focus();
    button().click();
    await el.updateComplete;
    expect(detail()).to.not.equal(null);
    expect(active()).to.equal(button());
    // Escape on the open record's button closes it; the focus stays.
    button().dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }));
    await el.updateComplete;
    expect(detail()).to.equal(null);
    expect(active()).to.equal(button());
    // Escape inside the panel, and its Close button, close it and give the focus back to the record.
    button().click();
    await el.updateComplete;
    const close = detail()!.querySelector<HTMLButtonElement>('[part="close"]')!;
    close.focus();
    close.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }));
    await el.updateComplete;
    expect(detail()).to.equal(null);
    expect(active()).to.equal(button());
    button().click();
    await el.updateComplete;
    detail()!.querySelector<HTMLButtonElement>('[part="close"]')!.click();
    await el.updateComplete;
    expect(detail()).to.equal(null);
    expect(active()).to.equal(button());
  });

  it('reads plain-text and odd records without failing', () => {
    const r = parseLogRecord({ subject: 'engine.ops.log.warn.engine-1', seq: 7, data: 'not json <b>' }, 1);
    expect(r).to.include({ level: 'warn', unit: 'engine-1', account: 'engine', message: 'not json <b>', seq: 7 });
  });

  it('shows hostile server text as text', async () => {
    const evil = '<img src=x onerror="window.__pwned=1"><b>bold</b>';
    const fake = new FakeClient();
    fake.respond('LOGS', [[{ subject: 'bridge.ops.log.info.bridge-1', data: { message: evil, data: { html: evil } } }]]);
    const { el } = await mount(fake);
    await waitUntil(() => el.received === 1, 'one record', { timeout: 3_000 });
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('img, b')).to.equal(null);
    expect(textOf(el)).to.contain(evil);
    expect((window as { __pwned?: number }).__pwned).to.equal(undefined);
  });
});
