/**
 * <nunect-tail> on a fake source (tail-source.fake.ts over the fake client): the shared widget
 * suite, messages newest first, pause keeps receiving with counts, exact eviction counts, filters,
 * the detail with headers and a per-message payload view, export, connection gaps, refusals and
 * hostile text.
 */
import { expect, html, oneEvent, waitUntil } from '@open-wc/testing';
import { NunectError } from '../../client/index.js';
import { mountInProvider } from '../../test/support/fixtures.js';
import { FakeClient, FIXTURES } from '../../test/support/fake-client.js';
import { textOf, widgetSuite } from '../../test/support/widget-suite.js';
import './define.js';
import { NunectTail } from './nunect-tail.js';
import { fakeGap, fakeTailSource, lastFakeTail, type FakeTailMessage } from './tail-source.fake.js';

const STORED: FakeTailMessage[] = [
  { subject: 'orders.created', data: { id: 1, total: 12.5 }, headers: { 'Nats-Msg-Id': 'm-1', 'X-Tag': ['a', 'b'] } },
  { subject: 'orders.shipped', data: 'shipped 1' },
  { subject: 'audit.login', data: 'user bob' },
];
FIXTURES.TAIL = [STORED];
NunectTail.defaultSource = fakeTailSource(10);

/** The element with a subject already set, for the shared suite (which mounts a bare tag). */
class SuiteTail extends NunectTail {
  override subject = '>';
}
customElements.define('test-suite-tail', SuiteTail);
widgetSuite('test-suite-tail', { kinds: ['TAIL'], readyText: 'orders.created' });

async function mount(attrs: Partial<NunectTail> = { subject: '>' }, fake = new FakeClient()) {
  const m = await mountInProvider<NunectTail>(html`<nunect-tail style="--nunect-tail-height: 4000px"></nunect-tail>`, { client: false });
  Object.assign(m.el, attrs);
  m.provider.client = fake as never;
  await waitUntil(() => m.el.state === 'ready', `ready (is ${m.el.state}): ${textOf(m.el)}`, { timeout: 3_000 });
  return { ...m, fake };
}
const root = (el: NunectTail) => el.shadowRoot!;
const counts = (el: NunectTail) => (root(el).querySelector('[part="counts"]')?.textContent ?? '').replace(/\s+/g, ' ').trim();
const rowTexts = (el: NunectTail) => [...root(el).querySelectorAll('.body [role="row"]')].map((r) => (r.textContent ?? '').replace(/\s+/g, ' ').trim());
const received = (el: NunectTail, n: number) => waitUntil(() => el.received === n, `${n} received (is ${el.received})`, { timeout: 3_000 });

describe('<nunect-tail>', () => {
  it('asks for a subject first and subscribes to nothing', async () => {
    const m = await mountInProvider<NunectTail>(html`<nunect-tail></nunect-tail>`);
    await waitUntil(() => m.el.state === 'ready');
    await m.el.updateComplete;
    expect(textOf(m.el)).to.contain('Enter a subject to tail');
    expect(m.fake!.openSubs.length).to.equal(0);
    await expect(m.el).to.be.accessible();
  });

  it('shows every message newest first with subject, size and a preview', async () => {
    const { el, fake } = await mount();
    await received(el, 3);
    fake.emit('orders.created', { id: 2 });
    await received(el, 4);
    await el.updateComplete;
    const rows = rowTexts(el);
    expect(rows).to.have.length(4);
    expect(rows[0]).to.contain('orders.created').and.contain('{"id":2}').and.contain('8 B');
    expect(rows[1]).to.contain('audit.login').and.contain('user bob');
    expect(rows[3]).to.contain('2 hdr');
    expect(counts(el)).to.contain('4 received · 0 evicted (buffer 10,000)');
    await expect(el).to.be.accessible();
  });

  it('subscribes with the subject and queue group the form gives, and anew on a change', async () => {
    const { el, fake } = await mount({ subject: 'orders.*' });
    await received(el, 2);
    expect(fake.openSubs.map((s) => s.subject)).to.deep.equal(['orders.*']);
    const form = root(el).querySelector('form')!;
    form.querySelector<HTMLInputElement>('input[name="subject"]')!.value = 'audit.>';
    form.querySelector<HTMLInputElement>('input[name="queue"]')!.value = 'workers';
    form.requestSubmit();
    await waitUntil(() => el.subject === 'audit.>' && el.received === 1, `audit only (${el.received})`, { timeout: 3_000 });
    expect(el.queue).to.equal('workers');
    expect(fake.openSubs.map((s) => s.subject)).to.deep.equal(['audit.>']);
    expect(el.rows.map((r) => r.msg.subject)).to.deep.equal(['audit.login']);
  });

  it('pause freezes the rows and keeps receiving, counting what came; resume shows it all', async () => {
    const { el, fake } = await mount();
    await received(el, 3);
    const paused = oneEvent(el, 'nunect-tail-pause');
    root(el).querySelector<HTMLButtonElement>('button.pause')!.click();
    expect((await paused).detail).to.deep.equal({ paused: true });
    for (let i = 0; i < 2_314; i++) fake.emit(`live.${i % 7}`, `m ${i}`);
    await received(el, 2_317);
    await el.updateComplete;
    expect(rowTexts(el)).to.have.length(3);
    expect(counts(el)).to.contain('Paused · 2,314 new while paused').and.contain('2,317 received');
    root(el).querySelector<HTMLButtonElement>('button.pause')!.click();
    await el.updateComplete;
    expect(counts(el)).not.to.contain('Paused');
    expect(rowTexts(el)[0]).to.contain('live.3').and.contain('m 2313');
  });

  it('keeps the newest `capacity` messages of a burst and counts every one exactly', async () => {
    const { el, fake } = await mount({ subject: '>', capacity: 10_000 });
    await received(el, 3);
    for (let i = 0; i < 25_000; i++) fake.emit('burst', String(i));
    await received(el, 25_003);
    expect(el.evicted).to.equal(15_003);
    await el.updateComplete;
    expect(counts(el)).to.contain('25,003 received · 15,003 evicted (buffer 10,000)');
    expect(el.rows[0]!.n).to.equal(15_004);
    // Only the rows in view are in the DOM.
    expect(root(el).querySelectorAll('.body [role="row"]').length).to.be.below(200);
  });

  it('filters the buffer by a subject pattern and by text in headers and payload', async () => {
    const { el } = await mount();
    await received(el, 3);
    el.filterSubject = 'orders.*';
    await el.updateComplete;
    expect(rowTexts(el)).to.have.length(2);
    expect(counts(el)).to.contain('showing 2 of 3');
    el.filterText = 'M-1';
    await el.updateComplete;
    expect(rowTexts(el)).to.have.length(1);
    el.filterSubject = '';
    el.filterText = 'bob';
    await el.updateComplete;
    expect(rowTexts(el)[0]).to.contain('audit.login');
    el.filterText = 'nothing like it';
    await el.updateComplete;
    expect(textOf(el)).to.contain('No buffered message matches the filters.');
  });

  it('opens a message: its headers and its payload pretty-printed, with a view of its own', async () => {
    const { el } = await mount();
    await received(el, 3);
    await el.updateComplete;
    const last = () => [...root(el).querySelectorAll<HTMLButtonElement>('.body button.open')].at(-1)!;
    last().click();
    await el.updateComplete;
    const detail = root(el).querySelector('[part="detail"]')!;
    expect(detail.querySelector('h3')!.textContent).to.equal('orders.created');
    expect([...detail.querySelectorAll('dt')].map((d) => d.textContent)).to.include.members(['Nats-Msg-Id', 'X-Tag']);
    expect([...detail.querySelectorAll('.payload-headers dd')].map((d) => d.textContent)).to.deep.equal(['m-1', 'a', 'b']);
    expect(detail.querySelector('.payload-body')!.textContent).to.equal('{\n  "id": 1,\n  "total": 12.5\n}');
    const select = detail.querySelector<HTMLSelectElement>('select.payload-view')!;
    select.value = 'hex';
    select.dispatchEvent(new Event('change'));
    await el.updateComplete;
    expect(root(el).querySelector('.payload-body')!.textContent).to.match(/^00000000 {2}7b 22 69 64/);
    // Another message has its own view; coming back keeps the chosen one.
    root(el).querySelector<HTMLButtonElement>('.body button.open')!.click();
    await el.updateComplete;
    expect(root(el).querySelector('.payload-body')!.textContent).to.equal('user bob');
    last().click();
    await el.updateComplete;
    expect(root(el).querySelector<HTMLSelectElement>('select.payload-view')!.value).to.equal('hex');
    await expect(el).to.be.accessible();
    // Escape shuts it and puts the focus back on the message's row.
    root(el)
      .querySelector('select.payload-view')!
      .dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }));
    await waitUntil(() => !root(el).querySelector('[part="detail"]'), 'the detail shut');
    await waitUntil(() => root(el).activeElement === last(), 'the focus on its row');
  });

  it('exports the buffer as JSON lines: text as text, binary as base64, headers kept', async () => {
    const { el, fake } = await mount();
    await received(el, 3);
    fake.emit('bin', new Uint8Array([0, 1, 2, 255]));
    await received(el, 4);
    const lines = el
      .exportJSONLines()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).to.have.length(4);
    expect(lines[0]).to.include({ n: 1, subject: 'orders.created', payload: '{"id":1,"total":12.5}', size: 21 });
    expect(lines[0]!.headers).to.deep.equal({ 'Nats-Msg-Id': ['m-1'], 'X-Tag': ['a', 'b'] });
    expect(lines[0]!.time).to.equal('2026-11-29T15:05:30.000Z');
    expect(lines[3]).to.include({ subject: 'bin', encoding: 'base64', payload: 'AAEC/w==' });
  });

  it('tells a lost connection and what the server dropped, never silently', async () => {
    const { el } = await mount();
    await received(el, 3);
    const t = Date.parse('2026-11-29T15:05:00Z');
    fakeGap(lastFakeTail, { since: t, until: t + 2_000, reason: 'Slow Consumer (Pending Bytes)', dropped: 1_234 });
    fakeGap(lastFakeTail, { since: t + 5_000, until: t + 6_000, unknown: 'this user may not ask' });
    await el.updateComplete;
    const gaps = (root(el).querySelector('[part="gaps"]')?.textContent ?? '').replace(/\s+/g, ' ');
    expect(gaps).to.contain('Connection lost 2 times while tailing').and.contain('the server dropped 1,234 messages');
    expect(gaps).to.contain('Slow Consumer (Pending Bytes)').and.contain('dropped: not known (this user may not ask)');
    expect(el.gaps).to.have.length(2);
  });

  it('says clearly when the subscription is refused, and recovers on retry', async () => {
    const fake = new FakeClient();
    fake.respond('TAIL', () => Promise.reject(new NunectError('PERMISSION_DENIED', 'Permissions Violation for Subscription to "secret.>"')));
    const m = await mountInProvider<NunectTail>(html`<nunect-tail .subject=${'secret.>'}></nunect-tail>`, { client: fake });
    await waitUntil(() => m.el.state === 'error', `error (is ${m.el.state})`, { timeout: 3_000 });
    await m.el.updateComplete;
    expect(textOf(m.el)).to.contain('This user may not subscribe to secret.>');
    fake.respond('TAIL', [STORED]);
    m.el.retry();
    await waitUntil(() => m.el.state === 'ready', `ready (is ${m.el.state})`, { timeout: 3_000 });
  });

  it('renders hostile subjects, headers and payloads as text', async () => {
    const hostile = '<img src=x onerror="globalThis.tailPwned=1">';
    const fake = new FakeClient();
    fake.respond('TAIL', [[{ subject: 'x.y', data: hostile, headers: { 'X-Evil': hostile } }]]);
    const { el } = await mount({ subject: '>' }, fake);
    fake.emit(`a.${'<b>'}`, `<script>globalThis.tailPwned=2</script>`);
    await received(el, 2);
    await el.updateComplete;
    root(el).querySelector<HTMLButtonElement>('.body button.open:last-of-type')!.click();
    [...root(el).querySelectorAll<HTMLButtonElement>('.body button.open')].at(-1)!.click();
    await el.updateComplete;
    expect(root(el).querySelector('img, script, b')).to.equal(null);
    expect(root(el).querySelector('.payload-body')!.textContent).to.equal(hostile);
    expect(textOf(el)).to.contain('a.<b>');
    expect((globalThis as { tailPwned?: number }).tailPwned).to.equal(undefined);
  });
});
