/**
 * Floods: one user's message rate, and bursts of first-time chatters in a room. Each keeps the
 * times of the last N events per user or per room in a ring: "the last N were within T" is one
 * subtraction. A burst found names its earlier events, which were flagged by nothing when they came.
 */
import { LruMap, PerSlotState, TimeRing, grown } from './bounded';
import type { RuleOfKind } from './config';
import { NOTHING_KEPT, type Detector, type DetectorSize, type Inspected } from './detector';
import type { ReasonData } from './reasons';

interface Burst {
  /** Events in the window that make a burst. */
  count: number;
  windowMs: number;
  /** Whose events the message adds to, or `undefined` when it is not an event. */
  keyOf: (inspected: Inspected) => string | undefined;
  /** What a key stands for in `stats()`. */
  keeps: 'users' | 'rooms';
  describe: (spanMs: number) => ReasonData;
}

class BurstDetector implements Detector {
  private readonly rings: LruMap<string, TimeRing>;

  constructor(
    private readonly burst: Burst,
    capacity: number,
  ) {
    this.rings = new LruMap(capacity);
  }

  check(inspected: Inspected, earlier: string[]): ReasonData | undefined {
    const message = inspected.message;
    const { count, windowMs, keyOf, describe } = this.burst;
    const key = keyOf(inspected);
    if (key === undefined) return undefined;
    const ring = this.rings.getOrCreate(
      key,
      (forgotten) => forgotten?.clear() ?? new TimeRing(count),
    );
    ring.push(message.at, message.id);
    const oldest = ring.oldestWhenFull();
    if (oldest === undefined || message.at - oldest > windowMs) return undefined;
    // The burst's first messages were not a burst yet when they came; they are now.
    ring.nameEarlier(earlier);
    return describe(message.at - oldest);
  }

  size(): DetectorSize {
    return { ...NOTHING_KEPT, [this.burst.keeps]: this.rings.size };
  }
}

/**
 * Each user's last `count` message times and ids, a ring per user slot (`UserSlots`), like
 * {@link TimeRing}'s. Slot `s` has one block of `records`: the ring's next entry and size, the
 * slot's generation, then each entry's time and whether it was named, so that a message reads one
 * block rather than an array per field (inside the feeds each was a cache miss).
 */
class UserTimes extends PerSlotState {
  records = new Float64Array(0);
  ids: string[] = [];
  /** Numbers per slot in `records`. */
  readonly block: number;

  constructor(readonly count: number) {
    super();
    // The ring's next entry and size, the slot's generation, then the entries.
    this.block = 3 + count * 2;
  }

  of(slot: number, generation: number): number {
    return this.claim(slot, generation);
  }

  protected resize(slots: number): void {
    this.records = grown(this.records, slots * this.block);
    for (let entry = this.ids.length; entry < slots * this.count; entry += 1) this.ids.push('');
  }

  protected generationOf(slot: number): number {
    return this.records[slot * this.block + 2]!;
  }

  protected reset(slot: number, generation: number): void {
    this.records[slot * this.block] = 0;
    this.records[slot * this.block + 1] = 0;
    this.records[slot * this.block + 2] = generation;
  }
}

/** One user sending `messages` messages within the window. */
class FloodDetector implements Detector {
  private readonly users: UserTimes;

  constructor(private readonly params: RuleOfKind<'flood'>['params']) {
    this.users = new UserTimes(params.messages);
  }

  check(inspected: Inspected, earlier: string[]): ReasonData | undefined {
    const message = inspected.message;
    const { messages, windowMs } = this.params;
    const users = this.users;
    const slot = users.of(inspected.userSlot(), inspected.userGeneration());
    const records = users.records;
    const base = slot * users.block;
    // Entry `e`'s time is at `entries + 2e`, and whether it was named after it.
    const entries = base + 3;
    const firstId = slot * messages;
    const next = records[base]!;
    records[entries + next * 2] = message.at;
    records[entries + next * 2 + 1] = 0;
    users.ids[firstId + next] = message.id ?? '';
    const after = (next + 1) % messages;
    records[base] = after;
    const size = Math.min(records[base + 1]! + 1, messages);
    records[base + 1] = size;
    if (size < messages) return undefined;
    // Full: the entry after the newest is the oldest.
    const oldest = records[entries + after * 2]!;
    if (message.at - oldest > windowMs) return undefined;
    // The flood's first messages were not a flood yet when they came; they are now.
    for (let step = messages; step >= 1; step -= 1) {
      const entry = (after + messages - step) % messages;
      const id = users.ids[firstId + entry]!;
      if (records[entries + entry * 2 + 1] === 0 && step > 1 && id !== '') earlier.push(id);
      records[entries + entry * 2 + 1] = 1;
    }
    return { kind: 'flood', messages, spanMs: message.at - oldest };
  }

  size(): DetectorSize {
    return { ...NOTHING_KEPT, users: this.users.slots };
  }
}

/** One user sending `messages` messages within the window. */
export function floodDetector(params: RuleOfKind<'flood'>['params']): Detector {
  return new FloodDetector(params);
}

/** `chatters` messages marked `firstInRoom` in one room within the window. */
export function newChattersDetector(
  params: RuleOfKind<'newChatters'>['params'],
  maxRooms: number,
): Detector {
  const { chatters, windowMs } = params;
  return new BurstDetector(
    {
      count: chatters,
      windowMs,
      keyOf: ({ message }) => (message.firstInRoom === true ? message.roomKey : undefined),
      keeps: 'rooms',
      describe: (spanMs) => ({ kind: 'newChatters', chatters, spanMs }),
    },
    maxRooms,
  );
}
