import type { FrameScheduler } from './frame-batch-controller.js';

type Scheduler = Pick<FrameScheduler, 'requestAnimationFrame' | 'setTimeout'>;

const platform: Scheduler = {
  requestAnimationFrame: (callback) => (typeof requestAnimationFrame === 'function' ? requestAnimationFrame(callback) : undefined),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
};

/** How long a waiting render waits for an animation frame before a timer runs it (frames stall in a hidden tab). */
const FALLBACK_MS = 100;

/**
 * Spreads the widgets' first renders with data over frames, so the page paints what came first
 * instead of rendering every widget in one long task. After login every kind's first reply comes
 * within a few milliseconds; rendered together, the servers table waited 100–180 ms of other
 * widgets' first renders before the browser could paint it.
 *
 * The first widget to ask renders at once (a lone widget is never delayed); any other that asks
 * before the next paint waits, and they render one per frame, after the paint, in document order
 * (the top of the page first). A widget asks once: its later renders are never delayed. One queue
 * per connection hub, shared by the widgets of a page.
 */
export class FirstRenderQueue {
  #waiting: Array<{ host: object; render: () => void }> = [];
  #asked = new WeakSet<object>();
  #draining = false;
  #scheduler: Scheduler;

  constructor(scheduler: Partial<Scheduler> = {}) {
    // Bound one by one: the scheduler may be a class instance (its methods are not own properties).
    this.#scheduler = {
      requestAnimationFrame: scheduler.requestAnimationFrame ? (cb) => scheduler.requestAnimationFrame!(cb) : platform.requestAnimationFrame,
      setTimeout: scheduler.setTimeout ? (cb, ms) => scheduler.setTimeout!(cb, ms) : platform.setTimeout,
    };
  }

  /** Whether `host` asked already (its renders are not delayed any more). */
  asked(host: object): boolean {
    return this.#asked.has(host);
  }

  /**
   * `render` (which requests the host's update) now if nothing rendered first since the last
   * paint, else after a later one. While `host` waits, further requests are dropped: its render,
   * when its turn comes, shows its latest data.
   */
  request(host: object, render: () => void): void {
    if (this.#asked.has(host)) {
      if (!this.#waiting.some((w) => w.host === host)) render();
      return;
    }
    this.#asked.add(host);
    if (!this.#draining) {
      this.#draining = true;
      render();
      this.#afterPaint();
      return;
    }
    this.#waiting.push({ host, render });
  }

  /** Runs the next waiting render once the browser painted: an animation frame, then a task. */
  #afterPaint(): void {
    let done = false;
    const next = () => {
      if (done) return;
      done = true;
      const item = this.#next();
      if (!item) {
        this.#draining = false;
        return;
      }
      try {
        item.render();
      } finally {
        this.#afterPaint();
      }
    };
    this.#scheduler.requestAnimationFrame(() => this.#scheduler.setTimeout(next, 0));
    this.#scheduler.setTimeout(next, FALLBACK_MS);
  }

  /** The waiting render of the element first in the document (in order of asking when not comparable). */
  #next() {
    let best = 0;
    for (let i = 1; i < this.#waiting.length; i++) {
      if (precedes(this.#waiting[i]!.host, this.#waiting[best]!.host)) best = i;
    }
    return this.#waiting.splice(best, 1)[0];
  }
}

/** Whether `a` comes before `b` in their document (false when either is not a node of the same tree). */
function precedes(a: object, b: object): boolean {
  if (typeof Node === 'undefined' || !(a instanceof Node) || !(b instanceof Node)) return false;
  const position = b.compareDocumentPosition(a);
  return !(position & Node.DOCUMENT_POSITION_DISCONNECTED) && !!(position & Node.DOCUMENT_POSITION_PRECEDING);
}
