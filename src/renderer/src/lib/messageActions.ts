/** Which events a moderator can hide, unhide or delete. */
import type { ChatEvent, ChatEventKind } from '../../../shared/chat';

/**
 * Presence lines, provider notices and gaps are not chat messages: the services keep nothing of
 * them to hide or delete (Gossip's JOIN and LEAVE carry an id that no message has).
 */
const NOT_MESSAGES: ReadonlySet<ChatEventKind> = new Set(['join', 'leave', 'system', 'gap']);

/** Whether hide, unhide and delete can reach event `event`: a chat message with a provider id. */
export function takesMessageActions(event: ChatEvent): boolean {
  return event.messageId !== null && !NOT_MESSAGES.has(event.kind);
}
