import { useCallback, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { parseRoomKey } from '../../../shared/chat';
import type { AutomodRule } from '../../../shared/automod/config';
import type { ErrorInfo } from '../../../shared/contract';
import type { Rule } from '../../../shared/model';
import { useCannotHide } from '../hooks/useCannotHide';
import { describeError } from '../lib/errors';
import {
  EMPTY_RULE,
  duplicateKey,
  fieldsOf,
  sameRules,
  savedList,
  type RuleScope,
} from '../lib/ruleDraft';
import { draftOf, useRuleDrafts } from '../stores/ruleDrafts';
import { ruleLabel, selectRules, useSettings } from '../stores/settings';
import { BannedWordsPush } from './BannedWordsPush';
import { RuleBacktest } from './RuleBacktest';
import { RuleForm } from './RuleForm';
import { RuleImportExport, type ImportOutcome } from './RuleImportExport';
import { RuleItem } from './RuleItem';
import { RulePreview } from './RulePreview';

interface RuleEditorProps {
  scope: RuleScope;
}

type SaveState =
  | { status: 'idle' }
  | { status: 'saving' }
  | { status: 'saved' }
  | { status: 'failed'; reason: string };

/**
 * One forbidden-word list (global, or a room's own): add, edit and delete rules in a draft, try
 * the draft on a sample and against the buffered messages, then save it. Nothing changes in the
 * deck until it is saved; the draft is kept in `useRuleDrafts`, so it outlives the editor.
 */
export function RuleEditor({ scope }: RuleEditorProps) {
  const { t } = useTranslation();
  const headingId = useId();
  const rules = useSettings(selectRules);
  const saveRules = useSettings((state) => state.saveRules);
  const automod = useSettings((state) => state.settings?.automod);
  const updateSettings = useSettings((state) => state.update);
  const saved = useMemo(() => savedList(rules, scope), [rules, scope]);
  const { list: draft, adding, editing } = useRuleDrafts((state) => draftOf(state, scope));
  const setList = useRuleDrafts((state) => state.setList);
  const setAdding = useRuleDrafts((state) => state.setAdding);
  const setEditing = useRuleDrafts((state) => state.setEditing);
  const [save, setSave] = useState<SaveState>({ status: 'idle' });
  const cannotHide = useCannotHide(scope);
  const list = draft ?? saved;
  const dirty = draft !== null && !sameRules(draft, saved);
  const savedIds = useMemo(() => new Set(saved.map((rule) => rule.id)), [saved]);

  const labelOf = useCallback(
    (ruleId: string) => {
      const rule =
        list.find((entry) => entry.id === ruleId) ??
        rules?.global.find((entry) => entry.id === ruleId) ??
        (scope === 'global' ? undefined : rules?.rooms[scope]?.find((e) => e.id === ruleId));
      return rule ? ruleLabel(rule) : ruleId;
    },
    [list, rules, scope],
  );

  function change(next: Rule[]): void {
    setList(scope, next);
    setSave({ status: 'idle' });
  }

  function add(rule: Rule): string | null {
    if (list.some((entry) => entry.id === rule.id)) return t('rules.duplicate');
    change([...list, rule]);
    setAdding(scope, EMPTY_RULE);
    return null;
  }

  function replace(id: string, rule: Rule): string | null {
    if (rule.id !== id && list.some((entry) => entry.id === rule.id)) return t('rules.duplicate');
    change(list.map((entry) => (entry.id === id ? rule : entry)));
    setEditing(scope, null);
    return null;
  }

  function importRules(imported: Rule[], replaceAll: boolean): ImportOutcome {
    const taken = new Map((replaceAll ? [] : list).map((rule) => [duplicateKey(rule), rule]));
    const added: Rule[] = [];
    const duplicates: Rule[] = [];
    for (const rule of imported) {
      const key = duplicateKey(rule);
      if (taken.has(key)) {
        duplicates.push(rule);
        continue;
      }
      taken.set(key, rule);
      added.push(rule);
    }
    change([...(replaceAll ? [] : list), ...added]);
    return { added: added.length, duplicates };
  }

  /**
   * A file's detector rules replace those of the same id, the others are added; saved at once.
   * Answers main's refusal, or null once saved.
   */
  async function importDetectorRules(imported: AutomodRule[]): Promise<ErrorInfo | null> {
    if (!automod) return { code: 'INTERNAL', message: t('rules.notLoaded') };
    const byId = new Map(imported.map((rule) => [rule.id, rule]));
    const kept = automod.config.rules.map((rule) => byId.get(rule.id) ?? rule);
    const known = new Set(kept.map((rule) => rule.id));
    const added = imported.filter((rule) => !known.has(rule.id));
    const result = await updateSettings({
      automod: { ...automod, config: { ...automod.config, rules: [...kept, ...added] } },
    });
    return result.ok ? null : result.error;
  }

  async function commit(): Promise<void> {
    setSave({ status: 'saving' });
    const result = await saveRules(scope, list);
    if (result?.ok) {
      setList(scope, null);
      setEditing(scope, null);
      setSave({ status: 'saved' });
    } else {
      setSave({
        status: 'failed',
        reason: result ? describeError(t, result.error) : t('rules.notLoaded'),
      });
    }
  }

  const fileTag = scope === 'global' ? 'global' : parseRoomKey(scope).roomId;
  return (
    <div className="rule-editor" data-scope={scope}>
      <div className="rule-editor-status">
        <p id={headingId} className="rule-count">
          {t('rules.count', { count: list.length })}
          {dirty ? <span className="badge badge-unsaved">{t('rules.unsaved')}</span> : null}
        </p>
        <div className="form-actions">
          <button
            type="button"
            className="primary"
            disabled={!dirty || save.status === 'saving' || rules === undefined}
            onClick={() => void commit()}
          >
            {save.status === 'saving' ? t('accountForm.saving') : t('rules.save')}
          </button>
          <button
            type="button"
            disabled={!dirty}
            onClick={() => {
              setList(scope, null);
              setEditing(scope, null);
            }}
          >
            {t('rules.discard')}
          </button>
        </div>
      </div>
      {save.status === 'saved' ? (
        <p role="status" className="hint">
          {t('rules.saved')}
        </p>
      ) : null}
      {save.status === 'failed' ? (
        <p role="alert" className="form-error">
          {t('rules.saveFailed', { reason: save.reason })}
        </p>
      ) : null}

      <RuleForm
        label={t('rules.addTitle')}
        submitLabel={t('rules.add')}
        fields={adding}
        onFieldsChange={(fields) => setAdding(scope, fields)}
        onSubmit={add}
        cannotHide={cannotHide}
      />

      {list.length === 0 ? (
        <p className="hint">{t('rules.empty')}</p>
      ) : (
        <ul className="rule-list" aria-labelledby={headingId}>
          {list.map((rule) => (
            <RuleItem
              key={rule.id}
              rule={rule}
              editing={editing?.id === rule.id ? editing.fields : null}
              onEditingChange={(fields) => setEditing(scope, { id: rule.id, fields })}
              unsaved={!savedIds.has(rule.id)}
              onEdit={() => setEditing(scope, { id: rule.id, fields: fieldsOf(rule) })}
              onCancel={() => setEditing(scope, null)}
              onChange={(next) => replace(rule.id, next)}
              onDelete={() => change(list.filter((entry) => entry.id !== rule.id))}
              cannotHide={cannotHide}
            />
          ))}
        </ul>
      )}

      <RulePreview rules={list} labelOf={labelOf} />
      <RuleBacktest scope={scope} draft={list} labelOf={labelOf} />
      <RuleImportExport
        rules={list}
        fileTag={fileTag}
        onImport={importRules}
        {...(scope === 'global' && automod
          ? { automod: { rules: automod.config.rules, onImport: importDetectorRules } }
          : {})}
      />
      <BannedWordsPush scope={scope} rules={list} />
    </div>
  );
}
