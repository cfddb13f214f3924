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
  /**
   * Replaces the named sections in main. The store shows them at once; main's answer (and
   * `settings.changed`) then updates it, and a refusal restores what was there.
   */
  update: (patch: SettingsPatch) => Promise<Result<Settings>>;
  /** From `settings.changed`. */
  replace: (settings: Settings) => void;
  /** Saves one rule list (`'global'` or a room key), leaving the other lists as they are. */
  saveRules: (scope: string, list: Rule[]) => Promise<Result<Settings> | null>;
  /** Mutes or unmutes one room's notifications. */
  setRoomMuted: (roomKey: string, muted: boolean) => Promise<Result<Settings> | null>;
}

export const useSettings = create<SettingsState>()((set, get) => ({
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
    // Shown at once (a radio button or checkbox follows the click); main's answer then stands,
    // and a refusal puts back the sections as they were.
    const before = get().settings;
    if (before) set({ settings: { ...before, ...patch } });
    const result = await invoke('settings.set', patch);
    if (result.ok) {
      set({ settings: result.value, status: 'ready' });
    } else if (before) {
      const current = get().settings;
      if (current) {
        const restored = { ...current };
        for (const key of Object.keys(patch) as (keyof Settings)[]) {
          (restored as Record<keyof Settings, unknown>)[key] = before[key];
        }
        set({ settings: restored });
      }
    }
    return result;
  },

  replace(settings) {
    set({ settings, status: 'ready' });
  },

  async saveRules(scope, list) {
    const rules = get().settings?.rules;
    if (!rules) return null;
    if (scope === 'global') return get().update({ rules: { ...rules, global: list } });
    const rooms = { ...rules.rooms };
    if (list.length === 0) delete rooms[scope];
    else rooms[scope] = list;
    return get().update({ rules: { ...rules, rooms } });
  },

  async setRoomMuted(roomKey, muted) {
    const notifications = get().settings?.notifications;
    if (!notifications) return null;
    const others = notifications.mutedRooms.filter((key) => key !== roomKey);
    return get().update({
      notifications: { ...notifications, mutedRooms: muted ? [...others, roomKey] : others },
    });
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

/** The name of a rule that flagged a message in `roomKey`: its pattern, or its id if it is gone. */
export function ruleNameIn(
  rules: Settings['rules'] | undefined,
  roomKey: string,
  ruleId: string,
): string {
  const rule = findRule(rules, roomKey, ruleId);
  return rule ? ruleLabel(rule) : ruleId;
}
