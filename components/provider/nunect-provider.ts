import { ContextProvider } from '@lit/context';
import { css, html, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import type { AuthOptions, Clock, NunectClient } from '../../client/index.js';
import { NunectElement } from '../../src/base/nunect-element.js';
import { hubContext } from '../../src/connection/context.js';
import { ConnectionHub } from '../../src/connection/hub.js';

/**
 * Shares one NATS connection with every nunect widget inside it. Give it the server URL; log in
 * from `<nunect-connection>` or from JavaScript with `login()`, or hand it a connected client with
 * `.client`. Credentials are never attributes. A provider added later takes over the widgets
 * inside it from the page-level connection.
 *
 * @tag nunect-provider
 * @summary Shares one connection with the widgets inside it.
 * @slot - The widgets (and anything else).
 */
export class NunectProvider extends NunectElement {
  static override styles = [
    css`
      :host {
        display: contents;
      }
    `,
  ];

  /** WebSocket URL(s) of the server or cluster, comma-separated (`wss://host:8443`). */
  @property() server = '';

  /** Optional HTTP(S) monitor URL; when set, widgets poll it instead of `$SYS` requests. */
  @property({ attribute: 'monitor-url' }) monitorUrl = '';

  /**
   * Reply inbox prefix. Empty (default): `_INBOX_<user>` for logins that name their user, which is
   * what the nunect stack's restricted users may read; `_INBOX` for the NATS standard.
   */
  @property({ attribute: 'inbox-prefix' }) inboxPrefix = '';

  /** Connection name shown in the server's monitoring. */
  @property({ attribute: 'connection-name' }) connectionName = 'nunect';

  /** A client connected elsewhere, to share instead of logging in. */
  @property({ attribute: false }) client?: NunectClient;

  /** The time source of the widgets inside (default the system clock); for tests and stories. */
  @property({ attribute: false }) clock?: Clock;

  /** The shared connection. */
  readonly hub = new ConnectionHub();

  constructor() {
    super();
    new ContextProvider(this, { context: hubContext, initialValue: this.hub });
  }

  /** Connects with these credentials; see {@link ConnectionHub.login}. */
  login(credentials: AuthOptions = {}): Promise<void> {
    this.#configure();
    return this.hub.login(credentials);
  }

  logout(): Promise<void> {
    return this.hub.logout();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('server') || changed.has('monitorUrl') || changed.has('connectionName') || changed.has('clock') || changed.has('inboxPrefix'))
      this.#configure();
    if (changed.has('client') && this.client) this.hub.useClient(this.client);
  }

  #configure(): void {
    this.hub.configure({
      servers: this.server,
      monitorUrl: this.monitorUrl || undefined,
      name: this.connectionName,
      clock: this.clock,
      inboxPrefix: this.inboxPrefix || undefined,
    });
  }

  override render() {
    return html`<slot></slot>`;
  }
}
