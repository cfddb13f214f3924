/**
 * The deck store: the cursor and its pauses (`cursor.ts`) and the confirmations that wait on the
 * cursor's row (`confirmations.ts`), as two slices of one store. A move of the cursor drops the
 * confirmation it leaves behind in the same update, and a row reads whether it is focused and
 * whether it asks to confirm with one subscription.
 */
import { create } from 'zustand';
import type { ColumnKey, EventKey } from '../lib/eventKey';
import { createConfirmationsSlice, type ConfirmationsSlice } from './confirmations';
import { createCursorSlice, keysShown, type CursorSlice } from './cursor';

export type DeckState = CursorSlice & ConfirmationsSlice;

export const useDeck = create<DeckState>()((set, get) => ({
  ...createCursorSlice(set, get),
  ...createConfirmationsSlice(set),
}));

/** What the column shows now: its frozen list while paused, the live one otherwise. */
export function displayedKeys(column: ColumnKey): readonly EventKey[] {
  return keysShown(useDeck.getState(), column);
}
