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
  /** The exile that waits denies the event too ("Deny + exile"). */
  exileDenies: boolean;
}

export interface ConfirmationsSlice extends Confirmations {
  /** Asks to confirm the delete of `key`, in place of any confirmation that waited. */
  askDelete: (key: EventKey) => void;
  /**
   * Asks to confirm the exile of the author of `key`, in place of any that waited; `deny`: and the
   * denial of `key` with it.
   */
  askExile: (key: EventKey, deny?: boolean) => void;
  cancelDelete: () => void;
  cancelExile: () => void;
}

export const NO_CONFIRMATIONS: Confirmations = {
  deleteToConfirm: null,
  exileToConfirm: null,
  exileDenies: false,
};

/** What still waits once the cursor is on `key` (or on nothing): only a confirmation on that row. */
export function confirmationsOnRow(state: Confirmations, key: EventKey | null): Confirmations {
  const exileKept = key !== null && state.exileToConfirm === key;
  return {
    deleteToConfirm: key !== null && state.deleteToConfirm === key ? state.deleteToConfirm : null,
    exileToConfirm: exileKept ? state.exileToConfirm : null,
    exileDenies: exileKept && state.exileDenies,
  };
}

/** What still waits once room `column` has closed. */
export function confirmationsOutside(state: Confirmations, column: ColumnKey): Confirmations {
  const outside = (key: EventKey | null) =>
    key !== null && roomKeyOfEvent(key) === column ? null : key;
  const exileToConfirm = outside(state.exileToConfirm);
  return {
    deleteToConfirm: outside(state.deleteToConfirm),
    exileToConfirm,
    exileDenies: exileToConfirm !== null && state.exileDenies,
  };
}

export function createConfirmationsSlice(set: StoreApi<DeckState>['setState']): ConfirmationsSlice {
  return {
    ...NO_CONFIRMATIONS,

    askDelete(key) {
      set({ deleteToConfirm: key, exileToConfirm: null, exileDenies: false });
    },

    askExile(key, deny = false) {
      set({ exileToConfirm: key, exileDenies: deny, deleteToConfirm: null });
    },

    cancelDelete() {
      set({ deleteToConfirm: null });
    },

    cancelExile() {
      set({ exileToConfirm: null, exileDenies: false });
    },
  };
}
