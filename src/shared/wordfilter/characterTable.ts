/**
 * What each code point becomes before matching: Unicode compatibility forms (NFKC), case folding,
 * accents stripped, look-alike letters folded to the Latin letters Unicode's confusables.txt maps
 * them to (confusables.ts), and a class that the token rules of normalize.ts act on. Computed once per code point, on first sight, and kept in a
 * table: a message costs one table read per character.
 */
import { LATIN_CONFUSABLES } from './confusables';

/** A separator: whitespace, punctuation, symbols, emoji. A run of them becomes one space. */
export const SEPARATOR = 0;
/** A letter of any script except Hangul, after folding; also non-ASCII digits and numerals. */
export const LETTER = 1;
/** A Hangul syllable or jamo. */
export const HANGUL = 2;
/** An ASCII digit (after NFKC, so full-width and superscript digits too). */
export const DIGIT = 3;
/** `$`: a letter in words (`a$$`), part of the number in prices (`$100`). */
export const DOLLAR = 4;
/** `@`: a letter in words (`@ss`), and its presence makes a token a word. */
export const AT = 5;
/** `!` and `|`: letters only inside a word (`sh!t`); at either end they are punctuation. */
export const INNER = 6;
/**
 * A symbol that may stand for a letter inside a word (`b*tch`, `sh#t`, `cr€tin`, `id😡ot`). It is
 * a separator in the text as read; normalize.ts gives it a second reading as a masked letter (see
 * its header). Only single-unit separators get this class.
 */
export const MASK = 7;

/**
 * The code unit that stands for "i or l" in normalised text: `1` and `|` inside a word could be
 * either letter, so terms match it in place of either (see the variants in matcher.ts). It is a
 * private-use code point, which the fold table never produces otherwise (private-use characters
 * are separators); the normalised string shows it as `1`.
 */
export const AMBIGUOUS_IL = 0xe000;

/** Letters that digits and symbols stand for inside words. `2`, `6`, `9` stay digits. */
export const LEET_LETTERS: Readonly<Record<string, number>> = {
  '0': 0x6f, // o
  '1': AMBIGUOUS_IL,
  '3': 0x65, // e
  '4': 0x61, // a
  '5': 0x73, // s
  '7': 0x74, // t
  '8': 0x62, // b
  '@': 0x61, // a
  $: 0x73, // s
  '!': 0x69, // i
  '|': AMBIGUOUS_IL,
};

/**
 * Latin letters that are forms of a basic letter (small capitals, letters with a stroke or a hook)
 * and that neither NFKD nor confusables.txt takes back to it; they read as that letter. They are
 * also what a prototype of confusables.txt reads as (Cyrillic `в` → `ʙ` → `b`).
 */
const LATIN_LETTER_FORMS: Readonly<Record<string, string>> = {
  ð: 'd',
  ʉ: 'u',
  ŋ: 'n',
  ĸ: 'k',
  ʀ: 'r',
  ʙ: 'b',
  ɴ: 'n',
  ʜ: 'h',
  ʟ: 'l',
  ɢ: 'g',
  ᴀ: 'a',
  ᴅ: 'd',
  ᴇ: 'e',
  ᴊ: 'j',
  ᴋ: 'k',
  ᴍ: 'm',
  ᴘ: 'p',
  ᴛ: 't',
};

/**
 * Letters drawn in boxes and circles that NFKC leaves alone: negative circled (U+1F150), negative
 * squared (U+1F170) and regional indicators (U+1F1E6, the halves of flags). Each block is A–Z in
 * order. Squared (U+1F130), circled (U+24B6) and parenthesised letters fold under NFKC already.
 */
const ENCLOSED_LETTER_BLOCKS = [0x1f150, 0x1f170, 0x1f1e6];

/** The Latin letter an enclosed letter stands for, or 0. */
function enclosedLetter(codePoint: number): number {
  for (const first of ENCLOSED_LETTER_BLOCKS) {
    if (codePoint >= first && codePoint < first + 26) return 0x61 + codePoint - first;
  }
  return 0;
}

/**
 * Symbols that read as a masked letter between two letters of a word. Chosen for how people mask
 * (`*` `#` `%` `?` `+` `~` `^`, brackets that look like `c`, `(`, currency signs that look like
 * letters, `€` `£` `¢`, and any pictograph). Left out: `.` `,` `:` `;` `-` `_` `/` `'` and `"`,
 * which join words and names (`e-mail`, `a.m.`, URLs, `don't`); `&` (`AT&T`, `R&B`, `Q&A` would
 * read as `tit`, `rxb`); `=` `<` `>` (code and maths); `@` `$` `!` `|` (leetspeak letters).
 */
const MASK_SYMBOL = /^[*#%?+~^()[\]{}\p{Sc}\p{Extended_Pictographic}]$/u;

function isMaskSymbol(codePoint: number): boolean {
  return MASK_SYMBOL.test(String.fromCodePoint(codePoint));
}

/**
 * How a table entry is to be read; 0 means "not computed yet". The kinds of a single unit are
 * split by what the normaliser does with them, so that the common case (a letter) is one test.
 */
/** One unit written as it is: a letter, a digit, `$`, `@`, a Hangul syllable. */
export const ENTRY_SINGLE = 1;
/** Several units (`ß` → `ss`, `½` → `1⁄2`), each with its own class. */
export const ENTRY_MULTI = 2;
/** A combining mark: dropped, and its offsets given to the letter before it. */
export const ENTRY_MARK = 3;
/** An invisible character (or an apostrophe): dropped, and the word goes on around it. */
export const ENTRY_INVISIBLE = 4;
/** A separator (its class is SEPARATOR). */
export const ENTRY_SEPARATOR = 5;
/** `!` or `|` (class INNER). */
export const ENTRY_INNER = 6;
/** A conjoining Hangul jamo, which may compose with the unit before it (class HANGUL). */
export const ENTRY_JAMO = 7;

/** Entry layout: kind in bits 24–27, class in bits 20–23, unit or multi index in bits 0–19. */
function entry(kind: number, charClass: number, payload: number): number {
  return (kind << 24) | (charClass << 20) | payload;
}

/** The kind of an entry (`ENTRY_*`). */
export function entryKind(value: number): number {
  return value >>> 24;
}

/** The class of a one-unit entry (`SEPARATOR`, `LETTER`, …). */
export function entryClass(value: number): number {
  return (value >>> 20) & 0xf;
}

/** The unit of a one-unit entry, or the index of a multi-unit one. */
export function entryPayload(value: number): number {
  return value & 0xfffff;
}

const MARK = /^[\p{Mn}\p{Me}]$/u;
// Format characters (zero-width, bidi controls, soft hyphen, BOM, tags), the Hangul fillers that
// render as nothing, control characters that are not whitespace, and apostrophes, so that
// "don't" reads as "dont" and "b'a'd" as "bad".
const INVISIBLE = /^(?![\t\n\v\f\r])[\p{Cf}\p{Cc}\u115F\u1160\u3164\uFFA0'\u2018\u2019\u02BC]$/u;
const LETTER_OR_NUMBER = /^[\p{L}\p{N}\p{Mc}]$/u;
const ASCII = /^[\0-\x7f]*$/;

function isHangul(codePoint: number): boolean {
  return (
    (codePoint >= 0xac00 && codePoint <= 0xd7a3) ||
    (codePoint >= 0x1100 && codePoint <= 0x11ff) ||
    (codePoint >= 0xa960 && codePoint <= 0xa97f) ||
    (codePoint >= 0xd7b0 && codePoint <= 0xd7ff)
  );
}

function classify(character: string): number {
  if (character >= '0' && character <= '9') return DIGIT;
  if (character === '$') return DOLLAR;
  if (character === '@') return AT;
  if (character === '!' || character === '|') return INNER;
  return LETTER_OR_NUMBER.test(character) ? LETTER : SEPARATOR;
}

const IL = String.fromCharCode(AMBIGUOUS_IL);

/**
 * How confusables.txt reads a character, when it reads as ASCII letters and digits: by its own
 * entry, else by its capital's, since terms match in any case (`ε` has no Latin prototype, `Ε` has
 * `E`; `м` has `ʍ`, `М` has `M`). A prototype `l` stands for the shapes of `l`, `I` and `1`: a
 * character that is not a lower-case letter (`Ι`, `Ӏ`, `ǀ`, `ا`) reads as "i or l".
 */
function latinReading(character: string): string | undefined {
  const own = prototypeReading(character);
  if (own !== undefined) {
    return own === 'l' && character === character.toUpperCase() ? IL : own;
  }
  const capital = character.toUpperCase();
  if (capital === character || capital.length !== character.length) return undefined;
  const fromCapital = prototypeReading(capital);
  return fromCapital === 'l' ? IL : fromCapital;
}

/** The prototype confusables.txt gives a character, as ASCII letters and digits, or undefined. */
function prototypeReading(character: string): string | undefined {
  const prototype = confusablePrototype(character.codePointAt(0) ?? 0);
  if (prototype === undefined) return undefined;
  let reading = '';
  for (const letter of prototype.toLowerCase()) {
    const form = letter.charCodeAt(0) < 0x80 ? letter : LATIN_LETTER_FORMS[letter];
    if (form === undefined) return undefined;
    reading += form;
  }
  return reading;
}

// LATIN_CONFUSABLES as sorted code points and the index of each one's group, built on first use:
// about 15 KB, where a Map of the same would take several times that.
let confusableCodes: Int32Array | undefined;
let confusableGroups: Uint16Array | undefined;

function confusablePrototype(code: number): string | undefined {
  if (confusableCodes === undefined || confusableGroups === undefined) {
    const pairs: Array<[number, number]> = [];
    LATIN_CONFUSABLES.forEach(([, sources], group) => {
      for (const source of sources) pairs.push([source.codePointAt(0) ?? 0, group]);
    });
    pairs.sort((a, b) => a[0] - b[0]);
    confusableCodes = Int32Array.from(pairs, ([source]) => source);
    confusableGroups = Uint16Array.from(pairs, ([, group]) => group);
  }
  let low = 0;
  let high = confusableCodes.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const found = confusableCodes[middle]!;
    if (found === code) return LATIN_CONFUSABLES[confusableGroups[middle]!]![0];
    if (found < code) low = middle + 1;
    else high = middle - 1;
  }
  return undefined;
}

/**
 * The folded units of one code point with their classes, or `mark` / `invisible`. Case folding is
 * upper-then-lower, which gives full folding where it matters (`ß` → `ss`, final `ς` → `σ`,
 * dotless `ı` → `i`) without shipping CaseFolding.txt.
 */
export function foldCodePoint(codePoint: number): 'mark' | 'invisible' | Array<[number, number]> {
  const character = String.fromCodePoint(codePoint);
  const enclosed = enclosedLetter(codePoint);
  if (enclosed !== 0) return [[enclosed, LETTER]];
  // Skin-tone modifiers belong to the emoji before them, as a mark does to its letter.
  if (codePoint >= 0x1f3fb && codePoint <= 0x1f3ff) return 'mark';
  if (MARK.test(character)) return 'mark';
  if (INVISIBLE.test(character)) return 'invisible';
  if (isHangul(codePoint)) return [[codePoint, HANGUL]];
  const folded = character.normalize('NFKC').toUpperCase().toLowerCase();
  // confusables.txt reads the character as typed, case included (`Ν` is an N, `ν` a v), unless
  // NFKC and case folding already give ASCII (`𝐈` is an i, not the `l` of its shape).
  const typed = ASCII.test(folded) ? undefined : latinReading(character);
  const units: Array<[number, number]> = [];
  for (const piece of typed ?? folded) {
    const pieceCode = piece.codePointAt(0) ?? 0;
    if (isHangul(pieceCode)) {
      if (!INVISIBLE.test(piece)) units.push([pieceCode, HANGUL]);
      continue;
    }
    for (const base of piece.normalize('NFD')) {
      if (MARK.test(base) || INVISIBLE.test(base)) continue;
      const reading =
        base.charCodeAt(0) < 0x80 ? base : (latinReading(base) ?? LATIN_LETTER_FORMS[base] ?? base);
      for (const letter of reading) {
        const code = letter.codePointAt(0) ?? 0;
        const charClass = code === AMBIGUOUS_IL ? LETTER : classify(letter);
        // A letter outside the BMP (rare scripts) stays two code units, both letters.
        if (code > 0xffff) {
          units.push([letter.charCodeAt(0), charClass], [letter.charCodeAt(1), charClass]);
        } else {
          units.push([code, charClass]);
        }
      }
    }
  }
  if (units.length === 0) return 'invisible';
  return units;
}

/**
 * The fold table: one Int32 entry per BMP code unit, filled on first sight, and a map for code
 * points outside the BMP. Expansions of more than one unit (`ß`, `ﬁ`, `½`) live in the `multi*`
 * arrays. A pure cache: filling it never changes what any code point folds to.
 */
export class FoldTable {
  readonly bmp = new Int32Array(0x10000);
  readonly astral = new Map<number, number>();
  readonly multiStart: number[] = [];
  readonly multiLength: number[] = [];
  readonly multiUnits: number[] = [];
  readonly multiClasses: number[] = [];

  constructor() {
    for (let code = 0; code < 0x80; code += 1) this.bmp[code] = this.compute(code);
  }

  /** The entry of a code point (or of a lone surrogate), computing it the first time. */
  lookup(codePoint: number): number {
    if (codePoint < 0x10000) {
      const known = this.bmp[codePoint]!;
      if (known !== 0) return known;
      const computed = this.compute(codePoint);
      this.bmp[codePoint] = computed;
      return computed;
    }
    let known = this.astral.get(codePoint);
    if (known === undefined) {
      known = this.compute(codePoint);
      this.astral.set(codePoint, known);
    }
    return known;
  }

  private compute(codePoint: number): number {
    const folded = foldCodePoint(codePoint);
    if (folded === 'mark') return entry(ENTRY_MARK, 0, 0);
    if (folded === 'invisible') return entry(ENTRY_INVISIBLE, 0, 0);
    // A pictograph outside the BMP folds to two separator units; as a mask it is one symbol.
    if (folded.every(([, charClass]) => charClass === SEPARATOR) && isMaskSymbol(codePoint)) {
      return entry(ENTRY_SEPARATOR, MASK, folded[0]![0]);
    }
    if (folded.length === 1) {
      const [unit, charClass] = folded[0]!;
      if (charClass === SEPARATOR) return entry(ENTRY_SEPARATOR, charClass, unit);
      if (charClass === INNER) return entry(ENTRY_INNER, charClass, unit);
      if (unit >= 0x1100 && unit <= 0x11ff) return entry(ENTRY_JAMO, charClass, unit);
      return entry(ENTRY_SINGLE, charClass, unit);
    }
    const index = this.multiStart.length;
    this.multiStart.push(this.multiUnits.length);
    this.multiLength.push(folded.length);
    for (const [unit, charClass] of folded) {
      this.multiUnits.push(unit);
      this.multiClasses.push(charClass);
    }
    return entry(ENTRY_MULTI, 0, index);
  }
}

let shared: FoldTable | undefined;

/** The one fold table of this process, created on first use (it is a cache of pure functions). */
export function foldTable(): FoldTable {
  shared ??= new FoldTable();
  return shared;
}
