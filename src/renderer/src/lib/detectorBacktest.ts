/**
 * Backtesting one automod detector rule: the buffered messages of every open room, replayed in
 * time order through a fresh automod that has only that rule, as main's feeds would have judged
 * them (chatters' messages and DMs, not the moderator's own).
 */
import {
  createAutomod,
  type AutomodRule,
  type ReasonData,
  type Verdict,
} from '../../../shared/automod';
import type { ChatEvent, RoomKey } from '../../../shared/chat';
import type { RoomFeed } from '../stores/feed';
import type { EventKey } from './eventKey';

export interface DetectorHit {
  key: EventKey;
  roomKey: RoomKey;
  userName: string;
  text: string;
  reason: string;
  why: ReasonData;
}

export interface DetectorBacktest {
  /** Messages replayed. */
  scanned: number;
  /**
   * What the rule flags, with its reason: in the order it flagged them, the earlier messages a
   * verdict names (a raid's first copies) just before the message that named them.
   */
  flagged: DetectorHit[];
}

const JUDGED: ReadonlySet<ChatEvent['kind']> = new Set(['message', 'dm']);

/** Replays the rooms' buffered chat through `rule` alone (enabled, whatever the settings say). */
export function backtestDetector(
  rooms: Readonly<Record<RoomKey, RoomFeed>>,
  rule: AutomodRule,
): DetectorBacktest {
  const events: Array<{ key: EventKey; event: ChatEvent }> = [];
  for (const feed of Object.values(rooms)) {
    for (const key of feed.keys) {
      const event = feed.byKey.get(key);
      if (!event || !JUDGED.has(event.kind) || event.user === null || event.fromModerator) continue;
      events.push({ key, event });
    }
  }
  // Automod reads messages in time order; rooms are merged by arrival (a stable sort).
  events.sort((a, b) => a.event.receivedAt - b.event.receivedAt);
  const automod = createAutomod({ rules: [{ ...rule, enabled: true }] });
  const byKey = new Map(events.map((entry) => [entry.key, entry]));
  const flagged: DetectorHit[] = [];
  const hit = (
    { key, event }: { key: EventKey; event: ChatEvent },
    { reason, why }: Verdict,
  ): void => {
    flagged.push({
      key,
      roomKey: event.roomKey,
      userName: event.user?.name ?? '',
      text: event.text,
      reason,
      why,
    });
  };
  for (const entry of events) {
    const { key, event } = entry;
    const user = event.user!;
    const verdicts = automod.check({
      roomKey: event.roomKey,
      userId: user.id,
      userName: user.name,
      text: event.text,
      at: event.receivedAt,
      id: key,
      ...(event.first === undefined ? {} : { firstInRoom: true }),
    });
    const verdict = verdicts[0];
    if (!verdict) continue;
    // The earlier messages of what it found (a raid's first copies), flagged in the feed too.
    for (const id of verdict.earlier ?? []) {
      const earlier = byKey.get(id);
      if (earlier) hit(earlier, verdict);
    }
    hit(entry, verdict);
  }
  return { scanned: events.length, flagged };
}
