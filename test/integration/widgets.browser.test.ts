/**
 * The widgets in Chromium against a real nats-server: login, live connections and events from
 * real clients, and an outage (SIGKILL, restart) with no duplicated subscriptions afterwards.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import '../../src/index.js';
import type { NunectProvider } from '../../components/provider/nunect-provider.js';
import type { NunectWidget } from '../../src/base/nunect-widget.js';
import type { NatsServerInfo } from '../support/nats-server.js';

let server: NatsServerInfo;

const text = (el: Element | null) => (el?.shadowRoot?.textContent ?? '').replace(/\s+/g, ' ');

interface ConnzReply {
  connections: Array<{ name?: string; subscriptions_list?: string[] }>;
}

async function page(): Promise<NunectProvider> {
  return fixture<NunectProvider>(
    html`<nunect-provider server=${server.wsUrl} connection-name="nunect-widget-test">
      <nunect-connection></nunect-connection>
      <nunect-varz .interval=${300}></nunect-varz>
      <nunect-connz .interval=${300}></nunect-connz>
      <nunect-event-log></nunect-event-log>
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

describe('widgets against a real nats-server', () => {
  before(async () => {
    server = (await (await fetch('/__nunect/nats-server.json')).json()) as NatsServerInfo;
  });

  it('shows three named clients in the connections table and their CONNECT and DISCONNECT events', async () => {
    const provider = await page();
    await logIn(provider, server.users.SYS.user, server.users.SYS.pass);
    const connz = provider.querySelector('nunect-connz')!;
    const log = provider.querySelector('nunect-event-log')!;
    await waitUntil(() => (log as NunectWidget).state === 'ready', 'the event log subscribed', { timeout: 5_000 });
    const names = ['probe-alpha', 'probe-beta', '<img src=x onerror=alert(1)>'];
    for (const name of names) await executeServerCommand('nats-client-open', { name, account: 'ENGINE' });
    await waitUntil(() => names.every((n) => text(connz).includes(n)), `all three in connz: ${text(connz)}`, { timeout: 5_000 });
    await waitUntil(() => names.every((n) => text(log).includes(n)), 'three CONNECT rows', { timeout: 5_000 });
    expect(connz.shadowRoot!.querySelector('img')).to.equal(null);
    expect(log.shadowRoot!.querySelector('img')).to.equal(null);
    for (const name of names) await executeServerCommand('nats-client-close', { name });
    await waitUntil(() => (text(log).match(/Disconnect/g) ?? []).length >= 3, `three DISCONNECT rows: ${text(log)}`, { timeout: 5_000 });
    await provider.logout();
  });

  it('a wrong password in the login form shows the authorization error', async () => {
    const provider = await page();
    await logIn(provider, server.users.SYS.user, 'wrong-password');
    const connection = provider.querySelector('nunect-connection')!;
    await waitUntil(() => /refused the credentials/.test(text(connection)), `the error: ${text(connection)}`, { timeout: 5_000 });
    expect(provider.hub.status.state).to.equal('error');
  });

  it('turns stale when the server is killed and live again after its restart, without duplicated subscriptions', async () => {
    const provider = await page();
    await logIn(provider, server.users.SYS.user, server.users.SYS.pass);
    const varz = provider.querySelector('nunect-varz') as NunectWidget;
    const log = provider.querySelector('nunect-event-log') as NunectWidget;
    await waitUntil(() => varz.state === 'ready' && log.state === 'ready', 'ready', { timeout: 5_000 });
    // A row in the log, so the log has something to keep during the outage.
    await executeServerCommand('nats-client-open', { name: 'probe-outage' });
    await waitUntil(() => text(log).includes('probe-outage'), 'the CONNECT row', { timeout: 5_000 });
    await executeServerCommand('nats-client-close', { name: 'probe-outage' });
    const subsBefore = ((await executeServerCommand('nats-connz')) as ConnzReply).connections
      .find((c) => c.name === 'nunect-widget-test')!
      .subscriptions_list!.slice()
      .sort();
    await executeServerCommand('nats-kill');
    await waitUntil(() => varz.state === 'stale' && log.state === 'stale', `stale: ${varz.state}/${log.state}`, { timeout: 10_000 });
    expect(text(varz)).to.contain(server.name);
    expect(text(log)).to.contain('probe-outage');
    await executeServerCommand('nats-start');
    await waitUntil(() => varz.state === 'ready' && log.state === 'ready', `live again: ${varz.state}/${log.state}`, { timeout: 20_000 });
    let mine: string[] = [];
    await waitUntil(
      async () => {
        const connz = (await executeServerCommand('nats-connz')) as ConnzReply;
        mine = connz.connections.find((c) => c.name === 'nunect-widget-test')?.subscriptions_list ?? [];
        return mine.length >= subsBefore.length;
      },
      'the page connection back on the server',
      { timeout: 10_000 },
    );
    const subjects = mine.slice().sort();
    expect(new Set(subjects).size, `no duplicates in ${subjects.join(', ')}`).to.equal(subjects.length);
    expect(subjects.filter((s) => s.startsWith('$SYS.'))).to.deep.equal(subsBefore.filter((s) => s.startsWith('$SYS.')));
    await provider.logout();
  });
});
