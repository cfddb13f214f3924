import { useCallback, useEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Virtuoso, type VirtuosoHandle } from 'react-virtuoso';
import { FLAGGED_COLUMN, type ColumnKey, type EventKey } from '../lib/eventKey';
import { useListKeys } from '../hooks/useListKeys';
import { useFeed } from '../stores/feed';
import { isPaused, useUi } from '../stores/ui';
import { FeedListElement, type FeedListContext } from './FeedListElement';
import { MessageRow } from './MessageRow';

interface FeedListProps {
  column: ColumnKey;
  /** The feed's accessible name. */
  label: string;
  emptyText: string;
}

const COMPONENTS = { List: FeedListElement };

/**
 * A column's virtualised list. Rooms list oldest first and follow new messages at the bottom; the
 * Flagged column lists newest first. While the column is paused it shows the list as it was when
 * the pause began and counts what arrived since.
 */
export function FeedList({ column, label, emptyText }: FeedListProps) {
  const { t } = useTranslation();
  const newestFirst = column === FLAGGED_COLUMN;
  const container = useRef<HTMLDivElement>(null);
  const live = useListKeys(column, container);
  const frozen = useUi((state) => state.frozen[column]);
  // Read only while paused: it changes with every batch.
  const appended = useFeed((state) =>
    frozen === undefined
      ? 0
      : newestFirst
        ? state.flaggedAppended
        : (state.rooms[column]?.appended ?? 0),
  );
  const paused = useUi((state) => isPaused(state, column));
  const focusKey = useUi((state) => (state.focus?.column === column ? state.focus.key : null));
  const setHovered = useUi((state) => state.setHovered);
  const setScrolledUp = useUi((state) => state.setScrolledUp);
  const resume = useUi((state) => state.resume);
  const virtuoso = useRef<VirtuosoHandle>(null);

  const keys = frozen?.keys ?? live;
  const newCount = frozen ? Math.max(0, appended - frozen.appended) : 0;

  // Keep the focused row in view.
  useEffect(() => {
    if (focusKey === null) return;
    const index = keys.indexOf(focusKey);
    if (index !== -1) virtuoso.current?.scrollIntoView({ index });
  }, [focusKey, keys]);

  // When the pause ends, go back to the newest.
  const wasFrozen = useRef(false);
  useEffect(() => {
    if (wasFrozen.current && !frozen) {
      virtuoso.current?.scrollToIndex(
        newestFirst ? { index: 0, align: 'start' } : { index: 'LAST', align: 'end' },
      );
    }
    wasFrozen.current = frozen !== undefined;
  }, [frozen, newestFirst]);

  // Leaving the newest end counts as scrolling away only while frozen: a live list that is
  // following briefly reports "not at the bottom" every time it grows.
  const onEdge = useCallback(
    (atEdge: boolean) => {
      if (useUi.getState().frozen[column]) setScrolledUp(column, !atEdge);
    },
    [column, setScrolledUp],
  );
  const itemContent = useCallback(
    (_index: number, key: EventKey) => <MessageRow column={column} eventKey={key} />,
    [column],
  );
  const computeItemKey = useCallback((_index: number, key: EventKey) => key, []);
  const context = useMemo<FeedListContext>(() => ({ label }), [label]);

  return (
    <div
      ref={container}
      className="feed"
      data-paused={paused ? 'true' : undefined}
      onMouseEnter={() => setHovered(column, true)}
      onMouseLeave={() => setHovered(column, false)}
    >
      {keys.length === 0 ? (
        <p className="feed-empty">{emptyText}</p>
      ) : (
        <Virtuoso
          ref={virtuoso}
          className="feed-scroller"
          data={keys}
          context={context}
          components={COMPONENTS}
          computeItemKey={computeItemKey}
          itemContent={itemContent}
          initialTopMostItemIndex={newestFirst ? 0 : { index: 'LAST', align: 'end' }}
          followOutput={newestFirst || frozen ? false : 'auto'}
          atBottomStateChange={newestFirst ? undefined : onEdge}
          atTopStateChange={newestFirst ? onEdge : undefined}
          // Rows beyond the edges help only while scrolling, and a live list is not being scrolled
          // (scrolling pauses it): without them each render lays out a fifth fewer rows.
          increaseViewportBy={frozen ? 240 : 0}
          skipAnimationFrameInResizeObserver
        />
      )}
      {newCount > 0 ? (
        <button
          type="button"
          className={`new-messages ${newestFirst ? 'new-messages-top' : 'new-messages-bottom'}`}
          onClick={() => resume(column)}
        >
          {t(newestFirst ? 'feed.newFlagged' : 'feed.newMessages', { count: newCount })}
        </button>
      ) : paused ? (
        <span className="paused-badge">{t('feed.paused')}</span>
      ) : null}
    </div>
  );
}
