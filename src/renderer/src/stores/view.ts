/**
 * Which view fills the window (the deck, accounts or settings) and the overlays over the deck: the
 * keyboard help and the room picker.
 */
import { create } from 'zustand';
import type { Focus } from './cursor';
import { useDeck } from './deck';
import { useRuleDrafts } from './ruleDrafts';

export type View = 'deck' | 'accounts' | 'settings';

interface ViewState {
  view: View;
  /** What `showOnDeck` shows once the deck is in view. */
  showAfterLeave: Focus | null;
  help: boolean;
  picker: boolean;

  setView: (view: View) => void;
  /**
   * Shows an event on the deck (a notification was clicked): at once, or once the moderator has
   * answered the question asked on leaving Settings with rules not saved.
   */
  showOnDeck: (focus: Focus) => void;
  setHelp: (open: boolean) => void;
  setPicker: (open: boolean) => void;
}

export const useView = create<ViewState>()((set, get) => ({
  view: 'deck',
  showAfterLeave: null,
  help: false,
  picker: false,

  setView(view) {
    // Leaving Settings with a forbidden-word list not saved asks first.
    if (useRuleDrafts.getState().holdLeave(get().view, view)) return;
    const { showAfterLeave } = get();
    set({ view, showAfterLeave: null });
    useDeck.getState().leaveDeck();
    if (view === 'deck' && showAfterLeave) useDeck.getState().setFocus(showAfterLeave);
  },

  showOnDeck(focus) {
    set({ showAfterLeave: focus });
    get().setView('deck');
  },

  setHelp(help) {
    set({ help });
  },

  setPicker(picker) {
    set({ picker });
  },
}));
