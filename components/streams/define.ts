import { NunectStreams } from './nunect-streams.js';

NunectStreams.define('nunect-streams');

declare global {
  interface HTMLElementTagNameMap {
    'nunect-streams': NunectStreams;
  }
}

export { NunectStreams };
