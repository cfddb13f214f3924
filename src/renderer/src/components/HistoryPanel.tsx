import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { RoomKey } from '../../../shared/chat';
import { describeError } from '../lib/errors';
import { eventKeyOf } from '../lib/eventKey';
import { useSearch } from '../stores/search';
import { FoundMessage } from './FoundMessage';
import { PanelFrame } from './PanelFrame';

interface HistoryPanelProps {
  roomKey: RoomKey;
  /** The found message's place in the store. */
  seq: number;
  eventId: string;
}

/**
 * A room's stored messages around one that search found and that has left its column: oldest
 * first, the found one marked and focused, each as it was stored (hidden, deleted). Read-only:
 * a stored message may be long gone from the service, so nothing here acts on it.
 */
export function HistoryPanel({ roomKey, seq, eventId }: HistoryPanelProps) {
  const { t } = useTranslation();
  const view = useSearch((state) =>
    state.around?.roomKey === roomKey && state.around.seq === seq ? state.around : null,
  );
  const foundRef = useRef<HTMLLIElement>(null);
  const foundKey = eventKeyOf(roomKey, eventId);

  useEffect(() => {
    void useSearch.getState().loadAround(roomKey, seq);
  }, [roomKey, seq]);

  const ready = view?.status === 'ready';
  useEffect(() => {
    if (ready) foundRef.current?.focus();
  }, [ready]);

  const roomName = view?.roomName ?? roomKey;
  const holdsFound = view?.results.some((result) => result.key === foundKey) === true;
  return (
    <PanelFrame
      title={t('historyView.title', { room: roomName })}
      subtitle={t('historyView.subtitle')}
      className="history-panel"
    >
      <p className="hint" role="status">
        {view === null || view.status === 'loading' ? t('historyView.loading') : ''}
      </p>
      {view?.status === 'error' && view.error ? (
        <p className="form-error" role="alert">
          {t('historyView.failed', { reason: describeError(t, view.error) })}
        </p>
      ) : null}
      {ready && !holdsFound ? <p className="hint">{t('historyView.missing')}</p> : null}
      {ready ? (
        <ol className="history-list" aria-label={t('historyView.listLabel')}>
          {view.results.map((result) => {
            const found = result.key === foundKey;
            return (
              <li
                key={result.key}
                ref={found ? foundRef : undefined}
                className={found ? 'history-found' : undefined}
                aria-current={found ? 'true' : undefined}
                tabIndex={found ? -1 : undefined}
                data-result-key={result.key}
              >
                <FoundMessage result={result} found={found} />
              </li>
            );
          })}
        </ol>
      ) : null}
    </PanelFrame>
  );
}
