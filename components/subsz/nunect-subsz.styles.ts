import { css } from 'lit';
import { absentStyles } from '../../src/styles/absent.js';
import { pagerStyles } from '../../src/styles/pager.js';
import { tableStyles } from '../../src/styles/table.js';
import { tileStyles } from '../../src/styles/tiles.js';

const own = css`
  .toolbar {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
    align-items: center;
    margin-bottom: var(--nunect-subsz-gap, 12px);
  }
  section + section {
    margin-top: var(--nunect-subsz-gap, 12px);
  }
  form {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
    align-items: center;
  }
  form input {
    flex: 1 1 16em;
    min-width: 0;
  }
  input[aria-invalid='true'] {
    border-color: var(--nunect-subsz-invalid-color, var(--_color-error));
  }
  .result {
    margin: 8px 0 0;
  }
  .result.invalid,
  .result.failed {
    color: var(--nunect-subsz-invalid-color, var(--_color-error));
  }
  .scroll {
    max-height: var(--nunect-subsz-list-max-height, 28em);
  }
  .matches {
    margin-top: 8px;
  }
  .subject {
    white-space: normal;
    word-break: break-all;
  }
  .pager {
    margin-top: 8px;
  }
  .server.total {
    padding-bottom: 8px;
    border-bottom: 1px solid var(--_color-divider);
  }
  @media (forced-colors: active) {
    input[aria-invalid='true'] {
      border-width: 3px;
    }
  }
`;

export const subszStyles = [tileStyles('subsz', 130), tableStyles('subsz'), pagerStyles, absentStyles, own];
