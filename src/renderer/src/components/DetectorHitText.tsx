import { useTranslation } from 'react-i18next';
import { displayName } from '../../../shared/displayName';

/** A detector backtest's hit, buffered or stored: who, the rule's reason, and what they wrote. */
export function DetectorHitText({
  userName,
  reason,
  text,
}: {
  userName: string;
  reason: string;
  text: string;
}) {
  const { t } = useTranslation();
  return (
    <>
      <span className="automod-backtest-reason">
        {t('settings.automod.backtest.row', { user: displayName(userName), reason })}
      </span>{' '}
      <q>
        <bdi>{text}</bdi>
      </q>
    </>
  );
}
