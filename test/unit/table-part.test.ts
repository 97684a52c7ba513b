import { expect, fixture, html } from '@open-wc/testing';
import { nothing, type TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import { NunectElement } from '../../src/base/nunect-element.js';
import { formatNumber } from '../../src/monitor/format.js';
import { pageRange, pager } from '../../src/parts/pager.js';
import { renderRows, renderTable, withServerColumn, type TableColumn } from '../../src/parts/table.js';
import { tile } from '../../src/parts/tiles.js';
import { pagerStyles } from '../../src/styles/pager.js';
import { tableStyles } from '../../src/styles/table.js';
import { tileStyles } from '../../src/styles/tiles.js';

/** A shadow root with the shared styles, rendering whatever a test gives it. */
class PartsHost extends NunectElement {
  static override styles = [...NunectElement.styles, tableStyles('jsz'), pagerStyles, tileStyles('jsz')];
  @property({ attribute: false }) content: () => TemplateResult | typeof nothing = () => nothing;
  override render() {
    return this.content();
  }
}
customElements.define('test-parts-host', PartsHost);

async function host(content: () => TemplateResult): Promise<PartsHost> {
  const el = await fixture<PartsHost>(html`<test-parts-host style="width: 360px" .content=${content}></test-parts-host>`);
  await el.updateComplete;
  return el;
}

interface Stream {
  name: string;
  messages: number;
  server: { name: string };
}

const STREAMS: Stream[] = [
  { name: 'ORDERS', messages: 1_234_567, server: { name: 'nats-a' } },
  { name: '<img src=x onerror=alert(1)>', messages: 7, server: { name: 'nats-b' } },
  { name: 'EVENTS', messages: 42, server: { name: 'nats-a' } },
];

const COLUMNS: TableColumn<Stream>[] = [
  { id: 'name', label: 'Stream', rowHeader: true, cellTitle: (s) => s.name, cell: (s) => s.name },
  { id: 'messages', label: 'Msgs', title: 'Messages stored', numeric: true, sortKey: 'messages', cell: (s) => formatNumber(s.messages) },
  { id: 'subjects', label: 'Subjects', sortKey: 'subjects', className: 'subjects', cellClass: 'mono', cell: () => 'orders.>' },
];

const text = (el: Element | null | undefined) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
const $ = <T extends Element>(el: PartsHost, selector: string) => el.shadowRoot!.querySelector<T>(selector)!;
const $$ = <T extends Element>(el: PartsHost, selector: string) => [...el.shadowRoot!.querySelectorAll<T>(selector)];

describe('table part', () => {
  it('renders the header and the rows from the column definitions, server text as text', async () => {
    const el = await host(() => renderTable({ columns: COLUMNS, rows: STREAMS, label: 'Streams' }));
    const heads = $$<HTMLTableCellElement>(el, 'thead th');
    expect(heads.map(text)).to.deep.equal(['Stream', 'Msgs', 'Subjects']);
    expect(heads.every((th) => th.getAttribute('scope') === 'col')).to.equal(true);
    expect(heads.map((th) => th.dataset.column)).to.deep.equal(['name', 'messages', 'subjects']);
    expect(heads[1]!.title).to.equal('Messages stored');
    const rows = $$<HTMLTableRowElement>(el, 'tbody tr');
    expect(rows.map((r) => [...r.cells].map(text))).to.deep.equal([
      ['ORDERS', formatNumber(1_234_567), 'orders.>'],
      ['<img src=x onerror=alert(1)>', '7', 'orders.>'],
      ['EVENTS', '42', 'orders.>'],
    ]);
    // The row header column is a <th scope="row">, with the cell's tooltip.
    expect(rows[0]!.cells[0]!.localName).to.equal('th');
    expect(rows[0]!.cells[0]!.getAttribute('scope')).to.equal('row');
    expect(rows[1]!.cells[0]!.title).to.equal('<img src=x onerror=alert(1)>');
    expect(el.shadowRoot!.querySelector('img')).to.equal(null);
    // Classes: numbers, and the column's own.
    expect(rows[0]!.cells[1]!.className).to.equal('num');
    expect(rows[0]!.cells[2]!.className).to.equal('subjects mono');
    expect(heads[2]!.className, 'cell classes stay off the header').to.equal('subjects');
    await expect(el).to.be.accessible();
  });

  it('right-aligns numbers with tabular figures', async () => {
    const el = await host(() => renderTable({ columns: COLUMNS, rows: STREAMS, label: 'Streams' }));
    const num = $$<HTMLTableRowElement>(el, 'tbody tr')[0]!.cells[1]!;
    expect(getComputedStyle(num).textAlign).to.equal('right');
    expect(getComputedStyle(num).fontVariantNumeric).to.equal('tabular-nums');
    expect(getComputedStyle($(el, 'thead th.num')).textAlign).to.equal('right');
    expect(getComputedStyle($$<HTMLTableRowElement>(el, 'tbody tr')[0]!.cells[2]!).textAlign).to.equal('left');
  });

  it('marks the sorted column with aria-sort and an arrow, and sorts by a header', async () => {
    const keys: string[] = [];
    const onSort = (key: string) => keys.push(key);
    let direction: 'ascending' | 'descending' = 'descending';
    const el = await host(() =>
      renderTable({ columns: COLUMNS, rows: STREAMS, label: 'Streams', sort: { key: 'messages', direction }, onSort, canSort: (k) => k !== 'subjects' }),
    );
    const sorted = $$<HTMLTableCellElement>(el, 'th[aria-sort]');
    expect(sorted).to.have.length(1);
    expect(sorted[0]!.getAttribute('aria-sort')).to.equal('descending');
    expect(text(sorted[0])).to.equal('Msgs ↓');
    // The arrow is seen, not read: aria-sort says the direction.
    expect($(el, 'th[aria-sort] .sort-arrow').getAttribute('aria-hidden')).to.equal('true');
    // A key that may not be chosen now has no button; a column without a sort key neither.
    expect($$(el, 'th button').map((b) => (b as HTMLElement).dataset.sort)).to.deep.equal(['messages']);
    $<HTMLButtonElement>(el, 'th button[data-sort="messages"]').click();
    direction = 'ascending';
    el.requestUpdate();
    await el.updateComplete;
    expect($(el, 'th[aria-sort]').getAttribute('aria-sort')).to.equal('ascending');
    expect(text($(el, 'th[aria-sort]'))).to.equal('Msgs ↑');
    // The same listener after a render: one call per click.
    $<HTMLButtonElement>(el, 'th button[data-sort="messages"]').click();
    expect(keys).to.deep.equal(['messages', 'messages']);
    await expect(el).to.be.accessible();
  });

  it('says when there is nothing, in a row spanning every column', async () => {
    const el = await host(() => renderTable({ columns: COLUMNS, rows: [], label: 'Streams', empty: 'No streams.' }));
    const rows = $$<HTMLTableRowElement>(el, 'tbody tr');
    expect(rows).to.have.length(1);
    const cell = rows[0]!.cells[0]!;
    expect(text(cell)).to.equal('No streams.');
    expect(cell.colSpan).to.equal(COLUMNS.length);
    expect(cell.getAttribute('part')).to.equal('empty');
    await expect(el).to.be.accessible();
  });

  it('names the table and its scroller (a focusable region), or captions it', async () => {
    let el = await host(() => renderTable({ columns: COLUMNS, rows: STREAMS, label: 'Streams of BRIDGE' }));
    const scroller = $<HTMLElement>(el, '.scroll');
    expect(scroller.getAttribute('role')).to.equal('region');
    expect(scroller.getAttribute('aria-label')).to.equal('Streams of BRIDGE');
    expect(scroller.tabIndex).to.equal(0);
    expect($(el, 'table').getAttribute('aria-label')).to.equal('Streams of BRIDGE');
    expect($(el, 'table').getAttribute('part')).to.equal('table');
    el = await host(
      () =>
        html`<h2 id="t">Streams</h2>
          ${renderTable({ columns: COLUMNS, rows: STREAMS, labelledBy: 't', caption: 'Three streams', role: 'grid', region: false, busy: true, scrollClass: 'wide' })}`,
    );
    const plain = $<HTMLElement>(el, '.scroll');
    expect(plain.classList.contains('wide')).to.equal(true);
    expect(plain.hasAttribute('role')).to.equal(false);
    expect(plain.hasAttribute('tabindex')).to.equal(false);
    expect(plain.getAttribute('aria-busy')).to.equal('true');
    expect($(el, 'table').getAttribute('aria-labelledby')).to.equal('t');
    expect($(el, 'table').getAttribute('role')).to.equal('grid');
    expect(text($(el, 'caption'))).to.equal('Three streams');
  });

  it('keeps the first column in view (sticky, opaque) and scrolls the table inside its box', async () => {
    const wide: TableColumn<Stream>[] = [
      COLUMNS[0]!,
      ...Array.from({ length: 12 }, (_, i): TableColumn<Stream> => ({
        id: `c${i}`,
        label: `Column ${i}`,
        numeric: true,
        cell: (s) => formatNumber(s.messages * i),
      })),
    ];
    const el = await host(() => renderTable({ columns: wide, rows: STREAMS, label: 'Streams', stickyFirst: true }));
    const scroller = $<HTMLElement>(el, '.scroll');
    expect(getComputedStyle(scroller).overflowX).to.equal('auto');
    expect(scroller.scrollWidth).to.be.greaterThan(scroller.clientWidth);
    expect(el.scrollWidth, 'the host does not overflow').to.be.at.most(el.clientWidth);
    const first = [$<HTMLElement>(el, 'thead th'), $$<HTMLTableRowElement>(el, 'tbody tr')[0]!.cells[0]!];
    for (const cell of first) {
      expect(cell.classList.contains('sticky')).to.equal(true);
      expect(getComputedStyle(cell).position).to.equal('sticky');
      expect(getComputedStyle(cell).backgroundColor).to.match(/^rgb\(|^rgba\(.*, 1\)$/);
    }
    expect($$<HTMLTableRowElement>(el, 'tbody tr')[0]!.cells[1]!.classList.contains('sticky')).to.equal(false);
    scroller.scrollLeft = scroller.scrollWidth;
    const left = scroller.getBoundingClientRect().left;
    expect(Math.abs(first[1]!.getBoundingClientRect().left - left)).to.be.at.most(1);
  });

  it('renders a slice of the rows as the body (a window), keyed rows keep their elements', async () => {
    let from = 0;
    const all = Array.from({ length: 100 }, (_, i): Stream => ({ name: `S${i}`, messages: i, server: { name: 'a' } }));
    const options = { key: (s: Stream) => s.name };
    const el = await host(() =>
      renderTable({ columns: COLUMNS, rows: all, label: 'Streams', ...options, body: renderRows(COLUMNS, all.slice(from, from + 10), options) }),
    );
    expect($$(el, 'tbody tr')).to.have.length(10);
    const s5 = $$<HTMLTableRowElement>(el, 'tbody tr')[5]!;
    expect(text(s5.cells[0])).to.equal('S5');
    from = 5;
    el.requestUpdate();
    await el.updateComplete;
    const rows = $$<HTMLTableRowElement>(el, 'tbody tr');
    expect(rows.map((r) => text(r.cells[0]))).to.deep.equal(['S5', 'S6', 'S7', 'S8', 'S9', 'S10', 'S11', 'S12', 'S13', 'S14']);
    expect(rows[0]).to.equal(s5);
  });

  it('takes rows of its own (attributes, a detail row after) and row classes', async () => {
    const el = await host(() =>
      renderTable({
        columns: COLUMNS,
        rows: STREAMS,
        label: 'Streams',
        row: (s, cells) =>
          html`<tr data-name=${s.name}>
              ${cells}
            </tr>
            ${
              s.name === 'EVENTS'
                ? html`<tr class="detail">
                    <td colspan="3">detail</td>
                  </tr>`
                : nothing
            }`,
      }),
    );
    expect($$<HTMLElement>(el, 'tbody tr[data-name]').map((r) => r.dataset.name)).to.deep.equal(STREAMS.map((s) => s.name));
    expect(text($(el, 'tr.detail'))).to.equal('detail');
    const classed = await host(() =>
      renderTable({ columns: COLUMNS, rows: STREAMS, label: 'Streams', rowClass: (s) => (s.messages > 100 ? 'big' : undefined) }),
    );
    expect($$<HTMLTableRowElement>(classed, 'tbody tr').map((r) => r.className)).to.deep.equal(['big', '', '']);
  });

  it('adds a Server column when several servers answered', () => {
    expect(withServerColumn(false, COLUMNS)).to.equal(COLUMNS);
    const many = withServerColumn(true, COLUMNS);
    expect(many.map((c) => c.id)).to.deep.equal(['server', 'name', 'messages', 'subjects']);
    expect(many[0]!.cell(STREAMS[1]!)).to.equal('nats-b');
  });
});

describe('pager part', () => {
  it('says the range through formatNumber', () => {
    expect(pageRange(0, 50, 300)).to.equal(`1–50 of ${formatNumber(300)}`);
    expect(pageRange(1_000, 50, 12_345)).to.equal(`${formatNumber(1_001)}–${formatNumber(1_050)} of ${formatNumber(12_345)}`);
    expect(pageRange(10, 10)).to.equal('11–20');
    expect(pageRange(0, 0, 0)).to.equal('');
  });

  it('pages: disabled at the ends, a labelled navigation with the range as a status', async () => {
    const clicks: string[] = [];
    let first = 0;
    const onPrevious = () => clicks.push('previous');
    const onNext = () => clicks.push('next');
    const el = await host(() => pager({ label: 'Stream pages', first, shown: 50, total: 120, onPrevious, onNext }));
    const nav = $<HTMLElement>(el, 'nav');
    expect(nav.getAttribute('aria-label')).to.equal('Stream pages');
    expect(nav.getAttribute('part')).to.equal('pager');
    const prev = $<HTMLButtonElement>(el, 'button.prev');
    const next = $<HTMLButtonElement>(el, 'button.next');
    expect(text(prev)).to.equal('Previous');
    expect(text(next)).to.equal('Next');
    expect(text($(el, '.range'))).to.equal(`1–50 of ${formatNumber(120)}`);
    expect($(el, '.range').getAttribute('role')).to.equal('status');
    expect(prev.disabled).to.equal(true);
    expect(next.disabled).to.equal(false);
    next.click();
    expect(clicks).to.deep.equal(['next']);
    await expect(el).to.be.accessible();
    first = 100;
    el.content = () => pager({ label: 'Stream pages', first, shown: 20, total: 120, onPrevious, onNext });
    await el.updateComplete;
    expect(text($(el, '.range'))).to.equal(`101–120 of ${formatNumber(120)}`);
    expect(prev.disabled).to.equal(false);
    expect(next.disabled).to.equal(true);
    prev.click();
    expect(clicks).to.deep.equal(['next', 'previous']);
  });

  it('without a total: "1–10", next as told; a status of its own', async () => {
    const noop = () => {};
    const el = await host(() => pager({ label: 'Pages', first: 0, shown: 10, hasNext: true, onPrevious: noop, onNext: noop }));
    expect(text($(el, '.range'))).to.equal('1–10');
    expect($<HTMLButtonElement>(el, 'button.next').disabled).to.equal(false);
    el.content = () => pager({ label: 'Pages', first: 0, shown: 0, status: 'Showing none', onPrevious: noop, onNext: noop });
    await el.updateComplete;
    expect(text($(el, '.range'))).to.equal('Showing none');
    expect($<HTMLButtonElement>(el, 'button.next').disabled).to.equal(true);
  });
});

describe('tile part', () => {
  it('renders a figure: label, value and detail, marked when it needs attention', async () => {
    const el = await host(() => html`<dl>${tile('Streams', '3')} ${tile('API requests', '12', html`<span class="sub">2 errors</span>`, { warn: true })}</dl>`);
    const tiles = $$<HTMLElement>(el, '[part="tile"]');
    expect(tiles.map((t) => text(t.querySelector('dt')))).to.deep.equal(['Streams', 'API requests']);
    expect(tiles.map((t) => text(t.querySelector('dd')))).to.deep.equal(['3', '12 2 errors']);
    expect(text(tiles[0]!.querySelector('.value'))).to.equal('3');
    expect(tiles.map((t) => t.classList.contains('warn'))).to.deep.equal([false, true]);
    expect(getComputedStyle(tiles[0]!).backgroundColor).to.not.equal('rgba(0, 0, 0, 0)');
    await expect(el).to.be.accessible();
  });
});

describe('design tokens', () => {
  /** The rules of the element's stylesheets, flattened, with the media they apply under. */
  function rules(el: Element): Array<{ media: string; rule: CSSStyleRule }> {
    const out: Array<{ media: string; rule: CSSStyleRule }> = [];
    const walk = (list: CSSRuleList, media: string) => {
      for (const r of list) {
        if (r instanceof CSSMediaRule) walk(r.cssRules, r.conditionText);
        else if (r instanceof CSSStyleRule) out.push({ media, rule: r });
      }
    };
    for (const sheet of el.shadowRoot!.adoptedStyleSheets) walk(sheet.cssRules, '');
    return out;
  }

  it('declares each token once, privately on :host; shadow styles read only the private names', async () => {
    const el = await host(() => renderTable({ columns: COLUMNS, rows: STREAMS, label: 'Streams' }));
    const all = rules(el);
    const declared = new Map<string, number>();
    for (const { media, rule } of all) {
      for (const name of rule.style) {
        if (!name.startsWith('--')) continue;
        // Never a public token, and private ones only on :host.
        expect(name.startsWith('--_'), `${name} in ${rule.selectorText}`).to.equal(true);
        expect(rule.selectorText, name).to.equal(':host');
        if (!media) declared.set(name, (declared.get(name) ?? 0) + 1);
      }
      // Only the token declarations carry built-in colours.
      const isTokens = rule.selectorText === ':host' && [...rule.style].some((n) => n.startsWith('--_'));
      if (!isTokens) expect(rule.cssText, rule.selectorText).to.not.contain('light-dark(');
    }
    expect(
      [...declared.values()].every((n) => n === 1),
      JSON.stringify([...declared]),
    ).to.equal(true);
    expect([...declared.keys()]).to.include.members(['--_color-border', '--_color-surface', '--_color-text', '--_color-focus', '--_color-divider']);
    const tokens = all.find(({ media, rule }) => !media && rule.style.getPropertyValue('--_color-border'))!.rule;
    expect(tokens.style.getPropertyValue('--_color-border').trim()).to.equal('var(--nunect-color-border, light-dark(#d6dbe1, #2f3742))');
  });

  it('themes from any ancestor through the public token', async () => {
    const wrapper = await fixture<HTMLElement>(
      html`<div style="--nunect-color-border: rgb(1, 2, 3); --nunect-jsz-header-background: rgb(4, 5, 6)">
        <test-parts-host .content=${() => renderTable({ columns: COLUMNS, rows: STREAMS, label: 'Streams' })}></test-parts-host>
      </div>`,
    );
    const el = wrapper.querySelector<PartsHost>('test-parts-host')!;
    await el.updateComplete;
    expect(getComputedStyle(el).borderTopColor).to.equal('rgb(1, 2, 3)');
    // Dividers fall back to the border token.
    expect(getComputedStyle($$<HTMLTableRowElement>(el, 'tbody tr')[0]!.cells[1]!).borderBottomColor).to.equal('rgb(1, 2, 3)');
    expect(getComputedStyle($(el, 'thead')).backgroundColor).to.equal('rgb(4, 5, 6)');
  });

  it('has a forced-colors block: system colours, and borders where backgrounds carried meaning', async () => {
    const el = await host(() => html`<div class="status" data-kind="error">x</div>`);
    const forced = rules(el).filter(({ media }) => media.includes('forced-colors: active'));
    const tokens = forced.find(({ rule }) => rule.selectorText === ':host')!.rule.style;
    expect(tokens.getPropertyValue('--_color-text').trim()).to.equal('CanvasText');
    expect(tokens.getPropertyValue('--_color-surface').trim()).to.equal('Canvas');
    expect(tokens.getPropertyValue('--_color-focus').trim()).to.equal('Highlight');
    expect(tokens.getPropertyValue('--_color-button').trim()).to.equal('ButtonFace');
    const bordered = (selector: string) =>
      forced.some(
        ({ rule }) =>
          rule.selectorText
            .split(',')
            .map((s) => s.trim())
            .includes(selector) && /border/.test(rule.style.cssText),
      );
    for (const selector of ['.status', '.tile', '.sticky']) expect(bordered(selector), selector).to.equal(true);
    expect(forced.some(({ rule }) => rule.selectorText.includes('aria-expanded') && rule.style.outlineStyle === 'solid')).to.equal(true);
  });
});
