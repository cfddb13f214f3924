import { useTranslation } from 'react-i18next';
import { parseRoomKey } from '../../../shared/chat';
import type { OutOfView } from '../hooks/useColumnsOutOfView';
import { useDeck } from '../stores/deck';
import { useRooms } from '../stores/rooms';

interface ColumnsOutOfViewProps {
  outOfView: OutOfView;
}

/**
 * The deck's right edge when its columns do not all fit: which columns are out of view, on which
 * side, each a button that brings it into view. It takes the place a cut column would show in, so
 * no column is ever shown in part.
 */
export function ColumnsOutOfView({ outOfView }: ColumnsOutOfViewProps) {
  const { t } = useTranslation();
  const names = useRooms((state) => state.byKey);
  const showColumn = useDeck((state) => state.showColumn);
  const { columns, listWidth, scrollBarHeight } = outOfView;
  if (columns.length === 0) return null;
  return (
    <nav
      className="columns-out-of-view"
      aria-label={t('deck.moreColumnsLabel')}
      style={{ width: listWidth, bottom: scrollBarHeight }}
    >
      <p className="columns-out-of-view-count">
        {t('deck.moreColumns', { count: columns.length })}
      </p>
      <ul>
        {columns.map(({ roomKey, side }) => {
          const name = names[roomKey]?.name ?? parseRoomKey(roomKey).roomId;
          return (
            <li key={roomKey}>
              <button
                type="button"
                data-room-key={roomKey}
                aria-label={t('deck.showColumn', { name })}
                title={name}
                onClick={() => showColumn(roomKey)}
              >
                <span aria-hidden="true">{side === 'left' ? '←' : '→'}</span>
                <bdi>{name}</bdi>
              </button>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
