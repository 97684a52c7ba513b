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
    min-height: var(--nunect-log-tail-row-height, 2em);
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
  details {
    display: inline;
  }
  details pre {
    white-space: pre-wrap;
    margin: 4px 0;
  }
  @media (forced-colors: active) {
    .row[data-level='error'] .level {
      text-decoration: underline;
    }
  }
`;
