/** The settings as main holds them; the deck reads layout, scrollback, keymap and rules here. */
import { create } from 'zustand';
import type { ErrorInfo, Result } from '../../../shared/contract';
import type { Rule, Settings, SettingsPatch } from '../../../shared/model';
import { invoke } from '../lib/api';

interface SettingsState {
  settings: Settings | null;
  status: 'idle' | 'loading' | 'ready' | 'error';
  error: ErrorInfo | null;
  load: () => Promise<Settings | null>;
  /** Replaces the named sections in main; the answer (and `settings.changed`) updates the store. */
  update: (patch: SettingsPatch) => Promise<Result<Settings>>;
  /** From `settings.changed`. */
  replace: (settings: Settings) => void;
}

export const useSettings = create<SettingsState>()((set) => ({
  settings: null,
  status: 'idle',
  error: null,

  async load() {
    set({ status: 'loading', error: null });
    const result = await invoke('settings.get');
    if (!result.ok) {
      set({ status: 'error', error: result.error });
      return null;
    }
    set({ status: 'ready', settings: result.value });
    return result.value;
  },

  async update(patch) {
    const result = await invoke('settings.set', patch);
    if (result.ok) set({ settings: result.value, status: 'ready' });
    return result;
  },

  replace(settings) {
    set({ settings, status: 'ready' });
  },
}));

const NO_KEYMAP: Readonly<Record<string, string>> = Object.freeze({});

export function selectKeymapOverrides(state: SettingsState): Readonly<Record<string, string>> {
  return state.settings?.keymap ?? NO_KEYMAP;
}

export function selectRules(state: SettingsState): Settings['rules'] | undefined {
  return state.settings?.rules;
}

/** How a rule is named on screen: its term, or `/pattern/` for a regex. */
export function ruleLabel(rule: Rule): string {
  return rule.kind === 'regex' ? `/${rule.pattern}/` : rule.pattern;
}

interface RuleIndex {
  global: Map<string, Rule>;
  rooms: Map<string, Map<string, Rule>>;
}

// Rule lists may hold thousands of rules and every flagged row looks its rules up.
const ruleIndexes = new WeakMap<Settings['rules'], RuleIndex>();

function indexOf(rules: Settings['rules']): RuleIndex {
  let index = ruleIndexes.get(rules);
  if (!index) {
    index = {
      global: new Map(rules.global.map((rule) => [rule.id, rule])),
      rooms: new Map(
        Object.entries(rules.rooms).map(([roomKey, list]) => [
          roomKey,
          new Map(list.map((rule) => [rule.id, rule])),
        ]),
      ),
    };
    ruleIndexes.set(rules, index);
  }
  return index;
}

/** Looks a rule id up in the room's rules, then the global ones; `undefined` when unknown. */
export function findRule(
  rules: Settings['rules'] | undefined,
  roomKey: string,
  ruleId: string,
): Rule | undefined {
  if (!rules) return undefined;
  const index = indexOf(rules);
  return index.rooms.get(roomKey)?.get(ruleId) ?? index.global.get(ruleId);
}
