import { html, nothing, type TemplateResult } from 'lit';
import { ref } from 'lit/directives/ref.js';
import { repeat } from 'lit/directives/repeat.js';
import type { VirtualWindow } from '../controllers/virtual-window-controller.js';
import { styleProps } from './style-props.js';

/**
 * A column-driven table, rendered inside a widget's shadow root (include `tableStyles(widget)` of
 * src/styles/table.ts in the widget's styles). Two pieces, so that a widget may render only some
 * rows (a window of a long list, see `body`):
 * - `renderTable(options)`: the shell — a scroller (scrolls sideways inside the card), the table
 *   with its accessible name or caption, the header row (sort buttons with `aria-sort` and an
 *   arrow) and the body: the given rows, or an empty row that says there is nothing;
 * - `renderRows(columns, rows, options)`: the `<tr>`s of any rows (keyed with `key`);
 * - `renderWindow(columns, rows, window, options)`: only the rows of a `VirtualWindow` between two
 *   spacer rows (long lists: pass the controller's `scroller` as `scrollerRef` and `virtual: true`).
 *
 * ```ts
 * const columns: TableColumn<Stream>[] = [
 *   { id: 'name', label: 'Stream', rowHeader: true, cell: (s) => s.name },
 *   { id: 'msgs', label: 'Messages', numeric: true, sortKey: 'msgs', cell: (s) => formatCount(s.messages) },
 * ];
 * renderTable({ columns, rows: streams, label: 'Streams', empty: 'No streams.', key: (s) => s.name,
 *   sort: { key: 'msgs', direction: 'descending' }, onSort: this.#onSort });
 * ```
 *
 * Cells are Lit text bindings or templates: server-provided text is never markup.
 */

/** What a cell shows. */
export type CellContent = TemplateResult | string | number | typeof nothing;

/** One column: its header and how a row's cell is rendered. */
export interface TableColumn<R> {
  /** Stable id (`data-column` of the header; column choices use it). */
  id: string;
  /** The header text. */
  label: string;
  /** Header tooltip (e.g. what an abbreviation means). */
  title?: string;
  /** Numbers: right-aligned, tabular figures (`.num`). */
  numeric?: boolean;
  /** The header sorts: clicking it calls `onSort(sortKey)`; `sort.key === sortKey` marks it sorted. */
  sortKey?: string;
  /** The cell is the row's header (`<th scope="row">`), e.g. the name of what the row is about. */
  rowHeader?: boolean;
  /** More classes of the header cell and the cells (what the column is, e.g. `name`). */
  className?: string;
  /** More classes of the cells alone (how they look, e.g. `mono`). */
  cellClass?: string;
  /** A cell's tooltip (e.g. the full text of a clipped one). */
  cellTitle?: (row: R) => string | undefined;
  /** The cell's content. */
  cell: (row: R) => CellContent;
}

export type SortDirection = 'ascending' | 'descending';

/** The sorted column (by its `sortKey`) and the direction. */
export interface TableSort {
  key: string;
  direction: SortDirection;
}

/** How rows are rendered (also for a slice of them: `renderRows`). */
export interface RowOptions<R> {
  /** A stable key per row: rows are reused by key when the list changes (`repeat`). */
  key?: (row: R) => string;
  /** Classes of a row's `<tr>`. */
  rowClass?: (row: R) => string | undefined;
  /** A row of one's own: the `<tr>` around `cells` (attributes, events) and what follows it (a detail row). */
  row?: (row: R, cells: TemplateResult[]) => TemplateResult;
  /** The first column stays in view while the table scrolls sideways (`.sticky`, opaque). */
  stickyFirst?: boolean;
}

export interface TableOptions<R> extends RowOptions<R> {
  columns: readonly TableColumn<R>[];
  /** Every row (the empty row shows when there is none). */
  rows: readonly R[];
  /**
   * The body instead of `renderRows(columns, rows, options)`, e.g. a window of the rows between
   * spacer rows: `html\`${spacer(top)}${renderRows(columns, rows.slice(from, to), options)}${spacer(bottom)}\``.
   */
  body?: unknown;
  /** The table's accessible name (and the scroller's). */
  label?: string;
  /** Or the id of the element that names it (a heading). */
  labelledBy?: string;
  /** A visible caption (names the table). */
  caption?: string | TemplateResult;
  /** What the empty row says (default "Nothing to show."). */
  empty?: string | TemplateResult;
  /** The sorted column. */
  sort?: TableSort;
  /** Whether a column's sort key may be chosen now (default: every `sortKey`). */
  canSort?: (key: string) => boolean;
  /** A header's sort button was clicked (pass a stable function: the listener is kept per function). */
  onSort?: (key: string) => void;
  /**
   * The scroller is a focusable, labelled region (default), so a keyboard can scroll it; a table
   * whose rows take the focus themselves (a treegrid) passes false.
   */
  region?: boolean;
  /** `treegrid` or `grid` for tables with keyboard navigation (see RovingFocusController). */
  role?: 'treegrid' | 'grid';
  /** New rows are on their way (old ones shown): `aria-busy` on the scroller. */
  busy?: boolean;
  /** More classes of the scroller (it always has `scroll`). */
  scrollClass?: string;
  /** Ref callback of the scroller (e.g. a VirtualWindowController's `scroller`). */
  scrollerRef?: (el?: Element) => void;
  /**
   * The body is a window of `rows` (`renderWindow`): the scroller scrolls down inside the card
   * (class `virtual`, at most `--nunect-<widget>-max-height` tall) and the table says how many
   * rows there are (`aria-rowcount`; the rows carry `aria-rowindex`).
   */
  virtual?: boolean;
}

/**
 * `columns` with a first "Server" column (the server that reported the row) when several servers
 * answered (`many`); as they are for one.
 */
export function withServerColumn<R extends { server: { name: string } }>(many: boolean, columns: readonly TableColumn<R>[]): readonly TableColumn<R>[] {
  return many ? [{ id: 'server', label: 'Server', cell: (r: R) => r.server.name }, ...columns] : columns;
}

/** The classes of each column's header (`cells` false) or cells. */
function columnClasses<R>(columns: readonly TableColumn<R>[], stickyFirst = false, cells = true): string[] {
  return columns.map((col, i) =>
    [col.numeric ? 'num' : '', stickyFirst && i === 0 ? 'sticky' : '', col.className ?? '', cells ? (col.cellClass ?? '') : ''].filter(Boolean).join(' '),
  );
}

function cells<R>(columns: readonly TableColumn<R>[], row: R, classes: readonly string[]): TemplateResult[] {
  return columns.map((col, i) => {
    const cls = classes[i] || nothing;
    const title = col.cellTitle?.(row) ?? nothing;
    return col.rowHeader
      ? html`<th scope="row" class=${cls} title=${title}>${col.cell(row)}</th>`
      : html`<td class=${cls} title=${title}>${col.cell(row)}</td>`;
  });
}

/** The cells of one row, in column order (for a row of one's own outside `renderRows`). */
export function renderCells<R>(columns: readonly TableColumn<R>[], row: R, options: Pick<RowOptions<R>, 'stickyFirst'> = {}): TemplateResult[] {
  return cells(columns, row, columnClasses(columns, options.stickyFirst));
}

/**
 * A spacer row `px` tall standing for rows that are not rendered (above or below a window). Its
 * height goes through the CSSOM (the page's CSP forbids style attributes).
 */
export function spacerRow(colspan: number, px: number): TemplateResult | typeof nothing {
  return px > 0
    ? html`<tr class="spacer" aria-hidden="true">
        <td colspan=${colspan} ${styleProps({ height: `${px}px` })}></td>
      </tr>`
    : nothing;
}

/**
 * The rows of `window` (of a VirtualWindowController) between spacer rows as tall as the rows left
 * out, so that the scroll bar is true. `row` (of `options`) gets each row's index in `rows`.
 */
export function renderWindow<R>(columns: readonly TableColumn<R>[], rows: readonly R[], window: VirtualWindow, options: RowOptions<R> = {}): unknown {
  const slice = rows.slice(window.from, window.to);
  return html`${spacerRow(columns.length, window.offset)}${renderRows(columns, slice, options)}${spacerRow(columns.length, window.after)}`;
}

/** The `<tr>`s of `rows` (all of them, or a window), keyed when `options.key` is given. */
export function renderRows<R>(columns: readonly TableColumn<R>[], rows: readonly R[], options: RowOptions<R> = {}): unknown {
  const classes = columnClasses(columns, options.stickyFirst);
  const { row, rowClass } = options;
  const one = (r: R): TemplateResult => {
    const c = cells(columns, r, classes);
    return row
      ? row(r, c)
      : html`<tr class=${rowClass?.(r) || nothing}>
          ${c}
        </tr>`;
  };
  return options.key ? repeat(rows, options.key, one) : rows.map(one);
}

function noRef(): void {}

const sortListeners = new WeakMap<(key: string) => void, (e: Event) => void>();

/** One listener per `onSort` function, so the header's buttons keep theirs from render to render. */
function sortListener(onSort: (key: string) => void): (e: Event) => void {
  let listener = sortListeners.get(onSort);
  if (!listener) {
    listener = (e: Event) => {
      const key = (e.currentTarget as HTMLElement).dataset.sort;
      if (key !== undefined) onSort(key);
    };
    sortListeners.set(onSort, listener);
  }
  return listener;
}

/** The header row: labels, tooltips, sort buttons with `aria-sort` and an arrow on the sorted one. */
export function renderHead<R>(
  columns: readonly TableColumn<R>[],
  options: Pick<TableOptions<R>, 'sort' | 'canSort' | 'onSort' | 'stickyFirst'> = {},
): TemplateResult {
  const classes = columnClasses(columns, options.stickyFirst, false);
  const { sort, canSort, onSort } = options;
  const listener = onSort ? sortListener(onSort) : undefined;
  return html`<thead>
    <tr>
      ${columns.map((col, i) => {
        const key = col.sortKey;
        const sortable = key !== undefined && listener !== undefined && (canSort?.(key) ?? true);
        const direction = sortable && sort?.key === key ? sort.direction : undefined;
        return html`<th scope="col" class=${classes[i] || nothing} title=${col.title ?? nothing} aria-sort=${direction ?? nothing} data-column=${col.id}>
          ${
            sortable
              ? html`<button type="button" data-sort=${key} @click=${listener}>
                  ${col.label}${direction ? html`<span class="sort-arrow" aria-hidden="true">${direction === 'ascending' ? ' ↑' : ' ↓'}</span>` : nothing}
                </button>`
              : col.label
          }
        </th>`;
      })}
    </tr>
  </thead>`;
}

/** The whole table: scroller, table, caption, header row and body (or the empty row). */
export function renderTable<R>(options: TableOptions<R>): TemplateResult {
  const { columns, rows, label, labelledBy } = options;
  const region = options.region ?? true;
  const body: unknown = options.body ?? renderRows(columns, rows, options);
  const classes = ['scroll', options.virtual ? 'virtual' : '', options.scrollClass ?? ''].filter(Boolean).join(' ');
  return html`<div
    class=${classes}
    ${ref(options.scrollerRef ?? noRef)}
    tabindex=${region ? 0 : nothing}
    role=${region ? 'region' : nothing}
    aria-label=${region && label ? label : nothing}
    aria-labelledby=${region && labelledBy ? labelledBy : nothing}
    aria-busy=${options.busy === undefined ? nothing : String(options.busy)}
  >
    <table
      part="table"
      role=${options.role ?? nothing}
      aria-label=${label ?? nothing}
      aria-labelledby=${labelledBy ?? nothing}
      aria-rowcount=${options.virtual ? rows.length + 1 : nothing}
    >
      ${
        options.caption !== undefined
          ? html`<caption>
              ${options.caption}
            </caption>`
          : nothing
      }
      ${renderHead(columns, options)}
      <tbody>
        ${body}${
          rows.length
            ? nothing
            : html`<tr class="empty-row">
                <td class="empty" part="empty" colspan=${columns.length}>${options.empty ?? 'Nothing to show.'}</td>
              </tr>`
        }
      </tbody>
    </table>
  </div>`;
}
