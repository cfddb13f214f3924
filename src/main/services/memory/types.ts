/** What the store keeps and answers, shared by its worker and the main thread's client. */
import type { ReasonData } from '../../../shared/automod/reasons';
import type { ChatEvent, EventUpdate } from '../../../shared/chat';

/** A room as the store names it: its provider and the name it had when its events arrived. */
export interface StoredRoom {
  roomKey: string;
  accountId: string;
  provider: string;
  name: string;
}

/** One `feed.batch` as the store takes it: its events and state changes, and the rooms they name. */
export interface StoreBatch {
  /** When main handed it over (epoch ms): the time of its state changes. */
  at: number;
  events: ChatEvent[];
  updates: EventUpdate[];
  /** Rooms the store has not been told about yet. */
  rooms: StoredRoom[];
}

/** One moderation action this app performed, as the audit log names it. */
export interface StoredAction {
  at: number;
  accountId: string;
  roomKey?: string;
  /**
   * The room's name as the action's record gave it: the store names rooms from its own table, but
   * an action it hands back uncommitted (`onActionsLost`) keeps its name this way.
   */
  roomName?: string;
  messageId?: string;
  userId?: string;
  userName?: string;
  action: string;
  /** Why, in the moderator's words: given with the action or attached after (`ReasonTarget`). */
  reason?: string;
  /** An automatic action's reason as values (a rule's verdict), beside its English `reason`. */
  why?: ReasonData;
  /** `ok`, `unknown`, or the error code. */
  result: string;
  text?: string;
  detail?: string;
}

/** A reason for an action already recorded: the most recent one that matches takes it. */
export interface ReasonTarget {
  roomKey: string;
  /** As the audit log names it: `hide`, `delete`, `users.mute`, `users.exile`. */
  action: string;
  messageId?: string;
  userId?: string;
  reason: string;
}

/** Actions oldest first, for the audit log's export: one page, then the writes still waiting. */
export interface AuditPage {
  actions: Array<StoredAction & { id: number; roomName?: string }>;
  /** The cursor of the next page (give it as `after`); null when this was the last. */
  next: number | null;
  /**
   * On the last page: actions not committed yet (writing paused on a full disk), in order. The
   * export includes them, as the file log includes the lines it keeps in memory.
   */
  waiting: StoredAction[];
}

export type StoredState = 'visible' | 'hidden' | 'deleted' | 'held';

/** A stored event: the chat event as the feed carried it, with its place and its history. */
export type StoredEvent = Omit<ChatEvent, 'state'> & {
  /** Insertion order; a page's cursor. */
  seq: number;
  state: StoredState;
  stateChanges: Array<[StoredState, number]>;
};

/** A user in the store: unique within an account. */
export interface UserKey {
  accountId: string;
  userId: string;
}

/** Which events, newest first. Every condition given must hold. */
export interface EventQuery {
  roomKeys?: string[];
  user?: UserKey;
  /** Received at or after (epoch ms). */
  from?: number;
  /** Received before (epoch ms). */
  to?: number;
  /** Words the text must contain, each as a substring, letter case ignored. */
  terms?: string[];
  states?: StoredState[];
  flagged?: boolean;
  /** The cursor: only events stored before this one (the `next` of the previous page). */
  before?: number;
  /** At most this many (default 50, at most 500). */
  limit?: number;
}

export interface EventPage {
  events: StoredEvent[];
  /** The cursor of the next (older) page; null when this was the last. */
  next: number | null;
}

/** Which actions, newest first. */
export interface ActionQuery {
  user?: UserKey;
  roomKeys?: string[];
  /** The cursor: only actions recorded before this one (the `next` of the previous page). */
  before?: number;
  limit?: number;
}

export interface ActionPage {
  actions: Array<StoredAction & { id: number }>;
  next: number | null;
}

export interface UserNote {
  id: number;
  accountId: string;
  userId: string;
  text: string;
  createdAt: number;
  editedAt: number | null;
}

/** What the store knows of a user. */
export interface UserSummary {
  firstSeen: number | null;
  lastSeen: number | null;
  /** The name they last had. */
  name: string | null;
  messages: number;
  flagged: number;
  hidden: number;
  deleted: number;
  rooms: Array<{ roomKey: string; name: string | null; messages: number; lastSeen: number }>;
  /** This app's successful actions on them. */
  mutes: number;
  exiles: number;
  notes: UserNote[];
}

export interface StoreSize {
  /** The database file and its write-ahead log, on disk. */
  bytes: number;
  /** Pages in use (the rest are free, to be reused or given back). */
  usedBytes: number;
  events: number;
  actions: number;
}

/** How long and how much the store keeps. */
export interface Retention {
  maxAgeMs: number;
  maxBytes: number;
}

export const DEFAULT_RETENTION: Retention = {
  maxAgeMs: 30 * 24 * 60 * 60 * 1000,
  maxBytes: 2 * 1024 * 1024 * 1024,
};

/** Where and how far a search looks; the query itself is parsed (`src/shared/search`). */
export interface SearchOptions {
  /** Only these rooms; every room when absent or empty. */
  roomKeys?: string[];
  /** The cursor: only events stored before this one (the `nextCursor` of the previous page). */
  cursor?: number;
  /** At most this many results (default 50, at most 500). */
  limit?: number;
  /** UTF-16 units of text confirmed at most (`DEFAULT_SCAN_UNITS` when absent). */
  maxUnits?: number;
  /** Milliseconds one page reads (480 when absent); past it, between chunks, the page stops early. */
  maxMs?: number;
}

/** A stored event as search finds it, with its room's name. */
export type FoundEvent = StoredEvent & { roomName: string | null };

export interface SearchPage {
  results: FoundEvent[];
  /** The cursor to go on from; null when nothing older can match. */
  nextCursor: number | null;
  /** The scan's budget ran out before the end: `nextCursor` goes on where it stopped. */
  stoppedEarly: boolean;
}

/** A room's events around one of them (`history.around`): a history view of a search result. */
export interface AroundQuery {
  roomKey: string;
  /** The event in the middle (its `seq`). */
  seq: number;
  /** Events stored before it, at most (default 20, at most 100). */
  before?: number;
  /** Events stored after it, at most (default 20, at most 100). */
  after?: number;
}

export interface AroundPage {
  /** Oldest first: up to `before` events, the event itself when the room holds it, up to `after`. */
  events: FoundEvent[];
  /** The room's name when the store last heard it; null when it never did. */
  roomName: string | null;
}
