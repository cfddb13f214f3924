/**
 * The deck's keyboard: one listener on the window that turns keys into commands through the
 * keymap table. Keys typed into a text field never reach it. Right after a hide, delete, mute or
 * exile, the number keys 1–9 give it reason template N (`deckCommands.reasonByKey`), until
 * another key or the few seconds its toast stays; a number the moderator bound to a command in
 * Settings keeps that command.
 */
import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { commandsByKey, keyOfEvent, releases, resolveKeymap, type Command } from '../keymap';
import type { RoomKey } from '../../../shared/chat';
import { FLAGGED_COLUMN, HELD_COLUMN, roomKeyOfEvent } from '../lib/eventKey';
import { reasonTemplates } from '../lib/reasons';
import { isFullyShown } from '../lib/reveal';
import { isTypingTarget } from '../lib/typing';
import { isDeleteAskedOn } from '../stores/confirmations';
import { useDeck } from '../stores/deck';
import { useDeckCommands } from '../stores/deckCommands';
import { useFeed } from '../stores/feed';
import { heldByShield, useShield } from '../stores/shield';
import {
  clusterOf,
  extendSelection,
  isHeldKey,
  notUnderReview,
  reviewHeld,
  reviewTargets,
  type Decision,
} from '../stores/held';
import { openSearch, openUserCard } from '../stores/panels';
import { selectKeymapOverrides, useSettings } from '../stores/settings';
import { useView } from '../stores/view';

/**
 * Whether the focused row's confirmation is in sight. A key confirms only what the moderator can
 * read: with the confirmation scrolled away, the key brings it back into view instead.
 */
function confirmationShown(): boolean {
  const confirmation = document.querySelector('.row-focused .delete-confirm');
  if (confirmation !== null && isFullyShown(confirmation)) return true;
  useDeck.getState().revealFocus();
  return false;
}

/**
 * The room `Ctrl+F` searches: the focused message's (in its column or the Flagged column), else
 * the column the keyboard focus or the pointer is in; none (every room) when there is no column.
 */
function searchedRoom(): RoomKey[] | null {
  const { focus, hovered } = useDeck.getState();
  if (focus) return [roomKeyOfEvent(focus.key)];
  const active = document.activeElement;
  const column = active?.closest<HTMLElement>('section.column[data-room-key]');
  const roomKey =
    column?.dataset.roomKey ??
    (hovered !== FLAGGED_COLUMN && hovered !== HELD_COLUMN ? hovered : null);
  return roomKey ? [roomKey] : null;
}

/** Runs a command; false when it does not apply now (the key then keeps its usual meaning). */
function run(command: Command): boolean {
  const view = useView.getState();
  if (view.help) {
    if (command === 'help' || command === 'clearFocus') view.setHelp(false);
    return command === 'help' || command === 'clearFocus';
  }
  if (view.picker) {
    if (command === 'clearFocus') view.setPicker(false);
    return command === 'clearFocus';
  }
  const deck = useDeck.getState();
  const commands = useDeckCommands.getState();
  const focused = deck.focus?.key;
  switch (command) {
    case 'moveDown':
      deck.moveFocus(1);
      return true;
    case 'moveUp':
      deck.moveFocus(-1);
      return true;
    case 'moveLeft':
      deck.moveColumn(-1);
      return true;
    case 'moveRight':
      deck.moveColumn(1);
      return true;
    case 'nextFlagged':
      deck.nextFlagged();
      return true;
    case 'markHandled':
      return focused !== undefined && commands.markHandled(focused);
    case 'newest':
      deck.jumpToNewest();
      return focused !== undefined;
    case 'pin':
      deck.togglePin();
      return focused !== undefined;
    case 'clearFocus':
      commands.escape();
      return true;
    case 'hide':
      if (focused) void commands.hide(focused, deck.focus?.column);
      return focused !== undefined;
    case 'unhide':
      if (focused) void commands.unhide(focused, deck.focus?.column);
      return focused !== undefined;
    case 'delete': {
      const focus = deck.focus;
      if (focus === null) return false;
      // A Held row shows no delete question: there Delete denies, as `d` does, without asking.
      if (focus.column === HELD_COLUMN) return review('deny');
      if (!isDeleteAskedOn(deck.deleteToConfirm, focus.column, focus.key) || confirmationShown())
        void commands.requestDelete(focus.key, focus.column);
      return true;
    }
    case 'confirm':
      if (!deck.deleteToConfirm && !deck.exileToConfirm) return false;
      if (confirmationShown()) void commands.confirm();
      return true;
    case 'undo':
      void commands.undo();
      return true;
    case 'mute':
      if (focused) void commands.mute(focused);
      return focused !== undefined;
    case 'exile':
      if (focused === undefined) return false;
      if (deck.exileToConfirm !== focused || confirmationShown())
        void commands.requestExile(focused);
      return true;
    case 'userCard':
      return focused !== undefined && openUserCard(focused);
    case 'searchRoom':
      openSearch(searchedRoom());
      return true;
    case 'searchAll':
      openSearch(null);
      return true;
    case 'help':
      view.setHelp(true);
      return true;
    case 'pause':
      deck.setHolding(true);
      return false;
    case 'approve':
    case 'deny':
      return review(command);
    case 'approveCluster':
    case 'denyCluster': {
      const cluster = focused !== undefined && isHeldKey(focused) ? clusterOf(focused) : [];
      if (cluster.length > 0) {
        void reviewHeld(cluster, command === 'approveCluster' ? 'approve' : 'deny');
      }
      return cluster.length > 0;
    }
    case 'selectDown':
      return extendSelection(1);
    case 'selectUp':
      return extendSelection(-1);
    case 'shield': {
      const held = notUnderReview(heldByShield(useFeed.getState())).length > 0;
      void useShield.getState().toggle(shieldedRoom(), held);
      return true;
    }
  }
}

/** Approves or denies what a review from the keyboard acts on; false when nothing is held there. */
function review(decision: Decision): boolean {
  const targets = reviewTargets();
  if (targets.length > 0) void reviewHeld(targets, decision);
  return targets.length > 0;
}

/** The room column the cursor or the pointer is in; null in the Flagged or Held column, or none. */
function shieldedRoom(): RoomKey | null {
  const { focus, hovered } = useDeck.getState();
  const column = focus?.column ?? hovered;
  return column === undefined ||
    column === null ||
    column === FLAGGED_COLUMN ||
    column === HELD_COLUMN
    ? null
    : column;
}

/**
 * Whether a modal question is up (shield mode's "Turn shield mode off?", unsaved rules), wherever
 * the focus is. The `?` overlay is modal too, but takes its own keys in run().
 */
function modalQuestionOpen(): boolean {
  if (useView.getState().help) return false;
  return document.querySelector('[aria-modal="true"]') !== null;
}

/** Keys that do not end the number keys' time for a reason: modifiers pressed alone. */
const MODIFIERS = new Set(['Control', 'Alt', 'Shift', 'Meta']);

export function useDeckKeyboard(): void {
  const { t } = useTranslation();
  const overrides = useSettings(selectKeymapOverrides);
  const saved = useSettings((state) => state.settings?.reasonTemplates ?? null);
  const keys = useMemo(() => resolveKeymap(overrides), [overrides]);
  const table = useMemo(() => commandsByKey(keys), [keys]);
  const heldTable = useMemo(() => commandsByKey(keys, 'held'), [keys]);
  const templates = useMemo(() => reasonTemplates(saved, t), [saved, t]);

  useEffect(() => {
    function onKeyDown(event: KeyboardEvent): void {
      if (event.defaultPrevented || isTypingTarget(event.target)) return;
      if (modalQuestionOpen()) {
        // Its own buttons and Esc answer it; the deck behind it takes no key, a digit included.
        if (!MODIFIERS.has(event.key)) useDeckCommands.getState().endReasonKeys();
        return;
      }
      const key = keyOfEvent(event);
      // In the Held column its own bindings come first (Shift+k selects there, exiles elsewhere).
      const inHeld = useDeck.getState().focus?.column === HELD_COLUMN;
      const command = (inHeld ? heldTable.get(key) : undefined) ?? table.get(key);
      const commands = useDeckCommands.getState();
      if (command === undefined && /^[1-9]$/.test(key)) {
        if (commands.reasonByKey(Number(key), templates)) event.preventDefault();
        return;
      }
      if (!MODIFIERS.has(event.key)) commands.endReasonKeys();
      if (command && run(command)) event.preventDefault();
    }
    function onKeyUp(event: KeyboardEvent): void {
      if (releases(keys.pause, event.key)) useDeck.getState().setHolding(false);
    }
    function onBlur(): void {
      useDeck.getState().setHolding(false);
    }
    window.addEventListener('keydown', onKeyDown);
    window.addEventListener('keyup', onKeyUp);
    window.addEventListener('blur', onBlur);
    return () => {
      window.removeEventListener('keydown', onKeyDown);
      window.removeEventListener('keyup', onKeyUp);
      window.removeEventListener('blur', onBlur);
      useDeck.getState().setHolding(false);
    };
  }, [table, heldTable, keys, templates]);
}
