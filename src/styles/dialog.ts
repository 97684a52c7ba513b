import { css } from 'lit';

/**
 * The confirmation dialog of a destructive action (a modal `<dialog>` with a `.dialog-actions`
 * row: Cancel first, then `button.confirm`), shared by `<nunect-servers>` (reload) and
 * `<nunect-connz>` (disconnect, ask to move).
 */
export const dialogStyles = css`
  dialog {
    max-width: min(36em, 90vw);
    color: var(--_color-text);
    background: var(--_color-surface);
    border: 1px solid var(--_color-border);
    border-radius: var(--_radius);
    padding: var(--_space);
  }
  dialog::backdrop {
    background: rgb(0 0 0 / 0.4);
  }
  dialog p,
  dialog ul {
    margin: 0 0 8px;
  }
  .dialog-actions {
    display: flex;
    gap: 8px;
    justify-content: flex-end;
  }
  button.confirm {
    background: var(--_color-accent-fill);
    color: var(--_color-on-accent);
    border-color: var(--_color-accent-fill);
  }
  @media (forced-colors: active) {
    button.confirm {
      border-width: 2px;
    }
  }
`;
