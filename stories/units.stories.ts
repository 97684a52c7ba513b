import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import type { UnitRecord } from '../client/units.js';
import '../components/units/define.js';
import { NunectUnits, UNITS_SORT_KEYS } from '../components/units/nunect-units.js';
import { fakeUnitsSource } from '../components/units/units-source.fake.js';
import type { UnitsSourceFactory } from '../components/units/units-source.js';
import { FIXTURES } from '../test/support/fake-client.js';
import { inState, stateArg, type StoryState } from './support/story-state.js';

// The fake client answers a registry of five units (test/support/fake-client.ts responders).
const now = Date.now();
const unit = (over: Partial<UnitRecord> & { unit: string; account: string }): UnitRecord => ({
  kind: 'bridge',
  version: '1.4.0',
  host: 'host-a',
  pid: 4242,
  state: 'alive',
  status: 'ok',
  reason: 'heartbeats arrive',
  since: now - 60_000,
  firstSeen: now - 3_600_000,
  lastBeat: now - 2_000,
  started: new Date(now - 600_000).toISOString(),
  seq: 120,
  interval: 5_000,
  restarts: 0,
  flaps: 0,
  checks: [{ name: 'db', status: 'ok', ms: 2 }],
  load: { cpu: 2.5, rss: 52_428_800, eventLoopDelay: 3 },
  ...over,
});
FIXTURES.UNITS = [
  {
    units: [
      unit({ unit: 'bridge-1', account: 'bridge' }),
      unit({ unit: 'bridge-2', account: 'bridge', version: '1.5.0-rc1', host: 'host-b' }),
      unit({
        unit: 'bridge-3',
        account: 'bridge',
        status: 'degraded',
        reason: 'check cache degraded: slow',
        checks: [{ name: 'cache', status: 'degraded', message: 'slow', ms: 900 }],
      }),
      unit({
        unit: 'engine-1',
        account: 'engine',
        kind: 'engine',
        version: '2.0.0',
        state: 'lost',
        reason: 'heartbeat expired 12 s ago',
        lastBeat: now - 40_000,
        since: now - 12_000,
        restarts: 3,
      }),
      unit({ unit: 'provision-1', account: 'provision', kind: 'provision', version: '1.0.0', state: 'stopped', reason: 'stopped: upgrade' }),
    ],
    controller: { version: '0.1.0', started: now - 7_200_000, liveness: 'markers', serverVersion: '2.15.2', lateAfterBeats: 2, lostAfterBeats: 5 },
  },
];
FIXTURES.UNIT_EVENTS = [
  [
    { time: now - 100_000, unit: 'engine-1', account: 'engine', to: 'alive', status: 'ok', reason: 'heartbeats arrive' },
    { time: now - 30_000, unit: 'engine-1', account: 'engine', from: 'alive', to: 'late', status: 'ok', reason: 'disconnected: Kicked' },
    { time: now - 12_000, unit: 'engine-1', account: 'engine', from: 'late', to: 'lost', status: 'ok', reason: 'heartbeat expired 12 s ago' },
  ],
];
NunectUnits.defaultSource = fakeUnitsSource(1_000);

interface Args {
  state: StoryState;
  stateFilter: string;
  kind: string;
  account: string;
  sort: NunectUnits['sort'];
  sortDirection: NunectUnits['sortDirection'];
}

const meta = {
  title: 'Widgets/Units',
  component: 'nunect-units',
  args: { state: 'ready', stateFilter: '', kind: '', account: '', sort: 'state', sortDirection: 'ascending' },
  argTypes: {
    state: { ...stateArg.state, control: { type: 'select' } },
    sort: { options: [...UNITS_SORT_KEYS], control: { type: 'select' } },
    sortDirection: { options: ['ascending', 'descending'], control: { type: 'inline-radio' } },
  },
  render: (args) =>
    inState(
      args.state,
      html`<nunect-units
        .stateFilter=${args.stateFilter as NunectUnits['stateFilter']}
        .kind=${args.kind}
        .account=${args.account}
        .sort=${args.sort}
        .sortDirection=${args.sortDirection}
      ></nunect-units>`,
    ),
} satisfies Meta<Args>;

export default meta;
type Story = StoryObj<Args>;

export const Unconfigured: Story = { args: { state: 'unconfigured' } };
export const Connecting: Story = { args: { state: 'connecting' } };
export const Loading: Story = { args: { state: 'loading' } };
/** Five units: one with another version than its kind, one degraded, one lost, one stopped. */
export const Ready: Story = { args: { state: 'ready' } };
/** Sorted by restarts, the most first (equal ones by name). */
export const ByRestarts: Story = { args: { state: 'ready', sort: 'restarts', sortDirection: 'descending' } };
/** Only the lost units. */
export const LostOnly: Story = { args: { state: 'ready', stateFilter: 'lost' } };
/** The last data, kept and marked while the connection is lost. */
export const Stale: Story = { args: { state: 'stale' } };
/** The user cannot read OPS (the story's error: a refused permission). */
export const ErrorState: Story = { name: 'Error', args: { state: 'error' } };

/** 1,000 units, a few late, lost or failing, heartbeating every second: only the rows in view are rendered. */
const thousand: UnitsSourceFactory = () => ({
  watch: (h) => {
    const units = Array.from({ length: 1_000 }, (_, i) =>
      unit({
        unit: `${['bridge', 'engine', 'provision'][i % 3]}-${i + 1}`,
        account: ['bridge', 'engine', 'provision'][i % 3]!,
        kind: ['bridge', 'engine', 'provision'][i % 3]!,
        state: i % 97 === 0 ? 'lost' : i % 41 === 0 ? 'late' : 'alive',
        status: i % 59 === 0 ? 'failing' : 'ok',
        version: i % 50 === 0 ? '1.5.0-rc1' : '1.4.0',
        host: `host-${i % 20}`,
      }),
    );
    for (const u of units) h.put(`${u.account}.${u.unit}`, u);
    h.controller({ version: '0.1.0', started: now - 7_200_000, liveness: 'markers', serverVersion: '2.15.2', lateAfterBeats: 2, lostAfterBeats: 5 });
    h.initialized();
    let seq = 0;
    const timer = setInterval(() => {
      seq++;
      for (const u of units) if (u.state === 'alive') h.put(`${u.account}.${u.unit}`, { ...u, seq, lastBeat: Date.now() });
    }, 1_000);
    return Promise.resolve({ stop: () => clearInterval(timer) });
  },
  timeline: () => Promise.resolve([]),
});
export const ThousandUnits: Story = {
  name: '1,000 units',
  render: () => inState('ready', html`<nunect-units .source=${thousand}></nunect-units>`),
};
