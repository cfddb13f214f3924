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
 * Each user's last `count` message times and ids, a ring per user slot (`UserSlots`) in flat
 * arrays, like {@link TimeRing}'s.
 */
class UserTimes extends PerSlotState {
  times = new Float64Array(0);
  ids: string[] = [];
  named = new Uint8Array(0);
  /** Per slot: the ring's next entry and its size. */
  rings = new Int32Array(0);

  constructor(readonly count: number) {
    super();
  }

  of(slot: number, generation: number): number {
    return this.claim(slot, generation);
  }

  protected resize(slots: number): void {
    const entries = slots * this.count;
    this.times = grown(this.times, entries);
    this.named = grown(this.named, entries);
    this.rings = grown(this.rings, slots * 2);
    for (let entry = this.ids.length; entry < entries; entry += 1) this.ids.push('');
  }

  protected reset(slot: number): void {
    this.rings[slot * 2] = 0;
    this.rings[slot * 2 + 1] = 0;
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
    const first = slot * messages;
    const rings = users.rings;
    const next = rings[slot * 2]!;
    users.times[first + next] = message.at;
    users.ids[first + next] = message.id ?? '';
    users.named[first + next] = 0;
    const after = (next + 1) % messages;
    rings[slot * 2] = after;
    const size = Math.min(rings[slot * 2 + 1]! + 1, messages);
    rings[slot * 2 + 1] = size;
    if (size < messages) return undefined;
    // Full: the entry after the newest is the oldest.
    const oldest = users.times[first + after]!;
    if (message.at - oldest > windowMs) return undefined;
    // The flood's first messages were not a flood yet when they came; they are now.
    for (let step = messages; step >= 1; step -= 1) {
      const entry = first + ((after + messages - step) % messages);
      if (users.named[entry] === 0 && step > 1 && users.ids[entry] !== '') {
        earlier.push(users.ids[entry]!);
      }
      users.named[entry] = 1;
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
