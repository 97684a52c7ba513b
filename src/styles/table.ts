import { css, unsafeCSS, type CSSResult } from 'lit';

/** The widgets with tables (the prefix of their custom properties). */
export type TableWidget = 'connz' | 'accounts' | 'routez' | 'jsz' | 'subsz' | 'units' | 'streams' | 'kv' | 'services';

/**
 * The look of the tables of `src/parts/table.ts` in `widget`'s shadow root: the scroller (scrolls
 * sideways and, with a maximum height, down inside the card; a shadow at the right edge while more
 * columns lie beyond it), the sticky header row, sort buttons, right-aligned numbers with tabular
 * figures, the sticky first column and the empty row. Widget properties (document the ones a
 * widget uses):
 * - `--nunect-<widget>-header-background` — the sticky header row;
 * - `--nunect-<widget>-sorted-color` — the sorted column's header;
 * - `--nunect-<widget>-name-background` — the sticky first (name) column, opaque;
 * - `--nunect-<widget>-scroll-shadow` — the shadow at the right edge;
 * - `--nunect-<widget>-max-height` — how tall a long (virtual) table gets before it scrolls down.
 */
export function tableStyles(widget: TableWidget): CSSResult {
  const w = unsafeCSS(widget);
  return css`
    .scroll {
      overflow: auto;
      max-width: 100%;
      container-type: inline-size;
      /* A shadow at the right edge while more columns lie beyond it (the cover scrolls with the table). */
      background:
        linear-gradient(to left, var(--_color-surface) 40%, transparent) right / 28px 100% no-repeat local,
        radial-gradient(farthest-side at 100% 50%, var(--nunect-${w}-scroll-shadow, var(--_color-shadow)), transparent) right / 12px 100% no-repeat scroll;
    }
    /* A long list renders only the rows in view (renderWindow): it scrolls down inside the card. */
    .scroll.virtual {
      max-height: var(--nunect-${w}-max-height, 70vh);
      overscroll-behavior: contain;
    }
    tr.spacer > td {
      padding: 0;
      border: none;
    }
    table {
      border-collapse: collapse;
      width: 100%;
    }
    caption {
      text-align: left;
      font-weight: 600;
      padding: 0 0 6px;
    }
    th,
    td {
      text-align: left;
      padding: 4px 8px;
      border-bottom: 1px solid var(--_color-divider);
      white-space: nowrap;
    }
    th {
      font-weight: 600;
    }
    .num {
      text-align: right;
      font-variant-numeric: tabular-nums;
    }
    /* One sticky box for the header row (not one per cell: cheaper to paint on every refresh). */
    thead {
      position: sticky;
      top: 0;
      z-index: 1;
      background: var(--nunect-${w}-header-background, var(--_color-surface));
    }
    th button {
      font-weight: inherit;
      background: none;
      border: none;
      padding: 0;
      border-radius: 2px;
      text-align: inherit;
    }
    th button:hover {
      text-decoration: underline;
      background: none;
    }
    th[aria-sort] button {
      color: var(--nunect-${w}-sorted-color, var(--_color-accent));
    }
    /* The first column stays in view while the table scrolls sideways; opaque, so cells never show through. */
    .sticky {
      position: sticky;
      left: 0;
      background: var(--nunect-${w}-name-background, var(--_color-surface));
      box-shadow: inset -1px 0 0 var(--_color-divider);
    }
    th.sticky {
      background: var(--nunect-${w}-header-background, var(--_color-surface));
    }
    td.empty {
      padding: 10px 8px;
      white-space: normal;
      color: var(--_color-muted);
    }
    @media (forced-colors: active) {
      /* Box shadows are gone: a border separates the sticky column; an open row is outlined. */
      .sticky {
        border-right: 1px solid CanvasText;
      }
      tbody tr[aria-expanded='true'] {
        outline: 2px solid Highlight;
        outline-offset: -2px;
      }
    }
  `;
}
