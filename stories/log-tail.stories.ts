import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import '../components/log-tail/define.js';
import { fakeLogSource } from '../components/log-tail/log-source.fake.js';
import { NunectLogTail } from '../components/log-tail/nunect-log-tail.js';
import { FIXTURES } from '../test/support/fake-client.js';
import { inState, stateArg, type StoryState } from './support/story-state.js';

// The fake client answers a stream of 300 records of three units (test/support/fake-client.ts responders).
const LEVELS = ['debug', 'info', 'info', 'info', 'warn', 'error'];
const UNITS = [
  ['bridge', 'bridge-1'],
  ['engine', 'engine-1'],
  ['provision', 'provision-1'],
] as const;
FIXTURES.LOGS = [
  Array.from({ length: 300 }, (_, i) => {
    const level = LEVELS[i % LEVELS.length]!;
    const [account, unit] = UNITS[i % UNITS.length]!;
    return {
      subject: `${account}.ops.log.${level}.${unit}`,
      data: {
        time: new Date(Date.now() - (300 - i) * 1_000).toISOString(),
        level,
        unit,
        message: `${level} record ${i}`,
        ...(i % 7 === 0 ? { data: { job: `j-${i}`, attempt: 1 } } : {}),
      },
    };
  }),
];
NunectLogTail.defaultSource = fakeLogSource(500);

interface Args {
  state: StoryState;
  capacity: number;
  history: number;
  paused: boolean;
  text: string;
}

const meta = {
  title: 'Widgets/Log tail',
  component: 'nunect-log-tail',
  args: { state: 'ready', capacity: 5_000, history: 200, paused: false, text: '' },
  argTypes: { state: { ...stateArg.state, control: { type: 'select' } } },
  render: (args) =>
    inState(
      args.state,
      html`<nunect-log-tail .capacity=${args.capacity} .history=${args.history} .paused=${args.paused} .text=${args.text}></nunect-log-tail>`,
    ),
} satisfies Meta<Args>;

export default meta;
type Story = StoryObj<Args>;

export const Unconfigured: Story = { args: { state: 'unconfigured' } };
export const Connecting: Story = { args: { state: 'connecting' } };
export const Loading: Story = { args: { state: 'loading' } };
/** The last 200 stored records of three units; every seventh has structured data (marked "data"): open a record by its time to read it below the list. */
export const Ready: Story = { args: { state: 'ready' } };
export const Paused: Story = { args: { state: 'ready', paused: true } };
/** A buffer of 50: the older records are evicted, and counted. */
export const SmallBuffer: Story = { args: { state: 'ready', capacity: 50 } };
/** The last data, kept and marked while the connection is lost. */
export const Stale: Story = { args: { state: 'stale' } };
export const ErrorState: Story = { name: 'Error', args: { state: 'error' } };
