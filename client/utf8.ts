/**
 * UTF-8 text of message subjects, replies and payloads, decoded without Chromium's long GC pauses.
 *
 * Why not just `TextDecoder`: in Chromium its result is a Blink string, which V8 keeps as an
 * external string behind a weak handle. nats-core decodes every message's subject and reply that
 * way, and the widgets decode payloads: at 5,000 messages a second that is ~15,000 such strings a
 * second, and every major GC then spends 20–30 ms of one task on them (`bench:units`, log phase:
 * longest task 51–55 ms, 30 ms of it "external weak global handles"; 14–19 ms with this). A
 * string made by `String.fromCharCode` is an ordinary V8 string. So short pure-ASCII text — what
 * subjects, inboxes and most payloads are — is decoded here; anything else (non-ASCII, invalid
 * UTF-8, long) still goes to the platform's decoder, whose output it therefore always equals.
 */

/** Longest text decoded here; longer text goes to `TextDecoder` (its per-byte cost is lower). */
export const FAST_DECODE_MAX_BYTES = 512;

const platform = new TextDecoder();

/**
 * The UTF-8 text of `bytes`, exactly as `new TextDecoder().decode(bytes)` gives it.
 * @param fallback decodes what is not short ASCII (default: a plain `TextDecoder`).
 */
export function decodeText(bytes: Uint8Array, fallback: (bytes: Uint8Array) => string = (b) => platform.decode(b)): string {
  const n = bytes.length;
  if (n > FAST_DECODE_MAX_BYTES) return fallback(bytes);
  for (let i = 0; i < n; i++) if (bytes[i]! > 0x7f) return fallback(bytes);
  // ASCII is one byte per UTF-16 code unit; there is no BOM to strip (it is not ASCII).
  return String.fromCharCode.apply(null, bytes as unknown as number[]);
}

const installed = new WeakSet<TextDecoder>();

/**
 * Makes a shared UTF-8 `TextDecoder` (nats-core's, which decodes every subject and reply) use
 * {@link decodeText} for whole-buffer decodes of a `Uint8Array`. Streaming decodes, other input
 * types and decoders that are not plain UTF-8 (`fatal`, `ignoreBOM`, another encoding) are left to
 * the platform, as is everything under Node, whose strings are ordinary. Safe to call repeatedly.
 * @returns whether the decoder now uses the fast path.
 */
export function useFastDecoding(decoder: TextDecoder, runtime: { node?: string } = nodeVersion()): boolean {
  if (installed.has(decoder)) return true;
  if (runtime.node || decoder.encoding !== 'utf-8' || decoder.fatal || decoder.ignoreBOM) return false;
  const native = TextDecoder.prototype.decode;
  const nativeDecode = (b: Uint8Array) => native.call(decoder, b);
  // After a streaming decode the platform may hold the start of a character: it finishes it.
  let streaming = false;
  decoder.decode = (input?: AllowSharedBufferSource, options?: TextDecodeOptions) => {
    const fast = input instanceof Uint8Array && !options?.stream && !streaming;
    streaming = !!options?.stream;
    return fast ? decodeText(input, nativeDecode) : native.call(decoder, input, options);
  };
  installed.add(decoder);
  return true;
}

function nodeVersion(): { node?: string } {
  return { node: (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node };
}
