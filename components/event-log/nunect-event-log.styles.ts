import { css } from 'lit';

export const eventLogStyles = css`
  .toolbar {
    display: flex;
    flex-wrap: wrap;
    gap: var(--nunect-event-log-gap, 8px 12px);
    align-items: center;
    margin-bottom: 8px;
  }
  .types {
    display: flex;
    flex-wrap: wrap;
    gap: 4px 10px;
    align-items: center;
    border: 0;
    margin: 0;
    padding: 0;
  }
  .types legend {
    float: left;
    padding: 0;
    margin-right: 4px;
    font-weight: 600;
  }
  .types label {
    display: inline-flex;
    gap: 4px;
    align-items: center;
    white-space: nowrap;
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
  .empty {
    margin: 8px 0;
  }
  .log {
    max-height: var(--nunect-event-log-height, 420px);
    overflow: auto;
    contain: content;
    border: 1px solid var(--_color-border);
    border-radius: 6px;
  }
  .table {
    min-width: 94em;
  }
  .row {
    display: flex;
    height: var(--nunect-event-log-row-height, 2em);
    align-items: center;
    border-bottom: 1px solid var(--_color-divider);
  }
  .row > span {
    flex: none;
    padding: 0 8px;
    white-space: nowrap;
    overflow: hidden;
    text-overflow: ellipsis;
  }
  /* Column widths: time, type, server, account, user, client, IP, type · lang, details. */
  .row > :nth-child(1) {
    width: 8.5em;
  }
  .row > :nth-child(2) {
    width: 9.5em;
  }
  .row > :nth-child(3),
  .row > :nth-child(4) {
    width: 8.5em;
  }
  .row > :nth-child(5) {
    width: 7.5em;
  }
  .row > :nth-child(6) {
    width: 11em;
  }
  .row > :nth-child(7) {
    width: 7.5em;
  }
  .row > :nth-child(8) {
    width: 14em;
  }
  .row > :nth-child(9) {
    flex: 1 1 auto;
    width: 16em;
  }
  .head {
    position: sticky;
    top: 0;
    z-index: 1;
    font-weight: 600;
    background: var(--nunect-event-log-header-background, var(--_color-surface));
  }
  .body {
    position: relative;
    overflow: hidden;
  }
  .body .row:hover {
    background: var(--nunect-event-log-row-hover, var(--_color-subtle));
  }
  .type {
    font-weight: 600;
  }
  [data-type='connect'] .type {
    color: var(--nunect-event-log-connect-color, var(--_color-success));
  }
  [data-type='disconnect'] .type {
    color: var(--nunect-event-log-disconnect-color, var(--_color-muted));
  }
  [data-type='auth-error'] .type {
    color: var(--nunect-event-log-auth-error-color, var(--_color-error));
  }
  [data-type='conns'] .type {
    color: var(--nunect-event-log-conns-color, var(--_color-info));
  }
  [data-type='audit'] .type {
    color: var(--nunect-event-log-audit-color, var(--_color-accent));
    font-weight: 600;
  }
  [data-type='other'] .type {
    color: var(--nunect-event-log-other-color, var(--_color-warning));
  }
`;
