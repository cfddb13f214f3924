import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { RoomStatus } from '../../../shared/chat';
import { describeError } from '../lib/errors';
import { ReconnectCountdown } from './ReconnectCountdown';

interface ConnectionStatusProps {
  status: RoomStatus;
}

/**
 * Live, connecting, reconnecting with a countdown, or offline, in words; with the reason while it
 * is not live for one (in full on hover when the header cuts it short).
 */
export function ConnectionStatus({ status }: ConnectionStatusProps) {
  const { t } = useTranslation();
  const reason =
    status.state !== 'live' && status.error ? describeError(t, status.error) : undefined;

  let text: ReactNode;
  if (status.state === 'live') {
    text = t('status.live');
  } else if (status.state === 'connecting') {
    text = t('status.connecting');
  } else if (status.state === 'reconnecting') {
    text = (
      <>
        {status.retryAt === undefined ? (
          t('status.reconnecting')
        ) : (
          <ReconnectCountdown key={status.retryAt} retryAt={status.retryAt} />
        )}
        {reason === undefined ? null : (
          <span className="connection-reason">{t('status.because', { reason })}</span>
        )}
      </>
    );
  } else {
    text = reason === undefined ? t('status.offline') : t('status.offlineBecause', { reason });
  }

  return (
    <span
      className={`connection connection-${status.state}`}
      data-connection={status.state}
      title={reason}
    >
      <span className="connection-dot" aria-hidden="true" />
      <span className="connection-text">{text}</span>
    </span>
  );
}
