import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { subjectMatches } from '../client/index.js';
import '../components/subsz/define.js';
import type { SubszEntry } from '../client/monitor-types.js';
import type { FakeClient } from '../test/support/fake-client.js';
import { inState, stateArg, type StoryState } from './support/story-state.js';

interface Args {
  state: StoryState;
  interval: number;
  limit: number;
  account: string;
}

type Body = { account?: string; test?: string; offset?: number; limit?: number; subscriptions?: boolean; cid?: number };
type Reply = { data: { subscriptions_list?: SubszEntry[]; connections?: Array<{ cid: number }> } };

/** Makes the captured server answer like a real one: account filter, test subject, paging, CONNZ by cid. */
function likeAServer(fake: FakeClient): void {
  const subsz = fake.responders.get('SUBSZ')!;
  const connz = fake.responders.get('CONNZ')!;
  fake.respond('SUBSZ', async (subject, raw) => {
    const body = raw as Body;
    const replies = (await subsz(subject, body)) as Reply[];
    for (const { data } of replies) {
      let list = data.subscriptions_list ?? [];
      if (body.account) list = list.filter((s) => s.account === body.account);
      if (body.test) list = list.filter((s) => subjectMatches(s.subject, body.test!));
      const offset = body.offset ?? 0;
      data.subscriptions_list = body.subscriptions ? list.slice(offset, offset + (body.limit ?? 1024)) : undefined;
    }
    return replies;
  });
  fake.respond('CONNZ', async (subject, raw) => {
    const body = raw as Body;
    const replies = (await connz(subject, body)) as Reply[];
    for (const { data } of replies) if (body.cid !== undefined) data.connections = data.connections?.filter((c) => c.cid === body.cid);
    return replies;
  });
}

const meta = {
  title: 'Widgets/Subsz',
  component: 'nunect-subsz',
  args: { state: 'ready', interval: 5_000, limit: 25, account: '' },
  // (stateArg's control type widens to string; restated here as the literal Storybook's types want.)
  argTypes: { state: { ...stateArg.state, control: { type: 'select' } } },
  render: (args) =>
    inState(args.state, html`<nunect-subsz .interval=${args.interval} .limit=${args.limit} .account=${args.account}></nunect-subsz>`, likeAServer),
} satisfies Meta<Args>;

export default meta;
type Story = StoryObj<Args>;

export const Unconfigured: Story = { args: { state: 'unconfigured' } };
export const Connecting: Story = { args: { state: 'connecting' } };
export const Loading: Story = { args: { state: 'loading' } };
/**
 * Subscriptions of a real nats-server 2.9.10 (captured fixtures), 25 a page. Try "who receives"
 * with `engine.jobs.build` (a queue group of two clients, one with a hostile name shown as text)
 * or `engine.jobs.*` (refused: wildcards).
 */
export const Ready: Story = { args: { state: 'ready' } };
/** The last data, kept and marked while the connection is lost. */
export const Stale: Story = { args: { state: 'stale' } };
export const ErrorState: Story = { name: 'Error', args: { state: 'error' } };
/** Only the ENGINE account: its statistics, its subscriptions, and lookups within it. */
export const OneAccount: Story = { args: { account: 'ENGINE' } };
