import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { PollSnapshot, WatchOptions } from '../monitor/poller.js';
import type { HubController } from './hub-controller.js';

/**
 * Polls one kind of monitoring data through the hub's shared poller while the widget is connected
 * to the DOM. `options()` is read before each render; a change (e.g. another sort key) re-watches.
 * Returning `undefined` pauses polling.
 */
export class PollController<T> implements ReactiveController {
  snapshot: PollSnapshot<T> = { loading: false };
  #host: ReactiveControllerHost;
  #hubs: HubController;
  #options: () => WatchOptions | undefined;
  #key = '';
  #stop?: () => void;
  #connected = false;
  #onData?: (snapshot: PollSnapshot<T>) => void;

  constructor(host: ReactiveControllerHost, hubs: HubController, options: () => WatchOptions | undefined, onData?: (snapshot: PollSnapshot<T>) => void) {
    this.#host = host;
    this.#hubs = hubs;
    this.#options = options;
    this.#onData = onData;
    hubs.onChange(() => this.#restart(true));
    host.addController(this);
  }

  hostConnected(): void {
    this.#connected = true;
    this.#restart(true);
  }

  hostDisconnected(): void {
    this.#connected = false;
    this.#stop?.();
    this.#stop = undefined;
    this.#key = '';
  }

  hostUpdate(): void {
    const before = this.snapshot;
    this.#restart(false);
    // Joining a poll that runs already (another controller's, same options) brings its snapshot at
    // once, during this update and after willUpdate: render again with it.
    if (this.snapshot !== before) void Promise.resolve().then(() => this.#host.requestUpdate());
  }

  #restart(force: boolean): void {
    if (!this.#connected) return;
    const options = this.#options();
    const key = options ? JSON.stringify([options.kind, options.serverId, options.params, options.interval]) : '';
    if (!force && key === this.#key) return;
    this.#key = key;
    this.#stop?.();
    this.#stop = undefined;
    if (!options) return;
    const hub = this.#hubs.hub;
    this.#stop = hub.monitor.watch<T>(options, (snapshot) => {
      this.snapshot = snapshot;
      this.#onData?.(snapshot);
      // The first data of a page's widgets render one per frame (the first at once), so the
      // page paints what came first; a widget's later data renders at once.
      if (snapshot.replies || hub.firstRenders.asked(this.#host)) hub.firstRenders.request(this.#host, () => this.#host.requestUpdate());
      else this.#host.requestUpdate();
    });
  }
}
