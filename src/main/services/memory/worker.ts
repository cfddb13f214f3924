/**
 * The memory worker: the one thread that opens the store's SQLite file. The main thread posts it
 * the feeds' batches and the moderation actions (committed as they arrive; what waits, together)
 * and asks it questions by message; it prunes by age and size in small steps between them.
 *
 * Started with `workerData` as in `protocol.ts`. When writing fails (a full disk), what waits is
 * kept in order and tried again after a delay that doubles. A damaged full-text index is written
 * again from the events and what met it tried again; a file damaged otherwise is moved aside.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { isDamaged, isIndexDamaged, MemoryDatabase, moveAside, openStore } from './database';
import type { FromWorker, MemoryWorkerData, RequestName, Requests, ToWorker } from './protocol';
import { LATEST_VERSION } from './schema';
import type { AuditPage, ReasonTarget, Retention, StoreBatch, StoredAction } from './types';

type Write =
  | { batch: StoreBatch; items: number }
  | { action: StoredAction; items: number }
  /** A reason for an action already committed, by its id. */
  | { reason: { id: number; text: string }; items: number };

/**
 * Events and updates committed together at most when batches wait: a worker behind writes the
 * pages each commit touches (a leaf of each user's index range, the full-text segments) once for
 * several batches. Into the 5,000,000-message store at 20,000 events a second, commits of up to
 * 5,000 left a backlog growing by 4,900 a second, 10,000 by 1,900, 20,000 kept it flat
 * (`npm run bench -- store --parts worker`). What is posted and not committed is lost to a kill,
 * so a commit stays near a second of that rate.
 */
const COMMIT_ITEMS = 20_000;

/** Pages given back to the file system per tidying step (4 KiB each: 1 MiB). */
const TIDY_PAGES = 256;
/**
 * Tidying steps at most each time a prune tidies: while batches keep arriving there are always new
 * segments to merge, and the prune after this one goes on with the rest.
 */
const TIDY_STEPS = 500;

export class MemoryWorker {
  private store: MemoryDatabase | null = null;
  private readonly waiting: Write[] = [];
  private paused = false;
  /** Whether the main thread was told writing paused (once per spell). */
  private pauseReported = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private draining: NodeJS.Immediate | null = null;
  private retryDelayMs: number;
  private pruneTimer: NodeJS.Timeout | null = null;
  private pruning: Promise<void> | null = null;
  private closed = false;
  /** Starts as `workerData` says; the main thread sends another when the settings change. */
  private retention: Retention;
  /** Set when the retention changes: a prune under way goes through the events again. */
  private retentionChanged = false;
  /**
   * Set when the full-text indexes were rebuilt, until a write or a question goes through: damage
   * met again before that is not theirs to mend, and the file is moved aside.
   */
  private indexesRebuilt = false;

  constructor(
    private readonly port: Pick<MessagePort, 'postMessage' | 'on' | 'close'>,
    private readonly data: MemoryWorkerData,
  ) {
    this.retryDelayMs = data.retryFirstMs;
    this.retention = data.retention;
    port.on('message', (message: ToWorker) => this.receive(message));
    this.open();
    if (this.store && data.readOnly !== true) this.schedulePrune(0);
  }

  private post(message: FromWorker): void {
    this.port.postMessage(message);
  }

  private open(): void {
    const { file, nativeBinding, readOnly } = this.data;
    if (readOnly === true) {
      try {
        this.store = new MemoryDatabase(file, LATEST_VERSION, nativeBinding, { readOnly });
      } catch (error) {
        this.post({ type: 'unavailable', reason: messageOf(error) });
      }
      return;
    }
    try {
      const opened = openStore(file, Date.now(), nativeBinding);
      this.store = opened.store;
      if (opened.movedAside) this.post({ type: 'movedAside', ...opened.movedAside });
    } catch (error) {
      this.post({ type: 'unavailable', reason: messageOf(error) });
    }
  }

  private receive(message: ToWorker): void {
    if (this.closed) return;
    switch (message.type) {
      case 'batch':
        this.waiting.push({ batch: message.batch, items: message.items });
        this.drainSoon();
        return;
      case 'actions':
        for (const action of message.actions) this.waiting.push({ action, items: 0 });
        this.drainSoon();
        return;
      case 'retention':
        this.retention = message.retention;
        this.retentionChanged = true;
        if (this.store) void this.prune();
        return;
      case 'request':
        void this.answer(message.id, message.name, message.input);
        return;
      case 'close':
        this.close();
        return;
    }
  }

  /**
   * Drains once the messages already delivered are in: a worker that fell behind finds several
   * batches waiting and commits them together.
   */
  private drainSoon(): void {
    if (this.draining !== null) return;
    this.draining = setImmediate(() => {
      this.draining = null;
      this.drain();
    });
  }

  private drainNow(): void {
    if (this.draining !== null) clearImmediate(this.draining);
    this.draining = null;
    this.drain();
  }

  /**
   * Commits what waits, in order, until it is done or writing fails: up to `COMMIT_ITEMS` events
   * and updates in one transaction, with the actions and reasons among them.
   */
  private drain(): void {
    let written = 0;
    let actions = 0;
    while (this.waiting.length > 0) {
      // Read each time: a damaged file moved aside (`recover`) leaves a new store.
      const store = this.store;
      if (this.paused || store === null) break;
      let taken = 0;
      let items = 0;
      let takenActions = 0;
      // An action counts as one towards the limit, so that a transaction stays bounded.
      for (let weight = 0; taken < this.waiting.length && weight < COMMIT_ITEMS; taken += 1) {
        const write = this.waiting[taken] as Write;
        items += write.items;
        if ('action' in write) takenActions += 1;
        weight += Math.max(write.items, 1);
      }
      try {
        store.commit(taken === this.waiting.length ? this.waiting : this.waiting.slice(0, taken));
      } catch (error) {
        // Tried again on the rebuilt indexes, or on a new file.
        if (isDamaged(error) && this.recover(error) !== null) continue;
        this.pause(messageOf(error));
        break;
      }
      this.indexesRebuilt = false;
      this.waiting.splice(0, taken);
      written += items;
      actions += takenActions;
    }
    // Main keeps the actions until they are reported, and hands back any the worker never commits.
    if (written > 0 || actions > 0) this.post({ type: 'written', items: written, actions });
  }

  private pause(reason: string): void {
    if (!this.pauseReported) this.post({ type: 'paused', reason });
    this.pauseReported = true;
    this.paused = true;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.paused = false;
      this.drain();
      if (this.paused) return;
      this.retryDelayMs = this.data.retryFirstMs;
      this.pauseReported = false;
      this.post({ type: 'resumed' });
    }, this.retryDelayMs);
    this.retryDelayMs = Math.min(this.retryDelayMs * 2, this.data.retryMaxMs);
  }

  /**
   * After damage: rebuilds the full-text indexes when the damage is theirs and keeps the file, or
   * moves the file aside and starts a new one. Says which; null when even that failed.
   */
  private recover(error: unknown): 'rebuilt' | 'movedAside' | null {
    const store = this.store;
    // A reader leaves a damaged file as it is: mending it or moving it aside is left to the store's
    // own worker, at the next start (a reader runs once that one stopped).
    if (store === null || this.data.readOnly === true) return null;
    if (!this.indexesRebuilt && isIndexDamaged(error) && store.rebuildIndexes()) {
      this.indexesRebuilt = true;
      this.post({ type: 'indexesRebuilt', reason: messageOf(error) });
      return 'rebuilt';
    }
    store.close();
    this.store = null;
    this.indexesRebuilt = false;
    try {
      const copy = moveAside(this.data.file, Date.now());
      this.post({ type: 'movedAside', copy, reason: messageOf(error) });
    } catch (moving) {
      this.post({ type: 'unavailable', reason: messageOf(moving) });
      return null;
    }
    this.open();
    return this.store === null ? null : 'movedAside';
  }

  private async answer(id: number, name: RequestName, input: unknown, again = true): Promise<void> {
    // A question sees every write posted before it, as when each was committed on arrival.
    this.drainNow();
    try {
      const value = await this.run(name, input);
      this.indexesRebuilt = false;
      this.post({ type: 'answer', id, ok: true, value });
    } catch (error) {
      const recovered = isDamaged(error) ? this.recover(error) : null;
      // Asked again, once, of the rebuilt indexes (a new file has none of what it asks about).
      if (recovered === 'rebuilt' && again) return this.answer(id, name, input, false);
      this.post({ type: 'answer', id, ok: false, message: messageOf(error) });
    }
  }

  private async run<N extends RequestName>(
    name: N,
    input: unknown,
  ): Promise<Requests[N]['output']> {
    if (name === 'flush') return { waiting: this.waiting.length };
    const store = this.store;
    if (store === null) throw new Error('the store is not open');
    switch (name) {
      case 'events':
        return store.events(input as Requests['events']['input']);
      case 'actions':
        return store.actions(input as Requests['actions']['input']);
      case 'search': {
        const { query, ...options } = input as Requests['search']['input'];
        return store.search(query, options);
      }
      case 'around':
        return store.around(input as Requests['around']['input']);
      case 'userSummary':
        return store.userSummary(input as Requests['userSummary']['input']);
      case 'backtestDetector':
        return this.backtestDetector(store, input as Requests['backtestDetector']['input']);
      case 'roomChatters':
        return {
          userIds: store.roomChatters((input as Requests['roomChatters']['input']).roomKey),
        };
      case 'userMessages': {
        const { before, limit, ...user } = input as Requests['userMessages']['input'];
        return store.userMessages(user, before, limit);
      }
      case 'addNote': {
        const { text, ...user } = input as Requests['addNote']['input'];
        return store.addNote(user, text, Date.now());
      }
      case 'editNote': {
        const { id, text } = input as Requests['editNote']['input'];
        return { found: store.editNote(id, text, Date.now()) };
      }
      case 'deleteNote':
        return { found: store.deleteNote((input as Requests['deleteNote']['input']).id) };
      case 'attachReason':
        return { found: this.attachReason(store, input as ReasonTarget) };
      case 'auditPage': {
        const { after, limit } = input as Requests['auditPage']['input'];
        return this.auditPage(store, after ?? 0, limit);
      }
      case 'importActions':
        return {
          imported: store.importActions((input as Requests['importActions']['input']).actions),
        };
      case 'size':
        return store.size();
      case 'clear':
        await this.pruning;
        store.clear();
        return store.size();
      case 'prune':
        await this.prune();
        return store.size();
      case 'limitPages':
        store.limitPages((input as Requests['limitPages']['input']).pages);
        return {};
    }
    throw new Error(`no request named ${String(name)}`);
  }

  /**
   * Replays the rule a step at a time with a turn of the event loop between steps, so the feeds'
   * batches are committed while it runs (each waits for one step at most).
   */
  private async backtestDetector(
    store: MemoryDatabase,
    query: Requests['backtestDetector']['input'],
  ): Promise<Requests['backtestDetector']['output']> {
    const steps = store.backtestDetector(query);
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
      await nextTurn();
      // A store closed, or moved aside and started again, meanwhile: its rows are gone.
      if (this.closed || this.store !== store)
        throw new Error('the store closed during the backtest');
    }
  }

  /**
   * The most recent matching action takes the reason: one still waiting to be written (a full
   * disk) is changed where it waits; a committed one gets a write of its own, in order.
   */
  private attachReason(store: MemoryDatabase, target: ReasonTarget): boolean {
    for (let index = this.waiting.length - 1; index >= 0; index -= 1) {
      const write = this.waiting[index] as Write;
      if (!('action' in write) || !matches(write.action, target)) continue;
      write.action.reason = target.reason;
      return true;
    }
    const id = store.reasonTarget(target);
    if (id === null) return false;
    this.waiting.push({ reason: { id, text: target.reason }, items: 0 });
    this.drain();
    return true;
  }

  /** One page of the audit log, with reasons still waiting applied, and on the last the waiting actions. */
  private auditPage(store: MemoryDatabase, after: number, limit?: number): AuditPage {
    const page = store.auditPage(after, limit);
    const reasons = new Map<number, string>();
    for (const write of this.waiting)
      if ('reason' in write) reasons.set(write.reason.id, write.reason.text);
    const actions = page.actions.map((action) => {
      const reason = reasons.get(action.id);
      return reason === undefined ? action : { ...action, reason };
    });
    const waiting =
      page.next === null
        ? this.waiting.flatMap((write) => ('action' in write ? [write.action] : []))
        : [];
    return { actions, next: page.next, waiting };
  }

  private schedulePrune(delayMs: number): void {
    if (this.closed) return;
    this.pruneTimer = setTimeout(() => {
      this.pruneTimer = null;
      void this.prune().finally(() => this.schedulePrune(this.data.pruneIntervalMs));
    }, delayMs);
    this.pruneTimer.unref();
  }

  /**
   * Deletes what retention lets go of, one small transaction per step, and tidies the indexes and
   * the file (`MemoryDatabase.prune`); between steps the worker takes its messages, so writing
   * never waits long. A new retention starts the prune again with it.
   */
  private prune(): Promise<void> {
    // Cleared in `finally`, a later microtask: a prune with nothing to do ends without waiting,
    // and clearing it inside would come before this assignment and leave it set for good.
    this.pruning ??= this.pruneSteps().finally(() => {
      this.pruning = null;
    });
    return this.pruning;
  }

  private async pruneSteps(): Promise<void> {
    try {
      do {
        this.retentionChanged = false;
        const store = this.store;
        if (store === null || this.closed) break;
        const steps = store.prune(Date.now(), this.retention, {
          rows: this.data.pruneStepRows,
          tidyPages: TIDY_PAGES,
          tidySteps: TIDY_STEPS,
        });
        for (let step = steps.next(); !step.done; step = steps.next()) {
          await nextTurn();
          // A new retention starts the prune again; a store closed, or moved aside and started
          // again, ends its prune.
          if (this.closed || this.store !== store || this.retentionChanged) break;
        }
      } while (this.retentionChanged && !this.closed);
    } catch (error) {
      if (isDamaged(error)) this.recover(error);
      // A prune that fails (a full disk) is tried again at the next interval.
    }
  }

  private close(): void {
    // What was posted before the close is committed first (unless writing is paused).
    this.drainNow();
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.pruneTimer) clearTimeout(this.pruneTimer);
    this.store?.close();
    this.store = null;
    this.post({ type: 'closed' });
    this.port.close();
  }
}

function matches(action: StoredAction, target: ReasonTarget): boolean {
  if (action.roomKey !== target.roomKey || action.action !== target.action) return false;
  return target.messageId === undefined
    ? action.userId === target.userId
    : action.messageId === target.messageId;
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

if (parentPort) new MemoryWorker(parentPort, workerData as MemoryWorkerData);
