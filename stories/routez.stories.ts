import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import '../components/routez/define.js';
import type { Gatewayz, Leafz, RouteInfo, Routez } from '../client/monitor-types.js';
import { FIXTURES, type FakeClient } from '../test/support/fake-client.js';
import { inState, stateArg, type StoryState } from './support/story-state.js';

type Data = 'cluster of 3 (2.9)' | 'single server';

interface Args {
  state: StoryState;
  data: Data;
  interval: number;
}

interface Envelope<T> {
  server: Record<string, unknown>;
  data: T;
}

const SERVERS = ['nats-a', 'nats-b', 'nats-c'].map((name, i) => ({ name, id: `N${'ABC'[i]!.repeat(55)}` }));
const START = Date.now();

/** A copy of the captured single-server reply of `kind`, as if `server` had answered. */
function copy<T>(kind: string, server: { name: string; id: string }): Envelope<T> {
  const reply = structuredClone(FIXTURES[kind]![0]) as Envelope<T & { server_id: string }>;
  reply.server = { ...reply.server, name: server.name, id: server.id };
  reply.data.server_id = server.id;
  return reply;
}

/** Full-mesh routes of server `i` (2.9 style: no remote_name), with counters that grow over time. */
function routes(i: number): RouteInfo[] {
  const t = Math.round((Date.now() - START) / 1_000) + 60;
  const s = SERVERS[i]!;
  return SERVERS.filter((p) => p !== s).map((p, j) => ({
    rid: 4 + j,
    remote_id: p.id,
    did_solicit: i < SERVERS.indexOf(p),
    ip: `10.0.0.${SERVERS.indexOf(p) + 11}`,
    port: 6222,
    rtt: `${(0.4 + 0.3 * (i + j)).toFixed(1)}ms`,
    pending_size: i === 1 && j === 1 ? 18_432 : 0,
    in_msgs: t * (120 + 40 * i),
    out_msgs: t * (150 + 30 * j),
    in_bytes: t * (120 + 40 * i) * 210,
    out_bytes: t * (150 + 30 * j) * 190,
    subscriptions: 57 + 3 * j,
  }));
}

/** Three servers made from the captured fixtures: routes (names in STATSZ), a gateway pair, a leaf node. */
function cluster(fake: FakeClient): void {
  fake.respond('ROUTEZ', () =>
    SERVERS.map((s, i) => {
      const r = copy<Routez>('ROUTEZ', s);
      r.data.routes = routes(i);
      r.data.num_routes = r.data.routes.length;
      return r;
    }),
  );
  fake.respond('STATSZ', () =>
    SERVERS.map((s, i) => {
      const r = copy<Record<string, unknown>>('STATSZ', s);
      r.data.routes = routes(i).map((route) => ({ rid: route.rid, name: SERVERS.find((p) => p.id === route.remote_id)!.name, pending: 0 }));
      return r;
    }),
  );
  fake.respond('GATEWAYZ', () =>
    SERVERS.map((s, i) => {
      const r = copy<Gatewayz>('GATEWAYZ', s);
      r.data.name = 'eu-west';
      if (i === 0) {
        const connection = {
          cid: 21,
          ip: '192.0.2.40',
          port: 7222,
          rtt: '18.2ms',
          in_msgs: 4_210,
          out_msgs: 3_977,
          in_bytes: 912_000,
          out_bytes: 811_000,
          subscriptions: 12,
        };
        r.data.outbound_gateways = { 'us-east': { configured: true, connection } };
        r.data.inbound_gateways = { 'us-east': [{ configured: false, connection: { ...connection, cid: 22, port: 53_114 } }] };
      }
      return r;
    }),
  );
  fake.respond('LEAFZ', () =>
    SERVERS.map((s, i) => {
      const r = copy<Leafz>('LEAFZ', s);
      r.data.leafs =
        i === 2
          ? [
              {
                account: 'BRIDGE',
                ip: '198.51.100.9',
                port: 7422,
                rtt: '31ms',
                in_msgs: 9_120,
                out_msgs: 4_410,
                in_bytes: 1_200_000,
                out_bytes: 640_000,
                subscriptions: 14,
              },
            ]
          : [];
      r.data.leafnodes = r.data.leafs.length;
      return r;
    }),
  );
}

const meta = {
  title: 'Widgets/Routez',
  component: 'nunect-routez',
  args: { state: 'ready', data: 'cluster of 3 (2.9)', interval: 2_000 },
  argTypes: {
    // (stateArg's control type widens to string; restated here as the literal Storybook's types want.)
    state: { ...stateArg.state, control: { type: 'select' } },
    data: { control: { type: 'select' }, options: ['cluster of 3 (2.9)', 'single server'], description: 'Fake servers (story only)' },
  },
  render: (args) => inState(args.state, html`<nunect-routez .interval=${args.interval}></nunect-routez>`, args.data === 'single server' ? undefined : cluster),
} satisfies Meta<Args>;

export default meta;
type Story = StoryObj<Args>;

export const Unconfigured: Story = { args: { state: 'unconfigured' } };
export const Connecting: Story = { args: { state: 'connecting' } };
export const Loading: Story = { args: { state: 'loading' } };
/**
 * Three 2.9 servers (made from captured fixtures): six routes, named from STATSZ, a gateway pair
 * to another cluster and a leaf node.
 */
export const Ready: Story = { args: { state: 'ready' } };
/** The captured single server: nothing clustered, no gateways, no leaf nodes. */
export const SingleServer: Story = { args: { data: 'single server' } };
/** The last data, kept and marked while the connection is lost. */
export const Stale: Story = { args: { state: 'stale' } };
export const ErrorState: Story = { name: 'Error', args: { state: 'error' } };
