import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { RULE_SEVERITIES, type Rule, type RuleSeverity } from '../../../shared/model';
import { ruleOf, type RuleFields } from '../lib/ruleDraft';

interface RuleFormProps {
  /** What the form holds; kept by the caller, so it outlives the form. */
  fields: RuleFields;
  onFieldsChange: (fields: RuleFields) => void;
  submitLabel: string;
  /** The rule typed; returns why it cannot be taken (a duplicate), or null when taken. */
  onSubmit: (rule: Rule) => string | null;
  onCancel?: () => void;
  /** The form's accessible name. */
  label: string;
}

/**
 * One rule's fields: the word or pattern, term or regex, whole word, severity; checked as it is
 * typed.
 */
export function RuleForm({
  fields,
  onFieldsChange,
  submitLabel,
  onSubmit,
  onCancel,
  label,
}: RuleFormProps) {
  const { t } = useTranslation();
  const formId = useId();
  const [refused, setRefused] = useState<string | null>(null);
  const parsed = fields.pattern.trim() === '' ? null : ruleOf(fields);
  const problem = parsed && 'problem' in parsed ? parsed.problem : null;

  function update(change: Partial<RuleFields>): void {
    onFieldsChange({ ...fields, ...change });
    setRefused(null);
  }

  function submit(event: FormEvent): void {
    event.preventDefault();
    if (!parsed || !('rule' in parsed)) return;
    const reason = onSubmit(parsed.rule);
    if (reason) setRefused(reason);
  }

  const errorId = `${formId}-error`;
  const message = refused ?? (problem ? t('rules.invalid', { reason: problem }) : null);
  return (
    <form className="rule-form" aria-label={label} onSubmit={submit}>
      <div className="field rule-pattern">
        <label htmlFor={`${formId}-pattern`}>{t('rules.pattern')}</label>
        <input
          id={`${formId}-pattern`}
          type="text"
          value={fields.pattern}
          maxLength={500}
          autoComplete="off"
          spellCheck={false}
          aria-invalid={message !== null}
          aria-describedby={message ? errorId : undefined}
          onChange={(event) => update({ pattern: event.target.value })}
        />
      </div>
      <div className="field">
        <label htmlFor={`${formId}-kind`}>{t('rules.kind')}</label>
        <select
          id={`${formId}-kind`}
          value={fields.kind}
          onChange={(event) => update({ kind: event.target.value as RuleFields['kind'] })}
        >
          <option value="term">{t('rules.kinds.term')}</option>
          <option value="regex">{t('rules.kinds.regex')}</option>
        </select>
      </div>
      <label className="check">
        <input
          type="checkbox"
          checked={fields.wholeWord}
          onChange={(event) => update({ wholeWord: event.target.checked })}
        />
        {t('rules.wholeWord')}
      </label>
      <div className="field">
        <label htmlFor={`${formId}-severity`}>{t('rules.severity')}</label>
        <select
          id={`${formId}-severity`}
          value={fields.severity}
          onChange={(event) => update({ severity: event.target.value as RuleSeverity })}
        >
          {RULE_SEVERITIES.map((severity) => (
            <option key={severity} value={severity}>
              {t(`rules.severities.${severity}`)}
            </option>
          ))}
        </select>
      </div>
      <div className="form-actions">
        <button type="submit" disabled={!parsed || problem !== null}>
          {submitLabel}
        </button>
        {onCancel ? (
          <button type="button" onClick={onCancel}>
            {t('row.cancel')}
          </button>
        ) : null}
      </div>
      {message ? (
        <p id={errorId} className="form-error">
          {message}
        </p>
      ) : null}
    </form>
  );
}
