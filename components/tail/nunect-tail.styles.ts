import { css } from 'lit';

export const tailStyles = css`
  ul {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: var(--nunect-tail-gap, 6px);
  }
  .name {
    font-weight: 600;
  }
`;
