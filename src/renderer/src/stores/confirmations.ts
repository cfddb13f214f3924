/**
 * The deck's confirmations: a delete or an exile asked for once waits on its row for a second key
 * (or Enter). At most one waits at a time, and it belongs to the row the cursor is on: moving the
 * cursor elsewhere drops it. A slice of the deck store (`deck.ts`), so a cursor move and the
 * confirmation it drops are one update.
 */
import type { StoreApi } from 'zustand';
import { roomKeyOfEvent, type ColumnKey, type EventKey } from '../lib/eventKey';
import type { DeckState } from './deck';

export interface Confirmations {
  /** The event whose deletion waits for a second Delete (or Enter). */
  deleteToConfirm: EventKey | null;
  /** The event whose author's exile waits for a second exile key (or Enter). */
  exileToConfirm: EventKey | null;
}

export interface ConfirmationsSlice extends Confirmations {
  /** Asks to confirm the delete of `key`, in place of any confirmation that waited. */
  askDelete: (key: EventKey) => void;
  /** Asks to confirm the exile of the author of `key`, in place of any that waited. */
  askExile: (key: EventKey) => void;
  cancelDelete: () => void;
  cancelExile: () => void;
}

export const NO_CONFIRMATIONS: Confirmations = { deleteToConfirm: null, exileToConfirm: null };

/** What still waits once the cursor is on `key` (or on nothing): only a confirmation on that row. */
export function confirmationsOnRow(state: Confirmations, key: EventKey | null): Confirmations {
  return {
    deleteToConfirm: key !== null && state.deleteToConfirm === key ? state.deleteToConfirm : null,
    exileToConfirm: key !== null && state.exileToConfirm === key ? state.exileToConfirm : null,
  };
}

/** What still waits once room `column` has closed. */
export function confirmationsOutside(state: Confirmations, column: ColumnKey): Confirmations {
  const outside = (key: EventKey | null) =>
    key !== null && roomKeyOfEvent(key) === column ? null : key;
  return {
    deleteToConfirm: outside(state.deleteToConfirm),
    exileToConfirm: outside(state.exileToConfirm),
  };
}

export function createConfirmationsSlice(set: StoreApi<DeckState>['setState']): ConfirmationsSlice {
  return {
    ...NO_CONFIRMATIONS,

    askDelete(key) {
      set({ deleteToConfirm: key, exileToConfirm: null });
    },

    askExile(key) {
      set({ exileToConfirm: key, deleteToConfirm: null });
    },

    cancelDelete() {
      set({ deleteToConfirm: null });
    },

    cancelExile() {
      set({ exileToConfirm: null });
    },
  };
}
