import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import '../components/tail/define.js';
import { NunectTail } from '../components/tail/nunect-tail.js';
import { fakeTailSource, type FakeTailMessage } from '../components/tail/tail-source.fake.js';
import { FIXTURES } from '../test/support/fake-client.js';
import { inState, stateArg, type StoryState } from './support/story-state.js';

// The fake client answers the messages of the tail (fake.tail.TAIL): JSON with headers, text,
// binary, a large payload and hostile text; the fake source delivers any appended later.
const MESSAGES: FakeTailMessage[] = [
  ...Array.from({ length: 120 }, (_, i) => ({
    subject: `bridge.orders.${['created', 'paid', 'shipped'][i % 3]}`,
    data: { id: 1_000 + i, total: Math.round(i * 13.7) / 10, items: [{ sku: `sku-${i % 9}`, qty: 1 + (i % 3) }] },
    headers: { 'Nats-Msg-Id': `m-${i}`, 'X-Region': i % 2 ? 'eu' : 'us' },
  })),
  { subject: 'bridge.audit.login', data: 'user bob logged in from 10.0.0.7' },
  { subject: 'bridge.sensor.raw', data: '', base64: btoa(String.fromCharCode(...Array.from({ length: 96 }, (_, i) => (i * 37) & 0xff))) },
  { subject: 'bridge.blob', data: 'x'.repeat(200_000) },
  { subject: 'bridge.hostile.<b>', data: '<img src=x onerror=alert(1)>', headers: { 'X-Evil': '<script>alert(1)</script>' } },
];
FIXTURES.TAIL = [MESSAGES];
NunectTail.defaultSource = fakeTailSource(500);

interface Args {
  state: StoryState;
  subject: string;
  queue: string;
  capacity: number;
  paused: boolean;
  filterSubject: string;
  filterText: string;
}

const meta = {
  title: 'Widgets/Tail',
  component: 'nunect-tail',
  args: { state: 'ready', subject: 'bridge.>', queue: '', capacity: 10_000, paused: false, filterSubject: '', filterText: '' },
  argTypes: { state: { ...stateArg.state, control: { type: 'select' } } },
  render: (args) =>
    inState(
      args.state,
      html`<nunect-tail
        .subject=${args.subject}
        .queue=${args.queue}
        .capacity=${args.capacity}
        .paused=${args.paused}
        .filterSubject=${args.filterSubject}
        .filterText=${args.filterText}
      ></nunect-tail>`,
    ),
} satisfies Meta<Args>;

export default meta;
type Story = StoryObj<Args>;

export const Unconfigured: Story = { args: { state: 'unconfigured' } };
export const Connecting: Story = { args: { state: 'connecting' } };
export const Loading: Story = { args: { state: 'loading' } };
/** Orders with headers, text, binary, a 200 KB payload (truncated, Show all) and hostile text. */
export const Ready: Story = { args: { state: 'ready' } };
/** No subject yet: the form. */
export const NoSubject: Story = { args: { state: 'ready', subject: '' } };
export const Paused: Story = { args: { state: 'ready', paused: true } };
/** Filtered to one subject pattern and a text. */
export const Filtered: Story = { args: { state: 'ready', filterSubject: 'bridge.orders.paid', filterText: 'sku-3' } };
/** A buffer of 50: the older messages are evicted, and counted. */
export const SmallBuffer: Story = { args: { state: 'ready', capacity: 50 } };
/** The last messages, kept and marked while the connection is lost. */
export const Stale: Story = { args: { state: 'stale' } };
export const ErrorState: Story = { name: 'Error', args: { state: 'error' } };
