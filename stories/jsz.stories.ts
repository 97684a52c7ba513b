import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import '../components/jsz/define.js';
import type { Jsz } from '../client/monitor-types.js';
import { FIXTURES, type FakeClient } from '../test/support/fake-client.js';
import { inState, stateArg, type StoryState } from './support/story-state.js';

type Data = 'fixture 2.9.10' | 'cluster of 3, one without JetStream';

interface Args {
  state: StoryState;
  data: Data;
  interval: number;
}

interface Envelope {
  server: Record<string, unknown>;
  data: Jsz;
}

/** Three servers: two share an R2 stream (led by nats-b), the third has JetStream disabled. */
function cluster(fake: FakeClient): void {
  const replies = ['nats-a', 'nats-b'].map((name, i) => {
    const r = structuredClone(FIXTURES.JSZ![0]) as Envelope;
    r.server = { ...r.server, name, id: `NJS${i}` };
    r.data.meta_cluster = { name: 'eu-west', leader: 'nats-b', cluster_size: 2 };
    const stream = r.data.account_details!.find((a) => a.name === 'BRIDGE')!.stream_detail![0]!;
    stream.cluster = { name: 'eu-west', leader: 'nats-b' };
    stream.config!.num_replicas = 2;
    const consumer = stream.consumer_detail![0]!;
    consumer.num_pending = 37;
    consumer.num_ack_pending = 5;
    consumer.num_redelivered = 2;
    r.data.memory = 48 * 1024 * 1024;
    r.data.reserved_memory = 64 * 1024 * 1024;
    return r;
  });
  const off = structuredClone(FIXTURES.JSZ![0]) as Envelope;
  off.server = { ...off.server, name: 'nats-c', id: 'NJS2', jetstream: false };
  off.data = { server_id: 'NJS2', now: off.data.now, disabled: true, config: { max_memory: 0, max_storage: 0 } };
  fake.respond('JSZ', [...replies, off]);
}

const meta = {
  title: 'Widgets/Jsz',
  component: 'nunect-jsz',
  args: { state: 'ready', data: 'fixture 2.9.10', interval: 5_000 },
  argTypes: {
    // (stateArg's control type widens to string; restated here as the literal Storybook's types want.)
    state: { ...stateArg.state, control: { type: 'select' } },
    data: { control: { type: 'select' }, options: ['fixture 2.9.10', 'cluster of 3, one without JetStream'], description: 'Fake servers (story only)' },
  },
  render: (args) => inState(args.state, html`<nunect-jsz .interval=${args.interval}></nunect-jsz>`, args.data === 'fixture 2.9.10' ? undefined : cluster),
} satisfies Meta<Args>;

export default meta;
type Story = StoryObj<Args>;

export const Unconfigured: Story = { args: { state: 'unconfigured' } };
export const Connecting: Story = { args: { state: 'connecting' } };
export const Loading: Story = { args: { state: 'loading' } };
/** JetStream of a real nats-server 2.9.10 (captured): one stream with one consumer; account reservations of 2^64-1 show as "unlimited". */
export const Ready: Story = { args: { state: 'ready' } };
/** A replicated stream listed once (as its leader reports it), and a server with JetStream disabled. */
export const Cluster: Story = { args: { data: 'cluster of 3, one without JetStream' } };
/** The last data, kept and marked while the connection is lost. */
export const Stale: Story = { args: { state: 'stale' } };
export const ErrorState: Story = { name: 'Error', args: { state: 'error' } };
