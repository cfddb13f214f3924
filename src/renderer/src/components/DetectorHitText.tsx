import { useTranslation } from 'react-i18next';
import type { ReasonData } from '../../../shared/automod/reasons';
import { displayName } from '../../../shared/displayName';
import { reasonText } from '../lib/ruleReasons';

/** A detector backtest's hit, buffered or stored: who, the rule's reason, and what they wrote. */
export function DetectorHitText({
  userName,
  reason,
  why,
  text,
}: {
  userName: string;
  reason: string;
  why?: ReasonData | undefined;
  text: string;
}) {
  const { t } = useTranslation();
  return (
    <>
      <span className="automod-backtest-reason">
        {t('settings.automod.backtest.row', {
          user: displayName(userName),
          reason: reasonText(t, { reason, why }),
        })}
      </span>{' '}
      <q>
        <bdi>{text}</bdi>
      </q>
    </>
  );
}
