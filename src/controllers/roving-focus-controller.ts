import type { ReactiveController, ReactiveControllerHost } from 'lit';

export interface RovingFocusOptions {
  /** The items that take the focus, a selector within the host's render root (e.g. `tr.conn`). */
  items: string;
  /** An item's stable key, to keep the tab stop on it across renders (default `data-key`). */
  key?: (item: HTMLElement) => string | undefined;
  /** Enter, Space or a click on an item (e.g. open or close its detail row). */
  activate?: (item: HTMLElement) => void;
  /**
   * ArrowRight on a collapsed item (`aria-expanded="false"`) or ArrowLeft on an expanded one:
   * open (`true`) or close (`false`) it. Without it the arrows do nothing.
   */
  expand?: (item: HTMLElement, open: boolean) => void;
  /** Clicks activate too (default true). */
  clicks?: boolean;
}

/** Elements inside an item whose clicks are theirs, not the item's. */
const CONTROLS = 'a[href], button, input, select, textarea, summary, [contenteditable=""], [contenteditable="true"]';

type Host = ReactiveControllerHost & HTMLElement & { renderRoot: HTMLElement | DocumentFragment };

/**
 * Keyboard navigation of a list of rows (a treegrid's rows, a listbox's options) with one tab stop:
 * exactly one item has `tabindex="0"` (the one last focused, else the first), the others `-1`;
 * ArrowDown/ArrowUp move to the next/previous item, Home/End to the first/last, Enter and Space
 * (and a click) activate an item, ArrowRight/ArrowLeft expand/collapse it. Keys pressed in, and
 * clicks on, a control inside an item are left to that control.
 *
 * The controller listens on the host's render root (no template bindings) and sets the items'
 * tabindex after every update, so the host renders items without a tabindex of its own.
 */
export class RovingFocusController implements ReactiveController {
  readonly #host: Host;
  readonly #options: RovingFocusOptions;
  /** The key of the item that takes Tab. */
  focusKey?: string;

  constructor(host: Host, options: RovingFocusOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  hostConnected(): void {
    const root = this.#host.renderRoot;
    root.addEventListener('keydown', this.#onKeydown as EventListener);
    root.addEventListener('focusin', this.#onFocusin);
    if (this.#options.clicks !== false) root.addEventListener('click', this.#onClick);
  }

  hostDisconnected(): void {
    const root = this.#host.renderRoot;
    root.removeEventListener('keydown', this.#onKeydown as EventListener);
    root.removeEventListener('focusin', this.#onFocusin);
    root.removeEventListener('click', this.#onClick);
  }

  hostUpdated(): void {
    this.#settle();
  }

  /** The items, in document order. */
  items(): HTMLElement[] {
    return [...this.#host.renderRoot.querySelectorAll<HTMLElement>(this.#options.items)];
  }

  #keyOf(item: HTMLElement): string | undefined {
    return this.#options.key ? this.#options.key(item) : item.dataset.key;
  }

  /** One tab stop: the remembered item if it is still there, else the first. */
  #settle(items = this.items()): void {
    const current = items.find((i) => this.#keyOf(i) === this.focusKey) ?? items[0];
    for (const item of items) {
      const want = item === current ? '0' : '-1';
      if (item.getAttribute('tabindex') !== want) item.setAttribute('tabindex', want);
    }
  }

  #itemOf(e: Event): HTMLElement | undefined {
    const target = e.target as Element | null;
    const item = target?.closest?.(this.#options.items);
    return item instanceof HTMLElement && this.#host.renderRoot.contains(item) ? item : undefined;
  }

  /** Moves the focus (and the tab stop) to `item`. */
  focus(item: HTMLElement): void {
    this.focusKey = this.#keyOf(item);
    this.#settle();
    item.focus();
  }

  #onFocusin = (e: Event): void => {
    const item = this.#itemOf(e);
    if (!item) return;
    const key = this.#keyOf(item);
    if (key !== undefined && key !== this.focusKey) {
      this.focusKey = key;
      this.#settle();
    }
  };

  #onClick = (e: Event): void => {
    const item = this.#itemOf(e);
    if (!item || !this.#options.activate) return;
    // A control inside the item does its own thing.
    const control = (e.target as Element).closest(CONTROLS);
    if (control && control !== item && item.contains(control)) return;
    this.focusKey = this.#keyOf(item);
    this.#options.activate(item);
  };

  #onKeydown = (e: KeyboardEvent): void => {
    const item = this.#itemOf(e);
    // Only keys pressed on the item itself (not in a control inside it).
    if (!item || e.target !== item || e.altKey || e.ctrlKey || e.metaKey) return;
    const { activate, expand } = this.#options;
    const expanded = item.getAttribute('aria-expanded');
    let next: HTMLElement | undefined;
    switch (e.key) {
      case 'Enter':
      case ' ':
        if (!activate) return;
        e.preventDefault();
        this.focusKey = this.#keyOf(item);
        activate(item);
        return;
      case 'ArrowRight':
      case 'ArrowLeft':
        if (!expand) return;
        e.preventDefault();
        if (e.key === 'ArrowRight' && expanded === 'false') expand(item, true);
        if (e.key === 'ArrowLeft' && expanded === 'true') expand(item, false);
        return;
      case 'ArrowDown':
      case 'ArrowUp':
      case 'Home':
      case 'End': {
        const items = this.items();
        const i = items.indexOf(item);
        next = e.key === 'ArrowDown' ? items[i + 1] : e.key === 'ArrowUp' ? items[i - 1] : e.key === 'Home' ? items[0] : items[items.length - 1];
        break;
      }
      default:
        return;
    }
    e.preventDefault();
    if (next) this.focus(next);
  };
}
