/**
 * The deck's keyboard: one listener on the window that turns keys into commands through the
 * keymap table. Keys typed into a text field never reach it.
 */
import { useEffect, useMemo } from 'react';
import { commandsByKey, keyOfEvent, resolveKeymap, type Command } from '../keymap';
import { isFullyShown } from '../lib/reveal';
import { isTypingTarget } from '../lib/typing';
import { openUserCard } from '../stores/panels';
import { selectKeymapOverrides, useSettings } from '../stores/settings';
import { useUi } from '../stores/ui';

/**
 * Whether the focused row's confirmation is in sight. A key confirms only what the moderator can
 * read: with the confirmation scrolled away, the key brings it back into view instead.
 */
function confirmationShown(): boolean {
  const confirmation = document.querySelector('.row-focused .delete-confirm');
  if (confirmation !== null && isFullyShown(confirmation)) return true;
  useUi.getState().revealFocus();
  return false;
}

/** Runs a command; false when it does not apply now (the key then keeps its usual meaning). */
function run(command: Command): boolean {
  const ui = useUi.getState();
  if (ui.help) {
    if (command === 'help' || command === 'clearFocus') ui.setHelp(false);
    return command === 'help' || command === 'clearFocus';
  }
  if (ui.picker) {
    if (command === 'clearFocus') ui.setPicker(false);
    return command === 'clearFocus';
  }
  const focused = ui.focus?.key;
  switch (command) {
    case 'moveDown':
      ui.moveFocus(1);
      return true;
    case 'moveUp':
      ui.moveFocus(-1);
      return true;
    case 'moveLeft':
      ui.moveColumn(-1);
      return true;
    case 'moveRight':
      ui.moveColumn(1);
      return true;
    case 'nextFlagged':
      ui.nextFlagged();
      return true;
    case 'markHandled':
      return focused !== undefined && ui.markHandled(focused);
    case 'newest':
      ui.jumpToNewest();
      return focused !== undefined;
    case 'pin':
      ui.togglePin();
      return focused !== undefined;
    case 'clearFocus':
      ui.escape();
      return true;
    case 'hide':
      if (focused) void ui.hide(focused);
      return focused !== undefined;
    case 'unhide':
      if (focused) void ui.unhide(focused);
      return focused !== undefined;
    case 'delete':
      if (focused === undefined) return false;
      if (ui.confirmDelete !== focused || confirmationShown()) void ui.requestDelete(focused);
      return true;
    case 'confirm':
      if (!ui.confirmDelete && !ui.confirmExile) return false;
      if (confirmationShown()) void ui.confirm();
      return true;
    case 'undo':
      void ui.undo();
      return true;
    case 'mute':
      if (focused) void ui.mute(focused);
      return focused !== undefined;
    case 'exile':
      if (focused === undefined) return false;
      if (ui.confirmExile !== focused || confirmationShown()) void ui.requestExile(focused);
      return true;
    case 'userCard':
      return focused !== undefined && openUserCard(focused);
    case 'help':
      ui.setHelp(true);
      return true;
    case 'pause':
      ui.setHolding(true);
      return false;
  }
}

export function useDeckKeyboard(): void {
  const overrides = useSettings(selectKeymapOverrides);
  const keys = useMemo(() => resolveKeymap(overrides), [overrides]);
  const table = useMemo(() => commandsByKey(keys), [keys]);

  useEffect(() => {
    function onKeyDown(event: KeyboardEvent): void {
      if (event.defaultPrevented || isTypingTarget(event.target)) return;
      const command = table.get(keyOfEvent(event));
      if (command && run(command)) event.preventDefault();
    }
    function onKeyUp(event: KeyboardEvent): void {
      if (event.key === keys.pause) useUi.getState().setHolding(false);
    }
    function onBlur(): void {
      useUi.getState().setHolding(false);
    }
    window.addEventListener('keydown', onKeyDown);
    window.addEventListener('keyup', onKeyUp);
    window.addEventListener('blur', onBlur);
    return () => {
      window.removeEventListener('keydown', onKeyDown);
      window.removeEventListener('keyup', onKeyUp);
      window.removeEventListener('blur', onBlur);
      useUi.getState().setHolding(false);
    };
  }, [table, keys]);
}
