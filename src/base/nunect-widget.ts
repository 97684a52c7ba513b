import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import type { NunectClient, NunectError } from '../../client/index.js';
import { HubController } from '../controllers/hub-controller.js';
import type { HubStatus } from '../connection/hub.js';
import { NunectElement } from './nunect-element.js';

/**
 * What a live widget shows: `unconfigured` (no server or not logged in), `connecting`, `loading`
 * (connected, no data yet), `ready`, `stale` (showing the last data while reconnecting or after a
 * failed poll) and `error` (no data, an error and a retry button).
 */
export type WidgetState = 'unconfigured' | 'connecting' | 'loading' | 'ready' | 'stale' | 'error';

/** Derives the widget state from the connection and whether data and an error are there. */
export function widgetState(hub: HubStatus, hasData: boolean, error?: NunectError): WidgetState {
  switch (hub.state) {
    case 'unconfigured':
    case 'idle':
      return hasData ? 'stale' : 'unconfigured';
    case 'connecting':
      return hasData ? 'stale' : 'connecting';
    case 'reconnecting':
      return hasData ? 'stale' : 'connecting';
    case 'error':
      return hasData ? 'stale' : 'error';
    case 'connected':
      if (error) return hasData ? 'stale' : 'error';
      return hasData ? 'ready' : 'loading';
  }
}

/**
 * Base of the live widgets: finds the shared connection (see {@link HubController}), exposes the
 * widget state as the `state` property and as the CSS custom state `:state(<state>)`, and renders
 * the status line for every state but `ready`.
 */
export class NunectWidget extends NunectElement {
  /** A client of your own; wins over `<nunect-provider>` and the page default. Never an attribute. */
  @property({ attribute: false }) client?: NunectClient;

  /** The current widget state (read-only). */
  get state(): WidgetState {
    return this.#state;
  }

  protected readonly hubs = new HubController(this);
  #state: WidgetState = 'unconfigured';
  #internals?: ElementInternals;

  constructor() {
    super();
    try {
      this.#internals = this.attachInternals();
    } catch {
      /* no ElementInternals: the state property still works */
    }
  }

  /** The current time from the connection's clock (injectable: tests and stories set their own). */
  protected now(): number {
    return this.hubs.hub.clock.now();
  }

  /** Subclasses compute their state; the default has no data of its own. */
  protected computeState(): WidgetState {
    return widgetState(this.hubs.status, false);
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    const next = this.computeState();
    if (next !== this.#state) {
      const states = this.#internals?.states;
      if (states) {
        try {
          states.delete(this.#state);
          states.add(next);
        } catch {
          /* older CustomStateSet */
        }
      }
      this.#state = next;
      this.emit('nunect-state-change', { state: next });
    }
  }

  /** The status line for `state` (nothing when ready). `error` is the data error, if any. */
  protected renderStatus(error?: NunectError, what = 'data'): TemplateResult | typeof nothing {
    const hub = this.hubs.status;
    const retry = () => this.retry();
    switch (this.#state) {
      case 'ready':
        return nothing;
      case 'unconfigured':
        return html`<div class="status" part="status" role="status">
          ${hub.state === 'unconfigured' ? 'No NATS server configured.' : 'Not connected: log in to see live data.'}
        </div>`;
      case 'connecting':
        return html`<div class="status" part="status" role="status">
          ${hub.state === 'reconnecting' ? `Reconnecting to ${hub.server ?? 'the server'}…` : 'Connecting…'}
        </div>`;
      case 'loading':
        return html`<div class="status" part="status" role="status">Loading ${what}…</div>`;
      case 'stale': {
        const why = hub.state === 'connected' ? error?.message : hub.state === 'reconnecting' ? 'reconnecting' : (hub.error?.message ?? 'not connected');
        return html`<div class="status" part="status" data-kind="stale" role="status">
          <span>Showing the last ${what} (${why}).</span>
          ${hub.state === 'connected' || hub.state === 'error' ? html`<button @click=${retry}>Retry</button>` : nothing}
        </div>`;
      }
      case 'error':
        return html`<div class="status" part="status error" data-kind="error" role="alert">
          <span>${(hub.state === 'error' ? hub.error?.message : error?.message) ?? 'Something went wrong.'}</span>
          <button @click=${retry}>Retry</button>
        </div>`;
    }
  }

  /** Retry after an error: log in again or poll again. Subclasses with their own data override it. */
  retry(): void {
    const hub = this.hubs.hub;
    if (hub.status.state === 'error') hub.retry().catch(() => {});
    else hub.monitor.refresh();
  }
}
