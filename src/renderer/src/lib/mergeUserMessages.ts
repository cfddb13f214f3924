/**
 * A user card's messages: the live ones the deck holds and the stored ones the history has paged
 * in, each once (by room and event id; the live copy wins, as it carries the state on screen),
 * newest first.
 */
import type { StoredMessage } from '../stores/userMemory';
import { isBlankText } from './chatText';
import { eventKeyOf, type EventKey } from './eventKey';

export type CardMessage =
  | { kind: 'live'; key: EventKey; at: number }
  | { kind: 'stored'; key: EventKey; at: number; event: StoredMessage };

/**
 * `live` are the deck's keys with their times; `stored` the pages read so far, newest first;
 * `complete` says no older stored page is left (or there is no history to page through). Until
 * then, a live message older than the oldest stored one waits for the page that reaches its time,
 * so that "More" only ever adds older messages below.
 */
export function mergeUserMessages(
  live: ReadonlyArray<{ key: EventKey; at: number }>,
  stored: readonly StoredMessage[],
  complete: boolean,
): CardMessage[] {
  const merged: CardMessage[] = live.map((entry) => ({ kind: 'live', ...entry }));
  const seen = new Set(live.map((entry) => entry.key));
  let oldest = Infinity;
  for (const event of stored) {
    const key = eventKeyOf(event.roomKey, event.id);
    oldest = Math.min(oldest, event.createdAt);
    if (seen.has(key) || isBlankText(event.text)) continue;
    seen.add(key);
    merged.push({ kind: 'stored', key, at: event.createdAt, event });
  }
  const shown =
    complete || stored.length === 0
      ? merged
      : merged.filter((entry) => entry.kind === 'stored' || entry.at >= oldest);
  return shown.sort((a, b) => b.at - a.at);
}
