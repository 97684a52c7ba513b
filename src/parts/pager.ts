import { html, type TemplateResult } from 'lit';
import { formatNumber } from '../monitor/format.js';

/**
 * "1–50 of 300" (every number through `formatNumber`): items `first + 1` to `first + shown`, of
 * `total` when it is known; an empty string when nothing is shown.
 */
export function pageRange(first: number, shown: number, total?: number): string {
  if (shown <= 0) return '';
  const range = `${formatNumber(first + 1)}–${formatNumber(first + shown)}`;
  return total === undefined ? range : `${range} of ${formatNumber(total)}`;
}

export interface PagerOptions {
  /** The accessible name of the pager (a `<nav>`), e.g. "Connection pages". */
  label: string;
  /** Index of the first item shown (0-based). */
  first: number;
  /** How many items this page shows. */
  shown: number;
  /** How many items there are in all (unknown: the range says only "1–50"). */
  total?: number;
  /** Whether there is a next page (default: `first + shown < total`; false when the total is unknown). */
  hasNext?: boolean;
  /** What the range says instead of `pageRange(first, shown, total)` (e.g. "0 connections", "Showing 1–10"). */
  status?: string | TemplateResult;
  /** The buttons were clicked (pass stable functions: a re-render then changes no listener). */
  onPrevious: () => void;
  onNext: () => void;
}

/**
 * The previous/next pager of a paged table: `<nav part="pager" aria-label=…>` with a "Previous"
 * button (`.prev`, disabled on the first page), the range as a status (`.range`, announced when it
 * changes) and a "Next" button (`.next`, disabled on the last page). Styles: `pagerStyles` of
 * src/styles/pager.ts.
 */
export function pager(options: PagerOptions): TemplateResult {
  const { first, shown, total } = options;
  const hasPrevious = first > 0;
  const hasNext = options.hasNext ?? (total !== undefined && first + shown < total);
  return html`<nav class="pager" part="pager" aria-label=${options.label}>
    <button type="button" class="prev" ?disabled=${!hasPrevious} @click=${options.onPrevious}>Previous</button>
    <span class="range" role="status">${options.status ?? pageRange(first, shown, total)}</span>
    <button type="button" class="next" ?disabled=${!hasNext} @click=${options.onNext}>Next</button>
  </nav>`;
}
