import { ContextConsumer } from '@lit/context';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { NunectClient } from '../../client/index.js';
import { hubContext, pageHub } from '../connection/context.js';
import { ConnectionHub, type HubStatus } from '../connection/hub.js';

type Host = ReactiveControllerHost & HTMLElement & { client?: NunectClient };

/**
 * Finds the connection a widget uses, in this order: its own `.client`, the nearest
 * `<nunect-provider>` (a later one takes over), else the page-level hub (`configure()`, `<meta>`).
 * Re-renders the host on every status change and tells `onChange` listeners when the hub changes.
 */
export class HubController implements ReactiveController {
  hub: ConnectionHub;
  status: HubStatus;
  #host: Host;
  #fromContext?: ConnectionHub;
  #own?: { client: NunectClient; hub: ConnectionHub };
  #unsubscribe?: () => void;
  #changeListeners = new Set<(hub: ConnectionHub) => void>();

  constructor(host: Host) {
    this.#host = host;
    this.hub = pageHub();
    this.status = this.hub.status;
    // The consumer's hostConnected runs first and resolves the hub from the context; this
    // controller's own hostConnected then finds it subscribed already: one subscription a connect.
    new ContextConsumer(host, {
      context: hubContext,
      subscribe: true,
      callback: (hub) => {
        this.#fromContext = hub;
        this.#resolve();
      },
    });
    host.addController(this);
  }

  /** Called with the new hub whenever the widget switches to another connection. */
  onChange(listener: (hub: ConnectionHub) => void): void {
    this.#changeListeners.add(listener);
  }

  hostConnected(): void {
    this.#resolve();
  }

  hostDisconnected(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
  }

  hostUpdate(): void {
    // A `.client` set (or cleared) on the widget wins over any provider.
    if (this.#host.client !== this.#own?.client) this.#resolve();
  }

  #resolve(): void {
    const client = this.#host.client;
    if (client && this.#own?.client !== client) {
      const hub = new ConnectionHub({ servers: [] });
      hub.useClient(client);
      this.#own = { client, hub };
    } else if (!client) {
      this.#own = undefined;
    }
    const next = this.#own?.hub ?? this.#fromContext ?? pageHub();
    if (next === this.hub && this.#unsubscribe) return;
    const changed = next !== this.hub;
    this.#unsubscribe?.();
    this.hub = next;
    this.#unsubscribe = next.subscribe((status) => {
      this.status = status;
      this.#host.requestUpdate();
    });
    if (changed) for (const l of this.#changeListeners) l(next);
  }
}
