/**
 * At most `limit` tasks running at once per key; the others wait their turn, first come first
 * served. Bulk moderation keeps a few calls in flight per account with it (`ModerationService`).
 */
import { Deque } from './deque';

interface Lane {
  running: number;
  /** A `Deque`, not an array: a bulk run of thousands waits here, and `shift` on it is O(1). */
  waiting: Deque<() => void>;
}

export class KeyedLimiter {
  private readonly lanes = new Map<string, Lane>();

  constructor(private readonly limit: number) {
    if (!(Number.isInteger(limit) && limit >= 1)) throw new RangeError('limit must be 1 or more');
  }

  /** Runs `task` when fewer than `limit` tasks of `key` run; settles as it does. */
  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    let lane = this.lanes.get(key);
    if (lane === undefined) {
      lane = { running: 0, waiting: new Deque() };
      this.lanes.set(key, lane);
    }
    if (lane.running < this.limit) lane.running += 1;
    // The task that ends hands its place to this one (`running` stays as it is).
    else await new Promise<void>((resolve) => lane.waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = lane.waiting.shift();
      if (next !== undefined) next();
      else {
        lane.running -= 1;
        if (lane.running === 0) this.lanes.delete(key);
      }
    }
  }

  /** Tasks of `key` running now (for tests and diagnostics). */
  running(key: string): number {
    return this.lanes.get(key)?.running ?? 0;
  }
}
