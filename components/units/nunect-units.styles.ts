import { css } from 'lit';
import { tableStyles } from '../../src/styles/table.js';
import { tileStyles } from '../../src/styles/tiles.js';

const own = css`
  .toolbar {
    display: flex;
    flex-wrap: wrap;
    gap: var(--nunect-units-gap, 8px 12px);
    align-items: center;
    margin: 8px 0;
  }
  .field {
    display: inline-flex;
    gap: 6px;
    align-items: center;
  }
  .liveness {
    margin: 8px 0;
  }
  .badge {
    display: inline-block;
    padding: 0 8px;
    border-radius: 999px;
    border: 1px solid currentColor;
    font-size: 0.85em;
    font-weight: 600;
    white-space: nowrap;
  }
  .badge[data-state='alive'] {
    color: var(--nunect-units-alive-color, var(--_color-success));
  }
  .badge[data-state='late'] {
    color: var(--nunect-units-late-color, var(--_color-warning));
  }
  .badge[data-state='lost'] {
    color: var(--nunect-units-lost-color, var(--_color-error));
  }
  .badge[data-state='stopped'] {
    color: var(--nunect-units-stopped-color, var(--_color-muted));
  }
  .status-word[data-status='degraded'] {
    color: var(--nunect-units-late-color, var(--_color-warning));
  }
  .status-word[data-status='failing'] {
    color: var(--nunect-units-lost-color, var(--_color-error));
  }
  .skew {
    background: var(--nunect-units-skew-background, var(--_color-warning-bg));
    outline: 1px solid var(--_color-warning);
    border-radius: 4px;
    padding: 0 4px;
  }
  ul.checks,
  ul.check-list,
  ol.timeline {
    margin: 0;
    padding: 0;
    list-style: none;
  }
  /* Every row one line of the same height (the rows in view are windowed): the checks side by side. */
  ul.checks,
  ul.checks li {
    display: inline;
  }
  ul.checks li + li::before {
    content: ' · ';
    color: var(--_color-muted);
  }
  tr.unit > th,
  tr.unit > td {
    white-space: nowrap;
  }
  ul.checks li[data-status='degraded'],
  ul.check-list li[data-status='degraded'] {
    color: var(--_color-warning);
  }
  ul.checks li[data-status='failing'],
  ul.check-list li[data-status='failing'] {
    color: var(--_color-error);
  }
  ol.timeline li {
    padding: 2px 0;
    border-bottom: 1px solid var(--_color-divider);
  }
  tr.unit {
    cursor: pointer;
  }
  tr.unit[aria-expanded='true'] {
    background: var(--nunect-units-expanded-background, var(--_color-selected));
  }
  .detail {
    margin-top: 10px;
    padding: 8px 10px;
    border: 1px solid var(--_color-border);
    border-radius: var(--_radius);
  }
  .detail-head {
    display: flex;
    gap: 8px;
    align-items: baseline;
    justify-content: space-between;
  }
  .detail-title {
    margin: 0 0 6px;
    font-size: 1em;
    overflow-wrap: anywhere;
  }
  tr.unit:focus-visible {
    outline: 2px solid var(--_color-focus);
    outline-offset: -2px;
  }
  .detail-grid {
    display: grid;
    grid-template-columns: max-content 1fr;
    gap: 2px 12px;
    margin: 0 0 8px;
  }
  .detail-grid dt {
    color: var(--_color-muted);
  }
  .detail-grid dd {
    margin: 0;
  }
  @media (forced-colors: active) {
    .badge,
    .skew {
      border: 1px solid CanvasText;
      color: CanvasText;
    }
    .skew {
      outline: 2px solid CanvasText;
    }
  }
`;

export const unitsStyles = [tileStyles('units', 110, 8), tableStyles('units'), own];
