import { css } from 'lit';

/**
 * The design tokens, declared once, and the look every widget shares.
 *
 * Material Web's private-variable pattern: each global token is read here, once, from its public
 * `--nunect-*` custom property with its built-in light/dark default, into a private `--_*`
 * variable on `:host`. Shadow styles use only the private names (`var(--_color-border)`), and
 * widget properties read `var(--nunect-<widget>-<thing>, var(--_<token>))`. The public tokens are
 * never declared by nunect, so a page themes every widget from any ancestor (`:root`, a section).
 *
 * Global tokens (public name → what it colours):
 * - `--nunect-color-text`, `--nunect-color-surface` (text and card background),
 *   `--nunect-color-subtle` (figure tiles, hovered rows, panels), `--nunect-color-muted` (secondary text)
 * - `--nunect-color-border` (card and panel borders; also the fallback of the next two),
 *   `--nunect-color-divider` (lines between table rows), `--nunect-color-control-border` (buttons, inputs)
 * - `--nunect-color-badge` (badges; falls back to `--nunect-color-subtle`),
 *   `--nunect-color-selected` (an open row; falls back to `--nunect-color-subtle`)
 * - `--nunect-color-button`, `--nunect-color-button-hover`, `--nunect-color-input`, `--nunect-color-focus`
 * - `--nunect-color-accent` (sorted column, sparklines, bars), `--nunect-color-accent-fill` and
 *   `--nunect-color-on-accent` (a primary button; the fill falls back to `--nunect-color-accent`)
 * - `--nunect-color-info`, `--nunect-color-success`, `--nunect-color-warning`, `--nunect-color-error`
 *   and the backgrounds `--nunect-color-info-bg`, `--nunect-color-warning-bg`, `--nunect-color-error-bg`
 * - `--nunect-color-shadow` (the shadow at a scrolled table's edge)
 * - `--nunect-radius`, `--nunect-space`, `--nunect-font-family`, `--nunect-font-size`, `--nunect-font-mono`
 *
 * In forced-colors mode (Windows high contrast) the tokens become system colours, and what a
 * background alone would say (status lines, tiles, badges, an open row) gets a border.
 */
export const tokens = css`
  :host {
    --_color-text: var(--nunect-color-text, light-dark(#1d232b, #e4e8ee));
    --_color-surface: var(--nunect-color-surface, light-dark(#ffffff, #161b22));
    --_color-subtle: var(--nunect-color-subtle, light-dark(#f4f6f8, #1c222b));
    --_color-muted: var(--nunect-color-muted, light-dark(#5b6673, #9aa5b1));
    --_color-border: var(--nunect-color-border, light-dark(#d6dbe1, #2f3742));
    --_color-divider: var(--nunect-color-divider, var(--nunect-color-border, light-dark(#e3e7eb, #262d36)));
    --_color-control-border: var(--nunect-color-control-border, var(--nunect-color-border, light-dark(#8a94a0, #6b7683)));
    --_color-badge: var(--nunect-color-badge, var(--nunect-color-subtle, light-dark(#e7ebef, #242b35)));
    --_color-selected: var(--nunect-color-selected, var(--nunect-color-subtle, light-dark(#eef3f9, #1a2330)));
    --_color-button: var(--nunect-color-button, light-dark(#eef1f4, #232a33));
    --_color-button-hover: var(--nunect-color-button-hover, light-dark(#e2e7ec, #2c3440));
    --_color-input: var(--nunect-color-input, light-dark(#ffffff, #0d1117));
    --_color-focus: var(--nunect-color-focus, light-dark(#0a66d8, #5aa2ff));
    --_color-accent: var(--nunect-color-accent, light-dark(#0a66d8, #5aa2ff));
    --_color-accent-fill: var(--nunect-color-accent-fill, var(--nunect-color-accent, light-dark(#0a66d8, #1a5fc7)));
    --_color-on-accent: var(--nunect-color-on-accent, #ffffff);
    --_color-info: var(--nunect-color-info, light-dark(#0a58b8, #8cc4ff));
    --_color-info-bg: var(--nunect-color-info-bg, light-dark(#eef4fb, #14243a));
    --_color-success: var(--nunect-color-success, light-dark(#116329, #7ee2a8));
    --_color-warning: var(--nunect-color-warning, light-dark(#7a5300, #ffd27a));
    --_color-warning-bg: var(--nunect-color-warning-bg, light-dark(#fff6e0, #3a2e10));
    --_color-error: var(--nunect-color-error, light-dark(#a4161a, #ffb3b3));
    --_color-error-bg: var(--nunect-color-error-bg, light-dark(#fdecec, #3a1618));
    --_color-shadow: var(--nunect-color-shadow, light-dark(rgb(0 0 0 / 0.16), rgb(0 0 0 / 0.55)));
    --_radius: var(--nunect-radius, 8px);
    --_space: var(--nunect-space, 12px);
    --_font-family: var(--nunect-font-family, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    --_font-size: var(--nunect-font-size, 14px);
    --_font-mono: var(--nunect-font-mono, ui-monospace, SFMono-Regular, Menlo, monospace);
  }
  @media (forced-colors: active) {
    :host {
      --_color-text: CanvasText;
      --_color-surface: Canvas;
      --_color-subtle: Canvas;
      --_color-muted: CanvasText;
      --_color-border: CanvasText;
      --_color-divider: GrayText;
      --_color-control-border: ButtonText;
      --_color-badge: Canvas;
      --_color-selected: Canvas;
      --_color-button: ButtonFace;
      --_color-button-hover: ButtonFace;
      --_color-input: Canvas;
      --_color-focus: Highlight;
      --_color-accent: Highlight;
      --_color-accent-fill: ButtonFace;
      --_color-on-accent: ButtonText;
      --_color-info: CanvasText;
      --_color-info-bg: Canvas;
      --_color-success: CanvasText;
      --_color-warning: CanvasText;
      --_color-warning-bg: Canvas;
      --_color-error: CanvasText;
      --_color-error-bg: Canvas;
      --_color-shadow: transparent;
    }
  }
`;

/** The shared look of every element: the tokens, the card, text, controls and the status line. */
export const baseStyles = css`
  ${tokens}
  :host {
    display: block;
    box-sizing: border-box;
    color: var(--_color-text);
    background: var(--_color-surface);
    border: 1px solid var(--_color-border);
    border-radius: var(--_radius);
    font-family: var(--_font-family);
    font-size: var(--_font-size);
    line-height: 1.4;
    color-scheme: light dark;
    padding: var(--_space);
    /* Each widget's layout and paint stay its own: one widget's update does not lay out or repaint the page. */
    contain: content;
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
    color: var(--_color-muted);
  }
  .mono {
    font-family: var(--_font-mono);
  }
  button,
  input,
  select {
    font: inherit;
    color: inherit;
    border: 1px solid var(--_color-control-border);
    border-radius: 6px;
  }
  button {
    background: var(--_color-button);
    padding: 4px 10px;
    cursor: pointer;
  }
  button:hover {
    background: var(--_color-button-hover);
  }
  button:focus-visible,
  input:focus-visible,
  select:focus-visible,
  [tabindex]:focus-visible {
    outline: 2px solid var(--_color-focus);
    outline-offset: 1px;
  }
  input,
  select {
    background: var(--_color-input);
    padding: 4px 8px;
  }
  .status {
    display: flex;
    gap: 8px;
    align-items: center;
    padding: 6px 10px;
    border-radius: 6px;
    margin-bottom: 8px;
    background: var(--_color-info-bg);
  }
  .status[data-kind='error'] {
    background: var(--_color-error-bg);
    color: var(--_color-error);
  }
  .status[data-kind='stale'] {
    background: var(--_color-warning-bg);
    color: var(--_color-warning);
  }
  @media (forced-colors: active) {
    /* The backgrounds are gone: borders keep the status line and its kind visible. */
    .status {
      border: 1px solid CanvasText;
    }
    .status[data-kind='stale'] {
      border-style: dashed;
      border-width: 2px;
    }
    .status[data-kind='error'] {
      border-width: 3px;
    }
    button {
      color: ButtonText;
      border-color: ButtonText;
    }
    button:disabled {
      color: GrayText;
      border-color: GrayText;
    }
  }
`;
