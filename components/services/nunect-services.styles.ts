import { css } from 'lit';

export const servicesStyles = css`
  ul {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: var(--nunect-services-gap, 6px);
  }
  .name {
    font-weight: 600;
  }
`;
