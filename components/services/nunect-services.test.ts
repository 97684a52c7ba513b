import { expect, html, waitUntil } from '@open-wc/testing';
import './define.js';
import type { NunectServices } from './nunect-services.js';
import { mountInProvider } from '../../test/support/fixtures.js';
import { textOf, widgetSuite } from '../../test/support/widget-suite.js';

// States, accessibility in each, retry, malformed replies, shared polling, cleanup.
widgetSuite('nunect-services', { kinds: ['VARZ'], readyText: 'nunect-fixture' });

describe('<nunect-services>', () => {
  it('lists every server with its connections', async () => {
    const { el } = await mountInProvider<NunectServices>(html`<nunect-services .interval=${100}></nunect-services>`);
    await waitUntil(() => el.state === 'ready', `ready (is ${el.state}): ${textOf(el)}`);
    expect(textOf(el)).to.contain('nunect-fixture').and.contain('connections');
  });
});
