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
 * in view. A list scrolled out of sight does not render, and shows its latest as soon as it comes
 * back into view.
 *
 * Why: under a flood every list changes with every batch, and a column's render costs about the
 * same whether it adds 10 rows or 25; rendered all at once, twelve columns made frames of 50–100
 * ms. With three busy columns each still renders every 100 ms (as often as the fastest chat
 * clients repaint); with six, every 200 ms; with twelve, every 400 ms. The measurements behind
 * each number are in docs/performance/2026-11-22-to-12-06-rounds.md.
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
