import { useTranslation } from 'react-i18next';
import type { Rule } from '../../../shared/model';
import { leftOutReason, type RuleFields } from '../lib/ruleDraft';
import { ruleLabel } from '../stores/settings';
import { RuleForm } from './RuleForm';

interface RuleItemProps {
  rule: Rule;
  /** What the rule's edit form holds while it is open; null when it is closed. */
  editing: RuleFields | null;
  onEditingChange: (fields: RuleFields) => void;
  /** Whether the rule is not saved yet (added or changed in the draft). */
  unsaved: boolean;
  onEdit: () => void;
  onCancel: () => void;
  onChange: (rule: Rule) => string | null;
  onDelete: () => void;
  /** Services of the list's rooms that cannot hide messages, named; null when all can. */
  cannotHide?: string | null;
}

/** One rule of a list: what it matches, whether it is in use, and edit or delete. */
export function RuleItem({
  rule,
  editing,
  onEditingChange,
  unsaved,
  onEdit,
  onCancel,
  onChange,
  onDelete,
  cannotHide = null,
}: RuleItemProps) {
  const { t } = useTranslation();
  const label = ruleLabel(rule);
  const leftOut = leftOutReason(rule);
  if (editing) {
    return (
      <li className="rule-item rule-item-editing">
        <RuleForm
          fields={editing}
          onFieldsChange={onEditingChange}
          label={t('rules.editNamed', { rule: label })}
          submitLabel={t('rules.update')}
          onSubmit={onChange}
          onCancel={onCancel}
          cannotHide={cannotHide}
        />
      </li>
    );
  }
  return (
    <li className="rule-item" data-rule-id={rule.id}>
      <code className="rule-label">
        <bdi>{label}</bdi>
      </code>
      <span className="badge">{t(`rules.kinds.${rule.kind ?? 'term'}`)}</span>
      {rule.wholeWord ? <span className="badge">{t('rules.wholeWord')}</span> : null}
      {rule.severity === 'high' || rule.severity === 'low' ? (
        <span className={`badge badge-severity-${rule.severity}`}>
          {t(`rules.severityBadge.${rule.severity}`)}
        </span>
      ) : null}
      {rule.action === 'hold' || rule.action === 'hide' ? (
        <span className="badge" title={t('rules.v2.actionHint')}>
          {t(`rules.v2.badges.${rule.action}`)}
        </span>
      ) : null}
      {rule.scope === 'name' || rule.scope === 'both' ? (
        <span className="badge">{t(`rules.v2.badges.${rule.scope}`)}</span>
      ) : null}
      {rule.exceptions && rule.exceptions.length > 0 ? (
        <span className="badge" title={rule.exceptions.join(', ')}>
          {t('rules.v2.badges.exceptions', { count: rule.exceptions.length })}
        </span>
      ) : null}
      {rule.exemptUsers && rule.exemptUsers.length > 0 ? (
        <span className="badge" title={rule.exemptUsers.join(', ')}>
          {t('rules.v2.badges.exempt', { count: rule.exemptUsers.length })}
        </span>
      ) : null}
      {unsaved ? <span className="badge badge-unsaved">{t('rules.unsavedRule')}</span> : null}
      {leftOut !== null ? (
        <span className="badge badge-left-out" title={t('rules.leftOutHint')}>
          {t('rules.leftOut', { reason: leftOut })}
        </span>
      ) : null}
      <span className="rule-actions">
        <button
          type="button"
          className="small"
          aria-label={t('rules.editNamed', { rule: label })}
          onClick={onEdit}
        >
          {t('rules.edit')}
        </button>
        <button
          type="button"
          className="small"
          aria-label={t('rules.deleteNamed', { rule: label })}
          onClick={onDelete}
        >
          {t('rules.delete')}
        </button>
      </span>
    </li>
  );
}
