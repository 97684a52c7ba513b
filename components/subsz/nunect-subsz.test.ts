import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { subjectMatches } from '../../client/index.js';
import './define.js';
import '../provider/define.js';
import type { NunectProvider } from '../provider/nunect-provider.js';
import type { NunectSubsz } from './nunect-subsz.js';
import type { SubszEntry } from '../../client/monitor-types.js';
import { asClient, FakeClient, FIXTURES } from '../../test/support/fake-client.js';
import { textOf, widgetSuite } from '../../test/support/widget-suite.js';

widgetSuite('nunect-subsz', { kinds: ['SUBSZ', 'ACCOUNTZ'], readyText: 'engine.jobs.*' });

type Body = { account?: string; test?: string; offset?: number; limit?: number; subscriptions?: boolean; cid?: number };
type Reply = { server: { id: string }; data: { subscriptions_list?: SubszEntry[]; connections?: Array<{ cid: number }> } };

/** A fake whose SUBSZ honours account, test, offset and limit like the server does. */
function fakeServer(): FakeClient {
  const fake = new FakeClient();
  const fixtures = new FakeClient();
  fake.respond('SUBSZ', async (subject, raw) => {
    const body = raw as Body;
    const replies = (await fixtures.responders.get('SUBSZ')!(subject, body)) as Reply[];
    for (const r of replies) {
      let list = r.data.subscriptions_list ?? [];
      if (body.account) list = list.filter((s) => s.account === body.account);
      if (body.test) list = list.filter((s) => subjectMatches(s.subject, body.test!));
      const offset = body.offset ?? 0;
      r.data.subscriptions_list = body.subscriptions ? list.slice(offset, offset + (body.limit ?? 1024)) : undefined;
    }
    return replies;
  });
  fake.respond('CONNZ', async (subject, raw) => {
    const body = raw as Body;
    const replies = (await fixtures.responders.get('CONNZ')!(subject, body)) as Reply[];
    for (const r of replies) if (body.cid !== undefined) r.data.connections = r.data.connections!.filter((c) => c.cid === body.cid);
    return replies;
  });
  return fake;
}

async function mount(fake: FakeClient, limit?: number): Promise<NunectSubsz> {
  const provider = await fixture<NunectProvider>(
    html`<nunect-provider><nunect-subsz .interval=${100} .limit=${limit ?? 100}></nunect-subsz></nunect-provider>`,
  );
  provider.client = asClient(fake);
  const el = provider.querySelector('nunect-subsz')!;
  await waitUntil(() => el.state === 'ready', `ready: ${textOf(el)}`, { timeout: 3_000 });
  return el;
}

const $ = <T extends Element>(el: NunectSubsz, selector: string) => el.shadowRoot!.querySelector<T>(selector)!;
const button = (el: NunectSubsz, text: string) => [...el.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent?.trim() === text)!;
const result = (el: NunectSubsz) => $(el, '#lookup-result').textContent!.replace(/\s+/g, ' ').trim();

async function check(el: NunectSubsz, subject: string): Promise<void> {
  const input = $<HTMLInputElement>(el, 'input');
  input.focus();
  input.value = '';
  await sendKeys({ type: subject });
  await sendKeys({ press: 'Enter' });
  await el.updateComplete;
}

describe('<nunect-subsz>', () => {
  it('shows the routing statistics of each server', async () => {
    const el = await mount(new FakeClient());
    const text = textOf(el);
    // subsz.json: 77 subscriptions, 91 cache entries, cache hit rate 0.1621…, fan-out 0.956 avg, 1 max.
    expect(text).to.match(/Subscriptions\s*77/);
    expect(text).to.match(/Cache entries\s*91/);
    expect(text).to.match(/Cache hit rate\s*16\.2%/);
    expect(text).to.match(/Fan-out avg · max\s*0\.96 · 1/);
  });

  it('lists the subscriptions and pages through them', async () => {
    const fake = fakeServer();
    const el = await mount(fake, 10);
    expect(el.shadowRoot!.querySelectorAll('tbody tr').length).to.equal(10);
    expect(textOf(el)).to.contain('Showing 1–10');
    expect(button(el, 'Previous').disabled).to.be.true;
    button(el, 'Next').click();
    await waitUntil(() => textOf(el).includes('Showing 11–20'), `page 2: ${textOf(el)}`, { timeout: 3_000 });
    const last = fake.requests.filter((r) => r.subject.endsWith('.SUBSZ')).at(-1)!.body as Body;
    expect(last).to.include({ subscriptions: true, offset: 10, limit: 10 });
    expect(button(el, 'Previous').disabled).to.be.false;
  });

  it('filters by account, for the statistics and the list', async () => {
    const fake = fakeServer();
    const el = await mount(fake);
    const select = $<HTMLSelectElement>(el, 'select');
    const options = [...select.options].map((o) => o.textContent?.trim());
    expect(options).to.include.members(['All accounts', 'BRIDGE', 'ENGINE', 'PROVISION', 'SYS', '$G']);
    select.value = 'ENGINE';
    select.dispatchEvent(new Event('change'));
    await waitUntil(
      () => /Subject routing in ENGINE/.test(textOf(el)) && el.shadowRoot!.querySelectorAll('tbody tr').length === 7,
      `ENGINE only: ${textOf(el)}`,
      {
        timeout: 3_000,
      },
    );
    expect(el.account).to.equal('ENGINE');
    const accounts = [...el.shadowRoot!.querySelectorAll('tbody tr td:first-child')].map((td) => td.textContent);
    expect(new Set(accounts)).to.deep.equal(new Set(['ENGINE']));
    const last = fake.requests.filter((r) => r.subject.endsWith('.SUBSZ')).at(-1)!.body as Body;
    expect(last.account).to.equal('ENGINE');
  });

  it('refuses a subject with wildcards inline, without asking the server', async () => {
    const fake = fakeServer();
    const el = await mount(fake);
    await check(el, 'engine.jobs.*');
    const input = $<HTMLInputElement>(el, 'input');
    expect(input.getAttribute('aria-invalid')).to.equal('true');
    expect(result(el)).to.match(/wildcards/);
    expect(fake.requests.some((r) => (r.body as Body).test)).to.be.false;
    await expect(el).to.be.accessible();
  });

  it('answers who receives a subject: subscription, queue group, account and client (names as text)', async () => {
    const fake = fakeServer();
    const el = await mount(fake);
    await check(el, 'engine.jobs.build');
    await waitUntil(() => /reaches/.test(result(el)), `an answer: ${result(el)}`, { timeout: 3_000 });
    const asked = fake.requests.find((r) => (r.body as Body).test)!;
    expect(asked.subject).to.equal('$SYS.REQ.SERVER.PING.SUBSZ');
    expect(asked.body).to.deep.equal({ subscriptions: true, test: 'engine.jobs.build', limit: 1024 });
    // Two members of the queue group "workers" in ENGINE (cid 9 and 10).
    expect(result(el)).to.equal('A message on engine.jobs.build reaches 1 queue group (one member of each gets the message).');
    const rows = [...el.shadowRoot!.querySelectorAll('.matches tbody tr')];
    expect(rows.length).to.equal(2);
    expect(rows[0]!.textContent).to.contain('engine.jobs.*').and.contain('workers').and.contain('ENGINE');
    // Client names come from a CONNZ asked of the server that holds the subscription.
    await waitUntil(() => textOf(el).includes('engine-worker-1'), `client names: ${textOf(el)}`, { timeout: 3_000 });
    const names = fake.requests.filter((r) => (r.body as Body).cid !== undefined);
    const serverId = (FIXTURES.SUBSZ![0] as { server: { id: string } }).server.id;
    expect(names.map((r) => r.subject)).to.deep.equal(Array(2).fill(`$SYS.REQ.SERVER.${serverId}.CONNZ`));
    // The hostile client name is text, not markup.
    expect(textOf(el)).to.contain('<img src=x onerror=alert(1)>');
    expect(el.shadowRoot!.querySelector('img')).to.be.null;
    await expect(el).to.be.accessible();
  });

  it('asks within the chosen account and says when nothing receives the subject', async () => {
    const fake = fakeServer();
    const el = await mount(fake);
    el.account = 'BRIDGE';
    await el.updateComplete;
    await check(el, 'engine.jobs.build');
    await waitUntil(() => /No subscription/.test(result(el)), `an answer: ${result(el)}`, { timeout: 3_000 });
    expect(result(el)).to.equal('No subscription receives engine.jobs.build in account BRIDGE.');
    expect(fake.requests.find((r) => (r.body as Body).test)!.body).to.include({ account: 'BRIDGE', test: 'engine.jobs.build' });
  });

  it('shows a failed lookup inline and keeps the rest of the widget', async () => {
    const fake = fakeServer();
    const el = await mount(fake);
    const base = fake.responders.get('SUBSZ')!;
    fake.respond('SUBSZ', (s, b) =>
      (b as Body).test ? [{ server: { name: 'nunect-fixture', id: 'X' }, error: { code: 400, description: 'invalid test subject' } }] : base(s, b),
    );
    await check(el, 'a.b');
    await waitUntil(() => /Could not check/.test(result(el)), `a failure: ${result(el)}`, { timeout: 3_000 });
    expect(result(el)).to.equal('Could not check a.b: invalid test subject');
    expect(el.state).to.equal('ready');
  });
});
