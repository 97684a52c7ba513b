import { css, unsafeCSS, type CSSResult } from 'lit';

/** The widgets with figure tiles (the prefix of their custom properties). */
export type TileWidget = 'varz' | 'jsz' | 'subsz' | 'units' | 'services';

/**
 * The figure tiles of the overview widgets (varz, jsz, subsz; rendered by `tile()` of
 * `src/parts/tiles.ts`): the grid of server cards (`.servers` of `.server` sections with a
 * `header`), each a `<dl>` grid of `.tile` divs with `<dt>` label and `<dd>` (`.value`, then small
 * `.rate`/`.sub` lines and sparklines). Reads `--nunect-<widget>-gap`, `--nunect-<widget>-tile-width`,
 * `--nunect-<widget>-tile-background` and `--nunect-sparkline-color`.
 */
export function tileStyles(widget: TileWidget, minWidth = 150, gap = 12): CSSResult {
  const w = unsafeCSS(widget);
  const min = unsafeCSS(`${minWidth}px`);
  const space = unsafeCSS(`${gap}px`);
  return css`
    .servers {
      display: grid;
      gap: var(--nunect-${w}-gap, ${space});
    }
    .server header {
      display: flex;
      flex-wrap: wrap;
      gap: 4px 12px;
      align-items: baseline;
      margin-bottom: 8px;
    }
    .server header strong {
      font-size: 1.1em;
    }
    dl {
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(var(--nunect-${w}-tile-width, ${min}), 1fr));
      gap: 8px;
      margin: 0;
    }
    .tile {
      padding: 8px;
      border-radius: 6px;
      background: var(--nunect-${w}-tile-background, var(--_color-subtle));
    }
    dt {
      font-size: 0.85em;
      color: var(--_color-muted);
    }
    dd {
      margin: 0;
      display: flex;
      flex-direction: column;
      font-variant-numeric: tabular-nums;
    }
    .value {
      font-size: 1.25em;
    }
    .rate,
    .sub {
      font-size: 0.85em;
      color: var(--_color-muted);
    }
    .warn dd {
      color: var(--_color-warning);
    }
    svg[part~='sparkline'] polyline {
      stroke: var(--nunect-sparkline-color, var(--_color-accent));
    }
    @media (forced-colors: active) {
      /* Tile backgrounds are gone: borders keep each figure apart, a thick one marks a warning. */
      .tile {
        border: 1px solid CanvasText;
      }
      .tile.warn {
        border-width: 3px;
      }
      svg[part~='sparkline'] polyline {
        stroke: CanvasText;
      }
    }
  `;
}
