import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorInfo } from '../../../shared/contract';
import { ErrorCode } from '../../../shared/errors';
import { describeError } from '../lib/errors';
import { clearHistory, historySize, type HistorySize } from '../stores/history';
import { HistoryRetention } from './HistoryRetention';

type Shown =
  | { kind: 'loading' }
  | { kind: 'size'; size: HistorySize; cleared: boolean }
  | { kind: 'none' }
  | { kind: 'failed'; error: ErrorInfo };

/**
 * How much message history this machine keeps, and "clear history" (asked twice); how long and
 * how much it may keep, and what a first-time chatter gets (`HistoryRetention`).
 */
export function HistorySettings() {
  const { t, i18n } = useTranslation();
  const [shown, setShown] = useState<Shown>({ kind: 'loading' });
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);

  function show(result: Awaited<ReturnType<typeof historySize>>, cleared: boolean): void {
    if (result.ok) setShown({ kind: 'size', size: result.value, cleared });
    else if (result.error.code === ErrorCode.Unsupported) setShown({ kind: 'none' });
    else setShown({ kind: 'failed', error: result.error });
  }

  useEffect(() => {
    let current = true;
    void historySize().then((result) => {
      if (current) show(result, false);
    });
    return () => {
      current = false;
    };
  }, []);

  async function clear(): Promise<void> {
    setBusy(true);
    const result = await clearHistory();
    setBusy(false);
    setAsking(false);
    show(result, result.ok);
  }

  const number = (value: number) => value.toLocaleString(i18n.language);
  const megabytes = (bytes: number) =>
    (bytes / 1_048_576).toLocaleString(i18n.language, { maximumFractionDigits: 1 });

  return (
    <div className="history-settings">
      <p className="hint">{t('settings.history.intro')}</p>
      {shown.kind === 'loading' ? <p>{t('app.loading')}</p> : null}
      {shown.kind === 'none' ? <p className="hint">{t('settings.history.none')}</p> : null}
      {shown.kind === 'failed' ? (
        <p className="form-error" role="alert">
          {t('settings.history.failed', { reason: describeError(t, shown.error) })}
        </p>
      ) : null}
      {shown.kind === 'size' ? (
        <>
          <p role="status">
            {t(shown.cleared ? 'settings.history.clearedSize' : 'settings.history.size', {
              events: number(shown.size.events),
              actions: number(shown.size.actions),
              megabytes: megabytes(shown.size.bytes),
            })}
          </p>
          {asking ? (
            <div className="form-actions" role="group" aria-label={t('settings.history.ask')}>
              <p>{t('settings.history.ask')}</p>
              <button type="button" className="danger" disabled={busy} onClick={() => void clear()}>
                {t('settings.history.confirm')}
              </button>
              <button type="button" disabled={busy} onClick={() => setAsking(false)}>
                {t('settings.history.cancel')}
              </button>
            </div>
          ) : (
            <div className="form-actions">
              <button type="button" onClick={() => setAsking(true)}>
                {t('settings.history.clear')}
              </button>
            </div>
          )}
        </>
      ) : null}
      {shown.kind === 'none' ? null : <HistoryRetention />}
    </div>
  );
}
