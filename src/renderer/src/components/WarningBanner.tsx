import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { warningText } from '../lib/warnings';
import { selectShownWarnings, useWarnings } from '../stores/warnings';

/** Main's warnings above the views, each until the moderator dismisses it. */
export function WarningBanner() {
  const { t } = useTranslation();
  const baseId = useId();
  const shown = useWarnings(useShallow(selectShownWarnings));
  const dismiss = useWarnings((state) => state.dismiss);
  if (shown.length === 0) return null;
  return (
    <section className="warning-banner" aria-label={t('warnings.label')}>
      {shown.map((warning, index) => (
        <div key={warning.id} className="warning" role="alert" data-warning={warning.kind}>
          <p id={`${baseId}-${index}`}>{warningText(t, warning)}</p>
          <button
            type="button"
            aria-describedby={`${baseId}-${index}`}
            onClick={() => dismiss(warning.id)}
          >
            {t('warnings.dismiss')}
          </button>
        </div>
      ))}
    </section>
  );
}
