/**
 * Which connection a widget uses: its own `.client`, else the nearest <nunect-provider> (a later
 * one takes over), else the page-level hub (configure() or <meta name="nunect-server">).
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../components/varz/define.js';
import '../../components/provider/define.js';
import type { NunectVarz } from '../../components/varz/nunect-varz.js';
import type { NunectProvider } from '../../components/provider/nunect-provider.js';
import { configure, metaOptions, pageHub } from '../../src/connection/context.js';
import { asClient, FakeClient } from '../support/fake-client.js';

const text = (el: Element) => (el.shadowRoot?.textContent ?? '').replace(/\s+/g, ' ');

describe('connection resolution', () => {
  afterEach(async () => {
    await pageHub().logout();
    configure({ servers: [] });
  });

  it('subscribes to the hub once per widget, also after it is moved in the DOM', async () => {
    const provider = await fixture<NunectProvider>(html`<nunect-provider><nunect-varz></nunect-varz></nunect-provider>`);
    provider.client = asClient(new FakeClient());
    const first = provider.querySelector('nunect-varz')!;
    await waitUntil(() => first.state === 'ready', `ready: ${text(first)}`);
    const hub = provider.hub;
    const subscribe = hub.subscribe.bind(hub);
    let calls = 0;
    let live = 0;
    hub.subscribe = (listener) => {
      calls++;
      live++;
      const off = subscribe(listener);
      return () => {
        live--;
        return off();
      };
    };
    const second = document.createElement('nunect-varz') as NunectVarz;
    provider.append(second);
    await waitUntil(() => second.state === 'ready', `ready: ${text(second)}`);
    expect(calls, 'a new widget subscribes once').to.equal(1);
    // Moved: released on disconnect, subscribed again once on connect.
    provider.prepend(second);
    await second.updateComplete;
    expect(calls, 'subscribed again once after a move').to.equal(2);
    expect(live, 'one live subscription').to.equal(1);
    second.remove();
    expect(live, 'released on removal').to.equal(0);
  });

  it('uses the page-level hub without a provider, configured from JavaScript', async () => {
    const hub = configure({ servers: 'wss://nats.example.com:8443' });
    const el = await fixture<NunectVarz>(html`<nunect-varz></nunect-varz>`);
    await waitUntil(() => el.state === 'unconfigured');
    expect(text(el)).to.contain('log in');
    hub.useClient(asClient(new FakeClient()));
    await waitUntil(() => el.state === 'ready', `ready: ${text(el)}`);
    expect(text(el)).to.contain('nunect-fixture');
  });

  it('reads the server URL from <meta name="nunect-server"> (used when the page hub is made)', async () => {
    const meta = document.createElement('meta');
    meta.name = 'nunect-server';
    meta.content = 'wss://meta.example.com:8443';
    document.head.append(meta);
    try {
      expect(metaOptions().servers).to.equal('wss://meta.example.com:8443');
    } finally {
      meta.remove();
    }
    expect(metaOptions().servers).to.equal(undefined);
  });

  it("a widget's own .client wins over the provider", async () => {
    const shared = new FakeClient();
    const own = new FakeClient();
    own.info = { ...own.info!, server_name: 'own-server' } as typeof own.info;
    own.respond('VARZ', async (s, b) => {
      const replies = (await new FakeClient().responders.get('VARZ')!(s, b)) as Array<{ data: { server_name: string } }>;
      replies[0]!.data.server_name = 'own-server';
      return replies;
    });
    const provider = await fixture<NunectProvider>(html`<nunect-provider><nunect-varz .interval=${100}></nunect-varz></nunect-provider>`);
    provider.client = asClient(shared);
    const el = provider.querySelector('nunect-varz')!;
    el.client = asClient(own);
    await waitUntil(() => text(el).includes('own-server'), `own client's data: ${text(el)}`);
    const sharedVarz = shared.requests.filter((r) => r.subject.endsWith('VARZ')).length;
    await new Promise((r) => setTimeout(r, 300));
    expect(shared.requests.filter((r) => r.subject.endsWith('VARZ')).length, 'no polls on the shared client after .client was set').to.be.at.most(
      sharedVarz + 1,
    );
  });

  it('a provider added later takes over widgets that used the page hub', async () => {
    pageHub().configure({ servers: 'wss://page.example.com:8443' });
    const wrapper = await fixture<HTMLDivElement>(html`<div><nunect-varz .interval=${100}></nunect-varz></div>`);
    const el = wrapper.querySelector('nunect-varz')!;
    await waitUntil(() => el.state === 'unconfigured');
    // Wrap the widget in a provider that has a (fake) connection.
    const provider = document.createElement('nunect-provider');
    provider.client = asClient(new FakeClient());
    wrapper.append(provider);
    provider.append(el);
    await waitUntil(() => el.state === 'ready', `taken over: ${el.state} ${text(el)}`);
  });

  it('credentials never appear in attributes', async () => {
    const provider = await fixture<NunectProvider>(html`<nunect-provider server="wss://127.0.0.1:1"><nunect-varz></nunect-varz></nunect-provider>`);
    await provider.login({ user: 'alice', pass: 's3cr3t-value' }).catch(() => {});
    const attributes = [provider, ...provider.querySelectorAll('*')].flatMap((e) => [...e.attributes].map((a) => a.value));
    expect(attributes.join(' ')).to.not.contain('s3cr3t-value');
    expect(document.documentElement.outerHTML).to.not.contain('s3cr3t-value');
  });
});
