import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Settings, type HoldSettings as HoldSection } from '../../../shared/model';
import { describeError } from '../lib/errors';
import { useSettings } from '../stores/settings';

type Outcome = { kind: 'saved' } | { kind: 'invalid' } | { kind: 'failed'; reason: string } | null;

/**
 * The Held queue's settings: whether a held message nobody reviewed is decided after a time (or
 * stays held), after how many minutes, and whether it is then approved or denied. Main decides;
 * this only says what it should.
 */
export function HoldSettings() {
  const { t } = useTranslation();
  const hold = useSettings((state) => state.settings?.hold);
  const update = useSettings((state) => state.update);
  const [decides, setDecides] = useState<boolean | null>(null);
  const [minutes, setMinutes] = useState<string | null>(null);
  const [action, setAction] = useState<HoldSection['staleAction'] | null>(null);
  const [outcome, setOutcome] = useState<Outcome>(null);
  if (!hold) return null;
  const decidesNow = decides ?? hold.staleAfterMinutes !== null;
  const minutesText = minutes ?? String(hold.staleAfterMinutes ?? 60);
  const actionNow = action ?? hold.staleAction;

  async function save(event: FormEvent): Promise<void> {
    event.preventDefault();
    const parsed = Settings.shape.hold.safeParse({
      staleAfterMinutes: decidesNow ? Number(minutesText) : null,
      staleAction: actionNow,
    });
    if (!parsed.success || (decidesNow && minutesText.trim() === '')) {
      setOutcome({ kind: 'invalid' });
      return;
    }
    const result = await update({ hold: parsed.data });
    if (result.ok) {
      setDecides(null);
      setMinutes(null);
      setAction(null);
      setOutcome({ kind: 'saved' });
    } else setOutcome({ kind: 'failed', reason: describeError(t, result.error) });
  }

  return (
    <form className="settings-section" noValidate onSubmit={(event) => void save(event)}>
      <p className="hint">{t('settings.held.hint')}</p>
      <fieldset className="choice-group">
        <legend>{t('settings.held.stale')}</legend>
        <label className="check">
          <input
            type="radio"
            name="held-stale"
            checked={!decidesNow}
            onChange={() => setDecides(false)}
          />
          {t('settings.held.staleNever')}
        </label>
        <label className="check">
          <input
            type="radio"
            name="held-stale"
            checked={decidesNow}
            onChange={() => setDecides(true)}
          />
          {t('settings.held.staleAfter')}
        </label>
        <label>
          {t('settings.held.minutes')}
          <input
            type="number"
            min={1}
            max={7 * 24 * 60}
            step={1}
            disabled={!decidesNow}
            value={minutesText}
            onChange={(event) => setMinutes(event.target.value)}
          />
        </label>
      </fieldset>
      <fieldset className="choice-group" disabled={!decidesNow}>
        <legend>{t('settings.held.staleAction')}</legend>
        {(['approve', 'deny'] as const).map((choice) => (
          <label key={choice} className="check">
            <input
              type="radio"
              name="held-stale-action"
              checked={actionNow === choice}
              onChange={() => setAction(choice)}
            />
            {t(choice === 'approve' ? 'settings.held.staleApprove' : 'settings.held.staleDeny')}
          </label>
        ))}
      </fieldset>
      <div className="form-actions">
        <button type="submit">{t('settings.held.save')}</button>
      </div>
      {outcome?.kind === 'saved' ? <p role="status">{t('settings.held.saved')}</p> : null}
      {outcome?.kind === 'invalid' ? (
        <p className="form-error" role="alert">
          {t('settings.held.invalid')}
        </p>
      ) : null}
      {outcome?.kind === 'failed' ? (
        <p className="form-error" role="alert">
          {t('settings.held.failed', { reason: outcome.reason })}
        </p>
      ) : null}
    </form>
  );
}
