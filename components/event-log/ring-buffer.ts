/**
 * A fixed-capacity ring buffer: `push` overwrites the oldest item when full and returns it, so the
 * caller can count what was evicted. Index 0 is the oldest item.
 */
export class RingBuffer<T> {
  #items: Array<T | undefined>;
  #start = 0;
  #size = 0;

  constructor(capacity: number) {
    this.#items = new Array<T | undefined>(RingBuffer.sane(capacity));
  }

  /** A usable capacity: a positive integer (1 when given nonsense). */
  static sane(capacity: number): number {
    return Number.isFinite(capacity) && capacity >= 1 ? Math.floor(capacity) : 1;
  }

  get capacity(): number {
    return this.#items.length;
  }

  get size(): number {
    return this.#size;
  }

  /** Adds an item; returns the evicted oldest item when the buffer was full. */
  push(item: T): T | undefined {
    const cap = this.#items.length;
    if (this.#size < cap) {
      this.#items[(this.#start + this.#size) % cap] = item;
      this.#size++;
      return undefined;
    }
    const evicted = this.#items[this.#start];
    this.#items[this.#start] = item;
    this.#start = (this.#start + 1) % cap;
    return evicted;
  }

  /** The item at `i` (0 = oldest), or undefined. */
  at(i: number): T | undefined {
    if (i < 0 || i >= this.#size) return undefined;
    return this.#items[(this.#start + i) % this.#items.length];
  }

  /** Changes the capacity, keeping the newest items; returns how many were dropped. */
  resize(capacity: number): number {
    const cap = RingBuffer.sane(capacity);
    if (cap === this.#items.length) return 0;
    const keep = Math.min(cap, this.#size);
    const dropped = this.#size - keep;
    const next = new Array<T | undefined>(cap);
    for (let i = 0; i < keep; i++) next[i] = this.at(dropped + i);
    this.#items = next;
    this.#start = 0;
    this.#size = keep;
    return dropped;
  }

  /** The items, oldest first. */
  toArray(): T[] {
    const out = new Array<T>(this.#size);
    for (let i = 0; i < this.#size; i++) out[i] = this.at(i)!;
    return out;
  }

  clear(): void {
    this.#items.fill(undefined);
    this.#start = 0;
    this.#size = 0;
  }
}
