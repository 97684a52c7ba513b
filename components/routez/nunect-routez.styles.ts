import { css } from 'lit';
import { absentStyles } from '../../src/styles/absent.js';
import { tableStyles } from '../../src/styles/table.js';

const own = css`
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
  .empty {
    margin: 0;
    padding: 8px;
    border-radius: 6px;
    background: var(--nunect-routez-empty-background, var(--_color-subtle));
  }
  .failed {
    color: var(--_color-error);
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
    background: var(--nunect-routez-badge-background, var(--_color-badge));
  }
  .pending {
    color: var(--nunect-routez-pending-color, var(--_color-warning));
  }
  @media (forced-colors: active) {
    .empty,
    .badge {
      border: 1px solid CanvasText;
    }
    .failed {
      border-width: 3px;
    }
  }
`;

export const routezStyles = [tableStyles('routez'), absentStyles, own];
