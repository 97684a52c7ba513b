import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { NunectError } from '../client/index.js';
import '../components/services/define.js';
import { fleetReplies, infoBody, sampleFleet, statsBody } from '../components/services/services-source.fake.js';
import { FIXTURES, type FakeClient } from '../test/support/fake-client.js';
import { inState, stateArg, type StoryState } from './support/story-state.js';

// The fake client answers the services protocol for a small fleet: `calc` in two versions (skew), `echo`.
const FLEET = sampleFleet(Date.now());
Object.assign(FIXTURES, fleetReplies(FLEET));

/** Requests and errors grow on every poll, so the rates move. */
function growing(fake: FakeClient): void {
  let polls = 0;
  fake.respond('STATS', () => {
    polls++;
    return FLEET.map((i) =>
      statsBody({
        ...i,
        endpoints: i.endpoints.map((e) => ({ ...e, requests: (e.requests ?? 0) + polls * 7, errors: (e.errors ?? 0) + (e.errors ? polls : 0) })),
      }),
    );
  });
}

/** The 1.1.0 instance of calc stops answering after the first poll. */
function oneStops(fake: FakeClient): void {
  let polls = 0;
  const alive = () => (polls > 1 ? FLEET.filter((i) => i.version !== '1.1.0') : FLEET);
  fake.respond('INFO', () => (polls++, alive().map(infoBody)));
  fake.respond('STATS', () => alive().map(statsBody));
}

type Scenario = 'fleet' | 'growing' | 'one stops' | 'INFO not allowed' | 'STATS not allowed' | 'no services';

const SCENARIOS: Record<Scenario, ((fake: FakeClient) => void) | undefined> = {
  fleet: undefined,
  growing,
  'one stops': oneStops,
  'INFO not allowed': (fake) =>
    fake.respond('INFO', () => Promise.reject(new NunectError('PERMISSION_DENIED', 'Permissions Violation for Publish to "$SRV.INFO"'))),
  'STATS not allowed': (fake) =>
    fake.respond('STATS', () => Promise.reject(new NunectError('PERMISSION_DENIED', 'Permissions Violation for Publish to "$SRV.STATS"'))),
  'no services': (fake) => {
    fake.responders.delete('INFO');
    fake.responders.delete('STATS');
  },
};

interface Args {
  state: StoryState;
  scenario: Scenario;
  interval: number;
  service: string;
}

const meta = {
  title: 'Widgets/Services',
  component: 'nunect-services',
  args: { state: 'ready', scenario: 'growing', interval: 2_000, service: '' },
  argTypes: {
    state: { ...stateArg.state, control: { type: 'select' } },
    scenario: { control: { type: 'select' }, options: Object.keys(SCENARIOS), description: 'What the fake services answer (story only)' },
  },
  render: (args) =>
    inState(args.state, html`<nunect-services .interval=${args.interval} .service=${args.service}></nunect-services>`, SCENARIOS[args.scenario]),
} satisfies Meta<Args>;

export default meta;
type Story = StoryObj<Args>;

export const Unconfigured: Story = { args: { state: 'unconfigured' } };
export const Connecting: Story = { args: { state: 'connecting' } };
export const Loading: Story = { args: { state: 'loading' } };
/** Two versions of calc (version skew) and echo; the counters grow, so the rates move. */
export const Ready: Story = { args: { state: 'ready' } };
/** The calc 1.1.0 instance stops answering: kept, marked as not answering. */
export const InstanceMissing: Story = { args: { state: 'ready', scenario: 'one stops' } };
/** The user may not ask $SRV.INFO: said so, not "no services". */
export const InfoNotAllowed: Story = { args: { state: 'ready', scenario: 'INFO not allowed' } };
/** The user may ask INFO but not STATS: the instances, without figures. */
export const StatsNotAllowed: Story = { args: { state: 'ready', scenario: 'STATS not allowed' } };
/** Nothing in the account speaks the services protocol. */
export const NoServices: Story = { args: { state: 'ready', scenario: 'no services' } };
/** The last data, kept and marked while the connection is lost. */
export const Stale: Story = { args: { state: 'stale' } };
export const ErrorState: Story = { name: 'Error', args: { state: 'error' } };
