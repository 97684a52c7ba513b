import { expect, html, waitUntil } from '@open-wc/testing';
import './define.js';
import type { NunectKv } from './nunect-kv.js';
import { mountInProvider } from '../../test/support/fixtures.js';
import { textOf, widgetSuite } from '../../test/support/widget-suite.js';

// States, accessibility in each, retry, malformed replies, shared polling, cleanup.
widgetSuite('nunect-kv', { kinds: ['VARZ'], readyText: 'nunect-fixture' });

describe('<nunect-kv>', () => {
  it('lists every server with its connections', async () => {
    const { el } = await mountInProvider<NunectKv>(html`<nunect-kv .interval=${100}></nunect-kv>`);
    await waitUntil(() => el.state === 'ready', `ready (is ${el.state}): ${textOf(el)}`);
    expect(textOf(el)).to.contain('nunect-fixture').and.contain('connections');
  });
});
