/** Who a moderator can act on from a message: its author, unless that is the moderator. */
import type { ChatEvent, ChatUser } from '../../../shared/chat';

/**
 * The user that mute and exile on event `event` apply to: the author of a message, or the person
 * a presence or user event is about. Never the moderator themselves (their own messages,
 * notices and whispers), and nobody for a gap.
 */
export function actionableAuthor(
  event: ChatEvent,
  moderatorUserId: string | null,
): ChatUser | null {
  if (!event.user || event.fromModerator === true || event.kind === 'gap') return null;
  if (moderatorUserId !== null && event.user.id === moderatorUserId) return null;
  return event.user;
}
