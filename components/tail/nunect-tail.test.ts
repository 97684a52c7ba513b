import { expect, html, waitUntil } from '@open-wc/testing';
import './define.js';
import type { NunectTail } from './nunect-tail.js';
import { mountInProvider } from '../../test/support/fixtures.js';
import { textOf, widgetSuite } from '../../test/support/widget-suite.js';

// States, accessibility in each, retry, malformed replies, shared polling, cleanup.
widgetSuite('nunect-tail', { kinds: ['VARZ'], readyText: 'nunect-fixture' });

describe('<nunect-tail>', () => {
  it('lists every server with its connections', async () => {
    const { el } = await mountInProvider<NunectTail>(html`<nunect-tail .interval=${100}></nunect-tail>`);
    await waitUntil(() => el.state === 'ready', `ready (is ${el.state}): ${textOf(el)}`);
    expect(textOf(el)).to.contain('nunect-fixture').and.contain('connections');
  });
});
