/**
 * A chatter's name as ModDeck shows it. Names come from strangers, and a bidi control in one
 * (U+202E `nimda` U+202C reads "admin") rearranges what is drawn around it, so every view shows
 * names through `displayName` and isolates them from the text beside them.
 */

/**
 * The explicit bidi formatting characters of UAX #9: embeddings and overrides (U+202A–U+202E),
 * isolates (U+2066–U+2069) and the marks (U+200E LRM, U+200F RLM, U+061C ALM).
 */
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/** `name` without bidi controls: what a view may show of a name it got from a provider. */
export function displayName(name: string): string {
  return name.replace(BIDI_CONTROLS, '');
}
