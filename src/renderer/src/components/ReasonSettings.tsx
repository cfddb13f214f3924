import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_REASON_TEMPLATES } from '../../../shared/model';
import { describeError } from '../lib/errors';
import { reasonTemplates } from '../lib/reasons';
import { useSettings } from '../stores/settings';

/** The longest reason the contract takes. */
const MAX_REASON_LENGTH = 200;

/** The reason templates, in order: template N is picked by key N after an action. */
export function ReasonSettings() {
  const { t } = useTranslation();
  const saved = useSettings((state) => state.settings?.reasonTemplates ?? null);
  const update = useSettings((state) => state.update);
  const [drafts, setDrafts] = useState<string[]>(() => reasonTemplates(saved, t));
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);

  async function store(reasonTemplatesPatch: string[] | null): Promise<void> {
    setOutcome(null);
    const result = await update({ reasonTemplates: reasonTemplatesPatch });
    if (!result.ok) {
      setOutcome({
        ok: false,
        text: t('settings.reasons.failed', { reason: describeError(t, result.error) }),
      });
      return;
    }
    setDrafts(reasonTemplates(result.value.reasonTemplates, t));
    setOutcome({ ok: true, text: t('settings.reasons.saved') });
  }

  function save(event: FormEvent): void {
    event.preventDefault();
    void store(drafts.map((draft) => draft.trim()).filter((draft) => draft !== ''));
  }

  return (
    <form className="settings-section reason-settings" onSubmit={save}>
      <p className="hint">{t('settings.reasons.intro')}</p>
      <ol className="reason-list">
        {drafts.map((draft, index) => (
          <li key={index}>
            <input
              type="text"
              aria-label={t('settings.reasons.label', { number: index + 1 })}
              value={draft}
              maxLength={MAX_REASON_LENGTH}
              onChange={(event) =>
                setDrafts(drafts.map((other, at) => (at === index ? event.target.value : other)))
              }
            />
            <button type="button" onClick={() => setDrafts(drafts.filter((_, at) => at !== index))}>
              {t('settings.reasons.remove', { number: index + 1 })}
            </button>
          </li>
        ))}
      </ol>
      <div className="form-actions">
        <button
          type="button"
          disabled={drafts.length >= MAX_REASON_TEMPLATES}
          onClick={() => setDrafts([...drafts, ''])}
        >
          {t('settings.reasons.add')}
        </button>
        <button type="submit">{t('settings.reasons.save')}</button>
        <button type="button" onClick={() => void store(null)}>
          {t('settings.reasons.useDefaults')}
        </button>
      </div>
      {outcome ? (
        <p className={outcome.ok ? 'hint' : 'form-error'} role={outcome.ok ? 'status' : 'alert'}>
          {outcome.text}
        </p>
      ) : null}
    </form>
  );
}
