import { css } from 'lit';
import { absentStyles } from '../../src/styles/absent.js';
import { tableStyles } from '../../src/styles/table.js';
import { tileStyles } from '../../src/styles/tiles.js';

const own = css`
  section + section {
    margin-top: var(--nunect-jsz-gap, 16px);
  }
  .accounts {
    display: grid;
    gap: var(--nunect-jsz-gap, 16px);
  }
  .account header {
    display: flex;
    flex-wrap: wrap;
    gap: 4px 12px;
    align-items: baseline;
    margin-bottom: 8px;
  }
  .account header strong {
    font-size: 1.1em;
  }
  .badge {
    display: inline-block;
    padding: 0 8px;
    border-radius: 999px;
    font-size: 0.85em;
    background: var(--nunect-jsz-badge-background, var(--_color-badge));
  }
  .badge.off {
    color: var(--_color-muted);
  }
  .bar {
    height: 4px;
    margin-top: 4px;
    border-radius: 2px;
    overflow: hidden;
    background: var(--nunect-jsz-bar-track, var(--_color-border));
  }
  .bar span {
    display: block;
    height: 100%;
    background: var(--nunect-jsz-bar-color, var(--_color-accent));
  }
  .scroll + .scroll {
    margin-top: 8px;
  }
  .subjects {
    white-space: normal;
    word-break: break-all;
  }
  .busy {
    color: var(--nunect-jsz-pending-color, var(--_color-warning));
  }
  p {
    margin: 0;
  }
  .meta + .scroll {
    margin-top: 12px;
  }
  .meta-summary {
    display: flex;
    flex-wrap: wrap;
    gap: 4px 12px;
    align-items: baseline;
    margin-bottom: 6px;
  }
  .unhealthy {
    font-weight: 600;
    color: var(--nunect-jsz-unhealthy-color, var(--_color-warning));
  }
  .healthy {
    color: var(--nunect-jsz-healthy-color, var(--_color-success));
  }
  tr.unhealthy > th:first-child {
    box-shadow: inset 3px 0 0 var(--nunect-jsz-unhealthy-color, var(--_color-warning));
  }
  td.members ul {
    margin: 0;
    padding: 0;
    list-style: none;
  }
  td.members li.unhealthy {
    font-weight: 600;
  }
  td.wrap {
    white-space: normal;
    min-width: 14em;
  }
  @media (forced-colors: active) {
    tr.unhealthy > th:first-child {
      border-left: 3px solid CanvasText;
    }
    .badge,
    .bar {
      border: 1px solid CanvasText;
    }
    .bar span {
      forced-color-adjust: none;
      background: Highlight;
    }
  }
`;

export const jszStyles = [tileStyles('jsz', 150, 16), tableStyles('jsz'), absentStyles, own];
