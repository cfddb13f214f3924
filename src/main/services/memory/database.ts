/**
 * The store's SQLite file and every statement on it. It runs wherever it is opened; the app opens
 * it only in the memory worker (`worker.ts`), so the main thread never runs SQL.
 */
import Database, { type Database as Db, type Statement } from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, openSync, renameSync, statSync } from 'node:fs';
import { readReason, type ReasonData } from '../../../shared/automod/reasons';
import { FIRST_KINDS, type ChatEvent } from '../../../shared/chat';
import {
  DEFAULT_SCAN_UNITS,
  foldText,
  scanMessages,
  type Query,
  type SearchableMessage,
} from '../../../shared/search';
import {
  replayDetector,
  type DetectorBacktestPage,
  type DetectorBacktestQuery,
} from './detectorBacktest';
import { LATEST_VERSION, migrate, roomFolds, userFolds } from './schema';
import {
  FIRST_COLUMN_SQL,
  FOLD_FUNCTION,
  indexedTermCondition,
  roomKeysSql,
  searchConditions,
  searchDriver,
} from './searchSql';
import { shortTermTokens } from './shortTerms';
import type {
  ActionPage,
  ActionQuery,
  AroundPage,
  AroundQuery,
  AuditPage,
  EventPage,
  EventQuery,
  FoundEvent,
  ReasonTarget,
  Retention,
  SearchOptions,
  SearchPage,
  StoreBatch,
  StoredAction,
  StoredEvent,
  StoredState,
  StoreSize,
  UserKey,
  UserNote,
  UserSummary,
} from './types';

/** SQLite's result codes that say the file is not a database, or a damaged one. */
const DAMAGED = new Set(['SQLITE_CORRUPT', 'SQLITE_NOTADB']);

/** Whether an error from SQLite says the file is damaged (and should be moved aside). */
export function isDamaged(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && [...DAMAGED].some((damaged) => code.startsWith(damaged));
}

/**
 * Whether an error from SQLite says FTS5 found its own records damaged (SQLITE_CORRUPT_VTAB: the
 * only virtual tables here are the two full-text indexes), which `rebuildIndexes` can mend. Damaged
 * pages, under an index too, are SQLITE_CORRUPT: a rebuild cannot even empty them.
 */
export function isIndexDamaged(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'SQLITE_CORRUPT_VTAB';
}

/** Whether an error from SQLite says nothing more can be written for now (a full disk). */
export function isFull(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_FULL' || (typeof code === 'string' && code.startsWith('SQLITE_IOERR'));
}

/** What the worker commits: a feed batch, an action, or a reason for an action committed before. */
export type StoreWrite =
  { batch: StoreBatch } | { action: StoredAction } | { reason: { id: number; text: string } };

export interface OpenedStore {
  store: MemoryDatabase;
  /** Where a damaged file was moved, and why, when it was. */
  movedAside?: { copy: string; reason: string };
}

/**
 * Opens the store's file, creating it (mode 0600) when missing. A file SQLite cannot read as a
 * database is moved aside as `<file>.corrupt-<time>` (with its write-ahead log) and a new one
 * started in its place.
 */
export function openStore(file: string, now: number, nativeBinding?: string): OpenedStore {
  try {
    return { store: new MemoryDatabase(file, LATEST_VERSION, nativeBinding) };
  } catch (error) {
    if (!isDamaged(error)) throw error;
    const copy = moveAside(file, now);
    return {
      store: new MemoryDatabase(file, LATEST_VERSION, nativeBinding),
      movedAside: { copy, reason: error instanceof Error ? error.message : String(error) },
    };
  }
}

/** Renames the file (and its -wal and -shm) to `<file>.corrupt-<time>`; returns the new name. */
export function moveAside(file: string, now: number): string {
  const stamp = new Date(now).toISOString().replace(/[:.]/g, '-');
  const copy = `${file}.corrupt-${stamp}`;
  renameSync(file, copy);
  for (const suffix of ['-wal', '-shm']) {
    if (existsSync(file + suffix)) renameSync(file + suffix, copy + suffix);
  }
  return copy;
}

type EventRow = {
  seq: number;
  room_key: string;
  event_id: string;
  message_id: string | null;
  user_id: string | null;
  user_name: string | null;
  kind: ChatEvent['kind'];
  text: string;
  created_at: number;
  received_at: number;
  flags: string | null;
  state: StoredState;
  state_changes: string | null;
  extra: string | null;
  handled: 0 | 1;
};

/** An event a prune deletes. */
type Victim = {
  seq: number;
  text: string;
  room_key: string;
  user_id: string | null;
  kind: string;
};

type ActionRow = {
  id: number;
  at: number;
  account_id: string;
  room_key: string | null;
  message_id: string | null;
  user_id: string | null;
  user_name: string | null;
  action: string;
  reason: string | null;
  /** `ReasonData` as JSON (schema version 7). */
  why: string | null;
  result: string;
  text: string | null;
  detail: string | null;
};

/** The fields of an event beyond the columns, kept as JSON. */
const EXTRA_FIELDS = [
  'first',
  'held',
  'customType',
  'data',
  'receivers',
  'toModerator',
  'fromModerator',
  'counts',
  'gap',
] as const;

/** Kinds that make a user a chatter of a room (schema migration 5). */
const FIRST_CHAT: ReadonlySet<string> = new Set(FIRST_KINDS);

/** Names `ingest` remembers having written to `user_names` (a set, emptied when full). */
const NAMES_REMEMBERED = 50_000;

/** A chatter of a room in one batch: their first message in it and their latest. */
interface BatchChatter {
  roomKey: string;
  userId: string;
  accountId: string;
  seq: number;
  at: number;
  last: number;
}

/** Pages of full-text merging after each write (automerge is off: schema migration 4). */
const MERGE_PAGES = 16;

/** How much a prune may do between two turns of the worker's event loop, and how long it tidies. */
export interface PruneSteps {
  /** Events (and actions) deleted per step, each its own transaction. */
  rows: number;
  /** Pages given back to the file system per tidying step. */
  tidyPages: number;
  /** Tidying steps at most each time a prune tidies. */
  tidySteps: number;
}

/** The share of the events a prune for size deletes beyond the excess's share (`eventsOverSize`). */
const SIZE_MARGIN = 0.01;

const PAGE_DEFAULT = 50;
const PAGE_MAX = 500;

/** Events either side of a search result in its history view, by default and at most. */
const AROUND_DEFAULT = 20;
const AROUND_MAX = 100;

/** Candidates read from SQL at a time while a search confirms them. */
const SEARCH_CHUNK = 500;
/**
 * How long one page of a search reads before it answers with what it found and a cursor to go on
 * from (`stoppedEarly`): a word found nowhere, or a `regex:`, over millions of events. The time is
 * looked at between chunks, so it is a little under the 500 ms a page may take: the chunk in hand
 * (500 candidates) is finished first.
 */
const SEARCH_MS = 480;

type FoundRow = EventRow & { room_name: string | null; first: 0 | 1 };

/**
 * Something a user wrote, as a user card counts and lists it: not a join, a leave, a gap, or an
 * entry with no text (VChatCloud's mute and exile pushes are `system` events naming the user, with
 * none). The renderer's own test (`lib/userHistory.ts`) also drops text of invisible characters.
 */
function saidSql(table = ''): string {
  return `${table}kind NOT IN ('join', 'leave', 'gap') AND trim(${table}text, ' ' || char(9, 10, 13)) <> ''`;
}

/** Opens (or creates, mode 0600) the store's file for writing, its schema at `version`. */
function openForWriting(file: string, version: number, nativeBinding?: string): Db {
  if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600));
  chmodSync(file, 0o600);
  const db = new Database(file, nativeBinding === undefined ? {} : { nativeBinding });
  try {
    // A file that is not a database fails here, before anything is written to it.
    db.prepare('SELECT count(*) FROM sqlite_schema').get();
    // Only takes effect on a file without tables; every file this store creates has it, so
    // pruned pages can be given back to the file system a few at a time.
    db.pragma('auto_vacuum = INCREMENTAL');
    db.pragma('journal_mode = WAL');
    // In WAL mode, NORMAL syncs at checkpoints only: a killed process loses nothing committed,
    // and a power cut at most the commits since the last checkpoint (DESIGN.md; README here).
    db.pragma('synchronous = NORMAL');
    db.pragma('journal_size_limit = 16777216');
    migrate(db, version);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/**
 * Opens the store's file read-only. Its schema must be `version` already: one this ModDeck has
 * not migrated (or a newer ModDeck's) may have other columns, and is not read.
 */
function openReadOnly(file: string, version: number, nativeBinding?: string): Db {
  const db = new Database(file, {
    readonly: true,
    fileMustExist: true,
    ...(nativeBinding === undefined ? {} : { nativeBinding }),
  });
  try {
    const current = db.pragma('user_version', { simple: true }) as number;
    if (current !== version)
      throw new Error(`the store's schema is ${current}, and this ModDeck reads ${version}`);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

export class MemoryDatabase {
  readonly db: Db;
  private readonly statements: ReturnType<MemoryDatabase['prepare']>;
  /** Names lately written to `user_names` by committed batches (`addUserName`). */
  private readonly namesWritten = new Set<string>();

  /**
   * Opens (or creates) the file and brings its schema to `version` (the latest unless a test says).
   * With `readOnly`, opens a file that must exist and be at that version already, and changes
   * nothing.
   */
  constructor(
    readonly file: string,
    version = LATEST_VERSION,
    nativeBinding?: string,
    { readOnly = false }: { readOnly?: boolean } = {},
  ) {
    const db = readOnly
      ? openReadOnly(file, version, nativeBinding)
      : openForWriting(file, version, nativeBinding);
    // from: confirms the folded name in SQL, on the events of the users `user_names` found.
    db.function(FOLD_FUNCTION, { deterministic: true }, (value: unknown) =>
      typeof value === 'string' ? foldText(value) : null,
    );
    this.db = db;
    this.statements = this.prepare();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  /** Writes one batch in one transaction: its rooms, its new events, its state changes. */
  ingest(batch: StoreBatch): void {
    this.commit([{ batch }]);
  }

  /**
   * Writes in one transaction, in order, what the worker has waiting: feed batches, actions and
   * reasons. A worker that fell behind commits them together (`worker.ts`), so the pages each
   * commit writes (a leaf of every user's index range, the full-text segments) are written once for
   * them all; an action between two batches no longer splits them, and a raid's thousand automatic
   * hides a second are not a thousand commits. Nothing is written if one of them fails.
   */
  commit(writes: readonly StoreWrite[]): void {
    const s = this.statements;
    const chatters = new Map<string, BatchChatter>();
    const names: string[] = [];
    let events = false;
    this.db.transaction(() => {
      for (const write of writes) {
        if ('batch' in write) {
          this.write(write.batch, chatters, names);
          events ||= write.batch.events.length > 0;
        } else if ('action' in write) this.action(write.action);
        else this.setReason(write.reason.id, write.reason.text);
      }
      // One row a chatter and transaction: their first message in it, and their latest.
      for (const c of chatters.values()) {
        s.chatter.run(c.roomKey, c.userId, c.accountId, c.seq, c.at, c.last);
      }
      if (events) this.merge();
    })();
    this.rememberNames(names);
  }

  private write(batch: StoreBatch, chatters: Map<string, BatchChatter>, names: string[]): void {
    const s = this.statements;
    for (const room of batch.rooms) {
      s.room.run(
        room.roomKey,
        room.accountId,
        room.provider,
        room.name,
        ...roomFolds(room.roomKey, room.name),
      );
    }
    // A room without a name yet still gets a row, so that `in:` finds its events by key.
    const unnamed = new Set<string>();
    for (const event of batch.events) unnamed.add(event.roomKey);
    for (const roomKey of unnamed) {
      s.unnamedRoom.run(roomKey, roomKey.slice(0, roomKey.indexOf('/')), ...roomFolds(roomKey, ''));
    }
    for (const event of batch.events) {
      const slash = event.roomKey.indexOf('/');
      const accountId = event.roomKey.slice(0, slash);
      const userId = event.user?.id ?? null;
      const result = s.event.run(
        event.roomKey,
        event.id,
        accountId,
        event.messageId,
        userId,
        event.user?.name ?? null,
        event.kind,
        event.text,
        event.createdAt,
        event.receivedAt,
        event.flags.length > 0 ? JSON.stringify(event.flags) : null,
        event.state,
        extraOf(event),
        event.handled === true ? 1 : 0,
      );
      if (result.changes === 0) continue;
      if (event.user) this.addUserName(accountId, event.user.id, event.user.name, names);
      if (userId !== null && FIRST_CHAT.has(event.kind)) {
        const seq = Number(result.lastInsertRowid);
        const key = `${event.roomKey}\n${userId}`;
        const known = chatters.get(key);
        if (known) known.last = seq;
        else
          chatters.set(key, {
            roomKey: event.roomKey,
            userId,
            accountId,
            seq,
            at: event.receivedAt,
            last: seq,
          });
      }
      if (event.text === '') continue;
      s.trigram.run(result.lastInsertRowid, event.text);
      s.pairs.run(result.lastInsertRowid, shortTermTokens(event.text));
    }
    for (const update of batch.updates) {
      // Flags a rule gave an event after it was sent (and a hold): its state did not change.
      if (update.flags !== undefined) {
        const held = update.held === undefined ? null : JSON.stringify(update.held);
        s.flags.run(
          update.flags.length > 0 ? JSON.stringify(update.flags) : null,
          held,
          held,
          update.roomKey,
          update.id,
        );
        continue;
      }
      s.state.run(
        update.state,
        batch.at,
        update.state,
        batch.at,
        update.handled === true ? 1 : 0,
        update.roomKey,
        update.id,
      );
    }
  }

  /**
   * Keeps a name a user was seen with (`user_names`, for `from:`). The names written lately are
   * remembered, so a chatter's every message does not fold their name and write it again: that
   * was a quarter of the time an event took to store.
   */
  private addUserName(accountId: string, userId: string, name: string, written: string[]): void {
    const key = `${accountId}\n${userId}\n${name}`;
    if (this.namesWritten.has(key)) return;
    this.statements.addUserName.run(accountId, userId, ...userFolds(userId, name));
    written.push(key);
  }

  /** Remembers names a batch wrote, once it is committed (a rolled-back one wrote nothing). */
  private rememberNames(written: readonly string[]): void {
    for (const key of written) {
      if (this.namesWritten.size >= NAMES_REMEMBERED) this.namesWritten.clear();
      this.namesWritten.add(key);
    }
  }

  /** Records one moderation action. */
  action(action: StoredAction): void {
    this.statements.action.run(
      action.at,
      action.accountId,
      action.roomKey ?? null,
      action.messageId ?? null,
      action.userId ?? null,
      action.userName ?? null,
      action.action,
      action.reason ?? null,
      action.result,
      action.text ?? null,
      action.detail ?? null,
      action.why === undefined ? null : JSON.stringify(action.why),
    );
  }

  /** The id of the most recent action a reason is for, or null when none was recorded. */
  reasonTarget(target: Omit<ReasonTarget, 'reason'>): number | null {
    const on = target.messageId === undefined ? 'user_id' : 'message_id';
    const row = this.db
      .prepare<unknown[], { id: number }>(
        `SELECT id FROM actions WHERE room_key = ? AND action = ? AND ${on} = ?
         ORDER BY id DESC LIMIT 1`,
      )
      .get(target.roomKey, target.action, target.messageId ?? target.userId);
    return row?.id ?? null;
  }

  /** Sets an action's reason; false when there is no such action (pruned or cleared since). */
  setReason(id: number, reason: string): boolean {
    return this.statements.setReason.run(reason, id).changes > 0;
  }

  /** Actions oldest first after the cursor `after`, with their room's name (for the export). */
  auditPage(after: number, requested?: number): Omit<AuditPage, 'waiting'> {
    const limit = Math.min(Math.max(1, requested ?? PAGE_MAX), PAGE_MAX);
    const rows = this.statements.auditPage.all(after, limit + 1) as Array<
      ActionRow & { room_name: string | null }
    >;
    const items = rows.slice(0, limit);
    return {
      actions: items.map((row) => ({
        ...actionOf(row),
        ...(row.room_name ? { roomName: row.room_name } : {}),
      })),
      next: rows.length > limit ? (items.at(-1)?.id ?? null) : null,
    };
  }

  /** Stores actions from the audit log's files in one transaction, skipping those already here. */
  importActions(actions: StoredAction[]): number {
    const s = this.statements;
    return this.db.transaction(() => {
      let imported = 0;
      for (const action of actions) {
        const key = [
          action.at,
          action.accountId,
          action.roomKey ?? null,
          action.messageId ?? null,
          action.userId ?? null,
          action.action,
          action.result,
        ];
        if (s.sameAction.get(...key) !== undefined) continue;
        this.action(action);
        imported += 1;
      }
      return imported;
    })();
  }

  /** Events matching the query, newest first, one page. */
  events(query: EventQuery): EventPage {
    const where = new Conditions();
    where.oneOf('room_key', query.roomKeys);
    if (query.user)
      where.add('account_id = ? AND user_id = ?', query.user.accountId, query.user.userId);
    if (query.from !== undefined) where.add('received_at >= ?', query.from);
    if (query.to !== undefined) where.add('received_at < ?', query.to);
    where.oneOf('state', query.states);
    if (query.flagged !== undefined) where.add(`flags IS ${query.flagged ? 'NOT ' : ''}NULL`);
    if (query.before !== undefined) where.add('seq < ?', query.before);
    for (const term of query.terms ?? []) where.add(...termCondition(term));
    const { items, next } = this.page<EventRow>('events', 'seq', where, query.limit);
    return { events: items.map(eventOf), next };
  }

  /**
   * Events matching a parsed query, newest first, one page. SQL narrows the events to candidates
   * (`searchSql.ts`) and `scanMessages` confirms them in chunks within a budget of text, so a
   * query the indexes cannot narrow (`regex:`, `has:link`) stops early with a cursor to go on.
   */
  search(query: Query, options: SearchOptions = {}): SearchPage {
    const limit = Math.min(Math.max(1, options.limit ?? PAGE_DEFAULT), PAGE_MAX);
    const read = this.candidateReader(query, options.roomKeys);
    const deadline = performance.now() + (options.maxMs ?? SEARCH_MS);
    const results: FoundRow[] = [];
    let unitsLeft = options.maxUnits ?? DEFAULT_SCAN_UNITS;
    let cursor = options.cursor ?? Number.MAX_SAFE_INTEGER;
    for (;;) {
      const { rows, last: lastRead, more } = read(cursor);
      const messages = rows.map(searchableOf);
      const scan = scanMessages(query, messages, { maxUnits: unitsLeft });
      const wanted = limit - results.length;
      if (scan.matches.length >= wanted) {
        const taken = scan.matches.slice(0, wanted);
        results.push(...taken.map((message) => message.row));
        // Read to the end with nothing left over: no page follows.
        const exhausted = scan.matches.length === wanted && !scan.stoppedEarly;
        if (exhausted && !more) return this.found(results, null, false);
        // Resumes after the last result: what was scanned past it is scanned again, not lost.
        return this.found(results, taken.at(-1)?.row.seq ?? null, false);
      }
      results.push(...scan.matches.map((message) => message.row));
      if (scan.stoppedEarly) {
        return this.found(results, messages[scan.scanned - 1]?.row.seq ?? cursor, true);
      }
      if (!more || lastRead === undefined) return this.found(results, null, false);
      unitsLeft -= messages.reduce((units, message) => units + message.text.length, 0);
      cursor = lastRead;
      // Past its time the search says so and gives the cursor to go on from; the first chunk is
      // always read, so asking again moves on.
      if (performance.now() > deadline) return this.found(results, cursor, true);
    }
  }

  /**
   * How a search reads its candidates, newest first, a chunk at a time from `cursor` (exclusive):
   * the rows (with every SQL condition applied), the `seq` it read down to, and whether more may
   * follow. With a word an index answers, that index gives the chunk's `seq`s in order and stops
   * there (an index asked for all of a common word's events hands SQLite millions of them before
   * the newest are taken); otherwise the events table does, with the other conditions.
   */
  private candidateReader(
    query: Query,
    roomKeys: readonly string[] | undefined,
  ): (cursor: number) => { rows: FoundRow[]; last: number | undefined; more: boolean } {
    const driver = searchDriver(query);
    const where = new Conditions();
    where.oneOf('e.room_key', roomKeys);
    const rooms = (values: readonly string[]): string[] => {
      const [sql, keys] = roomKeysSql(values);
      return this.db
        .prepare<unknown[], { room_key: string }>(sql)
        .all(...keys)
        .map((row) => row.room_key);
    };
    const tested = driver?.covers
      ? { ...query, clauses: query.clauses.filter((clause) => clause !== driver.covers) }
      : query;
    for (const [sql, values] of searchConditions(tested, driver === null, rooms)) {
      where.add(sql, ...values);
    }
    const select = `SELECT e.*, r.name AS room_name, ${FIRST_COLUMN_SQL} AS first
       FROM events e LEFT JOIN rooms r ON r.room_key = e.room_key`;
    const and = where.sql ? `${where.sql} AND` : 'WHERE';
    if (driver === null) {
      const candidates = this.db.prepare<unknown[], FoundRow>(
        `${select} ${and} e.seq < ? ORDER BY e.seq DESC LIMIT ?`,
      );
      return (cursor) => {
        const rows = candidates.all(...where.values, cursor, SEARCH_CHUNK);
        return { rows, last: rows.at(-1)?.seq, more: rows.length === SEARCH_CHUNK };
      };
    }
    const seqs = this.db.prepare<unknown[], { rowid: number }>(driver.sql);
    const candidates = this.db.prepare<unknown[], FoundRow>(
      `${select} ${and} e.seq IN (SELECT value FROM json_each(?)) ORDER BY e.seq DESC`,
    );
    return (cursor) => {
      const chunk = seqs.all(...driver.values, cursor, SEARCH_CHUNK).map((row) => row.rowid);
      const rows = chunk.length === 0 ? [] : candidates.all(...where.values, JSON.stringify(chunk));
      return { rows, last: chunk.at(-1), more: chunk.length === SEARCH_CHUNK };
    };
  }

  /**
   * The room's events just before and after `seq`, oldest first, with the event itself when the
   * room holds it: what a history view shows around a search result that left the live buffer.
   */
  around(query: AroundQuery): AroundPage {
    const before = Math.min(Math.max(0, query.before ?? AROUND_DEFAULT), AROUND_MAX);
    const after = Math.min(Math.max(0, query.after ?? AROUND_DEFAULT), AROUND_MAX);
    const s = this.statements;
    const older = s.aroundBefore.all(query.roomKey, query.seq, before) as EventRow[];
    const found = s.aroundAt.all(query.roomKey, query.seq) as EventRow[];
    const newer = s.aroundAfter.all(query.roomKey, query.seq, after) as EventRow[];
    const rows = [...older.reverse(), ...found, ...newer];
    const name = s.roomName.get(query.roomKey) as { name: string } | undefined;
    const roomName = name?.name || null;
    return { events: rows.map((row) => ({ ...eventOf(row), roomName })), roomName };
  }

  /**
   * Replays one automod rule over the stored chat of a recent window (`detectorBacktest.ts`), one
   * bounded step per `next()`: the worker takes its other messages between steps.
   */
  backtestDetector(query: DetectorBacktestQuery): Generator<void, DetectorBacktestPage, void> {
    return replayDetector(this.db, query);
  }

  private found(rows: FoundRow[], nextCursor: number | null, stoppedEarly: boolean): SearchPage {
    // A room the store has events of but no name for yet has an empty one (schema migration 5).
    const results: FoundEvent[] = rows.map((row) => ({
      ...eventOf(row),
      roomName: row.room_name || null,
    }));
    return { results, nextCursor, stoppedEarly };
  }

  /** One page of a table's rows, newest first by `key`, and the cursor of the next. */
  private page<Row extends Record<string, unknown>>(
    table: string,
    key: string,
    where: Conditions,
    requested: number | undefined,
  ): { items: Row[]; next: number | null } {
    const limit = Math.min(Math.max(1, requested ?? PAGE_DEFAULT), PAGE_MAX);
    const rows = this.db
      .prepare<unknown[], Row>(`SELECT * FROM ${table} ${where.sql} ORDER BY ${key} DESC LIMIT ?`)
      .all(...where.values, limit + 1);
    const items = rows.slice(0, limit);
    return { items, next: rows.length > limit ? (items.at(-1)?.[key] as number) : null };
  }

  /** The users of the room the store knows as its chatters (`FIRST_KINDS`). */
  roomChatters(roomKey: string): string[] {
    return this.statements.roomChatters.pluck().all(roomKey) as string[];
  }

  /** This app's actions, newest first, one page: by user or room when given. */
  actions(query: ActionQuery): ActionPage {
    const where = new Conditions();
    if (query.user)
      where.add('account_id = ? AND user_id = ?', query.user.accountId, query.user.userId);
    where.oneOf('room_key', query.roomKeys);
    if (query.before !== undefined) where.add('id < ?', query.before);
    const { items, next } = this.page<ActionRow>('actions', 'id', where, query.limit);
    return { actions: items.map(actionOf), next };
  }

  /** What a user wrote, newest first, one page, each with its room's name. */
  userMessages(user: UserKey, before: number | undefined, requested: number | undefined) {
    const limit = Math.min(Math.max(1, requested ?? PAGE_DEFAULT), PAGE_MAX);
    const rows = this.statements.userMessages.all(
      user.accountId,
      user.userId,
      before ?? Number.MAX_SAFE_INTEGER,
      limit + 1,
    ) as Array<EventRow & { room_name: string | null }>;
    const items = rows.slice(0, limit);
    return {
      results: items.map((row): FoundEvent => ({
        ...eventOf(row),
        roomName: row.room_name || null,
      })),
      next: rows.length > limit ? (items.at(-1)?.seq ?? null) : null,
    };
  }

  /**
   * What the store knows about a user: when it first and last saw them (any event, a join too),
   * what they wrote and what happened to it, where, this app's mutes and exiles, notes.
   */
  userSummary(user: UserKey): UserSummary {
    const key = [user.accountId, user.userId] as const;
    const totals = this.statements.userTotals.get(...key) as {
      first: number | null;
      last: number | null;
      messages: number;
      flagged: number | null;
      hidden: number | null;
      deleted: number | null;
    };
    const name = this.statements.userName.get(...key) as { user_name: string | null } | undefined;
    const rooms = this.statements.userRooms.all(...key) as Array<{
      roomKey: string;
      name: string | null;
      messages: number;
      lastSeen: number;
    }>;
    const actions = this.statements.userActions.get(...key) as {
      mutes: number | null;
      exiles: number | null;
    };
    return {
      firstSeen: totals.first,
      lastSeen: totals.last,
      name: name?.user_name ?? null,
      messages: totals.messages,
      flagged: totals.flagged ?? 0,
      hidden: totals.hidden ?? 0,
      deleted: totals.deleted ?? 0,
      rooms,
      mutes: actions.mutes ?? 0,
      exiles: actions.exiles ?? 0,
      notes: this.notes(user),
    };
  }

  notes(user: UserKey): UserNote[] {
    return this.statements.notes.all(user.accountId, user.userId) as UserNote[];
  }

  addNote(user: UserKey, text: string, at: number): UserNote {
    const id = Number(
      this.statements.addNote.run(user.accountId, user.userId, text, at).lastInsertRowid,
    );
    return { id, ...user, text, createdAt: at, editedAt: null };
  }

  /** Changes a note's text; false when there is no such note. */
  editNote(id: number, text: string, at: number): boolean {
    return this.statements.editNote.run(text, at, id).changes > 0;
  }

  deleteNote(id: number): boolean {
    return this.statements.deleteNote.run(id).changes > 0;
  }

  size(): StoreSize {
    const onDisk = (suffix: string): number => {
      try {
        return statSync(this.file + suffix).size;
      } catch {
        return 0;
      }
    };
    return {
      bytes: onDisk('') + onDisk('-wal'),
      usedBytes: this.usedBytes(),
      events: (this.db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n,
      actions: (this.db.prepare('SELECT count(*) AS n FROM actions').get() as { n: number }).n,
    };
  }

  /**
   * Prunes to the retention a step at a time, yielding between steps (the worker takes its
   * messages there; a test runs it to the end): events and actions older than the age, then
   * tidying, then, while the used pages exceed the size, the oldest events that the excess
   * accounts for (`eventsOverSize`), tidying again before the size is measured again.
   *
   * Deleting gives back almost nothing until the tidying: the full-text indexes keep the entries
   * and add a deletion marker for each. Deleting 2,000 of the oldest a step until the size was
   * measured under the limit deleted 12,000 of 20,000 messages for a limit of three quarters.
   */
  *prune(now: number, retention: Retention, steps: PruneSteps): Generator<void, void, void> {
    while (this.pruneStep(now, retention, steps.rows) > 0) yield;
    yield* this.tidy(steps);
    // Each round deletes at least one event, so this ends once the store fits or is empty.
    for (;;) {
      let over = this.eventsOverSize(retention.maxBytes);
      if (over === 0) return;
      while (over > 0) {
        const deleted = this.pruneOldest(Math.min(over, steps.rows));
        yield;
        if (deleted === 0) break;
        over -= deleted;
      }
      yield* this.tidy(steps);
    }
  }

  /** Tidies (`tidyStep`) until nothing is left to do or `steps.tidySteps` steps are done. */
  private *tidy(steps: PruneSteps): Generator<void, void, void> {
    for (let step = 0; step < steps.tidySteps; step += 1) {
      if (!this.tidyStep(steps.tidyPages)) return;
      yield;
    }
  }

  /**
   * Deletes at most `rows` events older than the retention's age, with their index entries, and
   * actions older than it, in one transaction. Returns how many it deleted: zero when nothing is
   * older.
   */
  pruneStep(now: number, retention: Pick<Retention, 'maxAgeMs'>, rows: number): number {
    const s = this.statements;
    const cutoff = now - retention.maxAgeMs;
    return this.db.transaction(() => {
      const events = this.deleteEvents(s.oldBefore.all(cutoff, rows) as Victim[]);
      return events + s.actionsBefore.run(cutoff, rows).changes;
    })();
  }

  /**
   * How many of the oldest events to delete for the used pages to fit in `maxBytes`: the events'
   * share of the excess, and 1 % of them more, as the tables that do not shrink with the events
   * (notes, users' names, rooms) count in the used pages too. Zero when it fits. True only after
   * tidying: before, the full-text indexes still hold what was deleted.
   */
  eventsOverSize(maxBytes: number): number {
    const used = this.usedBytes();
    if (used <= maxBytes) return 0;
    const events = (this.db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
    return Math.min(events, Math.ceil(events * ((used - maxBytes) / used + SIZE_MARGIN)));
  }

  /** Deletes the `rows` oldest events, with their index entries, in one transaction. */
  pruneOldest(rows: number): number {
    return this.db.transaction(() =>
      this.deleteEvents(this.statements.oldest.all(rows) as Victim[]),
    )();
  }

  /** Deletes the events with their index entries, and the chatters that leaves without a message. */
  private deleteEvents(victims: Victim[]): number {
    const s = this.statements;
    const authors = new Map<string, Victim>();
    for (const victim of victims) {
      if (victim.text !== '') {
        s.trigramDelete.run(victim.seq, victim.text);
        s.pairsDelete.run(victim.seq);
      }
      s.deleteEvent.run(victim.seq);
      if (victim.user_id !== null && FIRST_CHAT.has(victim.kind))
        authors.set(`${victim.room_key}\n${victim.user_id}`, victim);
    }
    // A user whose latest message in the room is gone (so every earlier one, as the oldest go
    // first) is forgotten as its chatter: one lookup by seq each.
    for (const victim of authors.values()) s.chatterLeft.run(victim.room_key, victim.user_id);
    if (victims.length > 0) this.merge();
    return victims.length;
  }

  /**
   * One step of tidying after a prune: merges the full-text indexes' segments, any level with two
   * or more, 64 pages of work per index (which drops the deleted entries they still hold, as
   * `optimize` would in one long go), then gives up to `pages` free pages back to the file
   * system. Returns whether there is more to do.
   */
  tidyStep(pages: number): boolean {
    const merged = this.db.transaction(() => {
      const changes = (): number => this.statements.totalChanges.pluck().get() as number;
      let worked = false;
      for (const index of [this.statements.trigramMerge, this.statements.pairsMerge]) {
        const before = changes();
        index.run(-64);
        worked ||= changes() - before >= 2;
      }
      return worked;
    })();
    const before = this.db.pragma('freelist_count', { simple: true }) as number;
    this.db.pragma(`incremental_vacuum(${pages})`);
    const after = this.db.pragma('freelist_count', { simple: true }) as number;
    // A merge that changed fewer than two rows had nothing left to merge (FTS5's own rule).
    return merged || (after > 0 && after < before);
  }

  /**
   * Forgets every event and action. Notes stay (they are the moderator's own words), and so do the
   * rooms' names: the main thread tells the worker a room's name once, and goes on writing.
   */
  clear(): void {
    this.db.transaction(() => {
      this.db.exec(`
        INSERT INTO events_trigram (events_trigram) VALUES ('delete-all');
        INSERT INTO events_pairs (events_pairs) VALUES ('delete-all');
        DELETE FROM events;
        DELETE FROM chatters;
        DELETE FROM user_names;
        DELETE FROM actions;
      `);
    })();
    this.namesWritten.clear();
    this.db.pragma('incremental_vacuum');
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  /**
   * Writes both full-text indexes again from `events`, in one transaction, then checks the file
   * (`PRAGMA quick_check`, which runs FTS5's own checks too). False when that failed, or the file
   * is damaged elsewhere as well: then it is not one to keep.
   */
  rebuildIndexes(): boolean {
    try {
      this.db.transaction(() => {
        // Not FTS5's 'rebuild': it would index the events without text too, which the store never
        // writes to them, so a prune never deletes them (`deleteEvents`); and the pairs index is
        // contentless, which FTS5 cannot rebuild.
        this.db.exec(`
          INSERT INTO events_trigram (events_trigram) VALUES ('delete-all');
          INSERT INTO events_pairs (events_pairs) VALUES ('delete-all');
          INSERT INTO events_trigram (rowid, text) SELECT seq, text FROM events WHERE text <> '';
        `);
        // In chunks: better-sqlite3 cannot write while it iterates a query on the same connection.
        const texts = this.db.prepare<[number], { seq: number; text: string }>(
          "SELECT seq, text FROM events WHERE seq > ? AND text <> '' ORDER BY seq LIMIT 1000",
        );
        let chunk = texts.all(0);
        while (chunk.length > 0) {
          for (const row of chunk) this.statements.pairs.run(row.seq, shortTermTokens(row.text));
          chunk = texts.all(chunk.at(-1)?.seq ?? 0);
        }
      })();
      return this.db.pragma('quick_check', { simple: true }) === 'ok';
    } catch {
      return false;
    }
  }

  /** Sets SQLite's page limit: writing past it fails as a full disk does (tests only). */
  limitPages(pages: number): void {
    this.db.pragma(`max_page_count = ${pages}`);
  }

  /** A bounded step of merging the full-text indexes' segments. */
  private merge(pages = MERGE_PAGES): void {
    this.statements.trigramMerge.run(pages);
    this.statements.pairsMerge.run(pages);
  }

  private usedBytes(): number {
    const pageSize = this.db.pragma('page_size', { simple: true }) as number;
    const pages = this.db.pragma('page_count', { simple: true }) as number;
    const free = this.db.pragma('freelist_count', { simple: true }) as number;
    return (pages - free) * pageSize;
  }

  private prepare() {
    const db = this.db;
    const run = (sql: string): Statement => db.prepare(sql);
    return {
      room: run(
        `INSERT INTO rooms (room_key, account_id, provider, name, name_fold, key_fold, id_fold)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (room_key) DO UPDATE SET name = excluded.name, provider = excluded.provider,
           name_fold = excluded.name_fold`,
      ),
      unnamedRoom: run(
        `INSERT OR IGNORE INTO rooms (room_key, account_id, provider, name, name_fold, key_fold,
           id_fold) VALUES (?, ?, '', '', ?, ?, ?)`,
      ),
      event: run(
        `INSERT OR IGNORE INTO events (room_key, event_id, account_id, message_id, user_id,
           user_name, kind, text, created_at, received_at, flags, state, extra, handled)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      chatter: run(
        `INSERT INTO chatters (room_key, user_id, account_id, first_seq, first_at, last_seq)
         VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (room_key, user_id) DO UPDATE SET last_seq = excluded.last_seq`,
      ),
      roomChatters: run('SELECT user_id FROM chatters WHERE room_key = ?'),
      addUserName: run(
        `INSERT OR IGNORE INTO user_names (account_id, user_id, name_fold, id_fold)
         VALUES (?, ?, ?, ?)`,
      ),
      chatterLeft: run(
        `DELETE FROM chatters WHERE room_key = ? AND user_id = ?
           AND NOT EXISTS (SELECT 1 FROM events WHERE seq = chatters.last_seq)`,
      ),
      trigram: run('INSERT INTO events_trigram (rowid, text) VALUES (?, ?)'),
      pairs: run('INSERT INTO events_pairs (rowid, pairs) VALUES (?, ?)'),
      state: run(
        `UPDATE events SET state = ?, state_at = ?,
           state_changes = json_insert(coalesce(state_changes, '[]'), '$[#]', json_array(?, ?)),
           handled = max(handled, ?)
         WHERE room_key = ? AND event_id = ?`,
      ),
      flags: run(
        `UPDATE events SET flags = ?, extra = CASE WHEN ? IS NULL THEN extra
           ELSE json_set(coalesce(extra, '{}'), '$.held', json(?)) END
         WHERE room_key = ? AND event_id = ?`,
      ),
      action: run(
        `INSERT INTO actions (at, account_id, room_key, message_id, user_id, user_name, action,
           reason, result, text, detail, why) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      setReason: run('UPDATE actions SET reason = ? WHERE id = ?'),
      auditPage: run(
        `SELECT a.*, r.name AS room_name FROM actions a LEFT JOIN rooms r ON r.room_key = a.room_key
         WHERE a.id > ? ORDER BY a.id LIMIT ?`,
      ),
      sameAction: run(
        `SELECT 1 FROM actions WHERE at = ? AND account_id = ? AND room_key IS ? AND message_id IS ?
           AND user_id IS ? AND action = ? AND result = ? LIMIT 1`,
      ),
      userTotals: run(
        `SELECT min(received_at) AS first, max(received_at) AS last,
           coalesce(sum(${saidSql()}), 0) AS messages,
           sum(${saidSql()} AND flags IS NOT NULL) AS flagged,
           sum(${saidSql()} AND state = 'hidden') AS hidden,
           sum(${saidSql()} AND state = 'deleted') AS deleted
         FROM events WHERE account_id = ? AND user_id = ?`,
      ),
      userMessages: run(
        `SELECT e.*, r.name AS room_name FROM events e LEFT JOIN rooms r ON r.room_key = e.room_key
         WHERE e.account_id = ? AND e.user_id = ? AND e.seq < ? AND ${saidSql('e.')}
         ORDER BY e.seq DESC LIMIT ?`,
      ),
      userName: run(
        // From what they last wrote: a push about them (a VChatCloud exile) may carry only their id.
        `SELECT user_name FROM events WHERE account_id = ? AND user_id = ?
         ORDER BY ${saidSql()} DESC, seq DESC LIMIT 1`,
      ),
      userRooms: run(
        `SELECT e.room_key AS roomKey, nullif(r.name, '') AS name,
           coalesce(sum(${saidSql('e.')}), 0) AS messages,
           max(e.received_at) AS lastSeen
         FROM events e LEFT JOIN rooms r ON r.room_key = e.room_key
         WHERE e.account_id = ? AND e.user_id = ? GROUP BY e.room_key ORDER BY lastSeen DESC`,
      ),
      userActions: run(
        `SELECT sum(action = 'users.mute') AS mutes, sum(action = 'users.exile') AS exiles
         FROM actions WHERE account_id = ? AND user_id = ? AND result = 'ok'`,
      ),
      notes: run(
        `SELECT id, account_id AS accountId, user_id AS userId, text, created_at AS createdAt,
           edited_at AS editedAt
         FROM notes WHERE account_id = ? AND user_id = ? ORDER BY id`,
      ),
      addNote: run('INSERT INTO notes (account_id, user_id, text, created_at) VALUES (?, ?, ?, ?)'),
      editNote: run('UPDATE notes SET text = ?, edited_at = ? WHERE id = ?'),
      deleteNote: run('DELETE FROM notes WHERE id = ?'),
      oldBefore: run(
        `SELECT seq, text, room_key, user_id, kind FROM events WHERE received_at < ?
         ORDER BY received_at LIMIT ?`,
      ),
      oldest: run('SELECT seq, text, room_key, user_id, kind FROM events ORDER BY seq LIMIT ?'),
      trigramDelete: run(
        "INSERT INTO events_trigram (events_trigram, rowid, text) VALUES ('delete', ?, ?)",
      ),
      pairsDelete: run('DELETE FROM events_pairs WHERE rowid = ?'),
      trigramMerge: run("INSERT INTO events_trigram (events_trigram, rank) VALUES ('merge', ?)"),
      pairsMerge: run("INSERT INTO events_pairs (events_pairs, rank) VALUES ('merge', ?)"),
      aroundBefore: run(
        'SELECT * FROM events WHERE room_key = ? AND seq < ? ORDER BY seq DESC LIMIT ?',
      ),
      aroundAfter: run('SELECT * FROM events WHERE room_key = ? AND seq > ? ORDER BY seq LIMIT ?'),
      aroundAt: run('SELECT * FROM events WHERE room_key = ? AND seq = ?'),
      roomName: run('SELECT name FROM rooms WHERE room_key = ?'),
      totalChanges: run('SELECT total_changes()'),
      deleteEvent: run('DELETE FROM events WHERE seq = ?'),
      actionsBefore: run(
        'DELETE FROM actions WHERE id IN (SELECT id FROM actions WHERE at < ? ORDER BY at LIMIT ?)',
      ),
    };
  }
}

/** The conditions of a query, joined by AND, with the values they take. */
class Conditions {
  private readonly parts: string[] = [];
  readonly values: unknown[] = [];

  add(condition: string, ...values: unknown[]): void {
    this.parts.push(condition);
    this.values.push(...values);
  }

  /** The column is one of the values (no condition when there are none). */
  oneOf(column: string, values: readonly unknown[] | undefined): void {
    if (values && values.length > 0)
      this.add(`${column} IN (${values.map(() => '?').join(', ')})`, ...values);
  }

  get sql(): string {
    return this.parts.length > 0 ? `WHERE ${this.parts.join(' AND ')}` : '';
  }
}

/**
 * The condition for one search term, with its value: through an index when one answers it
 * (`indexedTermCondition`), otherwise (a short term with punctuation, or LIKE's own wildcards) by
 * reading the text.
 */
function termCondition(term: string): [string, ...unknown[]] {
  const indexed = indexedTermCondition(term);
  if (indexed) return [indexed[0], ...indexed[1]];
  return ['instr(lower(text), lower(?)) > 0', term];
}

function actionOf(row: ActionRow): StoredAction & { id: number } {
  const optional = {
    roomKey: row.room_key,
    messageId: row.message_id,
    userId: row.user_id,
    userName: row.user_name,
    reason: row.reason,
    text: row.text,
    detail: row.detail,
  };
  const why = whyOf(row.why);
  return {
    id: row.id,
    at: row.at,
    accountId: row.account_id,
    action: row.action,
    result: row.result,
    ...Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== null)),
    ...(why === undefined ? {} : { why }),
  };
}

/** A stored reason's values (`readReason`); nothing for a column that is not JSON. */
function whyOf(json: string | null): ReasonData | undefined {
  if (json === null) return undefined;
  try {
    return readReason(JSON.parse(json));
  } catch {
    return undefined;
  }
}

/** A candidate row as the shared predicate reads it, with the row kept for the answer. */
function searchableOf(row: FoundRow): SearchableMessage & { row: FoundRow } {
  const flags = row.flags === null ? [] : (JSON.parse(row.flags) as ChatEvent['flags']);
  return {
    row,
    roomKey: row.room_key,
    roomName: row.room_name || undefined,
    userId: row.user_id,
    userName: row.user_name,
    text: row.text,
    kind: row.kind,
    state: row.state,
    ruleIds: flags.map((flag) => flag.ruleId),
    first: row.first === 1,
    at: row.created_at,
  };
}

function extraOf(event: ChatEvent): string | null {
  const extra: Record<string, unknown> = {};
  for (const field of EXTRA_FIELDS) if (event[field] !== undefined) extra[field] = event[field];
  return Object.keys(extra).length > 0 ? JSON.stringify(extra) : null;
}

function eventOf(row: EventRow): StoredEvent {
  const { handled: _handled, ...extra } =
    row.extra === null ? {} : (JSON.parse(row.extra) as Partial<ChatEvent>);
  return {
    ...extra,
    // Whether it was handled is the column's, which updates keep (schema migration 5).
    ...(row.handled === 1 ? { handled: true } : {}),
    seq: row.seq,
    roomKey: row.room_key,
    id: row.event_id,
    messageId: row.message_id,
    kind: row.kind,
    user: row.user_id === null ? null : { id: row.user_id, name: row.user_name ?? '' },
    text: row.text,
    createdAt: row.created_at,
    receivedAt: row.received_at,
    flags: row.flags === null ? [] : (JSON.parse(row.flags) as ChatEvent['flags']),
    state: row.state,
    stateChanges:
      row.state_changes === null
        ? []
        : (JSON.parse(row.state_changes) as Array<[StoredState, number]>),
  };
}
