import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import '../components/tail/define.js';
import { inState, stateArg, type StoryState } from './support/story-state.js';

interface Args {
  state: StoryState;
  interval: number;
}

const meta = {
  title: 'Widgets/Tail',
  component: 'nunect-tail',
  args: { state: 'ready', interval: 1_000 },
  argTypes: { state: { ...stateArg.state, control: { type: 'select' } } },
  render: (args) => inState(args.state, html`<nunect-tail .interval=${args.interval}></nunect-tail>`),
} satisfies Meta<Args>;

export default meta;
type Story = StoryObj<Args>;

export const Unconfigured: Story = { args: { state: 'unconfigured' } };
export const Connecting: Story = { args: { state: 'connecting' } };
export const Loading: Story = { args: { state: 'loading' } };
/** Data from a real nats-server (captured fixtures). */
export const Ready: Story = { args: { state: 'ready' } };
/** The last data, kept and marked while the connection is lost. */
export const Stale: Story = { args: { state: 'stale' } };
export const ErrorState: Story = { name: 'Error', args: { state: 'error' } };
