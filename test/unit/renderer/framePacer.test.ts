import { describe, expect, it } from 'vitest';
import { createFramePacer, mergeBatches } from '../../../src/renderer/src/feedPipeline/framePacer';
import type { FeedBatch } from '../../../src/shared/chat';
import { manualQueue } from './manualQueue';
import { batchOf, chatEvent } from './storeFixtures';

/** Frames and timers that run only when the test says so. */
function manualSchedule() {
  const frames = manualQueue<() => void>();
  const timers = manualQueue<{ callback: () => void; ms: number }>();
  return {
    schedule: {
      frame: (callback: () => void) => frames.add(callback),
      timeout: (callback: () => void, ms: number) => timers.add({ callback, ms }),
    },
    drawFrame() {
      for (const callback of frames.take()) callback();
    },
    fireTimers() {
      for (const timer of timers.take()) timer.callback();
    },
    pending: () => ({
      frames: frames.waiting().length,
      timers: timers.waiting().map((timer) => timer.ms),
    }),
  };
}

function ids(batch: FeedBatch): string[] {
  return batch.events.map((event) => event.id);
}

describe('the frame pacer', () => {
  it('applies a batch at once when the page has drawn since the last one', () => {
    const clock = manualSchedule();
    const applied: FeedBatch[] = [];
    const pacer = createFramePacer((batch) => applied.push(batch), clock.schedule);

    const first = batchOf([chatEvent('a/1', { id: 'e1' })]);
    pacer.push(first);
    expect(applied).toEqual([first]);

    clock.drawFrame();
    const second = batchOf([chatEvent('a/1', { id: 'e2' })]);
    pacer.push(second);
    expect(applied).toEqual([first, second]);
  });

  it('holds the batches that arrive before the next frame and applies them as one, in order', () => {
    const clock = manualSchedule();
    const applied: FeedBatch[] = [];
    const pacer = createFramePacer((batch) => applied.push(batch), clock.schedule);

    pacer.push(batchOf([chatEvent('a/1', { id: 'e1' })]));
    pacer.push(batchOf([chatEvent('a/1', { id: 'e2' }), chatEvent('a/2', { id: 'e3' })]));
    pacer.push(
      batchOf([chatEvent('a/1', { id: 'e4' })], {
        updates: [{ roomKey: 'a/1', id: 'e2', state: 'hidden' }],
      }),
    );
    expect(applied.map(ids)).toEqual([['e1']]);

    clock.drawFrame();
    expect(applied.map(ids)).toEqual([['e1'], ['e2', 'e3', 'e4']]);
    expect(applied[1]?.updates).toEqual([{ roomKey: 'a/1', id: 'e2', state: 'hidden' }]);
    // Applying on a frame waits for the next one before the following batch goes in.
    pacer.push(batchOf([chatEvent('a/1', { id: 'e5' })]));
    expect(applied).toHaveLength(2);
    clock.drawFrame();
    expect(applied.map(ids)).toEqual([['e1'], ['e2', 'e3', 'e4'], ['e5']]);
  });

  it('lets waiting batches in on a timer when no frame comes (a hidden window)', () => {
    const clock = manualSchedule();
    const applied: FeedBatch[] = [];
    const pacer = createFramePacer((batch) => applied.push(batch), clock.schedule);

    pacer.push(batchOf([chatEvent('a/1', { id: 'e1' })]));
    pacer.push(batchOf([chatEvent('a/1', { id: 'e2' })]));
    expect(clock.pending()).toEqual({ frames: 1, timers: [250] });

    clock.fireTimers();
    expect(applied.map(ids)).toEqual([['e1'], ['e2']]);
    // The frame that never came was cancelled with the timer that stood in for it.
    expect(clock.pending()).toEqual({ frames: 1, timers: [250] });
  });

  it('applies what waits on flush, so another change to the feed keeps main’s order', () => {
    const clock = manualSchedule();
    const applied: FeedBatch[] = [];
    const pacer = createFramePacer((batch) => applied.push(batch), clock.schedule);

    pacer.push(batchOf([chatEvent('a/1', { id: 'e1' })]));
    pacer.push(batchOf([chatEvent('a/1', { id: 'e2' })]));
    pacer.flush();
    expect(applied.map(ids)).toEqual([['e1'], ['e2']]);
    pacer.flush();
    expect(applied).toHaveLength(2);
  });

  it('drops what waits and cancels its frame and timer when disposed', () => {
    const clock = manualSchedule();
    const applied: FeedBatch[] = [];
    const pacer = createFramePacer((batch) => applied.push(batch), clock.schedule);

    pacer.push(batchOf([chatEvent('a/1', { id: 'e1' })]));
    pacer.push(batchOf([chatEvent('a/1', { id: 'e2' })]));
    pacer.dispose();
    expect(clock.pending()).toEqual({ frames: 0, timers: [] });
    clock.drawFrame();
    expect(applied.map(ids)).toEqual([['e1']]);
  });

  it('merges batches keeping events, updates and stats in arrival order', () => {
    const a = batchOf([chatEvent('a/1', { id: 'e1' })], {
      stats: [{ roomKey: 'a/1', rate: 1, participants: 3 }],
    });
    const b = batchOf([chatEvent('a/1', { id: 'e2' })], {
      updates: [{ roomKey: 'a/1', id: 'e1', state: 'deleted' }],
      stats: [{ roomKey: 'a/1', rate: 2, participants: 4 }],
    });
    expect(mergeBatches([a])).toBe(a);
    const merged = mergeBatches([a, b]);
    expect(ids(merged)).toEqual(['e1', 'e2']);
    expect(merged.updates).toEqual(b.updates);
    expect(merged.stats).toEqual([...a.stats, ...b.stats]);
  });
});
