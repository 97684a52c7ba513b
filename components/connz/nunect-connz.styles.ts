import { css } from 'lit';

export const connzStyles = css`
  .toolbar {
    display: flex;
    flex-wrap: wrap;
    gap: 6px 14px;
    align-items: center;
    margin-bottom: 8px;
  }
  .toolbar label {
    display: inline-flex;
    gap: 6px;
    align-items: center;
  }
  .toolbar input[type='search'],
  .toolbar input[list] {
    width: var(--nunect-connz-filter-width, 11em);
  }
  .order {
    font-size: 0.85em;
  }
  .summary {
    display: flex;
    flex-wrap: wrap;
    gap: 4px 12px;
    align-items: center;
    justify-content: space-between;
    margin-bottom: 6px;
  }
  .pager {
    display: inline-flex;
    gap: 8px;
    align-items: center;
  }
  .pager button[disabled] {
    opacity: 0.5;
    cursor: default;
  }
  .note {
    font-size: 0.85em;
    margin: 0 0 6px;
  }
  .scroll {
    overflow: auto;
    max-height: var(--nunect-connz-max-height, none);
  }
  .scroll[aria-busy='true'] table {
    opacity: var(--nunect-connz-busy-opacity, 0.6);
  }
  /* One sticky box for the header row (not one per cell: cheaper to paint on every refresh). */
  thead {
    position: sticky;
    top: 0;
    z-index: 1;
    background: var(--nunect-connz-header-background, var(--nunect-color-surface, light-dark(#ffffff, #161b22)));
  }
  thead th {
    font-size: 0.9em;
  }
  th button {
    font-weight: inherit;
    background: none;
    border: none;
    padding: 0;
    border-radius: 2px;
  }
  th button:hover {
    text-decoration: underline;
    background: none;
  }
  th[aria-sort] button {
    color: var(--nunect-connz-sorted-color, var(--nunect-color-accent, light-dark(#0a66d8, #5aa2ff)));
  }
  tbody tr.conn {
    cursor: pointer;
  }
  tbody tr.conn:hover {
    background: var(--nunect-connz-row-hover-background, var(--nunect-color-subtle, light-dark(#f4f6f8, #1c222b)));
  }
  tbody tr.conn[aria-expanded='true'],
  tr.detail {
    background: var(--nunect-connz-expanded-background, var(--nunect-color-subtle, light-dark(#eef3f9, #1a2330)));
  }
  tr.conn:focus-visible {
    outline: 2px solid var(--nunect-color-focus, light-dark(#0a66d8, #5aa2ff));
    outline-offset: -2px;
  }
  td.text {
    max-width: var(--nunect-connz-name-width, 16em);
    overflow: hidden;
    text-overflow: ellipsis;
  }
  td.closed {
    color: var(--nunect-connz-closed-color, var(--nunect-color-muted, light-dark(#5b6673, #9aa5b1)));
  }
  .tag {
    font-size: 0.85em;
    color: var(--nunect-color-muted, light-dark(#5b6673, #9aa5b1));
  }
  tr.detail > td {
    white-space: normal;
    padding: 8px 12px 12px;
  }
  .detail-grid {
    display: grid;
    grid-template-columns: max-content 1fr;
    gap: 2px 12px;
    margin: 0 0 8px;
  }
  .detail-grid dt {
    color: var(--nunect-color-muted, light-dark(#5b6673, #9aa5b1));
  }
  .detail-grid dd {
    margin: 0;
    overflow-wrap: anywhere;
  }
  .subs {
    margin: 4px 0 0;
    padding-left: 1.2em;
    max-height: var(--nunect-connz-subs-max-height, 14em);
    overflow: auto;
  }
  .subs li {
    overflow-wrap: anywhere;
  }
  .empty {
    padding: 10px 8px;
  }
`;
