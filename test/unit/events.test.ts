import { expect, html, oneEvent } from '@open-wc/testing';
import '../../components/varz/define.js';
import type { NunectVarz } from '../../components/varz/nunect-varz.js';
import { asClient, FakeClient } from '../support/fake-client.js';
import { mountInProvider } from '../support/fixtures.js';

describe('nunect events', () => {
  it('are typed on every element, bubble out of the shadow root, and are not cancelable', async () => {
    const states: string[] = [];
    const { el, provider } = await mountInProvider<NunectVarz>(html`<nunect-varz .interval=${100}></nunect-varz>`, { client: false });
    // Typed through HTMLElementEventMap: `e.detail.state` is a WidgetState, no cast.
    provider.addEventListener('nunect-state-change', (e) => states.push(e.detail.state));
    const next = oneEvent(el, 'nunect-state-change');
    provider.client = asClient(new FakeClient());
    const event = await next;
    expect(event.bubbles && event.composed, 'bubbles and composed').to.equal(true);
    expect(event.cancelable, 'not cancelable: nothing would change').to.equal(false);
    expect(states.length).to.be.greaterThan(0);
  });
});
