import { css } from 'lit';

export const tailStyles = css`
  .form,
  .toolbar {
    display: flex;
    flex-wrap: wrap;
    gap: var(--nunect-tail-gap, 8px 12px);
    align-items: center;
    margin-bottom: 8px;
  }
  .field {
    display: inline-flex;
    gap: 6px;
    align-items: center;
  }
  .form .subject {
    min-width: 16em;
    font-family: var(--_font-mono);
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
  .gaps {
    margin: 0 0 8px;
    padding: 6px 10px;
    border: 1px dashed var(--_color-warning);
    border-radius: var(--_radius);
    background: var(--_color-warning-bg);
  }
  .gaps ul {
    margin: 2px 0 0;
    padding-left: 1.2em;
  }
  .log {
    max-height: var(--nunect-tail-height, 360px);
    overflow: auto;
    contain: content;
    container-type: inline-size;
    border: 1px solid var(--_color-border);
    border-radius: var(--_radius);
  }
  .row {
    display: grid;
    grid-template-columns: 8em minmax(8em, 16em) 5.5em 1fr;
    gap: 8px;
    padding: 0 8px;
    min-height: var(--nunect-tail-row-height, 2em);
    align-items: center;
    border-bottom: 1px solid var(--_color-divider);
  }
  .body .row {
    cursor: pointer;
  }
  .body .row[aria-selected='true'] {
    background: var(--nunect-tail-selected-background, var(--_color-selected));
    outline: 1px solid var(--_color-accent);
    outline-offset: -1px;
  }
  .head .row {
    position: sticky;
    top: 0;
    z-index: 1;
    font-weight: 600;
    background: var(--nunect-tail-header-background, var(--_color-surface));
  }
  .row > span {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .num {
    text-align: end;
    font-variant-numeric: tabular-nums;
  }
  .subject,
  .preview,
  .mono {
    font-family: var(--_font-mono);
  }
  .open {
    font: inherit;
    padding: 0 2px;
    border: 0;
    background: none;
    color: inherit;
    cursor: pointer;
    text-decoration: underline dotted;
  }
  .badge {
    padding: 0 4px;
    border-radius: 4px;
    background: var(--_color-badge);
    font-family: var(--_font-family);
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
  .detail-subject {
    margin: 0 0 6px;
    font-size: 1em;
    font-family: var(--_font-mono);
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
  /* A narrow tail (a phone): time, subject and size; the payload shows when a message is opened. */
  @container (max-width: 560px) {
    .row {
      grid-template-columns: 6.5em 1fr 4.5em;
    }
    .row > :nth-child(4) {
      display: none;
    }
  }
  @media (forced-colors: active) {
    .body .row[aria-selected='true'] {
      outline: 2px solid Highlight;
    }
  }
`;
