import { NunectConnz } from './nunect-connz.js';

NunectConnz.define('nunect-connz');

declare global {
  interface HTMLElementTagNameMap {
    'nunect-connz': NunectConnz;
  }
}

export { NunectConnz };
