/**
 * A column's keys as its list shows them: the feed store's, handed over when the list scheduler
 * gives the column its turn (see `stores/listScheduler.ts`), not on every batch.
 */
import { useEffect, useState } from 'react';
import { flushSync } from 'react-dom';
import { FLAGGED_COLUMN, type ColumnKey, type EventKey } from '../lib/eventKey';
import { useFeed } from '../stores/feed';
import { browserListSchedule, createListScheduler } from '../stores/listScheduler';

const NO_KEYS: readonly EventKey[] = Object.freeze([]);

const scheduler = createListScheduler(browserListSchedule);
let watchers = 0;
let stopWatchingStore: (() => void) | null = null;

function keysOf(column: ColumnKey): readonly EventKey[] {
  const state = useFeed.getState();
  return column === FLAGGED_COLUMN ? state.flagged : (state.rooms[column]?.keys ?? NO_KEYS);
}

export function useListKeys(column: ColumnKey): readonly EventKey[] {
  const [keys, setKeys] = useState(() => keysOf(column));

  useEffect(() => {
    if (watchers === 0) stopWatchingStore = useFeed.subscribe(() => scheduler.changed());
    watchers += 1;
    const stop = scheduler.watch(
      () => keysOf(column),
      (next) => flushSync(() => setKeys(next)),
    );
    // The store may have moved between this list's render and now.
    scheduler.changed();
    return () => {
      stop();
      watchers -= 1;
      if (watchers === 0) {
        stopWatchingStore?.();
        stopWatchingStore = null;
      }
    };
  }, [column]);

  return keys;
}
