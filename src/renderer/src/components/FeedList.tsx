import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Virtuoso, type VirtuosoHandle } from 'react-virtuoso';
import { useListKeys } from '../feedPipeline/useListKeys';
import { useFittedToHeight } from '../hooks/useFittedToHeight';
import { useNewSince } from '../hooks/useNewSince';
import { FLAGGED_COLUMN, type ColumnKey, type EventKey } from '../lib/eventKey';
import { revealIn, showColumnOf, type Reserve } from '../lib/reveal';
import { isTypingTarget } from '../lib/typing';
import { isDeleteAskedOn } from '../stores/confirmations';
import { isPaused } from '../stores/cursor';
import { useDeck } from '../stores/deck';
import { collapsedKeys } from '../lib/repeats';
import { forgetRepeats, repeatsIn, runIsOpen, runOpenedBy, useRepeats } from '../stores/repeats';
import { FeedListElement, type FeedListContext } from './FeedListElement';
import { FeedTail, type FeedTailHandle } from './FeedTail';
import { MessageRow } from './MessageRow';

interface FeedListProps {
  column: ColumnKey;
  /** The feed's accessible name. */
  label: string;
  emptyText: string;
}

/**
 * Room kept clear at a paused column's newest end, where its "N new" button floats (10 px from the
 * edge, 26 px high): the cursor's row, and its confirmation, are brought into view above it.
 */
const PILL_RESERVE = 44;
const NO_RESERVE: Reserve = { top: 0, bottom: 0 };
const ROOM_RESERVE: Reserve = { top: 0, bottom: PILL_RESERVE };
const FLAGGED_RESERVE: Reserve = { top: PILL_RESERVE, bottom: 0 };

/** The virtualised list's room past its newest row, so that row can scroll clear of the button. */
function PillSpace() {
  return <div aria-hidden="true" style={{ height: PILL_RESERVE }} />;
}

// The virtualised list shows only while a column is paused, so it always keeps the room.
const ROOM_COMPONENTS = { List: FeedListElement, Footer: PillSpace };
const FLAGGED_COMPONENTS = { List: FeedListElement, Header: PillSpace };

/** No row is shorter than this (one line of 13 px text at 1.45, with its padding, is 25 px). */
const MIN_ROW_HEIGHT = 20;
/** Rows a tail can hold beyond its height at most, for the keyboard's cursor to move up through. */
const TAIL_SPARE_ROWS = 10;
/** A tail's rows before the column's height is known (and where it never is: a test's DOM). */
const DEFAULT_TAIL_ROWS = 60;

/**
 * The rows a tail holds when `covering` of its newest rows covered its height last time: a quarter
 * more and two, so that a few taller rows in the next change still cover it. Chat rows wrap, so
 * this is usually half the rows of the shortest possible ones, and under a flood every row of a
 * tail is new in each of its renders.
 */
function tailRowsFor(covering: number): number {
  return covering + Math.ceil(covering / 4) + 2;
}

/** How many rows of the shortest kind fill a height, and a few spare. */
function rowsToFill(height: number): number {
  return Math.ceil(height / MIN_ROW_HEIGHT) + TAIL_SPARE_ROWS;
}

/**
 * A column's list. A room lists oldest first with the newest at the bottom; the Flagged column
 * lists newest first. Either shows its newest rows as a plain list (`FeedTail`), live or paused,
 * until the moderator scrolls away from them or moves the cursor past them: then a virtualised list
 * of the whole scrollback takes over where the tail stood, until the pause ends. While a column is
 * paused it shows its list as it was on the screen when the pause began, and counts what arrived
 * since. Its column's header renders with each batch (the room's rate, the Flagged column's count);
 * the list renders on its own turn (`useListKeys`), not with them.
 */
export const FeedList = memo(function FeedList({ column, label, emptyText }: FeedListProps) {
  const newestFirst = column === FLAGGED_COLUMN;
  const container = useRef<HTMLDivElement>(null);
  const live = useListKeys(column, container);
  const frozen = useDeck((state) => state.frozen[column]);
  const paused = useDeck((state) => isPaused(state, column));
  const focusKey = useDeck((state) => (state.focus?.column === column ? state.focus.key : null));
  // The focused row asks to be seen whole: a confirmation opened on it, or a key asked again.
  const confirming = useDeck(
    (state) =>
      state.focus?.column === column &&
      (isDeleteAskedOn(state.deleteToConfirm, column, state.focus.key) ||
        state.exileToConfirm === state.focus.key),
  );
  const revealRequest = useDeck((state) =>
    state.focus?.column === column ? state.revealRequest : 0,
  );
  const setHovered = useDeck((state) => state.setHovered);
  const setScrolledUp = useDeck((state) => state.setScrolledUp);
  const virtuoso = useRef<VirtuosoHandle>(null);
  const tail = useRef<FeedTailHandle>(null);
  const maxTailRows = useFittedToHeight(container, DEFAULT_TAIL_ROWS, rowsToFill);
  // As many rows as covered the tail last time, with a margin (see `tailRowsFor`); all it can
  // hold until measured, and again whenever its rows did not cover it. It changes only when the
  // tail's rows did (it is measured then), so a frozen tail stays as it is.
  const [fill, setFill] = useState(Infinity);

  // One key per message; a collapsed run of repeated messages shows as its first copy's row.
  const listKeys = frozen?.keys ?? live;
  const expanded = useRepeats((state) => state.expanded);
  const collapsing = useRepeats((state) => state.enabled);
  const groups = useMemo(
    () => repeatsIn(column, listKeys),
    // Switching collapsing on or off groups the list again.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [column, listKeys, collapsing],
  );
  const runs = groups.runs;
  // The run the cursor is on a later copy of shows copy by copy; only it depends on the cursor.
  const focusFirst = runOpenedBy(groups, focusKey);
  const isOpen = useCallback(
    (first: EventKey) => runIsOpen(first, expanded, focusFirst),
    [expanded, focusFirst],
  );
  const keys = useMemo(() => collapsedKeys(listKeys, groups, isOpen), [listKeys, groups, isOpen]);
  // A closed column's runs are not carried on.
  useEffect(() => () => forgetRepeats(column), [column]);
  const reserve = frozen ? (newestFirst ? FLAGGED_RESERVE : ROOM_RESERVE) : NO_RESERVE;
  // The tail: the newest rows, the last of a room's list, the first of the Flagged column's.
  const tailRows = Math.min(maxTailRows, fill);
  const tailStart = newestFirst ? 0 : Math.max(0, keys.length - tailRows);
  const tailEnd = newestFirst ? Math.min(keys.length, tailRows) : keys.length;
  const tailKeys = useMemo(() => keys.slice(tailStart, tailEnd), [keys, tailStart, tailEnd]);
  const onFill = useCallback((covering: number | null) => {
    // Not covered: all the rows it can hold, before this frame paints. Nearly not covered, or
    // covered by far fewer rows than it holds: the size for what covered it.
    setFill((current) =>
      covering === null
        ? Infinity
        : covering > current - 2 || tailRowsFor(covering) < current * 0.75
          ? tailRowsFor(covering)
          : current,
    );
  }, []);
  const focusIndex = focusKey === null ? -1 : keys.lastIndexOf(focusKey);
  // Scrolled, or the cursor moved, past the tail: the virtualised list stays until the pause ends
  // (the cursor going back and forth over the tail's edge does not swap the lists each time).
  const [scrolling, setScrolling] = useState(false);
  const focusBeyondTail = focusIndex !== -1 && (focusIndex < tailStart || focusIndex >= tailEnd);
  if (scrolling && !frozen) setScrolling(false);
  if (!scrolling && frozen && focusBeyondTail) setScrolling(true);
  const virtualised = scrolling || focusBeyondTail;
  // The virtualised list stays hidden until it has scrolled to its first position; the tail covers
  // it until then, so taking over shows nothing moving.
  const [listReady, setListReady] = useState(false);
  if (!virtualised && listReady) setListReady(false);
  const showTail = !virtualised || !listReady;

  // Keep the focused row in view, clear of the "N new" button. The virtualised list is told once
  // it has found its first position (it starts around the row the cursor left the tail for):
  // scrolled before that, with the cursor moving on while it measures, it could leave the row out
  // of view.
  useLayoutEffect(() => {
    if (focusKey === null) return;
    if (!virtualised) {
      tail.current?.reveal(focusKey, reserve);
      return;
    }
    const index = keys.indexOf(focusKey);
    if (index !== -1 && listReady) {
      virtuoso.current?.scrollIntoView({
        index,
        calculateViewLocation: ({ itemTop, itemBottom, viewportTop, viewportBottom }) => {
          if (itemTop < viewportTop + reserve.top) {
            return { index, align: 'start', offset: -reserve.top };
          }
          if (itemBottom > viewportBottom - reserve.bottom) {
            return { index, align: 'end', offset: reserve.bottom };
          }
          return null;
        },
      });
    }
    // A key asking for the row again finds it wherever the list was scrolled since.
  }, [focusKey, keys, virtualised, listReady, reserve, revealRequest]);

  // A confirmation makes the focused row taller, and a key may ask for it again once it was
  // scrolled away: the row is measured as it is now and brought into view whole.
  useLayoutEffect(() => {
    if (!confirming && revealRequest === 0) return;
    const element = container.current?.querySelector<HTMLElement>(
      '.feed-scroller:not(.feed-tail-cover) .row-focused',
    );
    const scroller = element?.closest<HTMLElement>('.feed-scroller');
    if (element && scroller) revealIn(scroller, element, reserve);
    if (container.current) showColumnOf(container.current);
  }, [confirming, revealRequest, reserve]);

  // The cursor coming into a column scrolled out of the window brings the column into view (which
  // also lets its list render again, see `useListKeys`).
  const focusHere = focusKey !== null;
  useLayoutEffect(() => {
    if (focusHere && container.current) showColumnOf(container.current);
  }, [focusHere]);

  // The focused row moved from the tail into the virtualised list, which could not take the focus
  // while it was hidden: it takes it now that it shows.
  useLayoutEffect(() => {
    if (!listReady || focusKey === null) return;
    const row = container.current?.querySelector<HTMLElement>('.row-focused');
    if (!row || row.contains(document.activeElement) || isTypingTarget(document.activeElement)) {
      return;
    }
    row.focus({ preventScroll: true });
  }, [listReady, focusKey]);

  // Back at the newest end, the moderator's scrolling no longer holds the column. Leaving it counts
  // only when the moderator drags the scroll bar (the wheel says so itself, below): the cursor
  // walking into the scrollback scrolls the list too, and that pause ends when the cursor leaves.
  const dragging = useRef(false);
  const onEdge = useCallback(
    (atEdge: boolean) => {
      if (atEdge) dragging.current = false;
      if (useDeck.getState().frozen[column] && (atEdge || dragging.current)) {
        setScrolledUp(column, !atEdge);
      }
    },
    [column, setScrolledUp],
  );
  // The wheel turned away from the newest end: the moderator is reading back, and the column stays
  // paused until they come back or resume it. The tail does not scroll: over it, the wheel brings
  // in the scrollback.
  const onWheel = (event: React.WheelEvent) => {
    if (newestFirst ? event.deltaY <= 0 : event.deltaY >= 0) return;
    if (!virtualised) setScrolling(true);
    setScrolledUp(column, true);
  };
  const onPointerDown = (event: React.PointerEvent) => {
    // On the scroll bar, the target is the scroller itself.
    if (event.target instanceof HTMLElement && event.target.classList.contains('feed-scroller')) {
      dragging.current = true;
    }
  };
  const onShown = useCallback(() => setListReady(true), []);
  const itemContent = useCallback(
    (_index: number, key: EventKey) => (
      <MessageRow column={column} eventKey={key} run={runs.get(key)} runOpen={isOpen(key)} />
    ),
    [column, runs, isOpen],
  );
  const computeItemKey = useCallback((_index: number, key: EventKey) => key, []);
  const context = useMemo<FeedListContext>(() => ({ label, onShown }), [label, onShown]);
  const tailContext = useMemo<FeedListContext>(() => ({ label }), [label]);

  return (
    <div
      ref={container}
      className="feed"
      data-paused={paused ? 'true' : undefined}
      onMouseEnter={() => setHovered(column, true)}
      // After Esc the pointer resting here pauses the column again only once it moves.
      onMouseMove={() => {
        if (useDeck.getState().hovered !== column) setHovered(column, true);
      }}
      onMouseLeave={() => setHovered(column, false)}
      onWheel={onWheel}
      onPointerDown={onPointerDown}
    >
      {keys.length === 0 ? (
        <p className="feed-empty">{emptyText}</p>
      ) : (
        <>
          {virtualised ? (
            <Virtuoso
              ref={virtuoso}
              className="feed-scroller"
              data={keys}
              context={context}
              components={newestFirst ? FLAGGED_COMPONENTS : ROOM_COMPONENTS}
              computeItemKey={computeItemKey}
              itemContent={itemContent}
              initialTopMostItemIndex={
                focusBeyondTail
                  ? { index: focusIndex, align: 'center' }
                  : newestFirst
                    ? 0
                    : { index: 'LAST', align: 'end' }
              }
              atBottomStateChange={newestFirst ? undefined : onEdge}
              atTopStateChange={newestFirst ? onEdge : undefined}
              increaseViewportBy={240}
              skipAnimationFrameInResizeObserver
            />
          ) : null}
          {showTail ? (
            <FeedTail
              ref={tail}
              column={column}
              keys={tailKeys}
              runs={runs}
              isOpen={isOpen}
              newest={newestFirst ? 'top' : 'bottom'}
              context={tailContext}
              cover={virtualised}
              reserve={reserve}
              onFill={onFill}
            />
          ) : null}
        </>
      )}
      {frozen ? (
        <NewSincePause column={column} newestFirst={newestFirst} since={frozen.appended} />
      ) : null}
    </div>
  );
});

interface NewSincePauseProps {
  column: ColumnKey;
  newestFirst: boolean;
  /** The column's appended count when it froze. */
  since: number;
}

/**
 * How many arrived since a paused column's pause began, as the button that ends it (the header
 * says the column is paused). It alone follows the feed's count, which changes with every batch:
 * the list it sits on stays as it was, instead of rendering again (and a virtualised list
 * measuring its rows again) 20 times a second while it is paused.
 */
function NewSincePause({ column, newestFirst, since }: NewSincePauseProps) {
  const { t } = useTranslation();
  const count = useNewSince(column, since);
  if (count === 0) return null;
  return (
    <button
      type="button"
      className={`new-messages ${newestFirst ? 'new-messages-top' : 'new-messages-bottom'}`}
      onClick={() => useDeck.getState().resume(column)}
    >
      {t(newestFirst ? 'feed.newFlagged' : 'feed.newMessages', { count })}
    </button>
  );
}
