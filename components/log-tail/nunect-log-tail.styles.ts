import { css } from 'lit';

export const logTailStyles = css`
  .toolbar {
    display: flex;
    flex-wrap: wrap;
    gap: var(--nunect-log-tail-gap, 8px 12px);
    align-items: center;
    margin-bottom: 8px;
  }
  .levels {
    display: flex;
    flex-wrap: wrap;
    gap: 4px 10px;
    align-items: center;
    border: 0;
    margin: 0;
    padding: 0;
  }
  .levels legend {
    float: left;
    padding: 0;
    margin-right: 4px;
    font-weight: 600;
  }
  .field {
    display: inline-flex;
    gap: 6px;
    align-items: center;
  }
  .counts {
    display: flex;
    flex-wrap: wrap;
    gap: 4px 12px;
    margin-bottom: 8px;
    font-variant-numeric: tabular-nums;
  }
  .paused {
    color: var(--_color-warning);
    font-weight: 600;
  }
  .log {
    max-height: var(--nunect-log-tail-height, 420px);
    overflow: auto;
    contain: content;
    border: 1px solid var(--_color-border);
    border-radius: 6px;
  }
  .row {
    display: grid;
    grid-template-columns: 8em 5em 10em 1fr;
    gap: 8px;
    padding: 0 8px;
    /* Every row exactly this tall (the virtual window assumes it): one line, nothing opens in a row. */
    box-sizing: border-box;
    height: var(--nunect-log-tail-row-height, 2em);
    align-items: center;
    border-bottom: 1px solid var(--_color-divider);
  }
  .head .row {
    position: sticky;
    top: 0;
    font-weight: 600;
    background: var(--nunect-log-tail-header-background, var(--_color-surface));
  }
  .row > span {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .level {
    font-weight: 600;
  }
  .row[data-level='error'] .level {
    color: var(--nunect-log-tail-error-color, var(--_color-error));
  }
  .row[data-level='warn'] .level {
    color: var(--nunect-log-tail-warn-color, var(--_color-warning));
  }
  .row[data-level='debug'] .level {
    color: var(--nunect-log-tail-debug-color, var(--_color-muted));
  }
  .body .row[data-open] {
    background: var(--nunect-log-tail-open-background, var(--_color-selected));
    outline: 1px solid var(--_color-accent);
    outline-offset: -1px;
  }
  .mono,
  .data {
    font-family: var(--_font-mono);
  }
  .open {
    font: inherit;
    line-height: inherit;
    padding: 0 2px;
    border: 0;
    background: none;
    color: inherit;
    cursor: pointer;
    text-decoration: underline dotted;
  }
  .open:focus-visible,
  .close:focus-visible {
    outline: 2px solid var(--_color-focus);
    outline-offset: -2px;
  }
  .badge {
    padding: 0 4px;
    border-radius: 4px;
    background: var(--_color-badge);
    border: 1px solid var(--_color-border);
    font-size: 0.85em;
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
  .meta {
    display: flex;
    flex-wrap: wrap;
    gap: 2px 16px;
    margin: 0 0 6px;
  }
  .meta div {
    display: flex;
    gap: 4px;
  }
  .meta dt {
    color: var(--_color-muted);
  }
  .meta dd {
    margin: 0;
    overflow-wrap: anywhere;
  }
  .message {
    margin: 0 0 6px;
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }
  .data {
    margin: 0;
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }
  @media (forced-colors: active) {
    .row[data-level='error'] .level {
      text-decoration: underline;
    }
    .body .row[data-open] {
      outline: 2px solid Highlight;
    }
  }
`;
