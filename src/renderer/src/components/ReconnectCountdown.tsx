import { useTranslation } from 'react-i18next';
import { useFormatters } from '../hooks/useFormatters';
import { useNow } from '../hooks/useNow';

interface ReconnectCountdownProps {
  /** When the next attempt is due (epoch ms). Key the component by it: the clock starts at mount. */
  retryAt: number;
}

/** "Reconnecting in 4 s", counting down to the next attempt. */
export function ReconnectCountdown({ retryAt }: ReconnectCountdownProps) {
  const { t } = useTranslation();
  const formatters = useFormatters();
  const now = useNow(true);
  const seconds = Math.max(0, Math.ceil((retryAt - now) / 1000));
  return (
    <>
      {seconds > 0
        ? t('status.reconnectingIn', { seconds: formatters.number.format(seconds) })
        : t('status.reconnecting')}
    </>
  );
}
