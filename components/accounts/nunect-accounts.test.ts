import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import './define.js';
import '../provider/define.js';
import type { NunectProvider } from '../provider/nunect-provider.js';
import type { NunectAccounts } from './nunect-accounts.js';
import { asClient, FakeClient, FIXTURES } from '../../test/support/fake-client.js';
import { textOf, widgetSuite } from '../../test/support/widget-suite.js';

widgetSuite('nunect-accounts', { kinds: ['ACCOUNTZ', 'ACCOUNT.PING.STATZ'], readyText: 'BRIDGE' });

interface Envelope<T> {
  server: { name: string; id: string; [k: string]: unknown };
  data: T;
}

async function mount(fake: FakeClient): Promise<NunectAccounts> {
  const provider = await fixture<NunectProvider>(html`<nunect-provider><nunect-accounts .interval=${100}></nunect-accounts></nunect-provider>`);
  provider.client = asClient(fake);
  const el = provider.querySelector('nunect-accounts')!;
  await waitUntil(() => el.state === 'ready', `ready: ${textOf(el)}`, { timeout: 3_000 });
  return el;
}

function rows(el: NunectAccounts): string[][] {
  return [...el.shadowRoot!.querySelectorAll('tbody tr')].map((tr) =>
    [...tr.querySelectorAll('th, td')].map((c) => c.textContent!.replace(/\s+/g, ' ').trim()),
  );
}

describe('<nunect-accounts>', () => {
  it('shows the account statistics of $SYS.REQ.ACCOUNT.PING.STATZ', async () => {
    const fake = new FakeClient();
    const el = await mount(fake);
    const asked = fake.requests.find((r) => r.subject.endsWith('.STATZ'))!;
    expect(asked.subject).to.equal('$SYS.REQ.ACCOUNT.PING.STATZ');
    expect(asked.body).to.deep.equal({ include_unused: true });
    expect(rows(el)).to.deep.equal([
      ['BRIDGE', '1', '0', '1', '622', '522', '5.4 KiB', '5.5 KiB'],
      ['ENGINE', '2', '0', '2', '100', '100', '190 B', '190 B'],
      ['PROVISION', '1', '0', '1', '1', '0', '2 B', '0 B'],
      ['SYS system', '1', '0', '1', '10', '47', '144 B', '33.9 KiB'],
      ['$G (global account)', '0', '0', '0', '0', '0', '0 B', '0 B'],
    ]);
    await expect(el).to.be.accessible();
  });

  it('sums the servers of a cluster, leaf nodes included', async () => {
    const fake = new FakeClient();
    const second = structuredClone(FIXTURES['ACCOUNT.PING.STATZ']![0]) as Envelope<{ account_statz: Array<Record<string, unknown>> }>;
    second.server = { ...second.server, name: 'nats-b', id: 'NB' };
    second.data.account_statz = [
      { acc: 'BRIDGE', conns: 0, leafnodes: 1, total_conns: 1, sent: { msgs: 20, bytes: 2_000 }, received: { msgs: 10, bytes: 1_000 } },
    ];
    fake.respond('ACCOUNT.PING.STATZ', [FIXTURES['ACCOUNT.PING.STATZ']![0], second]);
    const el = await mount(fake);
    expect(rows(el)[0]).to.deep.equal(['BRIDGE', '1', '1', '2', '632', '542', '6.4 KiB', '7.4 KiB']);
  });

  it('shows account names as text, never as markup', async () => {
    const fake = new FakeClient();
    const accountz = structuredClone(FIXTURES.ACCOUNTZ![0]) as Envelope<{ accounts: string[] }>;
    accountz.data.accounts.push('<img src=x onerror=alert(1)>');
    fake.respond('ACCOUNTZ', [accountz]);
    const el = await mount(fake);
    expect(textOf(el)).to.contain('<img src=x onerror=alert(1)>');
    expect(el.shadowRoot!.querySelector('img')).to.be.null;
  });

  it('labels operator-mode account keys with the name the server reports (2.10+)', async () => {
    const fake = new FakeClient();
    const key = 'ABJHLOVMPA4CI6R5KLNGOB4GSLNIY7IOUPAJC4YFNDLQVIOBYQGUWVLA';
    const statz = structuredClone(FIXTURES['ACCOUNT.PING.STATZ']![0]) as Envelope<{ account_statz: Array<Record<string, unknown>> }>;
    statz.data.account_statz = [{ acc: key, name: 'Billing', conns: 2, leafnodes: 0, total_conns: 2 }];
    fake.respond('ACCOUNT.PING.STATZ', [statz]);
    const el = await mount(fake);
    expect(textOf(el)).to.contain('Billing ABJHLOVM…');
    await expect(el).to.be.accessible();
  });
});
