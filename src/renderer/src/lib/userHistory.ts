/**
 * A user's recent messages across the open rooms, from what the deck has buffered. User ids are
 * only meaningful within one account (two FlipFlop apps number their users separately), so the
 * history covers the rooms of the account the user was seen in.
 */
import { parseRoomKey, type ChatEvent, type RoomKey } from '../../../shared/chat';
import type { RoomFeed } from '../stores/feed';
import { isBlankText } from './chatText';
import type { EventKey } from './eventKey';

/** At most this many messages are listed on a card. */
export const USER_HISTORY_LIMIT = 200;

// A room that did not change since the last look keeps its object (feed.ts), so its answer is
// reused: only rooms with new events are scanned again while a card is open.
const perRoom = new WeakMap<RoomFeed, Map<string, EventKey[]>>();

/**
 * Something the user wrote. An entry with no visible text (a user event, a data-only command) would
 * say nothing on a card.
 */
function isUserMessage(event: ChatEvent): boolean {
  return (
    event.kind !== 'join' &&
    event.kind !== 'leave' &&
    event.kind !== 'gap' &&
    !isBlankText(event.text)
  );
}

function keysInRoom(feed: RoomFeed, userId: string): EventKey[] {
  let byUser = perRoom.get(feed);
  if (!byUser) {
    byUser = new Map();
    perRoom.set(feed, byUser);
  }
  let keys = byUser.get(userId);
  if (!keys) {
    keys = [];
    for (const key of feed.keys) {
      const event = feed.byKey.get(key);
      if (event?.user?.id === userId && isUserMessage(event)) keys.push(key);
    }
    byUser.set(userId, keys);
  }
  return keys;
}

/** The user's messages in every open room of `accountId`, newest first. */
export function userHistory(
  rooms: Readonly<Record<RoomKey, RoomFeed>>,
  accountId: string,
  userId: string,
  limit = USER_HISTORY_LIMIT,
): EventKey[] {
  const found: { key: EventKey; at: number }[] = [];
  for (const [roomKey, feed] of Object.entries(rooms)) {
    if (parseRoomKey(roomKey).accountId !== accountId) continue;
    for (const key of keysInRoom(feed, userId)) {
      found.push({ key, at: feed.byKey.get(key)?.createdAt ?? 0 });
    }
  }
  found.sort((a, b) => b.at - a.at);
  return found.slice(0, limit).map((entry) => entry.key);
}
