/** A live chat event as search reads it, so a query means the same over the buffers as the store. */
import type { ChatEvent } from '../chat';
import type { SearchableMessage } from './match';

/**
 * The event as `matchesQuery` takes it. `is:first` reads the mark main gave it (`ChatEvent.first`,
 * marked or raised), which the store's `chatters` table agrees with for what it has seen.
 */
export function searchableEvent(event: ChatEvent, roomName?: string): SearchableMessage {
  return {
    roomKey: event.roomKey,
    ...(roomName === undefined ? {} : { roomName }),
    userId: event.user?.id ?? null,
    userName: event.user?.name ?? null,
    text: event.text,
    kind: event.kind,
    state: event.state,
    ruleIds: event.flags.map((flag) => flag.ruleId),
    first: event.first !== undefined,
    at: event.createdAt,
  };
}
