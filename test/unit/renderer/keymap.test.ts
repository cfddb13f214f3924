import { describe, expect, it } from 'vitest';
import {
  BINDING_NAMES,
  KEYMAP,
  commandsByKey,
  keyOfEvent,
  resolveKeymap,
  scopeOf,
} from '../../../src/renderer/src/keymap';
import { bindingUsing } from '../../../src/renderer/src/lib/keymapEdit';

function key(init: Partial<KeyboardEventInit> & { key: string }) {
  return keyOfEvent({ ctrlKey: false, altKey: false, metaKey: false, shiftKey: false, ...init });
}

describe('the keymap', () => {
  it('names keys the way bindings are written', () => {
    expect(key({ key: 'j' })).toBe('j');
    expect(key({ key: 'J' })).toBe('j'); // Caps Lock
    expect(key({ key: 'J', shiftKey: true })).toBe('Shift+j');
    expect(key({ key: '?', shiftKey: true })).toBe('?');
    expect(key({ key: 'k', ctrlKey: true })).toBe('Ctrl+k');
    expect(key({ key: 'ArrowDown', shiftKey: true })).toBe('Shift+ArrowDown');
    expect(key({ key: 'Delete' })).toBe('Delete');
    expect(key({ key: 'Control', ctrlKey: true })).toBe('Control');
  });

  it('has one default key per binding and no two bindings of one scope on one key', () => {
    for (const scope of ['deck', 'held'] as const) {
      const keys = BINDING_NAMES.filter((name) => scopeOf(name) === scope).map(
        (name) => KEYMAP[name].defaultKey,
      );
      expect(keys.length).toBeGreaterThan(0);
      expect(new Set(keys).size).toBe(keys.length);
    }
  });

  it('gives the Held column its own keys first: Shift+K selects there and exiles elsewhere', () => {
    const keys = resolveKeymap({});
    expect(commandsByKey(keys).get('Shift+k')).toBe('exile');
    expect(commandsByKey(keys, 'held').get('Shift+k')).toBe('selectUp');
    expect(commandsByKey(keys, 'held').get('Shift+j')).toBe('selectDown');
    expect(commandsByKey(keys, 'held').get('a')).toBeUndefined();
    expect(commandsByKey(keys).get('a')).toBe('approve');
    expect(commandsByKey(keys).get('Shift+d')).toBe('denyCluster');
  });

  it('refuses a key another binding uses, in either scope, but for the Shift+K the defaults share', () => {
    const keys = resolveKeymap({});
    expect(bindingUsing(keys, 'Shift+k', 'selectUp')).toBeUndefined();
    expect(bindingUsing(keys, 'Shift+k', 'exile')).toBeUndefined();
    expect(bindingUsing(keys, 'Shift+j', 'selectUp')).toBe('selectDown');
    expect(bindingUsing(keys, 'Shift+k', 'approve')).toBe('exile');
    expect(bindingUsing(keys, 'a', 'deny')).toBe('approve');
    // In the Held column the Held binding would come first, and the deck one never happen there.
    expect(bindingUsing(keys, 'Shift+j', 'approve')).toBe('selectDown');
    expect(bindingUsing(keys, 'Shift+j', 'exile')).toBe('selectDown');
    expect(bindingUsing(keys, 'd', 'selectDown')).toBe('deny');
    const moved = resolveKeymap({ exile: 'Shift+e', selectUp: 'Shift+u' });
    expect(bindingUsing(moved, 'Shift+k', 'exile')).toBeUndefined();
    expect(bindingUsing(moved, 'Shift+e', 'selectUp')).toBe('exile');
  });

  it('takes overrides by binding name and leaves the other bindings alone', () => {
    const keys = resolveKeymap({ hide: 'y', nonsense: 'q' });
    expect(keys.hide).toBe('y');
    expect(keys.unhide).toBe('u');
    expect(Object.keys(keys)).toEqual(BINDING_NAMES);
    const table = commandsByKey(keys);
    expect(table.get('y')).toBe('hide');
    expect(table.get('x')).toBeUndefined();
    expect(table.get('ArrowDown')).toBe('moveDown');
  });

  it('gives a key the moderator chose to their binding, not to one that has it by default', () => {
    // Exile moved to `e` before `e` was the default of "looks fine": the moderator's choice stands.
    const table = commandsByKey(resolveKeymap({ exile: 'e' }));
    expect(KEYMAP.markHandled.defaultKey).toBe('e');
    expect(table.get('e')).toBe('exile');
    expect(commandsByKey(resolveKeymap({})).get('e')).toBe('markHandled');
  });
});
