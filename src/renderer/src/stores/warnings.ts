/**
 * What main warns the moderator about (a damaged settings file, audit lines that cannot be
 * written…), shown in a banner until dismissed. Main sends the whole list whenever it changes; a
 * dismissed warning stays hidden while main keeps it under the same id.
 */
import { create } from 'zustand';
import type { AppWarning } from '../../../shared/warnings';
import { invoke, on } from '../lib/api';

interface WarningsState {
  warnings: AppWarning[];
  /** Ids the moderator dismissed. */
  dismissed: ReadonlySet<string>;
  /** Reads the list main holds now (`app.info`); returns the unsubscribe of `app.warnings`. */
  start: () => () => void;
  dismiss: (id: string) => void;
}

export const useWarnings = create<WarningsState>()((set) => ({
  warnings: [],
  dismissed: new Set(),

  start() {
    // An `app.warnings` event is newer than any `app.info` answer still on its way.
    let heard = false;
    const stop = on('app.warnings', (warnings) => {
      heard = true;
      set({ warnings });
    });
    void invoke('app.info').then((info) => {
      if (info.ok && !heard) set({ warnings: info.value.warnings });
    });
    return stop;
  },

  dismiss(id) {
    set((state) => ({ dismissed: new Set([...state.dismissed, id]) }));
  },
}));

/** The warnings still to show, oldest first. */
export function selectShownWarnings(state: WarningsState): AppWarning[] {
  return state.warnings.filter((warning) => !state.dismissed.has(warning.id));
}
