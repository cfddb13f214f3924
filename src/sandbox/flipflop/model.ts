/**
 * FlipFlop's data as the sandbox keeps it, and the Gossip message body in both casings.
 * Sources: the chat REST document (seeds/000_…, api-facts §1.3) and the WebSocket document
 * (api-facts §1.7); choices where they are silent are listed in src/sandbox/README.md.
 */
import type { ChatterScript } from '../core/chatter';

export type Casing = 'snake' | 'camel';

/** Who a chat message comes from, as the Gossip model's `user` object has it. */
export interface ChatUser {
  id: string;
  username: string | null;
  avatar: string | null;
}

export type MessageType = 'MESSAGE' | 'DM' | 'COMMAND' | 'JOIN' | 'LEAVE';
export type MessageState = 'visible' | 'hidden' | 'deleted';

export interface StoredMessage {
  /** 19 decimal digits, kept as a string (exceeds Number.MAX_SAFE_INTEGER). */
  messageId: string;
  videoRoomId: string;
  channelKey: string;
  messageType: MessageType;
  customType: string | null;
  message: string | null;
  data: unknown;
  user: ChatUser;
  receiverAppUserIds: string[];
  /** Epoch milliseconds. */
  createdAt: number;
  state: MessageState;
}

export interface Member {
  appUserId: string;
  appUserName: string | null;
  appUserProfileImgUrl: string | null;
  joinedAt: Date;
  /** Position in join order; the members endpoint's cursor counts in these. */
  sequence: number;
}

export interface ChatRoom {
  createdAt: Date;
  closedAt: Date | null;
  members: Map<string, Member>;
  nextJoinSequence: number;
  /** Everyone who was ever a member: Gossip's `total_user_count`. */
  everJoined: Set<string>;
  /** Recent messages by id, oldest first; the oldest are forgotten past the per-room limit. */
  messages: Map<string, StoredMessage>;
  /** Chat messages ever sent (JOIN and LEAVE not counted): `totalChatMessageCount`. */
  messageCount: number;
  /** Open WebSocket subscriptions to the room topic per user, for JOIN and LEAVE. */
  socketPresence: Map<string, number>;
}

export interface AdminMessage {
  kind: 'broadcast' | 'direct';
  messageId: string;
  messageType: string;
  customType: string | null;
  message: string | null;
  data: unknown;
  appUserIds: string[];
  createdAt: string;
}

export interface VideoRoom {
  /** A Long in the documents; small enough here to be a safe integer, kept as a string. */
  id: string;
  title: string;
  description: string;
  videoRoomState: 'SCHEDULED' | 'LIVE';
  createdAt: Date;
  /** Pre-assigned: video rooms carry `chat.channelKey` before a chat room exists (api-facts §1.2). */
  channelKey: string;
  chat: ChatRoom | null;
  /** Chatter messages per second wanted while the chat room is open. */
  rate: number;
  /**
   * A sustained copy-paste raid (`PUT /__sandbox/rooms/{id}/raid-rate`): copies per second of one
   * line, each from a fresh user, extra to `rate`; null when there is none.
   */
  raid: { perSecond: number; text: string } | null;
  script: ChatterScript;
  adminMessages: AdminMessage[];
}

export interface AppUser {
  appUserId: string;
  appUserName: string | null;
  appUserProfileImgUrl: string | null;
}

export interface ChatToken {
  token: string;
  userId: string;
  userName: string | null;
  avatarProfileUrl: string | null;
  kind: 'member' | 'guest';
  /** Epoch milliseconds. */
  expiresAt: number;
}

export function newChatRoom(now: Date): ChatRoom {
  return {
    createdAt: now,
    closedAt: null,
    members: new Map(),
    nextJoinSequence: 0,
    everJoined: new Set(),
    messages: new Map(),
    messageCount: 0,
    socketPresence: new Map(),
  };
}

/**
 * The Gossip message body as JSON text.
 *
 * Snake case is the WebSocket document's model (api-facts §1.7): `message_id` a 19-digit string,
 * `created_at` a string of epoch seconds, `data` the empty string when there is none (its example).
 * Camel case is what the ffl-gossip SDK hands its users (§1.7 "Evidence of other wire variants"):
 * `createdAt` a number of epoch milliseconds, plus `receiver` on direct messages. Clients are
 * tested against both, since the real wire format is uncertain (§1.8 items 1–4).
 */
export function messageBody(
  message: StoredMessage,
  casing: Casing,
  counts: { total: number; participants: number } | null,
): string {
  const data = message.data ?? '';
  if (casing === 'snake') {
    const body: Record<string, unknown> = {
      channel_key: message.channelKey,
      user: message.user,
      message_type: message.messageType,
      message_id: message.messageId,
      message: message.message,
      custom_type: message.customType,
      data,
      created_at: String(Math.floor(message.createdAt / 1000)),
    };
    if (counts !== null) {
      body['total_user_count'] = counts.total;
      body['participant_count'] = counts.participants;
    }
    return JSON.stringify(body);
  }
  const body: Record<string, unknown> = {
    channelKey: message.channelKey,
    user: message.user,
    messageType: message.messageType,
    messageId: message.messageId,
    message: message.message,
    customType: message.customType,
    data,
    createdAt: message.createdAt,
  };
  if (message.messageType === 'DM') body['receiver'] = message.receiverAppUserIds[0] ?? null;
  if (counts !== null) {
    body['totalUserCount'] = counts.total;
    body['participantCount'] = counts.participants;
  }
  return JSON.stringify(body);
}

export function roomTopic(channelKey: string): string {
  return `/topic/chat/${channelKey}`;
}

export function directTopic(channelKey: string, userId: string): string {
  return `/topic/dm/${channelKey}/user/${userId}`;
}
