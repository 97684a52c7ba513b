import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { NunectError, type AuthOptions } from '../../client/index.js';
import './define.js';
import '../provider/define.js';
import type { NunectProvider } from '../provider/nunect-provider.js';
import type { NunectConnection } from './nunect-connection.js';
import { asClient, FakeClient } from '../../test/support/fake-client.js';
import { textOf } from '../../test/support/widget-suite.js';

const SECRET = 'pa55-w0rd-not-in-the-dom';

async function mount(server = ''): Promise<{ provider: NunectProvider; el: NunectConnection }> {
  const provider = await fixture<NunectProvider>(
    html`<nunect-provider server=${server}><nunect-connection .rttInterval=${50}></nunect-connection></nunect-provider>`,
  );
  const el = provider.querySelector('nunect-connection')!;
  await el.updateComplete;
  return { provider, el };
}

/** A fake client that also answers rtt(). */
function fakeClient(rtt = 1.5): FakeClient & { rttCalls: number } {
  const fake = new FakeClient() as FakeClient & { rttCalls: number; rtt: () => Promise<number> };
  fake.rttCalls = 0;
  fake.rtt = async () => {
    fake.rttCalls++;
    return rtt;
  };
  return fake;
}

/** The control labelled `label` (by its <label for>), or null. */
function field<T extends HTMLElement = HTMLInputElement>(el: NunectConnection, label: string): T | null {
  const l = [...el.shadowRoot!.querySelectorAll('label')].find((x) => x.textContent?.trim() === label);
  return l ? (el.shadowRoot!.getElementById(l.htmlFor) as T | null) : null;
}

function button(el: NunectConnection, text: string): HTMLButtonElement | undefined {
  return [...el.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent?.trim() === text);
}

function type(input: HTMLInputElement | null, value: string): void {
  expect(input, 'the input').to.exist;
  input!.value = value;
  input!.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
}

async function choose(el: NunectConnection, method: string): Promise<void> {
  const select = field<HTMLSelectElement>(el, 'Log in with')!;
  select.value = method;
  select.dispatchEvent(new Event('change', { bubbles: true }));
  await el.updateComplete;
}

async function stateIs(el: NunectConnection, state: string) {
  await waitUntil(() => el.state === state, `state ${state} (is ${el.state}): ${textOf(el)}`, { timeout: 3_000 });
  await el.updateComplete;
}

/** Every attribute value in the element, its shadow DOM and its ancestors up to the document. */
function allAttributes(el: NunectConnection): string[] {
  const elements = [el, ...el.shadowRoot!.querySelectorAll('*')];
  for (let p = el.parentElement; p; p = p.parentElement) elements.push(p);
  return elements.flatMap((e) => [...e.attributes].map((a) => `${a.name}=${a.value}`));
}

describe('<nunect-connection>', () => {
  it('asks for the server when none is configured, with labelled fields, accessibly', async () => {
    const { el } = await mount();
    await stateIs(el, 'unconfigured');
    expect(el.connectionState).to.equal('unconfigured');
    expect(textOf(el)).to.contain('No server configured');
    expect(field(el, 'Server'), 'Server').to.exist;
    expect(field(el, 'User'), 'User').to.exist;
    expect(field(el, 'Password')?.type).to.equal('password');
    await expect(el).to.be.accessible();
  });

  it('shows every method with accessible labels', async () => {
    const { el } = await mount('wss://nats.example.com:8443');
    await choose(el, 'token');
    expect(field(el, 'Token')?.type).to.equal('password');
    expect(field(el, 'User')).to.equal(null);
    await expect(el).to.be.accessible();
    await choose(el, 'creds');
    expect(field(el, 'Credentials file')?.type).to.equal('file');
    await expect(el).to.be.accessible();
    await choose(el, 'nkey');
    expect(field(el, 'Nkey seed')?.type).to.equal('password');
    await expect(el).to.be.accessible();
    await choose(el, 'jwt');
    expect(field(el, 'JWT')?.type).to.equal('password');
    expect(field(el, 'Seed')?.type).to.equal('password');
    await expect(el).to.be.accessible();
  });

  it('logs in with an nkey seed, and with a JWT and its seed, then clears them', async () => {
    const { provider, el } = await mount('wss://nats.example.com:8443');
    const calls: AuthOptions[] = [];
    provider.hub.login = async (c: AuthOptions) => void calls.push(c);
    const seed = `SU${'B'.repeat(56)}`;
    await choose(el, 'nkey');
    type(field(el, 'Nkey seed'), seed);
    button(el, 'Log in')!.click();
    await waitUntil(() => calls.length === 1, 'nkey login');
    await provider.logout();
    await choose(el, 'jwt');
    type(field(el, 'JWT'), 'eyJ0eXAiOiJKV1QifQ.payload.sig');
    type(field(el, 'Seed'), seed);
    button(el, 'Log in')!.click();
    await waitUntil(() => calls.length === 2, 'jwt login');
    expect(calls).to.deep.equal([{ nkey: seed }, { jwt: 'eyJ0eXAiOiJKV1QifQ.payload.sig', seed }]);
    await el.updateComplete;
    expect(allAttributes(el).filter((a) => a.includes(seed))).to.deep.equal([]);
  });

  it('is idle with a server configured and not logged in, accessibly', async () => {
    const { el } = await mount('wss://nats.example.com:8443');
    await stateIs(el, 'unconfigured');
    expect(el.connectionState).to.equal('idle');
    expect(textOf(el)).to.contain('Not connected');
    expect(textOf(el)).to.contain('wss://nats.example.com:8443');
    expect(field(el, 'Server'), 'no Server field when the hub has one').to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('logs in with exactly the user and password typed, shows connecting, then clears the password', async () => {
    const { provider, el } = await mount('wss://nats.example.com:8443');
    const calls: AuthOptions[] = [];
    let finish!: () => void;
    provider.hub.login = (c: AuthOptions) => {
      calls.push(c);
      return new Promise<void>((resolve) => (finish = resolve));
    };
    type(field(el, 'User'), 'alice');
    type(field(el, 'Password'), SECRET);
    const loggedIn = oneEvent(el, 'nunect-login');
    button(el, 'Log in')!.click();
    await stateIs(el, 'connecting');
    expect(textOf(el)).to.contain('Connecting');
    await expect(el).to.be.accessible();
    finish();
    const event = await loggedIn;
    expect(calls).to.deep.equal([{ user: 'alice', pass: SECRET }]);
    expect(event.detail).to.deep.equal({ method: 'user' });
    expect(JSON.stringify(event.detail)).not.to.contain(SECRET);
    await el.updateComplete;
    expect(field(el, 'Password')!.value, 'password field emptied').to.equal('');
    const leaks = allAttributes(el).filter((a) => a.includes(SECRET) || a.includes('alice'));
    expect(leaks, 'attributes holding credentials').to.deep.equal([]);
  });

  it('shows why the server refused the credentials, accessibly, and keeps them out of the DOM', async () => {
    const { provider, el } = await mount('wss://nats.example.com:8443');
    provider.hub.login = async () => {
      throw new NunectError('AUTHORIZATION', 'connecting: the server refused the credentials (Authorization Violation)');
    };
    type(field(el, 'User'), 'mallory');
    type(field(el, 'Password'), SECRET);
    button(el, 'Log in')!.click();
    await stateIs(el, 'error');
    expect(textOf(el)).to.contain('the server refused the credentials');
    expect(el.shadowRoot!.querySelector('[role="alert"]')?.textContent).to.contain('Authorization Violation');
    await expect(el).to.be.accessible();
    expect(
      allAttributes(el).filter((a) => a.includes(SECRET)),
      'attributes holding the password',
    ).to.deep.equal([]);
  });

  it('logs in with a token', async () => {
    const { provider, el } = await mount('wss://nats.example.com:8443');
    const calls: AuthOptions[] = [];
    provider.hub.login = async (c: AuthOptions) => void calls.push(c);
    await choose(el, 'token');
    type(field(el, 'Token'), SECRET);
    const loggedIn = oneEvent(el, 'nunect-login');
    button(el, 'Log in')!.click();
    expect((await loggedIn).detail).to.deep.equal({ method: 'token' });
    expect(calls).to.deep.equal([{ token: SECRET }]);
    await el.updateComplete;
    expect(field(el, 'Token')!.value).to.equal('');
    expect(allAttributes(el).filter((a) => a.includes(SECRET))).to.deep.equal([]);
  });

  it('passes the content of the picked .creds file', async () => {
    const { provider, el } = await mount('wss://nats.example.com:8443');
    const calls: AuthOptions[] = [];
    provider.hub.login = async (c: AuthOptions) => void calls.push(c);
    await choose(el, 'creds');
    const content =
      '-----BEGIN NATS USER JWT-----\neyJ0eXAi.fake.jwt\n------END NATS USER JWT------\n\n-----BEGIN USER NKEY SEED-----\nSUAFAKESEED\n------END USER NKEY SEED------\n';
    const input = field(el, 'Credentials file')!;
    const transfer = new DataTransfer();
    transfer.items.add(new File([content], 'alice.creds', { type: 'text/plain' }));
    input.files = transfer.files;
    input.dispatchEvent(new Event('change', { bubbles: true }));
    const loggedIn = oneEvent(el, 'nunect-login');
    button(el, 'Log in')!.click();
    expect((await loggedIn).detail).to.deep.equal({ method: 'creds' });
    expect(calls).to.deep.equal([{ creds: content }]);
    expect(allAttributes(el).filter((a) => a.includes('SUAFAKESEED'))).to.deep.equal([]);
  });

  it('configures the server typed in the form before logging in', async () => {
    const { provider, el } = await mount();
    const seen: Array<{ servers: readonly string[]; credentials: AuthOptions }> = [];
    provider.hub.login = async (c: AuthOptions) => void seen.push({ servers: provider.hub.status.servers, credentials: c });
    type(field(el, 'Server'), 'wss://nats.example.com:8443');
    type(field(el, 'User'), 'alice');
    const loggedIn = oneEvent(el, 'nunect-login');
    button(el, 'Log in')!.click();
    await loggedIn;
    expect(seen).to.deep.equal([{ servers: ['wss://nats.example.com:8443'], credentials: { user: 'alice', pass: '' } }]);
  });

  it('shows the server, its name and version, the round-trip time and reconnects when connected, accessibly', async () => {
    const { provider, el } = await mount('wss://nats.example.com:8443');
    provider.client = asClient(fakeClient(1.5));
    await stateIs(el, 'ready');
    expect(el.connectionState).to.equal('connected');
    await waitUntil(() => textOf(el).includes('1.5 ms'), `the RTT: ${textOf(el)}`, { timeout: 3_000 });
    const text = textOf(el);
    expect(text).to.contain('Connected');
    expect(text).to.contain('127.0.0.1:4222');
    expect(text).to.contain('nunect-fixture');
    expect(text).to.contain('nats-server 2.9.10');
    expect(text).to.match(/Reconnects\s*0/);
    expect(field(el, 'Password'), 'no form when connected').to.equal(null);
    expect(button(el, 'Log out')).to.exist;
    await expect(el).to.be.accessible();
  });

  it('shows reconnecting, accessibly, and connected again after', async () => {
    const { provider, el } = await mount('wss://nats.example.com:8443');
    const fake = fakeClient();
    provider.client = asClient(fake);
    await stateIs(el, 'ready');
    fake.status = { ...fake.status, reconnects: 1 };
    fake.setState('reconnecting', new NunectError('CONNECTION_FAILED', 'lost the connection'));
    await stateIs(el, 'connecting');
    expect(el.connectionState).to.equal('reconnecting');
    expect(textOf(el)).to.contain('Reconnecting');
    expect(textOf(el)).to.match(/Reconnects\s*1/);
    await expect(el).to.be.accessible();
    fake.setState('connected');
    await stateIs(el, 'ready');
  });

  it('shows the reason when the connection failed, with a retry, accessibly', async () => {
    const { provider, el } = await mount('wss://nats.example.com:8443');
    const fake = fakeClient();
    provider.client = asClient(fake);
    await stateIs(el, 'ready');
    fake.setState('closed', new NunectError('CONNECTION_FAILED', 'gave up reconnecting'));
    await stateIs(el, 'error');
    expect(el.shadowRoot!.querySelector('[role="alert"]')?.textContent).to.contain('gave up reconnecting');
    expect(button(el, 'Retry')).to.exist;
    expect(field(el, 'User'), 'the form to log in again').to.exist;
    await expect(el).to.be.accessible();
  });

  it('logs out with the button, says so with an event, and stops measuring the round trip', async () => {
    const { provider, el } = await mount('wss://nats.example.com:8443');
    const fake = fakeClient();
    provider.client = asClient(fake);
    await stateIs(el, 'ready');
    await waitUntil(() => fake.rttCalls > 0, 'an RTT measurement');
    const loggedOut = oneEvent(el, 'nunect-logout');
    button(el, 'Log out')!.click();
    expect((await loggedOut).detail).to.deep.equal({ method: 'user' });
    await stateIs(el, 'unconfigured');
    expect(el.connectionState).to.equal('idle');
    expect(field(el, 'User')).to.exist;
    const calls = fake.rttCalls;
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.rttCalls, 'RTT measurements after logout').to.equal(calls);
  });

  it('stops measuring the round trip when removed', async () => {
    const { provider, el } = await mount('wss://nats.example.com:8443');
    const fake = fakeClient();
    provider.client = asClient(fake);
    await stateIs(el, 'ready');
    await waitUntil(() => fake.rttCalls > 0, 'an RTT measurement');
    el.remove();
    await new Promise((r) => setTimeout(r, 60));
    const calls = fake.rttCalls;
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.rttCalls, 'RTT measurements after removal').to.equal(calls);
  });

  it('logs in with the Enter key from the password field', async () => {
    const { provider, el } = await mount('wss://nats.example.com:8443');
    const calls: AuthOptions[] = [];
    provider.hub.login = async (c: AuthOptions) => void calls.push(c);
    type(field(el, 'User'), 'alice');
    const pass = field(el, 'Password')!;
    type(pass, SECRET);
    const loggedIn = oneEvent(el, 'nunect-login');
    pass.focus();
    await sendKeys({ press: 'Enter' });
    await loggedIn;
    expect(calls).to.deep.equal([{ user: 'alice', pass: SECRET }]);
  });

  it('moves the focus to Log out after logging in and back to the form after logging out', async () => {
    const { provider, el } = await mount('wss://nats.example.com:8443');
    const fake = fakeClient();
    provider.hub.login = async () => provider.hub.useClient(asClient(fake));
    type(field(el, 'User'), 'alice');
    field(el, 'User')!.focus();
    await sendKeys({ press: 'Enter' });
    await stateIs(el, 'ready');
    await waitUntil(() => el.shadowRoot!.activeElement === button(el, 'Log out'), 'focus on Log out');
    await sendKeys({ press: 'Enter' });
    await stateIs(el, 'unconfigured');
    await waitUntil(() => el.shadowRoot!.activeElement === field(el, 'Log in with'), 'focus on the first field');
  });
});
