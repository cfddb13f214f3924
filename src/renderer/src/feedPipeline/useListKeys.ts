/**
 * A column's keys as its list shows them: the feed store's, handed over when the list scheduler
 * gives the column its turn (see `listScheduler.ts`), not on every batch. While the column
 * is paused they are not handed over at all (the list shows its frozen copy then): a paused list
 * rendered again on every turn for nothing, and a virtualised one measured its rows each time.
 */
import { useEffect, useLayoutEffect, useState, type RefObject } from 'react';
import { flushSync } from 'react-dom';
import type { ColumnKey, EventKey } from '../lib/eventKey';
import { appendedCount, liveKeys } from '../stores/cursor';
import { useDeck } from '../stores/deck';
import { useFeed } from '../stores/feed';
import { browserListSchedule, createListScheduler } from './listScheduler';
import { forgetShown, recordShown } from './shownLists';

const scheduler = createListScheduler(browserListSchedule);
let watchers = 0;
let stopWatchingStores: (() => void) | null = null;

/** What a paused column's list reads: the same value every time, so it waits without rendering. */
const WHILE_PAUSED: readonly EventKey[] = [];

function watchStores(): () => void {
  const stopFeed = useFeed.subscribe(() => scheduler.changed());
  // A pause ending: the list takes the feed's keys back on its next turn, even if no batch comes.
  const stopDeck = useDeck.subscribe((state, previous) => {
    if (state.frozen !== previous.frozen) scheduler.changed();
  });
  return () => {
    stopFeed();
    stopDeck();
  };
}

/** Lists this far beside the window still count as in view, so a short scroll finds them ready. */
const NEAR_VIEW = '0px 160px';

/**
 * `element` is the list's container: while it is out of view (a deck wider than the window), the
 * list waits.
 */
export function useListKeys(
  column: ColumnKey,
  element: RefObject<HTMLElement | null>,
): readonly EventKey[] {
  const [handed, setHanded] = useState(() => liveKeys(column));
  // While paused the list holds no keys of its own (it shows its frozen copy; holding the list
  // from before the pause kept every key in it alive for as long as the pause lasted). When the
  // pause ends it renders at once, with the feed's newest.
  const keys = handed === WHILE_PAUSED ? liveKeys(column) : handed;

  // Renders come synchronously from the scheduler (or the pause ending), right after the keys were
  // read: the feed has not moved since, so its appended count now is the one that goes with them.
  useLayoutEffect(() => {
    recordShown(column, { keys, appended: appendedCount(column) });
  }, [column, keys]);

  useEffect(() => {
    if (watchers === 0) stopWatchingStores = watchStores();
    watchers += 1;
    const list = scheduler.watch(
      () => (useDeck.getState().frozen[column] ? WHILE_PAUSED : liveKeys(column)),
      (next) => flushSync(() => setHanded(next)),
    );
    const target = element.current;
    const observer =
      target && typeof IntersectionObserver === 'function'
        ? new IntersectionObserver(
            (entries) => {
              const last = entries[entries.length - 1];
              if (last) list.visible(last.isIntersecting);
            },
            { rootMargin: NEAR_VIEW },
          )
        : null;
    if (target) observer?.observe(target);
    // The store may have moved between this list's render and now.
    scheduler.changed();
    return () => {
      observer?.disconnect();
      list.stop();
      forgetShown(column);
      watchers -= 1;
      if (watchers === 0) {
        stopWatchingStores?.();
        stopWatchingStores = null;
      }
    };
  }, [column, element]);

  return keys;
}
