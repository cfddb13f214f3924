/**
 * The IPC contract: every request channel with the zod schema of its input and output, and every
 * event main pushes to the window with the schema of its payload. The preload, `src/main/ipc.ts`
 * and the browser test host are generic over this table; adding a channel is one entry here,
 * one name in `channels.ts` and one handler in `src/main/core.ts`.
 */
import { z } from 'zod';
import { AutomodConfigError, parseAutomodConfig, type AutomodRule } from './automod/config';
import { ReasonData } from './automod/reasons';
import type { EventName, RequestChannel } from './channels';
import {
  AdminRoom,
  AdminRoomChanges,
  AdminRoomSettings,
  BroadcastRequest,
  BroadcastResult,
  ChatEvent,
  ChatRoomInfo,
  CustomMessageRequest,
  DirectRequest,
  DirectResult,
  ErrorShape,
  EventId,
  FeedBatch,
  Member,
  MessageId,
  MessageState,
  OpenRoom,
  RoomId,
  RoomKey,
  RoomStatus,
  RoomSummary,
  UserAction,
  UserId,
  UserRestrictions,
} from './chat';
import {
  Account,
  AccountDraft,
  AccountId,
  ReasonText,
  SecretStoreStatus,
  Settings,
  SettingsPatch,
  ShieldState,
} from './model';
import { MAX_QUERY_LENGTH } from './search/query';
import { AppWarning } from './warnings';

export { REQUEST_CHANNELS, EVENT_NAMES, isRequestChannel, isEventName } from './channels';
export type { RequestChannel, EventName } from './channels';

const None = z.undefined();

export const AppInfo = z.object({
  name: z.string(),
  version: z.string(),
  platform: z.string(),
  secretStore: SecretStoreStatus,
  /** Problems the moderator should know about, as they stand now (see `app.warnings`). */
  warnings: z.array(AppWarning),
});
export type AppInfo = z.infer<typeof AppInfo>;

const AccountRef = z.object({ accountId: AccountId });

export const ConnectionTest = z.object({
  ok: z.boolean(),
  /** What happened, in words: "Connected: 5 rooms", or why it could not (the provider's error). */
  message: z.string(),
  /** The rooms the account lists, when it connected (for the renderer's own wording). */
  roomCount: z.number().int().min(0).optional(),
  /** The error code, when it did not. */
  code: z.string().optional(),
});
export type ConnectionTest = z.infer<typeof ConnectionTest>;
const RoomRef = z.object({ accountId: AccountId, roomId: RoomId });
const MessageRef = z.object({ roomKey: RoomKey, messageId: MessageId });
/** An event by its id within the room (`ChatEvent.id`): DMs without a message id have one too. */
const EventRef = z.object({ roomKey: RoomKey, id: EventId });
const MessageResult = z.object({
  roomKey: RoomKey,
  messageId: MessageId,
  state: MessageState,
  /** The message had been deleted by someone else first: it is gone, and that is no failure. */
  gone: z.literal(true).optional(),
});
const Words = z.object({
  accountId: AccountId,
  words: z.array(z.string().trim().min(1).max(100)).min(1).max(1000),
});

const UserRef = z.object({ roomKey: RoomKey, userId: UserId });
const UserResult = z.object({ roomKey: RoomKey, userId: UserId, action: UserAction });

/** Hide, delete, mute and exile take an optional reason with the action itself. */
const MessageRefWithReason = MessageRef.extend({ reason: ReasonText.optional() });
const UserRefWithReason = UserRef.extend({ reason: ReasonText.optional() });
/** The actions a reason can be given to afterwards. */
export const ReasonAction = z.enum(['hide', 'delete', 'mute', 'exile']);
export type ReasonAction = z.infer<typeof ReasonAction>;
/**
 * A reason for an action already taken: it goes to the most recent matching one (the message's
 * hide or delete, the user's mute or exile, in that room).
 */
export const ReasonRequest = z
  .object({
    roomKey: RoomKey,
    messageId: MessageId.optional(),
    userId: UserId.optional(),
    action: ReasonAction,
    reason: ReasonText,
  })
  .strict()
  .superRefine((request, context) => {
    const onMessage = request.action === 'hide' || request.action === 'delete';
    const needed = onMessage ? 'messageId' : 'userId';
    if (request[needed] === undefined)
      context.addIssue({ code: 'custom', path: [needed], message: `${request.action} needs it` });
  });
export type ReasonRequest = z.infer<typeof ReasonRequest>;

/** The most messages one `messages.bulk` request names. */
export const MAX_BULK_ITEMS = 1000;

/** Names one bulk run in its live results; the window may pick it, so it knows them as they come. */
export const BulkId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'a bulk id is 1 to 64 letters, digits, "_" or "-"');

export const BulkAction = z.enum(['hide', 'unhide', 'delete']);
export type BulkAction = z.infer<typeof BulkAction>;

/**
 * One action on many messages (clearing a raid or a hold queue). Each message named twice is
 * acted on once. A reason goes with hide and delete, as with the single actions.
 */
export const BulkRequest = z
  .object({
    action: BulkAction,
    items: z
      .array(MessageRef)
      .min(1, 'name at least one message')
      .max(MAX_BULK_ITEMS, `name at most ${MAX_BULK_ITEMS.toLocaleString('en')} messages at once`),
    reason: ReasonText.optional(),
    bulkId: BulkId.optional(),
  })
  .strict()
  .superRefine((request, context) => {
    if (request.action === 'unhide' && request.reason !== undefined)
      context.addIssue({ code: 'custom', path: ['reason'], message: 'unhide takes no reason' });
  });
export type BulkRequest = z.infer<typeof BulkRequest>;

/**
 * What a bulk action did to one message: `done`; `gone` — the service no longer has it
 * (`CHAT_ROOM_MESSAGE_NOT_FOUND`: already deleted); `failed`, with the error; `unknown` — the
 * service may have done it without answering (`OUTCOME_UNKNOWN`; trying again is safe).
 */
export const BulkOutcome = z.enum(['done', 'gone', 'failed', 'unknown']);
export type BulkOutcome = z.infer<typeof BulkOutcome>;

export const BulkItemResult = z.object({
  bulkId: BulkId,
  roomKey: RoomKey,
  messageId: MessageId,
  outcome: BulkOutcome,
  /**
   * The message is as the action wanted: done, or gone after a hide or a delete (it shows nowhere).
   * A gone message cannot be shown again, so an unhide of one is not ok.
   */
  ok: z.boolean(),
  /** Its state now, where known: the action's, or `deleted` when gone. */
  state: MessageState.optional(),
  /** Why, when failed or unknown. */
  error: ErrorShape.optional(),
});
export type BulkItemResult = z.infer<typeof BulkItemResult>;

export const BulkResult = z.object({
  bulkId: BulkId,
  action: BulkAction,
  /** One per message, in the order the request named them (duplicates once). */
  results: z.array(BulkItemResult),
});
export type BulkResult = z.infer<typeof BulkResult>;

interface ChannelSpec {
  input: z.ZodType;
  output: z.ZodType;
}

/** The message history's file: bytes on disk (with its write-ahead log), pages in use, rows. */
const HistorySize = z.object({
  bytes: z.number().int().min(0),
  usedBytes: z.number().int().min(0),
  events: z.number().int().min(0),
  actions: z.number().int().min(0),
});

/** A stored message's state: the live feed's, or waiting in a hold queue. */
const StoredState = z.enum(['visible', 'hidden', 'deleted', 'held']);

/** A message the history holds, as search finds it: the chat event with its place and history. */
export const FoundMessage = ChatEvent.extend({
  state: StoredState,
  /** Its place in the store: results come newest first by it. */
  seq: z.number().int().min(0),
  /** Every change of state, oldest first, as `[state, epoch ms]`. */
  stateChanges: z.array(z.tuple([StoredState, z.number()])),
  /** The room's name when the store last heard it; null when it never did. */
  roomName: z.string().nullable(),
});
export type FoundMessage = z.infer<typeof FoundMessage>;

/** A page's cursor, as the previous page gave it: opaque to the renderer. */
const HistoryCursor = z.string().regex(/^[0-9]{1,15}$/, 'a cursor is the nextCursor of a page');

/** A user as the history knows them: ids are unique within an account. */
const UserOfAccount = z.object({ accountId: AccountId, userId: UserId });

/** A moderator's note on a user, kept on this machine only. */
export const UserNote = z.object({
  id: z.number().int().positive(),
  accountId: AccountId,
  userId: UserId,
  text: z.string(),
  createdAt: z.number(),
  editedAt: z.number().nullable(),
});
export type UserNote = z.infer<typeof UserNote>;

/** A note's text: trimmed, 1 to 2,000 characters. */
const NoteText = z.string().trim().min(1, 'a note cannot be empty').max(2000);
const NoteId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

const Count = z.number().int().min(0);

/** How many of this app's latest actions on a user their card lists. */
export const USER_ACTIONS_SHOWN = 20;

/** What the history knows of a user, for their card. */
export const UserHistory = z.object({
  /** When the history first and last saw them (any event of theirs, a join too); null: never. */
  firstSeen: z.number().nullable(),
  lastSeen: z.number().nullable(),
  /** The name they last had. */
  name: z.string().nullable(),
  /** What they wrote (no joins, leaves or empty entries), and how much of it is in each state. */
  messages: Count,
  flagged: Count,
  hidden: Count,
  deleted: Count,
  /** Where they were seen, the latest first. */
  rooms: z.array(
    z.object({
      roomKey: RoomKey,
      name: z.string().nullable(),
      messages: Count,
      lastSeen: z.number(),
    }),
  ),
  /** This app's successful mutes and exiles of them. */
  mutes: Count,
  exiles: Count,
  /** This app's latest actions on them (at most `USER_ACTIONS_SHOWN`), newest first. */
  actions: z.array(
    z.object({
      at: z.number(),
      /** As the audit log names it: `hide`, `delete`, `users.mute`, `users.exile`… */
      action: z.string(),
      roomKey: RoomKey.nullable(),
      /** `ok`, `unknown`, or the error code. */
      result: z.string(),
      /** Why, in the moderator's words, when they gave one; a rule's words for an automatic one. */
      reason: z.string().optional(),
      /** An automatic action's reason as values, which the window says in its language. */
      why: ReasonData.optional(),
    }),
  ),
  /** Oldest first. */
  notes: z.array(UserNote),
});
export type UserHistory = z.infer<typeof UserHistory>;

/** How far back a detector backtest over the history reads: by default, and at most. */
export const STORED_BACKTEST_HOURS = 24;
export const STORED_BACKTEST_MAX_HOURS = 7 * 24;
/** The most recent messages of that window it replays at most (by default too). */
export const STORED_BACKTEST_MAX_MESSAGES = 200_000;
/** Flagged messages it lists at most: the latest; it counts them all. */
export const STORED_BACKTEST_HITS = 300;

/**
 * One automod detector rule, checked and filled in by automod's own configuration parser: its
 * sentences name each problem ("rule: (flood) params.messages: …").
 */
const DetectorRuleInput = z.unknown().transform((input, context): AutomodRule => {
  try {
    const [rule] = parseAutomodConfig({ rules: [input] }).rules;
    if (rule) return rule;
    context.addIssue({ code: 'custom', message: 'a detector rule is needed' });
  } catch (error) {
    if (!(error instanceof AutomodConfigError)) throw error;
    for (const problem of error.problems) {
      // "rules[0] (x).kind: …" names the one rule given: "(x) kind: …".
      const message = problem.replace(/^rules\[0\]:?\s*/, '').replace(/^(\([^)]*\))\./, '$1 ');
      context.addIssue({ code: 'custom', message });
    }
  }
  return z.NEVER;
});

/** A stored message a detector backtest flags, with what opens it (room key, event id, `seq`). */
const StoredDetectorHit = z.object({
  seq: z.number().int().min(0),
  roomKey: RoomKey,
  roomName: z.string().nullable(),
  eventId: EventId,
  userId: z.string(),
  userName: z.string(),
  text: z.string(),
  /** Why, in a moderator's words. */
  reason: z.string(),
  /** Why, as values the window says in the moderator's language. */
  why: ReasonData.optional(),
  /** When it was received (epoch ms). */
  at: z.number(),
});
export type StoredDetectorHit = z.infer<typeof StoredDetectorHit>;

export const requests = {
  'app.info': { input: None, output: AppInfo },
  'accounts.list': { input: None, output: z.array(Account) },
  'accounts.save': { input: AccountDraft, output: Account },
  'accounts.remove': { input: z.object({ id: AccountId }), output: z.object({ id: AccountId }) },
  /**
   * Tries the account: its provider lists its rooms. The answer says in words what happened; a
   * failed connection is an answer (`ok: false`), not an error of the request.
   */
  'accounts.test': { input: AccountRef, output: ConnectionTest },
  /**
   * Tries an account as the form holds it, before it is saved: with the secret typed, or the saved
   * one when the draft is an edit that keeps its addresses. Answers like `accounts.test`.
   */
  'accounts.testDraft': { input: AccountDraft, output: ConnectionTest },
  'settings.get': { input: None, output: Settings },
  'settings.set': { input: SettingsPatch, output: Settings },
  'rooms.list': { input: AccountRef, output: z.array(RoomSummary) },
  /** Opens a room as a column (idempotent) and starts its live feed. */
  'rooms.open': { input: RoomRef, output: OpenRoom },
  'rooms.close': { input: z.object({ roomKey: RoomKey }), output: z.object({ roomKey: RoomKey }) },
  /** The room's buffered events, oldest first, for a renderer that (re)loads. */
  'feed.snapshot': {
    input: z.object({ roomKey: RoomKey }),
    output: z.object({ room: OpenRoom, events: z.array(ChatEvent) }),
  },
  'messages.hide': { input: MessageRefWithReason, output: MessageResult },
  'messages.unhide': { input: MessageRef, output: MessageResult },
  'messages.delete': { input: MessageRefWithReason, output: MessageResult },
  /**
   * Hides, unhides or deletes many messages, a few at a time per account; each message's result
   * goes to the window as it settles (`moderation.result`), and the answer lists them all. Each
   * message is audited and its room buffer updated as with the single action.
   */
  'messages.bulk': { input: BulkRequest, output: BulkResult },
  /**
   * Marks a flagged message or a DM to the moderator handled ("looks fine"): it leaves the Flagged
   * queue, in every view and after a reload of the window. Audited.
   */
  'flagged.markHandled': { input: EventRef, output: EventRef },
  /** One broadcast to several rooms; each room answers for itself. Never retried automatically. */
  'admin.broadcast': { input: BroadcastRequest, output: BroadcastResult },
  'admin.direct': { input: DirectRequest, output: DirectResult },
  'members.list': {
    input: z.object({
      roomKey: RoomKey,
      cursor: z.string().max(200).optional(),
      count: z.number().int().min(1).max(100).optional(),
    }),
    output: z.object({ members: z.array(Member), nextCursor: z.string().nullable() }),
  },
  'chatRoom.get': { input: RoomRef, output: ChatRoomInfo },
  'chatRoom.create': { input: RoomRef, output: ChatRoomInfo },
  'chatRoom.close': { input: RoomRef, output: ChatRoomInfo },
  /** The provider's app-wide banned words (FlipFlop). */
  'bannedWords.set': { input: Words, output: z.object({ words: z.array(z.string()) }) },
  'bannedWords.unset': { input: Words, output: z.object({ words: z.array(z.string()) }) },
  /** The audit log as a file for the renderer to save where the moderator picks. */
  'audit.export': {
    input: z.object({ format: z.enum(['csv', 'jsonl']) }),
    output: z.object({ filename: z.string(), mimeType: z.string(), content: z.string() }),
  },
  /**
   * Gives the most recent matching action a reason, after it was taken (a template picked by
   * number or from the toast). `found`: false when no such action was recorded.
   */
  'audit.reason': { input: ReasonRequest, output: z.object({ found: z.boolean() }) },
  /** The message history's size on disk and what it holds (for Settings). */
  'history.size': { input: None, output: HistorySize },
  /** Forgets every stored message and action; notes on users stay. Answers the size after. */
  'history.clear': { input: None, output: HistorySize },
  /**
   * Stored messages matching a query in the search language (`src/shared/search`), newest first,
   * one page. A malformed query is INVALID_INPUT with the parser's sentence. `stoppedEarly`: the
   * scan's budget ran out (a `regex:` over a long history); `nextCursor` goes on from there.
   */
  'history.search': {
    input: z.object({
      query: z.string().max(MAX_QUERY_LENGTH),
      roomKeys: z.array(RoomKey).max(50).optional(),
      cursor: HistoryCursor.optional(),
      limit: z.number().int().min(1).max(200).default(50),
    }),
    output: z.object({
      results: z.array(FoundMessage),
      nextCursor: HistoryCursor.nullable(),
      stoppedEarly: z.boolean(),
    }),
  },
  /**
   * A room's stored events just before and after one of them (its `seq`, as search found it),
   * oldest first, with that event itself: the history view of a result no longer buffered.
   */
  'history.around': {
    input: z.object({
      roomKey: RoomKey,
      seq: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
      before: z.number().int().min(0).max(100).optional(),
      after: z.number().int().min(0).max(100).optional(),
    }),
    output: z.object({ events: z.array(FoundMessage), roomName: z.string().nullable() }),
  },
  /**
   * One automod detector rule replayed over the stored chat: the chatters' messages and DMs of the
   * last `hours`, the most recent `maxMessages` of them at most, oldest first, through that rule
   * alone (enabled). Answers how many were replayed, how many it flags, and the latest
   * `STORED_BACKTEST_HITS` of those. Without a history: UNSUPPORTED.
   */
  'history.backtestDetector': {
    input: z.object({
      rule: DetectorRuleInput,
      hours: z.number().int().min(1).max(STORED_BACKTEST_MAX_HOURS).default(STORED_BACKTEST_HOURS),
      maxMessages: z
        .number()
        .int()
        .min(1)
        .max(STORED_BACKTEST_MAX_MESSAGES)
        .default(STORED_BACKTEST_MAX_MESSAGES),
    }),
    output: z.object({
      scanned: Count,
      flagged: Count,
      hits: z.array(StoredDetectorHit).max(STORED_BACKTEST_HITS),
      /** When the first and last messages replayed were received; null when none was. */
      from: z.number().nullable(),
      to: z.number().nullable(),
      /** The window as asked for. */
      hours: z.number().int(),
      maxMessages: z.number().int(),
    }),
  },
  /**
   * The user card's memory: what the history knows of a user, and what they wrote, newest first,
   * one page. Without a history: UNSUPPORTED.
   */
  'history.user': { input: UserOfAccount, output: UserHistory },
  'history.userMessages': {
    input: UserOfAccount.extend({
      cursor: HistoryCursor.optional(),
      limit: z.number().int().min(1).max(200).default(50),
    }),
    output: z.object({ results: z.array(FoundMessage), nextCursor: HistoryCursor.nullable() }),
  },
  /** The moderator's notes on a user (local to this machine). An unknown note is NOT_FOUND. */
  'notes.add': { input: UserOfAccount.extend({ text: NoteText }), output: UserNote },
  'notes.edit': {
    input: z.object({ id: NoteId, text: NoteText }),
    output: z.object({ id: NoteId }),
  },
  'notes.delete': { input: z.object({ id: NoteId }), output: z.object({ id: NoteId }) },
  /** Restrictions on a user in a room (VChatCloud); each is audited. */
  'users.mute': { input: UserRefWithReason, output: UserResult },
  'users.unmute': { input: UserRef, output: UserResult },
  /** Exile = kick and ban from the room. */
  'users.exile': { input: UserRefWithReason, output: UserResult },
  'users.unexile': { input: UserRef, output: UserResult },
  'users.restrictions': { input: z.object({ roomKey: RoomKey }), output: UserRestrictions },
  /** A custom message to a room, now or at `sendDate` (VChatCloud). Never retried. */
  'admin.custom': {
    input: CustomMessageRequest,
    output: z.object({ roomKey: RoomKey, sendDate: z.number().nullable() }),
  },
  /** Creating, changing and destroying the provider's rooms themselves (VChatCloud). */
  'roomAdmin.get': { input: RoomRef, output: AdminRoom },
  'roomAdmin.create': {
    input: z.object({ accountId: AccountId, settings: AdminRoomSettings }),
    output: AdminRoom,
  },
  'roomAdmin.modify': {
    input: z.object({ accountId: AccountId, roomId: RoomId, changes: AdminRoomChanges }),
    output: AdminRoom,
  },
  'roomAdmin.destroy': { input: RoomRef, output: RoomRef },
  /** Where shield mode is on, and since when. */
  'shield.get': { input: None, output: ShieldState },
  /** Turns shield mode on or off in one room, or (`roomKey` null) in every room; audited. */
  'shield.set': {
    input: z.object({ roomKey: RoomKey.nullable(), on: z.boolean() }),
    output: ShieldState,
  },
} satisfies Record<RequestChannel, ChannelSpec>;

export const events = {
  'accounts.changed': z.array(Account),
  'settings.changed': Settings,
  'feed.batch': FeedBatch,
  'feed.status': z.object({ statuses: z.array(RoomStatus) }),
  /** A live feed was down from `from` to `to` (epoch ms); messages in between may be missing. */
  'feed.gap': z.object({ roomKey: RoomKey, from: z.number(), to: z.number() }),
  /** The room's stored history was put before its live events: its snapshot has changed. */
  'feed.history': z.object({ roomKey: RoomKey }),
  /** The moderator clicked a notification: show this event. */
  'notification.open': z.object({ roomKey: RoomKey, id: z.string() }),
  /** One message of a `messages.bulk` run settled; sent as it does, before the run answers. */
  'moderation.result': BulkItemResult,
  /** Every current warning, sent whenever one appears, changes or clears. */
  'app.warnings': z.array(AppWarning),
  /** Shield mode was turned on or off somewhere: where it is on now. */
  'shield.changed': ShieldState,
} satisfies Record<EventName, z.ZodType>;

export type RequestInput<C extends RequestChannel> = z.input<(typeof requests)[C]['input']>;
export type RequestOutput<C extends RequestChannel> = z.output<(typeof requests)[C]['output']>;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;

export interface ErrorInfo {
  /** A provider's `errorCode`, a VChatCloud result code, or one of ours (`src/shared/errors.ts`). */
  code: string;
  /** Plain words, safe to show; never contains a secret. */
  message: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

/** Arguments of `invoke`: channels without input may omit it. */
export type InvokeArgs<C extends RequestChannel> =
  RequestInput<C> extends undefined ? [input?: undefined] : [input: RequestInput<C>];

/**
 * What the preload exposes as `window.moderator`, and what the browser host and the tests install
 * in its place. The renderer reaches it only through `src/renderer/src/lib/api.ts`.
 */
export interface ModeratorBridge {
  invoke<C extends RequestChannel>(
    channel: C,
    ...args: InvokeArgs<C>
  ): Promise<Result<RequestOutput<C>>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}
