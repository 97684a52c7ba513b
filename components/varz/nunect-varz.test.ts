import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import './define.js';
import '../provider/define.js';
import type { NunectProvider } from '../provider/nunect-provider.js';
import type { NunectVarz } from './nunect-varz.js';
import { asClient, FakeClient } from '../../test/support/fake-client.js';
import { textOf, widgetSuite } from '../../test/support/widget-suite.js';
import { mountInProvider } from '../../test/support/fixtures.js';
import { ManualClock } from '../../client/index.js';
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
