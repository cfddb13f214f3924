/**
 * Floods: one user's message rate, and bursts of first-time chatters in a room. Each keeps the
 * times of the last N events in a ring: "the last N were within T" is one subtraction.
 */
import { LruMap, TimeRing } from './bounded';
import type { RuleOfKind } from './config';
import { userKey, type Detector, type DetectorSize, type Inspected } from './detector';
import { duration } from './words';

export class FloodDetector implements Detector {
  private readonly users: LruMap<string, TimeRing>;

  constructor(
    private readonly params: RuleOfKind<'flood'>['params'],
    maxUsers: number,
  ) {
    this.users = new LruMap(maxUsers);
  }

  check({ message }: Inspected): string | undefined {
    const { messages, windowMs } = this.params;
    const ring = this.users.getOrCreate(
      userKey(message),
      (forgotten) => forgotten?.clear() ?? new TimeRing(messages),
    );
    ring.push(message.at);
    const oldest = ring.oldestWhenFull();
    if (oldest === undefined || message.at - oldest > windowMs) return undefined;
    return `${messages} messages in ${duration(message.at - oldest)}`;
  }

  size(): DetectorSize {
    return { rooms: 0, users: this.users.size, recentMessages: 0, raids: 0, clusters: 0 };
  }
}

export class NewChattersDetector implements Detector {
  private readonly rooms: LruMap<string, TimeRing>;

  constructor(
    private readonly params: RuleOfKind<'newChatters'>['params'],
    maxRooms: number,
  ) {
    this.rooms = new LruMap(maxRooms);
  }

  check({ message }: Inspected): string | undefined {
    if (message.firstInRoom !== true) return undefined;
    const { chatters, windowMs } = this.params;
    const ring = this.rooms.getOrCreate(
      message.roomKey,
      (forgotten) => forgotten?.clear() ?? new TimeRing(chatters),
    );
    ring.push(message.at);
    const oldest = ring.oldestWhenFull();
    if (oldest === undefined || message.at - oldest > windowMs) return undefined;
    return `${chatters} first-time chatters in ${duration(message.at - oldest)}`;
  }

  size(): DetectorSize {
    return { rooms: this.rooms.size, users: 0, recentMessages: 0, raids: 0, clusters: 0 };
  }
}
