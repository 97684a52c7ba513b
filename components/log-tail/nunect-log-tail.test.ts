/**
 * <nunect-log-tail> on a fake stream (log-source.fake.ts over the fake client's responders): the
 * shared widget suite, history, filters, pause counts, exact eviction counts, data, export, text.
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

async function mount(fake: FakeClient, attrs: Partial<NunectLogTail> = {}) {
  const m = await mountInProvider<NunectLogTail>(html`<nunect-log-tail style="--nunect-log-tail-height: 4000px"></nunect-log-tail>`, { client: false });
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

  it('shows structured data in a <details>, and exports the buffer as JSON lines', async () => {
    const { fake } = stream();
    const { el } = await mount(fake, { history: 3 });
    await waitUntil(() => el.received === 3, 'history', { timeout: 3_000 });
    await el.updateComplete;
    const details = el.shadowRoot!.querySelector<HTMLDetailsElement>('details[part="data"]')!;
    expect(details.textContent).to.contain('"job": "j-7"');
    const lines = el.exportJSONLines().split('\n');
    expect(lines.length).to.equal(3);
    expect(JSON.parse(lines[1]!)).to.include({ unit: 'engine-1', level: 'error', message: 'record 300', account: 'engine' });
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
