import { useEffect, useRef } from 'react';
import { useKeptDrafts } from '../stores/keptDrafts';

/**
 * Keeps a panel's draft when the panel goes away while it holds one the moderator neither sent nor
 * discarded; the panel starts from it when it opens again (`keptDraft`, read while rendering, and
 * forgotten here once the panel is on screen). Returns what to call when the moderator discards.
 */
export function useKeptDraft<T>(panel: string, draft: T, unsaved: boolean): () => void {
  const latest = useRef({ draft, unsaved, discarded: false });

  useEffect(() => {
    latest.current.draft = draft;
    latest.current.unsaved = unsaved;
  }, [draft, unsaved]);

  useEffect(() => {
    useKeptDrafts.getState().forget(panel);
    const current = latest.current;
    return () => {
      if (current.unsaved && !current.discarded)
        useKeptDrafts.getState().keep(panel, current.draft);
    };
  }, [panel]);

  return () => {
    latest.current.discarded = true;
  };
}
