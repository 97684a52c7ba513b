/**
 * A frame scheduler for tests: frames and time move only when the test says so (no real frames,
 * timers or sleeps).
 */
import type { FrameScheduler } from '../../src/controllers/frame-batch-controller.js';

/** Animation frames that run on `frame()`, timers that fire on `advance()`, a clock that moves with them. */
export class FakeScheduler implements FrameScheduler {
  time = 1_000;
  frames = new Map<number, () => void>();
  timers = new Map<number, { at: number; callback: () => void }>();
  #next = 1;

  requestAnimationFrame(callback: () => void): number {
    const id = this.#next++;
    this.frames.set(id, callback);
    return id;
  }

  cancelAnimationFrame(handle: unknown): void {
    this.frames.delete(handle as number);
  }

  setTimeout(callback: () => void, ms: number): number {
    const id = this.#next++;
    this.timers.set(id, { at: this.time + ms, callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  now(): number {
    return this.time;
  }

  /** Runs the frame callbacks requested so far, as one animation frame does. */
  frame(): void {
    const callbacks = [...this.frames.values()];
    this.frames.clear();
    for (const cb of callbacks) cb();
  }

  /** Moves the clock `ms` on, firing the timers that fall due on the way, in order. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const due = [...this.timers].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at || a[0] - b[0])[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.time = Math.max(this.time, due[1].at);
      due[1].callback();
    }
    this.time = end;
  }

  get idle(): boolean {
    return this.frames.size === 0 && this.timers.size === 0;
  }
}
