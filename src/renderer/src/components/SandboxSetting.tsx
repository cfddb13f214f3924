import { useTranslation } from 'react-i18next';
import { useSettings } from '../stores/settings';

/** Whether the built-in sandbox runs; main reads it at start. */
export function SandboxSetting() {
  const { t } = useTranslation();
  const enabled = useSettings((state) => state.settings?.embeddedSandbox);
  const update = useSettings((state) => state.update);
  if (enabled === undefined) return null;
  return (
    <div className="sandbox-setting">
      <label className="check">
        <input
          type="checkbox"
          checked={enabled}
          aria-describedby="sandbox-setting-hint"
          onChange={(event) => void update({ embeddedSandbox: event.target.checked })}
        />
        {t('accounts.embeddedSandbox')}
      </label>
      <p className="hint" id="sandbox-setting-hint">
        {t('accounts.embeddedSandboxHint')}
      </p>
    </div>
  );
}
