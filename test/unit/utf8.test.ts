import { expect } from '@open-wc/testing';
import { TD } from '@nats-io/nats-core/internal';
import { connect } from '../../client/index.js';
import { decodeText, FAST_DECODE_MAX_BYTES, useFastDecoding } from '../../client/utf8.js';

const utf8 = (s: string) => new TextEncoder().encode(s);
const platform = new TextDecoder();

/** Inputs where the fast path and the platform could differ: ASCII edges, non-ASCII, invalid UTF-8, a BOM, sizes. */
const CASES: Array<[string, Uint8Array]> = [
  ['empty', new Uint8Array(0)],
  ['a subject', utf8('BRIDGE.ops.log.info.bridge-1')],
  ['a JetStream reply', utf8('$JS.ACK.OPS_LOGS.abc.1.42.42.1764770000000000000.0')],
  ['every ASCII byte', Uint8Array.from({ length: 128 }, (_, i) => i)],
  ['NUL and DEL', new Uint8Array([0, 0x7f, 0x41])],
  ['accents', utf8('héllo wörld')],
  ['an emoji', utf8('unit 🚀 up')],
  ['a BOM before ASCII', new Uint8Array([0xef, 0xbb, 0xbf, 0x41])],
  ['invalid UTF-8', new Uint8Array([0x41, 0xff, 0xfe, 0x42])],
  ['a cut character', utf8('é').subarray(0, 1)],
  ['longest fast', utf8('x'.repeat(FAST_DECODE_MAX_BYTES))],
  ['one byte longer', utf8('y'.repeat(FAST_DECODE_MAX_BYTES + 1))],
  ['long with non-ASCII at the end', utf8(`${'z'.repeat(FAST_DECODE_MAX_BYTES - 2)}é`)],
];

describe('decodeText', () => {
  it('gives what TextDecoder gives, for every kind of input', () => {
    for (const [name, bytes] of CASES) expect(decodeText(bytes), name).to.equal(platform.decode(bytes));
  });

  it('decodes a view into a larger buffer by its own bytes only', () => {
    const whole = utf8('xx.ops.log.warn.u1.yy');
    expect(decodeText(whole.subarray(3, 18))).to.equal('ops.log.warn.u1');
  });

  it('hands non-ASCII and long text to the fallback, and short ASCII never', () => {
    const seen: number[] = [];
    const fallback = (b: Uint8Array) => (seen.push(b.length), platform.decode(b));
    decodeText(utf8('plain'), fallback);
    decodeText(utf8('x'.repeat(FAST_DECODE_MAX_BYTES)), fallback);
    expect(seen).to.deep.equal([]);
    decodeText(utf8('é'), fallback);
    decodeText(utf8('x'.repeat(FAST_DECODE_MAX_BYTES + 1)), fallback);
    expect(seen).to.deep.equal([2, FAST_DECODE_MAX_BYTES + 1]);
  });
});

describe('useFastDecoding', () => {
  it('makes a decoder decode short ASCII itself and still equal the platform for everything', () => {
    const d = new TextDecoder();
    expect(useFastDecoding(d, {})).to.equal(true);
    expect(Object.hasOwn(d, 'decode')).to.equal(true);
    for (const [name, bytes] of CASES) expect(d.decode(bytes), name).to.equal(platform.decode(bytes));
    // Other input types go to the platform.
    expect(d.decode(utf8('abc').buffer)).to.equal('abc');
    expect(d.decode(new DataView(utf8('abc').buffer))).to.equal('abc');
    expect(d.decode()).to.equal('');
    expect(useFastDecoding(d, {}), 'again').to.equal(true);
  });

  it('lets the platform finish a character split across streaming decodes', () => {
    const d = new TextDecoder();
    useFastDecoding(d, {});
    const e = utf8('é');
    expect(d.decode(e.subarray(0, 1), { stream: true })).to.equal('');
    // A plain ASCII decode right after must still get the held byte completed by the platform.
    expect(d.decode(new Uint8Array([...e.subarray(1), 0x41]))).to.equal('éA');
    expect(d.decode(utf8('ok'))).to.equal('ok');
  });

  it('leaves Node, fatal, ignoreBOM and other encodings to the platform', () => {
    const cases: Array<[TextDecoder, { node?: string }]> = [
      [new TextDecoder(), { node: '22.0.0' }],
      [new TextDecoder('utf-8', { fatal: true }), {}],
      [new TextDecoder('utf-8', { ignoreBOM: true }), {}],
      [new TextDecoder('utf-16le'), {}],
    ];
    for (const [d, runtime] of cases) {
      expect(useFastDecoding(d, runtime), `${d.encoding} fatal ${d.fatal} ignoreBOM ${d.ignoreBOM} ${runtime.node ?? ''}`).to.equal(false);
      expect(Object.hasOwn(d, 'decode')).to.equal(false);
    }
  });

  it('is installed on nats-core’s shared decoder by connect() in the browser', async () => {
    // The connection fails (nothing listens there); the decoder is set before it dials.
    await connect({ servers: 'ws://127.0.0.1:9', reconnect: false, timeout: 500 }).catch(() => undefined);
    expect(Object.hasOwn(TD, 'decode')).to.equal(true);
    for (const [name, bytes] of CASES) expect(TD.decode(bytes), name).to.equal(platform.decode(bytes));
  });
});
