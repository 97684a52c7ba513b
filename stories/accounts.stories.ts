import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import '../components/accounts/define.js';
import type { ConnInfo } from '../client/monitor-types.js';
import { FIXTURES, type FakeClient } from '../test/support/fake-client.js';
import { inState, stateArg, type StoryState } from './support/story-state.js';

type Data = 'fixture 2.9.10' | 'cluster of 2 with a leaf node';

interface Args {
  state: StoryState;
  data: Data;
  interval: number;
  connectionLimit: number;
}

interface Envelope<T> {
  server: Record<string, unknown>;
  data: T;
}

/** Makes CONNZ honour `limit` as a server does (`total` still counts every connection). */
function honourLimit(fake: FakeClient): void {
  const connz = fake.responders.get('CONNZ')!;
  fake.respond('CONNZ', async (subject, body) => {
    const replies = (await connz(subject, body)) as Array<Envelope<{ connections: ConnInfo[]; total: number; num_connections: number }>>;
    const limit = Number((body as { limit?: number }).limit ?? 1024);
    for (const { data } of replies) {
      data.total = data.connections.length;
      data.connections = data.connections.slice(0, limit);
      data.num_connections = data.connections.length;
    }
    return replies;
  });
}

/** The captured server and a second one with more ENGINE workers and a BRIDGE leaf node. */
function cluster(fake: FakeClient): void {
  const second = <T>(kind: string) => {
    const r = structuredClone(FIXTURES[kind]![0]) as Envelope<T>;
    r.server = { ...r.server, name: 'nats-b', id: 'NSTORYB' };
    return r;
  };
  const connz = second<{ connections: ConnInfo[]; total: number; num_connections: number }>('CONNZ');
  const worker = connz.data.connections.find((c) => c.account === 'ENGINE')!;
  connz.data.connections = Array.from({ length: 6 }, (_, i) => ({ ...worker, cid: 100 + i, name: `engine-worker-${i + 2}` }));
  connz.data.total = connz.data.num_connections = connz.data.connections.length;
  const leafz = second<{ leafs: unknown[]; leafnodes: number }>('LEAFZ');
  leafz.data.leafs = [
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
  ];
  leafz.data.leafnodes = 1;
  fake.respond('CONNZ', [FIXTURES.CONNZ![0], connz]);
  fake.respond('ACCOUNTZ', [FIXTURES.ACCOUNTZ![0], second('ACCOUNTZ')]);
  fake.respond('LEAFZ', [FIXTURES.LEAFZ![0], leafz]);
  honourLimit(fake);
}

const meta = {
  title: 'Widgets/Accounts',
  component: 'nunect-accounts',
  args: { state: 'ready', data: 'fixture 2.9.10', interval: 5_000, connectionLimit: 1024 },
  argTypes: {
    // (stateArg's control type widens to string; restated here as the literal Storybook's types want.)
    state: { ...stateArg.state, control: { type: 'select' } },
    data: { control: { type: 'select' }, options: ['fixture 2.9.10', 'cluster of 2 with a leaf node'], description: 'Fake servers (story only)' },
  },
  render: (args) =>
    inState(
      args.state,
      html`<nunect-accounts .interval=${args.interval} .connectionLimit=${args.connectionLimit}></nunect-accounts>`,
      args.data === 'fixture 2.9.10' ? honourLimit : cluster,
    ),
} satisfies Meta<Args>;

export default meta;
type Story = StoryObj<Args>;

export const Unconfigured: Story = { args: { state: 'unconfigured' } };
export const Connecting: Story = { args: { state: 'connecting' } };
export const Loading: Story = { args: { state: 'loading' } };
/** Accounts of a real nats-server 2.9.10 (captured): SYS marked, $G muted, live connection counts. */
export const Ready: Story = { args: { state: 'ready' } };
/** Two servers summed, with a leaf node in BRIDGE. */
export const Cluster: Story = { args: { data: 'cluster of 2 with a leaf node' } };
/** Counting only the first 2 connections per server: the counts are marked as lower bounds. */
export const LimitedCount: Story = { args: { connectionLimit: 2 } };
/** The last data, kept and marked while the connection is lost. */
export const Stale: Story = { args: { state: 'stale' } };
export const ErrorState: Story = { name: 'Error', args: { state: 'error' } };
