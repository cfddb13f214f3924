/**
 * How chat text is drawn. The text itself is never changed (the word filter's spans index into it
 * and copying gives what the chatter typed); these helpers decide only what the deck shows of it.
 */

/**
 * Whitespace, characters that draw nothing by definition (Unicode's Default_Ignorable_Code_Point:
 * zero-width spaces, the Hangul fillers, variation selectors) and the blank braille cell, which
 * chatters use to post a message that looks empty.
 */
const BLANK = /^[\s\p{Default_Ignorable_Code_Point}\u2800]*$/u;

/** Whether `text` would draw nothing visible. */
export function isBlankText(text: string): boolean {
  return BLANK.test(text);
}
