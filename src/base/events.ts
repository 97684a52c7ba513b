/**
 * Every event the nunect elements fire, with its detail: one map, so that
 * `el.addEventListener('nunect-login', (e) => e.detail.method)` is typed in any TypeScript page,
 * and `emit()` accepts only these names and details. None is cancelable: cancelling would change
 * nothing. Add a new event here first (and to CONVENTIONS.md).
 */
import type { AuthMethod } from '../../client/index.js';
import type { WidgetState } from './nunect-widget.js';

/** `nunect-state-change`: the widget state changed. */
export interface StateChangeDetail {
  state: WidgetState;
}

/** `nunect-login` and `nunect-logout`: the method, never the secret. */
export interface LoginEventDetail {
  method: AuthMethod;
}

/** `nunect-event-log-pause`: the user paused or resumed the event log. */
export interface EventLogPauseDetail {
  paused: boolean;
}

/** `nunect-connection-select`: a connection's detail row opened in `<nunect-connz>`. */
export interface ConnectionSelectDetail {
  cid: number;
  /** The server's name (its id when the name is unknown). */
  server: string;
  serverId: string;
}

/** `nunect-tail-pause`: the user paused or resumed `<nunect-tail>` (messages keep arriving). */
export interface TailPauseDetail {
  paused: boolean;
}

/** `nunect-publish-result`: `<nunect-publish>` sent a message, a request or a scatter-gather, and how it went. */
export interface PublishResultDetail {
  mode: 'publish' | 'request' | 'gather';
  subject: string;
  /** `ok` (published, or replied), `no-reply` (timed out, or a gather with no reply), `no-responders`, `refused`, `failed`. */
  outcome: 'ok' | 'no-reply' | 'no-responders' | 'refused' | 'failed';
  /** Replies received (request: 0 or 1). */
  replies: number;
}

export interface NunectEventMap {
  'nunect-state-change': CustomEvent<StateChangeDetail>;
  'nunect-login': CustomEvent<LoginEventDetail>;
  'nunect-logout': CustomEvent<LoginEventDetail>;
  'nunect-event-log-pause': CustomEvent<EventLogPauseDetail>;
  'nunect-connection-select': CustomEvent<ConnectionSelectDetail>;
  'nunect-tail-pause': CustomEvent<TailPauseDetail>;
  'nunect-publish-result': CustomEvent<PublishResultDetail>;
}

/** The detail type of a nunect event. */
export type NunectEventDetail<K extends keyof NunectEventMap> = NunectEventMap[K] extends CustomEvent<infer D> ? D : never;

declare global {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging
  interface HTMLElementEventMap extends NunectEventMap {}
}
