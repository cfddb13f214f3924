import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { keyLabel, useKeys } from '../hooks/useKeys';
import { describeError } from '../lib/errors';
import { useUi } from '../stores/ui';

/** How long a toast stays: the undo offer for a hide, and a failure. */
export const UNDO_TOAST_MS = 5000;
export const FAILURE_TOAST_MS = 8000;

/** The undo offer after a hide, or why an action failed. */
export function Toast() {
  const { t } = useTranslation();
  const keys = useKeys();
  const toast = useUi((state) => state.toast);
  const dismissToast = useUi((state) => state.dismissToast);
  const undo = useUi((state) => state.undo);
  const retry = useUi((state) => state.retry);

  useEffect(() => {
    if (!toast) return;
    const timer = setTimeout(
      () => dismissToast(toast.id),
      toast.type === 'hidden' ? UNDO_TOAST_MS : FAILURE_TOAST_MS,
    );
    return () => clearTimeout(timer);
  }, [toast, dismissToast]);

  return (
    <div className="toast-region" role="status">
      {toast?.type === 'hidden' ? (
        <div className="toast" data-toast="hidden">
          <span>{t('toast.hidden')}</span>
          <button type="button" onClick={() => void undo()}>
            {t('toast.undo', { key: keyLabel(keys.undo) })}
          </button>
        </div>
      ) : null}
      {toast?.type === 'failed' ? (
        <div className="toast toast-error" data-toast="failed">
          <span>
            {t(`row.failedAction.${toast.kind}`, { reason: describeError(t, toast.error) })}
          </span>
          <button
            type="button"
            onClick={() => {
              dismissToast(toast.id);
              void retry(toast.key);
            }}
          >
            {t('row.retry')}
          </button>
          <button type="button" onClick={() => dismissToast(toast.id)}>
            {t('row.dismiss')}
          </button>
        </div>
      ) : null}
    </div>
  );
}
