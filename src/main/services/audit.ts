/**
 * The audit log: one JSON line per moderation action in `audit/audit.jsonl` in the user-data
 * folder (time, account, room, message, action, result, with the names of the account, the room
 * and the author beside their ids where known; at most 200 characters of message text; never a
 * secret). It rotates at 10 MB, keeping five older files, and exports as CSV or JSON Lines.
 * A line that cannot be written (full disk) is kept in memory and included in exports, so an
 * action is never lost from the record; while any wait, a warning tells the moderator how many and
 * why, and they are retried with the next line and on a timer that backs off.
 */
import { appendFile, mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { csvCell } from '../../shared/csv';
import type { Clock, TimerHandle } from '../clock';
import type { Logger } from '../logger';
import { fileProblem } from './jsonFile';
import type { Redactor } from './accounts/redactor';
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
}

interface AuditLine extends AuditEntry {
  time: string;
}

export interface AuditOptions {
  dir: string;
  clock: Clock;
  log: Logger;
  redactor: Redactor;
  maxBytes?: number;
  keep?: number;
  /** Where the moderator is told about lines waiting in memory. */
  warnings?: WarningSink;
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
const COLUMNS: (keyof AuditLine)[] = [
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

  constructor(private readonly options: AuditOptions) {
    this.maxBytes = options.maxBytes ?? 10 * 1024 * 1024;
    this.keep = options.keep ?? 5;
  }

  get path(): string {
    return join(this.options.dir, FILE);
  }

  /** Resolves once the line is on disk, or kept in memory after a failed write (logged). */
  append(entry: AuditEntry): Promise<void> {
    const line: AuditLine = {
      time: new Date(this.options.clock.now()).toISOString(),
      ...entry,
      ...(entry.text === undefined ? {} : { text: entry.text.slice(0, AUDIT_TEXT_LIMIT) }),
    };
    const text = `${this.options.redactor.redact(JSON.stringify(line))}\n`;
    this.queue = this.queue.then(async () => {
      this.unwritten.push(text);
      await this.tryWriting();
    });
    return this.queue;
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
    this.queue = this.queue.then(() => (this.unwritten.length > 0 ? this.tryWriting() : undefined));
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

  /** Every line, oldest first, as a file for the moderator to save. */
  async export(
    format: 'csv' | 'jsonl',
  ): Promise<{ filename: string; mimeType: string; content: string }> {
    await this.queue;
    const lines = await this.readAll();
    const stamp = new Date(this.options.clock.now())
      .toISOString()
      .slice(0, 19)
      .replace(/[:T]/g, '-');
    if (format === 'jsonl') {
      return {
        filename: `moddeck-audit-${stamp}.jsonl`,
        mimeType: 'application/jsonl',
        content: lines.map((line) => `${line}\n`).join(''),
      };
    }
    const rows = lines.flatMap((line) => {
      try {
        const record = JSON.parse(line) as Partial<AuditLine>;
        return [COLUMNS.map((column) => csvCell(record[column])).join(',')];
      } catch {
        return [];
      }
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

  private async readAll(): Promise<string[]> {
    const files = [
      ...Array.from({ length: this.keep }, (_, i) => this.rotated(this.keep - i)),
      this.path,
    ];
    const lines: string[] = [];
    for (const file of files) {
      const text = await readFile(file, 'utf8').catch(() => '');
      for (const line of text.split('\n')) if (line.trim() !== '') lines.push(line);
    }
    for (const pending of this.unwritten) lines.push(pending.trimEnd());
    return lines;
  }
}
