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

/** Slots a table of {@link UserSlots} starts with, before it grows towards its capacity. */
const FIRST_SLOTS = 256;

/** What {@link UserSlots} keeps per slot, in one record: its place in the list by activity, ... */
const NEWER = 0;
const OLDER = 1;
const GENERATION = 2;
/** ... and the hash of its room and user, by which the table finds it. */
const HASH = 3;
const RECORD = 4;

/**
 * Numbered slots for the most recently active users of every room, at most `capacity`, shared by
 * the rules that keep something per user (repeats, floods). A rule keeps its state in typed arrays
 * indexed by slot, rather than in an object per user behind a map of its own: one lookup serves
 * every rule, nothing is allocated for a new user, and a user's state is a few cache lines of
 * flat arrays instead of a dozen objects (each rule's map of a key string built per message, and
 * the objects behind it, were a sixth of the detectors' time). When full, the least recently
 * active user's slot is given to the new one, and its generation changes, which tells each rule
 * to forget what it kept there.
 *
 * Users are found through an open-addressing table of slots by a hash of room and user (linear
 * probing, deletion by shifting back), and each slot's links and hash share one record. A `Map`
 * per room did the same in 2 µs a message inside the feeds at 20,000 messages a second with
 * every message a new user (delete, set, and the list's neighbours, each in a different part of
 * memory); alone in a loop it took 0.16 µs.
 */
export class UserSlots {
  private userIds: string[] = [];
  private roomKeys: string[] = [];
  /** Per slot: {@link RECORD} numbers (`NEWER`, `OLDER`, `GENERATION`, `HASH`). */
  private records: Int32Array;
  /** The table: slot + 1 at each place, 0 where empty; at least twice as many places as slots. */
  private places: Int32Array;
  private newest = -1;
  private oldest = -1;
  private used = 0;
  private lastRoomKey = '';
  private lastRoomHash = hashText('', 0);

  constructor(readonly capacity: number) {
    const first = Math.min(capacity, FIRST_SLOTS);
    this.records = new Int32Array(first * RECORD);
    this.places = new Int32Array(placesFor(first));
  }

  /** Slots given out. */
  get size(): number {
    return this.used;
  }

  /** The slot of this user in this room, marked as just used; a new or forgotten user gets one. */
  find(roomKey: string, userId: string): number {
    // Messages of one room tend to come together (a frame, a batch): its hash is kept at hand.
    if (roomKey !== this.lastRoomKey) {
      this.lastRoomKey = roomKey;
      this.lastRoomHash = hashText(roomKey, 0);
    }
    const hash = hashText(userId, this.lastRoomHash);
    const records = this.records;
    const places = this.places;
    const mask = places.length - 1;
    for (let place = hash & mask; places[place] !== 0; place = (place + 1) & mask) {
      const slot = places[place]! - 1;
      if (
        records[slot * RECORD + HASH] !== hash ||
        this.userIds[slot] !== userId ||
        this.roomKeys[slot] !== roomKey
      ) {
        continue;
      }
      if (slot !== this.newest) {
        this.unlink(slot);
        this.link(slot);
      }
      return slot;
    }
    let slot: number;
    if (this.used < this.capacity) {
      slot = this.used;
      this.used += 1;
      if ((slot + 1) * RECORD > this.records.length) this.grow();
      this.records[slot * RECORD + GENERATION] = 1;
    } else {
      slot = this.oldest;
      this.unlink(slot);
      this.leave(slot);
      // Never 0, which rules read as "nothing kept yet".
      const generation = this.records[slot * RECORD + GENERATION]!;
      this.records[slot * RECORD + GENERATION] = (generation % 0x7ffffffe) + 1;
    }
    this.records[slot * RECORD + HASH] = hash;
    this.userIds[slot] = userId;
    this.roomKeys[slot] = roomKey;
    this.enter(slot);
    this.link(slot);
    return slot;
  }

  /** Which user a slot holds, as a number that changes whenever the slot changes hands (never 0). */
  generation(slot: number): number {
    return this.records[slot * RECORD + GENERATION]!;
  }

  /** Puts a slot in the table, at the first empty place from its hash's. */
  private enter(slot: number): void {
    const places = this.places;
    const mask = places.length - 1;
    let place = this.records[slot * RECORD + HASH]! & mask;
    while (places[place] !== 0) place = (place + 1) & mask;
    places[place] = slot + 1;
  }

  /**
   * Takes a slot out of the table, moving back each later entry of the run that may fill its place
   * (one whose own place is not between the gap and where it sits), so that no search stops early.
   */
  private leave(slot: number): void {
    const places = this.places;
    const records = this.records;
    const mask = places.length - 1;
    let gap = records[slot * RECORD + HASH]! & mask;
    while (places[gap] !== slot + 1) gap = (gap + 1) & mask;
    for (let place = (gap + 1) & mask; places[place] !== 0; place = (place + 1) & mask) {
      const home = records[(places[place]! - 1) * RECORD + HASH]! & mask;
      if (((place - home) & mask) >= ((place - gap) & mask)) {
        places[gap] = places[place]!;
        gap = place;
      }
    }
    places[gap] = 0;
  }

  private grow(): void {
    const slots = Math.min(this.capacity, (this.records.length / RECORD) * 2);
    this.records = grown(this.records, slots * RECORD);
    this.places = new Int32Array(placesFor(slots));
    for (let slot = 0; slot < this.used - 1; slot += 1) this.enter(slot);
  }

  private unlink(slot: number): void {
    const records = this.records;
    const newer = records[slot * RECORD + NEWER]!;
    const older = records[slot * RECORD + OLDER]!;
    if (newer >= 0) records[newer * RECORD + OLDER] = older;
    else this.newest = older;
    if (older >= 0) records[older * RECORD + NEWER] = newer;
    else this.oldest = newer;
  }

  private link(slot: number): void {
    const records = this.records;
    records[slot * RECORD + OLDER] = this.newest;
    records[slot * RECORD + NEWER] = -1;
    if (this.newest >= 0) records[this.newest * RECORD + NEWER] = slot;
    this.newest = slot;
    if (this.oldest < 0) this.oldest = slot;
  }
}

/** Places of a table for `slots` slots: a power of two, at least twice as many. */
function placesFor(slots: number): number {
  let places = 1;
  while (places < slots * 2) places *= 2;
  return places;
}

/** FNV-1a over a text's UTF-16 units from `seed`, then MurmurHash3's finalizer. */
function hashText(text: string, seed: number): number {
  let hash = (seed ^ 0x811c9dc5) | 0;
  for (let index = 0; index < text.length; index += 1) {
    hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  return hash ^ (hash >>> 16);
}

type NumberArray = Int32Array | Uint32Array | Float64Array | Uint16Array | Uint8Array;

/** A copy of `array` with room for `length` elements (or itself when it has as many). */
export function grown<T extends NumberArray>(array: T, length: number): T {
  if (array.length >= length) return array;
  const bigger = new (array.constructor as new (length: number) => T)(length);
  bigger.set(array);
  return bigger;
}

/**
 * State a rule keeps per user slot ({@link UserSlots}), in flat arrays that grow with the slots
 * given out. Each slot's state says which generation of the slot it belongs to (0: none yet), kept
 * by the rule beside the rest of the slot's state: in its own array it was one more cache miss a
 * message inside the feeds. `reset` runs when the slot is first used by the rule or holds another
 * user than last time.
 */
export abstract class PerSlotState {
  /** Slots the arrays have room for. */
  private room = 0;

  /** Makes room for `slot` and empties it if it changed hands; returns the slot. */
  protected claim(slot: number, generation: number): number {
    if (slot >= this.room) {
      const length = Math.max(FIRST_SLOTS, this.room * 2, slot + 1);
      this.resize(length);
      this.room = length;
    }
    if (this.generationOf(slot) !== generation) this.reset(slot, generation);
    return slot;
  }

  /** Slots the rule keeps state for. */
  get slots(): number {
    let count = 0;
    for (let slot = 0; slot < this.room; slot += 1) if (this.generationOf(slot) !== 0) count += 1;
    return count;
  }

  /** Grows every per-slot array to `slots` slots (new slots of generation 0). */
  protected abstract resize(slots: number): void;
  /** The generation the slot's state belongs to. */
  protected abstract generationOf(slot: number): number;
  /** Forgets what slot `slot` kept, which belongs to `generation` from now on. */
  protected abstract reset(slot: number, generation: number): void;
}
