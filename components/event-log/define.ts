import { NunectEventLog } from './nunect-event-log.js';

NunectEventLog.define('nunect-event-log');

declare global {
  interface HTMLElementTagNameMap {
    'nunect-event-log': NunectEventLog;
  }
}

export { NunectEventLog };
