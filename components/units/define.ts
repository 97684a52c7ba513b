import { NunectUnits } from './nunect-units.js';

NunectUnits.define('nunect-units');

declare global {
  interface HTMLElementTagNameMap {
    'nunect-units': NunectUnits;
  }
}

export { NunectUnits };
