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
  .summary-end {
    display: inline-flex;
    flex-wrap: wrap;
    gap: 6px 12px;
    align-items: center;
    margin-left: auto;
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
  /* The column chooser: a panel between the range line and the table (never clipped by the scroller). */
  .columns-button {
    padding: 2px 8px;
    font-size: 0.9em;
  }
  .columns-button[aria-expanded='true'] {
    background: var(--nunect-color-button-hover, light-dark(#e2e7ec, #2c3440));
  }
  .columns-menu {
    margin: 0 0 8px;
    padding: 6px 10px 8px;
    border: 1px solid var(--nunect-color-border, light-dark(#d6dbe1, #2f3742));
    border-radius: 6px;
    background: var(--nunect-connz-columns-menu-background, var(--nunect-color-subtle, light-dark(#f4f6f8, #1c222b)));
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
  /* The table scrolls sideways (and down, with a max height) in its own box: the card never overflows. */
  .scroll {
    overflow: auto;
    max-width: 100%;
    max-height: var(--nunect-connz-max-height, none);
    container-type: inline-size;
    /* A shadow at the right edge while more columns lie beyond it (the cover scrolls with the table). */
    background:
      linear-gradient(to left, var(--nunect-color-surface, light-dark(#ffffff, #161b22)) 40%, transparent) right / 28px 100% no-repeat local,
      radial-gradient(farthest-side at 100% 50%, var(--nunect-connz-scroll-shadow, light-dark(rgb(0 0 0 / 0.16), rgb(0 0 0 / 0.55))), transparent) right / 12px 100% no-repeat scroll;
  }
  /* Denser than the shared table: more columns fit the card. */
  th,
  td {
    padding: 4px 6px;
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
  /* The name column stays in view while the table scrolls sideways; opaque, so cells never show through. */
  th.name,
  td.name {
    position: sticky;
    left: 0;
    background: var(--nunect-connz-name-background, var(--nunect-color-surface, light-dark(#ffffff, #161b22)));
    box-shadow: inset -1px 0 0 var(--nunect-color-border, light-dark(#e3e7eb, #262d36));
  }
  td.name {
    max-width: min(var(--nunect-connz-name-width, 16em), 40cqi);
  }
  th.name {
    background: var(--nunect-connz-header-background, var(--nunect-color-surface, light-dark(#ffffff, #161b22)));
  }
  /* The row's colour laid over the opaque one (a translucent hover colour still hides what scrolls under). */
  tbody tr.conn:hover > td.name {
    background:
      linear-gradient(
        var(--nunect-connz-row-hover-background, var(--nunect-color-subtle, light-dark(#f4f6f8, #1c222b))),
        var(--nunect-connz-row-hover-background, var(--nunect-color-subtle, light-dark(#f4f6f8, #1c222b)))
      ),
      var(--nunect-connz-name-background, var(--nunect-color-surface, light-dark(#ffffff, #161b22)));
  }
  tbody tr.conn[aria-expanded='true'] > td.name {
    background:
      linear-gradient(
        var(--nunect-connz-expanded-background, var(--nunect-color-subtle, light-dark(#eef3f9, #1a2330))),
        var(--nunect-connz-expanded-background, var(--nunect-color-subtle, light-dark(#eef3f9, #1a2330)))
      ),
      var(--nunect-connz-name-background, var(--nunect-color-surface, light-dark(#ffffff, #161b22)));
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
  /* A detail stays in the visible part of a table scrolled sideways, and wraps to its width. */
  tr.detail > td > * {
    position: sticky;
    left: 12px;
    max-width: calc(100cqi - 24px);
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
