import { useEffect, useRef } from 'react';
import { useKeptDrafts } from '../stores/keptDrafts';

/**
 * Keeps a panel's draft, as it is written, for as long as the moderator has neither sent nor
 * discarded it; the panel starts from it when it opens again (`keptDraft`, read while rendering).
 * Returns what to call when the moderator discards.
 *
 * Kept as it is written, not when the panel goes away: a panel of the same kind opened in its
 * place (`show`) renders before the one it replaces unmounts, so a draft kept only then would come
 * too late for it to read, and its own empty draft would then drop it.
 */
export function useKeptDraft<T>(panel: string, draft: T, unsaved: boolean): () => void {
  const discarded = useRef(false);

  useEffect(() => {
    if (discarded.current) return;
    const { keep, forget } = useKeptDrafts.getState();
    if (unsaved) keep(panel, draft);
    else forget(panel);
  }, [panel, draft, unsaved]);

  return () => {
    discarded.current = true;
    useKeptDrafts.getState().forget(panel);
  };
}
