/**
 * The chat model shared by main and the renderer: rooms, one event shape for both providers,
 * feed batches, connection status and what each provider lets a moderator do.
 */
import { z } from 'zod';
import { ReasonData } from './automod/reasons';
import { AccountId, ProviderId } from './model';

/** `accountId/roomId`: a room is only unique within its account. */
export const RoomKey = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}\/[A-Za-z0-9_.:-]{1,128}$/, 'a room key is "accountId/roomId"');
export type RoomKey = z.infer<typeof RoomKey>;

/** A provider's room id: a FlipFlop video-room id or a VChatCloud room id. */
export const RoomId = z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'not a room id');

export function roomKeyOf(accountId: string, roomId: string): RoomKey {
  return `${accountId}/${roomId}`;
}

export function parseRoomKey(roomKey: RoomKey): { accountId: string; roomId: string } {
  const slash = roomKey.indexOf('/');
  return { accountId: roomKey.slice(0, slash), roomId: roomKey.slice(slash + 1) };
}

/** A provider message id. FlipFlop's are 19-digit numbers: always strings, never numbers. */
export const MessageId = z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'not a message id');

export const MessageState = z.enum(['visible', 'hidden', 'deleted']);
export type MessageState = z.infer<typeof MessageState>;

/**
 * - `message`: ordinary chat; `dm`: a direct message (FlipFlop DM, VChatCloud whisper);
 * - `admin`: an admin broadcast or announcement; `command`: a provider COMMAND (custom) message;
 * - `notice` / `custom`: VChatCloud notice and custom messages;
 * - `join` / `leave`: presence; `system`: anything else the provider sends;
 * - `gap`: the feed was disconnected between `gap.from` and `gap.to`; messages may be missing.
 */
export const ChatEventKind = z.enum([
  'message',
  'dm',
  'admin',
  'command',
  'notice',
  'custom',
  'join',
  'leave',
  'system',
  'gap',
]);
export type ChatEventKind = z.infer<typeof ChatEventKind>;

/** The kinds whose text the word filter reads, live and in a backtest: what people write. */
export const WORD_FILTERED_KINDS: ReadonlySet<ChatEventKind> = new Set<ChatEventKind>([
  'message',
  'dm',
  'admin',
  'command',
  'notice',
  'custom',
]);

/**
 * Why an event is flagged. A word-filter hit has a span: UTF-16 offsets into `text`, end
 * exclusive. An automod verdict (`shared/automod`) judges behaviour, not words: it has no span,
 * and says why in `reason` ("same message 4 times in 20 s") with its rule's severity.
 */
export const FlagSpan = z.object({
  ruleId: z.string(),
  start: z.number().int().min(0).optional(),
  end: z.number().int().min(0).optional(),
  /** An automod verdict's reason, in a moderator's words (English). */
  reason: z.string().max(500).optional(),
  /**
   * The same reason as values, which the window says in the moderator's language. Flags stored by
   * earlier versions have only `reason`.
   */
  why: ReasonData.optional(),
  /** An automod rule's severity; a word rule's is in the rule. */
  severity: z.enum(['low', 'medium', 'high']).optional(),
});
export type FlagSpan = z.infer<typeof FlagSpan>;

/**
 * A message a `hold` rule hid the moment it came, to be reviewed in the Held queue: approved (shown
 * again) or denied (deleted). Until the provider confirms the hide its state is still `visible`.
 */
export const Held = z.object({
  ruleId: z.string(),
  /** The rule's reason in a moderator's words, or its pattern for a word rule. */
  reason: z.string().max(500),
  /** The same reason as values, as `FlagSpan.why`; holds stored by earlier versions have none. */
  why: ReasonData.optional(),
  /** When it was held (epoch ms). */
  at: z.number(),
  /** The service's error code when the hide failed: the message is still visible. */
  failed: z.string().max(200).optional(),
});
export type Held = z.infer<typeof Held>;

/** The rule id of what shield mode holds (`Held.ruleId`). */
export const SHIELD_RULE_ID = 'shield';

/** Whether a flag came from automod (a reason, no span) rather than a word rule. */
export function isAutomodFlag(flag: FlagSpan): flag is FlagSpan & { reason: string } {
  return flag.reason !== undefined;
}

export const ChatUser = z.object({
  id: z.string(),
  name: z.string(),
  avatar: z.string().optional(),
});
export type ChatUser = z.infer<typeof ChatUser>;

export const ChatEvent = z.object({
  roomKey: RoomKey,
  /** Unique within the room: the provider's message id, or one made up for events without. */
  id: z.string(),
  /** The provider's message id; actions need it, so events without one cannot be acted on. */
  messageId: z.string().nullable(),
  kind: ChatEventKind,
  user: ChatUser.nullable(),
  text: z.string(),
  /** When the provider says it was sent (epoch ms). */
  createdAt: z.number(),
  /** When the main process received it (epoch ms). */
  receivedAt: z.number(),
  state: MessageState,
  /**
   * Word-filter hits on `text` and automod verdicts; empty when clean. Flagged events are never
   * evicted.
   */
  flags: z.array(FlagSpan),
  customType: z.string().optional(),
  data: z.unknown().optional(),
  /** Receivers of a DM or a targeted broadcast. */
  receivers: z.array(z.string()).optional(),
  /** A direct message addressed to this account's moderator. */
  toModerator: z.boolean().optional(),
  /** Sent by this account's moderator (a broadcast or DM from ModDeck). */
  fromModerator: z.boolean().optional(),
  /**
   * The moderator dealt with this flagged event or DM: acted on it (hide, unhide, delete, or a
   * mute or exile of its author) or marked it as looking fine. It then leaves the Flagged queue.
   */
  handled: z.boolean().optional(),
  /**
   * The user's first chat message in this room that the message history has seen (main decides,
   * only with a history). `marked` shows a mark; `raised` also puts it in the Flagged queue and
   * notifies, as the settings asked when it arrived (`history.firstChatters`).
   */
  first: z.enum(['marked', 'raised']).optional(),
  /** Held for review by a `hold` rule (see `Held`); it waits in the Held queue until handled. */
  held: Held.optional(),
  counts: z
    .object({ total: z.number().optional(), participants: z.number().optional() })
    .optional(),
  /**
   * `reason` is absent for a dropped connection; `appClosed` and `roomClosed` mark where a room's
   * stored history ends and its live feed begins (ModDeck, or only the room, was closed between).
   */
  gap: z
    .object({
      from: z.number(),
      to: z.number(),
      reason: z.enum(['appClosed', 'roomClosed']).optional(),
    })
    .optional(),
});
export type ChatEvent = z.infer<typeof ChatEvent>;

/**
 * Flagged events and DMs to the moderator are pinned: scrollback does not push them out. Past this
 * many in a room, the oldest already handled (`isHandled`) are let go first, then the oldest.
 * Main's buffers and the renderer's feeds keep the same bound.
 */
export const PINNED_PER_ROOM = 10_000;

/**
 * Whether an event is pinned (see {@link PINNED_PER_ROOM}): flagged, a DM to the moderator, a
 * first-time chatter's message raised to the Flagged queue, or held (shield mode holds a new
 * chatter's message that no rule flagged, and it waits for review however much chat follows).
 */
export function isPinned(
  event: Pick<ChatEvent, 'flags' | 'toModerator' | 'first' | 'held'>,
): boolean {
  return (
    event.flags.length > 0 ||
    event.toModerator === true ||
    event.first === 'raised' ||
    event.held !== undefined
  );
}

/**
 * The kinds that make a user a room's chatter (the first-time mark, `is:first`): chat messages
 * only. A join comes before a user's first message and is not what a moderator means; a DM is
 * addressed to someone, not said in the room.
 */
export const FIRST_KINDS: readonly ChatEventKind[] = ['message'];

/**
 * A change to an event already sent, keyed by room and id: a hide, unhide or delete, or flags a
 * rule gave it later.
 */
export const EventUpdate = z.object({
  roomKey: RoomKey,
  id: z.string(),
  state: MessageState,
  /** Set when the change also handled the event (see `ChatEvent.handled`). */
  handled: z.literal(true).optional(),
  /**
   * Every flag the event has now, when a rule flagged it after it was sent (automod recognising a
   * raid from its fifth copy flags the first four); `state` is then the event's current one.
   */
  flags: z.array(FlagSpan).optional(),
  /** With `flags`: a `hold` rule that flagged it later holds it too. */
  held: Held.optional(),
});
export type EventUpdate = z.infer<typeof EventUpdate>;

/** An event's id within its room, as a request names it. */
export const EventId = z.string().min(1).max(256);

/**
 * Whether the moderator has dealt with an event: marked it handled, or it is no longer visible
 * (hidden or deleted, by them or anyone else).
 */
export function isHandled(event: Pick<ChatEvent, 'handled' | 'state'>): boolean {
  return event.handled === true || event.state !== 'visible';
}

/**
 * Whether an event waits in the Held queue: held by a rule, and neither reviewed (approved or
 * denied: both handle it) nor deleted by anyone. Hidden by the hold, it has left the Flagged queue.
 */
export function isHeld(event: Pick<ChatEvent, 'held' | 'handled' | 'state'>): boolean {
  return event.held !== undefined && event.handled !== true && event.state !== 'deleted';
}

export const RoomStats = z.object({
  roomKey: RoomKey,
  /** Messages per second over the last 10 s. */
  rate: z.number().min(0),
  participants: z.number().int().min(0).optional(),
  /**
   * Frames of the room that could not be read, or events that could not be sent to the window
   * (both dropped), since it was opened.
   */
  unreadable: z.number().int().min(0).optional(),
  /** Events shown with part of what they carried cut to size, since the room was opened. */
  trimmed: z.number().int().min(0).optional(),
});
export type RoomStats = z.infer<typeof RoomStats>;

/** One `feed.batch`: sent at most every 50 ms or every 500 events, whichever comes first. */
export const FeedBatch = z.object({
  events: z.array(ChatEvent),
  updates: z.array(EventUpdate),
  stats: z.array(RoomStats),
});
export type FeedBatch = z.infer<typeof FeedBatch>;

export const ErrorShape = z.object({ code: z.string(), message: z.string() });

export const ConnectionState = z.enum(['connecting', 'live', 'reconnecting', 'offline']);
export type ConnectionState = z.infer<typeof ConnectionState>;

export const RoomStatus = z.object({
  roomKey: RoomKey,
  state: ConnectionState,
  /** Why it is not live, in words. */
  error: ErrorShape.optional(),
  /** When the next reconnect attempt is due (epoch ms), while reconnecting. */
  retryAt: z.number().optional(),
});
export type RoomStatus = z.infer<typeof RoomStatus>;

/** What a room's provider lets the moderator do; the UI never offers anything else. */
export const Capabilities = z.object({
  hide: z.boolean(),
  unhide: z.boolean(),
  delete: z.boolean(),
  broadcast: z.boolean(),
  directMessage: z.boolean(),
  members: z.boolean(),
  chatRoomAdmin: z.boolean(),
  bannedWords: z.boolean(),
  mute: z.boolean(),
  exile: z.boolean(),
  notice: z.boolean(),
  customMessage: z.boolean(),
  roomAdmin: z.boolean(),
});
export type Capabilities = z.infer<typeof Capabilities>;

export const CAPABILITIES: Record<ProviderId, Capabilities> = {
  flipflop: {
    hide: true,
    unhide: true,
    delete: true,
    broadcast: true,
    directMessage: true,
    members: true,
    chatRoomAdmin: true,
    bannedWords: true,
    mute: false,
    exile: false,
    notice: false,
    customMessage: false,
    roomAdmin: false,
  },
  // VChatCloud has no message-level moderation at all (api-facts §2.9).
  vchatcloud: {
    hide: false,
    unhide: false,
    delete: false,
    broadcast: true,
    directMessage: true,
    members: true,
    chatRoomAdmin: false,
    bannedWords: false,
    mute: true,
    exile: true,
    notice: true,
    customMessage: true,
    roomAdmin: true,
  },
};

/** A room as the room picker lists it. */
export const RoomSummary = z.object({
  accountId: AccountId,
  roomId: RoomId,
  provider: ProviderId,
  name: z.string(),
  /** Whether the room's chat exists and is open (FlipFlop chat rooms are created separately). */
  chat: z.enum(['open', 'closed', 'none']),
  /** The provider's own state word (`LIVE`, `SCHEDULED`, `active`, ...), shown as is. */
  state: z.string().optional(),
  participants: z.number().int().min(0).optional(),
});
export type RoomSummary = z.infer<typeof RoomSummary>;

/** A room opened as a column. */
export const OpenRoom = z.object({
  roomKey: RoomKey,
  accountId: AccountId,
  roomId: RoomId,
  provider: ProviderId,
  name: z.string(),
  capabilities: Capabilities,
  status: RoomStatus,
  /** The moderator's own user id in this room's chat, to mark their own messages. */
  moderatorUserId: z.string().nullable(),
});
export type OpenRoom = z.infer<typeof OpenRoom>;

export const Member = z.object({
  id: z.string(),
  name: z.string(),
  avatar: z.string().optional(),
  joinedAt: z.number().optional(),
});
export type Member = z.infer<typeof Member>;

export const ChatRoomInfo = z.object({
  roomId: RoomId,
  channelKey: z.string(),
  closed: z.boolean(),
  messageCount: z.number(),
  memberCount: z.number(),
  createdAt: z.number(),
});
export type ChatRoomInfo = z.infer<typeof ChatRoomInfo>;

/** Sent as JSON: a value JSON cannot carry (a BigInt, a Map, a cycle) is refused, not lost. */
const Data = z.record(
  z.string().max(200),
  z.json({ error: 'must be plain JSON (text, numbers, true or false, null, lists and objects)' }),
);
const UserIds = z.array(z.string().min(1).max(200)).max(1000);

export const BroadcastRequest = z.object({
  roomKeys: z.array(RoomKey).min(1).max(50),
  messageType: z.enum(['MESSAGE', 'COMMAND']),
  customType: z.string().max(100).optional(),
  message: z.string().max(5000).optional(),
  data: Data.optional(),
  /** Receivers within each room; everyone when absent. */
  appUserIds: UserIds.optional(),
});
export type BroadcastRequest = z.infer<typeof BroadcastRequest>;

export const BroadcastResult = z.object({
  results: z.array(
    z.discriminatedUnion('ok', [
      z.object({ roomKey: RoomKey, ok: z.literal(true), messageId: z.string() }),
      z.object({ roomKey: RoomKey, ok: z.literal(false), error: ErrorShape }),
    ]),
  ),
});
export type BroadcastResult = z.infer<typeof BroadcastResult>;

export const DirectRequest = z.object({
  roomKey: RoomKey,
  messageType: z.enum(['DM', 'COMMAND']),
  customType: z.string().max(100).optional(),
  message: z.string().max(5000).optional(),
  data: Data.optional(),
  appUserIds: UserIds.min(1, 'name at least one receiver'),
});
export type DirectRequest = z.infer<typeof DirectRequest>;

/**
 * A direct message sent: `undelivered` names the receivers it did not reach, each with why, when
 * it reached some of them (a VChatCloud whisper goes to each receiver on its own). One that
 * reached nobody is an error instead.
 */
export const DirectResult = z.object({
  messageId: z.string(),
  undelivered: z
    .array(z.object({ userId: z.string().min(1).max(200), error: ErrorShape }))
    .max(1000)
    .optional(),
});
export type DirectResult = z.infer<typeof DirectResult>;

// ---------------------------------------------------------------------------------------------
// Users and rooms as VChatCloud manages them (capabilities `mute`, `exile`, `customMessage`,
// `roomAdmin`); field names follow its chat-room OpenAPI (seeds/002_…).

/** A provider's user id in a room: a VChatCloud clientKey. */
export const UserId = z.string().min(1).max(200);

export const UserAction = z.enum(['mute', 'unmute', 'exile', 'unexile']);
export type UserAction = z.infer<typeof UserAction>;

/** Who is muted and who is exiled in a room, by user id. */
export const UserRestrictions = z.object({
  muted: z.array(z.string()),
  exiled: z.array(z.string()),
});
export type UserRestrictions = z.infer<typeof UserRestrictions>;

/**
 * The latest `sendDate`: the last day of the year 9999 (UTC). Dates are written as ISO text in the
 * audit log and as `yyyyMMddHHmmss` in Korean time for the service, which a later year (or one past
 * what `Date` holds, ±8.64e15 ms) cannot be.
 */
export const LATEST_SEND_DATE_MS = Date.UTC(9999, 11, 31);

/** A custom message (VChatCloud), now or at `sendDate` (epoch ms). */
export const CustomMessageRequest = z.object({
  roomKey: RoomKey,
  /** Usually a JSON string the room's own clients understand. */
  message: z.string().min(1).max(5000),
  sendDate: z
    .number()
    .int()
    .min(0)
    .max(LATEST_SEND_DATE_MS, 'must be a date no later than the year 9999')
    .optional(),
});
export type CustomMessageRequest = z.infer<typeof CustomMessageRequest>;

/**
 * "Within 50 characters": counted in characters, not UTF-16 code units. Anything over 1,000 units
 * is refused before it is trimmed and counted, which would take main's thread a second for a name
 * of millions.
 */
const RoomName = z
  .string()
  .max(1000, { abort: true })
  .trim()
  .min(1)
  .refine((value) => [...value].length <= 50, 'must be at most 50 characters');

/** What creating a room takes (seed "create chat room"); `webrtc` is the note page's option. */
export const AdminRoomSettings = z.object({
  roomName: RoomName,
  maxUser: z.number().int().min(1).max(100_000),
  /** 01 normal, 02 video, 03 metaverse. */
  roomType: z.enum(['01', '02', '03']),
  /** webRTC available. */
  rtcStat: z.enum(['Y', 'N']),
  /** Google translation available. */
  gTransStat: z.enum(['Y', 'N']),
  gApiKey: z.string().max(200).optional(),
  resolution: z.enum(['243', '360', '480', '720']).optional(),
  /** Metaverse template: 01 room, 02 office 1, 03 office 2, 04 seminar. */
  template: z.enum(['01', '02', '03', '04']).optional(),
  /** 9 bits (share, video, audio) as a decimal; set by the service from `rtcStat` when absent. */
  webrtc: z.number().int().min(0).max(511).optional(),
});
export type AdminRoomSettings = z.infer<typeof AdminRoomSettings>;

/** What modifying a room takes: every setting again, and optionally a new status. */
export const AdminRoomChanges = AdminRoomSettings.extend({
  /** `ended` ends the room now; it cannot be resumed. */
  roomStatus: z.enum(['active', 'pending', 'ended']).optional(),
});
export type AdminRoomChanges = z.infer<typeof AdminRoomChanges>;

/** A room's details (seed "getRoomInfo"), numbers and dates read, the Google key withheld. */
export const AdminRoom = z.object({
  roomId: RoomId,
  roomName: z.string(),
  maxUser: z.number(),
  roomType: z.string(),
  /** `active` or `pending` as the service says it (the room may still have ended: `endDt`). */
  roomStatus: z.string(),
  /** Whether people may chat now: active, started and not ended. */
  open: z.boolean(),
  webrtcStat: z.string(),
  webrtc: z.number().nullable(),
  resolution: z.string().nullable(),
  gTransStat: z.string(),
  /** The room has a Google API key (never sent to the window). */
  hasGApiKey: z.boolean(),
  template: z.string().nullable(),
  isPossibleDup: z.boolean(),
  /** Epoch ms. */
  startDt: z.number().nullable(),
  endDt: z.number().nullable(),
  messageCount: z.number(),
  joinCount: z.number(),
  currentUserCount: z.number().optional(),
});
export type AdminRoom = z.infer<typeof AdminRoom>;
