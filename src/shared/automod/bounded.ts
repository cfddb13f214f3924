/**
 * Containers with a fixed ceiling, so that what the detectors remember never grows with the number
 * of rooms, users or messages they have seen.
 */

interface LruNode<K, V> {
  key: K;
  value: V;
  newer: LruNode<K, V> | undefined;
  older: LruNode<K, V> | undefined;
}

/**
 * A map that keeps at most `capacity` entries and forgets the least recently used one first: a
 * `Map` to the nodes of a list ordered by use. (Re-inserting keys into a `Map` to keep its order
 * leaves holes at its start, which finding the oldest key then has to skip: measured at 10 µs a
 * message at 10,000 users.)
 */
export class LruMap<K, V> {
  private readonly nodes = new Map<K, LruNode<K, V>>();
  private newest: LruNode<K, V> | undefined;
  private oldest: LruNode<K, V> | undefined;

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.nodes.size;
  }

  /** The value of `key`, marked as just used, or `undefined`. */
  get(key: K): V | undefined {
    const node = this.nodes.get(key);
    if (node === undefined) return undefined;
    if (node !== this.newest) {
      this.unlink(node);
      this.link(node);
    }
    return node.value;
  }

  /**
   * The value of `key`, or when missing the value `create` makes. When full, the oldest entry is
   * forgotten first and its value handed to `create`, which may reset and reuse it (allocating
   * state for every new user was a sixth of the work at 10,000 users).
   */
  getOrCreate(key: K, create: (forgotten: V | undefined) => V): V {
    const known = this.get(key);
    if (known !== undefined) return known;
    let forgotten: V | undefined;
    if (this.nodes.size >= this.capacity && this.oldest) {
      const oldest = this.oldest;
      this.unlink(oldest);
      this.nodes.delete(oldest.key);
      forgotten = oldest.value;
    }
    const node: LruNode<K, V> = {
      key,
      value: create(forgotten),
      newer: undefined,
      older: undefined,
    };
    this.nodes.set(key, node);
    this.link(node);
    return node.value;
  }

  *values(): IterableIterator<V> {
    for (const node of this.nodes.values()) yield node.value;
  }

  private unlink(node: LruNode<K, V>): void {
    if (node.newer) node.newer.older = node.older;
    else this.newest = node.older;
    if (node.older) node.older.newer = node.newer;
    else this.oldest = node.newer;
    node.newer = undefined;
    node.older = undefined;
  }

  private link(node: LruNode<K, V>): void {
    node.older = this.newest;
    if (this.newest) this.newest.newer = node;
    this.newest = node;
    this.oldest ??= node;
  }
}

/**
 * The times (and ids) of the last `capacity` events, oldest first when read back: enough to answer
 * "were the last N events within T", and to name the events once they are found to be a burst.
 */
export class TimeRing {
  private readonly times: Float64Array;
  private readonly ids: string[];
  /** Whether each entry's event was already named as part of a burst. */
  private readonly named: Uint8Array;
  private next = 0;
  private count = 0;

  constructor(capacity: number) {
    this.times = new Float64Array(capacity);
    this.ids = new Array<string>(capacity).fill('');
    this.named = new Uint8Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  /** Forgets every time. */
  clear(): this {
    this.next = 0;
    this.count = 0;
    return this;
  }

  push(at: number, id = ''): void {
    this.times[this.next] = at;
    this.ids[this.next] = id;
    this.named[this.next] = 0;
    this.next = (this.next + 1) % this.times.length;
    if (this.count < this.times.length) this.count += 1;
  }

  /** The oldest time kept, once the ring is full; `undefined` before. */
  oldestWhenFull(): number | undefined {
    return this.count === this.times.length ? this.times[this.next] : undefined;
  }

  /**
   * Adds to `into`, oldest first, the ids of the events before the newest that were not named yet,
   * and counts every event kept as named (the newest is the one being flagged).
   */
  nameEarlier(into: string[]): void {
    const capacity = this.times.length;
    const newest = (this.next + capacity - 1) % capacity;
    for (let step = this.count; step >= 1; step -= 1) {
      const entry = (this.next + capacity - step) % capacity;
      if (this.named[entry] === 0 && entry !== newest && this.ids[entry] !== '') {
        into.push(this.ids[entry]!);
      }
      this.named[entry] = 1;
    }
  }
}

/**
 * The keys `build(first, second)` of recent pairs, one string each, kept in a map by `first` then
 * by `second`. A key built per message is a new string that each map lookup has to flatten,
 * hash and compare character by character (measured at 130 ns a message); the same string again
 * is found by its cached hash and compared by reference. At most `capacity` keys: when full, it
 * forgets them all and starts over, which changes no key, only how soon it is found.
 */
export class PairKeys {
  private readonly byFirst = new Map<string, Map<string, string>>();
  private count = 0;

  constructor(
    readonly capacity: number,
    private readonly build: (first: string, second: string) => string,
  ) {}

  key(first: string, second: string): string {
    let seconds = this.byFirst.get(first);
    const known = seconds?.get(second);
    if (known !== undefined) return known;
    if (this.count >= this.capacity) {
      this.byFirst.clear();
      this.count = 0;
      seconds = undefined;
    }
    if (!seconds) {
      seconds = new Map();
      this.byFirst.set(first, seconds);
    }
    const key = this.build(first, second);
    seconds.set(second, key);
    this.count += 1;
    return key;
  }
}
