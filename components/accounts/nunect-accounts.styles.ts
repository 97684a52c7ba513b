import { css } from 'lit';
import { absentStyles } from '../../src/styles/absent.js';
import { tableStyles } from '../../src/styles/table.js';

const own = css`
  tr.global th,
  tr.global td {
    color: var(--nunect-accounts-global-color, var(--_color-muted));
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
    background: var(--nunect-accounts-badge-background, var(--_color-badge));
  }
  tr.idle td.num {
    color: var(--nunect-accounts-idle-color, var(--_color-muted));
  }
  .note {
    margin: 8px 0 0;
    font-size: 0.85em;
  }
  .note + h2 {
    margin-top: 16px;
  }
  tr.total > th,
  tr.total > td {
    font-weight: 600;
    border-top: 2px solid var(--_color-divider);
  }
  @media (forced-colors: active) {
    .badge {
      border: 1px solid CanvasText;
    }
  }
`;

export const accountsStyles = [tableStyles('accounts'), absentStyles, own];
