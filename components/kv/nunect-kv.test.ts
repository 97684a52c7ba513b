/**
 * <nunect-kv> on fake buckets (kv-source.fake.ts over the fake client's responders): the shared
 * widget suite, the bucket list, keys filtered and paged, live changes marked new, a key's value
 * (the shared payload part) and history, put and delete with rights, confirmation and audit, the
 * server's refusal, no such bucket, the watch released on removal, hostile text.
 */
import { expect, html, waitUntil } from '@open-wc/testing';
import type { AuditRecord } from '../../client/index.js';
import { CAPTURE_TIME, mountInProvider } from '../../test/support/fixtures.js';
import { FakeClient, FIXTURES } from '../../test/support/fake-client.js';
import { textOf, widgetSuite } from '../../test/support/widget-suite.js';
import './define.js';
import { NunectKv } from './nunect-kv.js';
import { fakeKvSource, FakeKvStore, type FakeKvState } from './kv-source.fake.js';
import type { KvSourceFactory } from './kv-source.js';
import { filterProblem, keyMatches, keyProblem } from './kv-source.js';

const T = new Date(CAPTURE_TIME).getTime();
const STATE: FakeKvState = {
  buckets: [
    {
      bucket: 'CONFIG',
      history: 5,
      ttl: 3_600_000,
      storage: 'file',
      replicas: 3,
      description: 'service configuration',
      entries: [
        { key: 'config.a', revision: 1, created: T - 60_000, value: 'one' },
        { key: 'config.b', revision: 2, created: T - 50_000, value: '{"x":1,"y":[1,2]}' },
        { key: 'config.b', revision: 3, created: T - 40_000, operation: 'DEL' },
        { key: 'config.c', revision: 4, created: T - 30_000, value: 'three' },
        { key: 'other.d', revision: 5, created: T - 20_000, value: 'four' },
        { key: 'config.b', revision: 6, created: T - 10_000, value: '{"x":2}' },
      ],
    },
    { bucket: 'SESSIONS', storage: 'memory', entries: [] },
  ],
};
// Every FakeClient (also those the shared suite makes) answers the fake buckets.
FIXTURES.KV = [STATE];
NunectKv.defaultSource = fakeKvSource(20);

widgetSuite('nunect-kv', { kinds: ['KV'], readyText: 'CONFIG' });

const VIEWER_INFO = [{ data: { user: 'bridge-viewer', account: 'BRIDGE', permissions: { publish: { allow: ['bridge.>', '$JS.API.INFO'] } } } }];

async function mount(options: { fake?: FakeClient; store?: FakeKvStore; bucket?: string; attrs?: Partial<NunectKv> } = {}) {
  const fake = options.fake ?? new FakeClient();
  const store = options.store ?? new FakeKvStore(STATE, () => T);
  store.install(fake);
  const m = await mountInProvider<NunectKv>(html`<nunect-kv .interval=${100}></nunect-kv>`, { client: fake });
  Object.assign(m.el, options.attrs ?? {});
  if (options.bucket) m.el.bucket = options.bucket;
  await waitUntil(() => m.el.state === 'ready', `ready (is ${m.el.state}): ${textOf(m.el)}`, { timeout: 3_000 });
  if (options.bucket) await waitUntil(() => keyRows(m.el).length || /no keys|No key matches/.test(textOf(m.el)), `keys: ${textOf(m.el)}`, { timeout: 3_000 });
  await m.el.updateComplete;
  return { ...m, fake, store };
}
const $ = <E extends Element = HTMLElement>(el: NunectKv, sel: string) => el.shadowRoot!.querySelector<E>(sel);
const $$ = <E extends Element = HTMLElement>(el: NunectKv, sel: string) => [...el.shadowRoot!.querySelectorAll<E>(sel)];
const text = (e: Element | null | undefined) => (e?.textContent ?? '').replace(/\s+/g, ' ').trim();
const keyRows = (el: NunectKv) => $$(el, 'button.key-button').map((b) => b.dataset.key);
const audits = (fake: FakeClient) =>
  fake.published.filter((p) => p.subject.startsWith('ops.audit.')).map((p) => ({ subject: p.subject, record: JSON.parse(String(p.data)) as AuditRecord }));

describe('kv-source helpers', () => {
  it('checks keys and filters, and matches keys with wildcards', () => {
    expect(keyProblem('config.a')).to.equal(undefined);
    expect(keyProblem('a..b')).to.match(/empty part/);
    expect(keyProblem('a b')).to.match(/only letters/);
    expect(keyProblem('a.*')).to.match(/only letters/);
    expect(filterProblem('config.>')).to.equal(undefined);
    expect(filterProblem('*.d')).to.equal(undefined);
    expect(filterProblem('a.>.b')).to.match(/> may only be the last/);
    expect(filterProblem('a.b*')).to.match(/a part is a name/);
    expect(keyMatches('config.>', 'config.a.b')).to.equal(true);
    expect(keyMatches('config.>', 'config')).to.equal(false);
    expect(keyMatches('config.*', 'config.a.b')).to.equal(false);
    expect(keyMatches('*.d', 'other.d')).to.equal(true);
  });
});

describe('<nunect-kv>', () => {
  it('lists the buckets with values, size, history, TTL, storage and replicas', async () => {
    const { el } = await mount();
    const rows = $$(el, 'section.buckets tbody tr');
    expect(rows.map((r) => text(r.querySelector('button')))).to.deep.equal(['CONFIG', 'SESSIONS']);
    const t = text(rows[0]);
    expect(t).to.contain('service configuration').and.contain('6').and.contain('1 h').and.contain('file').and.contain('3');
    expect(text(rows[1])).to.contain('memory').and.contain('none');
    expect(el.buckets.map((b) => b.bucket)).to.deep.equal(['CONFIG', 'SESSIONS']);
    await expect(el).to.be.accessible();
  });

  it('opens a bucket from the list: its keys, counted, deleted ones left out', async () => {
    const { el } = await mount();
    $<HTMLButtonElement>(el, 'button.bucket-button[data-bucket="CONFIG"]')!.click();
    await waitUntil(() => keyRows(el).length === 4, `keys: ${textOf(el)}`, { timeout: 3_000 });
    expect(el.bucket).to.equal('CONFIG');
    expect(keyRows(el)).to.deep.equal(['config.a', 'config.b', 'config.c', 'other.d']);
    expect(text($(el, '[part="count"]')))
      .to.contain('4 keys')
      .and.contain('watching live');
    await expect(el).to.be.accessible();
  });

  it('filters the keys with wildcards, and says why a filter is not valid', async () => {
    const { el } = await mount({ bucket: 'CONFIG' });
    const input = $<HTMLInputElement>(el, 'input.filter-input')!;
    input.value = 'config.*';
    input.dispatchEvent(new Event('input'));
    $<HTMLFormElement>(el, 'form.filter')!.requestSubmit();
    await waitUntil(() => keyRows(el).length === 3, `filtered: ${textOf(el)}`, { timeout: 3_000 });
    expect(el.filter).to.equal('config.*');
    expect(text($(el, '[part="count"]'))).to.contain('3 keys match config.*');
    input.value = 'config.>.x';
    input.dispatchEvent(new Event('input'));
    $<HTMLFormElement>(el, 'form.filter')!.requestSubmit();
    await el.updateComplete;
    expect(el.filter, 'not applied').to.equal('config.*');
    expect(text($(el, '#filter-help'))).to.contain('> may only be the last part');
    el.filter = 'nothing.>';
    await waitUntil(() => /No key matches nothing\.>/.test(textOf(el)), textOf(el), { timeout: 3_000 });
    expect(text($(el, '[part="count"]'))).to.contain('0 keys');
  });

  it('pages the keys with the shared pager', async () => {
    const { el } = await mount({ bucket: 'CONFIG', attrs: { pageSize: 3 } });
    expect(keyRows(el)).to.deep.equal(['config.a', 'config.b', 'config.c']);
    expect(text($(el, '[part="pager"] .range'))).to.equal('1–3 of 4');
    $<HTMLButtonElement>(el, '[part="pager"] .next')!.click();
    await el.updateComplete;
    expect(keyRows(el)).to.deep.equal(['other.d']);
    expect($<HTMLButtonElement>(el, '[part="pager"] .next')!.disabled).to.equal(true);
  });

  it('shows changes live, marked new: a put, a new key, a delete, a purge', async () => {
    const { el, store } = await mount({ bucket: 'CONFIG' });
    expect($$(el, '[part="new"]').length).to.equal(0);
    store.put('CONFIG', 'config.a', 'changed');
    store.put('CONFIG', 'config.z', 'fresh');
    store.delete('CONFIG', 'config.c');
    store.delete('CONFIG', 'other.d', 'PURGE');
    await waitUntil(() => el.changes.length === 4, `changes: ${textOf(el)}`, { timeout: 3_000 });
    await el.updateComplete;
    expect(keyRows(el)).to.deep.equal(['config.a', 'config.b', 'config.z']);
    const marked = $$(el, '[part="new"]').map((n) => n.closest('tr')!.querySelector<HTMLElement>('button.key-button')!.dataset.key);
    expect(marked).to.deep.equal(['config.a', 'config.z']);
    const changes = $$(el, '[part="changes"] li').map(text);
    expect(changes[0]).to.contain('purged').and.contain('other.d');
    expect(changes[1]).to.contain('deleted').and.contain('config.c');
    expect(changes[3]).to.contain('put').and.contain('config.a').and.contain('revision 7');
    expect($$(el, '[part="changes"] li[data-operation="DEL"]').length).to.equal(1);
    $<HTMLButtonElement>(el, 'button.mark-seen')!.click();
    await el.updateComplete;
    expect($$(el, '[part="new"]').length).to.equal(0);
    await expect(el).to.be.accessible();
  });

  it('opens a key: its value in the payload view, revision, time, operation and history with deletes marked', async () => {
    const { el, store } = await mount({ bucket: 'CONFIG' });
    $<HTMLButtonElement>(el, 'button.key-button[data-key="config.b"]')!.click();
    await waitUntil(() => $(el, '[part="history"]'), `history: ${textOf(el)}`, { timeout: 3_000 });
    const entry = $(el, '[part="entry"]')!;
    expect(text(entry.querySelector('dl.facts')))
      .to.contain('Revision 6')
      .and.contain('put');
    const body = entry.querySelector('[part="payload-body"]')!;
    expect(body.textContent).to.equal('{\n  "x": 2\n}');
    const history = $$(el, '[part="history"] tbody tr');
    expect(history.map((r) => text(r.querySelector('th')))).to.deep.equal(['2', '3', '6']);
    expect(history[1]!.classList.contains('removed')).to.equal(true);
    expect(text(history[1])).to.contain('deleted');
    expect(text(history[0])).to.contain('{ "x": 1, "y": [ 1, 2 ] }');
    // The view override of the shared part: hex.
    const select = entry.querySelector<HTMLSelectElement>('select.payload-view')!;
    select.value = 'hex';
    select.dispatchEvent(new Event('change'));
    await el.updateComplete;
    expect($(el, '[part="payload-body"]')!.textContent).to.contain('7b 22 78 22');
    // A change to the open key is read again, live.
    store.put('CONFIG', 'config.b', '{"x":3}');
    await waitUntil(() => text($(el, '[part="entry"] dl.facts')).includes('Revision 7'), text($(el, '[part="entry"]')), { timeout: 3_000 });
    expect($$(el, '[part="history"] tbody tr').length).to.equal(4);
    await expect(el).to.be.accessible();
  });

  it('puts a value (rights unknown on 2.9: offered) and records it on ops.audit.kv-put', async () => {
    const { el, fake, store } = await mount({ bucket: 'CONFIG' });
    await waitUntil(() => $(el, 'form.put'), `the editor: ${textOf(el)}`, { timeout: 3_000 });
    expect(text($(el, '.put-actions'))).to.contain('the server decides');
    const key = $<HTMLInputElement>(el, 'input.put-key')!;
    key.value = 'config.new';
    key.dispatchEvent(new Event('input'));
    const value = $<HTMLTextAreaElement>(el, 'textarea.put-value')!;
    value.value = 'hello';
    value.dispatchEvent(new Event('input'));
    await el.updateComplete;
    $<HTMLButtonElement>(el, 'button.put-button')!.click();
    await waitUntil(() => el.lastResult, 'the result', { timeout: 3_000 });
    expect(el.lastResult!.outcome).to.equal('ok');
    expect(text($(el, '[part="result"]'))).to.contain('Put config.new in CONFIG: revision 7');
    expect(store.state.buckets[0]!.entries.at(-1)).to.include({ key: 'config.new', value: 'hello' });
    await waitUntil(() => keyRows(el).includes('config.new'), 'the put seen live', { timeout: 3_000 });
    const [a] = audits(fake);
    expect(a!.subject).to.equal('ops.audit.kv-put');
    expect(a!.record).to.include({ action: 'kv-put', outcome: 'ok' });
    expect(a!.record.target).to.deep.equal({ bucket: 'CONFIG', key: 'config.new' });
    expect(a!.record.time).to.equal(new Date(T).toISOString());
  });

  it('rejects an invalid key before sending', async () => {
    const { el, fake } = await mount({ bucket: 'CONFIG' });
    await waitUntil(() => $(el, 'form.put'), 'the editor', { timeout: 3_000 });
    const key = $<HTMLInputElement>(el, 'input.put-key')!;
    key.value = 'bad key';
    key.dispatchEvent(new Event('input'));
    await el.updateComplete;
    expect(text($(el, 'form.put .problem'))).to.contain('may hold only letters');
    expect($<HTMLButtonElement>(el, 'button.put-button')!.disabled).to.equal(true);
    expect(fake.requests.some((r) => r.subject.endsWith('.KV_PUT'))).to.equal(false);
  });

  it('deletes a key after the key is typed, and records it on ops.audit.kv-delete', async () => {
    const { el, fake, store } = await mount({ bucket: 'CONFIG', attrs: { key: 'config.a' } });
    await waitUntil(() => $(el, 'button.delete'), `delete button: ${textOf(el)}`, { timeout: 3_000 });
    $<HTMLButtonElement>(el, 'button.delete')!.click();
    await waitUntil(() => $<HTMLDialogElement>(el, 'dialog.delete-dialog')?.open, 'the dialog', { timeout: 3_000 });
    const dialog = $<HTMLDialogElement>(el, 'dialog.delete-dialog')!;
    expect(text(dialog.querySelector('h2'))).to.equal('Delete config.a of CONFIG?');
    const confirm = dialog.querySelector<HTMLButtonElement>('button.confirm')!;
    expect(confirm.disabled, 'disabled until the key is typed').to.equal(true);
    const input = dialog.querySelector<HTMLInputElement>('input.confirm-key')!;
    input.value = 'config.';
    input.dispatchEvent(new Event('input'));
    await el.updateComplete;
    expect(confirm.disabled).to.equal(true);
    input.value = 'config.a';
    input.dispatchEvent(new Event('input'));
    await el.updateComplete;
    expect(confirm.disabled).to.equal(false);
    await expect(el).to.be.accessible();
    confirm.click();
    await waitUntil(() => el.lastResult, 'the result', { timeout: 3_000 });
    expect(el.lastResult!.outcome).to.equal('ok');
    expect(store.state.buckets[0]!.entries.at(-1)).to.include({ key: 'config.a', operation: 'DEL' });
    await waitUntil(() => !keyRows(el).includes('config.a'), 'the delete seen live', { timeout: 3_000 });
    const [a] = audits(fake);
    expect(a!.subject).to.equal('ops.audit.kv-delete');
    expect(a!.record.target).to.deep.equal({ bucket: 'CONFIG', key: 'config.a' });
  });

  it('cancels a delete: nothing sent', async () => {
    const { el, fake } = await mount({ bucket: 'CONFIG', attrs: { key: 'config.a' } });
    await waitUntil(() => $(el, 'button.delete'), 'delete button', { timeout: 3_000 });
    $<HTMLButtonElement>(el, 'button.delete')!.click();
    await waitUntil(() => $<HTMLDialogElement>(el, 'dialog.delete-dialog')?.open, 'the dialog', { timeout: 3_000 });
    $<HTMLButtonElement>(el, 'dialog button.cancel')!.click();
    await el.updateComplete;
    expect($<HTMLDialogElement>(el, 'dialog.delete-dialog')!.open).to.equal(false);
    expect(fake.requests.some((r) => r.subject.endsWith('.KV_DELETE'))).to.equal(false);
    expect(audits(fake)).to.deep.equal([]);
  });

  it('says "not allowed" when the server refuses, and audits the refusal', async () => {
    const store = new FakeKvStore(STATE, () => T);
    store.refuse = true;
    const { el, fake } = await mount({ bucket: 'CONFIG', store, attrs: { key: 'config.a' } });
    await waitUntil(() => $(el, 'form.put'), 'the editor', { timeout: 3_000 });
    $<HTMLButtonElement>(el, 'button.put-button')!.click();
    await waitUntil(() => el.lastResult, 'the result', { timeout: 3_000 });
    expect(el.lastResult!.outcome).to.equal('refused');
    const result = $(el, '[part="result"] [role="alert"]');
    expect(text(result)).to.contain('Put config.a failed').and.contain('Not allowed').and.contain('$KV.CONFIG.config.a');
    expect(audits(fake)[0]!.record).to.include({ action: 'kv-put', outcome: 'refused' });
  });

  it('shows the data and no buttons, with the reason, to a user without the right', async () => {
    const fake = new FakeClient();
    fake.respond('USER.INFO', VIEWER_INFO);
    const { el } = await mount({ fake, bucket: 'CONFIG', attrs: { key: 'config.a' } });
    await waitUntil(() => $(el, '[part="entry"] [part="payload-body"]') && $(el, '[part="editor"] .why'), textOf(el), { timeout: 3_000 });
    expect($(el, 'form.put')).to.equal(null);
    expect($(el, 'button.delete')).to.equal(null);
    expect(text($(el, '[part="editor"] .why')))
      .to.contain('bridge-viewer may not put values in CONFIG')
      .and.contain('$KV.CONFIG');
    expect(text($(el, '[part="entry"] .why'))).to.contain('bridge-viewer may not delete keys of CONFIG');
    expect($(el, '[part="payload-body"]')!.textContent).to.equal('one');
  });

  it('says there is no such bucket, keeps the list, and recovers when it appears', async () => {
    const fake = new FakeClient();
    const store = new FakeKvStore(STATE, () => T).install(fake);
    const { el } = await mount({ fake, store });
    el.bucket = 'NOPE';
    await waitUntil(() => el.state === 'stale', `stale: ${textOf(el)}`, { timeout: 3_000 });
    expect(textOf(el)).to.contain('No such bucket: NOPE').and.contain('CONFIG');
    await expect(el).to.be.accessible();
    store.state.buckets.push({ bucket: 'NOPE', entries: [{ key: 'k', revision: 1, created: T, value: 'v' }] });
    await waitUntil(() => el.state === 'ready' && keyRows(el).includes('k'), `recovered: ${textOf(el)}`, { timeout: 3_000 });
  });

  it('releases the watch when removed, and opens one again when attached', async () => {
    let open = 0;
    const inner = fakeKvSource(20);
    const spy: KvSourceFactory = (client) => {
      const s = inner(client);
      return {
        ...s,
        watch: async (b, f, h) => {
          const w = await s.watch(b, f, h);
          open++;
          return { stop: () => (open--, w.stop()) };
        },
      };
    };
    const { el, provider } = await mount({ attrs: { source: spy } });
    el.bucket = 'CONFIG';
    await waitUntil(() => open === 1 && keyRows(el).length === 4, `watching: ${textOf(el)}`, { timeout: 3_000 });
    el.filter = 'config.>';
    await waitUntil(() => open === 1 && keyRows(el).length === 3, 'one watch after a filter change', { timeout: 3_000 });
    el.remove();
    expect(open, 'no watch after removal').to.equal(0);
    provider.append(el);
    await waitUntil(() => open === 1 && keyRows(el).length === 3, 'watching again', { timeout: 3_000 });
  });

  it('renders server text as text', async () => {
    const fake = new FakeClient();
    const hostile: FakeKvState = {
      buckets: [
        { bucket: 'EVIL', description: '<img src=x onerror=alert(1)>', entries: [{ key: 'k', revision: 1, created: T, value: '<b>bold</b><img src=x>' }] },
      ],
    };
    const { el } = await mount({ fake, store: new FakeKvStore(hostile, () => T), bucket: 'EVIL', attrs: { key: 'k' } });
    await waitUntil(() => $(el, '[part="payload-body"]'), textOf(el), { timeout: 3_000 });
    expect(el.shadowRoot!.querySelector('img, b')).to.equal(null);
    expect(textOf(el)).to.contain('<img src=x onerror=alert(1)>').and.contain('<b>bold</b>');
  });
});
