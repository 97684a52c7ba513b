/**
 * <nunect-services> in Chromium against a real nats-server: BRIDGE runs two versions of a service
 * (started in the page with @nats-io/services); logged in as the read-only `bridge-viewer`, the
 * widget shows them grouped with version skew and their endpoints, then one stopped as not
 * answering; logged in as `logger` (no $SRV rights) it says INFO is not allowed. The services
 * answer the protocol by hand (`@nats-io/services` is CommonJS: the dev server cannot import it
 * in the page); the Node test (services.node.test.ts) uses the library itself.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../src/index.js';
import { connect, userInboxPrefix, type NunectClient } from '../../client/index.js';
import type { NunectProvider } from '../../components/provider/nunect-provider.js';
import type { NunectServices } from '../../components/services/nunect-services.js';
import { infoBody, pingBody, statsBody, type FakeInstance } from '../../components/services/services-source.fake.js';
import type { NatsServerInfo } from '../support/nats-server.js';

let server: NatsServerInfo;
let owner: NunectClient;
const services: Service[] = [];

const text = (el: Element | null) => (el?.shadowRoot?.textContent ?? '').replace(/\s+/g, ' ');

async function page(): Promise<NunectProvider> {
  return fixture<NunectProvider>(
    html`<nunect-provider server=${server.wsUrl} connection-name="nunect-services-test">
      <nunect-connection></nunect-connection>
      <nunect-services .interval=${300}></nunect-services>
    </nunect-provider>`,
  );
}

/** Logs in through the form, as a person would. */
async function logIn(provider: NunectProvider, user: string, pass: string) {
  const form = provider.querySelector('nunect-connection')!.shadowRoot!;
  await waitUntil(() => form.querySelector('#user'), 'the login form');
  const set = (id: string, value: string) => {
    const input = form.querySelector<HTMLInputElement>(`#${id}`)!;
    input.value = value;
    input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
  };
  set('user', user);
  set('pass', pass);
  form.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
}

interface Service {
  info(): { id: string };
  requests: number;
  isStopped: boolean;
  stop(): Promise<void>;
}

/** A service instance answering $SRV.PING/INFO/STATS (every form) and its endpoint, over `owner`. */
async function startEcho(version: string): Promise<Service> {
  const id = `ECHO${version.replace(/\./g, '')}${Math.random().toString(36).slice(2, 10).toUpperCase()}`;
  const started = new Date().toISOString();
  const me = (): FakeInstance => ({
    name: 'browser-echo',
    id,
    version,
    description: 'Says it back',
    started,
    endpoints: [{ name: 'say', subject: 'bridge.browser.echo', requests: svc.requests }],
  });
  const subs = [
    owner.subscribe('bridge.browser.echo', { queue: 'q', onMessage: (m) => (svc.requests++, m.respond(m.data)) }),
    ...['', '.browser-echo', `.browser-echo.${id}`].map((tail) =>
      owner.subscribe(`$SRV.*${tail}`, {
        onMessage: (m) => {
          const verb = m.subject.split('.')[1];
          m.respond(JSON.stringify(verb === 'INFO' ? infoBody(me()) : verb === 'STATS' ? statsBody(me()) : pingBody(me())));
        },
      }),
    ),
  ];
  const svc: Service = {
    info: () => ({ id }),
    requests: 0,
    isStopped: false,
    stop: async () => {
      svc.isStopped = true;
      for (const s of subs) s.unsubscribe();
      await owner.flush();
    },
  };
  services.push(svc);
  await owner.flush();
  return svc;
}

describe('<nunect-services> against a real nats-server', () => {
  before(async () => {
    server = (await (await fetch('/__nunect/nats-server.json')).json()) as NatsServerInfo;
    const u = server.users.BRIDGE;
    owner = await connect({ servers: server.wsUrl, user: u.user, pass: u.pass, inboxPrefix: userInboxPrefix(u.user), name: 'services-owner' });
  });
  after(async () => {
    for (const s of services) await s.stop().catch(() => {});
    await owner?.close();
  });

  it('shows the services of the account grouped by version, then a stopped instance as not answering', async () => {
    const a = await startEcho('3.0.0');
    const b = await startEcho('3.1.0');
    await owner.request('bridge.browser.echo', 'hello');
    const provider = await page();
    const viewer = server.roles['bridge-viewer'];
    await logIn(provider, viewer.user, viewer.pass);
    const el = provider.querySelector<NunectServices>('nunect-services')!;
    await waitUntil(() => text(el).includes(b.info().id), `both instances: ${text(el)}`, { timeout: 10_000 });
    expect(text(el)).to.contain('browser-echo').and.contain('version skew: 3.0.0, 3.1.0 running').and.contain('bridge.browser.echo');
    const echo = el.groups.find((g) => g.name === 'browser-echo')!;
    expect(echo.versions.map((v) => v.version)).to.deep.equal(['3.0.0', '3.1.0']);
    const said = el.instances.filter((i) => i.name === 'browser-echo').reduce((n, i) => n + (i.endpoints[0]?.stats?.requests ?? 0), 0);
    expect(said, 'the one request').to.equal(1);
    await b.stop();
    await waitUntil(() => !!el.shadowRoot!.querySelector('tr.absent'), `the stopped one missing: ${text(el)}`, { timeout: 10_000 });
    expect(el.shadowRoot!.querySelector('tr.absent')!.textContent).to.contain(b.info().id).and.contain('not answering');
    expect(a.isStopped).to.equal(false);
    await expect(el).to.be.accessible();
  });

  it('tells a user without $SRV rights that INFO is not allowed', async () => {
    const provider = await page();
    const logger = server.roles.logger;
    await logIn(provider, logger.user, logger.pass);
    const el = provider.querySelector<NunectServices>('nunect-services')!;
    await waitUntil(() => el.state === 'error', `error (is ${el.state}): ${text(el)}`, { timeout: 10_000 });
    expect(text(el)).to.contain('INFO not allowed').and.not.contain('No services answer');
  });
});
