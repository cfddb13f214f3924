/**
 * What the moderator wrote in a side panel and neither sent nor discarded, written as it is typed
 * (`useKeptDraft`), so that it outlives a close without their say: another panel opened over it
 * or in its place, its room's column closed, or another view took the window. The panel takes it
 * back when it opens again, so no draft is dropped silently. A user card's notes are written here
 * too (`notes:<account>/<user>`): every card of that user shares them.
 */
import { create } from 'zustand';

interface KeptDraftsState {
  /** Drafts by panel (`composer`, `notice:<room>`, `notes:<account>/<user>`). */
  drafts: Readonly<Record<string, unknown>>;
  keep: (panel: string, draft: unknown) => void;
  forget: (panel: string) => void;
}

export const useKeptDrafts = create<KeptDraftsState>()((set) => ({
  drafts: {},
  keep(panel, draft) {
    set((state) => ({ drafts: { ...state.drafts, [panel]: draft } }));
  },
  forget(panel) {
    set((state) => {
      if (!(panel in state.drafts)) return state;
      const { [panel]: _forgotten, ...drafts } = state.drafts;
      return { drafts };
    });
  },
}));

/** The draft kept for a panel, if any: what it starts from when it opens. */
export function keptDraft<T>(panel: string): T | undefined {
  return useKeptDrafts.getState().drafts[panel] as T | undefined;
}
