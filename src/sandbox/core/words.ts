/**
 * The words the simulated chatters are not supposed to say, and the ways they dodge a filter.
 * The app adds `STARTER_FORBIDDEN_WORDS` as its first rule list, so a new user sees flagging work,
 * including on the evasions a plain substring match would miss.
 */

export const ENGLISH_FORBIDDEN_WORDS = [
  'idiot',
  'stupid',
  'loser',
  'moron',
  'scam',
  'casino',
] as const;

export const KOREAN_FORBIDDEN_WORDS = ['바보', '멍청이', '사기꾼', '도박', '꺼져'] as const;

/** The starter rule list: every word the chatters use and evade, English first. */
export const STARTER_FORBIDDEN_WORDS: string[] = [
  ...ENGLISH_FORBIDDEN_WORDS,
  ...KOREAN_FORBIDDEN_WORDS,
];

/** How a forbidden word was disguised; `plain` is not disguised at all. */
export type EvasionKind =
  | 'plain'
  | 'spacing'
  | 'separators'
  | 'leetspeak'
  | 'lookalike'
  | 'zeroWidth'
  | 'repeated'
  | 'mixedCase';

export const EVASION_KINDS: readonly EvasionKind[] = [
  'plain',
  'spacing',
  'separators',
  'leetspeak',
  'lookalike',
  'zeroWidth',
  'repeated',
  'mixedCase',
];

const LEET: Record<string, string> = { a: '4', e: '3', i: '1', o: '0', s: '$', t: '7' };

/** Latin letters and the Cyrillic letters that look the same in most fonts. */
const LOOKALIKE: Record<string, string> = {
  a: '\u0430',
  c: '\u0441',
  e: '\u0435',
  i: '\u0456',
  o: '\u043e',
  p: '\u0440',
  s: '\u0455',
  x: '\u0445',
  y: '\u0443',
};

const ZERO_WIDTH = ['\u200b', '\u200c', '\u200d', '\u2060'];
const SEPARATORS = ['.', '-', '_', '*'];

/** Hangul syllables are (19 × 21 × 28) blocks from U+AC00; jamo tables for the compatibility forms. */
const HANGUL_FIRST = 0xac00;
const HANGUL_LAST = 0xd7a3;
const LEADING = 'ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ';
const VOWELS = 'ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ';
const TRAILING = ['', ...'ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ'];

/** Splits Hangul syllables into their letters (바보 → ㅂㅏㅂㅗ), the Korean look-alike trick. */
export function decomposeHangul(text: string): string {
  let out = '';
  for (const character of text) {
    const code = character.codePointAt(0) ?? 0;
    if (code < HANGUL_FIRST || code > HANGUL_LAST) {
      out += character;
      continue;
    }
    const index = code - HANGUL_FIRST;
    out += LEADING[Math.floor(index / 588)] ?? '';
    out += VOWELS[Math.floor((index % 588) / 28)] ?? '';
    out += TRAILING[index % 28] ?? '';
  }
  return out;
}

/** A source of choices, so that evasions stay deterministic under the chatter's seeded generator. */
export interface Chooser {
  integer(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
}

/**
 * Disguises `word` the way `kind` says. Every kind changes the word (except `plain`), so a test can
 * tell an evasion from the plain word; where a kind cannot apply (no letter to swap) it falls back
 * to spacing.
 */
export function evade(word: string, kind: EvasionKind, chooser: Chooser): string {
  const letters = [...word];
  switch (kind) {
    case 'plain':
      return word;
    case 'spacing':
      return letters.join(' ');
    case 'separators':
      return letters.join(chooser.pick(SEPARATORS));
    case 'zeroWidth':
      return letters.join(chooser.pick(ZERO_WIDTH));
    case 'leetspeak':
      return swapLetters(letters, LEET) ?? letters.join(' ');
    case 'lookalike': {
      const decomposed = decomposeHangul(word);
      if (decomposed !== word) return decomposed;
      return swapLetters(letters, LOOKALIKE) ?? letters.join(' ');
    }
    case 'repeated': {
      // Only a middle letter: repeating the first or last one leaves the word intact inside.
      if (letters.length < 3) return drawOut(letters, chooser) ?? letters.join(' ');
      const index = chooser.integer(1, letters.length - 2);
      const letter = letters[index] ?? '';
      letters[index] = letter.repeat(chooser.integer(3, 5));
      return letters.join('');
    }
    case 'mixedCase': {
      const mixed = letters
        .map((letter, index) => (index % 2 === 0 ? letter.toUpperCase() : letter))
        .join('');
      return mixed === word ? letters.join(' ') : mixed;
    }
  }
}

/**
 * Draws out a short Korean word by repeating its first vowel as syllables of its own
 * (바보 → 바아아보), the way people stretch a word in chat; null if it does not start in Hangul.
 */
function drawOut(letters: string[], chooser: Chooser): string | null {
  const code = (letters[0] ?? '').codePointAt(0) ?? 0;
  if (code < HANGUL_FIRST || code > HANGUL_LAST) return null;
  const vowel = Math.floor(((code - HANGUL_FIRST) % 588) / 28);
  // ㅇ (index 11) carries a vowel with no consonant sound.
  const carrier = String.fromCodePoint(HANGUL_FIRST + 11 * 588 + vowel * 28);
  return [letters[0], carrier.repeat(chooser.integer(2, 3)), ...letters.slice(1)].join('');
}

/** Replaces every letter that has a substitute; null when none has. */
function swapLetters(letters: string[], table: Record<string, string>): string | null {
  let swapped = false;
  const out = letters.map((letter) => {
    const substitute = table[letter];
    if (substitute === undefined) return letter;
    swapped = true;
    return substitute;
  });
  return swapped ? out.join('') : null;
}
