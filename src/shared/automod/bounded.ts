/**
 * Containers with a fixed ceiling, so that what the detectors remember never grows with the number
 * of rooms, users or messages they have seen.
 */

/**
 * A map that keeps at most `capacity` entries and forgets the least recently used one first. A
 * JavaScript `Map` iterates in insertion order, so moving a key to the end on every use makes its
 * first key the least recently used.
 */
export class LruMap<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.entries.size;
  }

  /** The value of `key`, marked as just used, or `undefined`. */
  get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  /** The value of `key`, made by `create` (forgetting the oldest entry if full) when missing. */
  getOrCreate(key: K, create: () => V): V {
    const known = this.get(key);
    if (known !== undefined) return known;
    const value = create();
    if (this.entries.size >= this.capacity) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
    this.entries.set(key, value);
    return value;
  }

  values(): IterableIterator<V> {
    return this.entries.values();
  }
}

/**
 * The times of the last `capacity` events, oldest first when read back: enough to answer "were the
 * last N events within T".
 */
export class TimeRing {
  private readonly times: Float64Array;
  private next = 0;
  private count = 0;

  constructor(capacity: number) {
    this.times = new Float64Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  push(at: number): void {
    this.times[this.next] = at;
    this.next = (this.next + 1) % this.times.length;
    if (this.count < this.times.length) this.count += 1;
  }

  /** The oldest time kept, once the ring is full; `undefined` before. */
  oldestWhenFull(): number | undefined {
    return this.count === this.times.length ? this.times[this.next] : undefined;
  }
}
