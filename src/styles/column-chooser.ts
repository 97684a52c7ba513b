import { css, unsafeCSS, type CSSResult } from 'lit';

/**
 * The look of the column chooser of `src/controllers/column-chooser-controller.ts`: its button and
 * the panel of checkboxes (between the range line and the table, never clipped by the scroller).
 * Reads `--nunect-<widget>-columns-menu-background`.
 */
export function columnChooserStyles(widget: string): CSSResult {
  const w = unsafeCSS(widget);
  return css`
    .columns-button {
      padding: 2px 8px;
      font-size: 0.9em;
    }
    .columns-button[aria-expanded='true'] {
      background: var(--_color-button-hover);
    }
    .columns-menu {
      margin: 0 0 8px;
      padding: 6px 10px 8px;
      border: 1px solid var(--_color-border);
      border-radius: 6px;
      background: var(--nunect-${w}-columns-menu-background, var(--_color-subtle));
      min-width: 0;
    }
    .columns-menu[hidden] {
      display: none;
    }
    .columns-menu legend {
      font-size: 0.9em;
      font-weight: 600;
      padding: 0 4px;
    }
    .columns-list {
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(min(100%, 9.5em), 1fr));
      gap: 2px 12px;
    }
    .columns-list label {
      display: flex;
      gap: 6px;
      align-items: center;
      white-space: nowrap;
    }
    .columns-actions {
      display: flex;
      flex-wrap: wrap;
      gap: 8px;
      margin-top: 6px;
    }
    @media (forced-colors: active) {
      .columns-button[aria-expanded='true'] {
        outline: 2px solid Highlight;
      }
    }
  `;
}
