import { describe, expect, it } from 'vitest';
import {
  BUSY_WINDOW_MS,
  createListScheduler,
  DECK_RENDERS_PER_SECOND,
  FRAME_BUDGET_MS,
  LATE_FRAMES_MAX,
  LIST_INTERVAL_MS,
  REST_RATIO,
} from '../../../src/renderer/src/feedPipeline/listScheduler';
import { manualQueue } from './manualQueue';

/** Frames that come when the test draws one, on a clock the test moves. */
function manualFrames() {
  let time = 1_000;
  const frames = manualQueue<(frameStart: number) => void>();
  return {
    schedule: {
      frame: (callback: (frameStart: number) => void) => frames.add(callback),
      now: () => time,
    },
    advance(ms: number) {
      time += ms;
    },
    /** A frame `atMs` after the last; its callbacks run `busyMs` after it began. */
    draw(atMs = 16, busyMs = 0) {
      time += atMs;
      const frameStart = time;
      time += busyMs;
      for (const callback of frames.take()) callback(frameStart);
    },
    pendingFrames: () => frames.waiting().length,
  };
}

/**
 * A scheduler on manual frames, the log of what its lists rendered (`name=value`), and `list`: a
 * list whose value the test sets, each render taking `cost` ms of the clock.
 */
function setup() {
  const clock = manualFrames();
  const scheduler = createListScheduler(clock.schedule);
  const log: string[] = [];
  function list(name: string, cost = 0) {
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
  return { clock, scheduler, log, list };
}

describe('the list scheduler', () => {
  it('renders a changed list on the next frame, and only the lists that changed', () => {
    const { clock, scheduler, log, list } = setup();
    const a = list('a');
    list('b');
    scheduler.changed();
    clock.draw();
    expect(log).toEqual(['a=0', 'b=0']);

    clock.draw(200);
    a.set(1);
    scheduler.changed();
    expect(log).toHaveLength(2);
    clock.draw();
    expect(log).toEqual(['a=0', 'b=0', 'a=1']);
    // The frame after a render is the lists' own; then nothing is asked for.
    expect(clock.pendingFrames()).toBe(1);
    clock.draw();
    expect(clock.pendingFrames()).toBe(0);
  });

  it('stops rendering in a frame once its budget is spent, and goes on after a frame left to them', () => {
    const { clock, scheduler, log, list } = setup();
    // Each render takes 5 ms: two fit in the 8 ms budget (the second starts at 5 ms), not three.
    expect(FRAME_BUDGET_MS).toBe(8);
    const lists = ['a', 'b', 'c', 'd', 'e'].map((name) => list(name, 5));
    lists.forEach((each, index) => each.set(index + 1));
    scheduler.changed();

    clock.draw();
    expect(log).toEqual(['a=1', 'b=2']);
    // The next frame is theirs: a and b measure and scroll in it.
    clock.draw();
    expect(log).toEqual(['a=1', 'b=2']);
    clock.draw();
    expect(log).toEqual(['a=1', 'b=2', 'c=3', 'd=4']);
    clock.draw();
    clock.draw();
    expect(log).toEqual(['a=1', 'b=2', 'c=3', 'd=4', 'e=5']);
  });

  it('renders one list even when it alone takes longer than the budget, then rests twice as long', () => {
    const { clock, scheduler, log, list } = setup();
    const slow = list('slow', 40);
    const other = list('other', 40);
    slow.set(1);
    other.set(1);
    scheduler.changed();
    clock.draw();
    expect(log).toEqual(['slow=1']);
    const renderedAt = clock.schedule.now();
    let frames = 0;
    while (log.length === 1 && frames < 20) {
      clock.draw();
      frames += 1;
    }
    expect(log).toEqual(['slow=1', 'other=1']);
    // The render took 40 ms: no list renders in the next 80 ms. The frames are 16 ms apart, so the
    // first one at or past that is the fifth.
    expect(REST_RATIO).toBe(2);
    expect(frames).toBe(Math.ceil((40 * REST_RATIO) / 16));
    expect(clock.schedule.now() - 40 - renderedAt).toBeGreaterThanOrEqual(40 * REST_RATIO);
  });

  it('lets a frame already half spent before its turn pass, but not more than three in a row', () => {
    const { clock, scheduler, log, list } = setup();
    const a = list('a', 2);
    a.set(1);
    scheduler.changed();
    // A key handler took 10 ms of the frame before the lists' turn.
    clock.draw(16, FRAME_BUDGET_MS + 2);
    expect(log).toEqual([]);
    clock.draw(16, 1);
    expect(log).toEqual(['a=1']);

    clock.draw(LIST_INTERVAL_MS);
    a.set(2);
    scheduler.changed();
    expect(LATE_FRAMES_MAX).toBe(3);
    for (let frame = 0; frame < LATE_FRAMES_MAX; frame += 1) clock.draw(16, 12);
    expect(log).toEqual(['a=1']);
    // Busy frames go on: the list renders in the next one anyway.
    clock.draw(16, 12);
    expect(log).toEqual(['a=1', 'a=2']);
  });

  it("counts the budget from the frame's start: a frame begun 6 ms late holds one 5 ms render", () => {
    const { clock, scheduler, log, list } = setup();
    const lists = ['a', 'b'].map((name) => list(name, 5));
    lists.forEach((each, index) => each.set(index + 1));
    scheduler.changed();
    clock.draw(16, 6);
    expect(log).toEqual(['a=1']);
  });

  it('renders a list at most every 100 ms, showing its latest value when its turn comes', () => {
    const { clock, scheduler, log, list } = setup();
    const a = list('a');
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
    const { clock, scheduler, log, list } = setup();
    const a = list('a', 10);
    const b = list('b', 10);
    scheduler.changed();
    // One fits a frame's budget, and the frame after a render is left to it.
    for (let frame = 0; frame < 4; frame += 1) clock.draw();
    expect(log).toEqual(['a=0', 'b=0']);
    log.length = 0;
    clock.advance(LIST_INTERVAL_MS);

    b.set(1);
    scheduler.changed();
    a.set(1);
    scheduler.changed();
    for (let frame = 0; frame < 3; frame += 1) clock.draw();
    expect(log).toEqual(['b=1', 'a=1']);
  });

  it('forgets a list that stops watching, and stops asking for frames when none is left', () => {
    const { clock, scheduler, log, list } = setup();
    const a = list('a');
    a.set(1);
    scheduler.changed();
    a.stop();
    expect(clock.pendingFrames()).toBe(0);
    clock.draw();
    expect(log).toEqual([]);
  });

  it('lets the next change render on the next frame when the list that rendered stops watching', () => {
    const { clock, scheduler, log, list } = setup();
    const a = list('a');
    const b = list('b');
    scheduler.changed();
    clock.draw();
    log.length = 0;
    // a and b rendered: the next frame was to be theirs, but both stopped watching.
    a.stop();
    b.stop();
    expect(clock.pendingFrames()).toBe(0);
    const c = list('c');
    c.set(1);
    scheduler.changed();
    clock.draw();
    expect(log).toEqual(['c=1']);
  });

  it('does not render a list out of view, and shows its latest at once when it is back in view', () => {
    const { clock, scheduler, log, list } = setup();
    const seen = list('seen');
    const away = list('away');
    scheduler.changed();
    clock.draw();
    clock.draw();
    log.length = 0;

    away.visible(false);
    seen.set(1);
    away.set(1);
    scheduler.changed();
    for (let frame = 0; frame < 600; frame += 1) {
      away.set(frame + 2);
      scheduler.changed();
      clock.draw();
    }
    // Ten seconds of changes: only the list in view rendered.
    expect(log).toEqual(['seen=1']);
    // A list that goes out of view while waiting for its turn does not render either.
    clock.draw(LIST_INTERVAL_MS);
    seen.set(2);
    scheduler.changed();
    seen.visible(false);
    clock.draw();
    expect(log).toEqual(['seen=1']);
    expect(clock.pendingFrames()).toBe(0);

    // Back in view: each shows its latest on the next frame, without waiting for a change.
    away.visible(true);
    clock.draw(1);
    expect(log).toEqual(['seen=1', 'away=601']);
    seen.visible(true);
    clock.draw(1);
    clock.draw(1);
    expect(log).toEqual(['seen=1', 'away=601', 'seen=2']);
    // In view and unchanged, coming back asks for nothing.
    seen.visible(false);
    seen.visible(true);
    clock.draw(1);
    expect(log).toHaveLength(3);
  });

  it("shares the deck's renders between the busy lists in view, and lets a quiet one through at once", () => {
    const { clock, scheduler, log, list } = setup();
    // Twelve lists in view, all busy: 30 renders a second between them is one every 400 ms each.
    const busy = Array.from({ length: 12 }, (_, index) => list(`l${index}`));
    const quiet = list('quiet');
    const shared = (12 * 1000) / DECK_RENDERS_PER_SECOND;
    expect(shared).toBeGreaterThan(LIST_INTERVAL_MS);
    let value = 0;
    const times: number[] = [];
    for (let frame = 0; frame < 200; frame += 1) {
      value += 1;
      for (const each of busy) each.set(value);
      scheduler.changed();
      clock.draw();
      if (log.splice(0).some((entry) => entry.startsWith('l5='))) times.push(clock.schedule.now());
    }
    // After the first second (when the quiet list's first render still counted it as busy), each
    // waits its share: the first frame at or past it.
    const settled = times.filter((at) => at >= (times[0] as number) + BUSY_WINDOW_MS);
    const gaps = settled.slice(1).map((at, index) => at - (settled[index] as number));
    expect(gaps.length).toBeGreaterThan(3);
    for (const gap of gaps) expect(gap).toBe(Math.ceil(shared / 16) * 16);

    // The quiet list had nothing new; its one message shows on the next frame.
    quiet.set(1);
    scheduler.changed();
    clock.draw();
    expect(log).toContain('quiet=1');
  });

  it('gives a list the full 100 ms pace again once the others fall quiet', () => {
    const { clock, scheduler, log, list } = setup();
    const lists = Array.from({ length: 12 }, (_, index) => list(`l${index}`));
    const [first] = lists as [ReturnType<typeof list>];
    let value = 0;
    for (let frame = 0; frame < 60; frame += 1) {
      value += 1;
      for (const each of lists) each.set(value);
      scheduler.changed();
      clock.draw();
    }
    // The others stop: they show what they had waiting, and a busy window later only the first
    // is busy.
    clock.draw(BUSY_WINDOW_MS);
    clock.draw(BUSY_WINDOW_MS);
    log.length = 0;
    const times: number[] = [];
    for (let frame = 0; frame < 60; frame += 1) {
      value += 1;
      first.set(value);
      scheduler.changed();
      clock.draw();
      if (log.splice(0).length > 0) times.push(clock.schedule.now());
    }
    const gaps = times.slice(1).map((at, index) => at - (times[index] as number));
    expect(gaps.length).toBeGreaterThan(3);
    for (const gap of gaps) expect(gap).toBe(Math.ceil(LIST_INTERVAL_MS / 16) * 16);
  });
});
