import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import './define.js';
import '../provider/define.js';
import type { NunectProvider } from '../provider/nunect-provider.js';
import { formatLimit, type NunectJsz } from './nunect-jsz.js';
import type { Jsz } from '../../client/monitor-types.js';
import { asClient, FakeClient, FIXTURES } from '../../test/support/fake-client.js';
import { textOf, widgetSuite } from '../../test/support/widget-suite.js';

widgetSuite('nunect-jsz', { kinds: ['JSZ'], readyText: 'EVENTS' });

interface Envelope {
  server: { name: string; id: string; [k: string]: unknown };
  data: Jsz;
}

const fixtureReply = () => structuredClone(FIXTURES.JSZ![0]) as Envelope;

async function mount(fake: FakeClient): Promise<NunectJsz> {
  const provider = await fixture<NunectProvider>(html`<nunect-provider><nunect-jsz .interval=${100}></nunect-jsz></nunect-provider>`);
  provider.client = asClient(fake);
  const el = provider.querySelector('nunect-jsz')!;
  await waitUntil(() => el.state === 'ready', `ready: ${textOf(el)}`, { timeout: 3_000 });
  return el;
}

function tile(el: NunectJsz, label: string, server = 0): string {
  const card = el.shadowRoot!.querySelectorAll('.server')[server]!;
  const t = [...card.querySelectorAll('.tile')].find((x) => x.querySelector('dt')?.textContent?.trim() === label);
  return t?.querySelector('dd')?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
}

function rows(root: Element, label: string): string[][] {
  const region = root.querySelector(`[aria-label="${label}"]`)!;
  return [...region.querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent!.replace(/\s+/g, ' ').trim()));
}

describe('<nunect-jsz>', () => {
  it('asks for accounts, streams, consumers and their config', async () => {
    const fake = new FakeClient();
    await mount(fake);
    expect(fake.requests.find((r) => r.subject.endsWith('.JSZ'))!.body).to.deep.equal({ accounts: true, streams: true, consumer: true, config: true });
  });

  it('shows each server: enabled, memory and storage against reserved and maximum, counts, API', async () => {
    const el = await mount(new FakeClient());
    expect(textOf(el)).to.contain('JetStream enabled');
    // jsz.json: memory 0 of 256 MiB, storage 5290 B of 2 GiB, nothing reserved.
    expect(tile(el, 'Memory')).to.equal('0 B of 256 MiB · 0 B reserved');
    expect(tile(el, 'Storage')).to.equal('5.2 KiB of 2 GiB · 0 B reserved');
    expect(tile(el, 'Streams')).to.equal('1');
    expect(tile(el, 'Consumers')).to.equal('1');
    expect(tile(el, 'Messages')).to.equal('100');
    expect(tile(el, 'Bytes')).to.equal('5.2 KiB');
    expect(tile(el, 'API requests')).to.equal('2 0 errors');
    expect(tile(el, 'Accounts')).to.equal('3');
  });

  it('lists each account’s streams and consumers', async () => {
    const el = await mount(new FakeClient());
    const bridge = el.shadowRoot!.querySelector('[aria-label="Streams of account BRIDGE"]')!;
    expect(rows(bridge, 'Streams of BRIDGE')).to.deep.equal([['EVENTS', 'events.>', 'file', '100', '5.2 KiB', '1']]);
    expect(rows(bridge, 'Consumers of BRIDGE')).to.deep.equal([['EVENTS', 'reader', '100', '0', '0', '0']]);
    expect(textOf(el)).to.contain('No streams in ENGINE, PROVISION.');
    await expect(el).to.be.accessible();
  });

  it('shows "unlimited" for 2^64-1 and other no-limit values, never a huge number', async () => {
    const el = await mount(new FakeClient());
    // The fixture's account reserved_memory/storage is 18446744073709551615 (read as 18446744073709552000).
    const header = el.shadowRoot!.querySelector('[aria-label="Streams of account BRIDGE"] header')!.textContent!.replace(/\s+/g, ' ');
    expect(header).to.contain('storage 5.2 KiB (reserved unlimited)');
    expect(header).to.contain('memory 0 B (reserved unlimited)');
    expect(textOf(el)).not.to.match(/18446744073709552000|TiB|EiB/);
    expect(formatLimit(2 ** 53)).to.equal('unlimited');
    expect(formatLimit(2 ** 53 - 1)).to.not.equal('unlimited');
    expect(formatLimit(-1)).to.equal('unlimited');
  });

  it('says when JetStream is disabled on a server', async () => {
    const fake = new FakeClient();
    const off = fixtureReply();
    off.server = { ...off.server, name: 'nats-nojs', id: 'NOJS', jetstream: false };
    off.data = { server_id: 'NOJS', now: off.data.now, disabled: true, config: { max_memory: 0, max_storage: 0 } };
    fake.respond('JSZ', [fixtureReply(), off]);
    const el = await mount(fake);
    const cards = [...el.shadowRoot!.querySelectorAll('.server')].map((c) => c.textContent!.replace(/\s+/g, ' '));
    expect(cards[0]).to.contain('nats-nojs').and.contain('JetStream disabled').and.contain('JetStream is not enabled on this server.');
    expect(cards[1]).to.contain('nunect-fixture').and.contain('JetStream enabled');
    await expect(el).to.be.accessible();
  });

  it('lists a replicated stream once, as its leader reports it', async () => {
    const fake = new FakeClient();
    const replicas = ['nats-a', 'nats-b', 'nats-c'].map((name, i) => {
      const r = fixtureReply();
      r.server = { ...r.server, name, id: `ID${i}` };
      const stream = r.data.account_details!.find((a) => a.name === 'BRIDGE')!.stream_detail![0]!;
      stream.cluster = { leader: 'nats-b' };
      stream.config!.num_replicas = 3;
      stream.state.messages = name === 'nats-b' ? 100 : 90; // followers lag behind
      return r;
    });
    fake.respond('JSZ', replicas);
    const el = await mount(fake);
    expect(el.shadowRoot!.querySelectorAll('.server')).to.have.length(3);
    const bridge = el.shadowRoot!.querySelector('[aria-label="Streams of account BRIDGE"]')!;
    expect(rows(bridge, 'Streams of BRIDGE')).to.deep.equal([['EVENTS', 'events.>', 'file · R3', '100', '5.2 KiB', '1']]);
  });

  it('shows stream and consumer names as text', async () => {
    const fake = new FakeClient();
    const r = fixtureReply();
    const stream = r.data.account_details!.find((a) => a.name === 'BRIDGE')!.stream_detail![0]!;
    stream.name = '<img src=x onerror=alert(1)>';
    stream.consumer_detail![0]!.name = '<b>bold</b>';
    fake.respond('JSZ', [r]);
    const el = await mount(fake);
    expect(textOf(el)).to.contain('<img src=x onerror=alert(1)>').and.contain('<b>bold</b>');
    expect(el.shadowRoot!.querySelector('img, b')).to.be.null;
  });
});
