import { css } from 'lit';
import { tileStyles } from '../../src/styles/tiles.js';

const own = css`
  section + section {
    margin-top: var(--nunect-jsz-gap, 16px);
  }
  .servers,
  .accounts {
    display: grid;
    gap: var(--nunect-jsz-gap, 16px);
  }
  .server header,
  .account header {
    display: flex;
    flex-wrap: wrap;
    gap: 4px 12px;
    align-items: baseline;
    margin-bottom: 8px;
  }
  .server header strong,
  .account header strong {
    font-size: 1.1em;
  }
  .badge {
    display: inline-block;
    padding: 0 8px;
    border-radius: 999px;
    font-size: 0.85em;
    background: var(--nunect-jsz-badge-background, var(--nunect-color-subtle, light-dark(#e7ebef, #242b35)));
  }
  .badge.off {
    color: var(--nunect-color-muted, light-dark(#5b6673, #9aa5b1));
  }
  .bar {
    height: 4px;
    margin-top: 4px;
    border-radius: 2px;
    overflow: hidden;
    background: var(--nunect-jsz-bar-track, var(--nunect-color-border, light-dark(#d6dbe1, #2f3742)));
  }
  .bar span {
    display: block;
    height: 100%;
    background: var(--nunect-jsz-bar-color, light-dark(#0a66d8, #5aa2ff));
  }
  .warn dd {
    color: var(--nunect-color-warning, light-dark(#7a5300, #ffd27a));
  }
  .scroll {
    overflow-x: auto;
  }
  .scroll + .scroll {
    margin-top: 8px;
  }
  .subjects {
    white-space: normal;
    word-break: break-all;
  }
  td.busy {
    color: var(--nunect-jsz-pending-color, var(--nunect-color-warning, light-dark(#7a5300, #ffd27a)));
  }
  p {
    margin: 0;
  }
`;

export const jszStyles = [tileStyles('jsz'), own];
