import { css } from 'lit';

/**
 * The look of the headers and payload of `src/parts/payload.ts`: the headers as a two-column list,
 * the payload bar (size, view selector), the text in a monospace block (JSON objects and arrays fold at their opening bracket) that scrolls within
 * `--nunect-payload-max-height` (default 24em) and wraps nothing, the truncation line. Reads only
 * the shared tokens.
 */
export const payloadStyles = css`
  .payload-headers {
    display: grid;
    grid-template-columns: minmax(6em, max-content) 1fr;
    gap: 2px 12px;
    margin: 0 0 6px;
    font-family: var(--_font-mono);
  }
  .payload-headers .header-row {
    display: contents;
  }
  .payload-headers dt {
    color: var(--_color-muted);
    overflow-wrap: anywhere;
  }
  .payload-headers dd {
    margin: 0;
    overflow-wrap: anywhere;
  }
  .payload-bar {
    display: flex;
    flex-wrap: wrap;
    gap: 4px 8px;
    align-items: center;
    margin-bottom: 4px;
  }
  .payload-size {
    color: var(--_color-muted);
    font-variant-numeric: tabular-nums;
  }
  .payload-body {
    margin: 0;
    padding: 6px 8px;
    max-height: var(--nunect-payload-max-height, 24em);
    overflow: auto;
    white-space: pre;
    font-family: var(--_font-mono);
    background: var(--_color-subtle);
    border: 1px solid var(--_color-border);
    border-radius: var(--_radius);
    tab-size: 2;
  }
  .payload-body:focus-visible {
    outline: 2px solid var(--_color-focus);
    outline-offset: 1px;
  }
  .view-text .payload-body {
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }
  .json-node,
  .json-node > summary {
    display: inline;
  }
  .json-node > summary {
    cursor: pointer;
    list-style: none;
    border-radius: 2px;
  }
  .json-node > summary::-webkit-details-marker {
    display: none;
  }
  .json-node > summary:hover,
  .json-node > summary:focus-visible {
    background: var(--_color-selected);
    outline: 1px solid var(--_color-focus);
  }
  .json-node:not([open]) > summary::after {
    content: '…' / ' folded';
    color: var(--_color-muted);
  }
  .json-key {
    color: var(--_color-accent);
  }
  .payload-note,
  .payload-truncated,
  .payload-empty {
    margin: 4px 0;
    color: var(--_color-muted);
  }
  .payload-note {
    color: var(--_color-warning);
  }
`;
