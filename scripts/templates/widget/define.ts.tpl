import { Nunect__Name__ } from './nunect-__name__.js';

Nunect__Name__.define('nunect-__name__');

declare global {
  interface HTMLElementTagNameMap {
    'nunect-__name__': Nunect__Name__;
  }
}

export { Nunect__Name__ };
