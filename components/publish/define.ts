import { NunectPublish } from './nunect-publish.js';

NunectPublish.define('nunect-publish');

declare global {
  interface HTMLElementTagNameMap {
    'nunect-publish': NunectPublish;
  }
}

export { NunectPublish };
