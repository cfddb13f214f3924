import { describe, expect, it } from 'vitest';
import {
  createListScheduler,
  FRAME_BUDGET_MS,
  HIDDEN_LIST_INTERVAL_MS,
  LIST_INTERVAL_MS,
} from '../../../src/renderer/src/stores/listScheduler';

/** Frames that come when the test draws one, on a clock the test moves. */
function manualFrames() {
  let time = 1_000;
  let frames: Array<() => void> = [];
  return {
    schedule: {
      frame(callback: () => void) {
        frames.push(callback);
        return () => {
          frames = frames.filter((pending) => pending !== callback);
        };
      },
      now: () => time,
    },
    advance(ms: number) {
      time += ms;
    },
    draw(atMs = 16) {
      time += atMs;
      const due = frames;
      frames = [];
      for (const callback of due) callback();
    },
    pendingFrames: () => frames.length,
  };
}

/** A list whose value the test sets; each render takes `cost` ms of the clock. */
function list(
  scheduler: ReturnType<typeof createListScheduler>,
  clock: ReturnType<typeof manualFrames>,
  name: string,
  log: string[],
  cost = 0,
) {
  let value = 0;
  const watched = scheduler.watch(
    () => value,
    (shown) => {
      log.push(`${name}=${shown}`);
      clock.advance(cost);
    },
  );
  return {
    set(next: number) {
      value = next;
    },
    stop: () => watched.stop(),
    visible: (visible: boolean) => watched.visible(visible),
  };
}

describe('the list scheduler', () => {
  it('renders a changed list on the next frame, and only the lists that changed', () => {
    const clock = manualFrames();
    const scheduler = createListScheduler(clock.schedule);
    const log: string[] = [];
    const a = list(scheduler, clock, 'a', log);
    list(scheduler, clock, 'b', log);
    scheduler.changed();
    clock.draw();
    expect(log).toEqual(['a=0', 'b=0']);

    clock.draw(200);
    a.set(1);
    scheduler.changed();
    expect(log).toHaveLength(2);
    clock.draw();
    expect(log).toEqual(['a=0', 'b=0', 'a=1']);
    expect(clock.pendingFrames()).toBe(0);
  });

  it('stops rendering in a frame once its budget is spent, and goes on with the rest next frame', () => {
    const clock = manualFrames();
    const scheduler = createListScheduler(clock.schedule);
    const log: string[] = [];
    // Each render takes 5 ms: two fit in the 8 ms budget (the second starts at 5 ms), not three.
    expect(FRAME_BUDGET_MS).toBe(8);
    const lists = ['a', 'b', 'c', 'd', 'e'].map((name) => list(scheduler, clock, name, log, 5));
    lists.forEach((each, index) => each.set(index + 1));
    scheduler.changed();

    clock.draw();
    expect(log).toEqual(['a=1', 'b=2']);
    clock.draw();
    expect(log).toEqual(['a=1', 'b=2', 'c=3', 'd=4']);
    clock.draw();
    expect(log).toEqual(['a=1', 'b=2', 'c=3', 'd=4', 'e=5']);
  });

  it('renders one list even when it alone takes longer than the budget', () => {
    const clock = manualFrames();
    const scheduler = createListScheduler(clock.schedule);
    const log: string[] = [];
    const slow = list(scheduler, clock, 'slow', log, 40);
    const other = list(scheduler, clock, 'other', log, 40);
    slow.set(1);
    other.set(1);
    scheduler.changed();
    clock.draw();
    expect(log).toEqual(['slow=1']);
    clock.draw();
    expect(log).toEqual(['slow=1', 'other=1']);
  });

  it('renders a list at most every 100 ms, showing its latest value when its turn comes', () => {
    const clock = manualFrames();
    const scheduler = createListScheduler(clock.schedule);
    const log: string[] = [];
    const a = list(scheduler, clock, 'a', log);
    a.set(1);
    scheduler.changed();
    clock.draw();
    expect(log).toEqual(['a=1']);

    a.set(2);
    scheduler.changed();
    a.set(3);
    scheduler.changed();
    let frames = 0;
    while (log.length === 1) {
      clock.draw();
      frames += 1;
    }
    expect(log).toEqual(['a=1', 'a=3']);
    // 16 ms frames: the first frame at or past 100 ms after the last render.
    expect(frames).toBe(Math.ceil(LIST_INTERVAL_MS / 16));
  });

  it('keeps the longest-waiting list first', () => {
    const clock = manualFrames();
    const scheduler = createListScheduler(clock.schedule);
    const log: string[] = [];
    const a = list(scheduler, clock, 'a', log, 10);
    const b = list(scheduler, clock, 'b', log, 10);
    scheduler.changed();
    clock.draw();
    clock.draw();
    expect(log).toEqual(['a=0', 'b=0']);
    log.length = 0;
    clock.advance(LIST_INTERVAL_MS);

    b.set(1);
    scheduler.changed();
    a.set(1);
    scheduler.changed();
    clock.draw();
    clock.draw();
    expect(log).toEqual(['b=1', 'a=1']);
  });

  it('forgets a list that stops watching, and stops asking for frames when none is left', () => {
    const clock = manualFrames();
    const scheduler = createListScheduler(clock.schedule);
    const log: string[] = [];
    const a = list(scheduler, clock, 'a', log);
    a.set(1);
    scheduler.changed();
    a.stop();
    expect(clock.pendingFrames()).toBe(0);
    clock.draw();
    expect(log).toEqual([]);
  });

  it('renders a list out of view once a second, and at once when it is back in view', () => {
    const clock = manualFrames();
    const scheduler = createListScheduler(clock.schedule);
    const log: string[] = [];
    const seen = list(scheduler, clock, 'seen', log);
    const away = list(scheduler, clock, 'away', log);
    scheduler.changed();
    clock.draw();
    const awayShown = clock.schedule.now();
    log.length = 0;

    away.visible(false);
    seen.set(1);
    away.set(1);
    scheduler.changed();
    clock.draw(LIST_INTERVAL_MS);
    expect(log).toEqual(['seen=1']);
    away.set(2);
    scheduler.changed();
    while (log.length === 1) clock.draw();
    expect(log).toEqual(['seen=1', 'away=2']);
    // Its first render out of view came a second after its last one.
    expect(clock.schedule.now() - awayShown).toBeGreaterThanOrEqual(HIDDEN_LIST_INTERVAL_MS);

    away.set(3);
    scheduler.changed();
    clock.draw(LIST_INTERVAL_MS);
    expect(log).toHaveLength(2);
    // Back in view: it shows its latest on the next frame, without waiting for its interval.
    away.visible(true);
    clock.draw(1);
    expect(log).toEqual(['seen=1', 'away=2', 'away=3']);
  });
});
