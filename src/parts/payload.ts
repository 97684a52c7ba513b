import { html, nothing, type TemplateResult } from 'lit';
import { formatBytes, formatNumber } from '../monitor/format.js';

/**
 * How every data widget shows a message's headers and payload (the tail, the publish replies, the
 * stream message browser, KV values). Styles: `payloadStyles` of src/styles/payload.ts. Payloads
 * and headers are server text: everything here is a Lit text binding, never markup.
 *
 * - `sniffPayload()`: what the bytes look like (JSON, UTF-8 text, binary);
 * - `decodePayload()`: the bytes as text in one view (JSON pretty, text, hex + ASCII dump, base64),
 *   at most `limit` bytes decoded;
 * - `headerEntries()`: a nats `MsgHdrs` (or anything with `keys()`/`values()`) as name/value rows;
 * - `renderHeaders()`, `renderPayload()`: the markup.
 */

/** How a payload is shown: `auto` follows `sniffPayload()`. */
export type PayloadView = 'auto' | 'json' | 'text' | 'hex' | 'base64';

/** The views in the order the selector offers them, with their labels. */
export const PAYLOAD_VIEWS: ReadonlyArray<readonly [PayloadView, string]> = [
  ['auto', 'Auto'],
  ['json', 'JSON'],
  ['text', 'Text'],
  ['hex', 'Hex'],
  ['base64', 'Base64'],
];

/** Bytes decoded for display unless the caller says otherwise (an "expand" shows the rest). */
export const PAYLOAD_LIMIT = 64 * 1024;

/** At most this many bytes are examined to tell text from binary. */
const SNIFF_BYTES = 64 * 1024;

const utf8Fatal = new TextDecoder('utf-8', { fatal: true });

/** Whether a UTF-16 code unit is a control character that text rarely carries (not tab, LF, CR). */
function isControl(c: number): boolean {
  return (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0x7f;
}

/**
 * Strict UTF-8 of `bytes`, or `undefined` when they are not UTF-8. `cut` says the bytes may end in
 * the middle of a character (a prefix of a longer payload): up to 3 trailing bytes are dropped.
 */
function strictUtf8(bytes: Uint8Array, cut: boolean): string | undefined {
  try {
    return utf8Fatal.decode(bytes);
  } catch {
    if (!cut) return undefined;
  }
  // A prefix: drop an incomplete last character (at most 3 bytes of it), then try again.
  for (let drop = 1; drop <= 3 && drop < bytes.length; drop++) {
    if ((bytes[bytes.length - drop]! & 0xc0) !== 0x80 || drop === 3) {
      try {
        return utf8Fatal.decode(bytes.subarray(0, bytes.length - drop));
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** Whether a string looks like text: no NUL and at most 1 control character in 50. */
function looksLikeText(s: string): boolean {
  let controls = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0) return false;
    if (isControl(c)) controls++;
  }
  return controls * 50 <= s.length;
}

/** The first character that is not JSON white space, or ''. */
function firstNonSpace(s: string): string {
  const m = /[^ \t\n\r]/.exec(s);
  return m ? m[0] : '';
}

/**
 * What the bytes look like: `json` (an object or array that parses: a bare number or string is
 * `text`), `text` (valid UTF-8 with no NUL and few control characters; empty is text), otherwise
 * `binary`. Only the first 64 KiB decide text or binary; JSON must parse whole.
 */
export function sniffPayload(data: Uint8Array): 'json' | 'text' | 'binary' {
  if (data.length === 0) return 'text';
  const cut = data.length > SNIFF_BYTES;
  const head = strictUtf8(cut ? data.subarray(0, SNIFF_BYTES) : data, cut);
  if (head === undefined || !looksLikeText(head)) return 'binary';
  const first = firstNonSpace(head);
  if (first === '{' || first === '[') {
    const whole = cut ? strictUtf8(data, false) : head;
    if (whole !== undefined && parseJson(whole).ok) return 'json';
  }
  return 'text';
}

function parseJson(s: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(s) as unknown };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

/** A payload decoded for display. */
export interface DecodedPayload {
  /** The view it is shown in (`auto` resolved: binary is `hex`). */
  view: Exclude<PayloadView, 'auto'>;
  /** What to show (a text binding). */
  text: string;
  /** The payload's size in bytes. */
  size: number;
  /** How many of its bytes `text` shows (all of them unless `truncated`). */
  shown: number;
  /** Whether only the first `shown` bytes are shown. */
  truncated: boolean;
  /** What the view could not do, e.g. `Not valid JSON (…): shown as text.` */
  note?: string;
  /** What `auto` found (`sniffPayload()`), when the view was `auto`. */
  sniffed?: 'json' | 'text' | 'binary';
  /** The parsed value, when `text` is it pretty-printed (the view is `json`, not truncated). */
  json?: { value: unknown };
}

/**
 * Decodes for display: `auto` follows `sniffPayload()` (JSON pretty-printed, text, binary → hex +
 * ASCII dump); at most `limit` bytes (default 64 KiB) are decoded and `truncated` says so. A JSON
 * payload larger than the limit is shown as its raw text up to the limit (pretty-printing needs
 * all of it: expand it); JSON that does not parse is shown as text with a `note`.
 */
export function decodePayload(data: Uint8Array, view: PayloadView = 'auto', limit: number = PAYLOAD_LIMIT): DecodedPayload {
  const size = data.length;
  const max = Math.max(0, Number.isFinite(limit) ? Math.floor(limit) : size);
  let sniffed: DecodedPayload['sniffed'];
  let v: Exclude<PayloadView, 'auto'>;
  if (view === 'auto') {
    sniffed = sniffPayload(data);
    v = sniffed === 'binary' ? 'hex' : sniffed;
  } else {
    v = view;
  }
  const truncated = size > max;
  const part = truncated ? data.subarray(0, max) : data;
  const result = (text: string, shown: number, note?: string, json?: { value: unknown }): DecodedPayload => ({
    view: v,
    text,
    size,
    shown,
    truncated: shown < size,
    ...(note === undefined ? {} : { note }),
    ...(sniffed === undefined ? {} : { sniffed }),
    ...(json === undefined ? {} : { json }),
  });
  switch (v) {
    case 'json': {
      if (truncated) {
        const text = lenientUtf8(part, true);
        return result(text, part.length, `Larger than ${formatBytes(max)}: the first part is shown as it is; show all to format it.`);
      }
      const text = lenientUtf8(data, false);
      const parsed = parseJson(text);
      if (parsed.ok) return result(JSON.stringify(parsed.value, null, 2) ?? text, size, undefined, { value: parsed.value });
      v = 'text';
      return result(text, size, `Not valid JSON (${parsed.error}): shown as text.`);
    }
    case 'text':
      return result(lenientUtf8(part, truncated), part.length);
    case 'hex':
      return result(hexDump(part), part.length);
    case 'base64': {
      // Whole groups of 3 bytes, so the shown text is a prefix of the whole payload's base64.
      const whole = truncated ? part.subarray(0, part.length - (part.length % 3)) : part;
      return result(toBase64(whole), whole.length);
    }
  }
}

/** UTF-8 with replacement characters; `cut`: an incomplete last character is left out. */
function lenientUtf8(bytes: Uint8Array, cut: boolean): string {
  return new TextDecoder('utf-8').decode(bytes, { stream: cut });
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * The classic dump, 16 bytes a line: offset, the bytes in hex (two groups of 8), and the printable
 * ASCII characters (others as `.`): `00000000  7b 22 61 22 3a 31 7d …  |{"a":1}|`.
 */
export function hexDump(bytes: Uint8Array): string {
  const lines: string[] = [];
  for (let off = 0; off < bytes.length; off += 16) {
    let hex = '';
    let ascii = '';
    for (let i = 0; i < 16; i++) {
      const b = bytes[off + i];
      if (i === 8) hex += ' ';
      if (b === undefined) {
        hex += '   ';
        continue;
      }
      hex += HEX[b]! + ' ';
      ascii += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
    }
    lines.push(`${off.toString(16).padStart(8, '0')}  ${hex} |${ascii}|`);
  }
  return lines.join('\n');
}

/** Standard base64 (with padding) of the bytes, in chunks (no call-stack limit on 1 MB). */
export function toBase64(bytes: Uint8Array): string {
  let out = '';
  const chunk = 0x8000 - (0x8000 % 3);
  for (let i = 0; i < bytes.length; i += chunk) {
    out += btoa(String.fromCharCode(...bytes.subarray(i, i + chunk)));
  }
  return out;
}

/**
 * A payload in one line, for a list row: text as it is with line breaks and control characters
 * as spaces (at most `chars` characters), binary as `binary · 3f 00 …` (the first 24 bytes), empty
 * as ''. Reads at most the first 4 KiB to tell text from binary.
 */
export function previewPayload(data: Uint8Array, chars = 160): string {
  if (data.length === 0) return '';
  if (sniffPayload(data.subarray(0, Math.min(data.length, 4_096))) === 'binary') {
    const bytes = Array.from(data.subarray(0, 24), (b) => HEX[b]!).join(' ');
    return `binary · ${bytes}${data.length > 24 ? ' …' : ''}`;
  }
  const text = new TextDecoder('utf-8').decode(data.subarray(0, Math.min(data.length, chars * 4)), { stream: true });
  // eslint-disable-next-line no-control-regex -- one line: line breaks and controls become spaces
  return text.replace(/[\u0000-\u001f\u007f]+/g, ' ').slice(0, chars);
}

/** Objects and arrays a JSON tree renders foldable at most; a larger document is plain text. */
export const JSON_TREE_MAX_NODES = 400;

/** How many non-empty objects and arrays `value` holds (itself included), counting up to `max + 1`. */
function containers(value: unknown, max: number): number {
  let n = 0;
  const stack: unknown[] = [value];
  while (stack.length && n <= max) {
    const v = stack.pop();
    if (v && typeof v === 'object') {
      const children = Array.isArray(v) ? v : Object.values(v);
      if (children.length) {
        n++;
        stack.push(...children);
      }
    }
  }
  return n;
}

/**
 * A parsed JSON value as foldable text: every non-empty object and array is a `<details open>`
 * whose `<summary>` is its opening bracket (folded it shows `{…}`), laid out exactly as
 * `JSON.stringify(value, null, 2)`, so the text (`textContent`) is the pretty-printed JSON.
 * Everything is a text binding.
 */
export function renderJsonTree(value: unknown, indent = ''): TemplateResult | string {
  if (!value || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  const inner = `${indent}  `;
  const close = `\n${indent}`;
  // Inside a <pre> every character counts: the text comes only from bindings (no template whitespace).
  if (Array.isArray(value)) {
    if (!value.length) return '[]';
    const items = value.map(
      (v, i) => html`${`\n${inner}`}${renderJsonTree(v === undefined || typeof v === 'function' ? null : v, inner)}${i < value.length - 1 ? ',' : ''}`,
    );
    // prettier-ignore
    return html`<details open class="json-node"><summary>[</summary>${items}${close}</details>]`;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined && typeof v !== 'function');
  if (!entries.length) return '{}';
  const items = entries.map(
    ([k, v], i) =>
      html`${`\n${inner}`}<span class="json-key">${JSON.stringify(k)}</span>${': '}${renderJsonTree(v, inner)}${i < entries.length - 1 ? ',' : ''}`,
  );
  // prettier-ignore
  return html`<details open class="json-node"><summary>{</summary>${items}${close}</details>}`;
}

/** Headers as nats-core gives them (`MsgHdrs`): each name with its values. */
export interface HeadersLike {
  keys(): string[];
  values(name: string): string[];
}

/** Every (name, value) of a nats `MsgHdrs`, a name with several values once per value, in order. */
export function headerEntries(headers: HeadersLike | undefined): Array<[string, string]> {
  const rows: Array<[string, string]> = [];
  if (!headers) return rows;
  for (const name of headers.keys()) for (const value of headers.values(name)) rows.push([name, value]);
  return rows;
}

/**
 * Header rows (name, value) as text, `<dl part="headers" class="payload-headers">`; `nothing` when
 * there are none.
 */
export function renderHeaders(headers: Iterable<[string, string]> | undefined): TemplateResult | typeof nothing {
  const rows = headers ? [...headers] : [];
  if (rows.length === 0) return nothing;
  return html`<dl class="payload-headers" part="headers" aria-label="Headers">
    ${rows.map(
      ([name, value]) =>
        html`<div class="header-row">
          <dt>${name}</dt>
          <dd>${value}</dd>
        </div>`,
    )}
  </dl>`;
}

export interface PayloadOptions {
  /** The view chosen (`auto` follows the sniffing). */
  view: PayloadView;
  /** Another view was chosen in the selector (the caller keeps it, per message). */
  onView: (view: PayloadView) => void;
  /** Show all of it (the user pressed "Show all"). */
  expanded?: boolean;
  /** "Show all" was pressed; without it a truncated payload offers no button. */
  onExpand?: () => void;
  /** Bytes shown before "Show all" (default 64 KiB). */
  limit?: number;
  /** The accessible name of the view selector (default "Payload view"). */
  label?: string;
}

/** The decodings already made of a payload (rendering again decodes nothing). */
const decoded = new WeakMap<Uint8Array, Map<string, DecodedPayload>>();

/** `decodePayload()` remembered per payload (the same `Uint8Array`), view and limit. */
export function decodeCached(data: Uint8Array, view: PayloadView, limit: number): DecodedPayload {
  let byKey = decoded.get(data);
  if (!byKey) decoded.set(data, (byKey = new Map()));
  const key = `${view}:${limit}`;
  let d = byKey.get(key);
  if (!d) byKey.set(key, (d = decodePayload(data, view, limit)));
  return d;
}

const SNIFF_LABELS = { json: 'JSON', text: 'text', binary: 'binary' } as const;

/**
 * The payload with its size, a view selector (auto/JSON/text/hex/base64), truncated beyond `limit`
 * with a "Show all" button; text bindings only. `<div part="payload" class="payload view-…">` with
 * `.payload-bar` (size, `select.payload-view`), an optional `.payload-note`, the text in
 * `<pre part="payload-body" class="payload-body">` (JSON foldable per object and array, see
 * `renderJsonTree()`) and, when truncated, `.payload-truncated` with
 * `button.payload-expand`.
 */
export function renderPayload(data: Uint8Array, options: PayloadOptions): TemplateResult {
  const limit = options.expanded ? Infinity : (options.limit ?? PAYLOAD_LIMIT);
  const d = decodeCached(data, options.view, limit);
  const auto = d.sniffed ? `Auto (${SNIFF_LABELS[d.sniffed]})` : 'Auto';
  const onChange = (e: Event): void => options.onView((e.target as HTMLSelectElement).value as PayloadView);
  const body = d.json && containers(d.json.value, JSON_TREE_MAX_NODES) <= JSON_TREE_MAX_NODES ? renderJsonTree(d.json.value) : d.text;
  return html`<div class="payload view-${d.view}" part="payload">
    <div class="payload-bar">
      <span class="payload-size">${formatBytes(d.size)}${d.size >= 1024 ? ` (${formatNumber(d.size)} bytes)` : ''}</span>
      <select class="payload-view" aria-label=${options.label ?? 'Payload view'} .value=${options.view} @change=${onChange}>
        ${PAYLOAD_VIEWS.map(([v, name]) => html`<option value=${v} ?selected=${v === options.view}>${v === 'auto' ? auto : name}</option>`)}
      </select>
    </div>
    ${d.note ? html`<p class="payload-note">${d.note}</p>` : nothing}
    ${d.size === 0 ? html`<p class="payload-empty">Empty payload</p>` : html`<pre class="payload-body" part="payload-body" tabindex="0">${body}</pre>`}
    ${
      d.truncated
        ? html`<p class="payload-truncated">
            Showing the first ${formatBytes(d.shown)} of ${formatBytes(d.size)}.
            ${options.onExpand ? html`<button type="button" class="payload-expand" @click=${options.onExpand}>Show all</button>` : nothing}
          </p>`
        : nothing
    }
  </div>`;
}
