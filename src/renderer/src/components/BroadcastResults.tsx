import { useTranslation } from 'react-i18next';
import { describeError } from '../lib/errors';
import { useAdmin, type BroadcastRun } from '../stores/admin';
import { useRooms } from '../stores/rooms';

interface BroadcastResultsProps {
  run: BroadcastRun;
}

/** Where the last broadcast got to, room by room; a failed room is retried only on request. */
export function BroadcastResults({ run }: BroadcastResultsProps) {
  const { t } = useTranslation();
  const names = useRooms((state) => state.byKey);
  const retry = useAdmin((state) => state.retryBroadcast);
  return (
    <section className="broadcast-results" aria-label={t('composer.results')}>
      <h3 className="side-panel-subheading">{t('composer.results')}</h3>
      <ul aria-live="polite">
        {run.roomKeys.map((roomKey) => {
          const delivery = run.results[roomKey];
          const name = names[roomKey]?.name ?? roomKey;
          return (
            <li
              key={roomKey}
              className={`delivery delivery-${delivery?.status ?? 'sending'}`}
              data-room-key={roomKey}
            >
              <bdi className="delivery-room">{name}</bdi>{' '}
              {delivery?.status === 'sent' ? (
                <span className="delivery-status">
                  <span aria-hidden="true">✓ </span>
                  {t('composer.sent')}
                </span>
              ) : null}
              {delivery?.status === 'sending' ? (
                <span className="delivery-status">{t('composer.sending')}</span>
              ) : null}
              {delivery?.status === 'failed' ? (
                <>
                  <span className="delivery-status row-error">
                    {t('composer.failed', {
                      reason: delivery.error ? describeError(t, delivery.error) : '',
                    })}
                  </span>{' '}
                  <button
                    type="button"
                    className="small"
                    aria-label={t('composer.retryNamed', { name })}
                    onClick={() => void retry(roomKey)}
                  >
                    {t('row.retry')}
                  </button>
                </>
              ) : null}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
