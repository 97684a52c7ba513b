import { css } from 'lit';

export const subszStyles = css`
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
  dl {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(var(--nunect-subsz-tile-width, 130px), 1fr));
    gap: 8px;
    margin: 0;
  }
  .tile {
    padding: 8px;
    border-radius: 6px;
    background: var(--nunect-subsz-tile-background, var(--nunect-color-subtle, light-dark(#f4f6f8, #1c222b)));
  }
  dt {
    font-size: 0.85em;
    color: var(--nunect-color-muted, light-dark(#5b6673, #9aa5b1));
  }
  dd {
    margin: 0;
    font-size: 1.25em;
    font-variant-numeric: tabular-nums;
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
