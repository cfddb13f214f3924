/**
 * Text normalisation for the word filter. Both the rule terms and every message go through the
 * same steps, so a term matches whatever folds to the same units. One pass over the text:
 *
 * - Per character, one read of the fold table (characterTable.ts): NFKC, case folding, accents and
 *   other combining marks stripped, invisible characters dropped, look-alike letters folded to
 *   Latin; Hangul jamo composed into syllables (so NFD input meets syllables), but a consonant
 *   after a syllable typed whole stays apart (`바보ㅋㅋ`); a vowel alone that repeats the vowel of
 *   the open syllable before it is part of that syllable (`바아아보`); a run of separators becomes
 *   one space.
 * - Per token (a run between separators), when it ends, touching only that token:
 *   - `!` and `|` at either end of a token are punctuation (`wow!`, `|quote`), inside it letters.
 *   - Single-letter tokens in a row are joined into one group (`b a d`, `b-a-d`, `b.a.d` → `bad`;
 *     `시 발` → `시발`). A token of two or more letters is not joined to its neighbour, so
 *     `a banana` and `a bad day` keep their spaces; except that a Hangul token goes on from single
 *     syllables before it (`바 보네` → `바보네`, a particle on the last syllable).
 * - Per group, when it ends:
 *   - Leetspeak: in a word (a group with a letter, `@`, or `!`/`|` inside), digits and `@ $ ! |`
 *     read as letters (`b4d`, `8@d`, `5h1t`). A group of only digits (and `$`) is a number and
 *     stays digits, so `404` matches the rule `404`, and `1337` or `808` do not read as words.
 *   - Korean: up to three non-Hangul units between two Hangul units of a word are dropped
 *     (`시1발`, `바xyz보`, and `시 1 발` once joined → `시발`), and so are up to three standalone
 *     jamo between two syllables (`바ㅋ보`). A syllable in between stays: `바다 보` is no `바보`.
 *
 * The alternate reading (a normaliser made with `alternate`; the matcher asks for it only when
 * `wantsAlternate` says the text needs it) differs in two ways, both inside a token:
 * - A masking symbol (class MASK in characterTable.ts: `*`, `#`, `(`, `€`, an emoji, …) right after
 *   a letter and followed by one becomes {@link MASKED_LETTER} instead of a separator: `b*tch` is
 *   one word with a letter hidden. A mask at either end of a token is punctuation, as `!` is.
 * - A token of single units separated by single symbols, masks or `!`/`|`, at least two of them
 *   (`d|u|m|b`, `i!d!i!o!t`, `b*a*d`), loses the symbols: there they separate letters. With one
 *   symbol (`sh!t`, `b*d`) it stays a leet letter or a mask.
 * The reading as stored keeps masks as separators, so `rock*roll` is still two words there: a
 * symbol between letters is ambiguous, and a hit in either reading counts.
 *
 * Repeated letters (`baaaad`) stay in the normalised text, so spans are exact and regex rules see
 * them; the automaton reads a run as one letter (automaton.ts).
 *
 * Every normalised unit keeps the UTF-16 offsets of the original characters it came from
 * (`originStart`, `originEnd`), so a span of normalised text maps back to exactly what was typed.
 */
import {
  AMBIGUOUS_IL,
  AT,
  DIGIT,
  DOLLAR,
  ENTRY_INNER,
  ENTRY_INVISIBLE,
  ENTRY_JAMO,
  ENTRY_MARK,
  ENTRY_MULTI,
  ENTRY_SEPARATOR,
  ENTRY_SINGLE,
  HANGUL,
  INNER,
  LEET_LETTERS,
  LETTER,
  MASK,
  SEPARATOR,
  foldTable,
  type FoldTable,
} from './characterTable';

/** Outcomes of `composeJamo`. */
const JAMO_SEPARATE = 0;
/** Merged into the unit before: nothing new was written. */
const JAMO_COMPOSED = 1;
/** A consonant moved from the syllable before to a new one, written at the current position. */
const JAMO_MOVED = 2;

/** The unit a run of separators becomes. */
export const SPACE = 0x20;

/**
 * The unit a masking symbol becomes in the alternate reading (`b*tch` → `b`, this, `tch`). Below
 * 0x40, so runs of it never collapse (automaton.ts): `b**tch` is two masked letters, not one.
 * A control character, which the fold table never produces (they are invisible); `text()` shows
 * it as `*`.
 */
export const MASKED_LETTER = 0x01;

/** `!` and `|` before leet folding: letters inside a word, separators when they alternate. */
const EXCLAMATION = 0x21;
const VERTICAL_BAR = 0x7c;

/**
 * At most this many units between two Hangul units of a word are dropped: anything but Hangul
 * between two Hangul units, and standalone jamo too between two syllables (`바xyz보`, `바ㅋ보`).
 */
const MAX_HANGUL_GAP = 3;

const HANGUL_FIRST = 0xac00;
const HANGUL_LAST = 0xd7a3;
/**
 * Syllables of the silent initial ㅇ: a vowel alone (아 … 이), without a final every 28th; a
 * syllable is one when it is less than VOWEL_ALONE_SPAN above VOWEL_ALONE_FIRST.
 */
const VOWEL_ALONE_FIRST = 0xc544;
const VOWEL_ALONE_SPAN = 21 * 28;
const VOWEL_ALONE_LAST = VOWEL_ALONE_FIRST + 20 * 28;
const LEADING_FIRST = 0x1100;
const LEADING_LAST = 0x1112;
const VOWEL_FIRST = 0x1161;
const VOWEL_LAST = 0x1175;
const TRAILING_FIRST = 0x11a8;
const TRAILING_LAST = 0x11c2;

/**
 * The final-consonant index (1–27) a leading consonant stands for when it closes a syllable, or 0
 * for the doubled ones that cannot end a syllable (ᄄ ᄈ ᄍ). Compatibility jamo typed one by one
 * (`ㄷㅗㅂㅏㄱ`) become leading consonants under NFKC, so a consonant that ends a word has to be
 * read as a final here, the way a Korean input method reads it.
 */
const TRAILING_OF_LEADING = [1, 2, 4, 7, 0, 8, 16, 17, 0, 19, 20, 21, 22, 0, 23, 24, 25, 26, 27];

/** What a digit or symbol reads as inside a word, by ASCII code (0: stays as it is). */
const LEET_BY_CODE = new Uint16Array(0x80);
for (const [symbol, letter] of Object.entries(LEET_LETTERS)) {
  LEET_BY_CODE[symbol.charCodeAt(0)] = letter;
}

const INNER_BIT = 1 << INNER;
const HANGUL_BIT = 1 << HANGUL;
/** A group with any of these is a word; without, it is a number. */
const WORD_BITS = (1 << LETTER) | HANGUL_BIT | (1 << AT) | INNER_BIT;
const LEET_BITS = (1 << DIGIT) | (1 << DOLLAR) | (1 << AT) | INNER_BIT;
const NOT_HANGUL_BITS = (1 << LETTER) | (1 << DIGIT) | (1 << DOLLAR) | (1 << AT) | INNER_BIT;
/** Beside the classes: a jamo that stands alone (`ㅋ`), not composed into a syllable. */
const JAMO_BIT = 1 << 7;
/** Beside the classes: a token with a vowel alone (아 … 이), which may draw a syllable out. */
const VOWEL_ALONE_BIT = 1 << 8;

/**
 * Reusable buffers for normalising one text at a time. `run` overwrites them; read the first
 * `length` entries of `units`, `originStart` and `originEnd` before the next call.
 */
export class Normalizer {
  units = new Uint16Array(0);
  originStart = new Int32Array(0);
  originEnd = new Int32Array(0);
  length = 0;
  /** UTF-16 units of the last text that were read: all of them, unless `run` had a limit. */
  read = 0;
  /**
   * Whether the last text deserves the alternate reading (a normaliser made with `alternate`): a
   * masking symbol right after a letter, or `!`/`|` alternating with single letters.
   */
  wantsAlternate = false;
  /** Whether the last text has a bidirectional embedding, override or isolate control. */
  hasBidiControls = false;
  // The group being built: where it starts (-1: none yet), its classes, and whether its last
  // token was a single unit (so that a following single unit joins it).
  private groupStart = -1;
  private groupClasses = 0;
  private previousSingle = false;
  /**
   * The last syllable a leading consonant closed, to reopen if a vowel comes next: its position,
   * its value, the consonant, where the consonant started, and where the syllable ended before.
   */
  private movableAt = -1;
  private movableSyllable = 0;
  private movableLeading = 0;
  private movableStart = 0;
  private movableEnd = 0;
  /** The last syllable composed from jamo typed one by one (-1: none). */
  private composedAt = -1;
  private readonly table: FoldTable;
  private readonly alternate: boolean;

  /**
   * `alternate`: read masking symbols between letters as masked letters, and symbols that
   * alternate with single letters as separators (see the module comment).
   */
  constructor(table: FoldTable = foldTable(), alternate = false) {
    this.table = table;
    this.alternate = alternate;
    this.reserve(256);
  }

  /** The normalised text of the last `run`, as regex rules and the rule editor see it. */
  text(): string {
    let result = '';
    for (let start = 0; start < this.length; start += 8192) {
      const end = Math.min(this.length, start + 8192);
      result += String.fromCharCode(...this.units.subarray(start, end));
    }
    // An "i or l" unit, from leetspeak or a look-alike (`Ι`), shows as `1`.
    const ambiguous = String.fromCharCode(AMBIGUOUS_IL);
    if (result.includes(ambiguous)) result = result.replaceAll(ambiguous, '1');
    return this.alternate ? result.replaceAll(String.fromCharCode(MASKED_LETTER), '*') : result;
  }

  /**
   * Normalises `text` into the buffers: all of it, or only its start when it is longer than
   * `limit` units or normalises to more than `limit` units (`read` says how much was read). A fold
   * of one unit never writes more units than it read, so only expansions (`ß`, `ﬁ`, `ﷺ`) check
   * the capacity, for themselves and the rest.
   */
  run(text: string, limit = Number.POSITIVE_INFINITY): void {
    let length = Math.min(text.length, limit);
    // Never between the two halves of a surrogate pair.
    if (length < text.length && isHighSurrogate(text.charCodeAt(length - 1))) length -= 1;
    this.reserve(length + 2);
    const table = this.table;
    const bmp = table.bmp;
    let units = this.units;
    let starts = this.originStart;
    let ends = this.originEnd;
    this.wantsAlternate = false;
    this.hasBidiControls = false;
    this.groupStart = -1;
    this.groupClasses = 0;
    this.previousSingle = false;
    this.movableAt = -1;
    this.composedAt = -1;
    let written = 0;
    let tokenStart = 0;
    let tokenClasses = 0;
    // `!` and `|` written at the end of the token so far: letters if the token goes on.
    let pendingInner = 0;
    let index = 0;
    while (index < length && written < limit) {
      const code = text.charCodeAt(index);
      let next = index + 1;
      let value: number;
      if (code < 0x80) {
        // ASCII entries are filled when the table is made.
        value = bmp[code]!;
      } else if (code >= HANGUL_FIRST && code <= HANGUL_LAST) {
        // Precomposed syllables are most of Korean text and fold to themselves.
        units[written] = code;
        starts[written] = index;
        ends[written] = next;
        written += 1;
        tokenClasses |= pendingInner === 0 ? HANGUL_BIT : HANGUL_BIT | INNER_BIT;
        if ((code - VOWEL_ALONE_FIRST) >>> 0 < VOWEL_ALONE_SPAN) tokenClasses |= VOWEL_ALONE_BIT;
        pendingInner = 0;
        index = next;
        continue;
      } else if (code >= 0xd800 && code <= 0xdbff && next < length) {
        const low = text.charCodeAt(next);
        if (low >= 0xdc00 && low <= 0xdfff) {
          next += 1;
          value = table.lookup(((code - 0xd800) << 10) + (low - 0xdc00) + 0x10000);
        } else value = table.lookup(code);
      } else {
        value = bmp[code]!;
        if (value === 0) value = table.lookup(code);
      }
      const kind = value >>> 24;
      if (kind === ENTRY_SINGLE) {
        // Entry layout (characterTable.ts): kind, class in bits 20–23, unit in bits 0–15.
        const charClass = (value >>> 20) & 0xf;
        units[written] = value & 0xffff;
        starts[written] = index;
        ends[written] = next;
        written += 1;
        tokenClasses |= 1 << charClass;
        if (pendingInner !== 0) {
          tokenClasses |= INNER_BIT;
          pendingInner = 0;
        }
      } else if (kind === ENTRY_SEPARATOR) {
        if (written > tokenStart) {
          if (((value >>> 20) & 0xf) === MASK) {
            if (this.alternate) {
              units[written] = MASKED_LETTER;
              starts[written] = index;
              ends[written] = next;
              written += 1;
              index = next;
              continue;
            }
            if (next < length && this.letterFollows(text, next)) this.wantsAlternate = true;
          }
          written = this.endToken(written, tokenStart, tokenClasses, pendingInner);
          tokenStart = written;
          tokenClasses = 0;
          pendingInner = 0;
        }
      } else if (kind === ENTRY_INNER) {
        if (written > tokenStart) {
          units[written] = value & 0xffff;
          starts[written] = index;
          ends[written] = next;
          written += 1;
          pendingInner += 1;
        }
      } else if (kind === ENTRY_JAMO) {
        const composed = this.composeJamo(value & 0xffff, written, index, next);
        if (composed === JAMO_MOVED) {
          written += 1;
          tokenClasses |= HANGUL_BIT;
        } else if (composed === JAMO_SEPARATE) {
          units[written] = value & 0xffff;
          starts[written] = index;
          ends[written] = next;
          written += 1;
          tokenClasses |= HANGUL_BIT | JAMO_BIT;
          if (pendingInner !== 0) {
            tokenClasses |= INNER_BIT;
            pendingInner = 0;
          }
        }
      } else if (kind === ENTRY_MULTI) {
        const multi = value & 0xfffff;
        const first = table.multiStart[multi]!;
        const count = table.multiLength[multi]!;
        // Room for this expansion, one unit for each character still to read, and the two
        // spaces `endToken` may add.
        const needed = written + count + (length - next) + 2;
        if (needed > units.length) {
          this.reserve(needed);
          units = this.units;
          starts = this.originStart;
          ends = this.originEnd;
        }
        for (let offset = first; offset < first + count; offset += 1) {
          const charClass = table.multiClasses[offset]!;
          if (charClass === SEPARATOR) {
            if (written > tokenStart) {
              written = this.endToken(written, tokenStart, tokenClasses, pendingInner);
              tokenStart = written;
              tokenClasses = 0;
              pendingInner = 0;
            }
            continue;
          }
          const unit = table.multiUnits[offset]!;
          if (charClass === HANGUL) {
            const composed = this.composeJamo(unit, written, index, next);
            if (composed === JAMO_COMPOSED) continue;
            if (composed === JAMO_MOVED) {
              written += 1;
              tokenClasses |= HANGUL_BIT;
              pendingInner = 0;
              continue;
            }
          }
          if (charClass === INNER && written === tokenStart) continue;
          units[written] = unit;
          starts[written] = index;
          ends[written] = next;
          written += 1;
          if (charClass === INNER) pendingInner += 1;
          else {
            tokenClasses |= pendingInner === 0 ? 1 << charClass : (1 << charClass) | INNER_BIT;
            pendingInner = 0;
          }
        }
      } else if (kind === ENTRY_MARK) {
        // A combining mark belongs to the letter it follows: highlight them together.
        if (written > tokenStart && ends[written - 1] === index) ends[written - 1] = next;
      } else if (code >= 0x202a && (code <= 0x202e || (code >= 0x2066 && code <= 0x2069))) {
        this.hasBidiControls = true;
      }
      // Otherwise invisible: dropped, and the word goes on around it.
      index = next;
    }
    if (written > tokenStart) {
      written = this.endToken(written, tokenStart, tokenClasses, pendingInner);
    }
    // endToken leaves a space after every token; the last one has nothing to separate.
    if (written > 0 && units[written - 1] === SPACE) written -= 1;
    if (this.groupStart >= 0 && needsFinishing(this.groupClasses)) {
      written = this.finishGroup(this.groupStart, written);
    }
    this.read = index;
    if (written > limit) {
      // The last character expanded past the limit: it is not read whole, so reading stops where
      // it starts. A space `endToken` put inside its expansion starts where the character ends,
      // hence the smallest start of what is cut rather than the start of the first unit cut.
      let read = index;
      for (let unit = limit; unit < written; unit += 1) {
        read = Math.min(read, this.originStart[unit]!);
      }
      this.read = read;
      written = limit;
      if (this.units[written - 1] === SPACE) written -= 1;
    }
    this.length = written;
  }

  /**
   * Whether a letter, digit or leet symbol comes at `index`, past any marks and invisible
   * characters (`id😡ot`, `id👍🏽ot`): only then may a masking symbol before it stand for a letter.
   */
  private letterFollows(text: string, index: number): boolean {
    for (let at = index; at < text.length;) {
      const code = text.codePointAt(at)!;
      const kind = this.table.lookup(code) >>> 24;
      if (kind !== ENTRY_MARK && kind !== ENTRY_INVISIBLE) {
        return kind !== ENTRY_SEPARATOR;
      }
      at += code > 0xffff ? 2 : 1;
    }
    return false;
  }

  private reserve(capacity: number): void {
    if (capacity <= this.units.length) return;
    const size = Math.max(capacity, this.units.length * 2);
    const units = new Uint16Array(size);
    units.set(this.units);
    this.units = units;
    const starts = new Int32Array(size);
    starts.set(this.originStart);
    this.originStart = starts;
    const ends = new Int32Array(size);
    ends.set(this.originEnd);
    this.originEnd = ends;
  }

  /**
   * Composes a conjoining jamo with the unit before it, as NFC would: a vowel after a leading
   * consonant makes a syllable, a trailing consonant after an open syllable closes it. Beyond NFC,
   * a leading consonant after an open syllable closes it too, and when a vowel follows, the
   * consonant moves on to start the next syllable (`ㄷㅗㅂㅏㄱ` reads `도박`, `ㄱㅏㄴㅏ` reads `가나`).
   */
  private composeJamo(unit: number, written: number, start: number, end: number): number {
    if (written === 0) return JAMO_SEPARATE;
    const units = this.units;
    const previous = units[written - 1]!;
    if (unit >= VOWEL_FIRST && unit <= VOWEL_LAST) {
      if (previous >= LEADING_FIRST && previous <= LEADING_LAST) {
        units[written - 1] =
          HANGUL_FIRST + ((previous - LEADING_FIRST) * 21 + (unit - VOWEL_FIRST)) * 28;
        this.originEnd[written - 1] = end;
        this.composedAt = written - 1;
        return JAMO_COMPOSED;
      }
      if (this.movableAt !== written - 1 || previous !== this.movableSyllable) return JAMO_SEPARATE;
      // The consonant that closed the syllable before starts this one instead.
      const reopened = previous - ((previous - HANGUL_FIRST) % 28);
      units[written - 1] = reopened;
      this.originEnd[written - 1] = this.movableEnd;
      units[written] =
        HANGUL_FIRST + ((this.movableLeading - LEADING_FIRST) * 21 + (unit - VOWEL_FIRST)) * 28;
      this.originStart[written] = this.movableStart;
      this.originEnd[written] = end;
      this.movableAt = -1;
      this.composedAt = written;
      return JAMO_MOVED;
    }
    const open =
      previous >= HANGUL_FIRST && previous <= HANGUL_LAST && (previous - HANGUL_FIRST) % 28 === 0;
    if (unit >= TRAILING_FIRST && unit <= TRAILING_LAST) {
      if (!open) return JAMO_SEPARATE;
      units[written - 1] = previous + (unit - TRAILING_FIRST + 1);
      this.originEnd[written - 1] = end;
      return JAMO_COMPOSED;
    }
    // Only a syllable typed jamo by jamo is still being typed: after one typed whole, a consonant
    // is what it looks like (`바보ㅋㅋ` is 바보 and laughter, not 바봌ㅋ).
    if (unit >= LEADING_FIRST && unit <= LEADING_LAST && open && this.composedAt === written - 1) {
      const trailing = TRAILING_OF_LEADING[unit - LEADING_FIRST]!;
      if (trailing === 0) return JAMO_SEPARATE;
      this.movableAt = written - 1;
      this.movableSyllable = previous + trailing;
      this.movableLeading = unit;
      this.movableStart = start;
      this.movableEnd = this.originEnd[written - 1]!;
      units[written - 1] = this.movableSyllable;
      this.originEnd[written - 1] = end;
      return JAMO_COMPOSED;
    }
    return JAMO_SEPARATE;
  }

  /**
   * A vowel alone (아 … 이) that repeats the vowel of the open syllable before it draws that one
   * out (`바아아보`, `꺼어어져`): it becomes part of it. Applied to the token `[start, end)`, which
   * has a vowel alone (VOWEL_ALONE_BIT); returns the token's new end.
   */
  private drawOutVowels(start: number, end: number): number {
    const units = this.units;
    const starts = this.originStart;
    const ends = this.originEnd;
    // Most tokens with a vowel alone draw nothing out (아니, 이거): find the first that does.
    let first = start + 1;
    while (first < end && !drawsOut(units[first - 1]!, units[first]!)) first += 1;
    if (first === end) return end;
    let written = first;
    for (let index = first; index < end; index += 1) {
      const unit = units[index]!;
      if (drawsOut(units[written - 1]!, unit)) {
        ends[written - 1] = ends[index]!;
        continue;
      }
      units[written] = unit;
      starts[written] = starts[index]!;
      ends[written] = ends[index]!;
      written += 1;
    }
    return written;
  }

  /**
   * Syllables typed apart with a particle or an ending on the last one (`바 보네`, `사_기_꾼네`):
   * the word goes on into the token `[start, end)`, which takes the place of the space before it.
   * Returns the token's new end.
   */
  private continueWord(start: number, end: number): number {
    const units = this.units;
    const starts = this.originStart;
    const ends = this.originEnd;
    // A loop rather than copyWithin: tokens are a few units, and the calls cost more than that.
    for (let index = start; index < end; index += 1) {
      units[index - 1] = units[index]!;
      starts[index - 1] = starts[index]!;
      ends[index - 1] = ends[index]!;
    }
    return end - 1;
  }

  /**
   * A token `[tokenStart, written)` has ended. Drops its trailing `!`/`|`, joins it to the group
   * before when both are single units, or else finishes that group and starts a new one. Returns
   * the new end of the buffer, with a space written after the token.
   */
  private endToken(
    written: number,
    tokenStart: number,
    classes: number,
    pendingInner: number,
  ): number {
    const units = this.units;
    const starts = this.originStart;
    const ends = this.originEnd;
    let end = written - pendingInner;
    let start = tokenStart;
    if (this.alternate) end = this.alternateTokenEnd(start, written);
    else if ((classes & INNER_BIT) !== 0) this.noteAlternation(start, end);
    if (end === start) return start;
    let tokenClasses = classes;
    if ((tokenClasses & VOWEL_ALONE_BIT) !== 0) {
      end = this.drawOutVowels(start, end);
      tokenClasses ^= VOWEL_ALONE_BIT;
    }
    const single = end - start === 1;
    if (single && this.previousSingle && this.groupStart >= 0) {
      // Join: the unit takes the place of the space before it.
      units[start - 1] = units[start]!;
      starts[start - 1] = starts[start]!;
      ends[start - 1] = ends[start]!;
      end = start;
      this.groupClasses |= tokenClasses;
    } else if (
      this.previousSingle &&
      this.groupStart >= 0 &&
      tokenClasses === HANGUL_BIT &&
      this.groupClasses === HANGUL_BIT
    ) {
      end = this.continueWord(start, end);
    } else {
      if (this.groupStart >= 0) {
        const space = start - 1;
        const groupEnd = needsFinishing(this.groupClasses)
          ? this.finishGroup(this.groupStart, space)
          : space;
        if (groupEnd < space) {
          // The finished group got shorter: move the space and this token up to it.
          const shift = space - groupEnd;
          units.copyWithin(groupEnd, space, end);
          starts.copyWithin(groupEnd, space, end);
          ends.copyWithin(groupEnd, space, end);
          start -= shift;
          end -= shift;
        }
        // The space covers exactly the gap between the two groups in the original text.
        starts[start - 1] = ends[start - 2]!;
        ends[start - 1] = starts[start]!;
      }
      this.groupStart = start;
      this.groupClasses = tokenClasses;
    }
    this.previousSingle = single;
    units[end] = SPACE;
    return end + 1;
  }

  /**
   * In the alternate reading: drops the token's trailing symbols, masks included (they do not
   * count in `pendingInner`), and the symbols of a token where they alternate with single letters
   * (`d|u|m|b`, `i!d!i!o!t`). Returns the token's new end. Kept out of `endToken`, which runs for
   * every token of every message and costs about a tenth of the matcher's rate when it grows.
   */
  private alternateTokenEnd(start: number, written: number): number {
    const units = this.units;
    const starts = this.originStart;
    const ends = this.originEnd;
    let end = written;
    while (end > start && isSymbolUnit(units[end - 1]!)) end -= 1;
    if (!alternates(units, start, end)) return end;
    let kept = start;
    for (let index = start; index < end; index += 2) {
      units[kept] = units[index]!;
      starts[kept] = starts[index]!;
      ends[kept] = ends[index]!;
      kept += 1;
    }
    return kept;
  }

  /** In the text as stored: a token whose `!`/`|` alternate with single letters wants the other. */
  private noteAlternation(start: number, end: number): void {
    if (alternates(this.units, start, end)) this.wantsAlternate = true;
  }

  /**
   * Leet folding and Korean gap removal for the group `[start, end)`; returns its new end. The
   * class of a unit follows from its value here: leet symbols are ASCII non-letters, and Hangul
   * has its own ranges.
   */
  private finishGroup(start: number, end: number): number {
    const groupClasses = this.groupClasses;
    const units = this.units;
    if (readsAsLeet(groupClasses)) {
      for (let index = start; index < end; index += 1) {
        const unit = units[index]!;
        const letter = unit < 0x80 ? LEET_BY_CODE[unit]! : 0;
        if (letter === 0) continue;
        units[index] = letter;
      }
    }
    if (!hasKoreanGaps(groupClasses)) return end;
    const starts = this.originStart;
    const ends = this.originEnd;
    let written = start;
    let lastHangul = -1;
    let lastSyllable = -1;
    for (let index = start; index < end; index += 1) {
      const unit = units[index]!;
      if (isHangulUnit(unit)) {
        const syllable = unit >= HANGUL_FIRST && unit <= HANGUL_LAST;
        const jamoGap = written - lastSyllable - 1;
        const gap = written - lastHangul - 1;
        if (syllable && lastSyllable >= 0 && jamoGap >= 1 && jamoGap <= MAX_HANGUL_GAP) {
          written = lastSyllable + 1;
        } else if (lastHangul >= 0 && gap >= 1 && gap <= MAX_HANGUL_GAP) {
          written = lastHangul + 1;
        }
        lastHangul = written;
        if (syllable) lastSyllable = written;
      }
      units[written] = unit;
      starts[written] = starts[index]!;
      ends[written] = ends[index]!;
      written += 1;
    }
    return written;
  }
}

/** A masked letter, `!` or `|`: what may alternate with single letters. */
function isSymbolUnit(unit: number): boolean {
  return unit === MASKED_LETTER || unit === EXCLAMATION || unit === VERTICAL_BAR;
}

/**
 * Whether the token `[start, end)` is single units separated by single symbols, at least two of
 * them (`d|u|m|b`, `b*a*d`). One symbol (`h!t`, `b*d`) stays a letter or a mask.
 */
function alternates(units: Uint16Array, start: number, end: number): boolean {
  const length = end - start;
  if (length < 5 || length % 2 === 0) return false;
  for (let offset = 0; offset < length; offset += 1) {
    if (isSymbolUnit(units[start + offset]!) !== (offset % 2 === 1)) return false;
  }
  return true;
}

/** A word (not a number) with digits or symbols in it: those read as letters. */
function readsAsLeet(groupClasses: number): boolean {
  return (groupClasses & WORD_BITS) !== 0 && (groupClasses & LEET_BITS) !== 0;
}

/** Hangul mixed with something else, which may sit between two syllables. */
function hasKoreanGaps(groupClasses: number): boolean {
  return (groupClasses & HANGUL_BIT) !== 0 && (groupClasses & (NOT_HANGUL_BITS | JAMO_BIT)) !== 0;
}

/** Whether `finishGroup` has anything to do for a group of these classes. */
function needsFinishing(groupClasses: number): boolean {
  return readsAsLeet(groupClasses) || hasKoreanGaps(groupClasses);
}

/** Whether `unit` is a vowel alone (아 … 이) with the vowel of `previous`, an open syllable. */
function drawsOut(previous: number, unit: number): boolean {
  // The same vowel and final as the vowel alone, which has none.
  return (
    unit >= VOWEL_ALONE_FIRST &&
    unit <= VOWEL_ALONE_LAST &&
    previous >= HANGUL_FIRST &&
    previous <= HANGUL_LAST &&
    (unit - previous) % 588 === 0
  );
}

/** Whether a normalised unit is Hangul (a syllable or a jamo of any block). */
function isHangulUnit(unit: number): boolean {
  return (
    (unit >= HANGUL_FIRST && unit <= HANGUL_LAST) ||
    (unit >= 0x1100 && unit <= 0x11ff) ||
    (unit >= 0xa960 && unit <= 0xa97f) ||
    (unit >= 0xd7b0 && unit <= 0xd7ff)
  );
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
