/** Chat events and batches for the memory store's tests. */
import type { ChatEvent } from '../../src/shared/chat';
import type { StoreBatch } from '../../src/main/services/memory/types';

let counter = 0;

/** A chat message in `room` (an `account/room` key) by `user`, with its text. */
export function chatEvent(
  roomKey: string,
  text: string,
  fields: Partial<ChatEvent> & { userId?: string } = {},
): ChatEvent {
  counter += 1;
  const { userId = 'u1', ...rest } = fields;
  const now = rest.receivedAt ?? Date.now();
  return {
    roomKey,
    id: `m${counter}`,
    messageId: `m${counter}`,
    kind: 'message',
    user: { id: userId, name: `name-${userId}` },
    text,
    createdAt: now,
    receivedAt: now,
    state: 'visible',
    flags: [],
    ...rest,
  };
}

/** A batch of events, with the rooms they name described. */
export function storeBatch(events: ChatEvent[], updates: StoreBatch['updates'] = []): StoreBatch {
  const rooms = [...new Set(events.map((event) => event.roomKey))].map((roomKey) => ({
    roomKey,
    accountId: roomKey.split('/')[0] ?? '',
    provider: 'flipflop',
    name: `Room ${roomKey}`,
  }));
  return { at: Date.now(), events, updates, rooms };
}
