import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { RoomStatus } from '../../../shared/chat';
import { describeError } from '../lib/errors';
import { ReconnectCountdown } from './ReconnectCountdown';

interface ConnectionStatusProps {
  status: RoomStatus;
}

/** Live, connecting, reconnecting with a countdown, or offline with the reason, in words. */
export function ConnectionStatus({ status }: ConnectionStatusProps) {
  const { t } = useTranslation();

  let text: ReactNode;
  if (status.state === 'live') {
    text = t('status.live');
  } else if (status.state === 'connecting') {
    text = t('status.connecting');
  } else if (status.state === 'reconnecting') {
    text =
      status.retryAt === undefined ? (
        t('status.reconnecting')
      ) : (
        <ReconnectCountdown key={status.retryAt} retryAt={status.retryAt} />
      );
  } else {
    text = status.error
      ? t('status.offlineBecause', { reason: describeError(t, status.error) })
      : t('status.offline');
  }

  return (
    <span className={`connection connection-${status.state}`} data-connection={status.state}>
      <span className="connection-dot" aria-hidden="true" />
      {text}
    </span>
  );
}
