/**
 * What the feed and moderation services need from a provider. Each provider folder implements
 * `ProviderAccount` for one account; an action a provider lacks is simply absent, and its
 * `capabilities` say so to the UI.
 */
import type {
  AdminRoom,
  AdminRoomChanges,
  AdminRoomSettings,
  BroadcastRequest,
  Capabilities,
  ChatEvent,
  ChatRoomInfo,
  ConnectionState,
  DirectRequest,
  DirectResult,
  Member,
  RoomSummary,
  UserRestrictions,
} from '../../shared/chat';
import type { ErrorInfo } from '../../shared/contract';
import type { ProviderId } from '../../shared/model';

/** A room the live feed carries. `channel` is the provider's live address for it. */
export interface LiveRoom {
  roomKey: string;
  roomId: string;
  channel: string;
}

/**
 * The flags of an event the word filter has not read yet, and of every clean one: one frozen
 * array rather than a new empty one per event. Normalisers put it in the event they build, so
 * the filter's result is stored in a field the object already has (a field added later costs the
 * object a second one to hold it, for as long as the event stays buffered).
 */
export const NO_FLAGS = Object.freeze([]) as unknown as ChatEvent['flags'];

/**
 * A normalised frame: an event whose flags are still `NO_FLAGS` (`trimmed` when part of what it
 * carried was cut to `boundJson`'s limits), or why it could not be read.
 */
export type LiveFrame =
  { ok: true; event: ChatEvent; trimmed?: true } | { ok: false; reason: string };

export interface LiveListener {
  frame(roomKey: string, frame: LiveFrame): void;
  /**
   * The account's connection changed: every room on it shares the state, or only `roomKeys` when
   * given (the others are down on their own, `roomStatus`).
   */
  status(
    state: ConnectionState,
    detail: { error?: ErrorInfo; retryAt?: number },
    roomKeys?: readonly string[],
  ): void;
  /**
   * The connection came back after being down from `from` to `to` (epoch ms): in every room of
   * the account, or only in `roomKeys` when given (a room that was down on its own).
   */
  gap(from: number, to: number, roomKeys?: readonly string[]): void;
  /**
   * One room's state on a connection that is otherwise fine: a VChatCloud room whose join was
   * refused (banned, closed, gone) is `offline` with the reason, `live` once it joins again; a
   * FlipFlop room whose subscription was refused is `reconnecting` until its next try (`retryAt`).
   */
  roomStatus?(
    roomKey: string,
    state: ConnectionState,
    detail: { error?: ErrorInfo; retryAt?: number },
  ): void;
  /** A line for the debug log about the connection (a server that sends no receipts). */
  debug?(message: string, fields: Record<string, unknown>): void;
}

/** One live connection per account, carrying every open room of that account. */
export interface LiveFeed {
  add(room: LiveRoom): void;
  remove(roomKey: string): void;
  readonly roomCount: number;
  /** When its rooms were last known alive (now while they are live); null if they never were. */
  lastAlive(): number | null;
  close(): Promise<void>;
}

export interface ResolvedRoom {
  name: string;
  channel: string;
  chatOpen: boolean;
}

export interface MembersPage {
  members: Member[];
  nextCursor: string | null;
}

export type AdminMessage = Omit<BroadcastRequest, 'roomKeys'>;
export type DirectMessage = Omit<DirectRequest, 'roomKey'>;

export interface ProviderAccount {
  readonly provider: ProviderId;
  /** The provider's name as the moderator reads it ("FlipFlop"). */
  readonly label: string;
  readonly capabilities: Capabilities;
  /** The moderator's own chat user id, once known (FlipFlop learns it from its chat token). */
  moderatorUserId(): string | null;
  /** The name the moderator's own messages carry in the room. */
  moderatorName(): string;
  listRooms(): Promise<RoomSummary[]>;
  resolveRoom(roomId: string): Promise<ResolvedRoom>;
  /**
   * A live feed for the account's rooms. `downSince`: when a feed it replaces was last alive, so
   * that the gap from then is reported once this one's rooms are live.
   */
  openLive(listener: LiveListener, downSince?: number): LiveFeed;

  /** `watch` hears every answer of the service to it, retries included (the hold queue's pace). */
  hide?(roomId: string, messageId: string, watch?: AnswerWatcher): Promise<void>;
  unhide?(roomId: string, messageId: string): Promise<void>;
  delete?(roomId: string, messageId: string): Promise<void>;
  broadcast?(roomId: string, message: AdminMessage): Promise<string>;
  /** The message's id, and the receivers it did not reach when it reached some. */
  direct?(roomId: string, message: DirectMessage): Promise<DirectResult>;
  members?(
    roomId: string,
    cursor: string | undefined,
    count: number | undefined,
  ): Promise<MembersPage>;
  chatRoom?: {
    get(roomId: string): Promise<ChatRoomInfo>;
    create(roomId: string): Promise<ChatRoomInfo>;
    close(roomId: string): Promise<ChatRoomInfo>;
  };
  bannedWords?: {
    set(words: string[]): Promise<void>;
    unset(words: string[]): Promise<void>;
  };
  /** Restrictions on a user in a room (VChatCloud mute and exile). */
  users?: {
    mute(roomId: string, userId: string): Promise<void>;
    unmute(roomId: string, userId: string): Promise<void>;
    exile(roomId: string, userId: string): Promise<void>;
    unexile(roomId: string, userId: string): Promise<void>;
    restrictions(roomId: string): Promise<UserRestrictions>;
  };
  /** A custom message to the room, now or at `sendAt` (epoch ms). */
  customMessage?(roomId: string, message: string, sendAt?: number): Promise<void>;
  /** The provider's rooms themselves (VChatCloud). */
  roomAdmin?: {
    get(roomId: string): Promise<AdminRoom>;
    create(settings: AdminRoomSettings): Promise<AdminRoom>;
    modify(roomId: string, changes: AdminRoomChanges): Promise<AdminRoom>;
    destroy(roomId: string): Promise<void>;
  };
}

/**
 * Told of each HTTP answer to one call, every try of it: the status, and the wait its
 * `Retry-After` asked for. The hold queue paces its hides by them (429 and 5xx).
 */
export type AnswerWatcher = (answer: { status: number; retryAfterMs?: number }) => void;
