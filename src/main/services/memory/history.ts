/** A room's stored history as the feeds put it before the live events of a room just opened. */
import type { ChatEvent } from '../../../shared/chat';
import type { MemoryStore } from './memory';
import type { StoredEvent } from './types';

/**
 * The room's last `limit` events received before `before` (epoch ms), oldest first, with the
 * state they were left in. A `held` event (the hold queue to come) shows as it arrived, visible.
 * A flagged one (or a DM to the moderator, or a raised first message) comes handled only if it was
 * (the store keeps it since schema migration 5): one never dealt with is raised in the Flagged
 * queue again.
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

/** The ids of the room's users the store knows as its chatters (their first message is stored). */
export async function roomChatters(
  memory: Pick<MemoryStore, 'request'>,
  roomKey: string,
): Promise<string[]> {
  return (await memory.request('roomChatters', { roomKey })).userIds;
}

function chatEventOf(stored: StoredEvent): ChatEvent {
  const { seq: _seq, stateChanges: _stateChanges, state, ...rest } = stored;
  return { ...rest, state: state === 'held' ? 'visible' : state };
}
