/**
 * Collects feed events, state updates and room stats, and sends them to the window as one
 * `feed.batch` at most every 50 ms, or at once when 500 events are waiting (DESIGN.md,
 * "One chat message, end to end", step 5).
 */
import type { ChatEvent, EventUpdate, FeedBatch, RoomStats } from '../../../shared/chat';
import type { Clock, TimerHandle } from '../../clock';

export const BATCH_INTERVAL_MS = 50;
export const BATCH_MAX_EVENTS = 500;

/**
 * Sends a batch on. `salvage` gives the same batch without the events that cannot be serialised,
 * for a receiver that threw on it (`EventBus.emit` calls it so). It must not throw itself: it runs
 * in a timer.
 */
export type BatchSink = (batch: FeedBatch, salvage: (batch: FeedBatch) => FeedBatch) => void;

export class Batcher {
  private events: ChatEvent[] = [];
  private updates: EventUpdate[] = [];
  private stats = new Map<string, RoomStats>();
  private timer: TimerHandle | null = null;

  constructor(
    private readonly clock: Clock,
    private readonly send: BatchSink,
    /** Told about each event salvaging left out, with what serialising it threw. */
    private readonly dropped: (event: ChatEvent, error: Error) => void = () => undefined,
    private readonly intervalMs = BATCH_INTERVAL_MS,
    private readonly maxEvents = BATCH_MAX_EVENTS,
  ) {}

  event(event: ChatEvent): void {
    this.events.push(event);
    if (this.events.length >= this.maxEvents) this.flush();
    else this.schedule();
  }

  update(update: EventUpdate): void {
    this.updates.push(update);
    this.schedule();
  }

  /** The latest stats of a room replace earlier ones in the same batch. */
  stat(stats: RoomStats): void {
    this.stats.set(stats.roomKey, stats);
    this.schedule();
  }

  flush(): void {
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.timer = null;
    if (this.events.length === 0 && this.updates.length === 0 && this.stats.size === 0) return;
    const batch: FeedBatch = {
      events: this.events,
      updates: this.updates,
      stats: [...this.stats.values()],
    };
    this.events = [];
    this.updates = [];
    this.stats = new Map();
    this.send(batch, (failed) => this.salvage(failed));
  }

  dispose(): void {
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  /**
   * The batch without the events that neither the browser host (JSON) nor Electron's IPC
   * (structured clone) can serialise. Only run when a receiver threw, so the feed's usual path
   * pays nothing for it.
   */
  private salvage(batch: FeedBatch): FeedBatch {
    const events = batch.events.filter((event) => {
      const error = serialisationError(event);
      if (error !== null) this.dropped(event, error);
      return error === null;
    });
    return { ...batch, events };
  }

  private schedule(): void {
    this.timer ??= this.clock.setTimeout(() => {
      this.timer = null;
      this.flush();
    }, this.intervalMs);
  }
}

/** What serialising the event for the window throws, or null when both ways work. */
function serialisationError(event: ChatEvent): Error | null {
  try {
    JSON.stringify(event);
    structuredClone(event);
    return null;
  } catch (error) {
    return error instanceof Error ? error : new Error('the event could not be serialised');
  }
}
