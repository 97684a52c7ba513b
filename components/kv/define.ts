import { NunectKv } from './nunect-kv.js';

NunectKv.define('nunect-kv');

declare global {
  interface HTMLElementTagNameMap {
    'nunect-kv': NunectKv;
  }
}

export { NunectKv };
