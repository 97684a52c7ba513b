import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import '../components/streams/define.js';
import { fakeListResponder, fakeMessages, fakeStreamInfo, fakeStreamsSource, type FakeAccount } from '../components/streams/streams-source.fake.js';
import { inState, stateArg, type StoryState } from './support/story-state.js';

interface Args {
  state: StoryState;
  selected: string;
  streams: number;
}

const START = Date.parse('2026-11-29T12:00:00Z');

/** An account with a limits stream (two deleted messages), a work-queue stream and `extra` more. */
function account(extra: number): FakeAccount {
  const orders = fakeMessages(
    40,
    (seq) => `orders.${seq % 3 ? 'eu' : 'us'}`,
    START,
    [4, 5],
    (seq) => JSON.stringify({ order: seq, items: [{ sku: 'A-1', qty: seq % 4 }] }),
  );
  const jobs = fakeMessages(
    5,
    () => 'jobs.build',
    START,
    [],
    (seq) => `build #${seq}`,
  );
  return {
    streams: [
      { info: fakeStreamInfo('ORDERS', { subjects: ['orders.>'], messages: orders, consumers: 0 }), messages: orders },
      { info: fakeStreamInfo('JOBS', { subjects: ['jobs.>'], messages: jobs, retention: 'workqueue', allowDirect: true }), messages: jobs },
      ...Array.from({ length: extra }, (_, i) => ({ info: fakeStreamInfo(`S${String(i).padStart(4, '0')}`) })),
    ],
  };
}

const meta = {
  title: 'Widgets/Streams',
  component: 'nunect-streams',
  args: { state: 'ready', selected: 'ORDERS', streams: 0 },
  argTypes: { state: { ...stateArg.state, control: { type: 'select' } }, streams: { control: { type: 'number' }, description: 'More streams (story only)' } },
  render: (args) => {
    const acc = account(args.streams);
    return inState(args.state, html`<nunect-streams .source=${fakeStreamsSource(acc)} .selected=${args.selected || undefined}></nunect-streams>`, (fake) =>
      fake.respond('STREAM.LIST', fakeListResponder(acc)),
    );
  },
} satisfies Meta<Args>;

export default meta;
type Story = StoryObj<Args>;

export const Unconfigured: Story = { args: { state: 'unconfigured' } };
export const Connecting: Story = { args: { state: 'connecting' } };
export const Loading: Story = { args: { state: 'loading' } };
/** ORDERS selected: its detail and its first message, read by sequence. */
export const Ready: Story = { args: { state: 'ready' } };
/** 1,000 streams: paged as the API pages them, only the rows in view rendered. */
export const ThousandStreams: Story = { args: { state: 'ready', streams: 1_000, selected: '' } };
/** The last data, kept and marked while the connection is lost. */
export const Stale: Story = { args: { state: 'stale' } };
export const ErrorState: Story = { name: 'Error', args: { state: 'error' } };
