/** Rebinding the deck's keys: who already uses a key, and the overrides worth saving. */
import { BINDING_NAMES, KEYMAP, scopeOf, type BindingName } from '../keymap';

/** Keys that keep their own meaning and cannot be bound: focus moves with Tab. */
export const RESERVED_KEYS: ReadonlySet<string> = new Set(['Tab', 'Shift+Tab']);

/**
 * The other binding that already uses `key`, if any. A Held column binding comes first in that
 * column (see `BindingScope`), and every deck binding works there too (approving, moving, a user's
 * card), so sharing a key across the scopes takes the deck binding away from the Held column. Only
 * the defaults share one, on purpose: Shift+K selects there and exiles elsewhere (docs/deck.md).
 */
export function bindingUsing(
  keys: Readonly<Record<BindingName, string>>,
  key: string,
  except: BindingName,
): BindingName | undefined {
  return BINDING_NAMES.find(
    (name) =>
      name !== except &&
      keys[name] === key &&
      (scopeOf(name) === scopeOf(except) ||
        KEYMAP[name].defaultKey !== key ||
        KEYMAP[except].defaultKey !== key),
  );
}

/**
 * The overrides to save after binding `name` to `key`: only keys that differ from their default
 * are kept, so a binding set back to its default follows future defaults.
 */
export function overridesWith(
  overrides: Readonly<Record<string, string>>,
  name: BindingName,
  key: string | null,
): Record<string, string> {
  const next: Record<string, string> = {};
  for (const binding of BINDING_NAMES) {
    const value = binding === name ? key : (overrides[binding] ?? null);
    if (value !== null && value !== KEYMAP[binding].defaultKey) next[binding] = value;
  }
  return next;
}
