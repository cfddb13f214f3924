/**
 * The rule editor's drafts, one per list (global, or a room's own), kept here rather than in the
 * editor so that nothing typed is lost when the editor goes away: another Settings section, another
 * list, the room panel closed. Leaving Settings with a list not saved asks first (`holdLeave`):
 * save, discard or stay.
 */
import { create } from 'zustand';
import type { ErrorInfo } from '../../../shared/contract';
import type { Rule, Settings } from '../../../shared/model';
import {
  EMPTY_RULE,
  sameRules,
  savedList,
  type RuleFields,
  type RuleScope,
} from '../lib/ruleDraft';
import { useSettings } from './settings';
import type { View } from './view';

/** One list's work in progress. */
export interface ScopeDraft {
  /** The list as edited; null while it is the saved one. */
  list: Rule[] | null;
  /** What the "Add a rule" form holds. */
  adding: RuleFields;
  /** The rule whose edit form is open, and what the form holds. */
  editing: { id: string; fields: RuleFields } | null;
}

const UNTOUCHED: ScopeDraft = { list: null, adding: EMPTY_RULE, editing: null };

/** The list that could not be saved and why (null: the settings are not loaded), or null. */
export type SaveAllOutcome = { scope: RuleScope; error: ErrorInfo | null } | null;

interface RuleDraftsState {
  drafts: Readonly<Record<RuleScope, ScopeDraft>>;
  /** The view the moderator asked for while lists were not saved; the question shows while set. */
  leaving: View | null;

  setList: (scope: RuleScope, list: Rule[] | null) => void;
  setAdding: (scope: RuleScope, fields: RuleFields) => void;
  setEditing: (scope: RuleScope, editing: ScopeDraft['editing']) => void;
  /** Asked before the view changes from `from` to `to`: true holds it there and asks. */
  holdLeave: (from: View, to: View) => boolean;
  /** The moderator chose to stay. */
  stay: () => void;
  /** Saves every list that is not saved, one after the other; stops at the first refusal. */
  saveAll: () => Promise<SaveAllOutcome>;
  /** Forgets every change not saved, and what the forms hold. */
  discardAll: () => void;
}

/** The lists whose draft differs from what is saved, in the order they were first changed. */
export function unsavedScopes(
  drafts: Readonly<Record<RuleScope, ScopeDraft>>,
  rules: Settings['rules'] | undefined,
): RuleScope[] {
  return Object.entries(drafts)
    .filter(
      ([scope, draft]) => draft.list !== null && !sameRules(draft.list, savedList(rules, scope)),
    )
    .map(([scope]) => scope);
}

export function draftOf(state: RuleDraftsState, scope: RuleScope): ScopeDraft {
  return state.drafts[scope] ?? UNTOUCHED;
}

export const useRuleDrafts = create<RuleDraftsState>()((set, get) => {
  function change(scope: RuleScope, update: Partial<ScopeDraft>): void {
    set((state) => ({
      drafts: { ...state.drafts, [scope]: { ...draftOf(state, scope), ...update } },
    }));
  }

  return {
    drafts: {},
    leaving: null,

    setList(scope, list) {
      change(scope, { list });
    },

    setAdding(scope, fields) {
      change(scope, { adding: fields });
    },

    setEditing(scope, editing) {
      change(scope, { editing });
    },

    holdLeave(from, to) {
      if (from !== 'settings' || to === 'settings') return false;
      if (unsavedScopes(get().drafts, useSettings.getState().settings?.rules).length === 0)
        return false;
      set({ leaving: to });
      return true;
    },

    stay() {
      set({ leaving: null });
    },

    async saveAll() {
      for (const scope of unsavedScopes(get().drafts, useSettings.getState().settings?.rules)) {
        const list = draftOf(get(), scope).list;
        if (list === null) continue;
        const result = await useSettings.getState().saveRules(scope, list);
        if (!result?.ok) return { scope, error: result ? result.error : null };
        change(scope, { list: null, editing: null });
      }
      return null;
    },

    discardAll() {
      set({ drafts: {} });
    },
  };
});
