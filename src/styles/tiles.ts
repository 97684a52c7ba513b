import { css, unsafeCSS, type CSSResult } from 'lit';

/**
 * The figure tiles of the overview widgets (varz, jsz, subsz): a `<dl>` grid of `.tile` divs with
 * `<dt>` label and `<dd>` (`.value`, then small `.rate`/`.sub` lines). Sizes and backgrounds read
 * `--nunect-<widget>-tile-width` and `--nunect-<widget>-tile-background`.
 */
export function tileStyles(widget: 'varz' | 'jsz' | 'subsz', minWidth = 150): CSSResult {
  const w = unsafeCSS(widget);
  return css`
    dl {
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(var(--nunect-${w}-tile-width, ${minWidth}px), 1fr));
      gap: 8px;
      margin: 0;
    }
    .tile {
      padding: 8px;
      border-radius: 6px;
      background: var(--nunect-${w}-tile-background, var(--nunect-color-subtle, light-dark(#f4f6f8, #1c222b)));
    }
    dt {
      font-size: 0.85em;
      color: var(--nunect-color-muted, light-dark(#5b6673, #9aa5b1));
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
      color: var(--nunect-color-muted, light-dark(#5b6673, #9aa5b1));
    }
    .warn dd {
      color: var(--nunect-color-warning, light-dark(#7a5300, #ffd27a));
    }
  `;
}
