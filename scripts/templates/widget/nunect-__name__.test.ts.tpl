import { expect, html, waitUntil } from '@open-wc/testing';
import './define.js';
import type { Nunect__Name__ } from './nunect-__name__.js';
import { mountInProvider } from '../../test/support/fixtures.js';
import { textOf, widgetSuite } from '../../test/support/widget-suite.js';

// States, accessibility in each, retry, malformed replies, shared polling, cleanup.
widgetSuite('nunect-__name__', { kinds: ['VARZ'], readyText: 'nunect-fixture' });

describe('<nunect-__name__>', () => {
  it('lists every server with its connections', async () => {
    const { el } = await mountInProvider<Nunect__Name__>(html`<nunect-__name__ .interval=${100}></nunect-__name__>`);
    await waitUntil(() => el.state === 'ready', `ready (is ${el.state}): ${textOf(el)}`);
    expect(textOf(el)).to.contain('nunect-fixture').and.contain('connections');
  });
});
