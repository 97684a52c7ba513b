import { css } from 'lit';

export const accountsStyles = css`
  .scroll {
    overflow-x: auto;
  }
  th {
    background: var(--nunect-accounts-header-background, transparent);
  }
  tr.global th,
  tr.global td {
    color: var(--nunect-accounts-global-color, var(--nunect-color-muted, light-dark(#5b6673, #9aa5b1)));
  }
  tr.global th,
  h2 .muted,
  th .muted {
    font-weight: normal;
  }
  .badge {
    display: inline-block;
    margin-left: 2px;
    padding: 0 6px;
    border-radius: 999px;
    font-size: 0.85em;
    background: var(--nunect-accounts-badge-background, var(--nunect-color-subtle, light-dark(#e7ebef, #242b35)));
  }
  tr.idle td.num {
    color: var(--nunect-accounts-idle-color, var(--nunect-color-muted, light-dark(#5b6673, #9aa5b1)));
  }
  .note {
    margin: 8px 0 0;
    font-size: 0.85em;
  }
`;
