import { NunectJsz } from './nunect-jsz.js';

NunectJsz.define('nunect-jsz');

declare global {
  interface HTMLElementTagNameMap {
    'nunect-jsz': NunectJsz;
  }
}

export { NunectJsz };
