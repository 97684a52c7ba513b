import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import '../components/kv/define.js';
import { NunectKv } from '../components/kv/nunect-kv.js';
import { fakeKvSource, FakeKvStore, type FakeKvState } from '../components/kv/kv-source.fake.js';
import { FIXTURES, type FakeClient } from '../test/support/fake-client.js';
import { inState, stateArg, type StoryState } from './support/story-state.js';

// The fake client answers two buckets (components/kv/kv-source.fake.ts); puts and deletes change
// them, and a change by "another client" arrives every few seconds in the Ready story.
const now = Date.now();
const STATE: FakeKvState = {
  buckets: [
    {
      bucket: 'CONFIG',
      description: 'service configuration',
      history: 5,
      ttl: 0,
      replicas: 3,
      entries: [
        { key: 'config.bridge.timeout', revision: 1, created: now - 3_600_000, value: '30s' },
        { key: 'config.bridge.limits', revision: 2, created: now - 3_000_000, value: '{"rate":100,"burst":20,"routes":["a","b"]}' },
        { key: 'config.engine.model', revision: 3, created: now - 2_000_000, value: 'v2.3.1' },
        { key: 'config.engine.model', revision: 4, created: now - 1_000_000, operation: 'DEL' },
        { key: 'config.engine.model', revision: 5, created: now - 600_000, value: 'v2.4.0' },
        { key: 'feature.flags', revision: 6, created: now - 120_000, value: '{"beta":true}' },
        { key: 'blob.sample', revision: 7, created: now - 60_000, value: 'AAECAwQFBgcICQoLDA0ODxAREhM=', base64: true },
      ],
    },
    { bucket: 'SESSIONS', storage: 'memory', ttl: 900_000, entries: [] },
  ],
};
FIXTURES.KV = [STATE];
NunectKv.defaultSource = fakeKvSource(500);

let changer: ReturnType<typeof setInterval> | undefined;
const live = (fake: FakeClient) => {
  const store = new FakeKvStore(STATE).install(fake);
  clearInterval(changer);
  let n = 0;
  changer = setInterval(() => store.put('CONFIG', 'feature.flags', JSON.stringify({ beta: true, build: ++n })), 4_000);
};

interface Args {
  state: StoryState;
  bucket: string;
  filter: string;
  key: string;
  pageSize: number;
}

const meta = {
  title: 'Widgets/Kv',
  component: 'nunect-kv',
  args: { state: 'ready', bucket: 'CONFIG', filter: '>', key: 'config.bridge.limits', pageSize: 50 },
  argTypes: { state: { ...stateArg.state, control: { type: 'select' } } },
  render: (args) =>
    inState(
      args.state,
      html`<nunect-kv .bucket=${args.bucket} .filter=${args.filter} .key=${args.key} .pageSize=${args.pageSize} .interval=${2_000}></nunect-kv>`,
      live,
    ),
} satisfies Meta<Args>;

export default meta;
type Story = StoryObj<Args>;

export const Unconfigured: Story = { args: { state: 'unconfigured' } };
export const Connecting: Story = { args: { state: 'connecting' } };
export const Loading: Story = { args: { state: 'loading' } };
/** Two buckets; CONFIG open with a JSON value and its history; feature.flags changes live. */
export const Ready: Story = { args: { state: 'ready' } };
/** Only the keys under config.engine. */
export const Filtered: Story = { args: { state: 'ready', filter: 'config.engine.>', key: '' } };
/** The buckets only, none chosen. */
export const BucketsOnly: Story = { args: { state: 'ready', bucket: '', key: '' } };
/** The last data, kept and marked while the connection is lost. */
export const Stale: Story = { args: { state: 'stale' } };
/** The account has no JetStream (the story's error: a refused request). */
export const ErrorState: Story = { name: 'Error', args: { state: 'error' } };
