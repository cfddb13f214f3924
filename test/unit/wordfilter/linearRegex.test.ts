/** Regex rules in JavaScript's syntax, run by the linear-time engine: what it takes and refuses. */
import { describe, expect, it } from 'vitest';
import { compileRules, ruleProblem } from '../../../src/shared/wordfilter';

function hits(pattern: string, text: string, wholeWord = false): string[] {
  return compileRules([{ id: 'r', pattern, kind: 'regex', wholeWord }])
    .match(text)
    .map(({ start, end }) => text.slice(start, end));
}

describe('regex rules on the linear engine', () => {
  it.each([
    ['(?=bad)bad', 'lookarounds'],
    ['kys(?!\\w)', 'whole-word option'],
    ['(?<!\\w)kys', 'whole-word option'],
    ['(?<=a)b', 'lookarounds'],
    ['\\p{scx=Hangul}', 'property \\p{scx=Hangul} is not supported'],
    ['\\p{ASCII}', 'property \\p{ASCII} is not supported'],
    ['\\w{101}', 'too large'],
  ])('refuses %j, saying why in words', (pattern, reason) => {
    expect(new RegExp(pattern, 'iu')).toBeInstanceOf(RegExp);
    expect(ruleProblem({ id: 'r', pattern, kind: 'regex' })).toContain(reason);
  });

  it('reads JavaScript property escapes in their long and Name=Value forms', () => {
    expect(hits('\\p{Script=Hangul}{2}', 'x 시발 y')).toEqual(['시발']);
    expect(hits('\\p{sc=Hangul}+', 'ok 안녕')).toEqual(['안녕']);
    expect(hits('\\p{Letter}\\p{Nd}', 'a1 !2')).toEqual(['a1']);
    expect(hits('\\p{gc=Decimal_Number}{3}', 'call 555 now')).toEqual(['555']);
    expect(hits('\\P{L}{2}x', 'ab12x')).toEqual(['12x']);
  });

  it('reads Cased_Letter by its RE2 name, in every form JavaScript takes', () => {
    for (const pattern of ['\\p{Cased_Letter}+', '\\p{gc=Cased_Letter}+', '\\p{LC}+']) {
      expect(ruleProblem({ id: 'r', pattern, kind: 'regex' }), pattern).toBeUndefined();
      // Hangul has no case.
      expect(hits(pattern, 'ok 안녕 Hi'), pattern).toEqual(['ok', 'Hi']);
    }
  });

  it('reads a surrogate pair written as two escapes as one character', () => {
    // U+20000, a Han ideograph outside the BMP (emoji are separators in normalised text).
    expect(hits('\\uD840\\uDC00+', 'so 𠀀𠀀 fun')).toEqual(['𠀀𠀀']);
    expect(hits('\\u{20000}', 'so 𠀀 fun')).toEqual(['𠀀']);
  });

  it('takes named groups, lazy repeats and nested repeats', () => {
    expect(hits('(?<first>b)a+d', 'so baad')).toEqual(['baad']);
    expect(hits('b.+?d', 'b x d y d')).toEqual(['b x d']);
    expect(hits('(?:b+a+)+d', 'bbaabad')).toEqual(['bbaabad']);
  });

  it('matches case-insensitively, word boundaries included', () => {
    expect(hits('\\bKYS\\b', 'kys, skys, KYS')).toEqual(['kys', 'KYS']);
    expect(hits('as+', 'you ass, classic', true)).toEqual(['ass']);
  });
});
