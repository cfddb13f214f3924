/**
 * Moderation actions (DESIGN.md, "One moderation action, end to end"): each goes to the room's
 * provider, updates the room buffer so every view shows the new state, and appends one line to
 * the audit log whether it worked or not. An action the provider lacks is refused as UNSUPPORTED.
 * One whose outcome is unknown (`OUTCOME_UNKNOWN`, see `providers/http.ts`) changes no state and
 * is audited as `unknown`. A bulk action (`bulk`) is the single message action for each of many
 * messages, a few at a time per account, each result told to the window as it settles.
 */
import { randomUUID } from 'node:crypto';
import {
  parseRoomKey,
  type AdminRoom,
  type AdminRoomChanges,
  type AdminRoomSettings,
  type BroadcastRequest,
  type BroadcastResult,
  type ChatRoomInfo,
  type CustomMessageRequest,
  type DirectRequest,
  type DirectResult,
  type MessageState,
  type UserAction,
  type UserRestrictions,
} from '../../shared/chat';
import type { ReasonData } from '../../shared/automod/reasons';
import type { BulkItemResult, BulkRequest, BulkResult, ReasonRequest } from '../../shared/contract';
import { AppError, ErrorCode } from '../../shared/errors';
import { toErrorInfo } from '../errors';
import type { ProviderRegistry } from '../providers/registry';
import type { AnswerWatcher, MembersPage, ProviderAccount } from '../providers/types';
import type { Logger } from '../logger';
import type { AccountsService } from './accounts/accounts';
import type { AuditEntry, AuditLog } from './audit';
import type { EventBus } from '../events';
import type { AutoHideRequest, FeedService } from './feeds/feeds';
import { KeyedLimiter } from './limiter';

export type MessageAction = 'hide' | 'unhide' | 'delete';

/** What a message action did; `gone` when the message had been deleted by someone else first. */
export interface MessageActionResult {
  roomKey: string;
  messageId: string;
  state: MessageState;
  gone?: true;
}

/**
 * The provider's answer for a message that is no longer on the service: FlipFlop's answer to hide,
 * unhide or delete of a deleted (or never existing) message (api-facts §1.3).
 */
export const MESSAGE_GONE = 'CHAT_ROOM_MESSAGE_NOT_FOUND';

/** Messages acted on remembered, so that an automatic hide waiting its turn does not undo one. */
const REVIEWS_REMEMBERED = 10_000;

/** The audit detail of what ModDeck did by itself, because a rule or a setting asked. */
export const AUTOMATIC = 'automatic';

const RESULT_STATE: Record<MessageAction, MessageState> = {
  hide: 'hidden',
  unhide: 'visible',
  delete: 'deleted',
};

/**
 * Calls of bulk actions in flight at once per account. Each call is one REST request (and its
 * retries), so this bounds what a raid clear asks of a provider that counts calls per app, and a
 * rate limit (429) holds up at most 4 calls at a time. With 4, 500 deletes at 20 ms a call took
 * 2.9–3.0 s, against 11.3–11.4 s one at a time (`docs/performance.md`, "Bulk actions").
 * Single actions from a click or a key do not wait behind it.
 */
export const BULK_CALLS_PER_ACCOUNT = 4;

export interface ModerationDeps {
  accounts: AccountsService;
  registry: ProviderRegistry;
  feeds: FeedService;
  /** Records every action: in the message history when there is one (`AuditLog`). */
  audit: AuditLog;
  /** Where a bulk action's results go as they settle (`moderation.result`). */
  events: Pick<EventBus, 'emit'>;
  /** Bulk calls in flight per account (default `BULK_CALLS_PER_ACCOUNT`). */
  bulkCallsPerAccount?: number;
  /** Where an audit line an automatic hide could not record is reported. */
  log?: Pick<Logger, 'error'>;
}

export class ModerationService {
  /** Automatic hides on their way, by room key and message id (each settles, never rejects). */
  private readonly hiding = new Map<string, Promise<void>>();
  /**
   * Messages acted on lately, by room key and message id, the oldest forgotten first past
   * {@link REVIEWS_REMEMBERED}: an automatic hide still waiting its turn for one of them drops.
   */
  private readonly reviewed = new Set<string>();
  /** Shared by every bulk run, so two at once still keep the bound per account. */
  private readonly bulkLimiter: KeyedLimiter;
  /** Audit lines of automatic hides on their way to the log (`automatic` does not wait for them). */
  private readonly recording = new Set<Promise<void>>();

  constructor(private readonly deps: ModerationDeps) {
    this.bulkLimiter = new KeyedLimiter(deps.bulkCallsPerAccount ?? BULK_CALLS_PER_ACCOUNT);
  }

  async message(
    action: MessageAction,
    roomKey: string,
    messageId: string,
    reason?: string,
    /** Set when ModDeck acts by itself ({@link AUTOMATIC}): the audit line says so. */
    detail?: string,
  ): Promise<MessageActionResult> {
    // A review of a message whose automatic hide is on its way waits for it: sent first, an
    // approval could reach the service before the hide and leave the message hidden.
    const key = `${roomKey}\n${messageId}`;
    this.reviewedNow(key);
    await this.hiding.get(key);
    const { accountId, roomId } = parseRoomKey(roomKey);
    const event = this.deps.feeds.find(roomKey, messageId);
    try {
      await this.audited(
        {
          account: accountId,
          room: roomKey,
          messageId,
          action,
          ...(event?.user ? { authorId: event.user.id, author: event.user.name } : {}),
          ...(event === undefined ? {} : { text: event.text }),
          ...(reason === undefined ? {} : { reason }),
          ...(detail === undefined ? {} : { detail }),
        },
        async () => {
          const provider = this.deps.registry.get(accountId);
          if (!provider[action]) throw unsupported(provider, action);
          await provider[action](roomId, messageId);
        },
      );
    } catch (error) {
      if (toErrorInfo(error).code !== MESSAGE_GONE) throw error;
      // Deleted by someone else first (another moderator, the service): not a failure, and the
      // message leaves every queue as deleted. The audit line keeps the service's answer.
      this.deps.feeds.applyState(roomKey, messageId, 'deleted');
      return { roomKey, messageId, state: 'deleted', gone: true };
    }
    const state = RESULT_STATE[action];
    this.deps.feeds.applyState(roomKey, messageId, state);
    return { roomKey, messageId, state };
  }

  /**
   * Hides a message because a rule asked to: `hold` for review in the Held queue (it stays
   * unhandled), `hide` for good. Audited as ModDeck's own action, naming the rule, with the rule's
   * reason. Rejects as `message` does; the message then stays visible and flagged. Settles as soon
   * as the service answered and the buffer knows: its audit line is handed to the log then, in
   * order, and written while the caller's next hide goes out (`recorded` waits for it). Answers
   * whether the hide was sent: not for a message reviewed while it waited its turn. `watch` hears
   * the service's answers, retries included.
   */
  async automatic(request: AutoHideRequest, watch?: AnswerWatcher): Promise<boolean> {
    const key = `${request.roomKey}\n${request.messageId}`;
    // Reviewed before its hide's turn came: hiding it now would undo the review.
    if (this.reviewed.has(key)) return false;
    const hiding = this.hideAtOnce(request, watch);
    const settled = hiding.catch(() => undefined);
    this.hiding.set(key, settled);
    try {
      await hiding;
    } finally {
      if (this.hiding.get(key) === settled) this.hiding.delete(key);
    }
    return true;
  }

  /**
   * Whether the moderator (or ModDeck, for them) acted on the message lately: a stale hold's
   * review skips one reviewed while the review went through the ones before it.
   */
  actedOn(roomKey: string, messageId: string): boolean {
    return this.reviewed.has(`${roomKey}\n${messageId}`);
  }

  /** Resolves once the audit lines of every automatic hide answered so far are recorded. */
  async recorded(): Promise<void> {
    await Promise.all(this.recording);
  }

  private async hideAtOnce(request: AutoHideRequest, watch?: AnswerWatcher): Promise<void> {
    const { roomKey, messageId, mode, ruleId, reason } = request;
    const { accountId, roomId } = parseRoomKey(roomKey);
    const event = this.deps.feeds.authorAndText(roomKey, messageId);
    await this.audited(
      {
        account: accountId,
        room: roomKey,
        messageId,
        action: mode,
        ...(event?.user ? { authorId: event.user.id, author: event.user.name } : {}),
        ...(event === undefined ? {} : { text: event.text }),
        reason: reason.slice(0, 200),
        ...(request.why === undefined ? {} : { why: request.why }),
        detail: `${AUTOMATIC}, rule ${ruleId}`,
      },
      async () => {
        const provider = this.deps.registry.get(accountId);
        if (!provider.hide) throw unsupported(provider, 'hide');
        await provider.hide(roomId, messageId, watch);
      },
      // The hold queue's place for this hide is free once the service answered: at a thousand
      // hides a second, waiting for each line to be written as well held the places up.
      { waitForRecord: false },
    );
    this.deps.feeds.applyState(roomKey, messageId, 'hidden', mode === 'hide');
  }

  private reviewedNow(key: string): void {
    this.reviewed.delete(key);
    this.reviewed.add(key);
    if (this.reviewed.size > REVIEWS_REMEMBERED) {
      this.reviewed.delete(this.reviewed.values().next().value as string);
    }
  }

  /**
   * Runs one message action on every message named (each once), at most
   * `BULK_CALLS_PER_ACCOUNT` calls in flight per account. Each message goes through `message`, so
   * it is audited once and its room buffer updated; its result is emitted as `moderation.result`
   * as soon as it settles. Answers every result, in the order named, once all have settled; no
   * message's failure fails the request.
   */
  async bulk(request: BulkRequest): Promise<BulkResult> {
    const bulkId = request.bulkId ?? randomUUID();
    const seen = new Set<string>();
    const items = request.items.filter(({ roomKey, messageId }) => {
      // A room key has exactly one slash and a message id none: the pair is unambiguous.
      const key = `${roomKey}/${messageId}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    const results = await Promise.all(
      items.map(({ roomKey, messageId }) =>
        this.bulkLimiter.run(parseRoomKey(roomKey).accountId, () =>
          this.bulkItem(bulkId, request.action, roomKey, messageId, request.reason),
        ),
      ),
    );
    return { bulkId, action: request.action, results };
  }

  /** One message of a bulk run: never throws; its result is emitted before it is returned. */
  private async bulkItem(
    bulkId: string,
    action: MessageAction,
    roomKey: string,
    messageId: string,
    reason: string | undefined,
  ): Promise<BulkItemResult> {
    let result: BulkItemResult;
    try {
      const answer = await this.message(action, roomKey, messageId, reason);
      result =
        answer.gone === true
          ? // Deleted by someone else first: no view shows it, and only an unhide missed.
            {
              bulkId,
              roomKey,
              messageId,
              outcome: 'gone',
              ok: action !== 'unhide',
              state: 'deleted',
            }
          : { bulkId, roomKey, messageId, outcome: 'done', ok: true, state: answer.state };
    } catch (error) {
      const info = toErrorInfo(error);
      const outcome = info.code === ErrorCode.OutcomeUnknown ? 'unknown' : 'failed';
      result = { bulkId, roomKey, messageId, outcome, ok: false, error: info };
    }
    this.deps.events.emit('moderation.result', result);
    return result;
  }

  /** Sends one broadcast to every room named; each room answers for itself, none is retried. */
  async broadcast(request: BroadcastRequest): Promise<BroadcastResult> {
    const { roomKeys, ...message } = request;
    const results = await Promise.all(
      [...new Set(roomKeys)].map(async (roomKey) => {
        const { accountId, roomId } = parseRoomKey(roomKey);
        try {
          const messageId = await this.audited(
            {
              account: accountId,
              room: roomKey,
              action: 'broadcast',
              ...(message.message === undefined ? {} : { text: message.message }),
              ...(message.appUserIds ? { detail: `to ${message.appUserIds.join(', ')}` } : {}),
            },
            () => {
              const provider = this.deps.registry.get(accountId);
              if (!provider.broadcast) throw unsupported(provider, 'broadcast');
              return provider.broadcast(roomId, message);
            },
          );
          // Sent to chosen receivers, it reaches their DM topics, not the moderator's room feed.
          if (message.appUserIds && message.appUserIds.length > 0) {
            this.recordSent(roomKey, accountId, {
              messageId,
              kind: 'admin',
              text: message.message ?? '',
              receivers: message.appUserIds,
              ...(message.customType === undefined ? {} : { customType: message.customType }),
            });
          }
          return { roomKey, ok: true as const, messageId };
        } catch (error) {
          return { roomKey, ok: false as const, error: toErrorInfo(error) };
        }
      }),
    );
    return { results };
  }

  /**
   * A direct message to one or more receivers. One that reached some receivers and not others
   * (a VChatCloud whisper goes to each on its own) is sent: the feed shows it to those it reached,
   * the audit line and the answer name the others.
   */
  async direct(request: DirectRequest): Promise<DirectResult> {
    const { roomKey, ...message } = request;
    const { accountId, roomId } = parseRoomKey(roomKey);
    const result = await this.audited(
      {
        account: accountId,
        room: roomKey,
        action: 'direct',
        ...(message.message === undefined ? {} : { text: message.message }),
        detail: `to ${message.appUserIds.join(', ')}`,
      },
      () => {
        const provider = this.deps.registry.get(accountId);
        if (!provider.direct) throw unsupported(provider, 'direct message');
        return provider.direct(roomId, message);
      },
      {
        detailOf: ({ undelivered = [] }) => {
          if (undelivered.length === 0) return undefined;
          const missed = new Set(undelivered.map(({ userId }) => userId));
          const reached = message.appUserIds.filter((userId) => !missed.has(userId));
          const notTo = undelivered.map(({ userId, error }) => `${userId} (${error.code})`);
          return `to ${reached.join(', ')}; not to ${notTo.join(', ')}`;
        },
      },
    );
    const missed = new Set(result.undelivered?.map(({ userId }) => userId));
    this.recordSent(roomKey, accountId, {
      messageId: result.messageId,
      kind: 'dm',
      text: message.message ?? '',
      receivers: message.appUserIds.filter((userId) => !missed.has(userId)),
      ...(message.customType === undefined ? {} : { customType: message.customType }),
    });
    return result;
  }

  async members(roomKey: string, cursor?: string, count?: number): Promise<MembersPage> {
    const { accountId, roomId } = parseRoomKey(roomKey);
    const provider = this.deps.registry.get(accountId);
    if (!provider.members) throw unsupported(provider, 'members list');
    return provider.members(roomId, cursor, count);
  }

  async chatRoom(
    operation: 'get' | 'create' | 'close',
    accountId: string,
    roomId: string,
  ): Promise<ChatRoomInfo> {
    const provider = this.deps.registry.get(accountId);
    const chatRoom = provider.chatRoom;
    if (!chatRoom) throw unsupported(provider, 'chat room administration');
    if (operation === 'get') return chatRoom.get(roomId);
    return this.audited(
      { account: accountId, room: `${accountId}/${roomId}`, action: `chatRoom.${operation}` },
      () => chatRoom[operation](roomId),
    );
  }

  async bannedWords(
    operation: 'set' | 'unset',
    accountId: string,
    words: string[],
  ): Promise<{ words: string[] }> {
    const provider = this.deps.registry.get(accountId);
    const banned = provider.bannedWords;
    if (!banned) throw unsupported(provider, 'banned words');
    await this.audited(
      { account: accountId, action: `bannedWords.${operation}`, detail: `${words.length} word(s)` },
      () => banned[operation](words),
    );
    return { words };
  }

  /** Mutes, unmutes, exiles or lets back a user of a room. */
  async user(
    action: UserAction,
    roomKey: string,
    userId: string,
    reason?: string,
    /**
     * Set when ModDeck acts by itself: the audit line says so (`detail`, {@link AUTOMATIC}) and
     * keeps the reason as values (`why`).
     */
    automatic?: { detail: string; why: ReasonData },
  ): Promise<{ roomKey: string; userId: string; action: UserAction }> {
    const detail = automatic?.detail;
    const { accountId, roomId } = parseRoomKey(roomKey);
    const name = this.deps.feeds.user(roomKey, userId)?.name;
    await this.audited(
      {
        account: accountId,
        room: roomKey,
        action: `users.${action}`,
        authorId: userId,
        ...(name === undefined ? {} : { author: name }),
        detail: detail === undefined ? `user ${userId}` : `user ${userId}, ${detail}`,
        ...(reason === undefined ? {} : { reason }),
        ...(automatic === undefined ? {} : { why: automatic.why }),
      },
      () => {
        const provider = this.deps.registry.get(accountId);
        if (!provider.users) throw unsupported(provider, 'muting or exiling');
        return provider.users[action](roomId, userId);
      },
    );
    if (action === 'mute' || action === 'exile') this.deps.feeds.markAuthorHandled(roomKey, userId);
    return { roomKey, userId, action };
  }

  /** Gives the most recent matching action a reason, after it was taken. */
  reason(request: ReasonRequest): Promise<{ found: boolean }> {
    const { action, reason, roomKey } = request;
    return this.deps.audit.reason({
      roomKey,
      action: action === 'hide' || action === 'delete' ? action : `users.${action}`,
      ...(action === 'hide' || action === 'delete'
        ? { messageId: request.messageId ?? '' }
        : { userId: request.userId ?? '' }),
      reason,
    });
  }

  /**
   * Marks a flagged message or a DM to the moderator handled: they looked at it and it needs
   * nothing more. Audited like an action, since it is the moderator's decision about it.
   */
  async markHandled(roomKey: string, id: string): Promise<{ roomKey: string; id: string }> {
    const { accountId } = parseRoomKey(roomKey);
    let kept = this.deps.feeds.find(roomKey, id);
    const messageId = kept?.messageId ?? null;
    if (kept?.held !== undefined && messageId !== null) {
      // Approving a held message the window saw as not hidden (its hide still waiting its turn, or
      // failed): a hide still waiting is dropped, one on its way is waited for, and a message that
      // ends up hidden, or may have (the service did not say), is shown again.
      const key = `${roomKey}\n${messageId}`;
      this.reviewedNow(key);
      await this.hiding.get(key);
      kept = this.deps.feeds.find(roomKey, id) ?? kept;
      if (kept.state === 'hidden' || kept.held?.failed === ErrorCode.OutcomeUnknown) {
        await this.message('unhide', roomKey, messageId);
        return { roomKey, id };
      }
    }
    await this.audited(
      {
        account: accountId,
        room: roomKey,
        ...(kept?.messageId ? { messageId: kept.messageId } : {}),
        ...(kept?.user ? { authorId: kept.user.id, author: kept.user.name } : {}),
        action: 'flagged.markHandled',
        // The event's own id: a DM has no message id, and a line without either names nothing.
        detail: `event ${id}`,
        ...(kept === undefined ? {} : { text: kept.text }),
      },
      () => Promise.resolve(this.deps.feeds.markHandled(roomKey, id)),
    );
    return { roomKey, id };
  }

  async restrictions(roomKey: string): Promise<UserRestrictions> {
    const { accountId, roomId } = parseRoomKey(roomKey);
    const provider = this.deps.registry.get(accountId);
    if (!provider.users) throw unsupported(provider, 'muting or exiling');
    return provider.users.restrictions(roomId);
  }

  /** A custom message, now or at `sendDate`; never retried (it could arrive twice). */
  async custom(
    request: CustomMessageRequest,
  ): Promise<{ roomKey: string; sendDate: number | null }> {
    const { roomKey, message, sendDate } = request;
    const { accountId, roomId } = parseRoomKey(roomKey);
    await this.audited(
      {
        account: accountId,
        room: roomKey,
        action: 'admin.custom',
        text: message,
        ...(sendDate === undefined ? {} : { detail: `at ${new Date(sendDate).toISOString()}` }),
      },
      () => {
        const provider = this.deps.registry.get(accountId);
        if (!provider.customMessage) throw unsupported(provider, 'custom messages');
        return provider.customMessage(roomId, message, sendDate);
      },
    );
    return { roomKey, sendDate: sendDate ?? null };
  }

  async adminRoom(accountId: string, roomId: string): Promise<AdminRoom> {
    return this.roomAdmin(accountId).get(roomId);
  }

  async createRoom(accountId: string, settings: AdminRoomSettings): Promise<AdminRoom> {
    const admin = this.roomAdmin(accountId);
    return this.audited(
      { account: accountId, action: 'roomAdmin.create', detail: settings.roomName },
      () => admin.create(settings),
    );
  }

  async modifyRoom(
    accountId: string,
    roomId: string,
    changes: AdminRoomChanges,
  ): Promise<AdminRoom> {
    const admin = this.roomAdmin(accountId);
    return this.audited(
      {
        account: accountId,
        room: `${accountId}/${roomId}`,
        action: 'roomAdmin.modify',
        detail:
          changes.roomStatus === undefined
            ? changes.roomName
            : `${changes.roomName}, ${changes.roomStatus}`,
      },
      () => admin.modify(roomId, changes),
    );
  }

  async destroyRoom(accountId: string, roomId: string): Promise<void> {
    const admin = this.roomAdmin(accountId);
    await this.audited(
      { account: accountId, room: `${accountId}/${roomId}`, action: 'roomAdmin.destroy' },
      () => admin.destroy(roomId),
    );
  }

  private roomAdmin(accountId: string): NonNullable<ProviderAccount['roomAdmin']> {
    const provider = this.deps.registry.get(accountId);
    if (!provider.roomAdmin) throw unsupported(provider, 'room administration');
    return provider.roomAdmin;
  }

  private recordSent(
    roomKey: string,
    accountId: string,
    sent: {
      messageId: string;
      kind: 'dm' | 'admin';
      text: string;
      receivers: string[];
      customType?: string;
    },
  ): void {
    const provider = this.deps.registry.get(accountId);
    const user = { id: provider.moderatorUserId() ?? 'moderator', name: provider.moderatorName() };
    this.deps.feeds.recordSent(roomKey, { ...sent, user });
  }

  /**
   * Runs an action and records its outcome, naming the account and the room beside their ids; the
   * action's own error is what the caller sees. The line is handed to the log as the action
   * settles, so lines keep the order of the outcomes; with `waitForRecord` false the caller does
   * not wait for it to be written (`recorded` does).
   */
  private async audited<T>(
    entry: Omit<AuditEntry, 'result'>,
    run: () => Promise<T>,
    {
      waitForRecord = true,
      detailOf,
    }: {
      waitForRecord?: boolean;
      /** The line's detail as the outcome tells it, when it says more than the entry's. */
      detailOf?: (value: T) => string | undefined;
    } = {},
  ): Promise<T> {
    const named = this.named(entry);
    const record = (result: string, detail?: string): Promise<void> => {
      const writing = this.deps.audit.append({
        ...named,
        ...(detail === undefined ? {} : { detail }),
        result,
      });
      if (waitForRecord) return writing;
      this.recordLater(writing, named);
      return Promise.resolve();
    };
    try {
      const value = await run();
      await record('ok', detailOf?.(value));
      return value;
    } catch (error) {
      const { code } = toErrorInfo(error);
      await record(code === ErrorCode.OutcomeUnknown ? 'unknown' : code);
      throw error;
    }
  }

  /** Keeps an audit write nobody waits for until it settles, and reports one that failed. */
  private recordLater(writing: Promise<void>, entry: Omit<AuditEntry, 'result'>): void {
    const kept: Promise<void> = writing
      .catch((error: unknown) => {
        this.deps.log?.error('an automatic action could not be recorded in the audit log', {
          room: entry.room,
          action: entry.action,
          error: error instanceof Error ? error.message : String(error),
        });
      })
      .finally(() => this.recording.delete(kept));
    this.recording.add(kept);
  }

  /** The entry with the account's and the room's names, where ModDeck knows them. */
  private named(entry: Omit<AuditEntry, 'result'>): Omit<AuditEntry, 'result'> {
    const accountName = this.deps.accounts
      .records()
      .find((record) => record.id === entry.account)?.name;
    const roomName = entry.room === undefined ? undefined : this.deps.feeds.roomName(entry.room);
    const { account, room, ...rest } = entry;
    // Each name right after its id, so that a line reads in order.
    return {
      account,
      ...(accountName === undefined ? {} : { accountName }),
      ...(room === undefined ? {} : { room }),
      ...(roomName === undefined ? {} : { roomName }),
      ...rest,
    };
  }
}

function unsupported(provider: ProviderAccount, what: string): AppError {
  return new AppError(ErrorCode.Unsupported, `${provider.label} rooms do not support ${what}.`);
}
