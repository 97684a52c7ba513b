import { css } from 'lit';

export const streamsStyles = css`
  ul {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: var(--nunect-streams-gap, 6px);
  }
  .name {
    font-weight: 600;
  }
`;
