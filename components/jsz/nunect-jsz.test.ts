import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import './define.js';
import '../provider/define.js';
import type { NunectProvider } from '../provider/nunect-provider.js';
import { formatLimit, type NunectJsz } from './nunect-jsz.js';
import type { Jsz } from '../../client/monitor-types.js';
import { asClient, FakeClient, FIXTURES } from '../../test/support/fake-client.js';
import { textOf, widgetSuite } from '../../test/support/widget-suite.js';
import { mountInProvider } from '../../test/support/fixtures.js';
import { ManualClock } from '../../client/index.js';
import type { PeerInfo } from './replication.js';
import jsz15 from '../../test/fixtures/cluster-2.15.2/jsz.json' with { type: 'json' };
import downJsz15 from '../../test/fixtures/cluster-2.15.2/down-jsz.json' with { type: 'json' };
import streamInfo from '../../test/fixtures/cluster-2.15.2/stream-info.json' with { type: 'json' };
import downStreamInfo15 from '../../test/fixtures/cluster-2.15.2/down-stream-info.json' with { type: 'json' };
import jsz29 from '../../test/fixtures/cluster-2.9.10/jsz.json' with { type: 'json' };
import downJsz29 from '../../test/fixtures/cluster-2.9.10/down-jsz.json' with { type: 'json' };
import streamInfo29 from '../../test/fixtures/cluster-2.9.10/stream-info.json' with { type: 'json' };
import downStreamInfo29 from '../../test/fixtures/cluster-2.9.10/down-stream-info.json' with { type: 'json' };

type ClusterJsz = Array<{ server: { name: string }; data: { meta_cluster?: { leader?: string; replicas?: PeerInfo[] } } }>;
type StreamInfo = { config: { name: string }; cluster: { leader: string; replicas: PeerInfo[] } };
/** The captured 3-node clusters: JSZ of every server, and the R3 stream's info, before and after node 3 was killed. */
const CLUSTERS: Record<string, { jsz: ClusterJsz; downJsz: ClusterJsz; streamInfo: StreamInfo; downStreamInfo: StreamInfo }> = {
  '2.15.2': {
    jsz: jsz15 as ClusterJsz,
    downJsz: downJsz15 as ClusterJsz,
    streamInfo: streamInfo as StreamInfo,
    downStreamInfo: downStreamInfo15 as StreamInfo,
  },
  '2.9.10': {
    jsz: jsz29 as ClusterJsz,
    downJsz: downJsz29 as ClusterJsz,
    streamInfo: streamInfo29 as StreamInfo,
    downStreamInfo: downStreamInfo29 as StreamInfo,
  },
};

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

describe('<nunect-jsz> replication', () => {
  const T0 = '2026-12-02T10:42:07Z';
  const leaderOf = (info: StreamInfo) => info.cluster.leader;
  /** Rows of a table with their row headers. */
  const table = (el: NunectJsz, label: string) =>
    [...el.shadowRoot!.querySelectorAll(`[part="replication"] table[aria-label="${label}"] tbody tr`)].map((tr) =>
      [...tr.querySelectorAll('th, td')].map((c) => c.textContent!.replace(/\s+/g, ' ').trim()),
    );

  async function mountCluster(replies: unknown[]) {
    const fake = new FakeClient();
    fake.respond('JSZ', replies);
    const mounted = await mountInProvider<NunectJsz>(html`<nunect-jsz .interval=${100}></nunect-jsz>`, { client: fake, clock: new ManualClock(T0) });
    await waitUntil(() => mounted.el.shadowRoot!.querySelector('[part="replication"]'), `replication: ${textOf(mounted.el)}`, { timeout: 3_000 });
    return { ...mounted, fake };
  }

  const streamRow = (el: NunectJsz, name: string) => table(el, 'Replicated streams').find((r) => r[0] === name)!;
  const metaRows = (el: NunectJsz) => table(el, 'Meta group peers');

  for (const [version, fixtures] of Object.entries(CLUSTERS)) {
    it(`reads each group from its leader’s reply, all healthy (${version})`, async () => {
      const { el } = await mountCluster(fixtures.jsz);
      const meta = fixtures.jsz.find((r) => r.data.meta_cluster)!.data.meta_cluster!;
      expect(metaRows(el).map((r) => r.slice(0, 3))).to.deep.equal([
        [meta.leader, 'leader', '–'],
        ...meta.replicas!.map((p) => [p.name, 'follower', 'yes']).sort((a, b) => a[0]!.localeCompare(b[0]!)),
      ]);
      expect(metaRows(el).map((r) => r[5])).to.deep.equal(metaRows(el).map(() => 'ok'));
      // Followers report the other peers as not current; the leader's view (all current) wins.
      const orders = streamRow(el, streamInfo.config.name);
      expect(orders[3]).to.equal(leaderOf(fixtures.streamInfo));
      expect(orders[5]).to.equal('ok');
      expect(el.shadowRoot!.querySelectorAll('[part="replication"] tr.unhealthy')).to.have.length(0);
      await expect(el).to.be.accessible();
    });

    it(`marks the replica on a killed node as unhealthy, in words (${version})`, async () => {
      const { el, fake, provider } = await mountCluster(fixtures.jsz);
      fake.respond('JSZ', fixtures.downJsz);
      const gone = 'nunect-e2e-3';
      await waitUntil(() => provider.hub.monitor.roster.servers.find((s) => s.name === gone)?.presence === 'missing', 'missing', { timeout: 3_000 });
      await waitUntil(() => /server not answering/.test(streamRow(el, streamInfo.config.name)?.[5] ?? ''), `unhealthy: ${textOf(el)}`, { timeout: 3_000 });
      const orders = streamRow(el, streamInfo.config.name);
      expect(orders[3]).to.equal(leaderOf(fixtures.downStreamInfo));
      // The leader saw it last long ago (the capture was a few seconds after the kill).
      const active = fixtures.downStreamInfo.cluster.replicas.find((p) => p.name === gone)!.active! / 1e6;
      expect(active).to.be.above(3_000);
      expect(orders[5]).to.match(new RegExp(`^${gone}: .*last active .+ ago, server not answering$`));
      const unhealthyRow = el.shadowRoot!.querySelector('[part="replication"] table[aria-label="Replicated streams"] tr.unhealthy')!;
      expect(unhealthyRow.querySelector('li.unhealthy')!.textContent).to.contain(gone);
      const metaRow = metaRows(el).find((r) => r[0] === gone)!;
      expect(metaRow[5]).to.contain('server not answering');
      expect(el.shadowRoot!.querySelector('section[part~="absent"]')!.getAttribute('aria-label')).to.equal(`JetStream on ${gone}: not answering`);
      await expect(el).to.be.accessible();
    });
  }

  it('says when the meta group has no leader', async () => {
    const replies = structuredClone(CLUSTERS['2.15.2']!.jsz);
    for (const r of replies) if (r.data.meta_cluster) r.data.meta_cluster.leader = '';
    const { el } = await mountCluster(replies);
    expect(el.shadowRoot!.querySelector('.meta-summary')!.textContent).to.contain('no leader');
  });
});
