/**
 * <nunect-tail> and <nunect-publish> in Chromium against a real nats-server, logged in as the
 * read-only `bridge-viewer`: the tail on `bridge.>` counts every one of 10,000 messages exactly
 * while paused (the view frozen, "4,000 new while paused") and resumed; a message published from
 * the publish widget with headers reaches the tail with the headers intact; a scatter-gather from
 * the widget collects the replies of 3 responders; a refused publish says so.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { connect, type NunectClient } from '../../client/index.js';
import '../../src/index.js';
import type { NunectProvider } from '../../components/provider/nunect-provider.js';
import type { NunectPublish } from '../../components/publish/nunect-publish.js';
import type { NunectTail } from '../../components/tail/nunect-tail.js';
import type { NatsServerInfo } from '../support/nats-server.js';

let server: NatsServerInfo;
let bridge: NunectClient;
const text = (el: Element | null) => (el?.shadowRoot?.textContent ?? '').replace(/\s+/g, ' ');

async function page(): Promise<{ provider: NunectProvider; tail: NunectTail; publish: NunectPublish }> {
  const provider = await fixture<NunectProvider>(
    html`<nunect-provider server=${server.wsUrl} connection-name="nunect-tail-test">
      <nunect-tail subject="bridge.>" capacity="20000"></nunect-tail>
      <nunect-publish storage-key=""></nunect-publish>
    </nunect-provider>`,
  );
  const viewer = server.roles['bridge-viewer'];
  await provider.login({ user: viewer.user, pass: viewer.pass });
  const tail = provider.querySelector('nunect-tail')!;
  const publish = provider.querySelector('nunect-publish')!;
  await waitUntil(() => tail.state === 'ready' && publish.state === 'ready', `ready (${tail.state}, ${publish.state}): ${text(tail)}`, { timeout: 10_000 });
  return { provider, tail, publish };
}

async function send(from: number, to: number) {
  for (let i = from; i < to; i++) bridge.publish(`bridge.burst.${i % 10}`, String(i));
  await bridge.flush();
}

describe('the tail and publish widgets against a real nats-server', () => {
  before(async () => {
    server = (await (await fetch('/__nunect/nats-server.json')).json()) as NatsServerInfo;
    bridge = await connect({ servers: server.wsUrl, user: server.users.BRIDGE.user, pass: server.users.BRIDGE.pass, name: 'nunect-tail-publisher' });
  });
  after(async () => {
    await bridge?.close();
  });

  it('counts every one of 10,000 messages on bridge.> exactly while paused and resumed', async () => {
    const { provider, tail } = await page();
    const counts = () => (tail.shadowRoot!.querySelector('[part="counts"]')?.textContent ?? '').replace(/\s+/g, ' ');
    await send(0, 3_000);
    await waitUntil(() => tail.received === 3_000, `3,000 received (${tail.received})`, { timeout: 15_000 });
    tail.shadowRoot!.querySelector<HTMLButtonElement>('button.pause')!.click();
    await send(3_000, 7_000);
    await waitUntil(() => tail.received === 7_000, `7,000 received (${tail.received})`, { timeout: 15_000 });
    await tail.updateComplete;
    expect(counts()).to.contain('Paused · 4,000 new while paused').and.contain('7,000 received');
    const firstRow = () => (tail.shadowRoot!.querySelector('.body [role="row"]')?.textContent ?? '').replace(/\s+/g, ' ');
    expect(firstRow()).to.contain('2999');
    tail.shadowRoot!.querySelector<HTMLButtonElement>('button.pause')!.click();
    await send(7_000, 10_000);
    await waitUntil(() => tail.received === 10_000, `10,000 received (${tail.received})`, { timeout: 15_000 });
    await tail.updateComplete;
    expect(tail.evicted).to.equal(0);
    expect(counts()).to.contain('10,000 received · 0 evicted');
    expect(firstRow()).to.contain('9999');
    const payloads = tail.rows.map((r) => new TextDecoder().decode(r.msg.data));
    expect(payloads.every((p, i) => p === String(i))).to.equal(true);
    await provider.logout();
  });

  it('publishes with headers from the widget to the tail, intact; scatter-gathers 3 responders; says a refusal', async () => {
    const { provider, tail, publish } = await page();
    tail.subject = 'bridge.widget.>';
    await tail.updateComplete;
    await waitUntil(() => tail.state === 'ready', 'the tail reopened', { timeout: 10_000 });
    publish.subject = 'bridge.widget.hello';
    publish.headers = [
      { name: 'X-Tag', value: 'one' },
      { name: 'X-Tag', value: 'two' },
      { name: 'X-Text', value: 'héllo <b>wörld</b>' },
    ];
    publish.encoding = 'json';
    publish.payload = '{"hello": "<img src=x onerror=alert(1)>"}';
    await publish.updateComplete;
    expect((await publish.send())?.outcome).to.equal('ok');
    await waitUntil(() => tail.received === 1, 'the tail sees it', { timeout: 10_000 });
    const msg = tail.rows[0]!.msg;
    expect(msg.headers!.values('X-Tag')).to.deep.equal(['one', 'two']);
    expect(msg.headers!.get('X-Text')).to.equal('héllo <b>wörld</b>');
    await tail.updateComplete;
    tail.shadowRoot!.querySelector<HTMLButtonElement>('.body button.open')!.click();
    await tail.updateComplete;
    expect(tail.shadowRoot!.querySelector('.payload-body')!.textContent).to.equal('{\n  "hello": "<img src=x onerror=alert(1)>"\n}');
    expect(tail.shadowRoot!.querySelector('img, b')).to.equal(null);

    const subs = [1, 2, 3].map((i) =>
      bridge.subscribe('bridge.survey', { onMessage: (m) => m.respond(JSON.stringify({ server: { name: `responder-${i}` } })) }),
    );
    await bridge.flush();
    publish.mode = 'gather';
    publish.subject = 'bridge.survey';
    publish.quiet = 300;
    const gathered = await publish.send();
    expect(gathered?.outcome).to.equal('ok');
    expect(gathered!.replies.map((r) => r.responder).sort()).to.deep.equal(['responder-1', 'responder-2', 'responder-3']);
    await publish.updateComplete;
    expect(publish.shadowRoot!.querySelectorAll('[part="reply"]').length).to.equal(3);
    for (const s of subs) s.unsubscribe();

    publish.mode = 'publish';
    publish.subject = 'orders.created';
    await publish.updateComplete;
    const refused = await publish.send();
    // bridge-viewer may not publish there: the rights say so before sending (2.10+), the server refuses on 2.9.
    if (refused) expect(refused.outcome).to.equal('refused');
    else expect(text(publish)).to.contain('may not publish to orders.created');
    await provider.logout();
  });
});
