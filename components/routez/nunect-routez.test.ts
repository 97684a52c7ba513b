import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { NunectError } from '../../client/index.js';
import './define.js';
import '../provider/define.js';
import type { NunectProvider } from '../provider/nunect-provider.js';
import type { NunectRoutez } from './nunect-routez.js';
import type { Gatewayz, Leafz, RouteInfo, Routez } from '../../client/monitor-types.js';
import { asClient, FakeClient, FIXTURES } from '../../test/support/fake-client.js';
import { textOf, widgetSuite } from '../../test/support/widget-suite.js';

widgetSuite('nunect-routez', { kinds: ['ROUTEZ', 'GATEWAYZ', 'LEAFZ'], readyText: 'No routes (this server is not clustered)' });

interface Envelope<T> {
  server: { name: string; id: string; [k: string]: unknown };
  data: T;
}

const SERVERS = ['nats-a', 'nats-b', 'nats-c'].map((name, i) => ({ name, id: `N${'ABC'[i]!.repeat(55)}` }));

/** A copy of the single-server fixture of `kind`, as answered by `server`. */
function copy<T>(kind: string, server: { name: string; id: string }): Envelope<T> {
  const reply = structuredClone(FIXTURES[kind]![0]) as Envelope<T & { server_id: string }>;
  reply.server = { ...reply.server, name: server.name, id: server.id };
  reply.data.server_id = server.id;
  return reply;
}

/**
 * A three-server cluster made from the single-server fixtures: full-mesh routes (2.9 style, no
 * remote_name unless `named`), their names in STATSZ, a gateway pair on nats-a and a leaf node on nats-c.
 */
function clusterFake(options: { named?: boolean; routeName?: (server: string, peer: string) => string } = {}): FakeClient {
  const fake = new FakeClient();
  const routeName = options.routeName ?? ((_s, peer) => peer);
  const routes = (s: (typeof SERVERS)[number], i: number): RouteInfo[] =>
    SERVERS.filter((p) => p !== s).map((p, j) => ({
      rid: 10 + j,
      remote_id: p.id,
      ...(options.named ? { remote_name: routeName(s.name, p.name) } : {}),
      did_solicit: i < SERVERS.indexOf(p),
      ip: '10.0.0.' + (SERVERS.indexOf(p) + 1),
      port: 6222,
      rtt: `${i + j + 1}.5ms`,
      pending_size: i === 0 && j === 0 ? 2048 : 0,
      in_msgs: 1_000 * (i + 1),
      out_msgs: 2_000,
      in_bytes: 4_096,
      out_bytes: 8_192,
      subscriptions: 40 + j,
    }));
  fake.respond('ROUTEZ', () =>
    SERVERS.map((s, i) => {
      const r = copy<Routez>('ROUTEZ', s);
      r.data.routes = routes(s, i);
      r.data.num_routes = r.data.routes.length;
      return r;
    }),
  );
  fake.respond('STATSZ', () =>
    SERVERS.map((s, i) => {
      const r = copy<Record<string, unknown>>('STATSZ', s);
      r.data.routes = routes(s, i).map((route) => ({
        rid: route.rid,
        name: routeName(s.name, SERVERS.find((p) => p.id === route.remote_id)!.name),
        sent: { msgs: 0, bytes: 0 },
        received: { msgs: 0, bytes: 0 },
        pending: 0,
      }));
      return r;
    }),
  );
  fake.respond('GATEWAYZ', () =>
    SERVERS.map((s, i) => {
      const r = copy<Gatewayz>('GATEWAYZ', s);
      r.data.name = 'west';
      if (i === 0) {
        const connection = { cid: 30, ip: '192.0.2.7', port: 7222, rtt: '12ms', in_msgs: 5, out_msgs: 6, in_bytes: 500, out_bytes: 600, subscriptions: 3 };
        r.data.outbound_gateways = { east: { configured: true, connection } };
        r.data.inbound_gateways = { east: [{ configured: false, connection: { ...connection, cid: 31, port: 51000 } }] };
      }
      return r;
    }),
  );
  fake.respond('LEAFZ', () =>
    SERVERS.map((s, i) => {
      const r = copy<Leafz>('LEAFZ', s);
      r.data.leafs =
        i === 2
          ? [{ account: 'BRIDGE', ip: '198.51.100.4', port: 7422, rtt: '30ms', in_msgs: 70, out_msgs: 80, in_bytes: 7_000, out_bytes: 8_000, subscriptions: 9 }]
          : [];
      r.data.leafnodes = r.data.leafs.length;
      return r;
    }),
  );
  return fake;
}

async function mount(fake: FakeClient): Promise<NunectRoutez> {
  const provider = await fixture<NunectProvider>(html`<nunect-provider><nunect-routez .interval=${100}></nunect-routez></nunect-provider>`);
  provider.client = asClient(fake);
  const el = provider.querySelector('nunect-routez')!;
  await waitUntil(() => el.state === 'ready', `ready: ${textOf(el)}`, { timeout: 3_000 });
  return el;
}

/** The rows of the table in the section titled `title`, as arrays of cell texts. */
function rows(el: NunectRoutez, title: string): string[][] {
  const section = [...el.shadowRoot!.querySelectorAll('section')].find((s) => s.querySelector('h2')?.textContent?.trim().startsWith(title))!;
  return [...section.querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent!.replace(/\s+/g, ' ').trim()));
}

describe('<nunect-routez>', () => {
  it('says what a single server does not have', async () => {
    const fake = new FakeClient();
    const el = await mount(fake);
    expect(textOf(el)).to.contain('No routes (this server is not clustered).');
    expect(textOf(el)).to.contain('No gateways (no super-cluster is configured).');
    expect(textOf(el)).to.contain('No leaf nodes connected.');
    // No route lacks a name, so STATSZ is not asked for.
    expect(fake.requests.some((r) => r.subject.endsWith('.STATSZ'))).to.be.false;
  });

  it('lists the routes of a 2.9 cluster, with the remote names from STATSZ', async () => {
    const fake = clusterFake();
    const el = await mount(fake);
    await waitUntil(() => textOf(el).includes('nats-b NBBBB'), `route names: ${textOf(el)}`, { timeout: 3_000 });
    expect(textOf(el)).to.contain('6 routes on 3 servers');
    const routes = rows(el, 'Routes');
    expect(routes).to.have.length(6);
    // Server, remote (name + id), address, direction, msgs in/out, bytes in/out, subscriptions, pending, rtt.
    expect(routes[0]).to.deep.equal([
      'nats-a',
      'nats-b NBBBBBBBBBBB…',
      '10.0.0.2:6222',
      'outbound',
      '1,000',
      '2,000',
      '4 KiB',
      '8 KiB',
      '40',
      '2 KiB',
      '1.5 ms',
    ]);
    expect(routes[2]![0]).to.equal('nats-b');
    expect(routes[2]![1]).to.match(/^nats-a /);
    expect(routes[2]![3]).to.equal('inbound');
    expect(fake.requests.some((r) => r.subject === '$SYS.REQ.SERVER.PING.STATSZ')).to.be.true;
    await expect(el).to.be.accessible();
  });

  it('uses remote_name of 2.10+ servers and does not poll STATSZ for it', async () => {
    const fake = clusterFake({ named: true });
    const el = await mount(fake);
    expect(rows(el, 'Routes')[0]![1]).to.equal('nats-b NBBBBBBBBBBB…');
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.requests.some((r) => r.subject.endsWith('.STATSZ'))).to.be.false;
  });

  it('lists gateways in both directions and leaf nodes', async () => {
    const el = await mount(clusterFake());
    expect(textOf(el)).to.contain('2 connections · this cluster: west');
    const gateways = rows(el, 'Gateways');
    expect(gateways).to.deep.equal([
      ['nats-a', 'east (configured)', 'outbound', '192.0.2.7:7222', '12 ms', '5', '6', '500 B', '600 B', '3'],
      ['nats-a', 'east', 'inbound', '192.0.2.7:51000', '12 ms', '5', '6', '500 B', '600 B', '3'],
    ]);
    expect(rows(el, 'Leaf nodes')).to.deep.equal([['nats-c', 'BRIDGE', '–', '198.51.100.4:7422', '30 ms', '70', '80', '6.8 KiB', '7.8 KiB', '9']]);
  });

  it('shows server-provided names as text', async () => {
    const hostile = '<img src=x onerror=alert(1)>';
    const el = await mount(clusterFake({ routeName: () => hostile }));
    await waitUntil(() => textOf(el).includes(hostile), `hostile name as text: ${textOf(el)}`, { timeout: 3_000 });
    expect(el.shadowRoot!.querySelector('img')).to.be.null;
  });

  it('keeps the other sections when one kind fails, and says which', async () => {
    const fake = clusterFake();
    fake.respond('GATEWAYZ', () => Promise.reject(new NunectError('PERMISSION_DENIED', 'GATEWAYZ needs a user of the system account (SYS)')));
    const provider = await fixture<NunectProvider>(html`<nunect-provider><nunect-routez .interval=${100}></nunect-routez></nunect-provider>`);
    provider.client = asClient(fake);
    const el = provider.querySelector('nunect-routez')!;
    await waitUntil(() => el.state === 'stale', `stale: ${textOf(el)}`, { timeout: 3_000 });
    expect(textOf(el)).to.contain('Could not load the gateways: GATEWAYZ needs a user of the system account (SYS)');
    expect(rows(el, 'Routes')).to.have.length(6);
    expect(rows(el, 'Leaf nodes')).to.have.length(1);
    await expect(el).to.be.accessible();
  });
});
