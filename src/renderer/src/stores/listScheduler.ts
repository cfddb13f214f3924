/**
 * When each column's list re-renders. A list whose keys changed waits for the next frame; in a
 * frame the waiting lists render one at a time, longest-waiting first, until half a frame's time is
 * spent (at least one renders), and no list renders more often than every 100 ms.
 *
 * Under a flood every list changes with every batch. Re-rendering all twelve in one go cost
 * 50–100 ms a frame here (the list measures each of its rows after a change, whatever changed), so
 * the deck stuttered in every column at once. Spread out, each column still moves ten times a
 * second — as often as the fastest chat clients repaint — and a frame holds only what fits in it.
 * A quiet column renders on the next frame, as before. A list scrolled out of sight (a deck wider
 * than the window) renders once a second, and shows its latest as soon as it comes back into view.
 */
import { nextFrame } from '../lib/frames';

/** A list renders at most this often. */
export const LIST_INTERVAL_MS = 100;
/** A list out of sight renders at most this often. */
export const HIDDEN_LIST_INTERVAL_MS = 1000;
/** Lists stop rendering in a frame once this much of it is spent (one always renders). */
export const FRAME_BUDGET_MS = 8;

export interface ListSchedule {
  frame(callback: () => void): () => void;
  now(): number;
}

export interface WatchedList {
  /** Whether the list can be seen; one that cannot renders less often (lists start visible). */
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

  function request(): void {
    if (cancelFrame === null && queue.length > 0) cancelFrame = schedule.frame(onFrame);
  }

  function onFrame(): void {
    cancelFrame = null;
    const start = schedule.now();
    let rendered = false;
    const later: Entry[] = [];
    for (const entry of queue) {
      if (!entries.has(entry)) continue;
      const now = schedule.now();
      const interval = entry.visible ? LIST_INTERVAL_MS : HIDDEN_LIST_INTERVAL_MS;
      const early = now - entry.renderedAt < interval;
      const spent = rendered && now - start >= FRAME_BUDGET_MS;
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
    request();
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
          // Back in view, it shows the latest now rather than after its interval.
          if (visible) entry.renderedAt = -Infinity;
          request();
        },
        stop() {
          entries.delete(entry);
          queue = queue.filter((waiting) => waiting !== entry);
          if (queue.length === 0 && cancelFrame !== null) {
            cancelFrame();
            cancelFrame = null;
          }
        },
      };
    },
    changed() {
      for (const entry of entries) {
        if (entry.waiting || entry.read() === entry.shown) continue;
        entry.waiting = true;
        queue.push(entry);
      }
      request();
    },
  };
}

export const browserListSchedule: ListSchedule = {
  frame: nextFrame,
  now: () => performance.now(),
};
