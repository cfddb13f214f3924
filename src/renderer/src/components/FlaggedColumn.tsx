import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormatters } from '../hooks/useFormatters';
import { FLAGGED_COLUMN } from '../lib/eventKey';
import { useDeck } from '../stores/deck';
import { useFeed } from '../stores/feed';
import { DEFAULT_FLAGGED_WIDTH, useRooms } from '../stores/rooms';
import { ColumnShowing } from './ColumnShowing';
import { FeedList } from './FeedList';
import { ResizeHandle } from './ResizeHandle';

/**
 * The Flagged column: a queue of the flagged messages and DMs to the moderator from every open
 * room, newest first, each until the moderator acts on it or marks it as looking fine. It counts
 * what waits; a toggle lists the handled ones too. Its right edge resizes it like a room's column.
 */
export function FlaggedColumn() {
  const { t } = useTranslation();
  const formatters = useFormatters();
  const count = useFeed((state) => state.queued);
  const showHandled = useFeed((state) => state.showHandled);
  const savedWidth = useRooms((state) => state.flaggedWidth);
  const resizeFlagged = useRooms((state) => state.resizeFlagged);
  // While dragging the handle the width lives here; it is saved once, on release.
  const [dragWidth, setDragWidth] = useState<number | null>(null);
  const width = dragWidth ?? savedWidth ?? DEFAULT_FLAGGED_WIDTH;

  function toggleHandled(): void {
    useFeed.getState().setShowHandled(!showHandled);
    // The list shown changes: a pause on the list as it was would show the other one.
    useDeck.getState().resume(FLAGGED_COLUMN);
  }

  return (
    <section
      className="column column-flagged"
      data-column={FLAGGED_COLUMN}
      aria-labelledby="flagged-heading"
      style={{ width }}
    >
      <div className="column-header">
        <div className="column-title">
          <span className="flag-icon" aria-hidden="true">
            ⚑
          </span>
          <h2 id="flagged-heading" className="column-name">
            {t('flagged.title')}
          </h2>
          <span
            className="column-count"
            data-count={count}
            aria-label={t('flagged.count', { count })}
          >
            {formatters.number.format(count)}
          </span>
          <span className="column-tools">
            <button
              type="button"
              className="small toggle-handled"
              aria-pressed={showHandled}
              title={t('flagged.showHandledHint')}
              onClick={toggleHandled}
            >
              {t('flagged.showHandled')}
            </button>
          </span>
        </div>
        <div className="column-stats">
          <ColumnShowing column={FLAGGED_COLUMN} />
        </div>
      </div>
      <FeedList
        column={FLAGGED_COLUMN}
        label={t('flagged.title')}
        emptyText={showHandled ? t('flagged.empty') : t('flagged.emptyQueue')}
      />
      <ResizeHandle width={width} onResize={resizeFlagged} onPreview={setDragWidth} />
    </section>
  );
}
