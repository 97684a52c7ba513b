import { css } from 'lit';

export const publishStyles = css`
  .form {
    display: grid;
    gap: var(--nunect-publish-gap, 8px);
    margin-bottom: 10px;
  }
  fieldset {
    margin: 0;
    padding: 0;
    border: 0;
  }
  legend {
    padding: 0;
    font-weight: 600;
  }
  .modes {
    display: flex;
    flex-wrap: wrap;
    gap: 4px 12px;
    align-items: center;
  }
  .modes legend {
    float: left;
    margin-right: 4px;
  }
  .field {
    display: inline-flex;
    flex-wrap: wrap;
    gap: 6px;
    align-items: center;
  }
  .subject-field .subject {
    flex: 1 1 16em;
    min-width: 0;
    font-family: var(--_font-mono);
  }
  .headers-editor {
    display: grid;
    gap: 4px;
    justify-items: start;
  }
  .header-edit {
    display: flex;
    flex-wrap: wrap;
    gap: 4px 6px;
    align-items: center;
  }
  .header-edit input {
    font-family: var(--_font-mono);
  }
  .payload-edit-bar {
    display: flex;
    flex-wrap: wrap;
    gap: 6px 10px;
    align-items: center;
    margin-bottom: 4px;
  }
  .payload-edit-bar label {
    font-weight: 600;
  }
  .payload-text {
    box-sizing: border-box;
    width: 100%;
    min-height: var(--nunect-publish-editor-height, 8em);
    font-family: var(--_font-mono);
    resize: vertical;
  }
  .limits,
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 6px 14px;
    align-items: center;
  }
  .limits input {
    width: 7em;
  }
  .notice {
    color: var(--_color-warning);
  }
  .outcome {
    margin: 0 0 6px;
    padding: 4px 8px;
    border-left: 3px solid var(--nunect-publish-ok-color, var(--_color-success));
    overflow-wrap: anywhere;
  }
  .outcome:not([data-outcome='ok']) {
    border-left-color: var(--nunect-publish-error-color, var(--_color-error));
    background: var(--_color-error-bg);
  }
  .replies-scroll {
    overflow-x: auto;
    margin-bottom: 8px;
  }
  .replies {
    width: 100%;
    border-collapse: collapse;
    margin-bottom: 8px;
    font-variant-numeric: tabular-nums;
  }
  .replies caption {
    text-align: start;
  }
  .replies th,
  .replies td {
    padding: 2px 8px;
    border-bottom: 1px solid var(--_color-divider);
    text-align: start;
  }
  .replies .num {
    text-align: end;
  }
  .replies tr[aria-selected='true'] {
    background: var(--_color-selected);
  }
  .replies .preview,
  .replies .responder {
    max-width: 24em;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
    font-family: var(--_font-mono);
  }
  .reply-detail {
    padding: 8px 10px;
    border: 1px solid var(--_color-border);
    border-radius: var(--_radius);
  }
  .meta {
    display: flex;
    flex-wrap: wrap;
    gap: 2px 16px;
    margin: 0 0 6px;
  }
  .meta div {
    display: flex;
    gap: 4px;
  }
  .meta dt {
    color: var(--_color-muted);
  }
  .meta dd {
    margin: 0;
    overflow-wrap: anywhere;
  }
  .history {
    margin-top: 10px;
  }
  .history ol {
    margin: 4px 0 0;
    padding-left: 1.4em;
  }
  .history li {
    overflow-wrap: anywhere;
  }
  @media (forced-colors: active) {
    .replies tr[aria-selected='true'] {
      outline: 2px solid Highlight;
    }
  }
`;
