import { css } from 'lit';

/**
 * Shared look of every widget. Widget properties read `--nunect-<widget>-<thing>` with fallbacks to
 * the global `--nunect-*` tokens below, which themselves fall back to built-in light/dark values.
 * Nothing is redeclared on :host, so a host page themes from any ancestor.
 */
export const baseStyles = css`
  :host {
    display: block;
    box-sizing: border-box;
    color: var(--nunect-color-text, light-dark(#1d232b, #e4e8ee));
    background: var(--nunect-color-surface, light-dark(#ffffff, #161b22));
    border: 1px solid var(--nunect-color-border, light-dark(#d6dbe1, #2f3742));
    border-radius: var(--nunect-radius, 8px);
    font-family: var(--nunect-font-family, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    font-size: var(--nunect-font-size, 14px);
    line-height: 1.4;
    color-scheme: light dark;
    padding: var(--nunect-space, 12px);
  }
  :host([hidden]) {
    display: none;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  h2 {
    font-size: 1em;
    font-weight: 600;
    margin: 0 0 8px;
  }
  .muted {
    color: var(--nunect-color-muted, light-dark(#5b6673, #9aa5b1));
  }
  .mono {
    font-family: var(--nunect-font-mono, ui-monospace, SFMono-Regular, Menlo, monospace);
  }
  button {
    font: inherit;
    color: inherit;
    background: var(--nunect-color-button, light-dark(#eef1f4, #232a33));
    border: 1px solid var(--nunect-color-border, light-dark(#c4cbd3, #3a4350));
    border-radius: 6px;
    padding: 4px 10px;
    cursor: pointer;
  }
  button:hover {
    background: var(--nunect-color-button-hover, light-dark(#e2e7ec, #2c3440));
  }
  button:focus-visible,
  input:focus-visible,
  select:focus-visible,
  [tabindex]:focus-visible {
    outline: 2px solid var(--nunect-color-focus, light-dark(#0a66d8, #5aa2ff));
    outline-offset: 1px;
  }
  input,
  select {
    font: inherit;
    color: inherit;
    background: var(--nunect-color-input, light-dark(#ffffff, #0d1117));
    border: 1px solid var(--nunect-color-border, light-dark(#9aa4af, #3a4350));
    border-radius: 6px;
    padding: 4px 8px;
  }
  .status {
    display: flex;
    gap: 8px;
    align-items: center;
    padding: 6px 10px;
    border-radius: 6px;
    margin-bottom: 8px;
    background: var(--nunect-color-info-bg, light-dark(#eef4fb, #14243a));
  }
  .status[data-kind='error'] {
    background: var(--nunect-color-error-bg, light-dark(#fdecec, #3a1618));
    color: var(--nunect-color-error, light-dark(#a4161a, #ffb3b3));
  }
  .status[data-kind='stale'] {
    background: var(--nunect-color-warning-bg, light-dark(#fff6e0, #3a2e10));
    color: var(--nunect-color-warning, light-dark(#7a5300, #ffd27a));
  }
  table {
    border-collapse: collapse;
    width: 100%;
  }
  th,
  td {
    text-align: left;
    padding: 4px 8px;
    border-bottom: 1px solid var(--nunect-color-border, light-dark(#e3e7eb, #262d36));
    white-space: nowrap;
  }
  th {
    font-weight: 600;
  }
  td.num,
  th.num {
    text-align: right;
    font-variant-numeric: tabular-nums;
  }
`;
