import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import './define.js';
import '../varz/define.js';
import type { NunectProvider } from './nunect-provider.js';
import type { NunectVarz } from '../varz/nunect-varz.js';
import { asClient, FakeClient } from '../../test/support/fake-client.js';

// More of the provider (which connection wins, a provider added later): test/unit/connection-resolution.test.ts.
describe('<nunect-provider>', () => {
  it('gives its widgets its client', async () => {
    const provider = await fixture<NunectProvider>(html`<nunect-provider><nunect-varz .interval=${100}></nunect-varz></nunect-provider>`);
    provider.client = asClient(new FakeClient());
    const varz = provider.querySelector<NunectVarz>('nunect-varz')!;
    await waitUntil(() => varz.state === 'ready', `ready: ${varz.state}`, { timeout: 3_000 });
  });

  it('refuses a login with no server configured, with a clear error', async () => {
    const provider = await fixture<NunectProvider>(html`<nunect-provider></nunect-provider>`);
    const err = await provider.login({ user: 'u', pass: 'p' }).catch((e: { code: string }) => e);
    expect((err as { code: string }).code).to.equal('INVALID_OPTIONS');
  });
});
