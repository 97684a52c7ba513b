import { NunectServers } from './nunect-servers.js';

NunectServers.define('nunect-servers');

declare global {
  interface HTMLElementTagNameMap {
    'nunect-servers': NunectServers;
  }
}

export { NunectServers };
