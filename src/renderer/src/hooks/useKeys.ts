/** The deck's key bindings as the moderator has them (defaults plus `settings.keymap`). */
import { useMemo } from 'react';
import { resolveKeymap, type BindingName } from '../keymap';
import { selectKeymapOverrides, useSettings } from '../stores/settings';

export function useKeys(): Record<BindingName, string> {
  const overrides = useSettings(selectKeymapOverrides);
  return useMemo(() => resolveKeymap(overrides), [overrides]);
}

const KEY_NAMES: Record<string, string> = {
  ArrowDown: '↓',
  ArrowUp: '↑',
  ArrowLeft: '←',
  ArrowRight: '→',
  Escape: 'Esc',
  Control: 'Ctrl',
  Delete: 'Del',
  ' ': 'Space',
};

/** A binding as printed on a key cap: `↓`, `Esc`, `Ctrl+k`, `x`; `Shift+k` as `Shift+K`. */
export function keyLabel(key: string): string {
  const parts = key.split('+');
  const shifted = parts.includes('Shift');
  return parts
    .map((part) => (shifted && part.length === 1 ? part.toUpperCase() : (KEY_NAMES[part] ?? part)))
    .join('+');
}
