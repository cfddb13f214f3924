/** A room's stored history as the feeds put it before the live events of a room just opened. */
import { isPinned, type ChatEvent } from '../../../shared/chat';
import type { MemoryStore } from './memory';
import type { StoredEvent } from './types';

/**
 * The room's last `limit` events received before `before` (epoch ms), oldest first, with the
 * state they were left in. A `held` event (the hold queue to come) shows as it arrived, visible.
 * A flagged one comes already handled: it was flagged in an earlier session, so it shows flagged
 * in its column but is not raised in the Flagged queue as new.
 */
export async function roomHistory(
  memory: Pick<MemoryStore, 'request'>,
  roomKey: string,
  before: number,
  limit: number,
): Promise<ChatEvent[]> {
  const page = await memory.request('events', { roomKeys: [roomKey], to: before, limit });
  return page.events.reverse().map(chatEventOf);
}

function chatEventOf(stored: StoredEvent): ChatEvent {
  const { seq: _seq, stateChanges: _stateChanges, state, ...rest } = stored;
  const event: ChatEvent = { ...rest, state: state === 'held' ? 'visible' : state };
  if (isPinned(event)) event.handled = true;
  return event;
}
