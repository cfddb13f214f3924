import { useTranslation } from 'react-i18next';
import type { RoomStatus } from '../../../shared/chat';
import { useFormatters } from '../hooks/useFormatters';
import { keyLabel, useKeys } from '../hooks/useKeys';
import { useNewSince } from '../hooks/useNewSince';
import type { ColumnKey } from '../lib/eventKey';
import { isPaused } from '../stores/cursor';
import { useDeck } from '../stores/deck';
import { ConnectionStatus } from './ConnectionStatus';

interface ColumnShowingProps {
  column: ColumnKey;
  /** The room's connection; none for the Flagged column. */
  status?: RoomStatus;
}

/**
 * What a column's header says about what it shows: "Live" only while it shows the newest of a live
 * feed; "Paused · N new" while it is paused, as the button that takes it back to the newest; and
 * the connection whenever that is not live.
 */
export function ColumnShowing({ column, status }: ColumnShowingProps) {
  const { t } = useTranslation();
  const paused = useDeck((state) => isPaused(state, column));
  const connectionLive = status === undefined || status.state === 'live';
  return (
    <span className="column-state" data-column-state={paused ? 'paused' : 'live'}>
      {status && !(paused && connectionLive) ? <ConnectionStatus status={status} /> : null}
      {paused ? (
        <PausedState column={column} />
      ) : status === undefined ? (
        <span className="connection connection-live">
          <span className="connection-dot" aria-hidden="true" />
          {t('status.live')}
        </span>
      ) : null}
    </span>
  );
}

/** "Paused · N new": mounted only while the column is paused, the count follows every batch. */
function PausedState({ column }: { column: ColumnKey }) {
  const { t } = useTranslation();
  const formatters = useFormatters();
  const keys = useKeys();
  const frozenAt = useDeck((state) => state.frozen[column]?.appended);
  const pinned = useDeck((state) => state.pinned[column] === true);
  const resume = useDeck((state) => state.resume);
  const count = useNewSince(column, frozenAt ?? Infinity);
  return (
    <button
      type="button"
      className="column-paused"
      title={
        pinned
          ? t('feed.pinnedHint', { key: keyLabel(keys.pin), clearKey: keyLabel(keys.clearFocus) })
          : t('feed.resumeHint', {
              key: keyLabel(keys.newest),
              clearKey: keyLabel(keys.clearFocus),
            })
      }
      onClick={() => resume(column)}
    >
      <span className="connection-dot" aria-hidden="true" />
      {count === 0
        ? t('feed.paused')
        : t('feed.pausedNew', { count, formatted: formatters.number.format(count) })}
    </button>
  );
}
