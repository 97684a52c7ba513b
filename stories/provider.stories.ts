import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import '../components/provider/define.js';
import '../components/varz/define.js';
import '../components/event-log/define.js';
import { asClient } from '../test/support/fake-client.js';
import { stateArg, storyClient, type StoryState } from './support/story-state.js';

/**
 * `<nunect-provider>` shares one connection with every widget inside it: one login, one WebSocket,
 * one poll per kind of data, however many widgets. Two providers side by side are two separate
 * connections; a widget uses the nearest provider around it.
 */
type Args = { left: StoryState; right: StoryState };

const meta = {
  title: 'Elements/Provider',
  component: 'nunect-provider',
  args: { left: 'ready', right: 'unconfigured' },
  argTypes: {
    left: { ...stateArg.state, control: { type: 'select' }, description: 'The left provider’s connection (story only)' },
    right: { ...stateArg.state, control: { type: 'select' }, description: 'The right provider’s connection (story only)' },
  },
  render: ({ left, right }) => {
    const column = (state: StoryState, label: string) => {
      const fake = storyClient(state);
      return html`<section aria-label=${label} style="display: grid; gap: 12px; align-content: start;">
        <strong>${label}</strong>
        <nunect-provider .client=${fake ? asClient(fake) : undefined}>
          <div style="display: grid; gap: 12px;">
            <nunect-varz></nunect-varz>
            <nunect-event-log></nunect-event-log>
          </div>
        </nunect-provider>
      </section>`;
    };
    return html`<div style="display: grid; gap: 16px; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr));">
      ${column(left, 'Provider A')} ${column(right, 'Provider B')}
    </div>`;
  },
} satisfies Meta<Args>;

export default meta;
type Story = StoryObj<Args>;

/** One provider connected, the other not: each widget follows its own provider. */
export const TwoConnections: Story = { name: 'Two providers, two connections' };

/** Both connected: each pair of widgets shares its provider's one connection. */
export const BothConnected: Story = { args: { right: 'ready' } };

/** A provider whose connection is lost: its widgets keep their last data, marked stale. */
export const OneReconnecting: Story = { args: { right: 'stale' } };
