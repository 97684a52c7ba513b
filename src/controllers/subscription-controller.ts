import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Msg, NunectClient, NunectError, Subscription } from '../../client/index.js';
import type { HubController } from './hub-controller.js';

/**
 * Keeps subscriptions open on the widget's current client: made when a client is there, made
 * again on a new login, released when the widget leaves the DOM. (nats-core itself restores them
 * after a reconnect of the same client, so they are never duplicated.)
 */
export class SubscriptionController implements ReactiveController {
  /** The last subscription error (e.g. permission denied), cleared on a new client. */
  error?: NunectError;
  #host: ReactiveControllerHost;
  #hubs: HubController;
  #subjects: () => readonly string[];
  #onMessage: (msg: Msg) => void;
  #client?: NunectClient;
  #subs: Subscription[] = [];
  #connected = false;
  #stopHub?: () => void;
  #confirmed = false;

  constructor(host: ReactiveControllerHost, hubs: HubController, subjects: () => readonly string[], onMessage: (msg: Msg) => void) {
    this.#host = host;
    this.#hubs = hubs;
    this.#subjects = subjects;
    this.#onMessage = onMessage;
    hubs.onChange(() => this.#watchHub());
    host.addController(this);
  }

  /** Number of open subscriptions (for tests). */
  get count(): number {
    return this.#subs.length;
  }

  /**
   * Whether the server has the current subscriptions: a flush round trip after subscribing came
   * back (the server handles a connection's SUBs before its PING), so from now on nothing
   * published to them is missed. False again on a new client or new subjects.
   */
  get confirmed(): boolean {
    return this.#confirmed && this.#subs.length > 0;
  }

  hostConnected(): void {
    this.#connected = true;
    this.#watchHub();
  }

  hostDisconnected(): void {
    this.#connected = false;
    this.#stopHub?.();
    this.#stopHub = undefined;
    this.#release();
  }

  /** Subscribes again (after the subjects changed). */
  resubscribe(): void {
    this.#release();
    this.#sync();
  }

  #watchHub(): void {
    this.#stopHub?.();
    this.#stopHub = undefined;
    if (!this.#connected) return;
    this.#stopHub = this.#hubs.hub.subscribe(() => this.#sync());
  }

  #sync(): void {
    const client = this.#hubs.hub.client;
    if (client === this.#client && this.#subs.length) return;
    this.#release();
    if (!client || client.isClosed) return;
    this.#client = client;
    this.error = undefined;
    for (const subject of this.#subjects()) {
      try {
        this.#subs.push(
          client.subscribe(subject, {
            onMessage: this.#onMessage,
            onError: (e) => {
              this.error = e;
              this.#host.requestUpdate();
            },
          }),
        );
      } catch (e) {
        this.error = e as NunectError;
      }
    }
    const subs = this.#subs;
    client.flush().then(
      () => {
        if (this.#subs !== subs) return; // released or replaced meanwhile
        this.#confirmed = true;
        this.#host.requestUpdate();
      },
      () => {
        /* the connection went away: a new client subscribes again */
      },
    );
    this.#host.requestUpdate();
  }

  #release(): void {
    for (const s of this.#subs) {
      try {
        s.unsubscribe();
      } catch {
        /* the connection is gone already */
      }
    }
    this.#subs = [];
    this.#client = undefined;
    this.#confirmed = false;
  }
}
