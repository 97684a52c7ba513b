/**
 * Rates per second from monotonically growing counters, over the server's own clock (`now` of each
 * reply), so network and polling jitter do not distort them. A counter that went down (server
 * restart, connection replaced) restarts the rate rather than showing a negative one.
 */
export class RateTracker<K extends string = string> {
  #last?: { at: number; values: Partial<Record<K, number>> };

  /** Feeds counters measured at `now` (ISO string or ms); returns per-second rates, or undefined at first. */
  update(now: string | number, values: Partial<Record<K, number>>): Partial<Record<K, number>> | undefined {
    const at = typeof now === 'number' ? now : Date.parse(now);
    if (!Number.isFinite(at)) return undefined;
    const last = this.#last;
    this.#last = { at, values };
    if (!last) return undefined;
    const seconds = (at - last.at) / 1000;
    if (seconds <= 0) return undefined;
    const rates: Partial<Record<K, number>> = {};
    for (const key of Object.keys(values) as K[]) {
      const a = last.values[key];
      const b = values[key];
      if (a === undefined || b === undefined || b < a) continue;
      rates[key] = (b - a) / seconds;
    }
    return rates;
  }

  reset(): void {
    this.#last = undefined;
  }
}

/** A fixed-size history of samples (for sparklines). */
export class History {
  readonly capacity: number;
  #values: number[] = [];

  constructor(capacity = 60) {
    this.capacity = capacity;
  }

  push(v: number): void {
    this.#values.push(v);
    if (this.#values.length > this.capacity) this.#values.shift();
  }

  get values(): readonly number[] {
    return this.#values;
  }
}
