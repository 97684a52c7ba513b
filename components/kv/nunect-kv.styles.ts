import { css } from 'lit';
import { dialogStyles } from '../../src/styles/dialog.js';
import { pagerStyles } from '../../src/styles/pager.js';
import { payloadStyles } from '../../src/styles/payload.js';
import { tableStyles } from '../../src/styles/table.js';

const own = css`
  section {
    margin: 0 0 var(--nunect-kv-gap, 12px);
  }
  h2,
  h3,
  h4 {
    font-size: 1em;
    margin: 0 0 6px;
  }
  section.bucket,
  section.entry,
  section.editor,
  section.changes {
    border-top: 1px solid var(--_color-divider);
    padding-top: 8px;
  }
  .mono {
    font-family: var(--_font-mono);
  }
  button.link {
    background: none;
    border: none;
    padding: 0;
    color: var(--_color-accent);
    font: inherit;
    text-decoration: underline;
    cursor: pointer;
    text-align: start;
    overflow-wrap: anywhere;
  }
  button.link[aria-pressed='true'] {
    font-weight: 600;
  }
  tr.selected > * {
    background: var(--nunect-kv-selected-background, var(--_color-selected));
  }
  .new {
    display: inline-block;
    font-size: 0.8em;
    padding: 0 5px;
    border-radius: 4px;
    color: var(--nunect-kv-new-color, var(--_color-info));
    background: var(--_color-info-bg);
    border: 1px solid currentColor;
  }
  .op[data-operation='DEL'],
  .op[data-operation='PURGE'],
  li[data-operation='DEL'] .op,
  li[data-operation='PURGE'] .op,
  tr.removed .op {
    color: var(--nunect-kv-deleted-color, var(--_color-error));
    font-weight: 600;
  }
  .filter,
  .put,
  .put-actions,
  .entry-actions {
    display: flex;
    flex-wrap: wrap;
    gap: 6px 12px;
    align-items: center;
    margin: 0 0 8px;
  }
  .filter label,
  .field {
    display: inline-flex;
    gap: 6px;
    align-items: center;
  }
  .filter-input {
    width: var(--nunect-kv-filter-width, 14em);
    font-family: var(--_font-mono);
  }
  .put .value-field {
    flex: 1 1 100%;
    align-items: flex-start;
  }
  .put-value {
    flex: 1;
    min-height: var(--nunect-kv-editor-height, 6em);
    font-family: var(--_font-mono);
  }
  .put-key,
  .confirm-key {
    font-family: var(--_font-mono);
  }
  .count {
    margin: 0 0 6px;
  }
  .live {
    color: var(--_color-success);
  }
  .problem,
  .failed {
    color: var(--_color-error);
  }
  .ok {
    color: var(--_color-success);
  }
  .why {
    overflow-wrap: anywhere;
  }
  .changes ol {
    margin: 6px 0 0;
    padding-inline-start: 1.2em;
  }
  .changes h3 {
    display: inline;
    margin-inline-end: 8px;
  }
  dl.facts {
    display: grid;
    grid-template-columns: max-content 1fr;
    gap: 2px 12px;
    margin: 0 0 8px;
  }
  dl.facts dd {
    margin: 0;
  }
  td.value-cell {
    max-width: 24em;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .delete-dialog .field {
    display: flex;
    flex-direction: column;
    align-items: stretch;
    margin: 0 0 8px;
  }
  @media (forced-colors: active) {
    .new {
      border-color: CanvasText;
    }
  }
`;

export const kvStyles = [tableStyles('kv'), pagerStyles, dialogStyles, payloadStyles, own];
