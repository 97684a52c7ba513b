import { css } from 'lit';
import { absentStyles } from '../../src/styles/absent.js';
import { tableStyles, type TableWidget } from '../../src/styles/table.js';
import { tileStyles, type TileWidget } from '../../src/styles/tiles.js';

// The shared table and tile styles list their widgets by name; 'servers' is not in those lists yet.
const SERVERS = 'servers' as TableWidget & TileWidget;

const own = css`
  .summary {
    margin-bottom: var(--nunect-servers-gap, 12px);
  }
  .clusters {
    margin: 0 0 8px;
  }
  .sub {
    display: block;
    font-size: 0.85em;
  }
  th .sub {
    font-weight: normal;
  }
  .skew {
    font-weight: 600;
    color: var(--nunect-servers-skew-color, var(--_color-warning));
  }
  .skew-note {
    font-weight: normal;
    font-size: 0.85em;
  }
  tr.skewed > th:first-child {
    box-shadow: inset 3px 0 0 var(--nunect-servers-skew-color, var(--_color-warning));
  }
  .healthy,
  .results li.ok .outcome {
    color: var(--nunect-servers-healthy-color, var(--_color-success));
  }
  .unhealthy,
  .results li.failed .outcome {
    font-weight: 600;
    color: var(--nunect-servers-unhealthy-color, var(--_color-error));
  }
  td.wrap {
    white-space: normal;
    min-width: 12em;
  }
  .why {
    font-size: 0.85em;
    color: var(--_color-muted);
  }
  button[part='reload'] {
    white-space: nowrap;
  }
  .results:not(:empty) {
    margin-top: var(--nunect-servers-gap, 12px);
  }
  .results ul {
    margin: 0;
    padding: 0;
    list-style: none;
    display: grid;
    gap: 6px;
  }
  .results h2 {
    margin-bottom: 4px;
  }
  pre.reply {
    margin: 4px 0 0;
    padding: 6px 8px;
    border-radius: 6px;
    white-space: pre-wrap;
    word-break: break-word;
    font-family: var(--_font-mono);
    background: var(--_color-subtle);
  }
  dialog {
    max-width: min(36em, 90vw);
    color: var(--_color-text);
    background: var(--_color-surface);
    border: 1px solid var(--_color-border);
    border-radius: var(--_radius);
    padding: var(--_space);
  }
  dialog::backdrop {
    background: rgb(0 0 0 / 0.4);
  }
  dialog p {
    margin: 0 0 8px;
  }
  .dialog-actions {
    display: flex;
    gap: 8px;
    justify-content: flex-end;
  }
  button.confirm {
    background: var(--_color-accent-fill);
    color: var(--_color-on-accent);
    border-color: var(--_color-accent-fill);
  }
  @media (forced-colors: active) {
    tr.skewed > th:first-child {
      border-left: 3px solid CanvasText;
    }
    .skew,
    .unhealthy {
      text-decoration: underline;
    }
    button.confirm {
      border-width: 2px;
    }
  }
`;

export const serversStyles = [tileStyles(SERVERS, 130), tableStyles(SERVERS), absentStyles, own];
