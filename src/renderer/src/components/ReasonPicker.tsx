import { useTranslation } from 'react-i18next';
import { describeError } from '../lib/errors';
import { reasonTemplates } from '../lib/reasons';
import { useDeckCommands } from '../stores/deckCommands';
import { useSettings } from '../stores/settings';

/**
 * The reason templates in a toast, as buttons, for the action the toast is about. While the
 * number keys still pick one, each shows its number; once one is picked it says which.
 */
export function ReasonPicker() {
  const { t } = useTranslation();
  const saved = useSettings((state) => state.settings?.reasonTemplates ?? null);
  const offer = useDeckCommands((state) => state.reasonOffer);
  const giveReason = useDeckCommands((state) => state.giveReason);
  if (!offer) return null;
  const templates = reasonTemplates(saved, t);
  const keys = offer.keysUntil !== null && templates.length > 0;
  const picked = offer.picked;

  return (
    <div className="toast-reasons" role="group" aria-label={t('reasons.group')}>
      {keys ? <span className="hint">{t('reasons.keys', { last: templates.length })}</span> : null}
      {templates.map((reason, index) => (
        <button
          key={`${index}-${reason}`}
          type="button"
          aria-pressed={picked?.reason === reason}
          onClick={() => void giveReason(reason)}
        >
          {keys ? <kbd>{index + 1}</kbd> : null} {reason}
        </button>
      ))}
      {picked ? (
        <span className={picked.status === 'failed' ? 'form-error' : undefined}>
          {picked.status === 'sending'
            ? t('reasons.sending', { reason: picked.reason })
            : picked.status === 'saved'
              ? t('reasons.saved', { reason: picked.reason })
              : t('reasons.failed', {
                  error: picked.error ? describeError(t, picked.error) : '',
                })}
        </span>
      ) : null}
    </div>
  );
}
