import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * The frames, timers and clock a {@link FrameBatchController} schedules with: the platform's by
 * default; tests pass fakes to drive frames and time deterministically. Handles are opaque.
 */
export interface FrameScheduler {
  requestAnimationFrame(callback: () => void): unknown;
  cancelAnimationFrame(handle: unknown): void;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /** A monotonic time in milliseconds (`performance.now()`). */
  now(): number;
}

export interface FrameBatchOptions {
  /** The least time between two flushes, in ms (default 100). A function is read each time a flush is planned. */
  minInterval?: number | (() => number);
  /** How long a batch waits for an animation frame before a timer flushes it (frames stall in a hidden tab), in ms (default 250). */
  fallback?: number;
  /**
   * The most items that may wait: the push that makes this many flushes at once, whatever the
   * frames and timers do (default: no limit). A function is read on every push, so it can follow
   * a capacity that changes.
   */
  maxPending?: number | (() => number);
  /** Replaces some or all of the platform's frames, timers and clock. */
  scheduler?: Partial<FrameScheduler>;
}

const platform: FrameScheduler = {
  // Without animation frames (no DOM), the fallback timer flushes.
  requestAnimationFrame: (callback) => (typeof requestAnimationFrame === 'function' ? requestAnimationFrame(callback) : undefined),
  cancelAnimationFrame: (handle) => cancelAnimationFrame(handle as number),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  now: () => performance.now(),
};

/** The given scheduler's methods (bound to it: it may be a class instance), the platform's for the others. */
function withPlatform(g: Partial<FrameScheduler> = {}): FrameScheduler {
  return {
    requestAnimationFrame: g.requestAnimationFrame ? (cb) => g.requestAnimationFrame!(cb) : platform.requestAnimationFrame,
    cancelAnimationFrame: g.cancelAnimationFrame ? (h) => g.cancelAnimationFrame!(h) : platform.cancelAnimationFrame,
    setTimeout: g.setTimeout ? (cb, ms) => g.setTimeout!(cb, ms) : platform.setTimeout,
    clearTimeout: g.clearTimeout ? (h) => g.clearTimeout!(h) : platform.clearTimeout,
    now: g.now ? () => g.now!() : platform.now,
  };
}

/** An option that is a number or a function read each time: always a function. */
function getter(v: number | (() => number)): () => number {
  return typeof v === 'function' ? v : () => v;
}

/**
 * Collects items pushed at any rate (NATS messages, log records) and hands them to `onFlush` as
 * one batch, on an animation frame, at most once per frame and no sooner than `minInterval` ms
 * after the previous flush; a timer stands in when frames stall (a hidden tab). The host renders
 * once per batch instead of once per item.
 *
 * Bounded work: the batch holds everything pushed since the last flush, so with `maxPending` set
 * it never holds more than `maxPending` items (that many flush at once, even while frames and
 * timers are stalled). `onFlush` decides what a batch costs: a widget that keeps the newest N
 * items processes only the last N of the batch and counts the others (it owns the array).
 *
 * While the host is disconnected nothing is scheduled (its frame and timer are cancelled) and
 * items keep waiting (still at most `maxPending`); they are flushed after the host reconnects.
 *
 * ```ts
 * readonly #batches = new FrameBatchController<Msg>(this, (batch) => this.#take(batch), {
 *   maxPending: () => 2 * this.#ring.capacity,
 * });
 * // in the subscription callback, at any rate:
 * this.#batches.push(msg);
 * ```
 */
export class FrameBatchController<T> implements ReactiveController {
  readonly fallback: number;
  #minInterval: () => number;
  #onFlush: (batch: T[]) => void;
  #maxPending: () => number;
  #scheduler: FrameScheduler;
  #pending: T[] = [];
  #frame: unknown;
  #timer: unknown;
  #scheduled = false;
  #lastFlush = -Infinity;
  #connected = false;

  /** The least time between two flushes now, in ms. */
  get minInterval(): number {
    return this.#minInterval();
  }

  constructor(host: ReactiveControllerHost, onFlush: (batch: T[]) => void, options: FrameBatchOptions = {}) {
    this.#onFlush = onFlush;
    this.#minInterval = getter(options.minInterval ?? 100);
    this.fallback = options.fallback ?? 250;
    this.#maxPending = getter(options.maxPending ?? Infinity);
    this.#scheduler = withPlatform(options.scheduler);
    host.addController(this);
  }

  /** How many items wait for the next flush. */
  get pending(): number {
    return this.#pending.length;
  }

  /** Adds an item to the next batch (flushing at once when `maxPending` items wait). */
  push(item: T): void {
    this.#pending.push(item);
    if (this.#pending.length >= this.#maxPending()) this.flush();
    else if (!this.#scheduled && this.#connected) this.#schedule();
  }

  /** Hands the waiting items to `onFlush` now (nothing when none wait) and cancels the scheduled flush. */
  flush(): void {
    this.#cancel();
    this.#lastFlush = this.#scheduler.now();
    const batch = this.#pending;
    if (!batch.length) return;
    this.#pending = [];
    this.#onFlush(batch);
  }

  /** Drops the waiting items unflushed. */
  clear(): void {
    this.#pending = [];
    this.#cancel();
  }

  hostConnected(): void {
    this.#connected = true;
    if (this.#pending.length && !this.#scheduled) this.#schedule();
  }

  hostDisconnected(): void {
    this.#connected = false;
    this.#cancel();
  }

  /** Asks for a frame once `minInterval` has passed since the last flush, with the fallback timer beside it. */
  #schedule(): void {
    this.#cancel();
    this.#scheduled = true;
    const s = this.#scheduler;
    const onFrame = () => {
      this.#frame = s.requestAnimationFrame(this.#flushNow);
      this.#timer = s.setTimeout(this.#flushNow, this.fallback);
    };
    const wait = this.#lastFlush + this.minInterval - s.now();
    if (!(wait > 0)) onFrame();
    else
      this.#timer = s.setTimeout(() => {
        this.#timer = undefined;
        onFrame();
      }, wait);
  }

  #flushNow = (): void => this.flush();

  #cancel(): void {
    const s = this.#scheduler;
    if (this.#frame !== undefined) s.cancelAnimationFrame(this.#frame);
    if (this.#timer !== undefined) s.clearTimeout(this.#timer);
    this.#frame = undefined;
    this.#timer = undefined;
    this.#scheduled = false;
  }
}
