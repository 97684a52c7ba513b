import { expect, html, waitUntil } from '@open-wc/testing';
import './define.js';
import type { NunectPublish } from './nunect-publish.js';
import { mountInProvider } from '../../test/support/fixtures.js';
import { textOf, widgetSuite } from '../../test/support/widget-suite.js';

// States, accessibility in each, retry, malformed replies, shared polling, cleanup.
widgetSuite('nunect-publish', { kinds: ['VARZ'], readyText: 'nunect-fixture' });

describe('<nunect-publish>', () => {
  it('lists every server with its connections', async () => {
    const { el } = await mountInProvider<NunectPublish>(html`<nunect-publish .interval=${100}></nunect-publish>`);
    await waitUntil(() => el.state === 'ready', `ready (is ${el.state}): ${textOf(el)}`);
    expect(textOf(el)).to.contain('nunect-fixture').and.contain('connections');
  });
});
