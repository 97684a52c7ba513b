import { css } from 'lit';
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
  .servers {
    display: grid;
    gap: var(--nunect-subsz-gap, 12px);
  }
  .server header {
    display: flex;
    flex-wrap: wrap;
    gap: 4px 12px;
    align-items: baseline;
    margin-bottom: 8px;
  }
  dd {
    font-size: 1.25em;
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
    border-color: var(--nunect-subsz-invalid-color, var(--nunect-color-error, light-dark(#a4161a, #ffb3b3)));
  }
  .result {
    margin: 8px 0 0;
  }
  .result.invalid,
  .result.failed {
    color: var(--nunect-subsz-invalid-color, var(--nunect-color-error, light-dark(#a4161a, #ffb3b3)));
  }
  .scroll {
    overflow-x: auto;
    max-height: var(--nunect-subsz-list-max-height, 28em);
    overflow-y: auto;
  }
  .scroll thead th {
    position: sticky;
    top: 0;
    background: var(--nunect-color-surface, light-dark(#ffffff, #161b22));
  }
  .matches {
    margin-top: 8px;
  }
  .subject {
    white-space: normal;
    word-break: break-all;
  }
  nav {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
    align-items: center;
    margin-top: 8px;
  }
  button[disabled] {
    opacity: 0.5;
    cursor: default;
  }
`;

export const subszStyles = [tileStyles('subsz', 130), own];
