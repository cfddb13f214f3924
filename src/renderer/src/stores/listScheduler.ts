/**
 * When each column's list re-renders. A list whose keys changed waits for the next frame; in a
 * frame the waiting lists render one at a time, longest-waiting first, until half a frame's time is
 * spent since the frame began (at least one renders), and the frame after that is left to them (no
 * list renders in it). A frame already half spent before the lists' turn (a key or scroll handler,
 * which run first, or a frame that began late) is let pass, up to three in a row. After lists
 * render, none renders again until twice the time they took has passed: where a column's render is
 * slow (a slow machine, a flood in every column), the deck renders less often instead of keeping
 * the main thread busy. No list renders more often than every 100 ms, nor, when many columns are
 * busy at once, more often than its share of 30 list renders a second between all the busy columns
 * in view.
 *
 * Under a flood every list changes with every batch. Re-rendering all twelve in one go cost
 * 50–100 ms a frame here (then a virtualised list, which measured each of its rows after a
 * change), so the deck stuttered in every column at once. Spread out, a frame holds only what fits
 * in it. A quiet column renders on the next frame (or the one after). A list scrolled out of sight
 * (a deck wider than the window) does not render, and shows its latest as soon as it comes back
 * into view: under a flood each of its renders is a whole column of new rows; at once a second the
 * six columns outside a 1920-pixel window took about a seventh of the page's CPU, and at once every
 * 5 seconds their renders still came as 15–23 ms frames, several in a row.
 *
 * The deck's share: a column's render cost about the same whether it added 10 rows or 25 (the list
 * measured every row it showed, and the column is laid out and painted again), so with the six busy
 * columns a 1920-pixel window shows, rendering each every 100 ms kept the page's main thread
 * saturated and a fifth of the frames late; at every 250 ms the page used a fifth less CPU and 7 %
 * of frames were late. With three busy columns each still renders every 100 ms (as often as the
 * fastest chat clients repaint); with six, every 200 ms; with twelve, every 400 ms.
 *
 * The rest after a render: V8 ends a full collection (20–35 ms here under a flood) from a task of
 * its own, but once that task has waited 50 ms it ends it inside whatever script runs next, and a
 * frame that rendered a list (15–30 ms) with the collection inside is a task of over 50 ms. The
 * task waits when the main thread has no gap for it. In 30 s traces of the flood without keyboard
 * input, 4 of 12 collections ended inside other work with one frame's rest, none of 12 with the
 * rest at twice the render's time; with the benchmark's typing and cursor moves it made no
 * difference that 60 s runs could show (see the README's Performance section). It is kept for what
 * it does on a slow machine: the deck renders less often instead of keeping the main thread busy.
 */
import { nextFrame } from '../lib/frames';

/** A list renders at most this often. */
export const LIST_INTERVAL_MS = 100;
/** Renders a second between all the busy lists in view. */
export const DECK_RENDERS_PER_SECOND = 30;
/** A list that rendered this recently, or is waiting to, counts as busy. */
export const BUSY_WINDOW_MS = 1000;
/** Lists stop rendering in a frame once this much of it is spent (one always renders). */
export const FRAME_BUDGET_MS = 8;
/** After lists render, none renders again until this many times what they took has passed. */
export const REST_RATIO = 2;
/** Frames in a row the lists let pass because they were half spent before their turn. */
export const LATE_FRAMES_MAX = 3;

export interface ListSchedule {
  /** Calls back on the next frame with the time it began. */
  frame(callback: (frameStart: number) => void): () => void;
  now(): number;
}

export interface WatchedList {
  /** Whether the list can be seen; one that cannot waits until it can (lists start visible). */
  visible(visible: boolean): void;
  stop(): void;
}

export interface ListScheduler {
  /**
   * Watches a list: `read` gives what it should show, `render` shows it (synchronously); the first
   * render comes with the first `changed()`.
   */
  watch<T>(read: () => T, render: (value: T) => void): WatchedList;
  /** What the lists read may have changed: those that did wait for their turn. */
  changed(): void;
}

const NOT_SHOWN = Symbol('not shown');

interface Entry {
  shown: unknown;
  read(): unknown;
  render(value: unknown): void;
  /** When it last rendered; -Infinity before the first time. */
  renderedAt: number;
  waiting: boolean;
  visible: boolean;
}

export function createListScheduler(schedule: ListSchedule): ListScheduler {
  const entries = new Set<Entry>();
  let queue: Entry[] = [];
  let cancelFrame: (() => void) | null = null;
  /**
   * The frame after lists rendered is theirs, for what follows a render: a virtualised list
   * measures its new rows and scrolls in it (its own resize observer and scroll handler), and a
   * column's paint can spill over. No other list renders then: without the pause a frame held two
   * or three columns' work.
   */
  let restFrame = false;
  /** No list renders before this time (see `REST_RATIO`). */
  let restUntil = -Infinity;
  /** Frames let pass in a row because they were already half spent (see `LATE_FRAMES_MAX`). */
  let lateFrames = 0;

  /** Queues a list in view whose value changed, unless it is already waiting. */
  function enqueue(entry: Entry): void {
    if (!entry.visible || entry.waiting || entry.read() === entry.shown) return;
    entry.waiting = true;
    queue.push(entry);
  }

  function request(): void {
    if (cancelFrame === null && queue.length > 0) cancelFrame = schedule.frame(onFrame);
  }

  /** How often a list in view may render now, from how many of them are busy. */
  function visibleInterval(now: number): number {
    let busy = 0;
    for (const entry of entries) {
      if (entry.visible && (entry.waiting || now - entry.renderedAt < BUSY_WINDOW_MS)) busy += 1;
    }
    return Math.max(LIST_INTERVAL_MS, (busy * 1000) / DECK_RENDERS_PER_SECOND);
  }

  function onFrame(frameStart: number): void {
    cancelFrame = null;
    const start = schedule.now();
    if (restFrame || start < restUntil) {
      restFrame = false;
      request();
      return;
    }
    // Input and scroll handlers run in a frame before its animation callbacks, and a frame can
    // begin late behind a long task: one already half spent is left to what it holds.
    if (start - frameStart >= FRAME_BUDGET_MS && lateFrames < LATE_FRAMES_MAX) {
      lateFrames += 1;
      request();
      return;
    }
    lateFrames = 0;
    const shared = visibleInterval(start);
    let rendered = false;
    const later: Entry[] = [];
    for (const entry of queue) {
      if (!entries.has(entry)) continue;
      if (!entry.visible) {
        // Out of sight: it waits for `visible(true)`.
        entry.waiting = false;
        continue;
      }
      const now = schedule.now();
      const early = now - entry.renderedAt < shared;
      const spent = rendered && now - frameStart >= FRAME_BUDGET_MS;
      if (early || spent) {
        later.push(entry);
        continue;
      }
      entry.waiting = false;
      const value = entry.read();
      if (value === entry.shown) continue;
      entry.shown = value;
      entry.renderedAt = now;
      rendered = true;
      entry.render(value);
    }
    queue = later;
    restFrame = rendered;
    if (rendered) {
      const end = schedule.now();
      restUntil = end + (end - start) * REST_RATIO;
    }
    if (restFrame && cancelFrame === null) cancelFrame = schedule.frame(onFrame);
    else request();
  }

  return {
    watch(read, render) {
      const entry: Entry = {
        shown: NOT_SHOWN,
        read,
        render,
        renderedAt: -Infinity,
        waiting: false,
        visible: true,
      };
      entries.add(entry);
      return {
        visible(visible) {
          if (entry.visible === visible) return;
          entry.visible = visible;
          if (!visible) return;
          // Back in view, it shows the latest now rather than after its interval.
          entry.renderedAt = -Infinity;
          enqueue(entry);
          request();
        },
        stop() {
          entries.delete(entry);
          queue = queue.filter((waiting) => waiting !== entry);
          if (queue.length === 0 && cancelFrame !== null) {
            cancelFrame();
            cancelFrame = null;
            restFrame = false;
          }
        },
      };
    },
    changed() {
      for (const entry of entries) enqueue(entry);
      request();
    },
  };
}

export const browserListSchedule: ListSchedule = {
  frame: nextFrame,
  now: () => performance.now(),
};
