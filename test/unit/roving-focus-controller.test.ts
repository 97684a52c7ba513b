import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { property, state } from 'lit/decorators.js';
import { NunectElement } from '../../src/base/nunect-element.js';
import { RovingFocusController } from '../../src/controllers/roving-focus-controller.js';

/** A treegrid of rows that open and close, navigated by the controller. */
class RovingHost extends NunectElement {
  @property({ attribute: false }) keys = ['a', 'b', 'c', 'd'];
  @state() open?: string;
  activated: string[] = [];

  readonly roving = new RovingFocusController(this, {
    items: 'tr.item',
    activate: (row) => {
      this.activated.push(row.dataset.key!);
      this.open = this.open === row.dataset.key ? undefined : row.dataset.key;
    },
    expand: (row, open) => {
      this.open = open ? row.dataset.key : undefined;
    },
  });

  override render() {
    return html`<table role="treegrid" aria-label="Items">
      <tbody>
        ${this.keys.map(
          (k) =>
            html`<tr class="item" data-key=${k} aria-level="1" aria-expanded=${this.open === k ? 'true' : 'false'}>
                <td>Item ${k} <button>inside ${k}</button></td>
              </tr>
              ${
                this.open === k
                  ? html`<tr class="detail" aria-level="2">
                      <td>Detail of ${k}</td>
                    </tr>`
                  : ''
              }`,
        )}
      </tbody>
    </table>`;
  }
}
customElements.define('test-roving-host', RovingHost);

async function mount(): Promise<RovingHost> {
  const el = await fixture<RovingHost>(html`<test-roving-host></test-roving-host>`);
  await el.updateComplete;
  return el;
}

const rows = (el: RovingHost) => [...el.shadowRoot!.querySelectorAll<HTMLTableRowElement>('tr.item')];
const row = (el: RovingHost, key: string) => rows(el).find((r) => r.dataset.key === key)!;
const focused = (el: RovingHost) => (el.shadowRoot!.activeElement as HTMLElement | null)?.dataset.key;
const tabStops = (el: RovingHost) =>
  rows(el)
    .filter((r) => r.tabIndex === 0)
    .map((r) => r.dataset.key);

async function press(el: RovingHost, key: string): Promise<void> {
  await sendKeys({ press: key });
  await el.updateComplete;
}

describe('RovingFocusController', () => {
  it('gives exactly one row the tab stop: the first, then the one focused', async () => {
    const el = await mount();
    expect(tabStops(el)).to.deep.equal(['a']);
    expect(rows(el).map((r) => r.getAttribute('tabindex'))).to.deep.equal(['0', '-1', '-1', '-1']);
    row(el, 'c').focus();
    expect(tabStops(el)).to.deep.equal(['c']);
    expect(el.roving.focusKey).to.equal('c');
    // The tab stop stays on its row across renders, and falls back to the first when it is gone.
    el.keys = ['d', 'c', 'b'];
    await el.updateComplete;
    expect(tabStops(el)).to.deep.equal(['c']);
    el.keys = ['x', 'y'];
    await el.updateComplete;
    expect(tabStops(el)).to.deep.equal(['x']);
    await expect(el).to.be.accessible();
  });

  it('moves with the arrows, Home and End', async () => {
    const el = await mount();
    row(el, 'a').focus();
    await press(el, 'ArrowDown');
    expect(focused(el)).to.equal('b');
    await press(el, 'ArrowDown');
    expect(focused(el)).to.equal('c');
    await press(el, 'ArrowUp');
    expect(focused(el)).to.equal('b');
    await press(el, 'End');
    expect(focused(el)).to.equal('d');
    await press(el, 'ArrowDown');
    expect(focused(el), 'stays on the last').to.equal('d');
    await press(el, 'Home');
    expect(focused(el)).to.equal('a');
    await press(el, 'ArrowUp');
    expect(focused(el), 'stays on the first').to.equal('a');
    expect(tabStops(el)).to.deep.equal(['a']);
  });

  it('opens with Enter and Space, and skips the detail rows', async () => {
    const el = await mount();
    row(el, 'b').focus();
    await press(el, 'Enter');
    expect(el.activated).to.deep.equal(['b']);
    expect(row(el, 'b').getAttribute('aria-expanded')).to.equal('true');
    expect(el.shadowRoot!.querySelector('tr.detail')?.textContent).to.contain('Detail of b');
    expect(focused(el), 'the focus stays on the row').to.equal('b');
    await press(el, 'ArrowDown');
    expect(focused(el)).to.equal('c');
    await press(el, 'Space');
    expect(el.activated).to.deep.equal(['b', 'c']);
    expect(row(el, 'c').getAttribute('aria-expanded')).to.equal('true');
    expect(row(el, 'b').getAttribute('aria-expanded')).to.equal('false');
    await press(el, 'Space');
    expect(el.shadowRoot!.querySelector('tr.detail')).to.equal(null);
  });

  it('expands with ArrowRight and collapses with ArrowLeft', async () => {
    const el = await mount();
    row(el, 'a').focus();
    await press(el, 'ArrowRight');
    expect(row(el, 'a').getAttribute('aria-expanded')).to.equal('true');
    await press(el, 'ArrowRight');
    expect(row(el, 'a').getAttribute('aria-expanded'), 'stays open').to.equal('true');
    await press(el, 'ArrowLeft');
    expect(row(el, 'a').getAttribute('aria-expanded')).to.equal('false');
    expect(el.activated, 'arrows do not activate').to.deep.equal([]);
  });

  it('activates on a click and takes the tab stop there', async () => {
    const el = await mount();
    row(el, 'd').querySelector('td')!.click();
    await el.updateComplete;
    expect(el.activated).to.deep.equal(['d']);
    expect(tabStops(el)).to.deep.equal(['d']);
  });

  it('leaves keys pressed in, and clicks on, a control inside a row to the control', async () => {
    const el = await mount();
    const button = row(el, 'b').querySelector('button')!;
    let clicks = 0;
    button.addEventListener('click', () => clicks++);
    button.focus();
    await press(el, 'ArrowDown');
    await press(el, 'Enter');
    // Enter on the button clicks it; neither the arrow nor the click is the row's.
    expect(clicks).to.equal(1);
    expect(el.shadowRoot!.activeElement).to.equal(button);
    expect(el.activated).to.deep.equal([]);
    expect(row(el, 'b').getAttribute('aria-expanded')).to.equal('false');
  });

  it('stops listening when the host is removed', async () => {
    const el = await mount();
    const target = row(el, 'a');
    el.remove();
    target.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true }));
    expect(el.activated).to.deep.equal([]);
  });
});
