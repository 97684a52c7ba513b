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
    color: var(--nunect-color-warning, light-dark(#7a5300, #ffd27a));
    font-weight: 600;
  }
  .empty {
    margin: 8px 0;
  }
  .log {
    max-height: var(--nunect-event-log-height, 420px);
    overflow: auto;
    contain: content;
    border: 1px solid var(--nunect-color-border, light-dark(#d6dbe1, #2f3742));
    border-radius: 6px;
  }
  .table {
    min-width: 94em;
  }
  .row {
    display: flex;
    height: var(--nunect-event-log-row-height, 2em);
    align-items: center;
    border-bottom: 1px solid var(--nunect-color-border, light-dark(#e3e7eb, #262d36));
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
    background: var(--nunect-event-log-header-background, var(--nunect-color-surface, light-dark(#ffffff, #161b22)));
  }
  .body {
    position: relative;
    overflow: hidden;
  }
  .body .row:hover {
    background: var(--nunect-event-log-row-hover, var(--nunect-color-subtle, light-dark(#f4f6f8, #1c222b)));
  }
  .type {
    font-weight: 600;
  }
  [data-type='connect'] .type {
    color: var(--nunect-event-log-connect-color, var(--nunect-color-success, light-dark(#116329, #7ee2a8)));
  }
  [data-type='disconnect'] .type {
    color: var(--nunect-event-log-disconnect-color, var(--nunect-color-muted, light-dark(#5b6673, #9aa5b1)));
  }
  [data-type='auth-error'] .type {
    color: var(--nunect-event-log-auth-error-color, var(--nunect-color-error, light-dark(#a4161a, #ffb3b3)));
  }
  [data-type='conns'] .type {
    color: var(--nunect-event-log-conns-color, var(--nunect-color-info, light-dark(#0a58b8, #8cc4ff)));
  }
  [data-type='other'] .type {
    color: var(--nunect-event-log-other-color, var(--nunect-color-warning, light-dark(#7a5300, #ffd27a)));
  }
`;
