import { css } from 'lit';

export const kvStyles = css`
  ul {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: var(--nunect-kv-gap, 6px);
  }
  .name {
    font-weight: 600;
  }
`;
