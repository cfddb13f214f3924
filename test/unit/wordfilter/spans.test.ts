/**
 * Spans map back to exactly the characters the user typed, hits are complete and sorted, and
 * explain shows the normalised form.
 */
import { describe, expect, it } from 'vitest';
import {
  MAX_SCANNED_UNITS,
  OVER_LONG_RULE_ID,
  compileRules,
  type Rule,
} from '../../../src/shared/wordfilter';

function only(pattern: string, text: string, extra: Partial<Rule> = {}) {
  const matches = compileRules([{ id: 'r', pattern, ...extra }]).match(text);
  return matches.map(({ start, end }) => ({ start, end, slice: text.slice(start, end) }));
}

describe('span mapping', () => {
  it.each([
    // [pattern, text, start, end, slice]
    ['bad', 'so 𝐛𝐚𝐝 here', 3, 9, '𝐛𝐚𝐝'],
    ['bad', '😀😀 bad', 5, 8, 'bad'],
    ['bad', '😀b😀a😀d😀', 2, 9, 'b😀a😀d'],
    ['bad', 'b\u200bad', 0, 4, 'b\u200bad'],
    ['bad', '\u200b\u200bbad\u200b', 2, 5, 'bad'],
    ['bad', 'x \u202ebad\u202c y', 3, 6, 'bad'],
    ['bad', 'ba\u0308d', 0, 4, 'ba\u0308d'],
    ['bad', 'bad\u0301 ok', 0, 4, 'bad\u0301'],
    ['bad', 'b\u00ada\u00add', 0, 5, 'b\u00ada\u00add'],
    ['strasse', 'die straße', 4, 10, 'straße'],
    ['sse', 'straße', 4, 6, 'ße'],
    ['bad', 'b - a - d!', 0, 9, 'b - a - d'],
    ['bad', 'so baaaad', 3, 9, 'baaaad'],
    ['sage', 'passage', 3, 7, 'sage'],
    ['bad', 'bbbad', 2, 5, 'bad'],
    ['bad', 'baddd', 0, 3, 'bad'],
    ['시발', '아 시1발', 2, 5, '시1발'],
    ['시발', `아 ${'시발'.normalize('NFD')}`, 2, 7, '시발'.normalize('NFD')],
    ['bad', 'ｂａｄ', 0, 3, 'ｂａｄ'],
    ['fi', 'ﬁ', 0, 1, 'ﬁ'],
  ])('the term %j in %j spans [%i, %i)', (pattern, text, start, end, slice) => {
    expect(only(pattern, text)).toEqual([{ start, end, slice }]);
  });

  it('covers the whole word, runs included, for whole-word rules', () => {
    expect(only('ass', 'you asss!', { wholeWord: true })).toEqual([
      { start: 4, end: 8, slice: 'asss' },
    ]);
  });

  it('maps regex hits back through removed characters and surrogate pairs', () => {
    expect(only('b.d', '𝐛\u200b𝐚𝐝', { kind: 'regex' })).toEqual([
      { start: 0, end: 7, slice: '𝐛\u200b𝐚𝐝' },
    ]);
  });
});

describe('jamo typed one by one', () => {
  it('spans from the first jamo to the last, the final consonant included', () => {
    const text = '너 ㄷㅗㅂㅏㄱ 해?';
    expect(compileRules([{ id: 'gamble', pattern: '도박' }]).match(text)).toEqual([
      { ruleId: 'gamble', start: 2, end: 7 },
    ]);
  });

  it('gives a consonant that moved on to the next syllable to that syllable only', () => {
    const text = 'ㅂㅏㅂㅗ';
    expect(compileRules([{ id: 'fool', pattern: '바보' }]).match(text)).toEqual([
      { ruleId: 'fool', start: 0, end: 4 },
    ]);
    expect(compileRules([{ id: 'bo', pattern: '보' }]).match(text)).toEqual([
      { ruleId: 'bo', start: 2, end: 4 },
    ]);
  });
});

describe('the list of hits', () => {
  const matcher = compileRules([
    { id: 'bad', pattern: 'bad' },
    { id: 'dass', pattern: 'dass' },
    { id: 'ass', pattern: 'ass' },
    { id: 'badass', pattern: 'badass' },
    { id: 'regex', pattern: 'a+s', kind: 'regex' },
  ]);

  it('reports overlapping hits of different rules, each once', () => {
    expect(matcher.match('badass')).toEqual([
      { ruleId: 'bad', start: 0, end: 3 },
      { ruleId: 'badass', start: 0, end: 6 },
      { ruleId: 'dass', start: 2, end: 6 },
      { ruleId: 'regex', start: 3, end: 5 },
      { ruleId: 'ass', start: 3, end: 6 },
    ]);
  });

  it('reports every occurrence, sorted by start, then end', () => {
    const matches = matcher.match('ass then bad, then bad again, and ass');
    expect(matches.map((match) => [match.ruleId, match.start])).toEqual([
      ['regex', 0],
      ['ass', 0],
      ['bad', 9],
      ['bad', 19],
      ['regex', 34],
      ['ass', 34],
    ]);
    const starts = matches.map((match) => match.start);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
  });

  it('reports one hit for a term read several ways at the same place', () => {
    // `ill` matches `1ll` both as "i, l, l" and through the "i or l" reading of 1.
    expect(compileRules([{ id: 'ill', pattern: 'ill' }]).match('1ll')).toEqual([
      { ruleId: 'ill', start: 0, end: 3 },
    ]);
  });

  it('returns no hits for text without any', () => {
    expect(matcher.match('a perfectly fine message')).toEqual([]);
    expect(matcher.match('')).toEqual([]);
  });
});

describe('long texts', () => {
  it('keeps every unit when expansions come before a long run of text', () => {
    // A fresh matcher sizes its buffers to the first text; `ﬃ` then writes three units for one.
    const matcher = compileRules([{ id: 'bad', pattern: 'bad' }]);
    const text = `${'ﬃ'.repeat(3)}${'x'.repeat(1000)} bad`;
    expect(matcher.explain(text).normalized).toBe(`${'ffi'.repeat(3)}${'x'.repeat(1000)} bad`);
    expect(matcher.match(text)).toEqual([{ ruleId: 'bad', start: 1004, end: 1007 }]);
  });

  it('reads a text far longer than a chat message up to the cap, and flags the rest', () => {
    const matcher = compileRules([{ id: 'bad', pattern: 'bad' }]);
    const text = 'b4d '.repeat(50_000);
    const matches = matcher.match(text);
    expect(matches).toHaveLength(MAX_SCANNED_UNITS / 4 + 1);
    expect(matches.at(-2)).toEqual({
      ruleId: 'bad',
      start: MAX_SCANNED_UNITS - 4,
      end: MAX_SCANNED_UNITS - 1,
    });
    expect(matches.at(-1)).toEqual({
      ruleId: OVER_LONG_RULE_ID,
      start: MAX_SCANNED_UNITS,
      end: 200_000,
    });
  });
});

describe('explain', () => {
  it('gives the normalised text and each hit with both slices', () => {
    const matcher = compileRules([
      { id: 'bad', pattern: 'bad' },
      { id: 'kill', pattern: 'kill' },
    ]);
    const explanation = matcher.explain('So B4D, k1ll! 𝐛\u200bad');
    expect(explanation.normalized).toBe('so bad k1ll bad');
    expect(explanation.hits).toEqual([
      {
        ruleId: 'bad',
        start: 3,
        end: 6,
        text: 'B4D',
        normalizedStart: 3,
        normalizedEnd: 6,
        normalizedText: 'bad',
      },
      {
        ruleId: 'kill',
        start: 8,
        end: 12,
        text: 'k1ll',
        normalizedStart: 7,
        normalizedEnd: 11,
        normalizedText: 'k1ll',
      },
      {
        ruleId: 'bad',
        start: 14,
        end: 19,
        text: '𝐛\u200bad',
        normalizedStart: 12,
        normalizedEnd: 15,
        normalizedText: 'bad',
      },
    ]);
  });

  it('agrees with match', () => {
    const matcher = compileRules([{ id: 'ass', pattern: 'ass', wholeWord: true }]);
    const text = 'a s s, classic, @$$';
    expect(
      matcher.explain(text).hits.map(({ ruleId, start, end }) => ({ ruleId, start, end })),
    ).toEqual(matcher.match(text));
  });
});
