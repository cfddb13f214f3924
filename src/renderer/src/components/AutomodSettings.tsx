import { useTranslation } from 'react-i18next';
import type { AutomodRule } from '../../../shared/automod/config';
import type { AutomodSettings as AutomodSection } from '../../../shared/model';
import { useCannotHide } from '../hooks/useCannotHide';
import { useSettings } from '../stores/settings';
import { AutomodRuleDetails } from './AutomodRuleDetails';

const ACTIONS = ['flag', 'hold', 'hide'] as const;
const SEVERITIES = ['low', 'medium', 'high'] as const;

/**
 * Automod on or off and, per detector rule, whether it runs, its action and its severity; below,
 * each rule's parameters (with their defaults and anchors), exempt users and a backtest
 * (AutomodRuleDetails). The choice says what `hold` and `hide` do, and where a service cannot
 * hide at all (there they only flag).
 */
export function AutomodSettings() {
  const { t } = useTranslation();
  const automod = useSettings((state) => state.settings?.automod);
  const update = useSettings((state) => state.update);
  const cannotHide = useCannotHide('global');
  if (!automod) return null;

  function save(next: AutomodSection): void {
    void update({ automod: next });
  }

  function setRule(
    id: string,
    change: Partial<Pick<AutomodRule, 'enabled' | 'action' | 'severity'>>,
  ): void {
    if (!automod) return;
    const rules = automod.config.rules.map((rule) =>
      rule.id === id ? { ...rule, ...change } : rule,
    );
    save({ ...automod, config: { ...automod.config, rules } });
  }

  return (
    <div className="settings-section automod-settings">
      <label className="check">
        <input
          type="checkbox"
          checked={automod.enabled}
          aria-describedby="automod-hint"
          onChange={(event) => save({ ...automod, enabled: event.target.checked })}
        />
        {t('settings.automod.enabled')}
      </label>
      <p className="hint" id="automod-hint">
        {t('settings.automod.hint')}
      </p>
      <p className="hint">{t('settings.automod.actionsHint')}</p>
      {cannotHide ? (
        <p className="hint">{t('settings.automod.cannotHide', { providers: cannotHide })}</p>
      ) : null}
      <table className="automod-rules">
        <thead>
          <tr>
            <th scope="col">{t('settings.automod.rule')}</th>
            <th scope="col">{t('settings.automod.ruleEnabled')}</th>
            <th scope="col">{t('settings.automod.action')}</th>
            <th scope="col">{t('settings.automod.severity')}</th>
          </tr>
        </thead>
        <tbody>
          {automod.config.rules.map((rule) => {
            const name = t(`settings.automod.kinds.${rule.kind}`);
            return (
              <tr key={rule.id} data-rule-id={rule.id}>
                <th scope="row">{name}</th>
                <td>
                  <input
                    type="checkbox"
                    checked={rule.enabled}
                    disabled={!automod.enabled}
                    aria-label={t('settings.automod.ruleEnabledNamed', { rule: name })}
                    onChange={(event) => setRule(rule.id, { enabled: event.target.checked })}
                  />
                </td>
                <td>
                  <select
                    value={rule.action}
                    disabled={!automod.enabled}
                    aria-label={t('settings.automod.actionNamed', { rule: name })}
                    onChange={(event) =>
                      setRule(rule.id, { action: event.target.value as AutomodRule['action'] })
                    }
                  >
                    {ACTIONS.map((action) => (
                      <option key={action} value={action}>
                        {t(`settings.automod.actions.${action}`)}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  <select
                    value={rule.severity}
                    disabled={!automod.enabled}
                    aria-label={t('settings.automod.severityNamed', { rule: name })}
                    onChange={(event) =>
                      setRule(rule.id, { severity: event.target.value as AutomodRule['severity'] })
                    }
                  >
                    {SEVERITIES.map((severity) => (
                      <option key={severity} value={severity}>
                        {t(`settings.automod.severities.${severity}`)}
                      </option>
                    ))}
                  </select>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <h3 className="subheading">{t('settings.automod.parameters')}</h3>
      {automod.config.rules.map((rule) => (
        <AutomodRuleDetails
          key={rule.id}
          rule={rule}
          name={t(`settings.automod.kinds.${rule.kind}`)}
          disabled={!automod.enabled}
          onChange={(next) => {
            const rules = automod.config.rules.map((entry) =>
              entry.id === next.id ? next : entry,
            );
            save({ ...automod, config: { ...automod.config, rules } });
          }}
        />
      ))}
    </div>
  );
}
