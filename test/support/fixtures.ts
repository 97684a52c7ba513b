/**
 * Test fixtures for widgets: a widget inside a <nunect-provider> whose connection is the fake
 * client (captured fixtures) and whose clock is a ManualClock, so a test controls data and time.
 */
import { fixture } from '@open-wc/testing';
import { render, type TemplateResult } from 'lit';
import { ManualClock } from '../../client/index.js';
import '../../components/provider/define.js';
import type { NunectProvider } from '../../components/provider/nunect-provider.js';
import { asClient, FakeClient } from './fake-client.js';

/** The moment the 2.9.10 fixtures were captured: a fixed "now" for tests that show times. */
export const CAPTURE_TIME = '2026-11-29T15:05:30Z';

export interface Mounted<T extends Element> {
  el: T;
  provider: NunectProvider;
  /** The fake connection (undefined when mounted without one: "unconfigured"). */
  fake?: FakeClient;
  clock: ManualClock;
}

export interface MountOptions {
  /** The fake client to connect with; `false` for none (unconfigured). Default a new FakeClient. */
  client?: FakeClient | false;
  /** The provider's clock. Default a ManualClock at {@link CAPTURE_TIME}. */
  clock?: ManualClock;
}

/**
 * Mounts `content` (one widget, e.g. html`<nunect-varz .interval=${100}></nunect-varz>`) in a
 * provider with a fake client and a manual clock; returns the widget (the provider's first child).
 */
export async function mountInProvider<T extends Element>(content: TemplateResult, options: MountOptions = {}): Promise<Mounted<T>> {
  const clock = options.clock ?? new ManualClock(CAPTURE_TIME);
  const fake = options.client === false ? undefined : (options.client ?? new FakeClient());
  const provider = await fixture<NunectProvider>(document.createElement('nunect-provider'));
  provider.clock = clock;
  render(content, provider);
  if (fake) provider.client = asClient(fake);
  await provider.updateComplete;
  return { el: provider.firstElementChild as T, provider, fake, clock };
}
