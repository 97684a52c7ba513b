import { expect } from '@open-wc/testing';
import { connect, NunectError } from '../../client/index.js';
import { authMethod, buildAuthenticator } from '../../client/auth.js';

async function failure(p: Promise<unknown>): Promise<NunectError> {
  try {
    await p;
  } catch (err) {
    return err as NunectError;
  }
  throw new Error('expected a rejection');
}

const SEED = 'SUAM7RQBOZ3ONHXDVRBLLKK7I4KQNBRB2CQMSM3RJ2TRWXT2RYJ4SVYG3Q'.slice(0, 58);

describe('connect() options', () => {
  it('refuses a missing or non-WebSocket server URL', async () => {
    expect((await failure(connect({ servers: [] }))).code).to.equal('INVALID_OPTIONS');
    const e = await failure(connect({ servers: 'nats://127.0.0.1:4222' }));
    expect(e.code).to.equal('INVALID_OPTIONS');
    expect(e.message).to.match(/not a WebSocket URL/);
    expect((await failure(connect({ servers: 'not a url' }))).message).to.match(/not a URL/);
  });

  it('refuses credentials in the URL, and does not echo them', async () => {
    const e = await failure(connect({ servers: 'wss://admin:s3cret@127.0.0.1:8443' }));
    expect(e.code).to.equal('INVALID_OPTIONS');
    expect(e.message).to.not.contain('s3cret');
  });

  it('refuses two authentication methods at once', async () => {
    const e = await failure(connect({ servers: 'wss://127.0.0.1:1', user: 'a', pass: 'b', token: 't' }));
    expect(e.code).to.equal('INVALID_OPTIONS');
    expect(e.message).to.match(/user \+ token/);
  });

  it('refuses the Node-only ca option in the browser', async () => {
    const e = await failure(connect({ servers: 'wss://127.0.0.1:1', ca: 'PEM' }));
    expect(e.code).to.equal('INVALID_OPTIONS');
    expect(e.message).to.match(/Node only/);
  });

  it('picks the authentication method and validates keys without echoing them', async () => {
    expect(authMethod({})).to.equal('none');
    expect(authMethod({ user: 'u', pass: 'p' })).to.equal('user');
    expect(authMethod({ token: 't' })).to.equal('token');
    expect(authMethod({ nkey: SEED })).to.equal('nkey');
    expect(authMethod({ jwt: 'j', seed: SEED })).to.equal('jwt');
    expect(authMethod({ creds: 'c' })).to.equal('creds');
    for (const bad of [{ nkey: 'SUNOTASEED' }, { jwt: 'x' }, { creds: 'not a creds file' }, { token: '' }, { pass: 'p' }]) {
      let error: NunectError | undefined;
      try {
        await buildAuthenticator(bad);
      } catch (err) {
        error = err as NunectError;
      }
      expect(error?.code, JSON.stringify(bad)).to.equal('INVALID_OPTIONS');
      expect(error!.message).to.not.contain('SUNOTASEED');
    }
  });
});

describe('key-based authentication', () => {
  it('signs the server nonce with the nkey seed (nkey, jwt + seed, and .creds logins)', async () => {
    const nkeys = await import('@nats-io/nkeys');
    const kp = nkeys.createUser();
    const seed = new TextDecoder().decode(kp.getSeed());
    const nonce = new TextEncoder().encode('nonce-123');
    const verify = (auth: { nkey?: string; sig?: string }) => {
      expect(auth.nkey).to.equal(kp.getPublicKey());
      expect(nkeys.fromPublic(auth.nkey!).verify(nonce, nkeys.decode(auth.sig!))).to.equal(true);
    };
    verify((await buildAuthenticator({ nkey: seed }))!('nonce-123') as { nkey: string; sig: string });
    const withJwt = (await buildAuthenticator({ jwt: 'eyJhbGciOi.jwt.sig', seed }))!('nonce-123') as { jwt: string; nkey: string; sig: string };
    expect(withJwt.jwt).to.equal('eyJhbGciOi.jwt.sig');
    verify(withJwt);
    const creds = `-----BEGIN NATS USER JWT-----\neyJhbGciOi.creds.sig\n------END NATS USER JWT------\n\n************************* IMPORTANT *************************\nNKEY Seed printed below can be used to sign and prove identity.\n\n-----BEGIN USER NKEY SEED-----\n${seed}\n------END USER NKEY SEED------\n`;
    const fromCreds = (await buildAuthenticator({ creds }))!('nonce-123') as { jwt: string; nkey: string; sig: string };
    expect(fromCreds.jwt).to.equal('eyJhbGciOi.creds.sig');
    verify(fromCreds);
  });

  it('refuses a seed with a bad checksum before connecting', async () => {
    const bad = `SU${'A'.repeat(56)}`;
    let error: NunectError | undefined;
    await buildAuthenticator({ nkey: bad }).catch((e) => (error = e));
    expect(error?.code).to.equal('INVALID_OPTIONS');
    expect(error?.message).to.not.contain(bad);
  });
});
