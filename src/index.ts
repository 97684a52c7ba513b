/**
 * nunect: watch and use a NATS backbone from the browser.
 * This entry point re-exports the core client; the web components are added next to it.
 * @module nunect
 */
export * from '../client/index.js';
