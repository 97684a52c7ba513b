import { css } from 'lit';

export const varzStyles = css`
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
  dl {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(var(--nunect-varz-tile-width, 150px), 1fr));
    gap: 8px;
    margin: 0;
  }
  .tile {
    padding: 8px;
    border-radius: 6px;
    background: var(--nunect-varz-tile-background, var(--nunect-color-subtle, light-dark(#f4f6f8, #1c222b)));
  }
  dt {
    font-size: 0.85em;
    color: var(--nunect-color-muted, light-dark(#5b6673, #9aa5b1));
  }
  dd {
    margin: 0;
    display: flex;
    flex-direction: column;
    font-variant-numeric: tabular-nums;
  }
  .value {
    font-size: 1.25em;
  }
  .rate {
    font-size: 0.85em;
    color: var(--nunect-color-muted, light-dark(#5b6673, #9aa5b1));
  }
  .warn dd {
    color: var(--nunect-color-warning, light-dark(#7a5300, #ffd27a));
  }
`;
