/** The messages between the main thread's `MemoryStore` and the memory worker. */
import type { Query } from '../../../shared/search';
import type { DetectorBacktestPage, DetectorBacktestQuery } from './detectorBacktest';
import type {
  ActionPage,
  AroundPage,
  AroundQuery,
  ActionQuery,
  AuditPage,
  EventPage,
  EventQuery,
  ReasonTarget,
  FoundEvent,
  Retention,
  SearchOptions,
  SearchPage,
  StoreBatch,
  StoredAction,
  StoreSize,
  UserKey,
  UserNote,
  UserSummary,
} from './types';

/** What the worker is started with (`workerData`). */
export interface MemoryWorkerData {
  /** The database file: `memory.sqlite` in the user-data folder. */
  file: string;
  /**
   * better-sqlite3's native module to load instead of the one in node_modules: from source, the
   * Electron entry names the copy built for Electron (`nativeModules.ts`).
   */
  nativeBinding?: string;
  retention: Retention;
  /** How often the worker prunes (the first prune runs at start). */
  pruneIntervalMs: number;
  /** The first wait before writing is tried again after a failure; each failure doubles it. */
  retryFirstMs: number;
  retryMaxMs: number;
  /** Events deleted per pruning step, each its own transaction. */
  pruneStepRows: number;
  /**
   * Opens the file read-only and only answers questions: no prune, no writes, and a damaged file
   * is left where it is. For an audit export after the store's own worker stopped.
   */
  readOnly?: boolean;
}

/** Requests that answer, each with its own answer type. */
export interface Requests {
  events: { input: EventQuery; output: EventPage };
  actions: { input: ActionQuery; output: ActionPage };
  /** A parsed query (the main thread parses it, so a malformed one never reaches the worker). */
  search: { input: SearchOptions & { query: Query }; output: SearchPage };
  /** A room's events around one, oldest first (a search result's history view). */
  around: { input: AroundQuery; output: AroundPage };
  userSummary: { input: UserKey; output: UserSummary };
  /**
   * One automod rule replayed over the window's stored chat, a bounded step at a time (the
   * worker takes batches and questions between steps).
   */
  backtestDetector: { input: DetectorBacktestQuery; output: DetectorBacktestPage };
  /** The users the store knows as the room's chatters (`chatters`, schema migration 5). */
  roomChatters: { input: { roomKey: string }; output: { userIds: string[] } };
  /** What a user wrote (no joins, leaves or empty entries), newest first, with room names. */
  userMessages: {
    input: UserKey & { before?: number; limit?: number };
    output: { results: FoundEvent[]; next: number | null };
  };
  addNote: { input: UserKey & { text: string }; output: UserNote };
  editNote: { input: { id: number; text: string }; output: { found: boolean } };
  deleteNote: { input: { id: number }; output: { found: boolean } };
  size: { input: Record<string, never>; output: StoreSize };
  clear: { input: Record<string, never>; output: StoreSize };
  /** Prunes now, to the end, and answers with the size after. */
  prune: { input: Record<string, never>; output: StoreSize };
  /** Sets SQLite's page limit, so that writing fails as on a full disk (tests only). */
  limitPages: { input: { pages: number }; output: Record<string, never> };
  /**
   * Gives the most recent matching action a reason (one still waiting to be written too); the
   * change is written in order with the other writes.
   */
  attachReason: { input: ReasonTarget; output: { found: boolean } };
  /** The audit log's actions oldest first, one page after the cursor, with what still waits. */
  auditPage: { input: { after?: number; limit?: number }; output: AuditPage };
  /**
   * Actions from the audit log's files, in one transaction; one already stored (same time,
   * account, room, message, user, action and result) is skipped, so importing twice adds nothing.
   */
  importActions: { input: { actions: StoredAction[] }; output: { imported: number } };
  /** Waits until every write posted before it is committed (or failed). */
  flush: { input: Record<string, never>; output: { waiting: number } };
}
export type RequestName = keyof Requests;

export type ToWorker =
  | { type: 'batch'; batch: StoreBatch; items: number }
  /** Actions the audit log recorded, oldest first. */
  | { type: 'actions'; actions: StoredAction[] }
  /** How long and how much to keep from now on (the settings changed): prunes with it at once. */
  | { type: 'retention'; retention: Retention }
  | { type: 'request'; id: number; name: RequestName; input: unknown }
  | { type: 'close' };

export type FromWorker =
  /**
   * Writes committed since the last report: the events and updates, counted as the posts counted
   * them, and the actions, the oldest posted first.
   */
  | { type: 'written'; items: number; actions: number }
  | { type: 'answer'; id: number; ok: true; value: unknown }
  | { type: 'answer'; id: number; ok: false; message: string }
  /** Writing stopped (full disk, or the file cannot be written); batches wait in the worker. */
  | { type: 'paused'; reason: string }
  | { type: 'resumed' }
  /**
   * The full-text indexes were damaged (`reason`) and were written again from the events: the file
   * and everything in it are kept.
   */
  | { type: 'indexesRebuilt'; reason: string }
  /** The file was damaged: moved aside as `copy`, and a new one started. */
  | { type: 'movedAside'; copy: string; reason: string }
  /** The store cannot be opened at all; nothing is written. */
  | { type: 'unavailable'; reason: string }
  | { type: 'closed' };
