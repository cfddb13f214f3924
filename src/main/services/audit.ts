/**
 * The audit log: one record per moderation action (time, account, room, message, action, reason,
 * result, with the names of the account, the room and the author beside their ids where known; at
 * most 200 characters of message text; never a secret), exported as CSV or JSON Lines.
 *
 * With the message history (`memory/`), the store's `actions` table is where it is kept: each
 * record is redacted and cut here, then posted to the store; the JSON Lines files of earlier runs
 * are imported into it once (`importFiles`), and the export reads the store. Without a store (or
 * once it stopped), each record is a JSON line in `audit/audit.jsonl` in the user-data folder,
 * which rotates at 10 MB, keeping five older files. A store that stopped hands back the actions
 * it had not committed, which go there too, and an export reads what it did commit from its file
 * (`MemoryStore.reader`). A line that cannot be written (full disk) is kept in memory and included
 * in exports, so an action is never lost from the record; while any wait, a warning tells the
 * moderator how many and why, and they are retried with the next line and on a timer that backs
 * off. (The store keeps writes that wait on a full disk in its worker, and its export includes
 * them too.)
 */
import { appendFile, mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { csvCell } from '../../shared/csv';
import { AppError, ErrorCode, errorMessage } from '../../shared/errors';
import { readReason, type ReasonData } from '../../shared/automod/reasons';
import type { Clock, TimerHandle } from '../clock';
import type { Logger } from '../logger';
import { readJsonFile, writeJsonFile, fileProblem } from './jsonFile';
import { redactedJson, type Redactor } from './accounts/redactor';
import type { MemoryStore } from './memory/memory';
import type { ReasonTarget, StoredAction, StoreSize } from './memory/types';
import type { WarningSink } from './warnings';

export const AUDIT_TEXT_LIMIT = 200;

export interface AuditEntry {
  /** The account's id, and its name as the moderator gave it. */
  account: string;
  accountName?: string;
  /** The room's key (`account/room id`), and its name as its provider gives it. */
  room?: string;
  roomName?: string;
  messageId?: string;
  /** Who the action concerns: the message's author, or the user muted or exiled. */
  authorId?: string;
  author?: string;
  action: string;
  /** `ok`, `unknown` when the service did not say whether it took effect, or the error code. */
  result: string;
  /** The message acted on or sent, cut to 200 characters. */
  text?: string;
  /** Extra detail, e.g. the receivers of a direct message. */
  detail?: string;
  /** Why, in the moderator's words (at most 200 characters): given with it or attached after. */
  reason?: string;
  /** An automatic action's reason as values (its rule's verdict), for the window's language. */
  why?: ReasonData;
}

interface AuditLine extends AuditEntry {
  time: string;
}

/** What the audit log needs of the message history. */
export type AuditStore = Pick<
  MemoryStore,
  'available' | 'action' | 'request' | 'onActionsLost' | 'reader'
>;

/**
 * In the files (no store), a reason attached after the action is a line of its own: `action`
 * `reason`, `detail` the action it is for. The export folds it into that action's record.
 */
const REASON_LINE = 'reason';
/** The file that says how far the files were imported into the store. */
const IMPORTED_FILE = 'imported.json';
/** Actions per import request, each one transaction in the worker. */
const IMPORT_CHUNK = 2000;
/** Actions of this run remembered so a reason in the files can say whether it found its action. */
const RECENT_ACTIONS = 1000;

export interface AuditOptions {
  dir: string;
  clock: Clock;
  log: Logger;
  redactor: Redactor;
  maxBytes?: number;
  keep?: number;
  /** Where the moderator is told about lines waiting in memory. */
  warnings?: WarningSink;
  /** The message history: where records go while it takes writes (absent: the files). */
  store?: AuditStore | null;
  /** An account's name now, for records from the store (which keeps the account's id only). */
  accountName?: (accountId: string) => string | undefined;
}

/** The first wait before waiting lines are tried again; each failed try doubles it, up to a minute. */
export const AUDIT_RETRY_FIRST_MS = 1000;
export const AUDIT_RETRY_MAX_MS = 60_000;

// Moved to shared (search results export with it too); still exported from here.
export { csvCell };

const FILE = 'audit.jsonl';
/**
 * The CSV columns. The names came later than the first eight, and follow them: a sheet or script
 * that reads the columns by position reads the same as before, and an older line leaves the names
 * empty.
 */
const COLUMNS: Exclude<keyof AuditLine, 'why'>[] = [
  'time',
  'account',
  'room',
  'messageId',
  'action',
  'result',
  'text',
  'detail',
  'accountName',
  'roomName',
  'author',
  'authorId',
  'reason',
];

export class AuditLog {
  private readonly maxBytes: number;
  private readonly keep: number;
  private size: number | null = null;
  private unwritten: string[] = [];
  private queue: Promise<void> = Promise.resolve();
  private retry: TimerHandle | null = null;
  private retryDelayMs = AUDIT_RETRY_FIRST_MS;
  /** After `dispose`, nothing schedules a retry: a line appended at exit is tried once. */
  private disposed = false;
  /** The warning shown while lines wait; a new one (new id) for each spell of failures. */
  private warningId: string | null = null;
  private spells = 0;
  /** Reason targets of this run's actions written to the files (bounded; oldest dropped). */
  private readonly recent = new Set<string>();
  /**
   * The time of the earliest line this run wrote to the files (or keeps for them), once its store
   * stopped: the export reads the stopped store's file, and from the files only what came after.
   */
  private filesFrom: string | null = null;

  constructor(private readonly options: AuditOptions) {
    this.maxBytes = options.maxBytes ?? 10 * 1024 * 1024;
    this.keep = options.keep ?? 5;
    // Before any record of this run reaches the store, so the store's order is the files' order.
    if (options.store) this.queue = this.importFiles(options.store);
    options.store?.onActionsLost((actions) => this.keepLost(actions));
  }

  /** Resolves once the files of earlier runs are in the store (or the import failed, logged). */
  get imported(): Promise<void> {
    return this.queue;
  }

  /**
   * Resolves once every record given so far is posted to the store, on disk, or kept in memory
   * after a failed write; the actions the store handed back too.
   */
  get settled(): Promise<void> {
    return this.queue;
  }

  get path(): string {
    return join(this.options.dir, FILE);
  }

  /**
   * Resolves once the record is posted to the store, or the line is on disk, or kept in memory
   * after a failed write (logged).
   */
  append(entry: AuditEntry): Promise<void> {
    const at = this.options.clock.now();
    const line: AuditLine = {
      time: new Date(at).toISOString(),
      ...entry,
      ...(entry.text === undefined ? {} : { text: entry.text.slice(0, AUDIT_TEXT_LIMIT) }),
      ...(entry.reason === undefined ? {} : { reason: entry.reason.slice(0, AUDIT_TEXT_LIMIT) }),
    };
    const text = `${redactedJson(line, this.options.redactor)}\n`;
    return this.enqueue(async () => {
      const store = this.options.store;
      if (store?.available) {
        const { time: _time, ...redacted } = JSON.parse(text) as AuditLine;
        store.action(redacted, at);
        return;
      }
      this.keepForFiles(line, text);
      await this.tryWriting();
    });
  }

  /**
   * Runs `step` after the steps before it. Its failure rejects what it returns and not the queue:
   * one record that could not be kept must not fail every later action, reason and export.
   */
  private enqueue(step: () => Promise<void>): Promise<void> {
    const result = this.queue.then(step);
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Runs `step` in turn where nobody waits for it: its failure is logged. */
  private enqueueLogged(what: string, step: () => Promise<void>): void {
    this.enqueue(step).catch((error: unknown) => {
      this.options.log.error(what, {
        error: errorMessage(error),
      });
    });
  }

  /**
   * Writes to the files, with their own times, the actions the store was given and will not commit
   * (its worker stopped first): `append` had resolved for them. They come after any line this run
   * wrote there already, so the files may not be in time order there.
   */
  private keepLost(actions: StoredAction[]): void {
    this.enqueueLogged('audit lines the store handed back could not be kept', async () => {
      for (const action of actions) {
        const line = this.lineOf(action);
        this.keepForFiles(line, `${redactedJson(line, this.options.redactor)}\n`);
      }
      await this.tryWriting();
    });
  }

  /** Keeps a line for the files, to be written with the others that wait. */
  private keepForFiles(line: Partial<AuditLine>, text: string): void {
    this.remember(line);
    this.unwritten.push(text);
    if (line.time !== undefined && (this.filesFrom === null || line.time < this.filesFrom))
      this.filesFrom = line.time;
  }

  /**
   * Gives the most recent matching action a reason: in the store, that action's record; in the
   * files, a line of its own that the export folds into it. `found`: whether such an action was
   * recorded (in the files: by this run).
   */
  async reason(target: ReasonTarget): Promise<{ found: boolean }> {
    const reason = this.options.redactor.redact(target.reason.slice(0, AUDIT_TEXT_LIMIT));
    await this.queue;
    const store = this.options.store;
    if (store?.available) return store.request('attachReason', { ...target, reason });
    const found = this.recent.has(reasonKey(target.roomKey, target.action, target));
    const account = target.roomKey.slice(0, target.roomKey.indexOf('/'));
    await this.append({
      account,
      room: target.roomKey,
      ...(target.messageId === undefined ? {} : { messageId: target.messageId }),
      ...(target.userId === undefined ? {} : { authorId: target.userId }),
      action: REASON_LINE,
      result: 'ok',
      detail: target.action,
      reason,
    });
    return { found };
  }

  private remember(line: Partial<AuditLine>): void {
    if (line.room === undefined || line.action === undefined || line.action === REASON_LINE) return;
    this.recent.add(reasonKey(line.room, line.action, target(line)));
    if (this.recent.size > RECENT_ACTIONS) {
      const oldest = this.recent.values().next().value;
      if (oldest !== undefined) this.recent.delete(oldest);
    }
  }

  /**
   * Imports the files' lines into the store, once: `imported.json` beside them says up to which
   * line time they were imported, and a later start imports only lines from that time on (lines
   * written while the store was not available), skipping any already stored. The files stay.
   */
  private async importFiles(store: AuditStore): Promise<void> {
    const markerPath = join(this.options.dir, IMPORTED_FILE);
    try {
      const marker = await readJsonFile(markerPath);
      const through =
        marker.kind === 'ok' && typeof (marker.value as { through?: unknown }).through === 'string'
          ? (marker.value as { through: string }).through
          : null;
      if (marker.kind === 'missing' && !(await this.hasFiles())) {
        await writeJsonFile(markerPath, { through: null, importedAt: this.nowIso() });
        return;
      }
      const records = foldReasons(parseLines(await this.readFiles())).filter(
        (record): record is Partial<AuditLine> =>
          typeof record !== 'string' && (through === null || (record.time ?? '') >= through),
      );
      let imported = 0;
      for (let start = 0; start < records.length; start += IMPORT_CHUNK) {
        const actions = records.slice(start, start + IMPORT_CHUNK).flatMap(storedOf);
        imported += (await store.request('importActions', { actions })).imported;
      }
      await writeJsonFile(markerPath, {
        through: records.at(-1)?.time ?? through,
        importedAt: this.nowIso(),
      });
      if (imported > 0)
        this.options.log.info('audit log files imported into the store', { imported });
    } catch (error) {
      // Tried again at the next start: the marker is written only after every line is stored.
      this.options.log.error('audit log files could not be imported into the store', {
        error: errorMessage(error),
      });
    }
  }

  /**
   * "Clear history", which clears this log with the chat: once the files of earlier runs are in
   * the store (an import still under way would add their lines back), the store forgets its events
   * and actions, and the import marker moves to now, so that the files' lines are not imported
   * again at the next start. Every line in the files is older than now: earlier runs wrote them,
   * and this run writes there only once its store has stopped, and a stopped store clears nothing.
   */
  async clearHistory(store: Pick<AuditStore, 'request'>): Promise<StoreSize> {
    await this.imported;
    const size = await store.request('clear', {});
    const now = this.nowIso();
    await writeJsonFile(join(this.options.dir, IMPORTED_FILE), { through: now, clearedAt: now });
    return size;
  }

  private async hasFiles(): Promise<boolean> {
    for (const file of this.files()) {
      if (
        await stat(file).then(
          () => true,
          () => false,
        )
      )
        return true;
    }
    return false;
  }

  private nowIso(): string {
    return new Date(this.options.clock.now()).toISOString();
  }

  /** Stops retrying (at exit). */
  dispose(): void {
    this.disposed = true;
    if (this.retry) this.options.clock.clearTimeout(this.retry);
    this.retry = null;
  }

  /** Writes the waiting lines; on failure keeps them, says so and makes sure a retry is due. */
  private async tryWriting(): Promise<void> {
    try {
      await this.writeUnwritten();
    } catch (error) {
      const reason = fileProblem(error);
      this.options.log.error('audit lines kept in memory: they could not be written', {
        error: reason,
        waiting: this.unwritten.length,
      });
      this.announceWaiting(reason);
      if (!this.disposed) {
        this.retry ??= this.options.clock.setTimeout(() => this.retryNow(), this.retryDelayMs);
      }
      return;
    }
    if (this.retry) this.options.clock.clearTimeout(this.retry);
    this.retry = null;
    this.retryDelayMs = AUDIT_RETRY_FIRST_MS;
    if (this.warningId !== null) {
      this.options.warnings?.clear(this.warningId);
      this.warningId = null;
      this.options.log.info('audit lines that waited in memory are written');
    }
  }

  private retryNow(): void {
    this.retry = null;
    this.retryDelayMs = Math.min(this.retryDelayMs * 2, AUDIT_RETRY_MAX_MS);
    this.enqueueLogged('audit lines could not be tried again', async () => {
      if (this.unwritten.length > 0) await this.tryWriting();
    });
  }

  private announceWaiting(reason: string): void {
    this.warningId ??= `audit-${++this.spells}`;
    const count = this.unwritten.length;
    const lines = count === 1 ? '1 audit log line' : `${count} audit log lines`;
    this.options.warnings?.set({
      id: this.warningId,
      kind: 'auditPending',
      folder: this.options.dir,
      count,
      reason,
      message: `${lines} could not be written to ${this.options.dir} (${reason}). ModDeck keeps ${count === 1 ? 'it' : 'them'} in memory and in exports, and keeps trying.`,
    });
  }

  /**
   * Every record, oldest first, as a file for the moderator to save: from the store when it is
   * there (with the lines this run kept in memory, if it had to write files), else from the files.
   */
  async export(
    format: 'csv' | 'jsonl',
  ): Promise<{ filename: string; mimeType: string; content: string }> {
    await this.queue;
    const lines = await this.exportLines();
    const stamp = new Date(this.options.clock.now())
      .toISOString()
      .slice(0, 19)
      .replace(/[:T]/g, '-');
    if (format === 'jsonl') {
      return {
        filename: `moddeck-audit-${stamp}.jsonl`,
        mimeType: 'application/jsonl',
        content: lines
          .map((line) => `${typeof line === 'string' ? line : JSON.stringify(line)}\n`)
          .join(''),
      };
    }
    const rows = lines.flatMap((line) => {
      if (typeof line === 'string') return [];
      return [COLUMNS.map((column) => csvCell(line[column])).join(',')];
    });
    return {
      filename: `moddeck-audit-${stamp}.csv`,
      mimeType: 'text/csv',
      content: `${[COLUMNS.join(','), ...rows].join('\r\n')}\r\n`,
    };
  }

  private async writeUnwritten(): Promise<void> {
    const text = this.unwritten.join('');
    await mkdir(this.options.dir, { recursive: true });
    if (this.size === null)
      this.size = await stat(this.path).then(
        (info) => info.size,
        () => 0,
      );
    if (this.size > 0 && this.size + Buffer.byteLength(text) > this.maxBytes) await this.rotate();
    await appendFile(this.path, text, { encoding: 'utf8', mode: 0o600 });
    this.size += Buffer.byteLength(text);
    this.unwritten = [];
  }

  private async rotate(): Promise<void> {
    await rm(this.rotated(this.keep), { force: true });
    for (let index = this.keep - 1; index >= 1; index -= 1) {
      await rename(this.rotated(index), this.rotated(index + 1)).catch(() => undefined);
    }
    await rename(this.path, this.rotated(1));
    this.size = 0;
  }

  private rotated(index: number): string {
    return join(this.options.dir, `audit.${index}.jsonl`);
  }

  /**
   * The records to export, oldest first: a parsed record, or a line that is not one (kept as it
   * is in JSON Lines, left out of CSV, as before).
   */
  private async exportLines(): Promise<Array<Partial<AuditLine> | string>> {
    const store = this.options.store;
    const pending = this.unwritten.map((line) => line.trimEnd());
    if (store?.available) {
      const records = await this.storedLines(store);
      // Lines this run had to write to the files (the store stopped), including any kept in memory.
      return [...records, ...foldReasons(parseLines(pending))];
    }
    const reader = store?.reader() ?? null;
    if (reader === null) return foldReasons(parseLines([...(await this.readFiles()), ...pending]));
    // The store stopped during this run (its worker died): what it committed is in its file, and
    // the files have what this run wrote there since, and the lines of earlier runs, imported.
    let stored: Array<Partial<AuditLine>>;
    try {
      stored = await this.storedLines(reader);
    } catch (error) {
      throw new AppError(
        ErrorCode.Storage,
        `The audit log in ${reader.file} could not be read (${errorMessage(error)}). Nothing was exported.`,
        { cause: error },
      );
    } finally {
      await reader.close();
    }
    const since = this.filesFrom;
    if (since === null) return stored;
    // An action the worker committed and died before reporting was handed back: it is in both.
    const storedKeys = new Set(stored.map(actionKey));
    const written = parseLines([...(await this.readFiles()), ...pending]).filter(
      (record): record is Partial<AuditLine> =>
        typeof record !== 'string' &&
        (record.time ?? '') >= since &&
        !storedKeys.has(actionKey(record)),
    );
    return foldReasons([...stored, ...written]);
  }

  /** The store's actions as the files' lines, oldest first, with the actions still waiting. */
  private async storedLines(
    store: Pick<AuditStore, 'request'>,
  ): Promise<Array<Partial<AuditLine>>> {
    const records: Array<Partial<AuditLine>> = [];
    let after = 0;
    for (;;) {
      const page = await store.request('auditPage', { after });
      for (const action of [...page.actions, ...page.waiting]) records.push(this.lineOf(action));
      if (page.next === null) return records;
      after = page.next;
    }
  }

  /** A stored action as the files' line would have it. */
  private lineOf(action: StoredAction): Partial<AuditLine> {
    const accountName = this.options.accountName?.(action.accountId);
    const optional: Partial<AuditLine> = {
      accountName,
      room: action.roomKey,
      roomName: action.roomName,
      messageId: action.messageId,
      authorId: action.userId,
      author: action.userName,
    };
    return {
      time: new Date(action.at).toISOString(),
      account: action.accountId,
      ...withoutUndefined(optional),
      action: action.action,
      ...withoutUndefined({ reason: action.reason, why: action.why }),
      result: action.result,
      ...withoutUndefined({ text: action.text, detail: action.detail }),
    };
  }

  private files(): string[] {
    return [...Array.from({ length: this.keep }, (_, i) => this.rotated(this.keep - i)), this.path];
  }

  /** The files' lines, oldest first. */
  private async readFiles(): Promise<string[]> {
    const lines: string[] = [];
    for (const file of this.files()) {
      const text = await readFile(file, 'utf8').catch(() => '');
      for (const line of text.split('\n')) if (line.trim() !== '') lines.push(line);
    }
    return lines;
  }
}

function withoutUndefined<T extends Record<string, unknown>>(value: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(value).filter(([, field]) => field !== undefined),
  ) as Partial<T>;
}

/** What makes a record the same action, as the import's duplicate check has it (`sameAction`). */
function actionKey(record: Partial<AuditLine>): string {
  const { time, account, room, messageId, authorId, action, result } = record;
  return JSON.stringify([time, account, room, messageId, authorId, action, result]);
}

/** The message or the user an action is on, as a reason names it. */
function target(line: Partial<AuditLine>): Pick<ReasonTarget, 'messageId' | 'userId'> {
  return line.action === 'hide' || line.action === 'delete'
    ? { messageId: line.messageId ?? '' }
    : { userId: line.authorId ?? '' };
}

function reasonKey(
  roomKey: string,
  action: string,
  on: Pick<ReasonTarget, 'messageId' | 'userId'>,
): string {
  return JSON.stringify([roomKey, action, on.messageId ?? null, on.userId ?? null]);
}

/** Each line as a record; a line that is not JSON stays a string. */
function parseLines(lines: string[]): Array<Partial<AuditLine> | string> {
  return lines.map((line) => {
    try {
      const record: unknown = JSON.parse(line);
      return typeof record === 'object' && record !== null ? record : line;
    } catch {
      return line;
    }
  });
}

/** Folds each reason line into the most recent earlier action it names, and drops it. */
function foldReasons(
  records: Array<Partial<AuditLine> | string>,
): Array<Partial<AuditLine> | string> {
  const latest = new Map<string, Partial<AuditLine>>();
  const kept: Array<Partial<AuditLine> | string> = [];
  for (const record of records) {
    if (typeof record === 'string' || record.room === undefined) {
      kept.push(record);
      continue;
    }
    if (record.action !== REASON_LINE) {
      if (record.action !== undefined)
        latest.set(reasonKey(record.room, record.action, target(record)), record);
      kept.push(record);
      continue;
    }
    const on =
      record.detail === 'hide' || record.detail === 'delete'
        ? { messageId: record.messageId ?? '' }
        : { userId: record.authorId ?? '' };
    const action = latest.get(reasonKey(record.room, record.detail ?? '', on));
    if (action && record.reason !== undefined) action.reason = record.reason;
    else if (!action) kept.push(record);
  }
  return kept;
}

/** A line of the files as the store keeps it; none for one without what every record has. */
function storedOf(record: Partial<AuditLine> | string): StoredAction[] {
  if (typeof record === 'string') return [];
  const at = Date.parse(record.time ?? '');
  if (Number.isNaN(at) || !record.account || !record.action || record.result === undefined)
    return [];
  const optional = {
    roomKey: record.room,
    messageId: record.messageId,
    userId: record.authorId,
    userName: record.author,
    reason: record.reason,
    text: record.text?.slice(0, AUDIT_TEXT_LIMIT),
    detail: record.detail,
  };
  // The files are read back as they are found: values this version cannot read are left out.
  const why = readReason(record.why);
  return [
    {
      at,
      accountId: record.account,
      action: record.action,
      result: record.result,
      ...withoutUndefined(optional),
      ...(why === undefined ? {} : { why }),
    },
  ];
}
