/**
 * At most one feed update per frame. A batch that arrives when the page has drawn since the last
 * one is applied at once; batches that arrive before the next frame wait for it and are applied
 * together, as one. Main sends a batch every 50 ms, so an idle deck applies each as it comes, and
 * a deck that falls behind (a flood in many columns: with 12 rooms at 100 msg/s, 3–4 batches wait
 * behind each frame) renders and lays out each column once per frame rather than once per batch.
 *
 * A hidden window draws no frames; a timer then lets the waiting batches in, so they never pile up.
 */
import type { FeedBatch } from '../../../shared/chat';
import { afterDelay, nextFrame } from '../lib/frames';

/** Longest a batch waits for a frame that does not come (a hidden or minimised window). */
const FRAME_WAIT_MS = 250;

export interface FramePacer {
  push(batch: FeedBatch): void;
  /** Applies what waits now (e.g. before the session stops). */
  flush(): void;
  dispose(): void;
}

/** Several batches as one, in order: events, then updates, then stats (a later one wins). */
export function mergeBatches(batches: readonly FeedBatch[]): FeedBatch {
  if (batches.length === 1) return batches[0] as FeedBatch;
  const merged: FeedBatch = { events: [], updates: [], stats: [] };
  for (const batch of batches) {
    for (const event of batch.events) merged.events.push(event);
    for (const update of batch.updates) merged.updates.push(update);
    for (const stat of batch.stats) merged.stats.push(stat);
  }
  return merged;
}

export function createFramePacer(
  apply: (batch: FeedBatch) => void,
  schedule: {
    frame: (callback: () => void) => () => void;
    timeout: (callback: () => void, ms: number) => () => void;
  } = browserSchedule,
): FramePacer {
  let waiting: FeedBatch[] = [];
  /** Cancels the pending frame and timer; null when the page has drawn since the last update. */
  let pending: (() => void) | null = null;

  function frameDrawn(): void {
    pending?.();
    pending = null;
    if (waiting.length > 0) run();
  }

  function run(): void {
    const batches = waiting;
    waiting = [];
    const cancelFrame = schedule.frame(frameDrawn);
    const cancelTimer = schedule.timeout(frameDrawn, FRAME_WAIT_MS);
    pending = () => {
      cancelFrame();
      cancelTimer();
    };
    apply(mergeBatches(batches));
  }

  return {
    push(batch) {
      waiting.push(batch);
      if (pending === null) run();
    },
    flush() {
      if (waiting.length > 0) {
        const batches = waiting;
        waiting = [];
        apply(mergeBatches(batches));
      }
    },
    dispose() {
      pending?.();
      pending = null;
      waiting = [];
    },
  };
}

const browserSchedule = { frame: nextFrame, timeout: afterDelay };
