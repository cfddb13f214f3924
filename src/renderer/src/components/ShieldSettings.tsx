import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Settings } from '../../../shared/model';
import { keyLabel, useKeys } from '../hooks/useKeys';
import { describeError } from '../lib/errors';
import { useSettings } from '../stores/settings';

type Outcome = { kind: 'saved' } | { kind: 'invalid' } | { kind: 'failed'; reason: string } | null;

/**
 * Shield mode's settings: how recently a chatter first wrote in a room to be held as new, and
 * whether, where messages cannot be hidden (VChatCloud), their senders are muted instead.
 */
export function ShieldSettings() {
  const { t } = useTranslation();
  const shield = useSettings((state) => state.settings?.shield);
  const update = useSettings((state) => state.update);
  const keys = useKeys();
  const [minutes, setMinutes] = useState<string | null>(null);
  const [mute, setMute] = useState<boolean | null>(null);
  const [outcome, setOutcome] = useState<Outcome>(null);
  if (!shield) return null;
  const minutesText = minutes ?? String(shield.newChatterMinutes);
  const muteNow = mute ?? shield.muteSenders;

  async function save(event: FormEvent): Promise<void> {
    event.preventDefault();
    const parsed = Settings.shape.shield.safeParse({
      newChatterMinutes: Number(minutesText),
      muteSenders: muteNow,
    });
    if (!parsed.success || minutesText.trim() === '') {
      setOutcome({ kind: 'invalid' });
      return;
    }
    const result = await update({ shield: parsed.data });
    if (result.ok) {
      setMinutes(null);
      setMute(null);
      setOutcome({ kind: 'saved' });
    } else setOutcome({ kind: 'failed', reason: describeError(t, result.error) });
  }

  return (
    <form className="settings-section" noValidate onSubmit={(event) => void save(event)}>
      <h3>{t('settings.shield.title')}</h3>
      <p className="hint">{t('settings.shield.hint', { key: keyLabel(keys.shield) })}</p>
      <label>
        {t('settings.shield.minutes')}
        <input
          type="number"
          min={1}
          max={24 * 60}
          step={1}
          value={minutesText}
          onChange={(event) => setMinutes(event.target.value)}
        />
      </label>
      <label className="check">
        <input
          type="checkbox"
          checked={muteNow}
          onChange={(event) => setMute(event.target.checked)}
        />
        {t('settings.shield.mute')}
      </label>
      <div className="form-actions">
        <button type="submit">{t('settings.shield.save')}</button>
      </div>
      {outcome?.kind === 'saved' ? <p role="status">{t('settings.shield.saved')}</p> : null}
      {outcome?.kind === 'invalid' ? (
        <p className="form-error" role="alert">
          {t('settings.shield.invalid')}
        </p>
      ) : null}
      {outcome?.kind === 'failed' ? (
        <p className="form-error" role="alert">
          {t('settings.shield.failed', { reason: outcome.reason })}
        </p>
      ) : null}
    </form>
  );
}
