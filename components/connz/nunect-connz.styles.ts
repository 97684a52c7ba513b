import { css } from 'lit';
import { absentStyles } from '../../src/styles/absent.js';
import { dialogStyles } from '../../src/styles/dialog.js';
import { columnChooserStyles } from '../../src/styles/column-chooser.js';
import { pagerStyles } from '../../src/styles/pager.js';
import { tableStyles } from '../../src/styles/table.js';

const own = css`
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
    margin-bottom: 6px;
  }
  .summary-end {
    display: inline-flex;
    flex-wrap: wrap;
    gap: 6px 12px;
    align-items: center;
    margin-left: auto;
  }
  .note {
    font-size: 0.85em;
    margin: 0 0 6px;
  }
  .scroll {
    max-height: var(--nunect-connz-max-height, none);
  }
  /* Denser than the shared table: more columns fit the card. */
  th,
  td {
    padding: 4px 6px;
  }
  .scroll[aria-busy='true'] table {
    opacity: var(--nunect-connz-busy-opacity, 0.6);
  }
  thead th {
    font-size: 0.9em;
  }
  tbody tr.conn {
    cursor: pointer;
  }
  tbody tr.conn:hover {
    background: var(--nunect-connz-row-hover-background, var(--_color-subtle));
  }
  tbody tr.conn[aria-expanded='true'],
  tr.detail {
    background: var(--nunect-connz-expanded-background, var(--_color-selected));
  }
  tr.conn:focus-visible {
    outline-offset: -2px;
  }
  td.text {
    max-width: var(--nunect-connz-name-width, 16em);
    overflow: hidden;
    text-overflow: ellipsis;
  }
  td.name {
    max-width: min(var(--nunect-connz-name-width, 16em), 40cqi);
  }
  /* The row's colour laid over the sticky name cell's opaque one (a translucent hover colour still hides what scrolls under). */
  tbody tr.conn:hover > td.sticky {
    background:
      linear-gradient(var(--nunect-connz-row-hover-background, var(--_color-subtle)), var(--nunect-connz-row-hover-background, var(--_color-subtle))),
      var(--nunect-connz-name-background, var(--_color-surface));
  }
  tbody tr.conn[aria-expanded='true'] > td.sticky {
    background:
      linear-gradient(var(--nunect-connz-expanded-background, var(--_color-selected)), var(--nunect-connz-expanded-background, var(--_color-selected))),
      var(--nunect-connz-name-background, var(--_color-surface));
  }
  td.closed {
    color: var(--nunect-connz-closed-color, var(--_color-muted));
  }
  .tag {
    font-size: 0.85em;
    color: var(--_color-muted);
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
    color: var(--_color-muted);
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
  /* Acting on connections */
  .actions-bar {
    display: flex;
    flex-wrap: wrap;
    gap: 6px 12px;
    align-items: center;
    margin-bottom: 8px;
  }
  .actions-bar .note,
  .actions-bar .why,
  .action-results {
    /* Subjects such as $SYS.REQ.SERVER.<56-character id>.KICK must wrap on a phone. */
    min-width: 0;
    overflow-wrap: anywhere;
  }
  .actions-bar .note {
    flex-basis: 100%;
    margin: 0;
  }
  .match {
    display: inline-flex;
    flex-wrap: wrap;
    gap: 6px;
    align-items: center;
  }
  .match label {
    display: inline-flex;
    gap: 6px;
    align-items: center;
  }
  .match-value {
    width: var(--nunect-connz-filter-width, 11em);
  }
  .why {
    font-size: 0.85em;
  }
  .action-results:not(:empty) {
    margin-top: 12px;
  }
  .action-results ul {
    margin: 0;
    padding: 0;
    list-style: none;
    display: grid;
    gap: 4px;
  }
  .action-results h2 {
    margin: 0 0 4px;
    font-size: 1em;
  }
  .action-results li.ok .outcome,
  .action-results .confirmed {
    color: var(--nunect-connz-ok-color, var(--_color-success));
  }
  .action-results li.failed .outcome,
  .action-results .failed {
    font-weight: 600;
    color: var(--nunect-connz-failed-color, var(--_color-error));
  }
  @media (forced-colors: active) {
    .action-results li.failed .outcome {
      text-decoration: underline;
    }
  }
`;

export const connzStyles = [tableStyles('connz'), pagerStyles, columnChooserStyles('connz'), absentStyles, dialogStyles, own];
