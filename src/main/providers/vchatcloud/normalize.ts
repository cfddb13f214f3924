/**
 * Event-bus pushes and join-reply history → `ChatEvent` (api-facts §2.7–2.8). The service is
 * inconsistent, so this accepts: `messageDt` as `yyyyMMddHHmmss` (Korean time), epoch ms (number
 * or string) or `YYYY-MM-DD HH:mm:ss`, and history's `date` likewise; `userInfo` as an object, a
 * JSON string or Java `Map.toString()` text (`{profile=1, lang=ko}`); counts as numbers or strings;
 * a body wrapped as `{ returncode, data }` (the JS SDK unwraps it). Anything else is `malformed`:
 * counted by the caller, never thrown.
 *
 * VChatCloud messages have no id. Room messages and notices get one from what they are (kind,
 * sender, second, text) so that the same message met live and again in a join's history is shown
 * once; the live client numbers repeats within a second (`dedupKey` + ordinal).
 */
import { createHash } from 'node:crypto';
import type { ChatEvent, ChatEventKind } from '../../../shared/chat';
import { boundJson, boundText } from '../../../shared/json';
import { toEpochMs } from '../../../shared/time';
import { NO_FLAGS } from '../types';

export interface PushContext {
  roomKey: string;
  /** The moderator's clientKey in this account's rooms. */
  moderatorClientKey: string;
  now: number;
}

/** `trimmed`: the event lost part of its `data` to `boundJson`'s limits (counted per room). */
export type Normalized =
  | { ok: true; event: ChatEvent; dedupKey: string | null; trimmed?: true }
  | { ok: false; reason: string };

export interface PushAddress {
  /** `notify.message`, `personal.whisper`, … */
  kind: string;
  roomId: string;
  /** The third segment of personal addresses: the receiver's clientKey. */
  target: string | null;
}

/** The JS SDK's dispatch rule: `s2c.{kind}/{roomId}/{target}` (api-facts §2.7). */
export function parsePushAddress(address: string): PushAddress | null {
  const match = /^s2c\.([^/]+)\/([^/]+)(?:\/([^/]+))?$/.exec(address);
  if (match === null) return null;
  return { kind: match[1] ?? '', roomId: match[2] ?? '', target: match[3] ?? null };
}

/** Pushes about a user rather than a message: shown as `system` events with this `customType`. */
const USER_EVENTS: Record<string, string> = {
  'notify.kick.user': 'exile',
  'notify.unkick.user': 'unexile',
  'notify.mute.user': 'mute',
  'notify.unmute.user': 'unmute',
  'personal.kick.user': 'exile',
  'personal.mute.user': 'mute',
  'personal.unmute.user': 'unmute',
  'personal.duplicate.user': 'duplicate',
  'personal.invite': 'invite',
  'notify.location': 'location',
};

let localSequence = 0;

export function normalizePush(
  address: PushAddress,
  body: unknown,
  context: PushContext,
): Normalized {
  const fields = readBody(body);
  if (fields === null) return { ok: false, reason: 'body is not an object' };
  const grade = text(fields['grade']);
  const messageType = text(fields['messageType']);
  switch (address.kind) {
    case 'notify.message':
      return message(messageType === 'notice' ? 'notice' : 'message', fields, context, null);
    case 'notify.notice':
      return message('notice', fields, context, null);
    case 'notify.custom':
      return message('custom', fields, context, null);
    // The JS SDK's prototype also names `onNotifyWhisper` (api-facts §2.8 item 8).
    case 'personal.whisper':
    case 'notify.whisper':
      return message('dm', fields, context, address.target);
    case 'notify.join.user':
    case 'notify.leave.user':
      return presence(address.kind === 'notify.join.user' ? 'join' : 'leave', fields, context);
    default: {
      const customType = USER_EVENTS[address.kind];
      if (customType === undefined) return { ok: false, reason: `unknown push ${address.kind}` };
      const user = readUser(fields);
      const event = base('system', user, '', fields, context);
      event.customType = customType;
      if (address.target !== null) {
        event.receivers = [address.target];
        if (address.target === context.moderatorClientKey) event.toModerator = true;
      }
      const trimmed = attach(event, grade, fields['userInfo'], undefined);
      return accepted(event, null, trimmed);
    }
  }
}

/**
 * One entry of a join reply's `history` (api-facts §2.7 "History"): `logType` `message`,
 * `messageType` null or `notice`, `date` spaced and in Korean time.
 */
export function normalizeHistoryEntry(entry: unknown, context: PushContext): Normalized {
  const fields = readBody(entry);
  if (fields === null) return { ok: false, reason: 'history entry is not an object' };
  const logType = text(fields['logType']) ?? 'message';
  if (logType !== 'message') return { ok: false, reason: `history of type ${logType}` };
  const messageType = text(fields['messageType']);
  const kind: ChatEventKind =
    messageType === 'notice' ? 'notice' : messageType === 'whisper' ? 'dm' : 'message';
  return message(kind, fields, context, null);
}

/** The id for the `ordinal`-th message with this dedup key (1 for the first). */
export function messageIdFor(dedupKey: string, ordinal: number): string {
  const digest = createHash('sha1').update(dedupKey).digest('hex').slice(0, 20);
  return ordinal <= 1 ? `vc-${digest}` : `vc-${digest}-${ordinal}`;
}

/**
 * `userInfo` in any of its three shapes, as an object; undefined when absent or unreadable.
 * Map text is read flat (`{a=b, c=d}`): values stay strings, as nothing says what they were.
 */
export function parseUserInfo(value: unknown): Record<string, unknown> | undefined {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    return value as Record<string, unknown>;
  }
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  if (trimmed === '' || trimmed === 'null' || trimmed === '{}') return undefined;
  try {
    const parsed = JSON.parse(trimmed) as unknown;
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
      return parsed as Record<string, unknown>;
    }
    return undefined;
  } catch {
    // Not JSON: perhaps Java's Map.toString().
  }
  const map = /^\{(.*)\}$/s.exec(trimmed);
  if (map === null) return undefined;
  const result: Record<string, unknown> = {};
  for (const pair of (map[1] ?? '').split(/,\s*/)) {
    const equals = pair.indexOf('=');
    if (equals <= 0) return undefined;
    result[pair.slice(0, equals).trim()] = pair.slice(equals + 1).trim();
  }
  return result;
}

/** A count as a number, whether it came as a number or a string; undefined otherwise. */
export function readCount(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) return Number(value);
  return undefined;
}

function message(
  kind: ChatEventKind,
  fields: Record<string, unknown>,
  context: PushContext,
  target: string | null,
): Normalized {
  const user = readUser(fields);
  if (user === null) return { ok: false, reason: 'no sender' };
  const body = fields['message'];
  if (typeof body !== 'string') return { ok: false, reason: 'message is not text' };
  const event = base(kind, user, body, fields, context);
  const grade = text(fields['grade']);
  // REST notices and custom messages come from the service itself (grade `admin`): they were
  // sent with this account's API key, so they are the moderator's own.
  const fromModerator = user.id === context.moderatorClientKey || grade === 'admin';
  if (fromModerator) event.fromModerator = true;
  if (kind === 'dm') {
    const receiver = target ?? text(fields['receivedClientKey']) ?? null;
    if (receiver !== null) {
      event.receivers = [receiver];
      if (receiver === context.moderatorClientKey && !fromModerator) event.toModerator = true;
    }
  }
  const mimeType = text(fields['mimeType']);
  const trimmed = attach(
    event,
    grade,
    fields['userInfo'],
    mimeType === 'text' ? undefined : mimeType,
  );
  if (kind !== 'message' && kind !== 'notice') return accepted(event, null, trimmed);
  const second = Math.floor(event.createdAt / 1000);
  const dedupKey = [kind, user.id, second, body].join('\u0000');
  const id = messageIdFor(dedupKey, 1);
  return accepted({ ...event, id, messageId: id }, dedupKey, trimmed);
}

function presence(
  kind: 'join' | 'leave',
  fields: Record<string, unknown>,
  context: PushContext,
): Normalized {
  const user = readUser(fields);
  if (user === null) return { ok: false, reason: 'no user' };
  const event = base(kind, user, '', fields, context);
  if (user.id === context.moderatorClientKey) event.fromModerator = true;
  const total = readCount(fields['joinCount']);
  const participants = readCount(fields['currentUserCount']);
  if (total !== undefined || participants !== undefined) {
    event.counts = {
      ...(total === undefined ? {} : { total }),
      ...(participants === undefined ? {} : { participants }),
    };
  }
  const trimmed = attach(event, text(fields['grade']), fields['userInfo'], undefined);
  return accepted(event, null, trimmed);
}

function base(
  kind: ChatEventKind,
  user: { id: string; name: string } | null,
  body: string,
  fields: Record<string, unknown>,
  context: PushContext,
): ChatEvent {
  const createdAt = toEpochMs(fields['messageDt'] ?? fields['date']) ?? context.now;
  return {
    roomKey: context.roomKey,
    id: `vc-local-${(localSequence += 1)}`,
    messageId: null,
    kind,
    user,
    text: body,
    createdAt,
    receivedAt: context.now,
    state: 'visible',
    flags: NO_FLAGS,
  };
}

/** Who: `clientKey` and `nickName`; the leave example carries only `nickName` (§2.7). */
function readUser(fields: Record<string, unknown>): { id: string; name: string } | null {
  const clientKey = text(fields['clientKey']);
  const nickName = text(fields['nickName']);
  const id = clientKey ?? nickName;
  if (id === undefined) return null;
  return { id, name: nickName ?? id };
}

/**
 * Puts what the service passed on beside the text on the event as its `data`: `grade`, the
 * sender's `userInfo` (any guest chooses it, and the service passes it on) and `mimeType`, each
 * within `boundJson`'s limits. Only they are copied, not the object that holds them. True when
 * something was cut.
 */
function attach(
  event: ChatEvent,
  grade: string | undefined,
  userInfo: unknown,
  mimeType: string | undefined,
): boolean {
  const info = parseUserInfo(userInfo);
  if (grade === undefined && info === undefined && mimeType === undefined) return false;
  const data: Record<string, unknown> = {};
  let trimmed = false;
  if (grade !== undefined) {
    const kept = boundText(grade);
    data['grade'] = kept;
    trimmed = kept !== grade;
  }
  if (info !== undefined) {
    const bounded = boundJson(info);
    data['userInfo'] = bounded.value;
    trimmed ||= bounded.trimmed;
  }
  if (mimeType !== undefined) {
    const kept = boundText(mimeType);
    data['mimeType'] = kept;
    trimmed ||= kept !== mimeType;
  }
  event.data = data;
  return trimmed;
}

/** An event read, marked when `attach` cut its data. */
function accepted(event: ChatEvent, dedupKey: string | null, trimmed: boolean): Normalized {
  return trimmed ? { ok: true, event, dedupKey, trimmed: true } : { ok: true, event, dedupKey };
}

/** The body as an object: JSON text is read, and `{ returncode, data }` is unwrapped. */
function readBody(body: unknown): Record<string, unknown> | null {
  let value = body;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value) as unknown;
    } catch {
      return null;
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const record = value as Record<string, unknown>;
  if (record['returncode'] !== undefined) {
    const data = record['data'];
    return typeof data === 'object' && data !== null && !Array.isArray(data)
      ? (data as Record<string, unknown>)
      : null;
  }
  return record;
}

function text(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return typeof value === 'string' && value !== '' ? value : undefined;
}
