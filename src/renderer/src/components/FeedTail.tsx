import { forwardRef, useImperativeHandle, useLayoutEffect, useRef } from 'react';
import type { ColumnKey, EventKey } from '../lib/eventKey';
import type { Reserve } from '../lib/reveal';
import { FeedListElement, type FeedListContext } from './FeedListElement';
import { MessageRow } from './MessageRow';

interface FeedTailProps {
  column: ColumnKey;
  /** The rows to show, in the column's order: the newest few of its list. */
  keys: readonly EventKey[];
  /** The runs of repeated messages among them, by first copy (see `stores/repeats.ts`). */
  runs: ReadonlyMap<EventKey, readonly EventKey[]>;
  /** Whether the run of a first copy shows copy by copy. */
  isOpen: (first: EventKey) => boolean;
  /** Where the newest row is, and the list stays pinned. */
  newest: 'bottom' | 'top';
  context: FeedListContext;
  /** Covering the virtualised list while it finds its first position. */
  cover: boolean;
  /** Room kept past the newest row, for it to scroll clear of what floats over that end. */
  reserve: Reserve;
  /**
   * After each change, how many of the newest rows cover the tail's height (`null` when all of its
   * rows do not; not called without a layout to measure).
   */
  onFill?: (rows: number | null) => void;
}

export interface FeedTailHandle {
  /** Scrolls the row of `key` into the tail's view, `reserve` clear, when the tail holds it. */
  reveal(key: EventKey, reserve: Reserve): void;
}

/** How many rows from the newest end cover the pinned tail's height; `null` when they all do not. */
function rowsCovering(target: HTMLElement, newest: 'bottom' | 'top'): number | null {
  const rows = target.firstElementChild?.children;
  if (!rows) return null;
  if (newest === 'bottom') {
    const top = target.scrollTop;
    for (let index = rows.length - 1; index >= 0; index -= 1) {
      const row = rows[index] as HTMLElement;
      if (row.offsetTop <= top) return rows.length - index;
    }
    return null;
  }
  const bottom = target.clientHeight;
  for (let index = 0; index < rows.length; index += 1) {
    const row = rows[index] as HTMLElement;
    if (row.offsetTop + row.offsetHeight >= bottom) return index + 1;
  }
  return null;
}

/**
 * A column's newest rows, pinned to the newest end (a room's bottom, the Flagged column's top):
 * what a column shows unless the moderator scrolls away from that end (then the virtualised list
 * takes over, see `FeedList`). It holds a few more rows than cover the column's height (it says
 * how many did after each change), so it needs no scroll handler: each render lays out the new rows
 * once, and the rows pushed past the far end are clipped, then dropped. Hovering, the keyboard's
 * cursor and the pause key freeze it where it stands; the cursor moving within its rows scrolls it.
 */
export const FeedTail = forwardRef<FeedTailHandle, FeedTailProps>(function FeedTail(
  { column, keys, runs, isOpen, newest, context, cover, reserve, onFill },
  ref,
) {
  const element = useRef<HTMLDivElement>(null);
  const shownKeys = useRef(keys);
  const room = newest === 'bottom' ? reserve.bottom : reserve.top;
  const shownRoom = useRef(room);

  // The room at the top comes with as much scrolling, so no row moves when a pause begins or ends.
  useLayoutEffect(() => {
    const target = element.current;
    if (target && newest === 'top') target.scrollTop += room - shownRoom.current;
    shownRoom.current = room;
  }, [room, newest]);

  // Back to the newest after every change (a frozen tail does not change), then measure: the
  // layout is fresh, so reading the rows' offsets costs nothing more.
  useLayoutEffect(() => {
    shownKeys.current = keys;
    const target = element.current;
    if (!target) return;
    target.scrollTop = newest === 'bottom' ? target.scrollHeight : 0;
    if (target.clientHeight > 0) onFill?.(rowsCovering(target, newest));
    // onFill is read when the rows change, not a reason to measure again.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [keys, newest]);

  useImperativeHandle(
    ref,
    () => ({
      reveal(key, clear) {
        const target = element.current;
        // Each row is one element, in the order of the keys.
        const index = shownKeys.current.indexOf(key);
        const row = index === -1 ? null : target?.firstElementChild?.children[index];
        if (!target || !(row instanceof HTMLElement)) return;
        const top = row.offsetTop - clear.top;
        const bottom = row.offsetTop + row.offsetHeight + clear.bottom;
        if (top < target.scrollTop) target.scrollTop = top;
        else if (bottom > target.scrollTop + target.clientHeight) {
          target.scrollTop = bottom - target.clientHeight;
        }
      },
    }),
    [],
  );

  return (
    <div
      ref={element}
      className={cover ? 'feed-scroller feed-tail feed-tail-cover' : 'feed-scroller feed-tail'}
    >
      <FeedListElement
        context={context}
        style={
          room > 0
            ? newest === 'bottom'
              ? { paddingBottom: room }
              : { paddingTop: room }
            : undefined
        }
      >
        {keys.map((key) => (
          <MessageRow
            key={key}
            column={column}
            eventKey={key}
            run={runs.get(key)}
            runOpen={isOpen(key)}
          />
        ))}
      </FeedListElement>
    </div>
  );
});
