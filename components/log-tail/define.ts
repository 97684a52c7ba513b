import { NunectLogTail } from './nunect-log-tail.js';

NunectLogTail.define('nunect-log-tail');

declare global {
  interface HTMLElementTagNameMap {
    'nunect-log-tail': NunectLogTail;
  }
}

export { NunectLogTail };
