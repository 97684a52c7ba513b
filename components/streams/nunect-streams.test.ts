import { expect, html, waitUntil } from '@open-wc/testing';
import './define.js';
import type { NunectStreams } from './nunect-streams.js';
import { mountInProvider } from '../../test/support/fixtures.js';
import { textOf, widgetSuite } from '../../test/support/widget-suite.js';

// States, accessibility in each, retry, malformed replies, shared polling, cleanup.
widgetSuite('nunect-streams', { kinds: ['VARZ'], readyText: 'nunect-fixture' });

describe('<nunect-streams>', () => {
  it('lists every server with its connections', async () => {
    const { el } = await mountInProvider<NunectStreams>(html`<nunect-streams .interval=${100}></nunect-streams>`);
    await waitUntil(() => el.state === 'ready', `ready (is ${el.state}): ${textOf(el)}`);
    expect(textOf(el)).to.contain('nunect-fixture').and.contain('connections');
  });
});
