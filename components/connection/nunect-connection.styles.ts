import { css } from 'lit';

export const connectionStyles = css`
  .summary {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 4px 10px;
    margin-bottom: var(--nunect-connection-gap, 10px);
  }
  .indicator {
    display: inline-block;
    inline-size: 10px;
    block-size: 10px;
    border-radius: 50%;
    flex: none;
    background: var(--nunect-connection-indicator-color, var(--nunect-color-muted, light-dark(#5b6673, #9aa5b1)));
  }
  .indicator[data-state='connected'] {
    background: var(--nunect-connection-connected-color, var(--nunect-color-success, light-dark(#1a7f37, #3fb950)));
  }
  .indicator[data-state='connecting'],
  .indicator[data-state='reconnecting'] {
    background: var(--nunect-connection-connecting-color, var(--nunect-color-warning, light-dark(#9a6700, #d29922)));
  }
  .indicator[data-state='error'] {
    background: var(--nunect-connection-error-color, var(--nunect-color-error, light-dark(#a4161a, #ff7b72)));
  }
  .summary strong {
    font-weight: 600;
  }
  dl {
    display: grid;
    grid-template-columns: max-content 1fr;
    gap: 2px 12px;
    margin: 0 0 var(--nunect-connection-gap, 10px);
  }
  dt {
    color: var(--nunect-color-muted, light-dark(#5b6673, #9aa5b1));
  }
  dd {
    margin: 0;
    font-variant-numeric: tabular-nums;
    overflow-wrap: anywhere;
  }
  .error {
    margin: 0 0 var(--nunect-connection-gap, 10px);
    padding: 6px 10px;
    border-radius: 6px;
    background: var(--nunect-color-error-bg, light-dark(#fdecec, #3a1618));
    color: var(--nunect-color-error, light-dark(#a4161a, #ffb3b3));
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
    align-items: center;
  }
  form,
  fieldset {
    display: grid;
    gap: 8px;
    margin: 0;
    padding: 0;
    border: 0;
    min-inline-size: 0;
  }
  .field {
    display: grid;
    gap: 2px;
    max-inline-size: var(--nunect-connection-field-width, 360px);
  }
  .field label {
    font-size: 0.9em;
    color: var(--nunect-color-muted, light-dark(#5b6673, #9aa5b1));
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
    align-items: center;
  }
  button[type='submit'] {
    background: var(--nunect-connection-submit-background, var(--nunect-color-accent, light-dark(#0a66d8, #1a5fc7)));
    border-color: transparent;
    color: var(--nunect-connection-submit-color, var(--nunect-color-on-accent, #ffffff));
  }
  button:disabled,
  input:disabled,
  select:disabled {
    opacity: 0.6;
    cursor: not-allowed;
  }
`;
