import { NunectConnection } from './nunect-connection.js';

NunectConnection.define('nunect-connection');

declare global {
  interface HTMLElementTagNameMap {
    'nunect-connection': NunectConnection;
  }
}

export { NunectConnection };
