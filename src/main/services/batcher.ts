/**
 * Collects feed events, state updates and room stats, and sends them to the window as one
 * `feed.batch` at most every 50 ms, or at once when 500 events are waiting (DESIGN.md,
 * "One chat message, end to end", step 5).
 */
import type { ChatEvent, EventUpdate, FeedBatch, RoomStats } from '../../shared/chat';
import type { Clock, TimerHandle } from '../clock';

export const BATCH_INTERVAL_MS = 50;
export const BATCH_MAX_EVENTS = 500;

export class Batcher {
  private events: ChatEvent[] = [];
  private updates: EventUpdate[] = [];
  private stats = new Map<string, RoomStats>();
  private timer: TimerHandle | null = null;

  constructor(
    private readonly clock: Clock,
    private readonly send: (batch: FeedBatch) => void,
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
    this.send(batch);
  }

  dispose(): void {
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    this.timer ??= this.clock.setTimeout(() => {
      this.timer = null;
      this.flush();
    }, this.intervalMs);
  }
}
