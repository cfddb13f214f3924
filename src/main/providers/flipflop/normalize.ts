/**
 * Gossip frames → `ChatEvent`. The documents and SDKs disagree on almost every field
 * (api-facts §1.7–1.8), so this accepts: snake_case (the WebSocket doc) and camelCase (ffl-gossip);
 * ids as strings or numbers (19-digit ids kept exact); `created_at` as ISO, epoch seconds or epoch
 * ms, as a string or a number; `data` as an object or a string; `message_type` in any case, with
 * the v1 SDK's extra `ADMIN`/`SYSTEM` and the newer `LEAVED` [sic]. Anything else is `malformed`:
 * counted by the caller, never thrown.
 */
import type { ChatEvent, ChatEventKind } from '../../../shared/chat';
import { boundJson, parseJsonKeepingLongIntegers } from '../../../shared/json';
import { toEpochMs } from '../../../shared/time';
import { NO_FLAGS } from '../types';

export interface FrameContext {
  roomKey: string;
  /** The STOMP destination the frame arrived on. */
  destination: string;
  /** This account's own chat user id, to mark its messages and DMs addressed to it. */
  moderatorUserId: string | null;
  /**
   * The FlipFlop app id. Admin messages sent through REST carry the app as their sender (the
   * sandbox sends `user.id` = app id; the real service does not document it): they are this
   * app's own announcements.
   */
  appId?: string | null;
  now: number;
}

/** `trimmed`: the event lost part of its `data` to `boundJson`'s limits (counted per room). */
export type Normalized =
  { ok: true; event: ChatEvent; trimmed?: true } | { ok: false; reason: string };

const KINDS: Record<string, ChatEventKind> = {
  MESSAGE: 'message',
  DM: 'dm',
  COMMAND: 'command',
  JOIN: 'join',
  JOINED: 'join',
  LEAVE: 'leave',
  LEAVED: 'leave',
  ADMIN: 'admin',
  SYSTEM: 'system',
};

/** Kinds a chatter produces: they must name their sender. */
const NEEDS_USER = new Set<ChatEventKind>(['message', 'dm']);

let localSequence = 0;

export function normalizeGossipFrame(body: string, context: FrameContext): Normalized {
  let parsed: unknown;
  try {
    parsed = parseJsonKeepingLongIntegers(body);
  } catch {
    return { ok: false, reason: 'body is not JSON' };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { ok: false, reason: 'body is not a JSON object' };
  }
  const frame = parsed as Record<string, unknown>;

  const typeWord = text(pick(frame, 'message_type', 'messageType', 'type'));
  if (typeWord === undefined) return { ok: false, reason: 'no message type' };
  let kind = KINDS[typeWord.toUpperCase()];
  if (kind === undefined) return { ok: false, reason: `unknown message type ${typeWord}` };

  const user = readUser(pick(frame, 'user'), frame);
  if (NEEDS_USER.has(kind) && user === null) return { ok: false, reason: 'no sender' };

  const message = pick(frame, 'message', 'text');
  if (message !== undefined && message !== null && typeof message !== 'string') {
    return { ok: false, reason: 'message is not text' };
  }
  if (NEEDS_USER.has(kind) && typeof message !== 'string') {
    return { ok: false, reason: 'no message text' };
  }

  const messageId = id(pick(frame, 'message_id', 'messageId', 'id'));
  const createdAt = toEpochMs(pick(frame, 'created_at', 'createdAt')) ?? context.now;
  const receiver = id(pick(frame, 'receiver', 'receiver_id', 'receiverId'));
  const onDmTopic = context.destination.startsWith('/topic/dm/');
  if (kind === 'message' && onDmTopic) kind = 'dm';

  const moderator = context.moderatorUserId;
  const fromApp =
    user !== null &&
    context.appId !== undefined &&
    context.appId !== null &&
    user.id === context.appId;
  if (fromApp && kind === 'message') kind = 'admin';
  const fromModerator = fromApp || (moderator !== null && user?.id === moderator);
  const toModerator =
    kind === 'dm' &&
    moderator !== null &&
    !fromModerator &&
    (onDmTopic ? context.destination.endsWith(`/user/${moderator}`) : receiver === moderator);

  const event: ChatEvent = {
    roomKey: context.roomKey,
    id: messageId ?? `local-${(localSequence += 1)}`,
    messageId,
    kind,
    user,
    text: typeof message === 'string' ? message : '',
    createdAt,
    receivedAt: context.now,
    state: 'visible',
    flags: NO_FLAGS,
  };
  const customType = text(pick(frame, 'custom_type', 'customType'));
  if (customType !== undefined) event.customType = customType;
  const data = readData(pick(frame, 'data'));
  let trimmed = false;
  if (data !== undefined) {
    const bounded = boundJson(data);
    event.data = bounded.value;
    trimmed = bounded.trimmed;
  }
  if (receiver !== null) event.receivers = [receiver];
  if (toModerator) event.toModerator = true;
  if (fromModerator) event.fromModerator = true;

  const total = number(pick(frame, 'total_user_count', 'totalUserCount'));
  const participants = number(pick(frame, 'participant_count', 'participantCount'));
  if (total !== undefined || participants !== undefined) {
    event.counts = {
      ...(total === undefined ? {} : { total }),
      ...(participants === undefined ? {} : { participants }),
    };
  }
  return trimmed ? { ok: true, event, trimmed: true } : { ok: true, event };
}

function pick(frame: Record<string, unknown>, ...names: string[]): unknown {
  for (const name of names) {
    if (frame[name] !== undefined) return frame[name];
  }
  return undefined;
}

function readUser(
  value: unknown,
  frame: Record<string, unknown>,
): { id: string; name: string; avatar?: string } | null {
  if (typeof value === 'object' && value !== null) {
    const user = value as Record<string, unknown>;
    const userId = id(pick(user, 'id', 'user_id', 'userId', 'app_user_id', 'appUserId'));
    if (userId === null) return null;
    const name = text(pick(user, 'username', 'user_name', 'userName', 'name', 'appUserName'));
    const avatar = text(pick(user, 'avatar', 'avatar_url', 'avatarUrl', 'avatarProfileUrl'));
    return { id: userId, name: name ?? userId, ...(avatar === undefined ? {} : { avatar }) };
  }
  // FFL-IOS reads a flat `userName`; accept a flat user id beside it.
  const flatId = id(pick(frame, 'user_id', 'userId', 'app_user_id', 'appUserId'));
  if (flatId === null) return null;
  const name = text(pick(frame, 'username', 'userName', 'user_name', 'appUserName'));
  return { id: flatId, name: name ?? flatId };
}

function id(value: unknown): string | null {
  if (typeof value === 'string') return value.trim() === '' ? null : value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'bigint') return String(value);
  return null;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function number(value: unknown): number | undefined {
  const parsed = typeof value === 'string' ? Number(value) : value;
  return typeof parsed === 'number' && Number.isFinite(parsed) ? parsed : undefined;
}

/**
 * `data` is a map in REST and a string (often `""`) on the socket (§1.8 item 4). Any guest can
 * send it, so the caller bounds what is read (`boundJson`).
 */
function readData(value: unknown): unknown {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string') {
    const trimmed = value.trim();
    if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
      try {
        return JSON.parse(trimmed) as unknown;
      } catch {
        return value;
      }
    }
    return value;
  }
  return value;
}
