/**
 * The fingerprint of a message's text: a normalised skeleton, its 3-character shingles, and a
 * 64-slot MinHash signature of them, so that "nearly the same text" is one comparison of 64 numbers
 * rather than an edit distance or a common-substring matrix.
 *
 * 1. Skeleton. The word filter's normaliser (NFKC, case folding, accents and invisible characters
 *    dropped, look-alike letters and leetspeak folded; wordfilter/normalize.ts), then every
 *    separator (spaces, punctuation, emoji) dropped, `i`, `l` and `1` read as one letter, and a run
 *    of one unit read as one unit (`HEYYY!!! 😀` → `hey`, `dai1y` → `daiiy` → `daiy`). A text
 *    with nothing left (only emoji or punctuation) keeps its non-space code points instead, so one
 *    emoji repeated is still the same emoji. At most {@link MAX_SKELETON_UNITS} units are read. A
 *    text of letters of one kind and separators (most chat) is read straight from the fold table,
 *    to the same skeleton, without the normaliser's offsets and token rules.
 * 2. Shingles: every 3 consecutive units, hashed to 32 bits (a skeleton of 1 or 2 units is one
 *    shingle). A random prefix or suffix adds a few shingles and leaves the rest, wherever the
 *    common text starts; a changed character changes the 3 shingles that contain it.
 * 3. One-permutation MinHash (Li, Owen, Zhang 2012), each shingle entered under two hashes (the
 *    doubled set has the same Jaccard similarity and leaves fewer slots empty): the top 6 bits of
 *    a hash pick one of 64 slots and each slot keeps its smallest hash; an empty slot borrows from
 *    the next filled slot to its right, shifted by the distance (densification by rotation,
 *    Shrivastava and Li 2014; the fixed probe sequence of optimal densification, Shrivastava 2017,
 *    took half of the fingerprint's time on chat-length texts). One pass over the shingles, not
 *    one per slot. Slots keep the low 16 bits of their minimum (b-bit MinHash, Li and König
 *    2010): two different minimums agree by chance once in 65,536.
 * 4. Similarity is the share of equal slots, an estimate of the Jaccard similarity of the two
 *    shingle sets (standard error ≈ 0.06 at 0.5). Detectors that only need to know whether it
 *    reaches a threshold compare two slots a word and stop once too many differ
 *    ({@link similarityAtLeast}).
 * 5. LSH: slots in 32 bands of 2; two texts of similarity s share a band with probability
 *    1 − (1 − s²)³² (0.99 at s = 0.4, 0.27 at s = 0.1), so a room's recent messages are found
 *    through their band keys, and only those few candidates are compared (raids.ts compares
 *    those that share two bands, 0.97 at s = 0.4 and 0.04 at s = 0.1, or one and are in a
 *    cluster already).
 *
 * Cost per message: O(length) to normalise and hash, O(64) for the signature, O(32) band keys.
 */
import {
  AMBIGUOUS_IL,
  ENTRY_INVISIBLE,
  ENTRY_MARK,
  ENTRY_SEPARATOR,
  ENTRY_SINGLE,
  LETTER,
  foldTable,
  type FoldTable,
} from '../wordfilter/characterTable';
import { Normalizer, SPACE } from '../wordfilter/normalize';
import { TextUnits } from './units';

const LOWER_I = 0x69;
const LOWER_L = 0x6c;
const HANGUL_FIRST = 0xac00;
const HANGUL_LAST = 0xd7a3;
/** What {@link Fingerprinter} has read of a text on its shortcut: letters, Hangul syllables. */
const SAW_LETTER = 1;
const SAW_HANGUL = 2;

/** Slots of a signature. */
export const SIGNATURE_SLOTS = 64;
/** Bands of the LSH index, of {@link ROWS_PER_BAND} slots each. */
export const BANDS = 32;
const ROWS_PER_BAND = SIGNATURE_SLOTS / BANDS;
/**
 * Skeleton units read per message: spam that matters repeats within its first few hundred
 * characters, and chat services cap messages near here (Twitch 500).
 */
export const MAX_SKELETON_UNITS = 512;
/** UTF-16 units of a text read at most (the word filter's own cap is 4,096). */
const MAX_TEXT_UNITS = 2048;

/** What the detectors compare of a text. */
export interface Fingerprint {
  /** Units in the skeleton (0: the text had nothing to compare). */
  length: number;
  /** Distinct shingles: how much information the text carries (`hahahaha` has 3). */
  distinctShingles: number;
  /** A hash of the whole skeleton, for "exactly the same" after normalising. */
  exact: number;
  /**
   * Whether `signature` and `words` are this text's: false when it has fewer distinct shingles
   * than the caller asked a signature for (see {@link Fingerprinter.fingerprintInto}), and then
   * they hold an earlier text's slots.
   */
  signed: boolean;
  /** The MinHash slots. */
  signature: Uint16Array;
  /** The same slots two at a time (a view of `signature`), for {@link similarityAtLeast}. */
  words: Uint32Array;
}

/** A fingerprint to be written, with a signature of its own. */
export function emptyFingerprint(): Fingerprint {
  const signature = new Uint16Array(SIGNATURE_SLOTS);
  return {
    length: 0,
    distinctShingles: 0,
    exact: 0,
    signed: true,
    signature,
    words: new Uint32Array(signature.buffer),
  };
}

/** 32-bit words of a signature. */
export const SIGNATURE_WORDS = SIGNATURE_SLOTS / 2;

/** The estimated similarity (0–1) of two signatures: the share of equal slots. */
export function similarity(a: Uint16Array, aOffset: number, b: Uint16Array, bOffset = 0): number {
  let equal = 0;
  for (let slot = 0; slot < SIGNATURE_SLOTS; slot += 1) {
    if (a[aOffset + slot] === b[bOffset + slot]) equal += 1;
  }
  return equal / SIGNATURE_SLOTS;
}

/**
 * The similarity of two signatures when it is at least `threshold`, or -1: it stops once too many
 * slots differ for the threshold to be reached (unrelated texts after about 40 of the 64 slots).
 */
export function similarityAtLeast(
  a: Uint32Array,
  aWord: number,
  b: Uint32Array,
  bWord: number,
  threshold: number,
): number {
  // Slots that may differ: the most for which (64 − differ) / 64 ≥ threshold, as `similarity`
  // compares. Both sides times 64 are exact, so that is 64 − differ ≥ 64 × threshold; the
  // subtraction below may round, hence one step of correction either way.
  const scaled = SIGNATURE_SLOTS * threshold;
  let allowed = Math.min(SIGNATURE_SLOTS, Math.floor(SIGNATURE_SLOTS - scaled));
  if (allowed >= 0 && SIGNATURE_SLOTS - allowed < scaled) allowed -= 1;
  else if (allowed < SIGNATURE_SLOTS && SIGNATURE_SLOTS - allowed - 1 >= scaled) allowed += 1;
  if (allowed < 0) return -1;
  let differ = 0;
  // Two slots a word, four words a step (the threshold is checked once a step: the count only
  // grows, so stopping a little later changes no answer).
  for (let word = 0; word < SIGNATURE_WORDS; word += 4) {
    differ +=
      differingHalves(a[aWord + word]! ^ b[bWord + word]!) +
      differingHalves(a[aWord + word + 1]! ^ b[bWord + word + 1]!) +
      differingHalves(a[aWord + word + 2]! ^ b[bWord + word + 2]!) +
      differingHalves(a[aWord + word + 3]! ^ b[bWord + word + 3]!);
    if (differ > allowed) return -1;
  }
  return (SIGNATURE_SLOTS - differ) / SIGNATURE_SLOTS;
}

/** How many 16-bit halves of `both` (two slots compared by exclusive or) are not 0, without a branch. */
function differingHalves(both: number): number {
  return (((both & 0xffff) + 0xffff) >>> 16) + (((both >>> 16) + 0xffff) >>> 16);
}

/** The key of one band of a signature, a 32-bit integer that names the band too. */
export function bandKey(signature: Uint16Array, band: number): number {
  const first = band * ROWS_PER_BAND;
  const value = signature[first]! | (signature[first + 1]! << 16);
  return finalize(Math.imul(value ^ BAND_SEEDS[band]!, 0xcc9e2d51));
}

/** What each band's key mixes in (MurmurHash3's seed term for seed `band + 1`), computed once. */
const BAND_SEEDS = Int32Array.from({ length: BANDS }, (_, band) => Math.imul(band + 1, 0x9e3779b9));

/** The seed term of a shingle's hash (seed 3, as {@link BAND_SEEDS} are for bands), computed once. */
const SHINGLE_SEED = Math.imul(3, 0x9e3779b9);

/** What the second hash of a shingle mixes in. */
const SECOND_SEED = 0x5bd1e995;

/** MurmurHash3's finalizer. */
function finalize(value: number): number {
  let hash = value;
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash | 0;
}

/** An empty MinHash slot. */
const EMPTY = 0x7fffffff;
/** What each step of rotation adds to a borrowed minimum (an odd constant, as in the paper's C). */
const ROTATION = 0x9e37;

const WHITESPACE = /\s/u;

/** Whitespace, or a joiner or variation selector that only shapes the emoji around it. */
function isSpaceOrJoiner(codePoint: number, character: string): boolean {
  return (
    codePoint === 0x200d ||
    codePoint === 0xfe0e ||
    codePoint === 0xfe0f ||
    WHITESPACE.test(character)
  );
}

/**
 * Computes fingerprints, reusing its buffers. Not safe to call from inside its own call; each
 * automod instance owns one.
 */
export class Fingerprinter {
  private readonly normalizer = new Normalizer();
  private readonly table: FoldTable = foldTable();
  private readonly shortcut: boolean;
  private readonly plainAscii = new Int32Array(0x80);
  /** The units of texts given without theirs. */
  private readonly ownUnits = new TextUnits();
  private readonly skeleton = new Int32Array(MAX_SKELETON_UNITS);
  private readonly minimums = new Int32Array(SIGNATURE_SLOTS);
  // Distinct shingles of the current text: an open-addressing set of hashes, twice the most a text
  // has, whose slots count as empty unless stamped with the current text's number.
  private readonly seenHashes = new Int32Array(MAX_SKELETON_UNITS * 2);
  private readonly seenStamps = new Int32Array(MAX_SKELETON_UNITS * 2);
  private stamp = 0;
  /** The current text's distinct shingles, in the order they came. */
  private readonly shingles = new Int32Array(MAX_SKELETON_UNITS);

  /**
   * `shortcut: false` sends every text through the word filter's normaliser, for tests that
   * compare the two ways of building a skeleton.
   */
  constructor(options: { shortcut?: boolean } = {}) {
    this.shortcut = options.shortcut ?? true;
    // What `plainSkeleton` makes of each ASCII character, from the same fold table entries: the
    // letter (`l` as `i`), 0 for one it drops, -1 for one it leaves to the normaliser.
    for (let code = 0; code < 0x80; code += 1) {
      const entry = this.table.bmp[code]!;
      const kind = entry >>> 24;
      let unit = -1;
      if (kind === ENTRY_SEPARATOR || kind === ENTRY_INVISIBLE || kind === ENTRY_MARK) unit = 0;
      else if (kind === ENTRY_SINGLE && ((entry >>> 20) & 0xf) === LETTER) unit = entry & 0xffff;
      this.plainAscii[code] = unit === LOWER_L ? LOWER_I : unit;
    }
  }

  /** The fingerprint of `text`, with a signature of its own. */
  fingerprint(text: string): Fingerprint {
    return this.fingerprintInto(text, emptyFingerprint());
  }

  /**
   * The fingerprint of `text` written into `print`: for a caller that reuses one per message
   * (allocating a typed array per message was a fifth of the time) and copies what it keeps.
   * `units` are the text's when the caller has them already. The signature is computed only for a
   * text of at least `signatureFrom` distinct shingles (`print.signed`): the detectors compare
   * shorter texts by their exact hash alone, and most chat lines are that short.
   */
  fingerprintInto(
    text: string,
    print: Fingerprint,
    units?: TextUnits,
    signatureFrom = 0,
  ): Fingerprint {
    const length = this.buildSkeleton(text, units);
    print.length = length;
    if (length === 0) {
      print.signature.fill(0);
      print.distinctShingles = 0;
      print.exact = 0;
      print.signed = signatureFrom <= 0;
      return print;
    }
    const skeleton = this.skeleton;
    const shingles = this.shingles;
    // The set of distinct shingles, in locals for the loop (see `seenHashes`).
    const seenHashes = this.seenHashes;
    const seenStamps = this.seenStamps;
    const seenMask = seenHashes.length - 1;
    const stamp = (this.stamp % 0x7ffffffe) + 1;
    this.stamp = stamp;
    let distinct = 0;
    // FNV-1a over the units, then one finalizer (a finalizer per unit was a tenth of the time).
    let exact = Math.imul(length, 0x01000193) ^ 0x811c9dc5;
    exact = Math.imul(exact ^ skeleton[0]!, 0x01000193);
    if (length > 1) exact = Math.imul(exact ^ skeleton[1]!, 0x01000193);
    // Each unit's three products are computed once, as it enters the window of three.
    let first = Math.imul(skeleton[0]!, 0x01000193);
    let second = Math.imul(skeleton[1]!, 0x2c1b3c6d);
    for (let index = 2; index < length; index += 1) {
      const unit = skeleton[index]!;
      exact = Math.imul(exact ^ unit, 0x01000193);
      const hash = finalize(
        Math.imul(first ^ second ^ Math.imul(unit, 0x297a2d39) ^ SHINGLE_SEED, 0xcc9e2d51),
      );
      first = Math.imul(skeleton[index - 1]!, 0x01000193);
      second = Math.imul(unit, 0x2c1b3c6d);
      for (let place = hash & seenMask; ; place = (place + 1) & seenMask) {
        if (seenStamps[place] !== stamp) {
          seenStamps[place] = stamp;
          seenHashes[place] = hash;
          shingles[distinct] = hash;
          distinct += 1;
          break;
        }
        if (seenHashes[place] === hash) break;
      }
    }
    exact = finalize(exact);
    if (length < 3) distinct = 1;
    print.distinctShingles = distinct;
    print.exact = exact;
    print.signed = distinct >= signatureFrom;
    if (print.signed) this.sign(print.signature, length < 3 ? exact : null, distinct);
    return print;
  }

  /**
   * The MinHash signature of the current text's {@link shingles} (a minimum over each shingle
   * once is the minimum over all of them), or of `only`, the one shingle a skeleton of 1 or 2
   * units is.
   */
  private sign(signature: Uint16Array, only: number | null, distinct: number): void {
    const minimums = this.minimums.fill(EMPTY);
    if (only !== null) {
      minimums[only >>> 26] = only & 0x3ffffff;
    } else {
      const shingles = this.shingles;
      for (let index = 0; index < distinct; index += 1) {
        const hash = shingles[index]!;
        const slot = hash >>> 26;
        const rank = hash & 0x3ffffff;
        if (rank < minimums[slot]!) minimums[slot] = rank;
        // Each shingle enters twice, under a second hash: MinHash of the doubled set estimates the
        // same Jaccard similarity, and twice the entries leave fewer slots to densify.
        const again = finalize(Math.imul(hash ^ SECOND_SEED, 0xcc9e2d51));
        const againSlot = again >>> 26;
        const againRank = again & 0x3ffffff;
        if (againRank < minimums[againSlot]!) minimums[againSlot] = againRank;
      }
    }
    // Densification by rotation (Shrivastava and Li 2014): an empty slot takes the minimum of the
    // next filled slot to its right (wrapping round), shifted by how far it had to look, so two
    // texts agree on it only when they agree on that slot. One pass from the right.
    let firstFilled = 0;
    while (minimums[firstFilled] === EMPTY) firstFilled += 1;
    // The slots after the last filled one borrow from the first, round the end.
    let carried = minimums[firstFilled]!;
    let distance = firstFilled;
    // Without a branch (whether a slot is filled is a coin toss for chat-length texts): `filled`
    // is all ones for a filled slot (its minimum is below EMPTY) and 0 for an empty one, and a
    // filled slot's own value is its minimum at distance 0.
    for (let slot = SIGNATURE_SLOTS - 1; slot >= 0; slot -= 1) {
      const minimum = minimums[slot]!;
      const filled = (minimum - EMPTY) >> 31;
      carried = (minimum & filled) | (carried & ~filled);
      distance = (distance + 1) & ~filled;
      signature[slot] = (carried + Math.imul(distance, ROTATION)) & 0xffff;
    }
  }

  /** Writes the skeleton of `text` into `this.skeleton` and returns its length. */
  private buildSkeleton(text: string, units: TextUnits | undefined): number {
    let length = this.shortcut ? this.plainSkeleton(text, units ?? this.ownUnits.read(text)) : -1;
    if (length < 0) length = this.normalizedSkeleton(text);
    if (length > 0) return length;
    return this.symbolSkeleton(text);
  }

  /**
   * The skeleton of a text whose characters are all letters of one kind (Hangul syllables, or
   * letters of the other scripts) or characters the normaliser drops (separators, invisible
   * characters, combining marks), read straight from the fold table; -1 for any other text. The
   * normaliser gives such a text the same skeleton: its token rules (leetspeak, `!` and `|`, gaps
   * in Korean words) act only on digits, symbols and mixed Hangul, and the spaces it keeps are
   * dropped here. Most chat is such text, and the normaliser's offsets and token rules were a
   * third of the fingerprint's time.
   */
  private plainSkeleton(text: string, { units }: TextUnits): number {
    const table = this.table;
    const bmp = table.bmp;
    const plainAscii = this.plainAscii;
    const skeleton = this.skeleton;
    let end = Math.min(text.length, MAX_TEXT_UNITS);
    // As the normaliser reads: never the first half of a surrogate pair alone.
    if (end < text.length && isHighSurrogate(units[end - 1]!)) end -= 1;
    let length = 0;
    let previous = -1;
    let saw = 0;
    for (let index = 0; index < end && length < MAX_SKELETON_UNITS; index += 1) {
      const code = units[index]!;
      let unit: number;
      if (code < 0x80) {
        unit = plainAscii[code]!;
        if (unit === 0) continue;
        if (unit < 0) return -1;
        saw |= SAW_LETTER;
      } else if (code >= HANGUL_FIRST && code <= HANGUL_LAST) {
        unit = code;
        saw |= SAW_HANGUL;
      } else {
        let entry: number;
        if (isHighSurrogate(code) && index + 1 < end) {
          const low = units[index + 1]!;
          if (low >= 0xdc00 && low <= 0xdfff) {
            entry = table.lookup(((code - 0xd800) << 10) + (low - 0xdc00) + 0x10000);
            index += 1;
          } else entry = table.lookup(code);
        } else {
          entry = bmp[code]!;
          if (entry === 0) entry = table.lookup(code);
        }
        const kind = entry >>> 24;
        if (kind === ENTRY_SEPARATOR || kind === ENTRY_INVISIBLE || kind === ENTRY_MARK) continue;
        // Entry layout (characterTable.ts): kind, class in bits 20–23, unit in bits 0–15.
        if (kind !== ENTRY_SINGLE || ((entry >>> 20) & 0xf) !== LETTER) return -1;
        unit = entry & 0xffff;
        saw |= SAW_LETTER;
      }
      if (saw === (SAW_LETTER | SAW_HANGUL)) return -1;
      // A look-alike of `l` or `I` (`Ι`, `𝜤`) reads as "i or l", as in the normaliser's skeleton.
      if (unit === LOWER_L || unit === AMBIGUOUS_IL) unit = LOWER_I;
      if (unit === previous) continue;
      skeleton[length] = unit;
      length += 1;
      previous = unit;
    }
    return length;
  }

  /** The skeleton of `text` through the word filter's normaliser. */
  private normalizedSkeleton(text: string): number {
    const normalizer = this.normalizer;
    normalizer.run(text, MAX_TEXT_UNITS);
    const skeleton = this.skeleton;
    const units = normalizer.units;
    const end = Math.min(normalizer.length, MAX_TEXT_UNITS);
    let length = 0;
    let previous = -1;
    for (let index = 0; index < end && length < MAX_SKELETON_UNITS; index += 1) {
      let unit = units[index]!;
      // `1` and `|` inside a word read as "i or l" (wordfilter/characterTable.ts): one letter here.
      if (unit === LOWER_L || unit === AMBIGUOUS_IL) unit = LOWER_I;
      if (unit === SPACE || unit === previous) continue;
      skeleton[length] = unit;
      length += 1;
      previous = unit;
    }
    return length;
  }

  /** Nothing but separators: emoji and punctuation are the message, by code point. */
  private symbolSkeleton(text: string): number {
    const skeleton = this.skeleton;
    let length = 0;
    let previous = -1;
    const textEnd = Math.min(text.length, MAX_TEXT_UNITS);
    for (let index = 0; index < textEnd && length < MAX_SKELETON_UNITS;) {
      const codePoint = text.codePointAt(index)!;
      const character = String.fromCodePoint(codePoint);
      index += character.length;
      if (isSpaceOrJoiner(codePoint, character) || codePoint === previous) continue;
      skeleton[length] = codePoint;
      length += 1;
      previous = codePoint;
    }
    return length;
  }
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
