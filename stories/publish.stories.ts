import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import '../components/publish/define.js';
import { NunectPublish } from '../components/publish/nunect-publish.js';
import type { HeaderRow, PayloadEncoding, PublishMode } from '../components/publish/publish-model.js';
import { fakePublishSource } from '../components/publish/publish-source.fake.js';
import { NunectError } from '../client/index.js';
import { inState, stateArg, type StoryState } from './support/story-state.js';

// Requests and scatter-gathers are answered by three fake responders; `orders.>` is refused.
NunectPublish.defaultSource = fakePublishSource((subject) => {
  if (subject.startsWith('orders.'))
    throw new NunectError('PERMISSION_DENIED', `This user may not publish to ${subject}: Permissions Violation for Publish to "${subject}"`);
  if (subject === 'bridge.nobody') return [];
  return [1, 2, 3].map((i) => ({
    data: { server: { name: `nats-${i}` }, subject, answer: i, note: i === 3 ? '<b>hostile</b>' : 'ok' },
    headers: { 'Nats-Responder': `responder-${i}` },
    delay: 2 + i * 7,
  }));
});

interface Args {
  state: StoryState;
  mode: PublishMode;
  subject: string;
  encoding: PayloadEncoding;
  payload: string;
  headers: HeaderRow[];
  maxReplies: number;
}

const meta = {
  title: 'Widgets/Publish',
  component: 'nunect-publish',
  args: {
    state: 'ready',
    mode: 'publish',
    subject: 'bridge.orders.created',
    encoding: 'json',
    payload: '{"id": 1042, "total": 12.5}',
    headers: [{ name: 'Nats-Msg-Id', value: 'm-1042' }],
    maxReplies: 0,
  },
  argTypes: {
    state: { ...stateArg.state, control: { type: 'select' } },
    mode: { control: { type: 'select' }, options: ['publish', 'request', 'gather'] },
    encoding: { control: { type: 'select' }, options: ['text', 'json', 'base64', 'hex'] },
  },
  render: (args) =>
    inState(
      args.state,
      html`<nunect-publish
        storage-key=""
        .mode=${args.mode}
        .subject=${args.subject}
        .encoding=${args.encoding}
        .payload=${args.payload}
        .headers=${args.headers}
        .maxReplies=${args.maxReplies}
      ></nunect-publish>`,
    ),
} satisfies Meta<Args>;

export default meta;
type Story = StoryObj<Args>;

export const Unconfigured: Story = { args: { state: 'unconfigured' } };
export const Connecting: Story = { args: { state: 'connecting' } };
/** A JSON message with a header, ready to publish. */
export const Ready: Story = { args: { state: 'ready' } };
/** A request: the first responder's reply, decoded. */
export const Request: Story = { args: { state: 'ready', mode: 'request', subject: 'bridge.echo' } };
/** Scatter-gather over three responders. */
export const ScatterGather: Story = { args: { state: 'ready', mode: 'gather', subject: 'bridge.survey' } };
/** A subject the user may not publish to: the server's refusal. */
export const Refused: Story = { args: { state: 'ready', subject: 'orders.created' } };
/** Hex payload. */
export const Binary: Story = { args: { state: 'ready', encoding: 'hex', payload: '00 01 02 fe ff' } };
/** The editor kept while the connection is lost. */
export const Stale: Story = { args: { state: 'stale' } };
