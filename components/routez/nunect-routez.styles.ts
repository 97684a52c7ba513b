import { css } from 'lit';

export const routezStyles = css`
  section + section {
    margin-top: var(--nunect-routez-gap, 16px);
  }
  h2 {
    display: flex;
    flex-wrap: wrap;
    gap: 4px 12px;
    align-items: baseline;
  }
  h2 .count {
    font-weight: normal;
    font-size: 0.9em;
  }
  .scroll {
    overflow-x: auto;
  }
  th {
    background: var(--nunect-routez-header-background, transparent);
  }
  .empty {
    margin: 0;
    padding: 8px;
    border-radius: 6px;
    background: var(--nunect-routez-empty-background, var(--nunect-color-subtle, light-dark(#f4f6f8, #1c222b)));
  }
  .failed {
    color: var(--nunect-color-error, light-dark(#a4161a, #ffb3b3));
  }
  .id {
    display: block;
    font-size: 0.85em;
  }
  .badge {
    display: inline-block;
    padding: 0 6px;
    border-radius: 999px;
    font-size: 0.85em;
    background: var(--nunect-routez-badge-background, var(--nunect-color-subtle, light-dark(#e7ebef, #242b35)));
  }
  .pending {
    color: var(--nunect-routez-pending-color, var(--nunect-color-warning, light-dark(#7a5300, #ffd27a)));
  }
`;
