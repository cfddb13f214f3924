import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../lib/errors';
import { keepTabInside } from '../lib/focusTrap';
import type { RuleScope } from '../lib/ruleDraft';
import { useRooms } from '../stores/rooms';
import { unsavedScopes, useRuleDrafts } from '../stores/ruleDrafts';
import { useSettings } from '../stores/settings';
import { useView, type View } from '../stores/view';

interface UnsavedRulesDialogProps {
  /** Where the moderator asked to go. */
  to: View;
}

/**
 * Asked when the moderator leaves Settings while a forbidden-word list is not saved: save the
 * lists and leave, discard them and leave, or stay. Esc stays. Nothing is lost without an answer.
 */
export function UnsavedRulesDialog({ to }: UnsavedRulesDialogProps) {
  const { t } = useTranslation();
  const drafts = useRuleDrafts((state) => state.drafts);
  const rules = useSettings((state) => state.settings?.rules);
  const roomNames = useRooms((state) => state.byKey);
  const [saving, setSaving] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const first = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    // Staying gives the focus back to where the moderator was; leaving has taken that away.
    const previous = document.activeElement;
    first.current?.focus();
    return () => {
      if (previous instanceof HTMLElement && previous.isConnected)
        previous.focus({ preventScroll: true });
    };
  }, []);

  const listName = (scope: RuleScope) =>
    scope === 'global'
      ? t('rules.global')
      : t('rules.roomList', { name: roomNames[scope]?.name ?? scope });
  const lists = unsavedScopes(drafts, rules).map(listName);

  function stay(): void {
    useRuleDrafts.getState().stay();
  }

  function leave(): void {
    useRuleDrafts.getState().stay();
    useView.getState().setView(to);
  }

  async function save(): Promise<void> {
    setSaving(true);
    const failure = await useRuleDrafts.getState().saveAll();
    setSaving(false);
    if (failure) {
      setProblem(
        t('rules.leave.failed', {
          list: listName(failure.scope),
          reason: failure.error ? describeError(t, failure.error) : t('rules.notLoaded'),
        }),
      );
      return;
    }
    leave();
  }

  function discard(): void {
    useRuleDrafts.getState().discardAll();
    leave();
  }

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>): void {
    keepTabInside(event);
    if (event.key !== 'Escape') return;
    event.preventDefault();
    event.stopPropagation();
    stay();
  }

  return (
    <div className="overlay">
      <div
        className="help unsaved-rules"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="unsaved-rules-heading"
        aria-describedby="unsaved-rules-lists"
        onKeyDown={onKeyDown}
      >
        <h2 id="unsaved-rules-heading">{t('rules.leave.title')}</h2>
        <p id="unsaved-rules-lists">{t('rules.leave.lists', { lists: lists.join(', ') })}</p>
        {problem ? (
          <p className="form-error" role="alert">
            {problem}
          </p>
        ) : null}
        <div className="form-actions">
          <button
            ref={first}
            type="button"
            className="primary"
            disabled={saving}
            onClick={() => void save()}
          >
            {saving ? t('rules.leave.saving') : t('rules.leave.save')}
          </button>
          <button type="button" disabled={saving} onClick={discard}>
            {t('rules.leave.discard')}
          </button>
          <button type="button" disabled={saving} onClick={stay}>
            {t('rules.leave.stay')}
          </button>
        </div>
      </div>
    </div>
  );
}
