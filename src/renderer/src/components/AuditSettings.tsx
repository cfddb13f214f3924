import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../lib/errors';
import { exportAudit, type AuditFormat } from '../stores/audit';

/** Exports the audit log of every moderation action, as CSV or JSON Lines. */
export function AuditSettings() {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);

  async function run(format: AuditFormat): Promise<void> {
    setBusy(true);
    const result = await exportAudit(format);
    setBusy(false);
    setOutcome(
      result.ok
        ? { ok: true, text: t('settings.audit.exported', { filename: result.value.filename }) }
        : {
            ok: false,
            text: t('settings.audit.failed', { reason: describeError(t, result.error) }),
          },
    );
  }

  return (
    <div className="audit-settings">
      <p className="hint">{t('settings.audit.intro')}</p>
      <div className="form-actions">
        <button type="button" disabled={busy} onClick={() => void run('csv')}>
          {t('settings.audit.exportCsv')}
        </button>
        <button type="button" disabled={busy} onClick={() => void run('jsonl')}>
          {t('settings.audit.exportJsonl')}
        </button>
      </div>
      {outcome ? (
        <p className={outcome.ok ? 'hint' : 'form-error'} role={outcome.ok ? 'status' : 'alert'}>
          {outcome.text}
        </p>
      ) : null}
    </div>
  );
}
