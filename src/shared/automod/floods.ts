/**
 * Floods: one user's message rate, and bursts of first-time chatters in a room. Each keeps the
 * times of the last N events per user or per room in a ring: "the last N were within T" is one
 * subtraction. A burst found names its earlier events, which were flagged by nothing when they came.
 */
import { LruMap, TimeRing } from './bounded';
import type { RuleOfKind } from './config';
import { NOTHING_KEPT, type Detector, type DetectorSize, type Inspected } from './detector';
import { duration } from './words';

interface Burst {
  /** Events in the window that make a burst. */
  count: number;
  windowMs: number;
  /** Whose events the message adds to, or `undefined` when it is not an event. */
  keyOf: (inspected: Inspected) => string | undefined;
  /** What a key stands for in `stats()`. */
  keeps: 'users' | 'rooms';
  describe: (span: string) => string;
}

class BurstDetector implements Detector {
  private readonly rings: LruMap<string, TimeRing>;

  constructor(
    private readonly burst: Burst,
    capacity: number,
  ) {
    this.rings = new LruMap(capacity);
  }

  check(inspected: Inspected, earlier: string[]): string | undefined {
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
    return describe(duration(message.at - oldest));
  }

  size(): DetectorSize {
    return { ...NOTHING_KEPT, [this.burst.keeps]: this.rings.size };
  }
}

/** One user sending `messages` messages within the window. */
export function floodDetector(params: RuleOfKind<'flood'>['params'], maxUsers: number): Detector {
  const { messages, windowMs } = params;
  return new BurstDetector(
    {
      count: messages,
      windowMs,
      keyOf: (inspected) => inspected.userKey(),
      keeps: 'users',
      describe: (span) => `${messages} messages in ${span}`,
    },
    maxUsers,
  );
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
      describe: (span) => `${chatters} first-time chatters in ${span}`,
    },
    maxRooms,
  );
}
