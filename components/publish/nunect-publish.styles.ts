import { css } from 'lit';

export const publishStyles = css`
  ul {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: var(--nunect-publish-gap, 6px);
  }
  .name {
    font-weight: 600;
  }
`;
