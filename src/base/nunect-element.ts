import { LitElement } from 'lit';
import { baseStyles } from '../styles/tokens.js';

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

  /** Dispatches a `nunect-*` CustomEvent from the element. */
  emit<T>(name: `nunect-${string}`, detail?: T): boolean {
    return this.dispatchEvent(new CustomEvent<T>(name, { detail, bubbles: true, composed: true, cancelable: true }));
  }
}
