/** Chatters' names in the renderer's text (see `src/shared/displayName.ts`). */
import { displayName } from '../../../shared/displayName';

/**
 * Stands for a name in a translated sentence (`t(key, { user: NAME_SLOT })`) until `NamedSentence`
 * puts the name there isolated; a private-use character no translation contains.
 */
export const NAME_SLOT = '\uE001';

/** A sentence made with `NAME_SLOT`, as plain text with the name made safe: for labels. */
export function withName(sentence: string, name: string): string {
  return sentence.replaceAll(NAME_SLOT, displayName(name));
}
