/**
 * <nunect-streams> on a fake account (streams-source.fake.ts; the list through the fake client's
 * `$JS.API.STREAM.LIST` responder): the shared widget suite, the paged list with its running
 * total, sorting and the name filter, only the rows in view rendered for 1,000 streams, the
 * detail (config, state, replicas, consumers), the message browser (gaps skipped, previous/next,
 * last of a subject, the time jump explained on 2.9), the destructive actions (rights, typed
 * confirmation, audit record, the server's refusal), hostile server text rendered as text.
 */
import { expect, html, waitUntil } from '@open-wc/testing';
import { NunectError } from '../../client/index.js';
import type { AuditRecord } from '../../client/admin.js';
import { CAPTURE_TIME, mountInProvider } from '../../test/support/fixtures.js';
import { FakeClient, FIXTURES } from '../../test/support/fake-client.js';
import { textOf, widgetSuite } from '../../test/support/widget-suite.js';
import './define.js';
import { NunectStreams } from './nunect-streams.js';
import { fakeListResponder, fakeMessages, fakeStreamInfo, fakeStreamsSource, listPage, type FakeAccount, type FakeStream } from './streams-source.fake.js';
import type { ConsumerInfo } from './streams-source.js';

const T = Date.parse(CAPTURE_TIME) - 3_600_000;
const HOSTILE = '<img src=x onerror="window.__pwned=1">';

function stream(
  name: string,
  n: number,
  over: Omit<NonNullable<Parameters<typeof fakeStreamInfo>[1]>, 'consumers'> & { deleted?: number[]; consumers?: ConsumerInfo[] } = {},
): FakeStream {
  const messages = over.messages ?? fakeMessages(n, (seq) => `${name.toLowerCase()}.${seq % 2 ? 'odd' : 'even'}`, T, over.deleted ?? []);
  return { info: fakeStreamInfo(name, { ...over, messages, consumers: over.consumers?.length ?? 0 }), messages, consumers: over.consumers ?? [] };
}

const consumer = (name: string, pending: number): ConsumerInfo =>
  ({
    name,
    stream_name: 'ORDERS',
    created: new Date(T).toISOString(),
    config: { durable_name: name, ack_policy: 'explicit', filter_subject: 'orders.>' },
    delivered: { consumer_seq: 2, stream_seq: 2, last_active: new Date(T + 5_000).toISOString() },
    ack_floor: { consumer_seq: 1, stream_seq: 1 },
    num_ack_pending: 1,
    num_redelivered: 3,
    num_waiting: 2,
    num_pending: pending,
  }) as unknown as ConsumerInfo;

function account(): FakeAccount {
  return {
    calls: [],
    streams: [
      stream('ORDERS', 10, { deleted: [4, 5], consumers: [consumer('audit', 7)] }),
      stream('JOBS', 3, { retention: 'workqueue', allowDirect: true }),
      stream('EMPTY', 0),
    ],
  };
}

// Every FakeClient (also those the shared suite makes) lists the default account.
FIXTURES['STREAM.LIST'] = [listPage(account(), 0)];
NunectStreams.defaultSource = fakeStreamsSource(account());

widgetSuite('nunect-streams', { kinds: ['STREAM.LIST'], readyText: 'ORDERS' });

async function mount(acc = account(), fake = new FakeClient(), selected?: string) {
  fake.respond('STREAM.LIST', fakeListResponder(acc));
  const { el } = await mountInProvider<NunectStreams>(
    html`<nunect-streams .source=${fakeStreamsSource(acc)} .interval=${60_000} .selected=${selected}></nunect-streams>`,
    { client: fake },
  );
  await waitUntil(() => el.state === 'ready', `ready (is ${el.state}): ${textOf(el)}`);
  return { el, fake, acc };
}

const $ = <T extends Element = HTMLElement>(el: NunectStreams, sel: string) => el.shadowRoot!.querySelector<T>(sel);
const $$ = (el: NunectStreams, sel: string) => [...el.shadowRoot!.querySelectorAll<HTMLElement>(sel)];
const names = (el: NunectStreams) => $$(el, 'tr.stream').map((r) => r.dataset.name);

describe('<nunect-streams>', () => {
  it('lists the streams with subjects, storage, messages, sequences and consumers', async () => {
    const { el } = await mount();
    expect(names(el)).to.deep.equal(['EMPTY', 'JOBS', 'ORDERS']);
    const orders = $(el, 'tr[data-name="ORDERS"]')!.textContent!.replace(/\s+/g, ' ');
    expect(orders).to.contain('orders.>').and.contain('file').and.contain('8').and.contain('10');
    expect($(el, '.pager .range')!.textContent).to.contain('1–3 of 3');
    await expect(el).to.be.accessible();
  });

  it('sorts with the table header and filters by name', async () => {
    const { el } = await mount();
    $<HTMLButtonElement>(el, 'th[data-column="messages"] button')!.click();
    await el.updateComplete;
    expect(names(el)).to.deep.equal(['EMPTY', 'JOBS', 'ORDERS']);
    $<HTMLButtonElement>(el, 'th[data-column="messages"] button')!.click();
    await el.updateComplete;
    expect(names(el)).to.deep.equal(['ORDERS', 'JOBS', 'EMPTY']);
    el.filter = 'ob';
    await el.updateComplete;
    expect(names(el)).to.deep.equal(['JOBS']);
    expect(textOf(el)).to.contain('1 of 3 match');
  });

  it('pages 1,000 streams as the API does (running n of total) and renders only the rows in view', async () => {
    const acc: FakeAccount = { streams: Array.from({ length: 1_000 }, (_, i) => stream(`S${String(i).padStart(4, '0')}`, 0)) };
    const fake = new FakeClient();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    fake.respond('STREAM.LIST', async (_s, body) => {
      const offset = Number((body as { offset?: number }).offset ?? 0);
      if (offset > 0) await gate;
      return [listPage(acc, offset)];
    });
    const { el } = await mountInProvider<NunectStreams>(html`<nunect-streams .source=${fakeStreamsSource(acc)} .interval=${60_000}></nunect-streams>`, {
      client: fake,
    });
    await waitUntil(() => el.state === 'ready', 'the first page');
    await el.updateComplete;
    expect($(el, '.pager .range')!.textContent).to.contain('1–256 of 1,000');
    release();
    await waitUntil(() => el.streams.length === 1_000, 'every page');
    await el.updateComplete;
    expect($(el, '.pager .range')!.textContent).to.contain('1–1,000 of 1,000');
    const offsets = fake.requests.filter((r) => r.subject === '$JS.API.STREAM.LIST').map((r) => (r.body as { offset: number }).offset);
    expect(offsets).to.deep.equal([0, 256, 512, 768]);
    const rendered = $$(el, 'tr.stream').length;
    expect(rendered).to.be.greaterThan(0).and.lessThan(100);
    const scroller = $(el, '.scroll.virtual')!;
    scroller.scrollTop = scroller.scrollHeight;
    await waitUntil(() => names(el).includes('S0999'), 'the last rows after scrolling');
    expect($$(el, 'tr.stream').length).to.be.lessThan(100);
  });

  it('shows the detail: config, state, leader and replicas, consumers with pending', async () => {
    const acc = account();
    acc.streams[0]!.info.cluster = {
      name: 'c1',
      leader: 'n1',
      replicas: [
        { name: 'n2', current: true, active: 2e8, lag: 0 },
        { name: 'n3', current: false, active: 9e9, lag: 12, offline: true },
      ],
    } as never;
    const { el } = await mount(acc, new FakeClient(), 'ORDERS');
    await waitUntil(() => $(el, '.detail .config'), 'the detail');
    const detail = $(el, '.detail')!.textContent!.replace(/\s+/g, ' ');
    expect(detail).to.contain('Leader n1').and.contain('n3').and.contain('offline').and.contain('12');
    const row = $$(el, '.detail tbody tr').find((r) => r.textContent?.includes('audit'))!;
    expect(row.textContent!.replace(/\s+/g, ' ')).to.contain('7').and.contain('3').and.contain('2');
    await expect(el).to.be.accessible();
  });

  it('browses by sequence without a consumer: gaps skipped and said, previous/next, last of a subject', async () => {
    const { el, acc } = await mount(account(), new FakeClient(), 'ORDERS');
    await waitUntil(() => $(el, '.message .seq')?.textContent === '1', `the first message: ${textOf(el)}`);
    expect($(el, '.message .subject')!.textContent).to.equal('orders.odd');
    expect($(el, '.payload')!.textContent).to.contain('"seq": 1');
    const next = () => $<HTMLButtonElement>(el, 'button.next-msg')!;
    for (const seq of ['2', '3', '6']) {
      await waitUntil(() => !next().disabled, 'next enabled');
      next().click();
      await waitUntil(() => $(el, '.message .seq')?.textContent === seq, `message ${seq}`);
    }
    expect($(el, '.browse-status')!.textContent).to.contain('Sequences 4–5 are deleted: skipped.');
    await waitUntil(() => !$<HTMLButtonElement>(el, 'button.prev-msg')!.disabled, 'previous enabled');
    $<HTMLButtonElement>(el, 'button.prev-msg')!.click();
    await waitUntil(() => $(el, '.message .seq')?.textContent === '3', 'back to 3');
    const form = $<HTMLFormElement>(el, 'form.jump-subject')!;
    form.querySelector('input')!.value = 'orders.even';
    form.requestSubmit();
    await waitUntil(() => $(el, '.message .seq')?.textContent === '10', 'last on orders.even');
    const seqForm = $<HTMLFormElement>(el, 'form.jump-seq')!;
    seqForm.querySelector('input')!.value = '4';
    seqForm.requestSubmit();
    await waitUntil(() => $(el, '.message .seq')?.textContent === '6', 'jump to 4 lands on 6');
    expect(acc.calls!.every((c) => !/consumer\b.*create/i.test(c))).to.equal(true);
    expect(acc.calls!.filter((c) => c.startsWith('message ORDERS')).length).to.be.greaterThan(4);
  });

  it('explains that jumping to a time needs nats-server 2.11 (the fake runs 2.9.10), and uses direct get on 2.11+', async () => {
    const { el } = await mount(account(), new FakeClient(), 'JOBS');
    await waitUntil(() => $(el, '.message .seq'), 'a message');
    expect($(el, '.time-why')!.textContent).to.contain('needs nats-server 2.11 or later').and.contain('2.9.10');
    expect($<HTMLInputElement>(el, 'form.jump-time input')!.disabled).to.equal(true);
    expect($(el, '.message')!.textContent).to.contain('via direct get');

    const fake = new FakeClient();
    fake.info = { ...fake.info, version: '2.15.2' } as FakeClient['info'];
    const later = await mount(account(), fake, 'JOBS');
    await waitUntil(() => $(later.el, '.message .seq'), 'a message');
    expect($(later.el, '.time-why')).to.equal(null);
    const form = $<HTMLFormElement>(later.el, 'form.jump-time')!;
    form.querySelector('input')!.value = new Date(T + 2_500).toISOString().slice(0, 19);
    form.requestSubmit();
    await waitUntil(() => later.acc.calls!.some((c) => c.includes('startTime')), 'asked by time');
  });

  it('purges after the typed stream name, with an audit record; a refusal is shown clearly', async () => {
    const acc = account();
    const fake = new FakeClient();
    const { el } = await mount(acc, fake, 'ORDERS');
    await waitUntil(() => $(el, 'button.purge'), 'the purge button (2.9: rights unknown, shown)');
    expect($(el, '.rights-unknown')!.textContent).to.contain('the server decides');
    $<HTMLButtonElement>(el, 'button.purge')!.click();
    await waitUntil(() => $<HTMLDialogElement>(el, 'dialog.actions-dialog')!.open, 'the dialog');
    const confirm = $<HTMLButtonElement>(el, 'dialog button.confirm')!;
    expect(confirm.disabled).to.equal(true);
    const input = $<HTMLInputElement>(el, 'dialog input.confirm-name')!;
    input.value = 'ORDER';
    input.dispatchEvent(new Event('input'));
    await el.updateComplete;
    expect(confirm.disabled).to.equal(true);
    input.value = 'ORDERS';
    input.dispatchEvent(new Event('input'));
    await el.updateComplete;
    expect(confirm.disabled).to.equal(false);
    await expect(el).to.be.accessible();
    confirm.click();
    await waitUntil(() => $(el, '.action-results .outcome'), 'the result');
    expect($(el, '.action-results')!.textContent).to.contain('ok').and.contain('8 messages purged');
    expect(acc.streams[0]!.messages!.length).to.equal(0);
    const audit = fake.published.find((p) => p.subject === 'ops.audit.purge');
    expect(audit, 'an audit record').to.exist;
    const record = JSON.parse(String(audit!.data)) as AuditRecord;
    expect(record.target.stream).to.equal('ORDERS');
    expect(record.outcome).to.equal('ok');

    acc.refuse = ['delete-consumer'];
    await waitUntil(() => $(el, 'button.delete-consumer'), 'the delete consumer button');
    $<HTMLButtonElement>(el, 'button.delete-consumer')!.click();
    await waitUntil(() => $<HTMLDialogElement>(el, 'dialog.actions-dialog')!.open, 'the dialog');
    const input2 = $<HTMLInputElement>(el, 'dialog input.confirm-name')!;
    input2.value = 'ORDERS';
    input2.dispatchEvent(new Event('input'));
    await el.updateComplete;
    $<HTMLButtonElement>(el, 'dialog button.confirm')!.click();
    await waitUntil(() => $(el, '.action-results')!.textContent!.includes('refused'), 'refused');
    expect($(el, '.action-results')!.textContent).to.contain('PERMISSION_DENIED');
    expect(fake.published.some((p) => p.subject === 'ops.audit.delete-consumer' && String(p.data).includes('"refused"'))).to.equal(true);
  });

  it('offers no buttons, with the reason, to a user who may not purge or delete', async () => {
    const fake = new FakeClient();
    fake.respond('USER.INFO', [
      { data: { user: 'bridge-viewer', account: 'BRIDGE', permissions: { publish: { allow: ['$JS.API.STREAM.LIST', '$JS.API.STREAM.MSG.GET.*'] } } } },
    ]);
    const { el } = await mount(account(), fake, 'ORDERS');
    await waitUntil(() => $(el, '.message .seq') && $(el, '.actions .why'), `the reasons: ${textOf(el)}`);
    expect($(el, 'button.purge')).to.equal(null);
    expect($(el, 'button.delete-message')).to.equal(null);
    expect($(el, 'button.delete-consumer')).to.equal(null);
    expect(textOf(el)).to.contain('bridge-viewer may not publish $JS.API.STREAM.PURGE.ORDERS');
    expect(textOf(el)).to.contain('$JS.API.CONSUMER.DELETE.ORDERS.*');
  });

  it('keeps the last list when the server fails, says why, and recovers by itself', async () => {
    const acc = account();
    const fake = new FakeClient();
    fake.respond('STREAM.LIST', fakeListResponder(acc));
    const { el } = await mountInProvider<NunectStreams>(html`<nunect-streams .source=${fakeStreamsSource(acc)} .interval=${100}></nunect-streams>`, {
      client: fake,
    });
    await waitUntil(() => el.state === 'ready', 'ready');
    fake.respond('STREAM.LIST', () => Promise.reject(new NunectError('PERMISSION_DENIED', 'Permissions Violation for Publish to "$JS.API.STREAM.LIST"')));
    await waitUntil(() => el.state === 'stale', 'stale');
    expect(textOf(el)).to.contain('may not read the streams').and.contain('ORDERS');
    fake.respond('STREAM.LIST', fakeListResponder(acc));
    await waitUntil(() => el.state === 'ready', 'ready again');
  });

  it('says an account has no JetStream', async () => {
    const fake = new FakeClient();
    fake.respond('STREAM.LIST', [{ error: { code: 503, err_code: 10039, description: 'jetstream not enabled for account' } }]);
    const { el } = await mountInProvider<NunectStreams>(html`<nunect-streams .source=${fakeStreamsSource(account())}></nunect-streams>`, { client: fake });
    await waitUntil(() => el.state === 'error', 'error');
    expect(textOf(el)).to.contain("No JetStream for this user's account");
  });

  it('renders hostile stream names, subjects, descriptions and payloads as text', async () => {
    const enc = new TextEncoder();
    const msgs = [
      {
        seq: 1,
        subject: `x.${HOSTILE}`,
        time: new Date(T).toISOString(),
        headers: [[HOSTILE, HOSTILE]] as Array<[string, string]>,
        data: enc.encode(HOSTILE),
        via: 'get' as const,
      },
    ];
    const s = stream('EVIL', 1, { messages: msgs, subjects: [`x.${HOSTILE}`] });
    s.info.config.description = HOSTILE;
    const acc: FakeAccount = { streams: [s] };
    const { el } = await mount(acc, new FakeClient(), 'EVIL');
    await waitUntil(() => $(el, '.message .seq'), 'the message');
    expect(el.shadowRoot!.querySelector('img')).to.equal(null);
    expect((window as { __pwned?: number }).__pwned).to.equal(undefined);
    expect(textOf(el)).to.contain(HOSTILE);
  });
});
