import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import '../components/varz/define.js';
import type { Varz } from '../client/monitor-types.js';
import { NunectError } from '../client/index.js';
import { FIXTURES, type FakeClient } from '../test/support/fake-client.js';
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

/** Answers ops.history.statsz as the Controller would: a wave of 60 bins of the range asked, ending at the captured servers' clock. */
export function storyHistory(fake: FakeClient): void {
  const captured = FIXTURES.VARZ as Array<{ server: { id: string; name: string }; data: Varz }>;
  fake.respond('history.statsz', (_subject, body) => {
    const range = (body as { range?: '1h' | '24h' }).range === '24h' ? '24h' : '1h';
    const binMs = range === '1h' ? 60_000 : 24 * 60_000;
    const to = Date.parse(captured[0]!.data.now);
    const last = Math.floor(to / binMs) * binMs;
    const servers = captured.map(({ server }, s) => ({
      id: server.id,
      name: server.name,
      bins: Array.from({ length: 60 }, (_, i) => {
        const msgs = Math.round(1_000 * (1 + 0.6 * Math.sin((i + s * 7) / 6) + 0.2 * Math.sin(i * 1.7)));
        return {
          t: new Date(last - (59 - i) * binMs).toISOString(),
          seconds: i === 59 ? Math.max(1, Math.round((to - last) / 1000)) : binMs / 1000,
          in_msgs: msgs,
          out_msgs: msgs * 2.5,
          in_bytes: msgs * 180,
          out_bytes: msgs * 2.5 * 180,
          connections: 40 + (i % 7),
          mem: 20_000_000,
          cpu: 3,
        };
      }),
    }));
    return [{ range, bin_seconds: binMs / 1000, from: new Date(last - 59 * binMs).toISOString(), to: new Date(to).toISOString(), servers }];
  });
}

interface Args {
  state: StoryState;
  interval: number;
  samples: number;
  range: 'live' | '1h' | '24h';
  /** Story only: what ops.history.statsz answers. */
  history: 'controller' | 'no-controller' | 'denied';
}

const meta = {
  title: 'Widgets/Varz',
  component: 'nunect-varz',
  excludeStories: ['busyServer', 'storyHistory'],
  args: { state: 'ready', interval: 1_000, samples: 60, range: '1h', history: 'controller' },
  // (stateArg's control type widens to string; restated here as the literal Storybook's types want.)
  argTypes: {
    state: { ...stateArg.state, control: { type: 'select' } },
    range: { control: { type: 'inline-radio' }, options: ['live', '1h', '24h'] },
    history: { control: { type: 'select' }, options: ['controller', 'no-controller', 'denied'], description: 'What ops.history.statsz answers (story only)' },
  },
  render: (args) =>
    inState(args.state, html`<nunect-varz .interval=${args.interval} .samples=${args.samples} range=${args.range}></nunect-varz>`, (fake) => {
      busyServer(fake);
      if (args.history === 'controller') storyHistory(fake);
      else if (args.history === 'denied') {
        fake.respond('history.statsz', () => Promise.reject(new NunectError('PERMISSION_DENIED', 'Permissions Violation for Publish to "ops.history.statsz"')));
      }
    }),
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
/** The last hour from the Controller, drawn at once; the live polls then extend the current minute. */
export const HistoryLastHour: Story = { name: 'History: last hour', args: { range: '1h' } };
/** The last 24 hours in 24-minute bins. */
export const HistoryLastDay: Story = { name: 'History: last 24 hours', args: { range: '24h' } };
/** No Controller answers ops.history.statsz: live sparklines and a muted line saying why. */
export const HistoryNoController: Story = { name: 'History: no Controller', args: { history: 'no-controller' } };
/** The user may not ask ops.history.statsz. */
export const HistoryDenied: Story = { name: 'History: permission denied', args: { history: 'denied' } };
/** Only this widget's polls, as before history existed. */
export const Live: Story = { args: { range: 'live' } };
