import { css } from 'lit';

/**
 * The look of the absent servers of `src/parts/absent.ts` (cards, table rows, notices): a dashed
 * warning border and background for a server that does not answer or is in lame-duck mode, a
 * quieter one for a server that stopped cleanly; the status word (`.presence`) says it in text,
 * so the colour is never the only sign. Reads only the shared tokens.
 */
export const absentStyles = css`
  .server.absent,
  .absent-notice {
    padding: 8px 10px;
    border: 1px dashed var(--_color-warning);
    border-radius: 6px;
    background: var(--_color-warning-bg);
  }
  .server.absent.shutdown {
    border-color: var(--_color-control-border);
    background: var(--_color-subtle);
  }
  .server.absent header {
    margin-bottom: 4px;
  }
  .presence {
    font-weight: 600;
    color: var(--_color-warning);
  }
  .shutdown .presence {
    color: var(--_color-muted);
  }
  .absent-detail {
    margin: 0;
  }
  .absent-notice {
    margin: 0 0 8px;
  }
  .absent-notice ul {
    margin: 2px 0 0;
    padding-left: 1.2em;
  }
  tr.absent > th,
  tr.absent > td {
    white-space: normal;
    background: var(--_color-warning-bg);
  }
  tr.absent.shutdown > th,
  tr.absent.shutdown > td {
    background: var(--_color-subtle);
  }
  @media (forced-colors: active) {
    .server.absent,
    .absent-notice {
      border: 2px dashed CanvasText;
    }
    tr.absent > th,
    tr.absent > td {
      border-bottom: 2px dashed CanvasText;
    }
  }
`;
