/**
 * Every deck shortcut in one table: binding name → what it does and its default key. The
 * moderator's overrides (`settings.keymap`) replace keys by binding name, so a binding can be
 * moved without touching the code that acts on it.
 */

export type Command =
  | 'moveDown'
  | 'moveUp'
  | 'moveLeft'
  | 'moveRight'
  | 'nextFlagged'
  | 'markHandled'
  | 'newest'
  | 'pin'
  | 'clearFocus'
  | 'hide'
  | 'unhide'
  | 'delete'
  | 'confirm'
  | 'undo'
  | 'mute'
  | 'exile'
  | 'userCard'
  | 'searchRoom'
  | 'searchAll'
  | 'help'
  | 'pause'
  | 'approve'
  | 'deny'
  | 'approveCluster'
  | 'denyCluster'
  | 'selectDown'
  | 'selectUp'
  | 'shield';

/**
 * Where a binding works: everywhere in the deck, or only while the cursor is in the Held column,
 * where it comes before a deck binding of the same key (Shift+k selects there, exiles elsewhere).
 */
export type BindingScope = 'deck' | 'held';

export interface Binding {
  command: Command;
  defaultKey: string;
  /** Absent means `deck`. */
  scope?: BindingScope;
}

/** Ordered as the `?` overlay lists them. */
export const KEYMAP = {
  moveDown: { command: 'moveDown', defaultKey: 'j' },
  moveDownArrow: { command: 'moveDown', defaultKey: 'ArrowDown' },
  moveUp: { command: 'moveUp', defaultKey: 'k' },
  moveUpArrow: { command: 'moveUp', defaultKey: 'ArrowUp' },
  moveLeft: { command: 'moveLeft', defaultKey: 'h' },
  moveLeftArrow: { command: 'moveLeft', defaultKey: 'ArrowLeft' },
  moveRight: { command: 'moveRight', defaultKey: 'l' },
  moveRightArrow: { command: 'moveRight', defaultKey: 'ArrowRight' },
  nextFlagged: { command: 'nextFlagged', defaultKey: 'n' },
  // "Looks fine": the focused flagged message or DM leaves the Flagged queue.
  markHandled: { command: 'markHandled', defaultKey: 'e' },
  newest: { command: 'newest', defaultKey: 'End' },
  newestLetter: { command: 'newest', defaultKey: 'Shift+g' },
  pin: { command: 'pin', defaultKey: 'p' },
  clearFocus: { command: 'clearFocus', defaultKey: 'Escape' },
  hide: { command: 'hide', defaultKey: 'x' },
  unhide: { command: 'unhide', defaultKey: 'u' },
  delete: { command: 'delete', defaultKey: 'Delete' },
  confirm: { command: 'confirm', defaultKey: 'Enter' },
  undo: { command: 'undo', defaultKey: 'z' },
  // On the focused message's author, where the room's provider can (VChatCloud).
  mute: { command: 'mute', defaultKey: 'm' },
  exile: { command: 'exile', defaultKey: 'Shift+k' },
  userCard: { command: 'userCard', defaultKey: 'c' },
  // The focused column's room (the focused message's, from the Flagged column); every room.
  searchRoom: { command: 'searchRoom', defaultKey: 'Ctrl+f' },
  searchAll: { command: 'searchAll', defaultKey: 'Ctrl+Shift+f' },
  help: { command: 'help', defaultKey: '?' },
  pause: { command: 'pause', defaultKey: 'Control' },
  // The Held queue: on the focused held message (with the selection, in the Held column).
  approve: { command: 'approve', defaultKey: 'a' },
  deny: { command: 'deny', defaultKey: 'd' },
  // Every held message of the focused one's room held by the same rule.
  approveCluster: { command: 'approveCluster', defaultKey: 'Shift+a' },
  denyCluster: { command: 'denyCluster', defaultKey: 'Shift+d' },
  selectDown: { command: 'selectDown', defaultKey: 'Shift+j', scope: 'held' },
  selectUp: { command: 'selectUp', defaultKey: 'Shift+k', scope: 'held' },
  // Shield mode on or off: in the focused room column's room; from anywhere else, every room.
  shield: { command: 'shield', defaultKey: 'Shift+s' },
} as const satisfies Record<string, Binding>;

export type BindingName = keyof typeof KEYMAP;

export const BINDING_NAMES = Object.keys(KEYMAP) as BindingName[];

/** Where binding `name` works (see `BindingScope`). */
export function scopeOf(name: BindingName): BindingScope {
  return (KEYMAP[name] as Binding).scope ?? 'deck';
}

/** The key of each binding: the default, or the moderator's override. */
export function resolveKeymap(
  overrides: Readonly<Record<string, string>>,
): Record<BindingName, string> {
  const keys = {} as Record<BindingName, string>;
  for (const name of BINDING_NAMES) keys[name] = overrides[name] ?? KEYMAP[name].defaultKey;
  return keys;
}

/**
 * Key string → command of the bindings of `scope`, for the keydown handler. A key the moderator
 * chose for a binding wins over one that has it by default (a default added later, such as `e`,
 * must not take a key they already use); otherwise later bindings never shadow earlier ones.
 */
export function commandsByKey(
  keys: Readonly<Record<BindingName, string>>,
  scope: BindingScope = 'deck',
): Map<string, Command> {
  const table = new Map<string, Command>();
  for (const chosen of [true, false]) {
    for (const name of BINDING_NAMES) {
      if (scopeOf(name) !== scope) continue;
      const key = keys[name];
      if ((key !== KEYMAP[name].defaultKey) !== chosen) continue;
      if (!table.has(key)) table.set(key, KEYMAP[name].command);
    }
  }
  return table;
}

const MODIFIER_KEYS = new Set(['Control', 'Alt', 'Shift', 'Meta']);

/**
 * A keyboard event as a binding string: `Ctrl+`, `Alt+`, `Meta+` (and `Shift+` for keys whose
 * character does not already say Shift) before the key, e.g. `j`, `?`, `Ctrl+k`, `Shift+j`,
 * `ArrowDown`. A modifier pressed alone is its own name (`Control`). Letters typed with Caps Lock
 * count as lowercase.
 */
export function keyOfEvent(
  event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'altKey' | 'metaKey' | 'shiftKey'>,
): string {
  const { key } = event;
  if (MODIFIER_KEYS.has(key)) return key;
  const parts: string[] = [];
  if (event.ctrlKey) parts.push('Ctrl');
  if (event.altKey) parts.push('Alt');
  if (event.metaKey) parts.push('Meta');
  const printable = key.length === 1;
  const letter = printable && key.toLowerCase() !== key.toUpperCase();
  if (event.shiftKey && (!printable || letter)) parts.push('Shift');
  parts.push(letter ? key.toLowerCase() : key);
  return parts.join('+');
}

/** A modifier's `KeyboardEvent.key` → how a binding string names it. */
const MODIFIER_PARTS: Readonly<Record<string, string>> = {
  Control: 'Ctrl',
  Alt: 'Alt',
  Shift: 'Shift',
  Meta: 'Meta',
};

/**
 * Whether letting go of `key` (a `KeyboardEvent.key`) ends holding `binding`: the key itself, or
 * any key of a combination (`Shift+q` ends when either Shift or q is let go; a letter let go with
 * Shift or Caps Lock on is its capital).
 */
export function releases(binding: string, key: string): boolean {
  if (key === binding) return true;
  const [, prefix = '', main = ''] = /^((?:(?:Ctrl|Alt|Meta|Shift)\+)*)(.+)$/.exec(binding) ?? [];
  const modifier = MODIFIER_PARTS[key];
  if (modifier !== undefined) return prefix.split('+').includes(modifier);
  return key.toLowerCase() === main.toLowerCase();
}
