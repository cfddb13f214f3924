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
  /** Services of the list's rooms that cannot hide messages, named; null when all can. */
  cannotHide?: string | null;
}

const ACTIONS = ['flag', 'hold', 'hide'] as const;
const READS = ['text', 'name', 'both'] as const;

/**
 * One rule's fields: the word or pattern, term or regex, whole word, severity, and (rules v2) its
 * action, allowed terms, exempt users and where it looks; checked as it is typed. `hold` and
 * `hide` say what they do (hide at once; hold also queues it in the Held column), and where a
 * service cannot hide, that they only flag there.
 */
export function RuleForm({
  fields,
  onFieldsChange,
  submitLabel,
  onSubmit,
  onCancel,
  label,
  cannotHide = null,
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
      <div className="field">
        <label htmlFor={`${formId}-reads`}>{t('rules.v2.reads')}</label>
        <select
          id={`${formId}-reads`}
          value={fields.reads}
          onChange={(event) => update({ reads: event.target.value as RuleFields['reads'] })}
        >
          {READS.map((reads) => (
            <option key={reads} value={reads}>
              {t(`rules.v2.readsOptions.${reads}`)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${formId}-action`}>{t('rules.v2.action')}</label>
        <select
          id={`${formId}-action`}
          value={fields.action}
          aria-describedby={fields.action === 'flag' ? undefined : `${formId}-action-hint`}
          onChange={(event) => update({ action: event.target.value as RuleFields['action'] })}
        >
          {ACTIONS.map((action) => (
            <option key={action} value={action}>
              {t(`rules.v2.actions.${action}`)}
            </option>
          ))}
        </select>
      </div>
      {fields.action === 'flag' ? null : (
        <p className="hint" id={`${formId}-action-hint`}>
          {t('rules.v2.actionHint')}
          {cannotHide ? ` ${t('rules.v2.cannotHide', { providers: cannotHide })}` : null}
        </p>
      )}
      <div className="field">
        <label htmlFor={`${formId}-exceptions`}>{t('rules.v2.exceptions')}</label>
        <input
          id={`${formId}-exceptions`}
          type="text"
          value={fields.exceptions}
          autoComplete="off"
          spellCheck={false}
          aria-describedby={`${formId}-exceptions-hint`}
          onChange={(event) => update({ exceptions: event.target.value })}
        />
        <span className="hint" id={`${formId}-exceptions-hint`}>
          {t('rules.v2.exceptionsHint')}
        </span>
      </div>
      <div className="field">
        <label htmlFor={`${formId}-exempt`}>{t('rules.v2.exemptUsers')}</label>
        <input
          id={`${formId}-exempt`}
          type="text"
          value={fields.exemptUsers}
          autoComplete="off"
          spellCheck={false}
          aria-describedby={`${formId}-exempt-hint`}
          onChange={(event) => update({ exemptUsers: event.target.value })}
        />
        <span className="hint" id={`${formId}-exempt-hint`}>
          {t('rules.v2.exemptUsersHint')}
        </span>
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
