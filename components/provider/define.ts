import { NunectProvider } from './nunect-provider.js';

NunectProvider.define('nunect-provider');

declare global {
  interface HTMLElementTagNameMap {
    'nunect-provider': NunectProvider;
  }
}

export { NunectProvider };
