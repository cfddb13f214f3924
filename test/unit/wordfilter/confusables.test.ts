/**
 * Look-alike letters from Unicode's confusables.txt (UTS #39): the generated table is what the
 * script writes from the package, and what it maps to Latin is read as Latin, nothing more.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFUSABLES_FILE, confusablesSource } from '../../../scripts/generateConfusables';
import { AMBIGUOUS_IL, foldCodePoint } from '../../../src/shared/wordfilter/characterTable';
import { LATIN_CONFUSABLES } from '../../../src/shared/wordfilter/confusables';
import { compileRules, type Rule } from '../../../src/shared/wordfilter';

function flagged(rule: Omit<Rule, 'id'>, text: string): boolean {
  return compileRules([{ id: 'rule', ...rule }]).match(text).length > 0;
}

/** What one character folds to, as a string ("i or l" shown as `1`). */
function folded(character: string): string {
  const result = foldCodePoint(character.codePointAt(0)!);
  if (typeof result === 'string') return '';
  return result.map(([unit]) => (unit === AMBIGUOUS_IL ? '1' : String.fromCharCode(unit))).join('');
}

describe('the generated table', () => {
  it('is what scripts/generateConfusables.ts writes from the package', async () => {
    expect(readFileSync(CONFUSABLES_FILE, 'utf8')).toBe(await confusablesSource());
  });

  it('holds each character once, none of them ASCII', () => {
    const sources = LATIN_CONFUSABLES.flatMap(([, characters]) => [...characters]);
    expect(new Set(sources).size).toBe(sources.length);
    expect(sources.every((source) => source.codePointAt(0)! >= 0x80)).toBe(true);
    expect(sources.length).toBeGreaterThan(1500);
  });

  it('reads every character mapped to one ASCII letter as that letter, or as it read before', () => {
    const wrong: string[] = [];
    for (const [prototype, characters] of LATIN_CONFUSABLES) {
      const letter = prototype.toLowerCase();
      if (!/^[a-z]$/.test(letter)) continue;
      for (const character of characters) {
        const result = folded(character);
        // NFKC and case folding come first (`𝐈` is `i`, not the prototype `l` of its shape);
        // a prototype `l` may read as "i or l".
        const usual = character.normalize('NFKC').toLowerCase();
        const expected = letter === 'l' ? ['l', '1', 'i'] : [letter];
        if (!expected.includes(result) && result !== usual) wrong.push(`${character}→${result}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});

const POSITIVES: Array<[string, string, string]> = [
  // [what, term, text]
  ['Cherokee capitals', 'bad', 'ᏴᎪᎠ'],
  ['Cherokee small letters', 'bad', 'ꮟꭺꭰ'],
  ['Cherokee in a word', 'scam', 'ѕᏟᎪm'],
  ['Armenian', 'noob', 'ոօօb'],
  ['Armenian', 'hug', 'հսg'],
  ['Coptic', 'poop', 'ⲣⲟⲟⲣ'],
  ['Coptic capitals', 'rock', 'rⲞⲤⲔ'],
  ['Lisu', 'bad', 'ꓐꓮꓓ'],
  ['Canadian syllabics', 'bad', 'ᗷᗅᗪ'],
  ['mathematical letters (NFKC)', 'bad', '𝖇𝖆𝖉'],
  ['mathematical capitals', 'idiot', '𝐈𝐃𝐈𝐎𝐓'],
  ['Greek capitals', 'moron', 'ΜΟRΟΝ'],
  ['Greek small letter by its capital', 'bed', 'bεd'],
  ['Cyrillic small letter by its capital', 'moron', 'мoron'],
  ['Cyrillic prototype a small capital', 'hot', 'нoт'],
  ['letters with strokes and hooks', 'bad', 'ƀɑɗ'],
  ['a vertical stroke read as i or l', 'kill', 'kǀǀl'],
  ['Greek capital iota as i', 'idiot', 'ΙdΙot'],
  ['Cyrillic capital palochka as l', 'lol', 'ӀoӀ'],
];

describe('look-alike letters from confusables.txt', () => {
  it.each(POSITIVES)('%s: the term %j flags %j', (_what, pattern, text) => {
    expect(flagged({ pattern }, text)).toBe(true);
  });

  it.each([
    ['б is a 6 in confusables.txt, not a b', 'bad', 'бad'],
    ['п is a π in confusables.txt, not an n', 'noob', 'пoob'],
    ['ω has no Latin prototype', 'win', 'ωin'],
    ['и is no a', 'bad', 'bиd'],
    ['ы reads as bl', 'cat', 'сыt'],
    ['Korean stays Korean', 'ol', '오리'],
  ])('%s: the term %j does not flag %j', (_what, pattern, text) => {
    expect(flagged({ pattern }, text)).toBe(false);
  });

  it.each([
    ['ass', 'assistant'],
    ['cunt', 'Scunthorpe'],
    ['hell', 'shell'],
    ['shit', 'this hit'],
    ['ass', 'сlаss'],
    ['hell', 'ѕһеll'],
  ])('leaves the whole-word rule %j off the innocent %j', (pattern, text) => {
    expect(flagged({ pattern, wholeWord: true }, text)).toBe(false);
  });

  it('spans the look-alike characters as typed', () => {
    const text = 'so ᏴᎪᎠ';
    expect(compileRules([{ id: 'bad', pattern: 'bad' }]).match(text)).toEqual([
      { ruleId: 'bad', start: 3, end: 6 },
    ]);
  });

  it('shows an "i or l" look-alike as 1 in the normalised text', () => {
    expect(compileRules([{ id: 'kill', pattern: 'kill' }]).explain('kǀǀl').normalized).toBe('k11l');
  });
});
