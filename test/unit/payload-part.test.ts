/**
 * The shared payload part (src/parts/payload.ts): sniffing, every view, truncation at the limit
 * (characters never cut in half, base64 a prefix of the whole), headers, and the markup: the
 * selector, "Show all", hostile payloads and header names as text.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { nothing, type TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import { NunectElement } from '../../src/base/nunect-element.js';
import {
  decodePayload,
  headerEntries,
  hexDump,
  JSON_TREE_MAX_NODES,
  previewPayload,
  renderHeaders,
  renderPayload,
  sniffPayload,
  toBase64,
  type PayloadView,
} from '../../src/parts/payload.js';
import { payloadStyles } from '../../src/styles/payload.js';

class PayloadHost extends NunectElement {
  static override styles = [...NunectElement.styles, payloadStyles];
  @property({ attribute: false }) content: () => TemplateResult | typeof nothing = () => nothing;
  override render() {
    return this.content();
  }
}
customElements.define('test-payload-host', PayloadHost);

const enc = (s: string) => new TextEncoder().encode(s);

describe('payload part', () => {
  it('sniffs JSON objects and arrays, text, and binary', () => {
    expect(sniffPayload(enc('{"a":1}'))).to.equal('json');
    expect(sniffPayload(enc('  [1, 2]\n'))).to.equal('json');
    expect(sniffPayload(enc('{"a":'))).to.equal('text');
    expect(sniffPayload(enc('42'))).to.equal('text');
    expect(sniffPayload(enc('héllo wörld ✓\n\ttabbed'))).to.equal('text');
    expect(sniffPayload(new Uint8Array())).to.equal('text');
    expect(sniffPayload(new Uint8Array([0xff, 0xfe, 0x00, 0x01]))).to.equal('binary');
    expect(sniffPayload(enc('a\u0000b'))).to.equal('binary');
    expect(sniffPayload(enc('\u0001\u0002\u0003 mostly controls'))).to.equal('binary');
  });

  it('sniffs a 1 MB JSON document whole, text by its first 64 KiB', () => {
    const big = enc(JSON.stringify(Array.from({ length: 50_000 }, (_, i) => ({ i, s: 'ü'.repeat(5) }))));
    expect(big.length).to.be.greaterThan(1_000_000);
    expect(sniffPayload(big)).to.equal('json');
    // A multi-byte character cut at the 64 KiB boundary is still text.
    const text = enc('ü'.repeat(600_000));
    expect(sniffPayload(text)).to.equal('text');
  });

  it('decodes auto: JSON pretty, text as it is, binary as a hex + ASCII dump', () => {
    const json = decodePayload(enc('{"a":[1,2],"b":"x"}'));
    expect(json).to.include({ view: 'json', sniffed: 'json', truncated: false, size: 19, shown: 19 });
    expect(json.text).to.equal('{\n  "a": [\n    1,\n    2\n  ],\n  "b": "x"\n}');
    expect(decodePayload(enc('plain'))).to.include({ view: 'text', text: 'plain' });
    const bin = decodePayload(new Uint8Array([0x00, 0x41, 0x42, 0xff]));
    expect(bin).to.include({ view: 'hex', sniffed: 'binary' });
    expect(bin.text).to.equal('00000000  00 41 42 ff ' + ' '.repeat(12 * 3 + 1) + ' |.AB.|');
  });

  it('dumps 16 bytes a line with offsets', () => {
    const bytes = Uint8Array.from({ length: 20 }, (_, i) => 0x30 + i);
    const lines = hexDump(bytes).split('\n');
    expect(lines).to.have.length(2);
    expect(lines[0]).to.equal('00000000  30 31 32 33 34 35 36 37  38 39 3a 3b 3c 3d 3e 3f  |0123456789:;<=>?|');
    expect(lines[1]!.startsWith('00000010  40 41 42 43 ')).to.equal(true);
    expect(lines[1]!.endsWith('|@ABC|')).to.equal(true);
  });

  it('honours an override, and says when JSON does not parse', () => {
    const data = enc('{"a":1}');
    expect(decodePayload(data, 'text').text).to.equal('{"a":1}');
    expect(decodePayload(data, 'base64').text).to.equal(btoa('{"a":1}'));
    expect(decodePayload(data, 'hex').text.startsWith('00000000  7b 22 61 22')).to.equal(true);
    const bad = decodePayload(enc('not json'), 'json');
    expect(bad.view).to.equal('text');
    expect(bad.text).to.equal('not json');
    expect(bad.note).to.match(/^Not valid JSON/);
  });

  it('truncates at the limit: whole characters, base64 a prefix of the whole', () => {
    const data = enc('ab' + 'ü'.repeat(10)); // 22 bytes
    const t = decodePayload(data, 'text', 5); // 'ab' + 'ü' (4 bytes) + half a 'ü'
    expect(t).to.include({ truncated: true, size: 22, shown: 5, text: 'abü' });
    const b = decodePayload(data, 'base64', 10);
    expect(b.shown).to.equal(9);
    expect(toBase64(data).startsWith(b.text)).to.equal(true);
    const j = decodePayload(enc(JSON.stringify({ k: 'v'.repeat(100) })), 'auto', 10);
    expect(j).to.include({ view: 'json', truncated: true, shown: 10, text: '{"k":"vvvv' });
    expect(j.note).to.contain('first part');
    expect(decodePayload(data, 'text', Infinity)).to.include({ truncated: false, shown: 22 });
  });

  it('base64 of 1 MB matches btoa and does not overflow the stack', () => {
    const data = Uint8Array.from({ length: 1 << 20 }, (_, i) => (i * 7) & 0xff);
    let bin = '';
    for (const b of data) bin += String.fromCharCode(b);
    expect(toBase64(data)).to.equal(btoa(bin));
  });

  it('lists headers, a repeated name once per value', () => {
    const h = {
      keys: () => ['Nats-Msg-Id', 'X-Tag'],
      values: (k: string) => (k === 'X-Tag' ? ['a', 'b'] : ['id-1']),
    };
    expect(headerEntries(h)).to.deep.equal([
      ['Nats-Msg-Id', 'id-1'],
      ['X-Tag', 'a'],
      ['X-Tag', 'b'],
    ]);
    expect(headerEntries(undefined)).to.deep.equal([]);
    expect(renderHeaders([])).to.equal(nothing);
    expect(renderHeaders(undefined)).to.equal(nothing);
  });

  it('renders size, selector, Show all, and hostile text as text', async () => {
    const hostile = '<img src=x onerror="globalThis.pwned=1">';
    let view: PayloadView = 'auto';
    let expanded = false;
    const data = enc(hostile + 'x'.repeat(200));
    const el = await fixture<PayloadHost>(html`<test-payload-host></test-payload-host>`);
    const draw = () => {
      el.content = () =>
        html`${renderHeaders([[hostile, hostile]])}${renderPayload(data, {
          view,
          onView: (v) => ((view = v), draw()),
          expanded,
          onExpand: () => ((expanded = true), draw()),
          limit: 100,
        })}`;
    };
    draw();
    await el.updateComplete;
    const root = el.shadowRoot!;
    expect(root.querySelector('img')).to.equal(null);
    expect(root.querySelector('dt')!.textContent).to.equal(hostile);
    expect(root.querySelector('.payload-body')!.textContent).to.equal((hostile + 'x'.repeat(200)).slice(0, 100));
    expect(root.querySelector('.payload-size')!.textContent).to.equal('240 B');
    expect(root.querySelector('.payload-truncated')!.textContent).to.contain('first 100 B of 240 B');
    const select = root.querySelector<HTMLSelectElement>('select.payload-view')!;
    expect(select.value).to.equal('auto');
    expect(select.options[0]!.textContent).to.equal('Auto (text)');
    select.value = 'hex';
    select.dispatchEvent(new Event('change'));
    await el.updateComplete;
    expect(view).to.equal('hex');
    expect(root.querySelector('.payload')!.classList.contains('view-hex')).to.equal(true);
    root.querySelector<HTMLButtonElement>('button.payload-expand')!.click();
    await el.updateComplete;
    expect(root.querySelector('.payload-truncated')).to.equal(null);
    expect(root.querySelector('.payload-body')!.textContent!.split('\n')).to.have.length(15);
    expect((globalThis as { pwned?: number }).pwned).to.equal(undefined);
  });

  it('folds JSON objects and arrays, its text exactly the pretty-printed JSON', async () => {
    const value = { a: [1, { b: null, c: 'x"y' }, []], d: {}, e: { f: true, g: 1e21, '<k>': '<v>' } };
    const data = enc(JSON.stringify(value));
    const el = await fixture<PayloadHost>(html`<test-payload-host></test-payload-host>`);
    el.content = () => renderPayload(data, { view: 'auto', onView: () => {} });
    await el.updateComplete;
    const body = el.shadowRoot!.querySelector('.payload-body')!;
    expect(body.textContent).to.equal(JSON.stringify(value, null, 2));
    const nodes = body.querySelectorAll('details.json-node');
    expect(nodes.length).to.equal(4);
    expect(body.querySelector('k, v')).to.equal(null);
    // Folding the array: its content is hidden, the rest stays.
    const array = nodes[1] as HTMLDetailsElement;
    array.querySelector('summary')!.click();
    expect(array.open).to.equal(false);
    expect(array.getBoundingClientRect().width).to.be.greaterThan(0);
    await expect(el).to.be.accessible();
    // A document with more objects than the tree renders is plain text.
    const big = enc(JSON.stringify(Array.from({ length: JSON_TREE_MAX_NODES + 1 }, (_, i) => ({ i }))));
    el.content = () => renderPayload(big, { view: 'json', onView: () => {} });
    await el.updateComplete;
    expect(el.shadowRoot!.querySelectorAll('details.json-node').length).to.equal(0);
    expect(el.shadowRoot!.querySelector('.payload-body')!.textContent!.startsWith('[\n  {\n    "i": 0\n  },')).to.equal(true);
  });

  it('previews a payload in one line', () => {
    expect(previewPayload(enc('a\nb\tc'))).to.equal('a b c');
    expect(previewPayload(new Uint8Array([0, 1, 255]))).to.equal('binary · 00 01 ff');
    expect(previewPayload(enc('x'.repeat(500)), 10)).to.equal('x'.repeat(10));
    expect(previewPayload(new Uint8Array())).to.equal('');
  });
});
