import { css } from 'lit';
import { tileStyles } from '../../src/styles/tiles.js';

const own = css`
  .servers {
    display: grid;
    gap: var(--nunect-varz-gap, 12px);
  }
  .server header {
    display: flex;
    flex-wrap: wrap;
    gap: 4px 12px;
    align-items: baseline;
    margin-bottom: 8px;
  }
  .server header strong {
    font-size: 1.1em;
  }
`;

export const varzStyles = [tileStyles('varz'), own];
