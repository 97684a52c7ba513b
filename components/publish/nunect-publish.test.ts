/**
 * <nunect-publish> on a fake source (publish-source.fake.ts) and the fake client: the states, the
 * editor (subject, headers, payload encodings, checks), publish, request, scatter-gather with
 * responders, refusals and rights, recent subjects and drafts in localStorage without secrets, and
 * hostile replies as text. (The shared widget suite polls monitoring data; this form polls nothing,
 * so its states are tested here.)
 */
import { expect, html, oneEvent, waitUntil } from '@open-wc/testing';
import { NunectError } from '../../client/index.js';
import { mountInProvider } from '../../test/support/fixtures.js';
import { FakeClient } from '../../test/support/fake-client.js';
import { textOf } from '../../test/support/widget-suite.js';
import './define.js';
import { NunectPublish } from './nunect-publish.js';
import { checkHeaders, encodePayload, isSecretHeader, loadStored } from './publish-model.js';
import { fakePublished, fakePublishSource, type FakeReply } from './publish-source.fake.js';

let replies: (subject: string) => FakeReply[] = () => [];
NunectPublish.defaultSource = fakePublishSource((s) => replies(s));

const decoder = new TextDecoder();
const root = (el: NunectPublish) => el.shadowRoot!;
const q = <T extends Element>(el: NunectPublish, sel: string) => root(el).querySelector<T>(sel)!;

async function mount(attrs: Partial<NunectPublish> = {}, fake: FakeClient | false = new FakeClient()) {
  const m = await mountInProvider<NunectPublish>(html`<nunect-publish storage-key=""></nunect-publish>`, { client: false });
  Object.assign(m.el, attrs);
  if (fake) m.provider.client = fake as never;
  await m.el.updateComplete;
  if (fake) await waitUntil(() => m.el.state === 'ready', `ready (is ${m.el.state})`, { timeout: 3_000 });
  return { ...m, fake };
}

async function type(el: NunectPublish, sel: string, value: string) {
  const input = q<HTMLInputElement | HTMLTextAreaElement>(el, sel);
  input.value = value;
  input.dispatchEvent(new Event('input'));
  await el.updateComplete;
}

async function send(el: NunectPublish) {
  const done = oneEvent(el, 'nunect-publish-result');
  q<HTMLButtonElement>(el, 'button.send').click();
  const e = await done;
  await el.updateComplete;
  return e.detail;
}

const outcome = () => (document.querySelector('nunect-publish')?.shadowRoot?.querySelector('.outcome')?.textContent ?? '').replace(/\s+/g, ' ').trim();

describe('<nunect-publish>', () => {
  beforeEach(() => {
    replies = () => [];
    fakePublished.length = 0;
  });

  it('says it is not connected, keeps the editor, and sends nothing', async () => {
    const { el } = await mount({ subject: 'orders.created' }, false);
    expect(el.state).to.equal('unconfigured');
    expect(textOf(el)).to.match(/No NATS server configured|Not connected/);
    expect(q<HTMLButtonElement>(el, 'button.send').disabled).to.equal(true);
    await expect(el).to.be.accessible();
  });

  it('is ready when connected, stale while reconnecting, ready again after', async () => {
    const { el, fake } = await mount({ subject: 'orders.created' });
    expect(q<HTMLButtonElement>(el, 'button.send').disabled).to.equal(false);
    await expect(el).to.be.accessible();
    (fake as FakeClient).setState('reconnecting', new NunectError('CONNECTION_FAILED', 'lost the connection'));
    await waitUntil(() => el.state === 'stale');
    await el.updateComplete;
    expect(q<HTMLButtonElement>(el, 'button.send').disabled).to.equal(true);
    expect(textOf(el)).to.contain('Not connected.');
    (fake as FakeClient).setState('connected');
    await waitUntil(() => el.state === 'ready');
  });

  it('publishes the subject, header rows and payload as typed', async () => {
    const { el } = await mount();
    await type(el, 'input.subject', 'orders.created');
    q<HTMLButtonElement>(el, 'button.add-header').click();
    await el.updateComplete;
    q<HTMLButtonElement>(el, 'button.add-header').click();
    await el.updateComplete;
    const names = () => [...root(el).querySelectorAll<HTMLInputElement>('input.header-name')];
    const values = () => [...root(el).querySelectorAll<HTMLInputElement>('input.header-value')];
    names()[0]!.value = 'X-Tag';
    names()[0]!.dispatchEvent(new Event('input'));
    values()[0]!.value = 'a';
    values()[0]!.dispatchEvent(new Event('input'));
    await el.updateComplete;
    names()[1]!.value = 'X-Tag';
    names()[1]!.dispatchEvent(new Event('input'));
    values()[1]!.value = 'b';
    values()[1]!.dispatchEvent(new Event('input'));
    await type(el, 'textarea.payload-text', '{"id": 7}');
    expect(q(el, '.size').textContent).to.equal('9 B');
    const detail = await send(el);
    expect(detail).to.deep.equal({ mode: 'publish', subject: 'orders.created', outcome: 'ok', replies: 0 });
    const sent = fakePublished.at(-1)!;
    expect(sent.mode).to.equal('publish');
    expect(sent.message.headers).to.deep.equal([
      ['X-Tag', 'a'],
      ['X-Tag', 'b'],
    ]);
    expect(decoder.decode(sent.message.payload)).to.equal('{"id": 7}');
    expect(outcome()).to.equal('Published 9 B + 2 headers to orders.created (the server has it).');
    expect(el.recent).to.deep.equal(['orders.created']);
    await expect(el).to.be.accessible();
  });

  it('checks the input before sending: subject, JSON, hex, base64, headers, the server max payload', async () => {
    const { el, fake } = await mount({ subject: 'orders.*' });
    const notice = () => root(el).querySelector('[part="notice"]')?.textContent ?? '';
    expect(notice()).to.contain('The subject is not valid');
    expect(q<HTMLButtonElement>(el, 'button.send').disabled).to.equal(true);
    el.subject = 'orders.new';
    el.encoding = 'json';
    el.payload = '{"a":';
    await el.updateComplete;
    expect(notice()).to.contain('Payload: not valid JSON');
    el.encoding = 'hex';
    el.payload = '00 ff 1';
    await el.updateComplete;
    expect(notice()).to.contain('even number of digits');
    el.payload = '00 ff 10';
    await el.updateComplete;
    expect(notice()).to.equal('');
    expect(q(el, '.size').textContent).to.equal('3 B');
    el.headers = [{ name: 'Bad Name', value: 'x' }];
    await el.updateComplete;
    expect(notice()).to.contain('Headers:');
    el.headers = [];
    (fake as FakeClient).info = { ...(fake as FakeClient).info!, max_payload: 2 };
    el.requestUpdate();
    await el.updateComplete;
    expect(notice()).to.contain('this server takes at most 2 B');
    // The model on its own.
    expect([...encodePayload('AAEC/w==', 'base64').bytes!]).to.deep.equal([0, 1, 2, 255]);
    expect(encodePayload('*not*', 'base64').error).to.contain('base64');
    expect(checkHeaders([{ name: '', value: '' }]).headers).to.deep.equal([]);
    expect(checkHeaders([{ name: 'A', value: 'x\ny' }]).error).to.contain('line break');
  });

  it('requests and shows the reply decoded, with its responder and round trip', async () => {
    replies = () => [{ data: { name: 'orders', id: 'svc-1', ok: true }, headers: { 'Nats-Service-Error-Code': '0' }, delay: 4.2 }];
    const { el } = await mount({ subject: 'orders.get', mode: 'request', payload: 'q' });
    expect(q<HTMLInputElement>(el, 'input.timeout').value).to.equal('5000');
    const detail = await send(el);
    expect(detail).to.deep.equal({ mode: 'request', subject: 'orders.get', outcome: 'ok', replies: 1 });
    expect(outcome()).to.equal('Reply from orders.get in 4.2 ms (1 B sent).');
    const reply = q(el, '.reply-detail');
    expect(reply.textContent).to.contain('orders svc-1').and.contain('4.2 ms');
    expect(reply.querySelector('.payload-body')!.textContent).to.equal('{\n  "name": "orders",\n  "id": "svc-1",\n  "ok": true\n}');
    expect(reply.querySelector('.payload-headers dt')!.textContent).to.equal('Nats-Service-Error-Code');
    await expect(el).to.be.accessible();
    replies = () => [];
    await send(el);
    expect(outcome()).to.contain('orders.get: no reply (request to orders.get: timed out)');
  });

  it('scatter-gathers every reply, each with its responder and time; a count stops it', async () => {
    replies = () => [1, 2, 3].map((i) => ({ data: { server: { name: `nats-${i}` }, n: i }, delay: i * 10 }));
    const { el } = await mount({ subject: 'bridge.survey', mode: 'gather' });
    const detail = await send(el);
    expect(detail).to.deep.equal({ mode: 'gather', subject: 'bridge.survey', outcome: 'ok', replies: 3 });
    expect(outcome()).to.contain('3 replies on bridge.survey').and.contain('no reply came for the quiet period');
    const rows = [...root(el).querySelectorAll('[part="reply"]')].map((r) => r.textContent!.replace(/\s+/g, ' ').trim());
    expect(rows).to.have.length(3);
    expect(rows[0]).to.contain('nats-1').and.contain('10 ms');
    expect(rows[2]).to.contain('nats-3').and.contain('30 ms');
    root(el).querySelectorAll<HTMLButtonElement>('button.show-reply')[1]!.click();
    await el.updateComplete;
    expect(q(el, '.reply-detail .payload-body').textContent).to.contain('"n": 2');
    await expect(el).to.be.accessible();
    el.maxReplies = 2;
    await send(el);
    expect(outcome()).to.contain('2 replies').and.contain('the count was reached');
    expect(root(el).querySelector('.history')!.textContent).to.contain('3 replies');
  });

  it('says a refusal is a refusal', async () => {
    replies = () => {
      throw new NunectError('PERMISSION_DENIED', 'This user may not publish to secret.x: Permissions Violation for Publish to "secret.x"');
    };
    const { el } = await mount({ subject: 'secret.x' });
    const detail = await send(el);
    expect(detail.outcome).to.equal('refused');
    expect(outcome()).to.equal('Refused: This user may not publish to secret.x: Permissions Violation for Publish to "secret.x"');
    expect(el.recent).to.deep.equal([]);
  });

  it('knows before sending what the user may not publish (2.10+ rights)', async () => {
    const fake = new FakeClient();
    fake.respond('USER.INFO', [{ data: { user: 'bridge-viewer', account: 'BRIDGE', permissions: { publish: { allow: ['bridge.>'] } } } }]);
    const { el } = await mount({ subject: 'orders.x' }, fake);
    await waitUntil(() => (root(el).querySelector('[part="notice"]')?.textContent ?? '').includes('may not publish'), 'the rights notice', { timeout: 3_000 });
    expect(q(el, '[part="notice"]').textContent).to.equal("bridge-viewer may not publish to orders.x (the server's permissions).");
    expect(q<HTMLButtonElement>(el, 'button.send').disabled).to.equal(true);
    el.subject = 'bridge.x';
    await el.updateComplete;
    expect(q<HTMLButtonElement>(el, 'button.send').disabled).to.equal(false);
  });

  it('keeps recent subjects and the draft in localStorage, never a secret header value', async () => {
    const key = `nunect-publish-test-${Math.random().toString(36).slice(2)}`;
    try {
      const { el } = await mount({ storageKey: key });
      el.headers = [
        { name: 'Authorization', value: 'Bearer s3cr3t' },
        { name: 'X-Api-Key', value: 'k-123' },
        { name: 'X-Tag', value: 'blue' },
      ];
      await type(el, 'input.subject', 'orders.saved');
      await type(el, 'textarea.payload-text', 'draft body');
      await send(el);
      const raw = localStorage.getItem(`${key}:v1`)!;
      expect(raw).not.to.contain('s3cr3t').and.not.to.contain('k-123');
      const stored = loadStored(key);
      expect(stored.recent).to.deep.equal(['orders.saved']);
      expect(stored.draft!.headers).to.deep.equal([
        { name: 'Authorization', value: '' },
        { name: 'X-Api-Key', value: '' },
        { name: 'X-Tag', value: 'blue' },
      ]);
      expect(textOf(el)).to.contain('not stored');
      // A new widget with the same key starts from the draft and offers the subject.
      const again = await mount({ storageKey: key });
      expect(again.el.subject).to.equal('orders.saved');
      expect(again.el.payload).to.equal('draft body');
      expect([...root(again.el).querySelectorAll('datalist option')].map((o) => o.getAttribute('value'))).to.deep.equal(['orders.saved']);
      expect(isSecretHeader('Nats-Msg-Id')).to.equal(false);
    } finally {
      localStorage.removeItem(`${key}:v1`);
    }
  });

  it('renders hostile replies and responders as text', async () => {
    const hostile = '<img src=x onerror="globalThis.publishPwned=1">';
    replies = () => [{ data: { server: { name: hostile }, body: hostile }, headers: { 'X-Evil': hostile } }];
    const { el } = await mount({ subject: 'bridge.h', mode: 'gather' });
    await send(el);
    root(el).querySelector<HTMLButtonElement>('button.show-reply')!.click();
    await el.updateComplete;
    expect(root(el).querySelector('img')).to.equal(null);
    expect(textOf(el)).to.contain(hostile);
    expect((globalThis as { publishPwned?: number }).publishPwned).to.equal(undefined);
  });
});
