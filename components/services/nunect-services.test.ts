/**
 * <nunect-services> on the fake client answering the services protocol (services-source.fake.ts:
 * the real source, fake replies): the shared widget suite, grouping by name and version with
 * version skew, endpoint figures, error rates from deltas on the manual clock, restarts, missing
 * instances, permissions (INFO not allowed is not "no services"), the empty state, hostile text.
 */
import { expect, html, waitUntil } from '@open-wc/testing';
import { NunectError } from '../../client/index.js';
import { CAPTURE_TIME, mountInProvider } from '../../test/support/fixtures.js';
import { FakeClient, FIXTURES } from '../../test/support/fake-client.js';
import { textOf, widgetSuite } from '../../test/support/widget-suite.js';
import './define.js';
import type { NunectServices } from './nunect-services.js';
import { fleetReplies, sampleFleet, serveFleet, type FakeInstance } from './services-source.fake.js';

const T = new Date(CAPTURE_TIME).getTime();
const FLEET = sampleFleet(T);
// Every FakeClient (also those of the shared suite) answers the sample fleet.
Object.assign(FIXTURES, fleetReplies(FLEET));

widgetSuite('nunect-services', { kinds: ['INFO', 'STATS'], readyText: 'calc' });

const text = (e: Element | null | undefined) => (e?.textContent ?? '').replace(/\s+/g, ' ').trim();
const fleet = () => structuredClone(FLEET);

/** Mounted with a long interval: polls happen when the test says (`el.retry()`). */
async function mount(fake = new FakeClient(), attrs = '') {
  const m = await mountInProvider<NunectServices>(
    attrs === 'service'
      ? html`<nunect-services .interval=${60_000} service="calc"></nunect-services>`
      : html`<nunect-services .interval=${60_000}></nunect-services>`,
    { client: fake },
  );
  await waitUntil(() => m.el.state === 'ready' || m.el.state === 'error', `settled (is ${m.el.state}): ${textOf(m.el)}`, { timeout: 3_000 });
  await m.el.updateComplete;
  return { ...m, fake };
}

/** Polls again and waits for `cond`. */
async function pollUntil(el: NunectServices, fake: FakeClient, cond: () => boolean, what: string) {
  const before = fake.requests.length;
  el.retry();
  await waitUntil(() => fake.requests.length > before && cond(), `${what}: ${textOf(el)}`, { timeout: 3_000 });
  await el.updateComplete;
}

const section = (el: NunectServices, name: string) =>
  [...el.shadowRoot!.querySelectorAll<HTMLElement>('section.service')].find((s) => text(s.querySelector('h3')) === name);

describe('<nunect-services>', () => {
  it('groups the instances by service name and version and marks version skew', async () => {
    const { el } = await mount();
    expect([...el.shadowRoot!.querySelectorAll('section.service h3')].map(text)).to.deep.equal(['calc', 'echo']);
    const calc = section(el, 'calc')!;
    expect(calc.dataset.skew).to.equal('true');
    expect(text(calc.querySelector('[part="skew"]'))).to.contain('1.0.0, 1.1.0');
    expect([...calc.querySelectorAll('.version h4')].map(text)).to.deep.equal(['Version 1.0.0 · 1 instance', 'Version 1.1.0 · 1 instance']);
    expect(calc.querySelectorAll('.version[data-skew="true"]').length).to.equal(2);
    const echo = section(el, 'echo')!;
    expect(echo.dataset.skew).to.equal('false');
    expect(echo.querySelector('[part="skew"]')).to.equal(null);
    expect(el.groups.map((g) => [g.name, g.skew, g.versions.map((v) => v.version)])).to.deep.equal([
      ['calc', true, ['1.0.0', '1.1.0']],
      ['echo', false, ['0.3.2']],
    ]);
    expect(textOf(el)).to.contain('Services 2').and.contain('Instances 3');
  });

  it('shows each instance (id, started, metadata, ping) and each endpoint (subject, queue, requests, errors, average time, last error)', async () => {
    const { el } = await mount();
    const calc = section(el, 'calc')!;
    const instance = calc.querySelector<HTMLElement>('tr.instance[data-id="CALC1AAAAAAAAAAAAAAAAA"]')!;
    expect(text(instance)).to.contain('CALC1AAAAAAAAAAAAAAAAA').and.contain('region=eu-west').and.contain('1 h').and.contain('160').and.contain('4');
    const rtt = el.instances.find((i) => i.id === 'CALC1AAAAAAAAAAAAAAAAA')!.rtt;
    expect(rtt, 'the ping round trip').to.be.a('number').and.at.least(0);
    const endpoints = [...calc.querySelectorAll('table')].filter((t) => t.getAttribute('aria-label') === 'Endpoints of calc 1.0.0')[0]!;
    const divide = [...endpoints.querySelectorAll('tbody tr')].find((r) => text(r.querySelector('th')) === 'divide')!;
    expect(text(divide)).to.contain('calc.divide').and.contain('q').and.contain('40').and.contain('1.5 ms').and.contain('400:division by zero');
    const echo = section(el, 'echo')!;
    expect(text(echo)).to.contain('echo.say').and.contain('echoes').and.contain('50 µs').and.contain('Says it back');
  });

  it('computes the error rate from the deltas between two polls (on the widget clock)', async () => {
    const { el, fake, clock } = await mount();
    const rowOf = () =>
      [...section(el, 'calc')!.querySelectorAll('table[aria-label="Endpoints of calc 1.0.0"] tbody tr')].find((r) => text(r.querySelector('th')) === 'divide')!;
    expect(text(rowOf())).to.contain('–'); // one poll: no rate yet
    const next = fleet();
    next[0]!.endpoints[1] = { ...next[0]!.endpoints[1]!, requests: 90, errors: 14 };
    serveFleet(fake, next);
    clock.advance(10_000);
    await pollUntil(el, fake, () => text(rowOf()).includes('20%'), 'rates');
    // 50 more requests and 10 more errors in 10 s: 5/s, 1/s, 20 %.
    expect(text(rowOf())).to.contain('5/s').and.contain('1/s').and.contain('20%');
    const divide = el.instances.find((i) => i.id === 'CALC1AAAAAAAAAAAAAAAAA')!.endpoints.find((e) => e.name === 'divide')!;
    expect([divide.requestRate, divide.errorRate, divide.errorShare]).to.deep.equal([5, 1, 20]);
    expect(textOf(el)).to.contain('Errors/s 1/s');
  });

  it('shows a restart as a moved start and starts the rates over', async () => {
    const { el, fake, clock } = await mount();
    const next = fleet();
    next[2] = { ...next[2]!, started: new Date(T - 1_000).toISOString(), endpoints: [{ ...next[2]!.endpoints[0]!, requests: 1 }] };
    serveFleet(fake, next);
    clock.advance(5_000);
    await pollUntil(el, fake, () => text(section(el, 'echo')).includes('restarted'), 'restart');
    const echo = el.instances.find((i) => i.name === 'echo')!;
    expect(echo.restarts).to.equal(1);
    expect(echo.previousStarted).to.equal(FLEET[2]!.started);
    expect(echo.endpoints[0]!.requestRate).to.equal(undefined);
  });

  it('keeps an instance that stops answering, marked as not answering, until forgotten', async () => {
    const { el, fake, clock } = await mount();
    serveFleet(
      fake,
      fleet().filter((i) => i.version !== '1.1.0'),
    );
    clock.advance(5_000);
    await pollUntil(el, fake, () => !!el.shadowRoot!.querySelector('tr.absent'), 'missing');
    const absent = el.shadowRoot!.querySelector('tr.absent')!;
    expect(text(absent)).to.contain('CALC2BBBBBBBBBBBBBBBBB').and.contain('not answering').and.contain('1 survey missed');
    expect(textOf(el)).to.contain('Not answering 1').and.contain('Instances 2');
    // One version answers now: no skew, though the missing one is still listed.
    expect(section(el, 'calc')!.dataset.skew).to.equal('false');
    expect(text(section(el, 'calc'))).to.contain('0 instances, 1 not answering');
    const forget = el.shadowRoot!.querySelector<HTMLButtonElement>('button.forget')!;
    expect(text(forget)).to.contain('Forget the 1 not answering');
    await expect(el).to.be.accessible();
    forget.click();
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('tr.absent')).to.equal(null);
    expect(el.instances.map((i) => i.id)).to.not.include('CALC2BBBBBBBBBBBBBBBBB');
  });

  it('says INFO is not allowed (PERMISSION_DENIED), which is not "no services"', async () => {
    const fake = new FakeClient();
    const refuse = () => Promise.reject(new NunectError('PERMISSION_DENIED', 'Permissions Violation for Publish to "$SRV.INFO"'));
    fake.respond('INFO', refuse);
    fake.respond('STATS', refuse);
    const { el } = await mount(fake);
    expect(el.state).to.equal('error');
    expect(textOf(el)).to.contain('INFO not allowed').and.contain('$SRV.INFO').and.not.contain('No services answer');
    await expect(el).to.be.accessible();
  });

  it('shows the instances with a notice when only STATS is not allowed', async () => {
    const fake = new FakeClient();
    fake.respond('STATS', () => Promise.reject(new NunectError('PERMISSION_DENIED', 'Permissions Violation for Publish to "$SRV.STATS"')));
    const { el } = await mount(fake);
    expect(el.state).to.equal('ready');
    expect(text(el.shadowRoot!.querySelector('[part="notice"]')))
      .to.contain('STATS not allowed')
      .and.contain('not shown');
    expect(textOf(el)).to.contain('calc').and.contain('calc.divide');
  });

  it('says so when no services answer (no responders)', async () => {
    const fake = new FakeClient();
    fake.responders.delete('INFO');
    fake.responders.delete('STATS');
    const { el } = await mount(fake);
    expect(el.state).to.equal('ready');
    expect(text(el.shadowRoot!.querySelector('[part="empty"]'))).to.contain('No services answer on $SRV.INFO');
    expect(textOf(el)).to.not.contain('not allowed');
    await expect(el).to.be.accessible();
  });

  it('asks only one service with the service property', async () => {
    const { el, fake } = await mount(new FakeClient(), 'service');
    expect(fake.requests.map((r) => r.subject)).to.include.members(['$SRV.INFO.calc', '$SRV.STATS.calc']);
    expect(textOf(el)).to.contain('Asked $SRV.INFO.calc every 1 min');
  });

  it('polls on its interval (default 5 s) and stops when removed', async () => {
    expect(document.createElement('nunect-services').interval).to.equal(5_000);
    const info = (f: FakeClient) => f.requests.filter((r) => r.subject === '$SRV.INFO').length;
    const gone = await mountInProvider<NunectServices>(html`<nunect-services .interval=${250}></nunect-services>`);
    const stays = await mountInProvider<NunectServices>(html`<nunect-services .interval=${250}></nunect-services>`);
    await waitUntil(() => info(gone.fake!) >= 3, `three polls: ${textOf(gone.el)}`, { timeout: 5_000 });
    gone.provider.remove();
    const asked = info(gone.fake!);
    const base = info(stays.fake!);
    // The widget that stays polls three more times; the removed one asks nothing in that time.
    await waitUntil(() => info(stays.fake!) >= base + 3, 'the other widget polls on', { timeout: 5_000 });
    expect(info(gone.fake!)).to.equal(asked);
  });

  it('leaves out a malformed reply among good ones, and says so', async () => {
    const fake = new FakeClient();
    fake.respond('INFO', [...(FIXTURES.INFO as unknown[]), '{"no": "name"}', 'not json']);
    const { el } = await mount(fake);
    expect(el.state).to.equal('ready');
    expect(text(el.shadowRoot!.querySelector('[part="notice"]'))).to.contain('2 replies were not a services reply');
  });

  it('renders hostile server text as text', async () => {
    const hostile = '<img src=x onerror="window.__pwned=1">';
    const evil: FakeInstance = {
      name: hostile,
      id: 'EVIL1',
      version: '<b>9</b>',
      description: '<script>window.__pwned=1</script>',
      metadata: { '<i>k</i>': '<svg onload=alert(1)>' },
      started: new Date(T).toISOString(),
      endpoints: [{ name: '<u>ep</u>', subject: '<a href=x>s</a>', lastError: '<img src=y>', requests: 1, errors: 1 }],
    };
    const fake = new FakeClient();
    serveFleet(fake, [evil]);
    const { el } = await mount(fake);
    const root = el.shadowRoot!;
    expect(root.querySelector('img, script, b, i, svg, u, a')).to.equal(null);
    const t = textOf(el);
    for (const s of [hostile, '<b>9</b>', '<script>window.__pwned=1</script>', '<i>k</i>=<svg onload=alert(1)>', '<u>ep</u>', '<a href=x>s</a>', '<img src=y>'])
      expect(t).to.contain(s);
    expect((window as { __pwned?: number }).__pwned).to.equal(undefined);
  });
});
