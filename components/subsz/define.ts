import { NunectSubsz } from './nunect-subsz.js';

NunectSubsz.define('nunect-subsz');

declare global {
  interface HTMLElementTagNameMap {
    'nunect-subsz': NunectSubsz;
  }
}

export { NunectSubsz };
