import { css } from 'lit';
import { absentStyles } from '../../src/styles/absent.js';
import { dialogStyles } from '../../src/styles/dialog.js';
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
  @media (forced-colors: active) {
    tr.skewed > th:first-child {
      border-left: 3px solid CanvasText;
    }
    .skew,
    .unhealthy {
      text-decoration: underline;
    }
  }
`;

export const serversStyles = [tileStyles(SERVERS, 130), tableStyles(SERVERS), absentStyles, dialogStyles, own];
