import type { AuthOptions } from './auth.js';
import { NunectError } from './errors.js';

/** The `name` claim of a JWT, without verifying it (for display and inbox names only). */
export function jwtName(jwt: unknown): string | undefined {
  if (typeof jwt !== 'string') return undefined;
  const payload = jwt.split('.')[1];
  if (!payload) return undefined;
  try {
    const json = atob(
      payload
        .replace(/-/g, '+')
        .replace(/_/g, '/')
        .padEnd(Math.ceil(payload.length / 4) * 4, '='),
    );
    const name = (JSON.parse(json) as { name?: unknown }).name;
    return typeof name === 'string' && name ? name : undefined;
  } catch {
    return undefined;
  }
}

const CREDS_JWT = /-----BEGIN NATS USER JWT-----\s*([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)/;

/**
 * The user name a login presents: `user`, or the `name` claim of the user JWT (`jwt` or `.creds`).
 * Undefined for tokens, plain nkeys and anonymous logins, which carry no name.
 */
export function loginName(auth: AuthOptions): string | undefined {
  if (auth.user) return auth.user;
  if (auth.jwt) return jwtName(auth.jwt.trim());
  if (auth.creds) return jwtName(CREDS_JWT.exec(auth.creds)?.[1]);
  return undefined;
}

const TOKEN = /^[A-Za-z0-9_-]+$/;

/**
 * The reply inbox prefix of a user: `_INBOX_<user>`. A restricted user of the nunect stack may
 * subscribe only to its own inbox (`_INBOX_<user>.>`, config/permissions.conf), so it never reads
 * the replies sent to another user. Users with every right may use it too.
 */
export function userInboxPrefix(user: string): string {
  if (!TOKEN.test(user)) {
    throw new NunectError('INVALID_OPTIONS', `user name ${JSON.stringify(user)} cannot name an inbox: letters, digits, _ and - only`);
  }
  return `_INBOX_${user}`;
}

/**
 * The inbox prefix for a login: `_INBOX_<name>` when the login names a user whose name is a valid
 * subject token, else undefined (the standard `_INBOX`).
 */
export function loginInboxPrefix(auth: AuthOptions): string | undefined {
  const name = loginName(auth);
  return name && TOKEN.test(name) ? `_INBOX_${name}` : undefined;
}
