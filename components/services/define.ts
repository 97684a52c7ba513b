import { NunectServices } from './nunect-services.js';

NunectServices.define('nunect-services');

declare global {
  interface HTMLElementTagNameMap {
    'nunect-services': NunectServices;
  }
}

export { NunectServices };
