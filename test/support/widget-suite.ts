/**
 * The behaviour every live monitoring widget shares, as one suite each widget runs:
 * states (unconfigured, loading → ready, stale, error + retry, malformed reply), accessibility in
 * each state, shared polling, and cleanup (no poll or subscription left after removal).
 */
import { expect, fixture, waitUntil } from '@open-wc/testing';
import { unsafeStatic, html as staticHtml } from 'lit/static-html.js';
import { NunectError } from '../../client/index.js';
import type { NunectWidget } from '../../src/base/nunect-widget.js';
import '../../components/provider/define.js';
import type { NunectProvider } from '../../components/provider/nunect-provider.js';
import { asClient, FakeClient } from './fake-client.js';
import { mountInProvider } from './fixtures.js';

export interface WidgetSuiteOptions {
  /** The $SYS subject suffix(es) the widget polls (e.g. 'VARZ'). */
  kinds: string[];
  /** Text visible once the fixture data is rendered. */
  readyText: string;
}

type Widget = NunectWidget & { interval: number };

/** Text of the widget's shadow root (what a user reads). */
export function textOf(el: Element): string {
  return (el.shadowRoot?.textContent ?? '').replace(/\s+/g, ' ');
}

async function mount(tag: string, client?: FakeClient): Promise<Widget> {
  const t = unsafeStatic(tag);
  const { el } = await mountInProvider<Widget>(staticHtml`<${t} .interval=${100}></${t}>`, { client: client ?? false });
  return el;
}

async function stateIs(el: Widget, state: string) {
  await waitUntil(() => el.state === state, `state ${state} (is ${el.state}): ${textOf(el)}`, { timeout: 3_000 });
  await el.updateComplete;
}

export function widgetSuite(tag: string, options: WidgetSuiteOptions): void {
  describe(`<${tag}>: shared widget behaviour`, () => {
    it('says it is not connected when nothing is configured, accessibly', async () => {
      const el = await mount(tag);
      await stateIs(el, 'unconfigured');
      expect(textOf(el)).to.match(/No NATS server configured|Not connected/);
      await expect(el).to.be.accessible();
    });

    it('loads, then shows the data, accessibly', async () => {
      const fake = new FakeClient();
      const el = await mount(tag, fake);
      await stateIs(el, 'ready');
      expect(textOf(el)).to.contain(options.readyText);
      await expect(el).to.be.accessible();
    });

    it('keeps the last data, marked stale, while reconnecting, and is live again after', async () => {
      const fake = new FakeClient();
      const el = await mount(tag, fake);
      await stateIs(el, 'ready');
      fake.setState('reconnecting', new NunectError('CONNECTION_FAILED', 'lost the connection'));
      await stateIs(el, 'stale');
      expect(textOf(el)).to.contain(options.readyText);
      expect(textOf(el)).to.match(/Showing the last/);
      await expect(el).to.be.accessible();
      fake.setState('connected');
      await stateIs(el, 'ready');
    });

    it('shows an error with a retry that recovers', async () => {
      const fake = new FakeClient();
      for (const k of options.kinds) fake.respond(k, () => Promise.reject(new NunectError('TIMEOUT', 'request timed out')));
      const el = await mount(tag, fake);
      await stateIs(el, 'error');
      expect(textOf(el)).to.contain('timed out');
      await expect(el).to.be.accessible();
      for (const k of options.kinds) fake.responders.delete(k);
      const fresh = new FakeClient();
      for (const k of options.kinds) fake.responders.set(k, fresh.responders.get(k)!);
      const retry = [...el.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Retry');
      expect(retry, 'a Retry button').to.exist;
      retry!.click();
      await stateIs(el, 'ready');
    });

    it('keeps the last good data when a reply is malformed', async () => {
      const fake = new FakeClient();
      const el = await mount(tag, fake);
      await stateIs(el, 'ready');
      for (const k of options.kinds) fake.respond(k, ['{"not": "an envelope"'] as unknown[]);
      await stateIs(el, 'stale');
      expect(textOf(el)).to.contain(options.readyText);
      expect(textOf(el)).to.match(/malformed/);
    });

    it('shares one poll per kind among several widgets on one connection', async () => {
      const single = await mount(tag, new FakeClient());
      await stateIs(single, 'ready');
      const alone = (single.parentElement as NunectProvider).hub.monitor.activeCount;
      const fake = new FakeClient();
      const t = unsafeStatic(tag);
      const provider = await fixture<NunectProvider>(
        staticHtml`<nunect-provider><${t} .interval=${200}></${t}><${t} .interval=${200}></${t}><${t} .interval=${200}></${t}></nunect-provider>`,
      );
      provider.client = asClient(fake);
      const widgets = [...provider.querySelectorAll(tag)] as Widget[];
      await Promise.all(widgets.map((w) => stateIs(w, 'ready')));
      // The same poll entries (kind, server, parameters) for three widgets as for one: each entry
      // has at most one request in flight, so the server is asked once per interval, not 3 times.
      expect(provider.hub.monitor.activeCount, 'poll entries of three widgets').to.equal(alone);
      for (const k of options.kinds)
        expect(
          fake.requests.some((r) => r.subject.endsWith(`.${k}`)),
          `${k} asked`,
        ).to.equal(true);
    });

    it('stops polling and subscriptions when removed', async () => {
      const fake = new FakeClient();
      const el = await mount(tag, fake);
      await stateIs(el, 'ready');
      const provider = el.parentElement as NunectProvider;
      provider.remove();
      // No poll entry left means no timer left: nothing is asked any more.
      expect(provider.hub.monitor.activeCount, 'poll entries after removal').to.equal(0);
      expect(fake.openSubs.length, 'open subscriptions after removal').to.equal(0);
    });
  });
}
