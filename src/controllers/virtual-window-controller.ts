import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** The rows to render of a list of equally tall rows, and where they go (px). */
export interface VirtualWindow {
  /** The first row to render (0-based). */
  from: number;
  /** One past the last row to render (`from === to`: none). */
  to: number;
  /** The height of all rows: the body's height, so that the scroll bar is true. */
  height: number;
  /** The space above row `from`: translate the rendered rows by this much (or a spacer this tall). */
  offset: number;
  /** The space below row `to - 1` (for a bottom spacer, e.g. in a `<tbody>`). */
  after: number;
}

/** What the window is computed from (px, rows). */
export interface VirtualWindowInput {
  scrollTop: number;
  viewportHeight: number;
  rowHeight: number;
  overscan: number;
}

/**
 * The rows in view of `count` rows, with `overscan` more on each side, clamped to `[0, count]`.
 * It ignores a sticky header above the rows (the overscan covers it).
 */
export function virtualWindow({ scrollTop, viewportHeight, rowHeight, overscan }: VirtualWindowInput, count: number): VirtualWindow {
  const n = Math.max(0, Math.floor(count) || 0);
  const px = rowHeight > 0 ? rowHeight : 1;
  const extra = Math.max(0, Math.floor(overscan) || 0);
  const first = Math.max(0, Math.floor(scrollTop / px) || 0);
  const fit = Math.max(0, Math.ceil(viewportHeight / px) || 0);
  const from = Math.min(Math.max(0, first - extra), n);
  const to = Math.min(first + fit + extra, n);
  return { from, to, height: n * px, offset: from * px, after: (n - to) * px };
}

/** The part of ResizeObserver the controller uses (injectable for tests). */
export interface ResizeObserverLike {
  observe(target: Element): void;
  disconnect(): void;
}

export interface VirtualWindowOptions {
  /** Rows rendered above and below the ones in view (default 8). */
  overscan?: number;
  /** The row height assumed until a sample row is measured, px (default 28). */
  rowHeight?: number;
  /** The viewport height assumed until the scroll element is measured, px (default 420). */
  viewportHeight?: number;
  /** The ResizeObserver to measure with (default: the platform's; none: sizes stay as assumed). */
  ResizeObserver?: new (callback: ResizeObserverCallback) => ResizeObserverLike;
}

/**
 * Virtual scrolling for a list of equally tall rows: only the rows in view (and `overscan` around
 * them) are in the DOM, inside a body as tall as all rows. It follows the scroll element's scroll
 * position and height and a sample row's height (ResizeObserver), and asks the host to update
 * only when the window it would return changes (against the `count` of the last `window()` call).
 *
 * Attach the scroll element and a sample row (e.g. a sticky header row as tall as the rows) with
 * the ref callbacks; call `window(count)` in `render()`; place the rows with `styleProps()` (never
 * a `style` attribute: the manager page's CSP forbids inline styles).
 *
 * ```ts
 * readonly #virtual = new VirtualWindowController(this, { overscan: 8 });
 * render() {
 *   const w = this.#virtual.window(this.items.length);
 *   return html`<div class="scroll" ${ref(this.#virtual.scroller)}>
 *     <div class="head" ${ref(this.#virtual.sampleRow)}>…</div>
 *     <div role="rowgroup" ${styleProps({ height: `${w.height}px` })}>
 *       <div ${styleProps({ transform: `translateY(${w.offset}px)` })}>
 *         ${repeat(this.items.slice(w.from, w.to), (item) => item.id, (item, i) => row(item, w.from + i))}
 *       </div>
 *     </div>
 *   </div>`;
 * }
 * ```
 * In a `<table>`, spacer rows of `offset` and `after` px around the rendered `<tr>`s do the same.
 */
export class VirtualWindowController implements ReactiveController {
  readonly overscan: number;
  #host: ReactiveControllerHost;
  #scrollTop = 0;
  #viewPx: number;
  #rowPx: number;
  #RO?: new (callback: ResizeObserverCallback) => ResizeObserverLike;
  #scroller?: HTMLElement;
  #sample?: Element;
  /** The element the scroll listener is on, and the observer watching both elements. */
  #listening?: HTMLElement;
  #observer?: ResizeObserverLike;
  #connected = false;
  #count = 0;
  #last: VirtualWindow;

  constructor(host: ReactiveControllerHost, options: VirtualWindowOptions = {}) {
    this.#host = host;
    this.overscan = options.overscan ?? 8;
    this.#rowPx = options.rowHeight ?? 28;
    this.#viewPx = options.viewportHeight ?? 420;
    this.#RO = options.ResizeObserver ?? (typeof ResizeObserver === 'function' ? ResizeObserver : undefined);
    this.#last = this.#compute(0);
    host.addController(this);
  }

  /** The scroll position last seen, px. */
  get scrollTop(): number {
    return this.#scrollTop;
  }

  /** The viewport height (the scroll element's `clientHeight`) last measured or assumed, px. */
  get viewportHeight(): number {
    return this.#viewPx;
  }

  /** The row height (the sample row's border box) last measured or assumed, px. */
  get rowHeight(): number {
    return this.#rowPx;
  }

  /** The rows to render of `count` (call it in `render()`; the last call's count is what later changes are checked against). */
  window(count: number): VirtualWindow {
    this.#count = count;
    this.#last = this.#compute(count);
    return this.#last;
  }

  /** Ref callback for the scroll element (`${ref(controller.scroller)}`); undefined detaches it. */
  readonly scroller = (el?: Element): void => {
    if (el === this.#scroller) return;
    this.#unbind();
    this.#scroller = el as HTMLElement | undefined;
    if (el) this.#readScroll();
    this.#bind();
  };

  /**
   * Measures a rendered row (e.g. in `updated()`, the first row of a table window, whose element
   * changes as the window moves) when no `sampleRow` is attached: its height is every row's.
   */
  measureRow(el: Element | null | undefined): void {
    if (!el || this.#sample) return;
    const row = el.getBoundingClientRect().height;
    if (row > 0 && Math.abs(row - this.#rowPx) > 0.01) {
      this.#rowPx = row;
      // Not from inside the host's update (Lit would warn of an update scheduled by an update).
      queueMicrotask(() => this.#check());
    }
  }

  /** Ref callback for a row whose height all rows share (`${ref(controller.sampleRow)}`). */
  readonly sampleRow = (el?: Element): void => {
    if (el === this.#sample) return;
    this.#unbind();
    this.#sample = el;
    this.#bind();
  };

  hostConnected(): void {
    this.#connected = true;
    // A scroll element put back into the document starts at the top.
    if (this.#scroller) this.#readScroll();
    this.#bind();
  }

  hostDisconnected(): void {
    this.#connected = false;
    this.#unbind();
  }

  #compute(count: number): VirtualWindow {
    return virtualWindow({ scrollTop: this.#scrollTop, viewportHeight: this.#viewPx, rowHeight: this.#rowPx, overscan: this.overscan }, count);
  }

  /** Asks for an update when the window for the last count is not the one last returned. */
  #check(): void {
    const next = this.#compute(this.#count);
    const last = this.#last;
    if (next.from !== last.from || next.to !== last.to || next.height !== last.height || next.offset !== last.offset) this.#host.requestUpdate();
  }

  #readScroll(): void {
    const top = this.#scroller!.scrollTop;
    if (top === this.#scrollTop) return;
    this.#scrollTop = top;
    this.#check();
  }

  #onScroll = (): void => {
    if (this.#scroller) this.#readScroll();
  };

  #onResize = (entries: ResizeObserverEntry[]): void => {
    let changed = false;
    for (const entry of entries) {
      if (entry.target === this.#scroller) {
        const view = this.#scroller.clientHeight;
        if (view > 0 && view !== this.#viewPx) {
          this.#viewPx = view;
          changed = true;
        }
      }
      if (entry.target === this.#sample) {
        // The border box is exact (offsetHeight rounds, which adds up over thousands of rows).
        const box = entry.borderBoxSize?.[0]?.blockSize;
        const row = box && box > 0 ? box : (entry.target as HTMLElement).offsetHeight;
        if (row > 0 && row !== this.#rowPx) {
          this.#rowPx = row;
          changed = true;
        }
      }
    }
    if (changed) this.#check();
  };

  #bind(): void {
    if (!this.#connected) return;
    const scroller = this.#scroller;
    if (scroller && this.#listening !== scroller) {
      scroller.addEventListener('scroll', this.#onScroll, { passive: true });
      this.#listening = scroller;
    }
    if (!this.#observer && this.#RO && (scroller || this.#sample)) {
      this.#observer = new this.#RO(this.#onResize);
      if (scroller) this.#observer.observe(scroller);
      if (this.#sample) this.#observer.observe(this.#sample);
    }
  }

  #unbind(): void {
    this.#listening?.removeEventListener('scroll', this.#onScroll);
    this.#listening = undefined;
    this.#observer?.disconnect();
    this.#observer = undefined;
  }
}
