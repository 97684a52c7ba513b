import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import './define.js';
import '../provider/define.js';
import type { NunectProvider } from '../provider/nunect-provider.js';
import type { NunectVarz } from './nunect-varz.js';
import { asClient, FakeClient } from '../../test/support/fake-client.js';
import { textOf, widgetSuite } from '../../test/support/widget-suite.js';

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
