import { NunectVarz } from './nunect-varz.js';

NunectVarz.define('nunect-varz');

declare global {
  interface HTMLElementTagNameMap {
    'nunect-varz': NunectVarz;
  }
}

export { NunectVarz };
