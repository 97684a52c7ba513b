/**
 * The authentication methods of connect() that the nunect stack's own config does not use — a
 * bearer token and a plain nkey — against real servers configured for them, in Node. (User and
 * password, JWT + seed and .creds: auth.node.test.ts; in Chromium: auth-manager.node.test.ts.)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createUser } from '@nats-io/nkeys';
import { connect } from '../../client/node.js';
import { equal, rejects, until } from '../support/assert.js';
import { TestNatsServer } from '../support/nats-server.js';

/** Listeners as in config/nats-server.conf (the harness sets these variables), plus `auth`. */
function config(dir: string, name: string, auth: string): string {
  const file = join(dir, `${name}.conf`);
  writeFileSync(
    file,
    `server_name: $NATS_SERVER_NAME
host: $NATS_HOST
port: $NATS_PORT
https_port: $NATS_HTTPS_PORT
tls { cert_file: $NATS_TLS_CERT, key_file: $NATS_TLS_KEY }
allow_non_tls: true
websocket { host: $NATS_WS_HOST, port: $NATS_WS_PORT, tls { cert_file: $NATS_TLS_CERT, key_file: $NATS_TLS_KEY } }
${auth}
`,
  );
  return file;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

describe(`token and nkey logins against nats-server ${process.env.NATS_SERVER_BIN ?? ''}`, () => {
  let dir: string;
  let tokenServer: TestNatsServer;
  let nkeyServer: TestNatsServer;
  const token = `t${Math.random().toString(36).slice(2)}x${Math.random().toString(36).slice(2)}`;
  const user = createUser();
  const seed = decoder.decode(user.getSeed());

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nunect-auth-methods-'));
    tokenServer = await TestNatsServer.start({ config: config(dir, 'token', `authorization { token: "${token}" }`) });
    nkeyServer = await TestNatsServer.start({ config: config(dir, 'nkey', `authorization { users: [ { nkey: ${user.getPublicKey()} } ] }`) });
  });
  after(async () => {
    await tokenServer?.stop();
    await nkeyServer?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('connect({ token }) logs in, and a wrong token is an AUTHORIZATION error', { timeout: 30_000 }, async () => {
    const { wsUrl, ca } = tokenServer.info;
    const c = await connect({ servers: wsUrl, ca, token, timeout: 5_000 });
    equal(c.authMethod, 'token');
    const got: string[] = [];
    c.subscribe('t.x', { onMessage: (m) => got.push(m.string()) });
    await c.flush();
    c.publish('t.x', 'with a token');
    await c.flush();
    await until(() => got.length === 1, 5_000, 'the message');
    equal(got[0], 'with a token');
    await c.close();
    await rejects(() => connect({ servers: wsUrl, ca, token: 'wrong', timeout: 5_000 }), 'AUTHORIZATION');
  });

  test('connect({ nkey }) signs the nonce with the seed; another seed is refused', { timeout: 30_000 }, async () => {
    const { wsUrl, ca } = nkeyServer.info;
    const c = await connect({ servers: wsUrl, ca, nkey: seed, timeout: 5_000 });
    equal(c.authMethod, 'nkey');
    const echo = c.subscribe('n.echo', { onMessage: (m) => m.respond(encoder.encode(`echo:${m.string()}`)) });
    await c.flush();
    equal((await c.request('n.echo', 'hi', { timeout: 5_000 })).string(), 'echo:hi');
    echo.unsubscribe();
    await c.close();
    const stranger = decoder.decode(createUser().getSeed());
    await rejects(() => connect({ servers: wsUrl, ca, nkey: stranger, timeout: 5_000 }), 'AUTHORIZATION');
  });
});
