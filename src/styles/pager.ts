import { css } from 'lit';

/** The look of the pager of `src/parts/pager.ts`: previous, the range, next. */
export const pagerStyles = css`
  .pager {
    display: inline-flex;
    flex-wrap: wrap;
    gap: 6px 8px;
    align-items: center;
  }
  .pager .prev::before {
    content: '‹ ' / '';
  }
  .pager .next::after {
    content: ' ›' / '';
  }
  .pager button[disabled] {
    opacity: 0.5;
    cursor: default;
  }
  .pager .range {
    font-variant-numeric: tabular-nums;
  }
  @media (forced-colors: active) {
    .pager button[disabled] {
      opacity: 1;
    }
  }
`;
