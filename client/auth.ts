import { tokenAuthenticator, usernamePasswordAuthenticator, type Authenticator } from '@nats-io/nats-core';
import { NunectError } from './errors.js';

/** The ways to authenticate to NATS. Pass at most one of them. */
export interface AuthOptions {
  /** User name, with `pass`. */
  user?: string;
  /** Password, with `user`. */
  pass?: string;
  /** A bearer token. */
  token?: string;
  /** An nkey seed (`SU…`): the user's private key. */
  nkey?: string;
  /** A user JWT; needs `seed`. */
  jwt?: string;
  /** The user's nkey seed that signs the server nonce, with `jwt`. */
  seed?: string;
  /** The content of a `.creds` file (JWT and seed). */
  creds?: string;
}

/** Which authentication method the options select: `none`, `user`, `token`, `nkey`, `jwt` or `creds`. */
export type AuthMethod = 'none' | 'user' | 'token' | 'nkey' | 'jwt' | 'creds';

const encoder = new TextEncoder();

/** Picks the one authentication method in `options`; contradictory options are an error. */
export function authMethod(options: AuthOptions): AuthMethod {
  const chosen: AuthMethod[] = [];
  if (options.user !== undefined || options.pass !== undefined) chosen.push('user');
  if (options.token !== undefined) chosen.push('token');
  if (options.nkey !== undefined) chosen.push('nkey');
  if (options.jwt !== undefined || options.seed !== undefined) chosen.push('jwt');
  if (options.creds !== undefined) chosen.push('creds');
  if (chosen.length > 1) {
    throw new NunectError('INVALID_OPTIONS', `pass one authentication method, not ${chosen.join(' + ')}`);
  }
  return chosen[0] ?? 'none';
}

type NKeys = typeof import('@nats-io/nkeys');
let nkeysModule: Promise<NKeys> | undefined;

/**
 * The nkeys library (ed25519, ~11 kB gzip in a browser bundle) is loaded only when a login signs
 * the server's nonce: user/password and token logins never load it.
 */
function loadNkeys(): Promise<NKeys> {
  return (nkeysModule ??= import('@nats-io/nkeys'));
}

const SEED = /^SU[A-Z2-7]{56}$/;
const CREDS_BLOCK = /\s*(?:(?:-{3,}[^\n]*-{3,}\n)(.+)(?:\n\s*-{3,}[^\n]*-{3,}\n))/gi;

/** Signs the server nonce with the user's seed (nkey auth), adding the JWT when there is one. */
async function signer(seed: string, what: string, jwt?: string): Promise<Authenticator> {
  if (!SEED.test(seed)) throw new NunectError('INVALID_OPTIONS', `${what} must be a user seed (58 characters starting with SU)`);
  const nkeys = await loadNkeys();
  let kp: ReturnType<NKeys['fromSeed']>;
  try {
    kp = nkeys.fromSeed(encoder.encode(seed));
  } catch {
    throw new NunectError('INVALID_OPTIONS', `${what} is not a valid nkey seed (checksum)`);
  }
  const nkey = kp.getPublicKey();
  return (nonce?: string) => {
    const sig = nonce ? nkeys.encode(kp.sign(encoder.encode(nonce))) : '';
    return jwt ? { jwt, nkey, sig } : { nkey, sig };
  };
}

/** Builds the nats-core authenticator for the options (undefined for no authentication). */
export async function buildAuthenticator(options: AuthOptions): Promise<Authenticator | undefined> {
  const method = authMethod(options);
  switch (method) {
    case 'none':
      return undefined;
    case 'user':
      if (!options.user) throw new NunectError('INVALID_OPTIONS', 'a password needs a user name');
      return usernamePasswordAuthenticator(options.user, options.pass ?? '');
    case 'token':
      if (!options.token) throw new NunectError('INVALID_OPTIONS', 'the token is empty');
      return tokenAuthenticator(options.token);
    case 'nkey':
      return signer(options.nkey!.trim(), 'the nkey');
    case 'jwt':
      if (!options.jwt || !options.seed) throw new NunectError('INVALID_OPTIONS', 'JWT authentication needs both jwt and seed');
      return signer(options.seed.trim(), 'the seed', options.jwt.trim());
    case 'creds': {
      const blocks = [...options.creds!.matchAll(CREDS_BLOCK)].map((m) => m[1]!.trim());
      if (!/-----BEGIN NATS USER JWT-----/.test(options.creds!) || blocks.length < 2) {
        throw new NunectError('INVALID_OPTIONS', 'the credentials are not a NATS .creds file (JWT and seed blocks missing)');
      }
      return signer(blocks[1]!, 'the seed in the credentials', blocks[0]);
    }
  }
}
