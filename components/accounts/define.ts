import { NunectAccounts } from './nunect-accounts.js';

NunectAccounts.define('nunect-accounts');

declare global {
  interface HTMLElementTagNameMap {
    'nunect-accounts': NunectAccounts;
  }
}

export { NunectAccounts };
