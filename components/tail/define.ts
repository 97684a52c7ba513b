import { NunectTail } from './nunect-tail.js';

NunectTail.define('nunect-tail');

declare global {
  interface HTMLElementTagNameMap {
    'nunect-tail': NunectTail;
  }
}

export { NunectTail };
