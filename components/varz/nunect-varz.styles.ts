import { css } from 'lit';
import { absentStyles } from '../../src/styles/absent.js';
import { tileStyles } from '../../src/styles/tiles.js';

/** The line above the cards: the range toggle (a segmented group of buttons) and the history note. */
const headerStyles = css`
  .header {
    display: flex;
    flex-wrap: wrap;
    gap: 4px 12px;
    align-items: center;
    margin-bottom: 8px;
  }
  .range {
    display: inline-flex;
  }
  .range button {
    padding: 2px 8px;
    font-size: 0.85em;
  }
  .range button:not(:first-child) {
    border-start-start-radius: 0;
    border-end-start-radius: 0;
    margin-inline-start: -1px;
  }
  .range button:not(:last-child) {
    border-start-end-radius: 0;
    border-end-end-radius: 0;
  }
  .range button[aria-pressed='true'] {
    background: var(--_color-accent-fill);
    color: var(--_color-on-accent);
    border-color: var(--_color-accent-fill);
  }
  .history-note {
    font-size: 0.85em;
  }
  @media (forced-colors: active) {
    /* The fill is gone: a thick border marks the chosen range. */
    .range button[aria-pressed='true'] {
      border-width: 3px;
    }
  }
`;

export const varzStyles = [tileStyles('varz'), absentStyles, headerStyles];
