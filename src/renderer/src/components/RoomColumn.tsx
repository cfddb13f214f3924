import { useLayoutEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { parseRoomKey, type RoomKey } from '../../../shared/chat';
import { describeError } from '../lib/errors';
import { useDeck } from '../stores/deck';
import { COLUMN_DRAG_TYPE, DEFAULT_COLUMN_WIDTH, useRooms } from '../stores/rooms';
import { ColumnHeader } from './ColumnHeader';
import { FeedList } from './FeedList';
import { ResizeHandle } from './ResizeHandle';

interface RoomColumnProps {
  roomKey: RoomKey;
}

/** One room's column: header, live feed, and a handle to resize it. */
export function RoomColumn({ roomKey }: RoomColumnProps) {
  const { t } = useTranslation();
  const savedWidth = useRooms(
    (state) => state.columns.find((column) => column.roomKey === roomKey)?.width,
  );
  const name = useRooms((state) => state.byKey[roomKey]?.name);
  const opening = useRooms((state) => state.opening[roomKey]);
  const reopen = useRooms((state) => state.reopen);
  const close = useRooms((state) => state.close);
  const moveBefore = useRooms((state) => state.moveBefore);
  const resize = useRooms((state) => state.resize);
  // While dragging the handle the width lives here; it is saved once, on release.
  const [dragWidth, setDragWidth] = useState<number | null>(null);
  const width = dragWidth ?? savedWidth ?? DEFAULT_COLUMN_WIDTH;
  const label = name ?? parseRoomKey(roomKey).roomId;
  const section = useRef<HTMLElement>(null);
  const shown = useDeck((state) =>
    state.shownColumn?.column === roomKey ? state.shownColumn.request : 0,
  );

  // Opened again, or asked for from the picker or the list of columns out of view.
  useLayoutEffect(() => {
    if (shown > 0) section.current?.scrollIntoView?.({ block: 'nearest', inline: 'start' });
  }, [shown]);

  return (
    <section
      ref={section}
      className="column"
      // The deck's focus when the cursor is on no row of it (after its menu, for one).
      tabIndex={-1}
      data-room-key={roomKey}
      aria-label={t('column.label', { name: label })}
      style={{ width }}
      onDragOver={(event) => {
        if (!event.dataTransfer.types.includes(COLUMN_DRAG_TYPE)) return;
        event.preventDefault();
        event.dataTransfer.dropEffect = 'move';
      }}
      onDrop={(event) => {
        const dragged = event.dataTransfer.getData(COLUMN_DRAG_TYPE);
        if (dragged === '' || dragged === roomKey) return;
        event.preventDefault();
        moveBefore(dragged, roomKey);
      }}
    >
      <ColumnHeader roomKey={roomKey} />
      {name !== undefined ? (
        <FeedList
          column={roomKey}
          label={t('column.feedLabel', { name })}
          emptyText={t('column.empty')}
        />
      ) : opening?.status === 'error' && opening.error ? (
        <div className="column-problem" role="alert">
          <p>{t('column.openFailed', { reason: describeError(t, opening.error) })}</p>
          <div className="column-problem-actions">
            <button type="button" onClick={() => void reopen(roomKey)}>
              {t('column.retry')}
            </button>
            <button type="button" onClick={() => void close(roomKey)}>
              {t('column.close')}
            </button>
          </div>
        </div>
      ) : (
        <p className="column-opening">{t('column.opening')}</p>
      )}
      <ResizeHandle
        width={width}
        onResize={(chosen) => resize(roomKey, chosen)}
        onPreview={setDragWidth}
      />
    </section>
  );
}
