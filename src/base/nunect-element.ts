import { LitElement } from 'lit';
import { baseStyles } from '../styles/tokens.js';
import type { NunectEventDetail, NunectEventMap } from './events.js';

/**
 * The base of every nunect element: shared styles, a guarded `define()` and a typed `emit()`.
 * Events are named `nunect-*`, bubble and are composed; they are for low-frequency changes only.
 */
export class NunectElement extends LitElement {
  static override styles = [baseStyles];

  /** Registers the element under `tag` unless that tag is taken (two bundles on one page). */
  static define(tag: string): void {
    if (!customElements.get(tag)) customElements.define(tag, this);
  }

  /**
   * Dispatches one of the nunect events (see {@link NunectEventMap}): bubbling and composed, so a
   * page hears it outside the shadow root; not cancelable (nothing would change).
   */
  emit<K extends keyof NunectEventMap>(name: K, detail: NunectEventDetail<K>): void {
    this.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
  }
}
