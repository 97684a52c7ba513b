import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import '../components/connection/define.js';
import '../components/provider/define.js';
import '../components/varz/define.js';
import { inState, stateArg, type StoryState } from './support/story-state.js';
import { busyServer, storyHistory } from './varz.stories.js';

interface Args {
  state: StoryState;
}

/**
 * How a page composes the widgets: one `<nunect-provider>` shares its connection with the login
 * widget and the monitoring widgets inside it.
 */
const meta = {
  title: 'Overview',
  component: 'nunect-provider',
  args: { state: 'ready' },
  // (stateArg's control type widens to string; restated here as the literal Storybook's types want.)
  argTypes: { state: { ...stateArg.state, control: { type: 'select' } } },
  render: (args) =>
    inState(
      args.state,
      html`<div style="display: grid; gap: 12px; grid-template-columns: minmax(240px, 320px) 1fr; align-items: start;">
        <nunect-connection></nunect-connection>
        <nunect-varz .interval=${1_000}></nunect-varz>
      </div>`,
      (fake) => {
        busyServer(fake);
        storyHistory(fake);
        // The round-trip time the connection widget shows.
        Object.assign(fake, { rtt: async () => 0.8 + Math.random() * 0.4 });
      },
    ),
} satisfies Meta<Args>;

export default meta;
type Story = StoryObj<Args>;

/** Provider, connection and server overview on one shared connection. */
export const ProviderConnectionVarz: Story = { name: 'Provider + connection + varz' };
/** Nothing configured: the connection widget asks for a server and credentials. */
export const NotConnected: Story = { args: { state: 'unconfigured' } };
/** The connection is lost: the overview keeps its last data. */
export const Reconnecting: Story = { args: { state: 'stale' } };
