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
    background: var(--nunect-connection-indicator-color, var(--_color-muted));
  }
  .indicator[data-state='connected'] {
    background: var(--nunect-connection-connected-color, var(--_color-success));
  }
  .indicator[data-state='connecting'],
  .indicator[data-state='reconnecting'] {
    background: var(--nunect-connection-connecting-color, var(--_color-warning));
  }
  .indicator[data-state='error'] {
    background: var(--nunect-connection-error-color, var(--_color-error));
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
    color: var(--_color-muted);
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
    background: var(--_color-error-bg);
    color: var(--_color-error);
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
    color: var(--_color-muted);
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
    align-items: center;
  }
  button[type='submit'] {
    background: var(--nunect-connection-submit-background, var(--_color-accent-fill));
    border-color: transparent;
    color: var(--nunect-connection-submit-color, var(--_color-on-accent));
  }
  button:disabled,
  input:disabled,
  select:disabled {
    opacity: 0.6;
    cursor: not-allowed;
  }
  @media (forced-colors: active) {
    /* The dot's colour is gone: filled when connected, a ring otherwise (the text says the state). */
    .indicator {
      forced-color-adjust: none;
      background: Canvas;
      border: 2px solid CanvasText;
    }
    .indicator[data-state='connected'] {
      background: CanvasText;
    }
    .error {
      border: 3px solid CanvasText;
    }
    button[type='submit'] {
      border-color: ButtonText;
    }
  }
`;
