/** Widgets in HTTP mode: the monitor URL is asked with HTTP option names, and its reply is shown. */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../components/varz/define.js';
import '../../components/provider/define.js';
import type { NunectProvider } from '../../components/provider/nunect-provider.js';
import { fetchMonitorHttp, httpQuery } from '../../client/monitor.js';
import varz from '../fixtures/2.9.10/varz.json' with { type: 'json' };

describe('HTTP monitor mode', () => {
  const realFetch = window.fetch;
  let asked: string[] = [];
  let reply: () => Response;

  beforeEach(() => {
    asked = [];
    reply = () => new Response(JSON.stringify(varz[0]!.data), { status: 200 });
    window.fetch = async (input: RequestInfo | URL) => {
      asked.push(String(input));
      return reply();
    };
  });
  afterEach(() => {
    window.fetch = realFetch;
  });

  it('translates $SYS option names to the HTTP query names', () => {
    expect(httpQuery('SUBSZ', { subscriptions: true, account: 'BRIDGE', test: 'a.b' }).toString()).to.equal('subs=1&acc=BRIDGE&test=a.b');
    expect(httpQuery('CONNZ', { auth: true, acc: 'X', subscriptions_detail: true, state: 1 }).toString()).to.equal('auth=1&acc=X&subs=detail&state=1');
    expect(httpQuery('JSZ', { account: 'A', consumer: true }).toString()).to.equal('acc=A&consumers=1');
  });

  it('polls the monitor URL instead of $SYS and renders the server', async () => {
    const provider = await fixture<NunectProvider>(
      html`<nunect-provider monitor-url="https://nats.example.com:8444"><nunect-varz .interval=${100}></nunect-varz></nunect-provider>`,
    );
    const el = provider.querySelector('nunect-varz')!;
    await waitUntil(() => el.shadowRoot!.textContent!.includes('nunect-fixture'), 'varz from HTTP', { timeout: 3_000 });
    expect(asked[0]).to.equal('https://nats.example.com:8444/varz');
  });

  it('reports malformed and failing replies as errors', async () => {
    reply = () => new Response('not json', { status: 200 });
    let error: Error | undefined;
    await fetchMonitorHttp('https://x', 'VARZ').catch((e) => (error = e));
    expect(error?.message).to.match(/malformed VARZ reply/);
    reply = () => new Response('nope', { status: 500 });
    await fetchMonitorHttp('https://x', 'VARZ').catch((e) => (error = e));
    expect(error?.message).to.match(/HTTP 500/);
  });
});
