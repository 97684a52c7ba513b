import {
  credsAuthenticator,
  jwtAuthenticator,
  nkeyAuthenticator,
  tokenAuthenticator,
  usernamePasswordAuthenticator,
  type Authenticator,
} from '@nats-io/nats-core';
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

/** Builds the nats-core authenticator for the options (undefined for no authentication). */
export function buildAuthenticator(options: AuthOptions): Authenticator | undefined {
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
    case 'nkey': {
      const seed = options.nkey!.trim();
      if (!/^SU[A-Z2-7]{56}$/.test(seed)) {
        throw new NunectError('INVALID_OPTIONS', 'the nkey must be a user seed (58 characters starting with SU)');
      }
      return nkeyAuthenticator(encoder.encode(seed));
    }
    case 'jwt': {
      if (!options.jwt || !options.seed) throw new NunectError('INVALID_OPTIONS', 'JWT authentication needs both jwt and seed');
      const seed = options.seed.trim();
      if (!/^SU[A-Z2-7]{56}$/.test(seed)) {
        throw new NunectError('INVALID_OPTIONS', 'the seed must be a user seed (58 characters starting with SU)');
      }
      return jwtAuthenticator(options.jwt.trim(), encoder.encode(seed));
    }
    case 'creds': {
      const creds = options.creds!;
      if (!/-----BEGIN NATS USER JWT-----/.test(creds) || !/-----BEGIN USER NKEY SEED-----/.test(creds)) {
        throw new NunectError('INVALID_OPTIONS', 'the credentials are not a NATS .creds file (JWT and seed blocks missing)');
      }
      return credsAuthenticator(encoder.encode(creds));
    }
  }
}
