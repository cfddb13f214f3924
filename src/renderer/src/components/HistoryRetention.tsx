import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Settings } from '../../../shared/model';
import { describeError } from '../lib/errors';
import { useSettings } from '../stores/settings';

type Outcome = { kind: 'saved' } | { kind: 'invalid' } | { kind: 'failed'; reason: string } | null;

/**
 * Days and gigabytes of message history to keep (applied when asked: a shorter time deletes at
 * once), and whether a first-time chatter's message is only marked or also raised and notified.
 */
export function HistoryRetention() {
  const { t, i18n } = useTranslation();
  const history = useSettings((state) => state.settings?.history);
  const update = useSettings((state) => state.update);
  const [days, setDays] = useState<string | null>(null);
  const [gigabytes, setGigabytes] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<Outcome>(null);
  if (!history) return null;
  const daysText = days ?? String(history.keepDays);
  const gigabytesText = gigabytes ?? String(history.maxGigabytes);

  async function apply(event: FormEvent): Promise<void> {
    event.preventDefault();
    if (!history) return;
    const parsed = Settings.shape.history.safeParse({
      ...history,
      keepDays: Number(daysText),
      maxGigabytes: Number(gigabytesText),
    });
    if (!parsed.success || daysText.trim() === '' || gigabytesText.trim() === '') {
      setOutcome({ kind: 'invalid' });
      return;
    }
    const result = await update({ history: parsed.data });
    if (result.ok) {
      setDays(null);
      setGigabytes(null);
      setOutcome({ kind: 'saved' });
    } else setOutcome({ kind: 'failed', reason: describeError(t, result.error) });
  }

  const number = (value: number) => value.toLocaleString(i18n.language);

  return (
    <>
      <form className="settings-section" noValidate onSubmit={(event) => void apply(event)}>
        <fieldset className="choice-group">
          <legend>{t('settings.history.retention')}</legend>
          <p className="hint">{t('settings.history.retentionHint')}</p>
          <label>
            {t('settings.history.keepDays')}
            <input
              type="number"
              min={1}
              max={3650}
              step={1}
              value={daysText}
              onChange={(event) => setDays(event.target.value)}
            />
          </label>
          <label>
            {t('settings.history.maxGigabytes')}
            <input
              type="number"
              min={0.1}
              max={100}
              step={0.1}
              value={gigabytesText}
              onChange={(event) => setGigabytes(event.target.value)}
            />
          </label>
          <div className="form-actions">
            <button type="submit">{t('settings.history.saveRetention')}</button>
          </div>
          {outcome?.kind === 'saved' ? (
            <p role="status">
              {t('settings.history.retentionSaved', {
                days: number(history.keepDays),
                gigabytes: number(history.maxGigabytes),
              })}
            </p>
          ) : null}
          {outcome?.kind === 'invalid' ? (
            <p className="form-error" role="alert">
              {t('settings.history.retentionInvalid')}
            </p>
          ) : null}
          {outcome?.kind === 'failed' ? (
            <p className="form-error" role="alert">
              {t('settings.history.retentionFailed', { reason: outcome.reason })}
            </p>
          ) : null}
        </fieldset>
      </form>
      <fieldset className="choice-group">
        <legend>{t('settings.history.firstChatters')}</legend>
        <p className="hint">{t('settings.history.firstChattersHint')}</p>
        {(['mark', 'flag'] as const).map((choice) => (
          <label key={choice} className="check">
            <input
              type="radio"
              name="first-chatters"
              checked={history.firstChatters === choice}
              onChange={() => void update({ history: { ...history, firstChatters: choice } })}
            />
            {t(choice === 'mark' ? 'settings.history.firstMark' : 'settings.history.firstFlag')}
          </label>
        ))}
      </fieldset>
    </>
  );
}
