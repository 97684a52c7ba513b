/**
 * FirstRenderQueue on a fake scheduler: which first render runs at once, which waits for a
 * painted frame, and in what order.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { FirstRenderQueue } from '../../src/controllers/first-render-queue.js';
import { FakeScheduler } from '../support/fake-scheduler.js';

/** One animation frame, then the task the queue posts after it. */
function paint(s: FakeScheduler): void {
  s.frame();
  s.advance(0);
}

describe('FirstRenderQueue', () => {
  it('renders a lone first render at once, and later renders of the same host at once', () => {
    const s = new FakeScheduler();
    const q = new FirstRenderQueue(s);
    const host = {};
    const renders: string[] = [];
    q.request(host, () => renders.push('first'));
    expect(renders).to.deep.equal(['first']);
    q.request(host, () => renders.push('again'));
    expect(renders).to.deep.equal(['first', 'again']);
  });

  it('lets the page paint between first renders, one host a frame', () => {
    const s = new FakeScheduler();
    const q = new FirstRenderQueue(s);
    const [a, b, c] = [{}, {}, {}];
    const renders: string[] = [];
    q.request(a, () => renders.push('a'));
    q.request(b, () => renders.push('b'));
    q.request(c, () => renders.push('c'));
    expect(renders).to.deep.equal(['a']);
    // A waiting host's further data does not render it before its turn.
    q.request(b, () => renders.push('b again'));
    expect(renders).to.deep.equal(['a']);
    paint(s);
    expect(renders).to.deep.equal(['a', 'b']);
    paint(s);
    expect(renders).to.deep.equal(['a', 'b', 'c']);
    paint(s);
    s.advance(1_000); // the fallback timers, which find the work done
    expect(s.idle, 'nothing scheduled once drained').to.equal(true);
    // Drained: the next first render runs at once again.
    q.request({}, () => renders.push('d'));
    expect(renders).to.deep.equal(['a', 'b', 'c', 'd']);
  });

  it('renders the waiting hosts in document order, the top of the page first', async () => {
    const page = await fixture<HTMLDivElement>(html`<div><i id="top"></i><i id="middle"></i><i id="bottom"></i></div>`);
    const [top, middle, bottom] = ['top', 'middle', 'bottom'].map((id) => page.querySelector(`#${id}`)!);
    const s = new FakeScheduler();
    const q = new FirstRenderQueue(s);
    const renders: string[] = [];
    q.request(middle!, () => renders.push('middle'));
    q.request(bottom!, () => renders.push('bottom'));
    q.request(top!, () => renders.push('top'));
    paint(s);
    paint(s);
    expect(renders).to.deep.equal(['middle', 'top', 'bottom']);
  });

  it('does not wait for frames that never come (a hidden tab)', () => {
    const s = new FakeScheduler();
    const q = new FirstRenderQueue(s);
    const renders: string[] = [];
    q.request({}, () => renders.push('a'));
    q.request({}, () => renders.push('b'));
    s.advance(99);
    expect(renders).to.deep.equal(['a']);
    s.advance(1);
    expect(renders).to.deep.equal(['a', 'b']);
  });

  it('keeps draining when a render throws', () => {
    const s = new FakeScheduler();
    const q = new FirstRenderQueue(s);
    const renders: string[] = [];
    q.request({}, () => renders.push('a'));
    q.request({}, () => {
      throw new Error('boom');
    });
    q.request({}, () => renders.push('c'));
    s.frame();
    expect(() => s.advance(0)).to.throw('boom');
    paint(s);
    expect(renders).to.deep.equal(['a', 'c']);
  });
});

describe('first renders on a page', () => {
  it('paints the top widget with data before the next one renders its first data', async () => {
    await import('../../components/varz/define.js');
    await import('../../components/provider/define.js');
    const { FakeClient, asClient } = await import('../support/fake-client.js');
    const provider = await fixture<HTMLElement & { client?: unknown }>(
      html`<nunect-provider><nunect-varz id="top"></nunect-varz><nunect-varz id="below"></nunect-varz></nunect-provider>`,
    );
    const [top, below] = ['top', 'below'].map((id) => provider.querySelector(`#${id}`)!);
    const cards = (el: Element) => el.shadowRoot!.querySelectorAll('section[part~="server"]').length;
    const seen = new Promise<number>((resolve) =>
      top!.addEventListener('nunect-state-change', (e) => {
        // After this task's microtasks (where the widget below rendered, had it not waited), and
        // before the frame the queue waits for: a timer set now runs before the one it sets then.
        if ((e as CustomEvent<{ state: string }>).detail.state === 'ready') setTimeout(() => resolve(cards(below!)), 0);
      }),
    );
    provider.client = asClient(new FakeClient());
    expect(await seen, 'the widget below has not rendered its data when the top one is ready').to.equal(0);
    expect(cards(top!)).to.be.greaterThan(0);
    await waitUntil(() => cards(below!) > 0, 'the widget below renders after a frame', { timeout: 3_000 });
  });
});
