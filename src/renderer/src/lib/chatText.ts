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

/** A stretch of chat text and how it is drawn. */
export interface DrawnPiece {
  /**
   * `text` as it is; `control` a bidi control, drawn as a mark in an isolate of its own so that it
   * reorders nothing around it; `folded` line breaks past the first blank line, not drawn.
   */
  kind: 'text' | 'control' | 'folded';
  text: string;
}

/** A range of the text drawn otherwise than as text. */
interface Special {
  start: number;
  end: number;
  kind: 'control' | 'folded';
}

/**
 * The explicit bidi formatting characters (as `shared/displayName.ts` strips from names), by the
 * short names Unicode gives them: what the mark drawn in their place says.
 */
export const BIDI_CONTROL_NAMES: Readonly<Record<string, string>> = {
  '\u061C': 'ALM',
  '\u200E': 'LRM',
  '\u200F': 'RLM',
  '\u202A': 'LRE',
  '\u202B': 'RLE',
  '\u202C': 'PDF',
  '\u202D': 'LRO',
  '\u202E': 'RLO',
  '\u2066': 'LRI',
  '\u2067': 'RLI',
  '\u2068': 'FSI',
  '\u2069': 'PDI',
};

const BIDI_CONTROL = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;
/** Anything that may need more than plain text: a line break or a bidi control. */
const MAYBE_SPECIAL = /[\n\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;
const LEADING_BREAKS = /^\s*\n/;
const TRAILING_BREAKS = /\n\s*$/;
/** Three line breaks or more with nothing but blanks between: two blank lines or more. */
const BLANK_LINES = /\n(?:[^\S\n]*\n){2,}/g;

/**
 * What of `text` is drawn otherwise than as text, in order: every bidi control, line breaks before
 * the first line and after the last, and in a run of blank lines all but the first. Text that needs
 * none of it (most of it) is answered with no allocation past the one test.
 */
export function specialRanges(text: string): readonly Special[] {
  if (!MAYBE_SPECIAL.test(text)) return [];
  const specials: Special[] = [];
  const leading = LEADING_BREAKS.exec(text);
  const leadEnd = leading === null ? 0 : leading[0].length;
  const trailing = TRAILING_BREAKS.exec(text.slice(leadEnd));
  const trailStart = trailing === null ? text.length : leadEnd + trailing.index;
  if (leadEnd > 0) specials.push({ start: 0, end: leadEnd, kind: 'folded' });
  BLANK_LINES.lastIndex = leadEnd;
  for (let run = BLANK_LINES.exec(text); run !== null; run = BLANK_LINES.exec(text)) {
    if (run.index >= trailStart) break;
    // Kept: the break that ends the line and one blank line.
    const kept = run[0].indexOf('\n', 1) + 1;
    const end = Math.min(run.index + run[0].length, trailStart);
    if (run.index + kept < end) specials.push({ start: run.index + kept, end, kind: 'folded' });
  }
  if (trailStart < text.length && trailStart >= leadEnd) {
    specials.push({ start: trailStart, end: text.length, kind: 'folded' });
  }
  // Bidi controls are neither blanks nor line breaks: none is inside a folded range.
  for (const control of text.matchAll(BIDI_CONTROL)) {
    specials.push({ start: control.index, end: control.index + 1, kind: 'control' });
  }
  return specials.sort((a, b) => a.start - b.start);
}

/** The pieces of `text` from `start` to `end`, with `specials` from `specialRanges(text)`. */
export function drawnPieces(
  text: string,
  start: number,
  end: number,
  specials: readonly Special[],
): DrawnPiece[] {
  const pieces: DrawnPiece[] = [];
  let at = start;
  for (const special of specials) {
    if (special.end <= at) continue;
    if (special.start >= end) break;
    const from = Math.max(special.start, at);
    if (from > at) pieces.push({ kind: 'text', text: text.slice(at, from) });
    const to = Math.min(special.end, end);
    pieces.push({ kind: special.kind, text: text.slice(from, to) });
    at = to;
  }
  if (at < end) pieces.push({ kind: 'text', text: text.slice(at, end) });
  return pieces;
}
