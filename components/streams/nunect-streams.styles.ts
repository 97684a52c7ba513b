import { css } from 'lit';
import { dialogStyles } from '../../src/styles/dialog.js';
import { pagerStyles } from '../../src/styles/pager.js';
import { payloadStyles } from '../../src/styles/payload.js';
import { tableStyles } from '../../src/styles/table.js';

const own = css`
  .toolbar {
    display: flex;
    flex-wrap: wrap;
    align-items: end;
    gap: var(--nunect-streams-gap, 8px);
    margin-block: 6px;
  }
  .field {
    display: inline-flex;
    flex-direction: column;
    gap: 2px;
    font-size: 0.9em;
  }
  tr.stream > * {
    white-space: nowrap;
  }
  tr.stream .subjects {
    max-width: 22em;
    overflow: hidden;
    text-overflow: ellipsis;
  }
  tr.stream.selected > * {
    background: var(--nunect-streams-selected-background, var(--_color-selected));
  }
  button.link {
    background: none;
    border: none;
    padding: 0;
    font: inherit;
    font-weight: 600;
    color: inherit;
    cursor: pointer;
    text-decoration: underline;
    text-underline-offset: 2px;
  }
  .note {
    margin: 4px 0;
  }
  .detail {
    margin-top: var(--_space);
    border-top: 1px solid var(--_color-border);
    padding-top: 8px;
  }
  .detail h3,
  .detail h4 {
    margin: 8px 0 4px;
  }
  .detail-grid {
    display: grid;
    grid-template-columns: max-content 1fr;
    gap: 2px 12px;
    margin: 0;
  }
  .detail-grid dt {
    color: var(--_color-muted);
  }
  .detail-grid dd {
    margin: 0;
    overflow-wrap: anywhere;
  }
  .columns {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(18em, 1fr));
    gap: 8px 24px;
  }
  .browser form {
    display: inline-flex;
    gap: 4px;
    align-items: end;
  }
  .message {
    border: 1px solid var(--_color-border);
    border-radius: var(--_radius);
    padding: 8px;
    margin-top: 6px;
  }
  .message-head {
    display: flex;
    flex-wrap: wrap;
    gap: 4px 16px;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 6px;
    align-items: center;
  }
  .danger {
    border-color: var(--nunect-streams-danger-color, var(--_color-error));
  }
  .result.failed {
    color: var(--nunect-streams-danger-color, var(--_color-error));
  }
  .mono {
    font-family: var(--_font-mono);
  }
  .muted {
    color: var(--_color-muted);
  }
  dialog label {
    display: flex;
    flex-direction: column;
    gap: 4px;
    margin-bottom: 8px;
  }
`;

export const streamsStyles = [tableStyles('streams'), pagerStyles, dialogStyles, payloadStyles, own];
