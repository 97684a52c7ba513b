import { css } from 'lit';
import { absentStyles } from '../../src/styles/absent.js';
import { tableStyles } from '../../src/styles/table.js';
import { tileStyles } from '../../src/styles/tiles.js';

const own = css`
  .poll {
    margin: 8px 0;
  }
  .notice {
    margin: 0 0 8px;
    padding: 6px 10px;
    border: 1px solid var(--_color-warning);
    border-radius: 6px;
    background: var(--_color-warning-bg);
  }
  .empty {
    margin: 12px 0;
    padding: 10px;
    border: 1px dashed var(--_color-control-border);
    border-radius: 6px;
  }
  .services {
    display: grid;
    gap: var(--nunect-services-gap, 16px);
  }
  .service > header {
    display: flex;
    flex-wrap: wrap;
    gap: 4px 12px;
    align-items: baseline;
  }
  h3,
  h4 {
    margin: 0;
  }
  h3 {
    font-size: 1.05em;
  }
  h4 {
    font-size: 0.95em;
    font-weight: 600;
    margin: 10px 0 4px;
  }
  .version {
    margin-top: 4px;
  }
  .skew-badge,
  .skewed,
  .restart {
    display: inline-block;
    padding: 0 6px;
    border: 1px solid var(--_color-warning);
    border-radius: 4px;
    background: var(--nunect-services-skew-background, var(--_color-warning-bg));
    font-weight: 600;
  }
  .restart {
    font-weight: normal;
    font-size: 0.85em;
  }
  .error {
    color: var(--nunect-services-error-color, var(--_color-error));
  }
  .last-error {
    max-width: 28ch;
    overflow: hidden;
    text-overflow: ellipsis;
  }
  .mono {
    font-family: var(--_font-mono);
  }
  @media (forced-colors: active) {
    .skew-badge,
    .skewed,
    .restart,
    .notice {
      border: 2px solid CanvasText;
    }
  }
`;

export const servicesStyles = [tableStyles('services'), tileStyles('services', 120), absentStyles, own];
