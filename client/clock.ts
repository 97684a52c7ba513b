/**
 * The time source of everything that shows or records "now" (log records, status times, the
 * widgets' "today" and "ago"). Pass a {@link Clock} where the current time matters so that tests
 * run on any date and in any time zone with a clock of their own.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

/** The machine's clock. */
export const systemClock: Clock = { now: () => Date.now() };

/** A clock that moves only when told to: for tests and stories. */
export class ManualClock implements Clock {
  #now: number;

  constructor(start: number | string | Date) {
    this.#now = typeof start === 'number' ? start : new Date(start).getTime();
    if (!Number.isFinite(this.#now)) throw new RangeError(`ManualClock: not a time: ${String(start)}`);
  }

  now(): number {
    return this.#now;
  }

  /** Moves the clock forward by `ms` (or back, if negative). */
  advance(ms: number): void {
    this.#now += ms;
  }

  set(time: number | string | Date): void {
    this.#now = typeof time === 'number' ? time : new Date(time).getTime();
  }
}
