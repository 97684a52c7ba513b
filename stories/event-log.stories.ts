import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { ref } from 'lit/directives/ref.js';
import { NunectError, type SubscribeOptions } from '../client/index.js';
import '../components/event-log/define.js';
import { EVENT_TYPES, type EventType } from '../components/event-log/parse-event.js';
import events29 from '../test/fixtures/2.9.10/events.json' with { type: 'json' };
import events215 from '../test/fixtures/2.15.2/events.json' with { type: 'json' };
import type { FakeClient } from '../test/support/fake-client.js';
import { inState, stateArg, type StoryState } from './support/story-state.js';

type Fixture = Array<{ subject: string; data: Record<string, unknown> }>;

interface Args {
  state: StoryState;
  capacity: number;
  visibleRows: number;
  paused: boolean;
  types: EventType[];
  account: string;
  text: string;
  showEchoes: boolean;
  /** Events per second after the captured ones (0: none). */
  rate: number;
}

/**
 * Feeds the fake with the events captured from a real server once the log has subscribed, then
 * (with `rate`) a stream of connects and disconnects made from them. The stream stops by itself
 * when the log is gone (no open subscription left).
 */
function feed(rate: number, events: Fixture = [...(events29 as Fixture), ...(events215 as Fixture)]) {
  return (fake: FakeClient) => {
    setTimeout(() => {
      for (const e of events) fake.emit(e.subject, e.data);
      if (!rate) return;
      const samples = events.filter((e) => /\.(CONNECT|DISCONNECT)$/.test(e.subject));
      let n = 0;
      const timer = setInterval(() => {
        if (!fake.openSubs.length) return clearInterval(timer);
        for (let i = 0; i < Math.max(1, Math.round(rate / 10)); i++) {
          const e = structuredClone(samples[n++ % samples.length]!);
          const client = e.data.client as Record<string, unknown>;
          client.id = 1_000 + n;
          client.name = `${String(client.name)}-${n}`;
          e.data.timestamp = new Date().toISOString();
          fake.emit(e.subject, e.data);
        }
      }, 100);
    }, 50);
  };
}

/** Refuses the $SYS subscriptions, as the server does for a user outside the system account. */
function refuse(fake: FakeClient): void {
  const subscribe = fake.subscribe.bind(fake);
  fake.subscribe = (subject: string, options: SubscribeOptions = {}) => {
    const sub = subscribe(subject, options);
    setTimeout(() => options.onError?.(new NunectError('PERMISSION_DENIED', `Permissions Violation for Subscription to "${subject}"`)));
    return sub;
  };
}

const meta: Meta<Args> = {
  title: 'Widgets/Event log',
  component: 'nunect-event-log',
  argTypes: {
    // stateArg's control type is widened to string; narrow it here (see the report).
    state: { ...stateArg.state, control: { type: 'select' as const } },
    capacity: { control: { type: 'number', min: 1 } },
    visibleRows: { control: { type: 'number', min: 0 } },
    paused: { control: 'boolean' },
    types: { control: { type: 'check' }, options: [...EVENT_TYPES] },
    account: { control: 'text' },
    text: { control: 'text' },
    showEchoes: { control: 'boolean' },
    rate: { control: { type: 'number', min: 0, max: 5_000 }, description: 'Events per second after the captured ones (story only)' },
  },
  args: {
    state: 'ready',
    capacity: 1_000,
    visibleRows: 200,
    paused: false,
    types: [...EVENT_TYPES],
    account: '',
    text: '',
    showEchoes: false,
    rate: 0,
  },
  render: (args) =>
    inState(
      args.state,
      html`<nunect-event-log
        .capacity=${args.capacity}
        .visibleRows=${args.visibleRows}
        .paused=${args.paused}
        .types=${args.types}
        .account=${args.account}
        .text=${args.text}
        .showEchoes=${args.showEchoes}
      ></nunect-event-log>`,
      args.state === 'error' ? refuse : args.state === 'ready' || args.state === 'stale' ? feed(args.rate) : undefined,
    ),
};
export default meta;

type Story = StoryObj<Args>;

/** No server configured: the log says so. */
export const Unconfigured: Story = { args: { state: 'unconfigured' } };

/** The connection is being (re)established. */
export const Connecting: Story = { args: { state: 'connecting' } };

/**
 * `loading` is momentary for this widget: there is no request to wait for, so it is `ready`
 * ("Waiting for events…") as soon as its subscriptions are made.
 */
export const Loading: Story = { args: { state: 'loading' }, render: (args) => inState(args.state, html`<nunect-event-log></nunect-event-log>`) };

/** Events captured from nats-server 2.9.10 and 2.15.2, including a hostile client name shown as text. */
export const Ready: Story = { args: { state: 'ready' } };

/** Subscribed, no event yet. */
export const Waiting: Story = { args: { state: 'ready' }, render: (args) => inState(args.state, html`<nunect-event-log></nunect-event-log>`) };

/** A steady stream of 200 events per second into a buffer of 500. */
export const Live: Story = { args: { state: 'ready', rate: 200, capacity: 500 } };

/** Paused (half a second in) while events keep arriving: the rows stay, the arrivals are counted. */
export const Paused: Story = {
  args: { state: 'ready', rate: 20 },
  render: (args, context) =>
    html`<div ${ref((el) => el && setTimeout(() => ((el as Element).querySelector('nunect-event-log')!.paused = true), 500))}>
      ${meta.render!(args, context)}
    </div>`,
};

/** Filtered to disconnects and authentication errors. */
export const Filtered: Story = { args: { state: 'ready', types: ['disconnect', 'auth-error'] } };

/** Rows kept, marked stale, while the connection is lost. */
export const Stale: Story = { args: { state: 'stale' } };

/** The user is not in the system account: the $SYS subscriptions are refused. */
export const ErrorState: Story = { name: 'Error', args: { state: 'error' } };
