import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import '../components/varz/define.js';
import type { Varz } from '../client/monitor-types.js';
import type { FakeClient } from '../test/support/fake-client.js';
import { inState, stateArg, type StoryState } from './support/story-state.js';

/** Makes the captured server busy: each poll, its clock advances a second and its counters grow. */
export function busyServer(fake: FakeClient): void {
  const captured = fake.responders.get('VARZ')!;
  let polls = 0;
  const grown = { in_msgs: 0, out_msgs: 0, in_bytes: 0, out_bytes: 0 };
  fake.respond('VARZ', async (subject, body) => {
    const replies = (await captured(subject, body)) as Array<{ data?: Varz }>;
    polls++;
    const msgsIn = 800 + Math.round(Math.random() * 600);
    grown.in_msgs += msgsIn;
    grown.out_msgs += Math.round(msgsIn * 2.5);
    grown.in_bytes += msgsIn * 180;
    grown.out_bytes += Math.round(msgsIn * 2.5 * 180);
    for (const { data } of replies) {
      if (!data) continue;
      data.now = new Date(Date.parse(data.now) + polls * 1_000).toISOString();
      for (const [k, v] of Object.entries(grown)) data[k as keyof typeof grown] += v;
    }
    return replies;
  });
}

interface Args {
  state: StoryState;
  interval: number;
  samples: number;
}

const meta = {
  title: 'Widgets/Varz',
  component: 'nunect-varz',
  excludeStories: ['busyServer'],
  args: { state: 'ready', interval: 1_000, samples: 60 },
  // (stateArg's control type widens to string; restated here as the literal Storybook's types want.)
  argTypes: { state: { ...stateArg.state, control: { type: 'select' } } },
  render: (args) => inState(args.state, html`<nunect-varz .interval=${args.interval} .samples=${args.samples}></nunect-varz>`, busyServer),
} satisfies Meta<Args>;

export default meta;
type Story = StoryObj<Args>;

export const Unconfigured: Story = { args: { state: 'unconfigured' } };
export const Connecting: Story = { args: { state: 'connecting' } };
export const Loading: Story = { args: { state: 'loading' } };
/** Data from a real nats-server (captured fixtures), polled every second. */
export const Ready: Story = { args: { state: 'ready' } };
/** The last data, kept and marked while the connection is lost. */
export const Stale: Story = { args: { state: 'stale' } };
export const ErrorState: Story = { name: 'Error', args: { state: 'error' } };
