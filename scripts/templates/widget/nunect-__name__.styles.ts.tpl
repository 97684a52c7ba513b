import { css } from 'lit';

export const __nameCamel__Styles = css`
  ul {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: var(--nunect-__name__-gap, 6px);
  }
  .name {
    font-weight: 600;
  }
`;
