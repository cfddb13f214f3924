/**
 * The store as the main thread sees it: posts to the memory worker and answers from it. Writing is
 * fire-and-forget and never waits on the disk; what the worker has not committed yet is counted,
 * and past `maxBacklog` items a batch is not kept (said in a warning) rather than held in memory
 * without bound. Questions are messages with ids, answered by promises.
 */
import { existsSync } from 'node:fs';
import type { FeedBatch } from '../../../shared/chat';
import type { Settings } from '../../../shared/model';
import type { Clock } from '../../clock';
import type { Logger } from '../../logger';
import type { AuditEntry } from '../audit';
import type { WarningSink } from '../warnings';
import type { FromWorker, MemoryWorkerData, RequestName, Requests, ToWorker } from './protocol';
import { DEFAULT_RETENTION, type Retention, type StoredAction, type StoredRoom } from './types';

/** What the main thread needs of a worker: `node:worker_threads`' `Worker` has it. */
export interface MemoryWorkerHandle {
  postMessage(message: ToWorker): void;
  on(event: 'message', listener: (message: FromWorker) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  terminate(): Promise<number>;
}

/** Starts the worker (`worker.ts`, as the build or a test runs it) with its data. */
export type StartMemoryWorker = (data: MemoryWorkerData) => MemoryWorkerHandle;

export interface MemoryOptions {
  /** The database file (`memory.sqlite` in the user-data folder). */
  file: string;
  startWorker: StartMemoryWorker;
  clock: Clock;
  log: Logger;
  warnings?: WarningSink;
  /** The provider and name of a room the feeds have open, for the rooms the store lists. */
  describeRoom: (roomKey: string) => Omit<StoredRoom, 'roomKey'> | undefined;
  retention?: Partial<Retention>;
  /** Events and updates posted but not committed, past which a batch is not kept. */
  maxBacklog?: number;
  pruneIntervalMs?: number;
  retryFirstMs?: number;
  retryMaxMs?: number;
  pruneStepRows?: number;
  /** Opens the file read-only to answer questions only (`reader`). */
  readOnly?: boolean;
}

/** The retention the settings ask for (Settings → Message history). */
export function retentionOf(history: Settings['history']): Retention {
  return {
    maxAgeMs: history.keepDays * 24 * 60 * 60 * 1000,
    maxBytes: Math.round(history.maxGigabytes * 1024 * 1024 * 1024),
  };
}

/** About 20 s of a busy deck (500 events every 50 ms would be 200,000). */
export const DEFAULT_MAX_BACKLOG = 100_000;

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

export class MemoryStore {
  private readonly worker: MemoryWorkerHandle;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  /** Items posted and not yet reported written. */
  private backlog = 0;
  private readonly maxBacklog: number;
  /**
   * Rooms the worker was told about (a room's name and provider are fixed once it opened), since
   * it started or last moved a damaged file aside.
   */
  private readonly told = new Set<string>();
  /** Batches not kept since the backlog last had room; null while nothing is lost. */
  private lost: number | null = null;
  private spells = 0;
  private stopped: string | null = null;
  private exited = false;
  private closing: Promise<void> | null = null;
  private readonly listeners = new Set<(message: FromWorker) => void>();
  /** Actions recorded and not posted yet, and the turn of the event loop that posts them. */
  private actions: StoredAction[] = [];
  private actionsPosting: NodeJS.Immediate | null = null;
  /** Actions posted and not yet reported committed, oldest first. */
  private uncommitted: StoredAction[] = [];
  private readonly lostListeners = new Set<(actions: StoredAction[]) => void>();
  /** Whether the worker said it could not open the file (then nothing reads it: `reader`). */
  private refused = false;

  constructor(private readonly options: MemoryOptions) {
    this.maxBacklog = options.maxBacklog ?? DEFAULT_MAX_BACKLOG;
    this.worker = options.startWorker({
      file: options.file,
      retention: { ...DEFAULT_RETENTION, ...options.retention },
      pruneIntervalMs: options.pruneIntervalMs ?? 10 * 60 * 1000,
      retryFirstMs: options.retryFirstMs ?? 1000,
      retryMaxMs: options.retryMaxMs ?? 30_000,
      pruneStepRows: options.pruneStepRows ?? 2000,
      ...(options.readOnly === true ? { readOnly: true } : {}),
    });
    this.worker.on('message', (message) => this.received(message));
    this.worker.on('error', (error) => this.stop(`the store stopped: ${error.message}`));
    this.worker.on('exit', (code) => {
      this.exited = true;
      if (this.closing === null) this.stop(`the store stopped (exit code ${code})`);
      else this.handBack();
    });
  }

  /** Hands a feed batch to the worker without waiting; a batch that cannot be kept is counted. */
  ingest(batch: FeedBatch): void {
    if (this.stopped !== null || this.closing !== null) return;
    if (batch.events.length === 0 && batch.updates.length === 0) return;
    const items = batch.events.length + batch.updates.length;
    if (this.backlog + items > this.maxBacklog) {
      this.behind();
      return;
    }
    const rooms: StoredRoom[] = [];
    for (const event of batch.events) {
      if (this.told.has(event.roomKey)) continue;
      const room = this.options.describeRoom(event.roomKey);
      if (room === undefined) continue;
      this.told.add(event.roomKey);
      rooms.push({ roomKey: event.roomKey, ...room });
    }
    // Throws for an event structured clone cannot copy; the event bus then hands this listener
    // the batch without it (`Batcher.salvage`).
    this.post({
      type: 'batch',
      batch: { at: this.options.clock.now(), events: batch.events, updates: batch.updates, rooms },
      items,
    });
    this.backlog += items;
  }

  /** The database file. */
  get file(): string {
    return this.options.file;
  }

  /** Whether the store takes writes: false once it stopped or is closing. */
  get available(): boolean {
    return this.stopped === null && this.closing === null;
  }

  /**
   * Records a moderation action as the audit log names it, at `at` (now when absent). Actions are
   * posted together once the event loop has handled what came in (a raid's hides answer a thousand
   * a second, and a message each was 3 % of main's thread); anything else posted goes after them.
   */
  action(entry: AuditEntry, at = this.options.clock.now()): void {
    if (this.stopped !== null || this.closing !== null) return;
    if (this.actions.length === 0) this.actionsPosting = setImmediate(() => this.postActions());
    this.actions.push({
      at,
      accountId: entry.account,
      ...(entry.room === undefined ? {} : { roomKey: entry.room }),
      ...(entry.roomName === undefined ? {} : { roomName: entry.roomName }),
      ...(entry.messageId === undefined ? {} : { messageId: entry.messageId }),
      ...(entry.authorId === undefined ? {} : { userId: entry.authorId }),
      ...(entry.author === undefined ? {} : { userName: entry.author }),
      action: entry.action,
      ...(entry.reason === undefined ? {} : { reason: entry.reason }),
      ...(entry.why === undefined ? {} : { why: entry.why }),
      result: entry.result,
      ...(entry.text === undefined ? {} : { text: entry.text }),
      ...(entry.detail === undefined ? {} : { detail: entry.detail }),
    });
  }

  /** Posts the actions recorded since the last post, in order. */
  private postActions(): void {
    if (this.actionsPosting !== null) clearImmediate(this.actionsPosting);
    this.actionsPosting = null;
    if (this.actions.length === 0 || this.stopped !== null) return;
    const actions = this.actions;
    this.actions = [];
    this.worker.postMessage({ type: 'actions', actions });
    for (const action of actions) this.uncommitted.push(action);
  }

  /** Posts to the worker after the actions waiting, so that it sees everything in order. */
  private post(message: ToWorker): void {
    this.postActions();
    this.worker.postMessage(message);
  }

  /** Keeps to this retention from now on; the worker prunes with it at once. */
  setRetention(retention: Retention): void {
    if (this.stopped !== null || this.closing !== null) return;
    this.post({ type: 'retention', retention });
  }

  /** Asks the worker; rejects with its error, or when the store has stopped. */
  request<N extends RequestName>(
    name: N,
    input: Requests[N]['input'],
  ): Promise<Requests[N]['output']> {
    if (this.stopped !== null) return Promise.reject(new Error(this.stopped));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.post({ type: 'request', id, name, input });
    });
  }

  /**
   * Told of the actions this store was given and will not commit, oldest first: those its worker
   * had not reported committed when it stopped, or when it closed while writing was paused. The
   * audit log writes them to its files. One the worker committed just before it died, without
   * time to report it, is among them too.
   */
  onActionsLost(listener: (actions: StoredAction[]) => void): () => void {
    this.lostListeners.add(listener);
    return () => this.lostListeners.delete(listener);
  }

  /**
   * Once this store stopped (its worker died), another store on the same file, opened read-only
   * by a worker of its own, to ask what the file holds (an audit export). Null while this one is
   * available, when its worker could not open the file (a newer ModDeck's, or unreadable), or
   * when there is no file. Close it when done.
   */
  reader(): MemoryStore | null {
    if (this.available || this.refused || !existsSync(this.options.file)) return null;
    const { warnings: _warnings, retention: _retention, ...options } = this.options;
    return new MemoryStore({ ...options, readOnly: true });
  }

  /** Told about every message from the worker (for tests and the host's diagnostics). */
  onMessage(listener: (message: FromWorker) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Items posted and not committed yet. */
  get waiting(): number {
    return this.backlog;
  }

  /**
   * Lets the worker commit what it has, close the file, and end (a worker whose store could not
   * open is still running, and ends too).
   */
  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      if (this.exited) {
        resolve();
        return;
      }
      const stop = this.onMessage((message) => {
        if (message.type !== 'closed') return;
        stop();
        resolve();
      });
      this.worker.on('exit', () => resolve());
      this.post({ type: 'close' });
    });
    return this.closing;
  }

  private received(message: FromWorker): void {
    switch (message.type) {
      case 'written':
        this.uncommitted.splice(0, message.actions);
        this.backlog = Math.max(0, this.backlog - message.items);
        if (this.lost !== null && this.backlog <= this.maxBacklog / 2) this.caughtUp();
        break;
      case 'answer': {
        const pending = this.pending.get(message.id);
        this.pending.delete(message.id);
        if (message.ok) pending?.resolve(message.value);
        else pending?.reject(new Error(message.message));
        break;
      }
      case 'paused':
        this.options.log.error('the store paused writing', { reason: message.reason });
        this.options.warnings?.set({
          id: 'memory-paused',
          kind: 'memoryPaused',
          file: this.options.file,
          reason: message.reason,
          message: `Message history cannot be written to ${this.options.file} (${message.reason}). The live feeds carry on; ModDeck keeps what waits and tries again.`,
        });
        break;
      case 'resumed':
        this.options.log.info('the store writes again');
        this.options.warnings?.clear('memory-paused');
        break;
      case 'indexesRebuilt':
        // Nothing was lost and nothing is asked of the moderator: a line in the log, no warning.
        this.options.log.warn("the store's full-text indexes were damaged and have been rebuilt", {
          reason: message.reason,
        });
        break;
      case 'movedAside':
        // The new file knows no room's name: each is named again with its next batch.
        this.told.clear();
        this.options.log.error('a damaged store was moved aside', {
          copy: message.copy,
          reason: message.reason,
        });
        this.options.warnings?.set({
          id: `memory-moved-${message.copy}`,
          kind: 'memoryMovedAside',
          file: this.options.file,
          copy: message.copy,
          reason: message.reason,
          message: `Message history in ${this.options.file} could not be read (${message.reason}). It was moved to ${message.copy} and a new history started.`,
        });
        break;
      case 'unavailable':
        this.refused = true;
        this.stop(message.reason);
        break;
      case 'closed':
        // What was not committed by now (writing was paused) never will be.
        this.handBack();
        break;
    }
    for (const listener of this.listeners) listener(message);
  }

  private behind(): void {
    if (this.lost === null) {
      this.lost = 0;
      this.spells += 1;
      this.options.log.warn('the store is behind: batches are not kept', {
        waiting: this.backlog,
      });
      this.options.warnings?.set({
        id: `memory-behind-${this.spells}`,
        kind: 'memoryBehind',
        message:
          'Message history is not keeping up: some messages are not being stored. The live feeds carry on.',
      });
    }
    this.lost += 1;
  }

  private caughtUp(): void {
    this.options.log.warn('the store caught up', { batchesNotKept: this.lost });
    this.options.warnings?.clear(`memory-behind-${this.spells}`);
    this.lost = null;
  }

  private stop(reason: string): void {
    if (this.stopped !== null) return;
    this.stopped = reason;
    this.options.log.error('the store is not available', { reason });
    this.options.warnings?.set({
      id: 'memory-paused',
      kind: 'memoryPaused',
      file: this.options.file,
      reason,
      message: `Message history cannot be written to ${this.options.file} (${reason}). The live feeds carry on.`,
    });
    for (const pending of this.pending.values()) pending.reject(new Error(reason));
    this.pending.clear();
    this.handBack();
  }

  /** Hands the actions the worker will not commit to whoever keeps them instead. */
  private handBack(): void {
    if (this.actionsPosting !== null) clearImmediate(this.actionsPosting);
    this.actionsPosting = null;
    const lost = this.uncommitted.concat(this.actions);
    this.uncommitted = [];
    this.actions = [];
    if (lost.length === 0) return;
    this.options.log.warn('actions the store did not commit are handed back', {
      actions: lost.length,
    });
    for (const listener of this.lostListeners) listener(lost);
  }
}
