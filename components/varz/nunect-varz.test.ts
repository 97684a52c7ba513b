import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import './define.js';
import '../provider/define.js';
import type { NunectProvider } from '../provider/nunect-provider.js';
import type { NunectVarz } from './nunect-varz.js';
import { asClient, FakeClient, FIXTURES } from '../../test/support/fake-client.js';
import { textOf, widgetSuite } from '../../test/support/widget-suite.js';
import { mountInProvider } from '../../test/support/fixtures.js';
import { ManualClock, NunectError } from '../../client/index.js';
import { formatTime } from '../../src/monitor/format.js';
import clusterVarz from '../../test/fixtures/cluster-2.15.2/varz.json' with { type: 'json' };
import downVarz from '../../test/fixtures/cluster-2.15.2/down-varz.json' with { type: 'json' };
import clusterEvents from '../../test/fixtures/cluster-2.15.2/events.json' with { type: 'json' };

widgetSuite('nunect-varz', { kinds: ['VARZ'], readyText: 'nunect-fixture' });

describe('<nunect-varz>', () => {
  it('shows the server figures and computes rates from counter deltas over the server clock', async () => {
    const fake = new FakeClient();
    let n = 0;
    const base = FakeClient.prototype.constructor === FakeClient ? new FakeClient().responders.get('VARZ')! : undefined;
    fake.respond('VARZ', async (s, b) => {
      const [reply] = (await base!(s, b)) as Array<{ data: Record<string, unknown> }>;
      // Each poll: the server clock advances 2 s and 200 messages arrive.
      reply!.data.now = new Date(Date.parse('2026-11-29T10:00:00Z') + n * 2_000).toISOString();
      reply!.data.in_msgs = 1_000 + n * 200;
      n++;
      return [reply];
    });
    const provider = await fixture<NunectProvider>(html`<nunect-provider><nunect-varz .interval=${100}></nunect-varz></nunect-provider>`);
    provider.client = asClient(fake);
    const el = provider.querySelector('nunect-varz') as NunectVarz;
    await waitUntil(() => /100\/s/.test(textOf(el)), `a rate of 100/s: ${textOf(el)}`, { timeout: 3_000 });
    expect(textOf(el)).to.contain('nats-server 2.9.10');
    await waitUntil(() => el.shadowRoot!.querySelector('svg[part="sparkline"] polyline'), 'a sparkline', { timeout: 3_000 });
  });
});

describe('<nunect-varz> in a cluster', () => {
  const T0 = '2026-12-02T10:42:07Z';
  const cards = (el: NunectVarz) => [...el.shadowRoot!.querySelectorAll('section[part~="server"]')];

  async function mountCluster() {
    const fake = new FakeClient();
    fake.respond('VARZ', clusterVarz);
    const mounted = await mountInProvider<NunectVarz>(html`<nunect-varz .interval=${100}></nunect-varz>`, { client: fake, clock: new ManualClock(T0) });
    await waitUntil(() => cards(mounted.el).length === clusterVarz.length, `a card per server: ${textOf(mounted.el)}`, { timeout: 3_000 });
    return { ...mounted, fake };
  }

  it('keeps a marked card for a server that stopped answering, with when it was last seen', async () => {
    const { el, fake, provider, clock } = await mountCluster();
    fake.respond('VARZ', downVarz);
    const gone = clusterVarz.map((r) => r.server.name).find((n) => !downVarz.some((r) => r.server.name === n))!;
    await waitUntil(() => provider.hub.monitor.roster.servers.find((s) => s.name === gone)?.presence === 'missing', 'missing', { timeout: 3_000 });
    clock.advance(30_000);
    const since = formatTime(Date.parse(T0), clock.now());
    await waitUntil(() => textOf(el).includes(`no reply since ${since}`), `no reply since ${since}: ${textOf(el)}`, { timeout: 3_000 });
    expect(cards(el)).to.have.length(clusterVarz.length);
    const card = el.shadowRoot!.querySelector('section[part~="absent"]')!;
    expect(card.getAttribute('aria-label')).to.equal(`Server ${gone}: not answering`);
    expect(card.textContent!.replace(/\s+/g, ' ')).to.match(/no reply since .+ · \d+ surveys? missed/);
    await expect(el).to.be.accessible();
  });

  it('shows a server that stopped cleanly as stopped', async () => {
    const { el, fake, provider, clock } = await mountCluster();
    const shutdown = clusterEvents.find((e) => e.subject.endsWith('.SHUTDOWN'))!;
    const stopped = (shutdown.data as { name: string }).name;
    fake.respond(
      'VARZ',
      clusterVarz.filter((r) => r.server.name !== stopped),
    );
    await waitUntil(() => provider.hub.monitor.roster.servers.find((s) => s.name === stopped)?.presence === 'missing', 'not answering', { timeout: 3_000 });
    clock.advance(1_000);
    fake.emit(shutdown.subject, shutdown.data);
    await waitUntil(() => textOf(el).includes(`stopped cleanly at ${formatTime(clock.now(), clock.now())}`), `stopped: ${textOf(el)}`, { timeout: 3_000 });
    expect(el.shadowRoot!.querySelector('section[part~="absent"]')!.getAttribute('aria-label')).to.equal(`Server ${stopped}: stopped`);
  });
});

describe('<nunect-varz> history (ops.history.statsz)', () => {
  const [fixtureReply] = FIXTURES.VARZ as Array<{ server: { id: string }; data: { server_name: string; now: string } }>;
  const ID = fixtureReply!.server.id;
  const NAME = fixtureReply!.data.server_name;
  const MIN = 60_000;
  // The history ends at the fixture's own clock, so the live polls continue it.
  const TO = Date.parse(fixtureReply!.data.now);
  const LAST = Math.floor(TO / MIN) * MIN;
  const history = (range: '1h' | '24h' = '1h', binMs = MIN) => ({
    range,
    bin_seconds: binMs / 1000,
    from: new Date(LAST - 59 * binMs).toISOString(),
    to: new Date(TO).toISOString(),
    servers: [
      {
        id: ID,
        name: NAME,
        bins: [3, 2, 1, 0].map((k) => ({
          t: new Date(Math.floor(TO / binMs) * binMs - k * binMs).toISOString(),
          seconds: k ? binMs / 1000 : 20,
          in_msgs: 10 + k,
          out_msgs: 20 + k,
          in_bytes: 1_000,
          out_bytes: 2_000,
          connections: 5,
          mem: 1,
          cpu: 1,
        })),
      },
    ],
  });
  const lines = (el: NunectVarz, label = 'messages in per second') => {
    const svg = [...el.shadowRoot!.querySelectorAll('svg[part="sparkline"]')].find((s) => s.getAttribute('aria-label')?.startsWith(label))!;
    // Before the first render with data there is no sparkline yet.
    if (!svg) return { svg: document.createElementNS('http://www.w3.org/2000/svg', 'svg'), polylines: [] as string[][] };
    return { svg, polylines: [...svg.querySelectorAll('polyline')].map((p) => p.getAttribute('points')!.split(' ')) };
  };
  const button = (el: NunectVarz, text: string) =>
    [...el.shadowRoot!.querySelectorAll('[part="range"] button')].find((b) => b.textContent!.trim() === text) as HTMLButtonElement;
  const historyAsks = (fake: FakeClient) => fake.requests.filter((r) => r.subject === 'ops.history.statsz');

  /** A server whose clock advances `step` ms a poll after the history's end, 100 messages a second. */
  function liveServer(fake: FakeClient, startAt = TO) {
    const base = new FakeClient().responders.get('VARZ')!;
    const clock = { at: startAt };
    fake.respond('VARZ', async (s, b) => {
      const replies = (await base(s, b)) as Array<{ data: Record<string, unknown> }>;
      replies[0]!.data.now = new Date(clock.at).toISOString();
      replies[0]!.data.in_msgs = Math.round((clock.at - startAt) / 10);
      return replies;
    });
    return clock;
  }

  it('opens with the last hour drawn from the Controller, asked once, the range said in the sparkline', async () => {
    const fake = new FakeClient();
    fake.respond('history.statsz', [history()]);
    const { el } = await mountInProvider<NunectVarz>(html`<nunect-varz .interval=${100}></nunect-varz>`, { client: fake });
    await waitUntil(() => el.shadowRoot!.querySelector('svg[part="sparkline"] polyline'), `a prefilled sparkline: ${textOf(el)}`, { timeout: 3_000 });
    const { svg, polylines } = lines(el);
    expect(svg.getAttribute('aria-label')).to.equal('messages in per second, last hour');
    expect(svg.querySelector('title')!.textContent).to.equal('messages in per second, last hour');
    expect(polylines, 'one line of the four bins').to.have.length(1);
    expect(polylines[0]).to.have.length(4);
    expect(historyAsks(fake)).to.deep.equal([{ subject: 'ops.history.statsz', body: { range: '1h', points: 60 } }]);
    expect(button(el, '1 h').getAttribute('aria-pressed')).to.equal('true');
    expect(button(el, 'Live').getAttribute('aria-pressed')).to.equal('false');
    expect(el.shadowRoot!.querySelector('[part~="history-note"]'), 'no note when the history is there').to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('live polls extend the current bin, then open a new one when the minute turns', async () => {
    const fake = new FakeClient();
    fake.respond('history.statsz', [history()]);
    const clock = liveServer(fake);
    const { el } = await mountInProvider<NunectVarz>(html`<nunect-varz .interval=${100}></nunect-varz>`, { client: fake });
    await waitUntil(() => lines(el).polylines[0]?.length === 4, 'the four history bins', { timeout: 3_000 });
    const before = lines(el).polylines[0]!.at(-1);
    // Still in the last bin's minute: the live rate (100/s) goes into it.
    clock.at = TO + 1_000;
    await waitUntil(() => /100\/s/.test(textOf(el)), `a live rate: ${textOf(el)}`, { timeout: 3_000 });
    await waitUntil(() => lines(el).polylines[0]!.at(-1) !== before, 'the current bin moved', { timeout: 3_000 });
    expect(lines(el).polylines[0]).to.have.length(4);
    // The next minute: a new bin at the end, the line one point longer.
    clock.at = LAST + MIN + 5_000;
    await waitUntil(() => lines(el).polylines[0]?.length === 5, `a fifth bin: ${JSON.stringify(lines(el).polylines)}`, { timeout: 3_000 });
    expect(historyAsks(fake), 'asked once').to.have.length(1);
  });

  it('falls back to live when no Controller answers, and a muted line says why', async () => {
    const fake = new FakeClient();
    const { el } = await mountInProvider<NunectVarz>(html`<nunect-varz .interval=${100}></nunect-varz>`, { client: fake });
    await waitUntil(() => textOf(el).includes('history not available'), `the note: ${textOf(el)}`, { timeout: 3_000 });
    expect(textOf(el)).to.contain('history not available: no Controller answers ops.history.statsz; showing live rates');
    expect(lines(el).svg.getAttribute('aria-label')).to.equal('messages in per second, last 6 s');
    await expect(el).to.be.accessible();
  });

  it('says when the user may not ask, when nobody answered in time, and shows a Controller’s error as text', async () => {
    for (const [reply, text] of [
      [
        () => Promise.reject(new NunectError('PERMISSION_DENIED', 'Permissions Violation for Publish to "ops.history.statsz"')),
        'permission denied: this user may not ask ops.history.statsz',
      ],
      [() => Promise.reject(new NunectError('TIMEOUT', 'timed out')), 'no Controller answered ops.history.statsz within 5 s'],
      [() => [{ error: '<img src=x onerror="window.hacked = 1">' }], 'the Controller refused the request: <img src=x onerror="window.hacked = 1">'],
    ] as const) {
      const fake = new FakeClient();
      fake.respond('history.statsz', reply as () => unknown[]);
      const { el } = await mountInProvider<NunectVarz>(html`<nunect-varz .interval=${100}></nunect-varz>`, { client: fake });
      await waitUntil(() => textOf(el).includes(text), `${text}: ${textOf(el)}`, { timeout: 3_000 });
      expect(el.shadowRoot!.querySelector('img'), 'server text is never markup').to.equal(null);
    }
  });

  it('the range toggle asks again (24 h: 24-minute bins); Live asks nothing and shows the polls', async () => {
    const fake = new FakeClient();
    fake.respond('history.statsz', (_s, body) => [
      history((body as { range: '1h' | '24h' }).range, (body as { range: string }).range === '24h' ? 24 * MIN : MIN),
    ]);
    const { el } = await mountInProvider<NunectVarz>(html`<nunect-varz .interval=${100}></nunect-varz>`, { client: fake });
    await waitUntil(() => lines(el).polylines.length === 1, 'the 1 h history', { timeout: 3_000 });
    button(el, '24 h').click();
    await waitUntil(() => lines(el).svg.getAttribute('aria-label') === 'messages in per second, last 24 hours', 'the 24 h history', { timeout: 3_000 });
    expect(el.range).to.equal('24h');
    expect(button(el, '24 h').getAttribute('aria-pressed')).to.equal('true');
    expect(historyAsks(fake).map((r) => r.body)).to.deep.equal([
      { range: '1h', points: 60 },
      { range: '24h', points: 60 },
    ]);
    button(el, 'Live').click();
    await waitUntil(() => lines(el).svg.getAttribute('aria-label') === 'messages in per second, last 6 s', 'live', { timeout: 3_000 });
    expect(historyAsks(fake), 'live asks nothing').to.have.length(2);
    el.setAttribute('range', '1h');
    await waitUntil(() => historyAsks(fake).length === 3, 'the attribute asks again', { timeout: 3_000 });
  });

  it('keeps the last good history when asking again fails (after a reconnect)', async () => {
    const fake = new FakeClient();
    fake.respond('history.statsz', [history()]);
    const { el } = await mountInProvider<NunectVarz>(html`<nunect-varz .interval=${100}></nunect-varz>`, { client: fake });
    await waitUntil(() => lines(el).polylines[0]?.length === 4, 'the history', { timeout: 3_000 });
    fake.respond('history.statsz', () => Promise.reject(new NunectError('NO_RESPONDERS', 'no responders')));
    fake.setState('reconnecting', new NunectError('CONNECTION_FAILED', 'lost the connection'));
    await waitUntil(() => el.state === 'stale', 'stale', { timeout: 3_000 });
    fake.setState('connected');
    await waitUntil(() => textOf(el).includes('history not refreshed'), `the note: ${textOf(el)}`, { timeout: 3_000 });
    expect(textOf(el)).to.contain('history not refreshed: no Controller answers ops.history.statsz; showing the last history received');
    expect(lines(el).polylines[0]).to.have.length(4);
    expect(lines(el).svg.getAttribute('aria-label')).to.equal('messages in per second, last hour');
  });

  it('asks again by itself when the Controller comes back: after 5 s, then backing off; a permission error is final', async () => {
    const fake = new FakeClient();
    fake.respond('history.statsz', () => Promise.reject(new NunectError('NO_RESPONDERS', 'no responders')));
    const { el, clock } = await mountInProvider<NunectVarz>(html`<nunect-varz .interval=${100}></nunect-varz>`, { client: fake });
    const retryAt = formatTime(clock.now() + 5_000, clock.now());
    await waitUntil(() => textOf(el).includes(`showing live rates; asking again at ${retryAt}`), `the note: ${textOf(el)}`, { timeout: 3_000 });
    // Polls go on, but the backoff has not run out: no second ask.
    const polls = fake.requests.filter((r) => r.subject.includes('VARZ')).length;
    await waitUntil(() => fake.requests.filter((r) => r.subject.includes('VARZ')).length >= polls + 2, 'two more polls', { timeout: 3_000 });
    expect(historyAsks(fake), 'not yet').to.have.length(1);
    // 5 s later on the connection's clock it fails again: the next ask 10 s after that.
    clock.advance(5_000);
    await waitUntil(() => historyAsks(fake).length === 2, 'asked again after 5 s', { timeout: 3_000 });
    await waitUntil(() => textOf(el).includes(`asking again at ${formatTime(clock.now() + 10_000, clock.now())}`), `10 s: ${textOf(el)}`, { timeout: 3_000 });
    // The Controller is back: the next ask draws the last hour and the note goes.
    fake.respond('history.statsz', [history()]);
    clock.advance(10_000);
    await waitUntil(() => lines(el).polylines[0]?.length === 4, 'the history', { timeout: 3_000 });
    await waitUntil(() => !el.shadowRoot!.querySelector('[part="history-note"]'), `no note: ${textOf(el)}`, { timeout: 3_000 });
    expect(historyAsks(fake)).to.have.length(3);
    clock.advance(120_000);
    await waitUntil(() => fake.requests.filter((r) => r.subject.includes('VARZ')).length >= polls + 6, 'more polls', { timeout: 3_000 });
    expect(historyAsks(fake), 'a good history is not asked again').to.have.length(3);

    const denied = new FakeClient();
    denied.respond('history.statsz', () => Promise.reject(new NunectError('PERMISSION_DENIED', 'Permissions Violation for Publish to "ops.history.statsz"')));
    const other = await mountInProvider<NunectVarz>(html`<nunect-varz .interval=${100}></nunect-varz>`, { client: denied });
    await waitUntil(() => textOf(other.el).includes('permission denied'), `denied: ${textOf(other.el)}`, { timeout: 3_000 });
    expect(textOf(other.el)).not.to.contain('asking again');
    other.clock.advance(600_000);
    const deniedPolls = denied.requests.filter((r) => r.subject.includes('VARZ')).length;
    await waitUntil(() => denied.requests.filter((r) => r.subject.includes('VARZ')).length >= deniedPolls + 2, 'more polls', { timeout: 3_000 });
    expect(historyAsks(denied), 'never asked again').to.have.length(1);
  });
});
