import { NunectRoutez } from './nunect-routez.js';

NunectRoutez.define('nunect-routez');

declare global {
  interface HTMLElementTagNameMap {
    'nunect-routez': NunectRoutez;
  }
}

export { NunectRoutez };
