/**
 * Live feeds (DESIGN.md, "One chat message, end to end"): one live connection per account, every
 * frame normalised, deduplicated by message id, run through the word filter (global rules + the
 * room's rules) and automod (one for all rooms, when on), kept in the room's bounded buffer and
 * sent to the window in batches. Connection status and gaps are events too.
 */
import { isDeepStrictEqual } from 'node:util';
import {
  FIRST_KINDS,
  isHandled,
  isHeld,
  isPinned,
  SHIELD_RULE_ID,
  WORD_FILTERED_KINDS,
  roomKeyOf,
  type ChatEvent,
  type ChatUser,
  type ConnectionState,
  type FlagSpan,
  type Held,
  type MessageState,
  type OpenRoom,
  type RoomStatus,
} from '../../../shared/chat';
import {
  createAutomod,
  englishReason,
  type Automod,
  type AutomodMessage,
  type ReasonData,
  type Verdict,
} from '../../../shared/automod';
import { shown } from '../../../shared/automod/words';
import type { ErrorInfo } from '../../../shared/contract';
import { AppError, ErrorCode } from '../../../shared/errors';
import { rulesOfRoom, type AutomodSettings, type Rule, type Settings } from '../../../shared/model';
import { SharedUsers } from '../../../shared/sharedUsers';
import type { Matcher, RuleError } from '../../../shared/wordfilter';
import type { Clock, TimerHandle } from '../../clock';
import type { EventBus } from '../../events';
import type { Logger } from '../../logger';
import type { ProviderRegistry } from '../../providers/registry';
import type { LiveFeed, LiveFrame, ProviderAccount, ResolvedRoom } from '../../providers/types';
import { thrownWords } from '../../errors';
import { Batcher } from './batcher';
import { RateMeter } from './rateMeter';
import { maskSecretsInEvent, redactedError, type Redactor } from '../accounts/redactor';
import { RoomBuffer } from './roomBuffer';
import { WordRules } from './wordRules';
import type { SettingsService } from '../profile/settings';

/**
 * Compiles a rule list (the word filter's `compileRules`). Given `leaveOut`, a rule that cannot be
 * compiled is handed to it and the rest of the list runs; without, it is thrown.
 */
export type CompileRules = (
  rules: Rule[],
  leaveOut?: (error: RuleError) => void,
) => Pick<Matcher, 'match'>;

/** Told about every new event; decides itself whether it is worth a notification. */
export interface EventWatcher {
  consider(event: ChatEvent, roomName: string): void;
}

export interface FeedDeps {
  registry: ProviderRegistry;
  settings: SettingsService;
  events: EventBus;
  clock: Clock;
  compile: CompileRules;
  watchers: EventWatcher[];
  log: Logger;
  /** Masks secrets in a service's error text (kept in room status) and in chat events. */
  redactor: Pick<Redactor, 'redact' | 'maskSecrets'>;
  statsIntervalMs?: number;
  /** How often a room whose chat is not open is asked again (default {@link CLOSED_RECHECK_MS}). */
  closedRecheckMs?: number;
  /**
   * The message history: a room's last `limit` stored events received before `before`, oldest
   * first, put before its live events when it opens. Absent: rooms open with live events only.
   */
  history?: {
    load: (roomKey: string, before: number, limit: number) => Promise<ChatEvent[]>;
    /** When this run of the app started (epoch ms): a divider says whether ModDeck was closed. */
    startedAt: number;
    /**
     * The ids of the users whose first chat message in the room the history holds. Given, a live
     * message from anyone else is their first there (`ChatEvent.first`); absent, none is marked.
     */
    chatters?: (roomKey: string) => Promise<string[]>;
  };
}

/**
 * How often a room opened while its chat is not open (a VChatCloud room pending or not started yet)
 * is asked again: the moderator opens the column before the show, and it goes live when the chat
 * opens.
 */
export const CLOSED_RECHECK_MS = 30_000;

/** Stored events put before a room's live ones at most (one page of the store). */
const HISTORY_LIMIT = 500;

/** Kinds whose text the word filter reads. */
const FILTERED = WORD_FILTERED_KINDS;
/** Kinds that count towards a room's messages per second. */
const COUNTED = FILTERED;
/**
 * Kinds automod judges: what chatters write. Admin messages, commands, notices and custom messages
 * come from the service or the app, not from a chatter whose behaviour could be spam.
 */
const JUDGED = new Set<ChatEvent['kind']>(['message', 'dm']);

/**
 * Whether a chatter's event is seen by the room, so that hiding it protects viewers: a rule's
 * `hold` or `hide`, and shield mode, act on those only. A DM is seen by the moderator alone; hidden,
 * it would be hidden from nobody but the moderator, and five people sending the moderator the same
 * question is not a raid. A DM a rule matches is flagged as any message is.
 */
function seenByRoom(event: Pick<ChatEvent, 'kind'>): boolean {
  return event.kind !== 'dm';
}

/** Kinds that make a user a room's chatter, as the store counts them. */
const CHAT: ReadonlySet<ChatEvent['kind']> = new Set(FIRST_KINDS);

interface RoomRuntime {
  room: OpenRoom;
  roomId: string;
  /** The provider's live address of the room; null while its chat is closed. */
  channel: string | null;
  /** The next time the room is asked whether its chat opened, while it is closed. */
  recheck: TimerHandle | null;
  buffer: RoomBuffer;
  seen: RecentIds;
  users: SharedUsers;
  rate: RateMeter;
  participants: number | undefined;
  /** Frames that could not be read or events the window could not take, in the room's stats. */
  unreadable: number;
  /** Events whose data was cut to size (`boundJson`), in the room's stats. */
  trimmed: number;
  words: WordRules;
  /**
   * The room's known chatters (the store's, and every user seen since): null until the store has
   * answered. Until then `early` collects who wrote; null there too means nothing is marked.
   */
  chatters: Set<string> | null;
  early: Set<string> | null;
  /** Settles once `chatters` is known (or known not to come). */
  chattersKnown: Promise<void>;
  /**
   * When each chatter the store did not know wrote here first, oldest first, for the last
   * {@link FIRST_SEEN_KEPT_MS}: shield mode holds those first seen lately.
   */
  firstSeen: Map<string, number>;
}

/** How long a first-seen time is kept: shield mode's longest "new chatter" window. */
const FIRST_SEEN_KEPT_MS = 24 * 60 * 60 * 1000;

interface AccountRuntime {
  provider: ProviderAccount;
  live: LiveFeed;
  state: ConnectionState;
  error: ErrorInfo | undefined;
  retryAt: number | undefined;
}

export class FeedService {
  private readonly rooms = new Map<string, RoomRuntime>();
  private readonly accounts = new Map<string, AccountRuntime>();
  /**
   * Rooms still opening (their provider resolving them), by room key. `cancelled` is set when the
   * room is closed, or its account removed, meanwhile: the opening then adds nothing.
   */
  private readonly opening = new Map<
    string,
    { accountId: string; promise: Promise<OpenRoom>; cancelled: boolean }
  >();
  private readonly batcher: Batcher;
  private statsTimer: TimerHandle | null = null;
  private globalRules: Rule[];
  private roomRules: Settings['rules']['rooms'];
  /**
   * The global rules compiled once for every room without rules of its own: a compiled list of
   * 1,000 rules takes about 1.4 MB, and a moderator may have dozens of rooms open.
   */
  private globalWords: WordRules | null = null;
  private scrollback: number;
  private firstChatters: Settings['history']['firstChatters'];
  private automodSettings: AutomodSettings;
  /** One automod for every room (its state is kept per room key); null when turned off. */
  private automod: Automod | null;
  /**
   * What automod is given, one object for every message (its detectors copy what they keep): one
   * allocation less per message at tens of thousands a second.
   */
  private readonly judged: Required<AutomodMessage> = {
    roomKey: '',
    userId: '',
    userName: '',
    text: '',
    at: 0,
    id: '',
    firstInRoom: false,
  };
  private readonly stopWatchingSettings: () => void;
  private autoHide: ((request: AutoHideRequest) => void) | null = null;
  private restoredHolds: ((roomKey: string, events: readonly ChatEvent[]) => void) | null = null;
  private shieldOn: ((roomKey: string) => boolean) | null = null;
  private autoMute: ((request: AutoMuteRequest) => void) | null = null;
  private shieldSettings: Settings['shield'];

  constructor(private readonly deps: FeedDeps) {
    this.batcher = new Batcher(
      deps.clock,
      (batch, salvage) => deps.events.emit('feed.batch', batch, salvage),
      (event, error) => this.dropped(event, error),
    );
    const settings = deps.settings.get();
    this.globalRules = settings.rules.global;
    this.roomRules = settings.rules.rooms;
    this.scrollback = settings.scrollback;
    this.firstChatters = settings.history.firstChatters;
    this.automodSettings = settings.automod;
    this.automod = this.createAutomod(settings.automod);
    this.shieldSettings = settings.shield;
    this.stopWatchingSettings = deps.settings.onChange((next) => this.settingsChanged(next));
  }

  /** Opens a room (once: a second call answers the same room) and starts carrying its feed. */
  open(accountId: string, roomId: string): Promise<OpenRoom> {
    const roomKey = roomKeyOf(accountId, roomId);
    const existing = this.rooms.get(roomKey);
    if (existing) return Promise.resolve(existing.room);
    const pending = this.opening.get(roomKey);
    if (pending) {
      // Opened again after a close while the first opening was under way: it is wanted after all.
      pending.cancelled = false;
      return pending.promise;
    }
    const mark = { cancelled: false };
    const promise = this.openNew(accountId, roomId, roomKey, mark).finally(() =>
      this.opening.delete(roomKey),
    );
    this.opening.set(roomKey, Object.assign(mark, { accountId, promise }));
    return promise;
  }

  close(roomKey: string): void {
    const runtime = this.rooms.get(roomKey);
    if (!runtime) {
      const opening = this.opening.get(roomKey);
      if (opening) opening.cancelled = true;
      return;
    }
    this.rooms.delete(roomKey);
    if (runtime.recheck !== null) this.deps.clock.clearTimeout(runtime.recheck);
    runtime.recheck = null;
    // Before the account's feed: a room whose chat was closed has none, and still had the stats.
    if (this.rooms.size === 0) this.stopStats();
    const accountId = runtime.room.accountId;
    const account = this.accounts.get(accountId);
    if (!account) return;
    account.live.remove(roomKey);
    if (account.live.roomCount === 0) {
      this.accounts.delete(accountId);
      void account.live.close();
    }
  }

  /** Closes every room of an account (it was removed or edited), those still opening too. */
  closeAccount(accountId: string): string[] {
    for (const opening of this.opening.values()) {
      if (opening.accountId === accountId) opening.cancelled = true;
    }
    const closed = [...this.rooms.values()]
      .filter((runtime) => runtime.room.accountId === accountId)
      .map((runtime) => runtime.room.roomKey);
    for (const roomKey of closed) this.close(roomKey);
    return closed;
  }

  /**
   * Reconnects an account's rooms with its current details (it was edited), keeping what the
   * rooms have buffered.
   */
  async refreshAccount(accountId: string): Promise<void> {
    const account = this.accounts.get(accountId);
    if (!account) return;
    this.accounts.delete(accountId);
    // What the rooms miss from here until the new feed's rooms are live shows as a gap.
    const downSince = account.live.lastAlive() ?? undefined;
    await account.live.close();
    const provider = this.deps.registry.get(accountId);
    for (const runtime of this.rooms.values()) {
      if (runtime.room.accountId !== accountId || runtime.channel === null) continue;
      runtime.room = { ...runtime.room, moderatorUserId: provider.moderatorUserId() };
      this.liveFor(accountId, provider, downSince).add({
        roomKey: runtime.room.roomKey,
        roomId: runtime.roomId,
        channel: runtime.channel,
      });
    }
  }

  snapshot(roomKey: string): { room: OpenRoom; events: ChatEvent[] } {
    const runtime = this.runtime(roomKey);
    return { room: runtime.room, events: runtime.buffer.snapshot() };
  }

  /**
   * Follows the accounts: a removed account's rooms close, an edited one's reconnect. An account
   * is edited when its live feed is not the registry's provider for its record: whether the
   * registry rebuilt that provider already (a call made while the save was announced) or not.
   */
  accountsChanged(known: ReadonlySet<string>): void {
    for (const { accountId } of this.opening.values()) {
      if (!known.has(accountId)) this.closeAccount(accountId);
    }
    for (const room of this.openRooms()) {
      const account = this.accounts.get(room.accountId);
      if (!known.has(room.accountId)) this.closeAccount(room.accountId);
      else if (account && account.provider !== this.deps.registry.get(room.accountId)) {
        void this.refreshAccount(room.accountId);
      }
    }
  }

  openRooms(): OpenRoom[] {
    return [...this.rooms.values()].map((runtime) => runtime.room);
  }

  /** The open room's name, as its provider gave it when it opened. */
  roomName(roomKey: string): string | undefined {
    return this.rooms.get(roomKey)?.room.name;
  }

  /** The user last seen with this id in the open room, if it still remembers them. */
  user(roomKey: string, userId: string): ChatUser | undefined {
    return this.rooms.get(roomKey)?.users.get(userId);
  }

  /**
   * Who hides what `hold` and `hide` rules match, at once (the hold queue's service). Without one,
   * and in the rooms of a service that cannot hide, those rules only flag.
   */
  setAutoHide(
    autoHide: ((request: AutoHideRequest) => void) | null,
    /** Held messages a room's stored history brought back, still waiting for review. */
    restoredHolds: ((roomKey: string, events: readonly ChatEvent[]) => void) | null = null,
  ): void {
    this.autoHide = autoHide;
    this.restoredHolds = restoredHolds;
  }

  /**
   * Shield mode (the shield service): whether it is on in a room, and who mutes a sender it would
   * hold where the service cannot hide.
   */
  setShield(
    on: ((roomKey: string) => boolean) | null,
    autoMute: ((request: AutoMuteRequest) => void) | null,
  ): void {
    this.shieldOn = on;
    this.autoMute = autoMute;
  }

  /**
   * A held message whose automatic hide failed (`code`, the service's error): its hold says so in
   * the buffer and every view, so the Held column shows it still visible, and why.
   */
  holdFailed(roomKey: string, messageId: string, code: string): void {
    const runtime = this.rooms.get(roomKey);
    const kept = runtime?.buffer.get(messageId);
    if (!runtime || !kept?.held || isHandled(kept)) return;
    const held: Held = { ...kept.held, failed: this.deps.redactor.redact(code).slice(0, 200) };
    const event = runtime.buffer.addFlags(kept.id, [], held);
    if (!event) return;
    this.batcher.update({ roomKey, id: event.id, state: event.state, flags: event.flags, held });
  }

  /** The buffered event with this provider message id, if the room is open and still has it. */
  find(roomKey: string, messageId: string): ChatEvent | undefined {
    return this.rooms.get(roomKey)?.buffer.get(messageId);
  }

  /** Who wrote a buffered message and what it says, without copying its event (see `find`). */
  authorAndText(
    roomKey: string,
    messageId: string,
  ): Readonly<Pick<ChatEvent, 'user' | 'text'>> | undefined {
    return this.rooms.get(roomKey)?.buffer.authorAndText(messageId);
  }

  /**
   * Adds something the moderator sent that their own connection will not carry back (a DM, a
   * broadcast to chosen receivers), so it shows in the feed as theirs. Ignored if it already came.
   */
  recordSent(
    roomKey: string,
    sent: Omit<ChatEvent, 'roomKey' | 'id' | 'flags' | 'state' | 'createdAt' | 'receivedAt'> & {
      messageId: string;
    },
  ): void {
    const runtime = this.rooms.get(roomKey);
    if (!runtime || !runtime.seen.add(sent.messageId)) return;
    const now = this.deps.clock.now();
    const event: ChatEvent = {
      ...sent,
      roomKey,
      id: sent.messageId,
      state: 'visible',
      createdAt: now,
      receivedAt: now,
      user: sent.user === null ? null : { ...sent.user },
      fromModerator: true,
      flags: [],
    };
    maskSecretsInEvent(event, this.deps.redactor);
    event.flags = runtime.words.flag(event.text, event.user, false);
    runtime.buffer.add(event);
    this.batcher.event(event);
  }

  /**
   * Records a moderation result in the buffer and tells every view. The moderator acted on the
   * event, so it is handled too, an unhide included: they looked at it and decided. A hold's hide
   * (`handled` false) is not a decision: the event waits for review.
   */
  applyState(roomKey: string, messageId: string, state: MessageState, handled = true): void {
    const buffer = this.rooms.get(roomKey)?.buffer;
    // A message's event has its id.
    if (!buffer?.setState(messageId, state)) return;
    if (!handled) {
      // Hidden by a hold: it waits in the Held queue, not handled until someone reviews it.
      this.batcher.update({ roomKey, id: messageId, state });
      return;
    }
    buffer.markHandled(messageId);
    this.batcher.update({ roomKey, id: messageId, state, handled: true });
  }

  /**
   * Marks a flagged event or a DM to the moderator handled ("looks fine") and tells every view;
   * returns the event. Refuses an event the room no longer keeps, or one that is neither.
   */
  markHandled(roomKey: string, id: string): ChatEvent {
    const buffer = this.runtime(roomKey).buffer;
    const kept = buffer.get(id);
    if (!kept) {
      throw new AppError(
        ErrorCode.NotFound,
        'That message is no longer kept for its room, so it cannot be marked as handled.',
      );
    }
    if (!isPinned(kept)) {
      throw new AppError(
        ErrorCode.InvalidInput,
        'Only a flagged message or a direct message to you can be marked as handled.',
      );
    }
    const event = buffer.markHandled(id) ?? kept;
    this.batcher.update({ roomKey, id, state: event.state, handled: true });
    return event;
  }

  /**
   * Marks every flagged event and DM to the moderator by this user in the room handled: the
   * moderator muted or exiled them, which deals with what they wrote.
   */
  markAuthorHandled(roomKey: string, userId: string): void {
    const buffer = this.rooms.get(roomKey)?.buffer;
    if (!buffer) return;
    for (const id of buffer.unhandledBy(userId)) {
      const event = buffer.markHandled(id);
      if (event) this.batcher.update({ roomKey, id, state: event.state, handled: true });
    }
  }

  /** Frames of an open room that could not be read since it was opened (also in its stats). */
  unreadableCount(roomKey: string): number {
    return this.rooms.get(roomKey)?.unreadable ?? 0;
  }

  /** Events of an open room whose data was cut to size since it was opened (also in its stats). */
  trimmedCount(roomKey: string): number {
    return this.rooms.get(roomKey)?.trimmed ?? 0;
  }

  async dispose(): Promise<void> {
    this.stopWatchingSettings();
    this.stopStats();
    this.batcher.flush();
    this.batcher.dispose();
    const lives = [...this.accounts.values()].map((account) => account.live.close());
    this.accounts.clear();
    for (const runtime of this.rooms.values()) {
      if (runtime.recheck !== null) this.deps.clock.clearTimeout(runtime.recheck);
    }
    this.rooms.clear();
    await Promise.all(lives);
  }

  private async openNew(
    accountId: string,
    roomId: string,
    roomKey: string,
    opening: { cancelled: boolean },
  ): Promise<OpenRoom> {
    const openedAt = this.deps.clock.now();
    const provider = this.deps.registry.get(accountId);
    const resolved = await provider.resolveRoom(roomId);
    // Closed, or its account removed, while the provider answered: carrying it now would keep a
    // room nobody shows receiving chat and raising notifications.
    if (opening.cancelled || !this.deps.registry.has(accountId)) {
      throw new AppError(ErrorCode.NotFound, 'The room was closed before it finished opening.');
    }
    const account = this.accounts.get(accountId);
    const status: RoomStatus = resolved.chatOpen
      ? {
          roomKey,
          state: account?.state ?? 'connecting',
          ...(account?.error ? { error: account.error } : {}),
          ...(account?.retryAt ? { retryAt: account.retryAt } : {}),
        }
      : {
          roomKey,
          state: 'offline',
          error: {
            code: 'CHAT_ROOM_CLOSED',
            message: 'This chat room is not open; ModDeck joins it once it opens.',
          },
        };
    const room: OpenRoom = {
      roomKey,
      accountId,
      roomId,
      provider: provider.provider,
      name: resolved.name,
      capabilities: provider.capabilities,
      status,
      moderatorUserId: provider.moderatorUserId(),
    };
    const runtime: RoomRuntime = {
      room,
      roomId,
      channel: resolved.chatOpen ? resolved.channel : null,
      recheck: null,
      buffer: new RoomBuffer(this.scrollback),
      seen: new RecentIds(this.scrollback * 2),
      users: new SharedUsers(),
      rate: new RateMeter(),
      participants: undefined,
      unreadable: 0,
      trimmed: 0,
      words: this.wordRulesFor(roomKey),
      chatters: null,
      early: this.deps.history?.chatters ? new Set() : null,
      chattersKnown: Promise.resolve(),
      firstSeen: new Map(),
    };
    this.rooms.set(roomKey, runtime);
    runtime.chattersKnown = this.loadChatters(runtime);
    // The live feed does not wait for the disk: history is put before it when it comes.
    void this.addHistory(runtime, openedAt);
    if (resolved.chatOpen) {
      this.liveFor(accountId, provider).add({ roomKey, roomId, channel: resolved.channel });
    } else {
      this.recheckLater(runtime);
    }
    this.startStats();
    return room;
  }

  private recheckLater(runtime: RoomRuntime): void {
    runtime.recheck = this.deps.clock.setTimeout(() => {
      runtime.recheck = null;
      void this.recheck(runtime);
    }, this.deps.closedRecheckMs ?? CLOSED_RECHECK_MS);
  }

  /**
   * Asks again whether a closed room's chat opened: if it did, the room joins its account's live
   * feed and takes the account's status; if not, or the service did not answer, it asks later.
   */
  private async recheck(runtime: RoomRuntime): Promise<void> {
    const { roomKey, accountId } = runtime.room;
    const current = () => this.rooms.get(roomKey) === runtime;
    let provider: ProviderAccount;
    let resolved: ResolvedRoom;
    try {
      provider = this.deps.registry.get(accountId);
      resolved = await provider.resolveRoom(runtime.roomId);
    } catch (error) {
      if (!current()) return;
      this.deps.log.debug('a closed room could not be asked whether it opened', {
        roomKey,
        error: thrownWords(error),
      });
      this.recheckLater(runtime);
      return;
    }
    if (!current()) return;
    if (!resolved.chatOpen) {
      this.recheckLater(runtime);
      return;
    }
    runtime.channel = resolved.channel;
    const account = this.accounts.get(accountId);
    const status: RoomStatus = {
      roomKey,
      state: account?.state ?? 'connecting',
      ...(account?.error ? { error: account.error } : {}),
      ...(account?.retryAt ? { retryAt: account.retryAt } : {}),
    };
    runtime.room = { ...runtime.room, name: resolved.name, status };
    this.deps.events.emit('feed.status', { statuses: [status] });
    this.liveFor(accountId, provider).add({
      roomKey,
      roomId: runtime.roomId,
      channel: resolved.channel,
    });
  }

  /**
   * Puts the room's stored events before its live ones (those the live feed carried meanwhile are
   * kept once), then a divider from the last of them to the opening, and tells the window to read
   * the room's snapshot again. History goes to no watcher and into no batch: it notifies nothing,
   * and the store does not take it again.
   */
  private async addHistory(runtime: RoomRuntime, openedAt: number): Promise<void> {
    const history = this.deps.history;
    if (!history) return;
    const { roomKey } = runtime.room;
    let stored: ChatEvent[];
    try {
      stored = await history.load(roomKey, openedAt, Math.min(this.scrollback, HISTORY_LIMIT));
    } catch (error) {
      this.deps.log.warn('the room history could not be read', {
        roomKey,
        error: error instanceof Error ? error.message : typeof error,
      });
      return;
    }
    // Closed (or closed and opened again) while the store answered.
    if (this.rooms.get(roomKey) !== runtime) return;
    const live = new Set(runtime.buffer.snapshot().map((event) => event.id));
    const older = stored.filter((event) => !live.has(event.id));
    const last = older.at(-1);
    if (last === undefined) return;
    for (const event of older) {
      if (event.messageId !== null) runtime.seen.add(event.messageId);
      if (event.user) event.user = runtime.users.share(event.user);
    }
    const from = last.receivedAt;
    older.push({
      roomKey,
      id: `away-${from}-${openedAt}`,
      messageId: null,
      kind: 'gap',
      user: null,
      text: '',
      createdAt: openedAt,
      receivedAt: openedAt,
      state: 'visible',
      flags: [],
      gap: { from, to: openedAt, reason: from < history.startedAt ? 'appClosed' : 'roomClosed' },
    });
    runtime.buffer.prepend(older);
    const held = older.filter(isHeld);
    if (held.length > 0) this.restoredHolds?.(roomKey, held);
    this.deps.events.emit('feed.history', { roomKey });
  }

  /**
   * Asks the store for the room's chatters. Messages that came meanwhile are not marked (the live
   * feed does not wait, and a mark given later would move rows in and out of the Flagged queue),
   * but their users join the set, so their next message is not taken for a first either.
   */
  private async loadChatters(runtime: RoomRuntime): Promise<void> {
    const load = this.deps.history?.chatters;
    if (!load) return;
    const { roomKey } = runtime.room;
    let known: string[];
    try {
      known = await load(roomKey);
    } catch (error) {
      this.deps.log.warn('the room chatters could not be read', {
        roomKey,
        error: error instanceof Error ? error.message : typeof error,
      });
      runtime.early = null;
      return;
    }
    if (this.rooms.get(roomKey) !== runtime) return;
    const chatters = new Set(known);
    for (const userId of runtime.early ?? []) chatters.add(userId);
    runtime.chatters = chatters;
    runtime.early = null;
  }

  /** Settles once the room's known chatters are in (tests wait on it); at once for no room. */
  chattersKnown(roomKey: string): Promise<void> {
    return this.rooms.get(roomKey)?.chattersKnown ?? Promise.resolve();
  }

  /** Marks a user's first chat message in the room (`ChatEvent.first`), as the settings say. */
  private markFirst(runtime: RoomRuntime, event: ChatEvent): void {
    const user = event.user;
    if (user === null || !CHAT.has(event.kind)) return;
    if (runtime.chatters === null) {
      runtime.early?.add(user.id);
      return;
    }
    if (runtime.chatters.has(user.id)) return;
    runtime.chatters.add(user.id);
    // The moderator's own first words in a room are nothing to look at.
    if (event.fromModerator || user.id === runtime.room.moderatorUserId) return;
    event.first = this.firstChatters === 'flag' ? 'raised' : 'marked';
    for (const [userId, at] of runtime.firstSeen) {
      if (event.receivedAt - at <= FIRST_SEEN_KEPT_MS) break;
      runtime.firstSeen.delete(userId);
    }
    runtime.firstSeen.set(user.id, event.receivedAt);
  }

  /**
   * Why shield mode holds a chatter's message, or nothing: a copy of a raid automod found, or a
   * sender first seen in the room within the last `newChatterMinutes` (as far as the message
   * history knows: without one, only raids).
   */
  private shieldReason(
    runtime: RoomRuntime,
    event: ChatEvent,
    verdicts: readonly Verdict[],
  ): ReasonData | undefined {
    const raid = verdicts.find((verdict) => verdict.kind === 'raid');
    if (raid) return shieldOfRaid(raid);
    const firstAt = event.user === null ? undefined : runtime.firstSeen.get(event.user.id);
    if (firstAt === undefined) return undefined;
    const ago = event.receivedAt - firstAt;
    if (ago > this.shieldSettings.newChatterMinutes * 60_000) return undefined;
    return ago < 1000 ? { kind: 'shieldFirstMessage' } : { kind: 'shieldFirstSeen', agoMs: ago };
  }

  private liveFor(accountId: string, provider: ProviderAccount, downSince?: number): LiveFeed {
    const existing = this.accounts.get(accountId);
    if (existing) return existing.live;
    const runtime: AccountRuntime = {
      provider,
      live: undefined as unknown as LiveFeed,
      state: 'connecting',
      error: undefined,
      retryAt: undefined,
    };
    this.accounts.set(accountId, runtime);
    runtime.live = provider.openLive(
      {
        frame: (roomKey, frame) => this.frame(runtime, roomKey, frame),
        status: (state, detail, roomKeys) =>
          this.status(accountId, runtime, state, detail, roomKeys),
        gap: (from, to, roomKeys) => this.gap(accountId, from, to, roomKeys),
        roomStatus: (roomKey, state, detail) => this.roomStatus(accountId, roomKey, state, detail),
        debug: (message, fields) => this.deps.log.debug(message, { accountId, ...fields }),
      },
      downSince,
    );
    return runtime.live;
  }

  private frame(account: AccountRuntime, roomKey: string, frame: LiveFrame): void {
    const runtime = this.rooms.get(roomKey);
    if (!frame.ok) {
      if (runtime) runtime.unreadable += 1;
      this.deps.log.debug('malformed live frame', { roomKey, reason: frame.reason });
      return;
    }
    if (!runtime) return;
    const event = frame.event;
    // A reconnect may hand the same message over twice; the moderator sees it once.
    if (event.messageId !== null && !runtime.seen.add(event.messageId)) return;
    if (frame.trimmed) runtime.trimmed += 1;
    // An account's secret is not shown even if someone writes it in the chat.
    maskSecretsInEvent(event, this.deps.redactor);
    // The normaliser made this object for this call alone: it gets its flags in place instead of
    // being copied (a spread over the normaliser's several shapes is slow, and doubles garbage).
    if (event.user) event.user = runtime.users.share(event.user);
    if (!runtime.room.moderatorUserId && account.provider.moderatorUserId()) {
      runtime.room = { ...runtime.room, moderatorUserId: account.provider.moderatorUserId() };
    }
    if (FILTERED.has(event.kind)) {
      const flags = runtime.words.flag(event.text, event.user, this.isChatters(runtime, event));
      if (flags.length > 0) event.flags = flags;
    }
    // Before automod, which counts first-time chatters for its burst of new users.
    this.markFirst(runtime, event);
    const verdicts = this.automod ? this.judge(this.automod, runtime, event) : NO_VERDICTS;
    // What rules and shield mode may hide: a chatter's message the room sees.
    const hideable = this.isChatters(runtime, event) && seenByRoom(event);
    let hide =
      event.flags.length > 0 && this.canHide(account) && hideable
        ? hideAsked(runtime.words, event.flags, verdicts)
        : undefined;
    if (hide?.mode !== 'hold' && this.shielded(roomKey) && hideable) {
      hide = this.shield(account, runtime, event, verdicts) ?? hide;
    }
    if (hide?.mode === 'hold') {
      event.held = heldOf(hide, event.receivedAt);
    }
    if (event.counts?.participants !== undefined) runtime.participants = event.counts.participants;
    if (COUNTED.has(event.kind)) runtime.rate.count(event.receivedAt);
    runtime.buffer.add(event);
    this.batcher.event(event);
    // The hide leaves now, before anything else is done with the message: until the service has
    // hidden it, the room sees it.
    if (hide && event.messageId !== null) {
      this.autoHide?.({ roomKey: event.roomKey, messageId: event.messageId, ...hide });
    }
    for (const watcher of this.deps.watchers) watcher.consider(event, runtime.room.name);
  }

  /** Whether shield mode is on in the room. */
  private shielded(roomKey: string): boolean {
    return this.shieldOn?.(roomKey) ?? false;
  }

  /**
   * Shield mode's answer to a chatter's message: a hold, when it is a raid copy or its sender is
   * new (`shieldReason`) and the service can hide; where it cannot (VChatCloud), nothing, and the
   * sender is muted instead if the settings ask.
   */
  private shield(
    account: AccountRuntime,
    runtime: RoomRuntime,
    event: ChatEvent,
    verdicts: readonly Verdict[],
  ): HideAsked | undefined {
    const why = this.shieldReason(runtime, event, verdicts);
    if (why === undefined) return undefined;
    const reason = englishReason(why);
    if (this.canHide(account)) return { mode: 'hold', ruleId: SHIELD_RULE_ID, reason, why };
    if (this.shieldSettings.muteSenders && event.user !== null) {
      this.autoMute?.({ roomKey: event.roomKey, userId: event.user.id, reason, why });
    }
    return undefined;
  }

  /** Whether what `hold` and `hide` rules match is hidden in this account's rooms. */
  private canHide(account: AccountRuntime | undefined): boolean {
    return this.autoHide !== null && account?.provider.hide !== undefined;
  }

  private status(
    accountId: string,
    account: AccountRuntime,
    state: ConnectionState,
    detail: { error?: ErrorInfo; retryAt?: number },
    roomKeys: readonly string[] | undefined,
  ): void {
    const error = this.redacted(detail.error);
    account.state = state;
    account.error = error;
    account.retryAt = detail.retryAt;
    const statuses: RoomStatus[] = [];
    for (const runtime of this.rooms.values()) {
      if (
        runtime.room.accountId !== accountId ||
        (roomKeys !== undefined && !roomKeys.includes(runtime.room.roomKey)) ||
        (runtime.room.status.state === 'offline' &&
          runtime.room.status.error?.code === 'CHAT_ROOM_CLOSED')
      )
        continue;
      const status: RoomStatus = {
        roomKey: runtime.room.roomKey,
        state,
        ...(error ? { error } : {}),
        ...(detail.retryAt ? { retryAt: detail.retryAt } : {}),
      };
      runtime.room = { ...runtime.room, status };
      statuses.push(status);
    }
    if (statuses.length > 0) this.deps.events.emit('feed.status', { statuses });
  }

  /** One room's state apart from its account's (a refused join on a live connection). */
  private roomStatus(
    accountId: string,
    roomKey: string,
    state: ConnectionState,
    detail: { error?: ErrorInfo; retryAt?: number },
  ): void {
    const runtime = this.rooms.get(roomKey);
    if (!runtime || runtime.room.accountId !== accountId) return;
    const error = this.redacted(detail.error);
    const status: RoomStatus = {
      roomKey,
      state,
      ...(error ? { error } : {}),
      ...(detail.retryAt ? { retryAt: detail.retryAt } : {}),
    };
    runtime.room = { ...runtime.room, status };
    this.deps.events.emit('feed.status', { statuses: [status] });
  }

  /**
   * A service's error with secrets masked: rooms keep it in their status, which `rooms.open` and
   * `feed.snapshot` answer with as well as `feed.status`.
   */
  private redacted(error: ErrorInfo | undefined): ErrorInfo | undefined {
    if (error === undefined) return undefined;
    return redactedError(error, (text) => this.deps.redactor.redact(text));
  }

  private gap(
    accountId: string,
    from: number,
    to: number,
    roomKeys: readonly string[] | undefined,
  ): void {
    for (const runtime of this.rooms.values()) {
      if (runtime.room.accountId !== accountId) continue;
      if (roomKeys !== undefined && !roomKeys.includes(runtime.room.roomKey)) continue;
      const { roomKey } = runtime.room;
      const event: ChatEvent = {
        roomKey,
        id: `gap-${from}-${to}`,
        messageId: null,
        kind: 'gap',
        user: null,
        text: '',
        createdAt: to,
        receivedAt: to,
        state: 'visible',
        flags: [],
        gap: { from, to },
      };
      runtime.buffer.add(event);
      this.batcher.event(event);
      this.deps.events.emit('feed.gap', { roomKey, from, to });
    }
  }

  /**
   * An event the window could not take (its batch was sent without it): counted with the room's
   * unreadable frames, and let go of, so the room's snapshot does not fail on it too.
   */
  private dropped(event: ChatEvent, error: Error): void {
    const runtime = this.rooms.get(event.roomKey);
    if (runtime) {
      runtime.unreadable += 1;
      runtime.buffer.remove(event.id);
    }
    // The error's name only: a serialiser's message may quote the value, and so the chat.
    this.deps.log.warn('an event the window could not take was dropped', {
      roomKey: event.roomKey,
      id: event.id,
      kind: event.kind,
      error: error.name,
    });
  }

  /**
   * Automod's verdicts on a chatter's message become flags beside the word filter's, with the
   * verdict's reason and no span. `hold` and `hide` act as `flag` until the hold queue exists.
   * The moderator's own messages are not judged.
   */
  private judge(automod: Automod, runtime: RoomRuntime, event: ChatEvent): readonly Verdict[] {
    const user = event.user;
    if (user === null || !this.isChatters(runtime, event)) return NO_VERDICTS;
    const judged = this.judged;
    judged.roomKey = event.roomKey;
    judged.userId = user.id;
    judged.userName = user.name;
    judged.text = event.text;
    judged.at = event.receivedAt;
    judged.id = event.id;
    judged.firstInRoom = event.first !== undefined;
    const verdicts = automod.check(judged);
    if (verdicts.length === 0) return verdicts;
    const flags = verdicts.map(flagOf);
    event.flags = event.flags.length > 0 ? [...event.flags, ...flags] : flags;
    if (verdicts.some((verdict) => verdict.earlier !== undefined)) {
      this.flagEarlier(runtime, verdicts);
    }
    return verdicts;
  }

  /**
   * The earlier messages verdicts name (a raid's copies before it was recognised, a flood's first
   * messages) get the verdict's flag too, in the buffer and in every view. They are not notified
   * again: the verdict that named them was. A message the room no longer keeps is left as it is.
   */
  private flagEarlier(runtime: RoomRuntime, verdicts: readonly Verdict[]): void {
    const added = new Map<string, { flags: FlagSpan[]; hide?: HideAsked }>();
    for (const verdict of verdicts) {
      for (const id of verdict.earlier ?? []) {
        let entry = added.get(id);
        if (!entry) {
          entry = { flags: [] };
          added.set(id, entry);
        }
        entry.flags.push(flagOf(verdict));
        if (entry.hide?.mode === 'hold') continue;
        if (verdict.kind === 'raid' && this.shielded(runtime.room.roomKey)) {
          const why = shieldOfRaid(verdict);
          entry.hide = { mode: 'hold', ruleId: SHIELD_RULE_ID, reason: englishReason(why), why };
        } else if (verdict.action !== 'flag') {
          entry.hide = askedOf(verdict, verdict.action);
        }
      }
    }
    const roomKey = runtime.room.roomKey;
    const canHide = this.canHide(this.accounts.get(runtime.room.accountId));
    for (const [id, { flags, hide }] of added) {
      const kept = runtime.buffer.get(id);
      // What the moderator already dealt with (hid, deleted, found fine) is not hidden again, nor
      // what is held already: its hide is on its way or landed, and its hold waits for review.
      const asked =
        canHide &&
        kept !== undefined &&
        kept.held === undefined &&
        !isHandled(kept) &&
        seenByRoom(kept)
          ? hide
          : undefined;
      const held: Held | undefined =
        asked?.mode === 'hold' ? heldOf(asked, this.deps.clock.now()) : undefined;
      const event = runtime.buffer.addFlags(id, flags, held);
      if (!event) continue;
      this.batcher.update({
        roomKey,
        id,
        state: event.state,
        flags: event.flags,
        ...(held === undefined ? {} : { held }),
      });
      if (asked && event.messageId !== null) {
        this.autoHide?.({ roomKey, messageId: event.messageId, ...asked });
      }
    }
  }

  /** A chatter's own message or DM: what automod judges and name-scoped word rules read. */
  private isChatters(runtime: RoomRuntime, event: ChatEvent): boolean {
    const user = event.user;
    if (!JUDGED.has(event.kind) || user === null || event.fromModerator) return false;
    return user.id !== runtime.room.moderatorUserId;
  }

  private createAutomod(settings: AutomodSettings): Automod | null {
    if (!settings.enabled) return null;
    try {
      return createAutomod(settings.config);
    } catch (error) {
      // Settings are validated as they are saved; a configuration this version cannot build runs
      // no automod rather than stopping the feeds.
      this.deps.log.warn('automod left off: its configuration could not be used', {
        error: error instanceof Error ? error.message : typeof error,
      });
      return null;
    }
  }

  private settingsChanged(settings: Settings): void {
    this.shieldSettings = settings.shield;
    // Every save gives every section a new object (a layout change too): compared by value, so
    // automod keeps what it remembers unless its own settings changed.
    if (!isDeepStrictEqual(settings.automod, this.automodSettings)) {
      // A new configuration starts from nothing: what the detectors remembered was under old rules.
      this.automodSettings = settings.automod;
      this.automod = this.createAutomod(settings.automod);
    }
    if (settings.rules.global !== this.globalRules || settings.rules.rooms !== this.roomRules) {
      this.globalRules = settings.rules.global;
      this.roomRules = settings.rules.rooms;
      this.globalWords = null;
      for (const runtime of this.rooms.values())
        runtime.words = this.wordRulesFor(runtime.room.roomKey);
    }
    this.firstChatters = settings.history.firstChatters;
    if (settings.scrollback !== this.scrollback) {
      this.scrollback = settings.scrollback;
      for (const runtime of this.rooms.values()) runtime.buffer.resize(this.scrollback);
    }
  }

  private wordRulesFor(roomKey: string): WordRules {
    const own = this.roomRules[roomKey] ?? [];
    if (own.length === 0) return (this.globalWords ??= this.compiled(this.globalRules, roomKey));
    return this.compiled(rulesOfRoom(this.globalRules, own), roomKey);
  }

  private compiled(rules: Rule[], roomKey: string): WordRules {
    // Rules are checked as they are saved, but one saved by an earlier version may use syntax this
    // one no longer runs (a lookaround): it is left out, said in the log (the rule editor marks it),
    // and the rest of the list still filters the room.
    return new WordRules(rules, this.deps.compile, (error) =>
      this.deps.log.warn('word rule left out', {
        roomKey,
        ruleId: error.ruleId,
        reason: error.reason,
      }),
    );
  }

  private runtime(roomKey: string): RoomRuntime {
    const runtime = this.rooms.get(roomKey);
    if (!runtime) throw new AppError(ErrorCode.NotFound, 'That room is not open.');
    return runtime;
  }

  private startStats(): void {
    if (this.statsTimer) return;
    const interval = this.deps.statsIntervalMs ?? 1000;
    const tick = (): void => {
      const now = this.deps.clock.now();
      for (const runtime of this.rooms.values()) {
        this.batcher.stat({
          roomKey: runtime.room.roomKey,
          rate: runtime.rate.rate(now),
          ...(runtime.participants === undefined ? {} : { participants: runtime.participants }),
          ...(runtime.unreadable === 0 ? {} : { unreadable: runtime.unreadable }),
          ...(runtime.trimmed === 0 ? {} : { trimmed: runtime.trimmed }),
        });
      }
      this.statsTimer = this.deps.clock.setTimeout(tick, interval);
    };
    this.statsTimer = this.deps.clock.setTimeout(tick, interval);
  }

  private stopStats(): void {
    if (this.statsTimer) this.deps.clock.clearTimeout(this.statsTimer);
    this.statsTimer = null;
  }
}

/** The last `limit` ids seen, to drop repeats; forgets the oldest first. */
export class RecentIds {
  private readonly ids = new Set<string>();
  private readonly order: string[] = [];
  private next = 0;

  constructor(private readonly limit: number) {}

  /** Adds the id; returns false when it was already there. */
  add(id: string): boolean {
    if (this.ids.has(id)) return false;
    if (this.order.length < this.limit) this.order.push(id);
    else {
      const oldest = this.order[this.next];
      if (oldest !== undefined) this.ids.delete(oldest);
      this.order[this.next] = id;
      this.next = (this.next + 1) % this.limit;
    }
    this.ids.add(id);
    return true;
  }
}

/** What a rule asks beyond a flag: hide the message at once, and for `hold` queue it for review. */
interface HideAsked {
  mode: 'hold' | 'hide';
  ruleId: string;
  reason: string;
  /** The reason as values; absent only for a flag that came with words alone. */
  why?: ReasonData;
}

/** A sender shield mode would hold where the service cannot hide: muted instead, if asked. */
export interface AutoMuteRequest {
  roomKey: string;
  userId: string;
  reason: string;
  /** The reason as values, for the window's language (the audit keeps both). */
  why: ReasonData;
}

/** A message a rule asks to hide at once, for whoever hides it (`FeedService.setAutoHide`). */
export interface AutoHideRequest extends HideAsked {
  roomKey: string;
  messageId: string;
}

const NO_VERDICTS: readonly Verdict[] = [];

/**
 * The strongest thing the flags' rules ask for: the first `hold`, else the first `hide`; nothing
 * when they only flag. An automod flag's rule says it in its verdict, a word rule in the rule.
 */
function hideAsked(
  words: WordRules,
  flags: readonly FlagSpan[],
  verdicts: readonly Verdict[],
): HideAsked | undefined {
  let found: HideAsked | undefined;
  for (const flag of flags) {
    let asked: HideAsked | undefined;
    const verdict = verdicts.find((candidate) => candidate.ruleId === flag.ruleId);
    if (verdict) {
      if (verdict.action !== 'flag') asked = askedOf(verdict, verdict.action);
    } else {
      const word = words.actionOf(flag.ruleId);
      if (word && flag.reason === undefined) {
        // A hit on the text is said by the rule's pattern.
        const why: ReasonData = { kind: 'wordTerm', pattern: shown(word.pattern) };
        asked = { mode: word.action, ruleId: flag.ruleId, reason: englishReason(why), why };
      } else if (word) {
        // A match on the name says its own reason.
        const { reason = '', why } = flag;
        asked = {
          mode: word.action,
          ruleId: flag.ruleId,
          reason,
          ...(why === undefined ? {} : { why }),
        };
      }
    }
    if (asked?.mode === 'hold') return asked;
    found ??= asked;
  }
  return found;
}

/** An automod verdict as a flag: its reason, in words and as values, no span. */
function flagOf(verdict: Verdict): FlagSpan {
  return {
    ruleId: verdict.ruleId,
    reason: verdict.reason,
    why: verdict.why,
    severity: verdict.severity,
  };
}

/** What a verdict whose action is `mode` asks. */
function askedOf(verdict: Verdict, mode: HideAsked['mode']): HideAsked {
  return { mode, ruleId: verdict.ruleId, reason: verdict.reason, why: verdict.why };
}

/** Shield mode's reason to hold a copy of the raid a verdict found. */
function shieldOfRaid(verdict: Verdict): ReasonData {
  // A raid verdict's values are always a raid's; the check says so to the compiler.
  return verdict.why.kind === 'raid' ? { kind: 'shieldRaid', raid: verdict.why } : verdict.why;
}

/** The hold a `hold` asks for, from `at`. */
function heldOf(asked: HideAsked, at: number): Held {
  return {
    ruleId: asked.ruleId,
    reason: asked.reason,
    ...(asked.why === undefined ? {} : { why: asked.why }),
    at,
  };
}
