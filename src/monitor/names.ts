/**
 * Human names of accounts and users in operator mode, where the server reports public keys.
 * `name_tag` means different things by server version: the user's name on 2.9 and the account's
 * name on 2.10 and later. The user JWT (in 2.9 CONNZ and in connect/auth events of both) names the
 * user exactly.
 */
import { jwtName } from '../../client/identity.js';

export { jwtName };

/** `major.minor` of a server version string is at least the given one. */
export function versionAtLeast(ver: string | undefined, major: number, minor: number): boolean {
  const m = /^v?(\d+)\.(\d+)/.exec(ver ?? '');
  if (!m) return false;
  const [a, b] = [Number(m[1]), Number(m[2])];
  return a > major || (a === major && b >= minor);
}

/** What `name_tag` names on a server of this version. */
export function nameTagNames(serverVersion: string | undefined): 'user' | 'account' {
  return versionAtLeast(serverVersion, 2, 10) ? 'account' : 'user';
}

/** The user's and the account's human names from what a connection or event reports. */
export function humanNames(input: { nameTag?: unknown; jwt?: unknown; serverVersion?: string }): { user?: string; account?: string } {
  const tag = typeof input.nameTag === 'string' && input.nameTag ? input.nameTag : undefined;
  const fromJwt = jwtName(input.jwt);
  const tagIs = nameTagNames(input.serverVersion);
  return {
    user: fromJwt ?? (tagIs === 'user' ? tag : undefined),
    account: tagIs === 'account' ? tag : undefined,
  };
}

/** Whether an account or user is a public nkey (operator mode): 56 base32 characters. */
export function isPublicKey(s: string | undefined): boolean {
  return !!s && s.length === 56 && /^[AUNOC][A-Z2-7]{55}$/.test(s);
}

/** `ABCDEFGH…` for a public key, the text itself otherwise. */
export function shortKey(s: string): string {
  return isPublicKey(s) ? `${s.slice(0, 8)}…` : s;
}
