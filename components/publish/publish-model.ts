/**
 * The editor side of `<nunect-publish>`, Lit-free: the payload as typed turned into bytes (text,
 * JSON checked, base64, hex), header rows checked, and what is kept in the browser between visits —
 * recently used subjects and the draft (subject, headers, payload, mode, limits). **Never
 * credentials:** the login is not the widget's to keep, and the value of a header whose name looks
 * like a secret (`Authorization`, `*-Token`, `*Secret*`, `*Password*`, `Cookie`, `*Api-Key*`, `*JWT*`,
 * `*Nkey*`, `*Signature*`) is never written to storage (the name is kept, the value left empty).
 */

export type PayloadEncoding = 'text' | 'json' | 'base64' | 'hex';
export type PublishMode = 'publish' | 'request' | 'gather';

export const ENCODINGS: ReadonlyArray<readonly [PayloadEncoding, string]> = [
  ['text', 'Text (UTF-8)'],
  ['json', 'JSON'],
  ['base64', 'Base64'],
  ['hex', 'Hex'],
];

const encoder = new TextEncoder();

/** The payload's bytes, or why the text is not what its encoding says. */
export function encodePayload(text: string, encoding: PayloadEncoding): { bytes: Uint8Array; error?: undefined } | { bytes?: undefined; error: string } {
  switch (encoding) {
    case 'text':
      return { bytes: encoder.encode(text) };
    case 'json':
      if (text.trim() === '') return { bytes: new Uint8Array() };
      try {
        JSON.parse(text);
      } catch (e) {
        return { error: `not valid JSON: ${e instanceof Error ? e.message : String(e)}` };
      }
      return { bytes: encoder.encode(text) };
    case 'base64': {
      const clean = text.replace(/\s+/g, '');
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 === 1) return { error: 'not valid base64 (A–Z, a–z, 0–9, +, / and = padding)' };
      try {
        const bin = atob(clean);
        const bytes = new Uint8Array(bin.length);
        for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
        return { bytes };
      } catch {
        return { error: 'not valid base64' };
      }
    }
    case 'hex': {
      const clean = text.replace(/0x/gi, '').replace(/[\s,:]+/g, '');
      if (!/^[0-9a-fA-F]*$/.test(clean)) return { error: 'not valid hex (pairs of 0–9, a–f; spaces allowed)' };
      if (clean.length % 2) return { error: 'hex needs an even number of digits (two per byte)' };
      const bytes = new Uint8Array(clean.length / 2);
      for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(clean.slice(2 * i, 2 * i + 2), 16);
      return { bytes };
    }
  }
}

/** A header row of the editor. */
export interface HeaderRow {
  name: string;
  value: string;
}

/** Header names NATS accepts: printable ASCII without `:` or spaces (nats-core refuses others). */
const HEADER_NAME = /^[!-9;-~]+$/;

/** The header rows to send (empty rows left out), or the first problem with one of them. */
export function checkHeaders(rows: readonly HeaderRow[]): { headers: Array<[string, string]>; error?: undefined } | { headers?: undefined; error: string } {
  const headers: Array<[string, string]> = [];
  for (const [i, r] of rows.entries()) {
    const name = r.name.trim();
    if (!name && !r.value.trim()) continue;
    if (!name) return { error: `header ${i + 1}: the name is empty` };
    if (!HEADER_NAME.test(name)) return { error: `header ${JSON.stringify(name)}: a name is printable ASCII without ':' or spaces` };
    if (/[\r\n]/.test(r.value)) return { error: `header ${name}: a value cannot hold a line break` };
    headers.push([name, r.value.trim()]);
  }
  return { headers };
}

/** Whether a header's value is likely a secret (never stored). */
export function isSecretHeader(name: string): boolean {
  return /auth|token|secret|passw|cookie|api[-_]?key|jwt|nkey|signature|credential|session/i.test(name);
}

/** What the widget keeps between visits. */
export interface Draft {
  subject: string;
  mode: PublishMode;
  headers: HeaderRow[];
  payload: string;
  encoding: PayloadEncoding;
  timeout: number;
  maxReplies: number;
  quiet: number;
  maxWait: number;
}

export interface Stored {
  /** Recently used subjects, newest first. */
  recent: string[];
  draft?: Partial<Draft>;
}

/** How many recent subjects are kept. */
export const RECENT_MAX = 20;

/** The storage version: a change of shape gets a new key. */
const VERSION = 1;

/** Anything with the part of `Storage` used (localStorage; tests pass a Map-backed one). */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

function storageOr(storage: StorageLike | undefined): StorageLike | undefined {
  if (storage) return storage;
  try {
    return typeof localStorage === 'undefined' ? undefined : localStorage;
  } catch {
    return undefined; // storage refused (privacy mode, sandboxed frame)
  }
}

/** What was stored under `key` (nothing when absent, unreadable or of another shape). */
export function loadStored(key: string, storage?: StorageLike): Stored {
  const s = storageOr(storage);
  if (!key || !s) return { recent: [] };
  try {
    const raw = JSON.parse(s.getItem(`${key}:v${VERSION}`) ?? 'null') as Partial<Stored> | null;
    if (!raw || typeof raw !== 'object') return { recent: [] };
    const recent = Array.isArray(raw.recent) ? raw.recent.filter((x): x is string => typeof x === 'string').slice(0, RECENT_MAX) : [];
    return { recent, ...(raw.draft && typeof raw.draft === 'object' ? { draft: raw.draft } : {}) };
  } catch {
    return { recent: [] };
  }
}

/** Stores the recent subjects and the draft, secret header values left out. Never throws. */
export function saveStored(key: string, stored: Stored, storage?: StorageLike): void {
  const s = storageOr(storage);
  if (!key || !s) return;
  const draft = stored.draft
    ? { ...stored.draft, headers: (stored.draft.headers ?? []).map((h) => (isSecretHeader(h.name) ? { name: h.name, value: '' } : h)) }
    : undefined;
  try {
    s.setItem(`${key}:v${VERSION}`, JSON.stringify({ recent: stored.recent.slice(0, RECENT_MAX), ...(draft ? { draft } : {}) }));
  } catch {
    /* full or refused: the draft is simply not kept */
  }
}

/** The recent subjects with `subject` first (once). */
export function remember(recent: readonly string[], subject: string): string[] {
  return [subject, ...recent.filter((s) => s !== subject)].slice(0, RECENT_MAX);
}
