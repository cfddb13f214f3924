/**
 * The deck's confirmations: a delete or an exile asked for once waits on its row for a second key
 * (or Enter). At most one waits at a time, and it belongs to the row the cursor is on: moving the
 * cursor elsewhere drops it. A slice of the deck store (`deck.ts`), so a cursor move and the
 * confirmation it drops are one update. A delete keeps what it asked about (the column's row and
 * the copies it stood for), and confirming deletes exactly that, whatever the row shows since.
 */
import type { StoreApi } from 'zustand';
import { roomKeyOfEvent, type ColumnKey, type EventKey } from '../lib/eventKey';
import type { DeckState } from './deck';

/** A delete that waits for a second Delete (or Enter), and what it deletes. */
export interface DeleteAsked {
  key: EventKey;
  /** The column whose row asked: the question shows on that row only. */
  column: ColumnKey;
  /** Every copy of the collapsed run the row stood for when asked; null: the message alone. */
  copies: readonly EventKey[] | null;
}

export interface Confirmations {
  deleteToConfirm: DeleteAsked | null;
  /** The event whose author's exile waits for a second exile key (or Enter). */
  exileToConfirm: EventKey | null;
  /** The exile that waits denies the event too ("Deny + exile"). */
  exileDenies: boolean;
}

export interface ConfirmationsSlice extends Confirmations {
  /** Asks to confirm a delete, in place of any confirmation that waited. */
  askDelete: (asked: DeleteAsked) => void;
  /**
   * Asks to confirm the exile of the author of `key`, in place of any that waited; `deny`: and the
   * denial of `key` with it.
   */
  askExile: (key: EventKey, deny?: boolean) => void;
  cancelDelete: () => void;
  /** Drops a delete that waits on the row of `key` (its run was expanded or folded). */
  cancelDeleteOf: (key: EventKey) => void;
  cancelExile: () => void;
}

export const NO_CONFIRMATIONS: Confirmations = {
  deleteToConfirm: null,
  exileToConfirm: null,
  exileDenies: false,
};

/** Whether `asked` is the delete asked on the row of `key` in `column`. */
export function isDeleteAskedOn(
  asked: DeleteAsked | null,
  column: ColumnKey | undefined,
  key: EventKey | undefined,
): asked is DeleteAsked {
  return asked !== null && asked.key === key && asked.column === column;
}

/**
 * What still waits once the cursor is on `key` in `column` (or on nothing): only a confirmation on
 * that row (a delete, on that row of that column).
 */
export function confirmationsOnRow(
  state: Confirmations,
  focus: { column: ColumnKey; key: EventKey } | null,
): Confirmations {
  const key = focus?.key ?? null;
  const exileKept = key !== null && state.exileToConfirm === key;
  return {
    deleteToConfirm: isDeleteAskedOn(state.deleteToConfirm, focus?.column, focus?.key)
      ? state.deleteToConfirm
      : null,
    exileToConfirm: exileKept ? state.exileToConfirm : null,
    exileDenies: exileKept && state.exileDenies,
  };
}

/** What still waits once room `column` has closed. */
export function confirmationsOutside(state: Confirmations, column: ColumnKey): Confirmations {
  const outside = (key: EventKey | null) =>
    key !== null && roomKeyOfEvent(key) === column ? null : key;
  const exileToConfirm = outside(state.exileToConfirm);
  const asked = state.deleteToConfirm;
  return {
    deleteToConfirm: asked !== null && roomKeyOfEvent(asked.key) === column ? null : asked,
    exileToConfirm,
    exileDenies: exileToConfirm !== null && state.exileDenies,
  };
}

export function createConfirmationsSlice(set: StoreApi<DeckState>['setState']): ConfirmationsSlice {
  return {
    ...NO_CONFIRMATIONS,

    askDelete(asked) {
      set({ deleteToConfirm: asked, exileToConfirm: null, exileDenies: false });
    },

    askExile(key, deny = false) {
      set({ exileToConfirm: key, exileDenies: deny, deleteToConfirm: null });
    },

    cancelDelete() {
      set({ deleteToConfirm: null });
    },

    cancelDeleteOf(key) {
      set((state) => (state.deleteToConfirm?.key === key ? { deleteToConfirm: null } : {}));
    },

    cancelExile() {
      set({ exileToConfirm: null, exileDenies: false });
    },
  };
}
