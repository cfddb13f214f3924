import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Settings } from '../../../shared/model';
import { useFormatters } from '../hooks/useFormatters';
import { describeError } from '../lib/errors';
import { useSettings } from '../stores/settings';

const THEMES = ['system', 'light', 'dark'] as const;
const LANGUAGES = ['system', 'en', 'ko'] as const;
const MIN_SCROLLBACK = 100;
const MAX_SCROLLBACK = 100_000;

/** Theme, language, the scrollback kept per room, and whether repeated messages collapse. */
export function GeneralSettings() {
  const { t } = useTranslation();
  const formId = useId();
  const formatters = useFormatters();
  const settings = useSettings((state) => state.settings);
  const update = useSettings((state) => state.update);
  const [scrollback, setScrollback] = useState(() => String(settings?.scrollback ?? 5000));
  const [problem, setProblem] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  if (!settings) return null;

  async function apply(patch: Partial<Settings>): Promise<boolean> {
    setProblem(null);
    const result = await update(patch);
    if (!result.ok) setProblem(describeError(t, result.error));
    return result.ok;
  }

  const value = Number(scrollback);
  const scrollbackValid =
    /^\d+$/.test(scrollback.trim()) && value >= MIN_SCROLLBACK && value <= MAX_SCROLLBACK;

  async function saveScrollback(event: FormEvent): Promise<void> {
    event.preventDefault();
    setSaved(false);
    if (scrollbackValid && (await apply({ scrollback: value }))) setSaved(true);
  }

  return (
    <div className="settings-section">
      <fieldset className="choice-group">
        <legend>{t('settings.general.theme')}</legend>
        {THEMES.map((theme) => (
          <label key={theme} className="check">
            <input
              type="radio"
              name={`${formId}-theme`}
              value={theme}
              checked={settings.theme === theme}
              onChange={() => void apply({ theme })}
            />
            {t(`settings.general.themes.${theme}`)}
          </label>
        ))}
      </fieldset>

      <div className="field field-narrow">
        <label htmlFor={`${formId}-language`}>{t('settings.general.language')}</label>
        <select
          id={`${formId}-language`}
          value={settings.language}
          onChange={(event) => void apply({ language: event.target.value as Settings['language'] })}
        >
          {LANGUAGES.map((language) => (
            <option
              key={language}
              value={language}
              lang={language === 'system' ? undefined : language}
            >
              {t(`settings.general.languages.${language}`)}
            </option>
          ))}
        </select>
      </div>

      <form className="field field-narrow" onSubmit={(event) => void saveScrollback(event)}>
        <label htmlFor={`${formId}-scrollback`}>{t('settings.general.scrollback')}</label>
        <div className="inline-field">
          <input
            id={`${formId}-scrollback`}
            type="number"
            inputMode="numeric"
            min={MIN_SCROLLBACK}
            max={MAX_SCROLLBACK}
            step={100}
            value={scrollback}
            aria-describedby={`${formId}-scrollback-hint`}
            aria-invalid={!scrollbackValid}
            onChange={(event) => {
              setScrollback(event.target.value);
              setSaved(false);
            }}
          />
          <button type="submit" disabled={!scrollbackValid || value === settings.scrollback}>
            {t('settings.apply')}
          </button>
        </div>
        <p id={`${formId}-scrollback-hint`} className="hint">
          {t('settings.general.scrollbackHint', {
            min: formatters.number.format(MIN_SCROLLBACK),
            max: formatters.number.format(MAX_SCROLLBACK),
          })}
        </p>
        {saved ? (
          <p role="status" className="hint">
            {t('settings.saved')}
          </p>
        ) : null}
      </form>

      <div className="field">
        <label className="check">
          <input
            type="checkbox"
            checked={settings.collapseRepeats}
            aria-describedby={`${formId}-repeats-hint`}
            onChange={(event) => void apply({ collapseRepeats: event.target.checked })}
          />
          {t('settings.general.collapseRepeats')}
        </label>
        <p id={`${formId}-repeats-hint`} className="hint">
          {t('settings.general.collapseRepeatsHint')}
        </p>
      </div>
      {problem ? (
        <p className="form-error" role="alert">
          {t('settings.saveFailed', { reason: problem })}
        </p>
      ) : null}
    </div>
  );
}
