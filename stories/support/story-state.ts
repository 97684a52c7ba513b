/**
 * Puts a widget story in one of the widget states, fed by the fake client on fixtures captured
 * from a real server (test/fixtures). Usage in a story:
 *   render: (args) => inState(args.state, html`<nunect-varz></nunect-varz>`)
 */
import { html, type TemplateResult } from 'lit';
import { NunectError } from '../../client/index.js';
import '../../components/provider/define.js';
import { asClient, FakeClient } from '../../test/support/fake-client.js';

export const STATES = ['unconfigured', 'connecting', 'loading', 'ready', 'stale', 'error'] as const;
export type StoryState = (typeof STATES)[number];

/** Argument type for the state control of widget stories. */
export const stateArg = {
  state: { control: { type: 'select' as const }, options: STATES, description: 'Widget state (story only)' },
};

/** A fake client in the given state; `configure` may change its replies (e.g. more connections). */
export function storyClient(state: StoryState, configure?: (fake: FakeClient) => void): FakeClient | undefined {
  if (state === 'unconfigured') return undefined;
  const fake = new FakeClient();
  configure?.(fake);
  if (state === 'connecting') fake.setState('reconnecting', new NunectError('CONNECTION_FAILED', 'lost the connection'));
  if (state === 'loading') for (const k of fake.responders.keys()) fake.respond(k, () => new Promise(() => {}));
  if (state === 'error') {
    for (const k of fake.responders.keys()) {
      fake.respond(k, () => Promise.reject(new NunectError('PERMISSION_DENIED', `${k} needs a user of the system account (SYS)`)));
    }
  }
  if (state === 'stale') setTimeout(() => fake.setState('reconnecting', new NunectError('CONNECTION_FAILED', 'lost the connection')), 800);
  return fake;
}

/** Wraps `content` in a provider whose connection is in `state`. */
export function inState(state: StoryState, content: TemplateResult, configure?: (fake: FakeClient) => void): TemplateResult {
  const fake = storyClient(state, configure);
  return html`<nunect-provider .client=${fake ? asClient(fake) : undefined}>${content}</nunect-provider>`;
}
