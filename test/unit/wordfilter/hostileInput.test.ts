/**
 * Hostile messages cannot make the word filter's work grow with their length: it reads at most
 * MAX_SCANNED_UNITS units, flags the rest as over-long, and every regex rule runs on the linear
 * engine, which is given at most MAX_SCANNED_UNITS + MAX_REGEX_SEARCH_UNITS units per rule. The
 * time these take is the wordfilter benchmark's business (`npm run bench -- wordfilter`); these
 * tests assert the bounds on the work.
 */
import { describe, expect, it } from 'vitest';
import {
  MAX_REGEX_SEARCH_UNITS,
  MAX_SCANNED_UNITS,
  OVER_LONG_RULE_ID,
  compileRules,
  type Matcher,
} from '../../../src/shared/wordfilter';

/**
 * Regex shapes a rule list may hold, each with the text that is worst for a backtracking engine:
 * a prefix of a match repeated, so that a match is tried, and given up, at every position.
 */
const SHAPES: Array<[pattern: string, unit: string]> = [
  ['[a-z]+ing', 'a'],
  ['.*bad.*', 'x'],
  ['\\w+\\s+\\w+', 'a'],
  ['\\s+foo\\s+bar\\s+baz', ' foo'],
  ['[^\\s]+@[^\\s]+', 'a'],
  ['\\bkys\\b', 'kys '],
  ['(?:foo|bar)+', 'foo'],
  ['https?://\\S+', 'http://'],
  ['\\d{3}-\\d{4}', '555-'],
  ['\\p{Script=Hangul}+', '시'],
  // Exponential or cubic for a backtracking engine, and refused by the old static check.
  ['(a+)+$', 'a'],
  ['(a|ab)+c', 'ab'],
  ['.*a.*b.*c', 'ab'],
  // A search reads to the end of the text before settling on one `x`: at every position.
  ['x(?:.*y)?', 'x'],
  // Near the largest program a rule may compile to, matching everywhere.
  ['\\w{95}', 'a'],
];

function hostile(unit: string, length: number): string {
  return unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
}

function hitsOf(matcher: Matcher, text: string) {
  return matcher.match(text).filter((match) => match.ruleId !== OVER_LONG_RULE_ID);
}

describe('a hostile message against each regex shape', () => {
  describe.each(SHAPES)('%j', (pattern, unit) => {
    const matcherOf = () => compileRules([{ id: 'rule', pattern, kind: 'regex' }]);

    it.each([
      ['100 KB', 100_000],
      ['1 MB', 1_000_000],
    ])('reads at most the cap of %s, and flags the rest as over-long', (_size, length) => {
      const matcher = matcherOf();
      const text = hostile(unit, length);
      const explanation = matcher.explain(text);
      expect(explanation.scanned).toBeLessThanOrEqual(MAX_SCANNED_UNITS);
      expect(explanation.normalized.length).toBeLessThanOrEqual(MAX_SCANNED_UNITS);
      expect(explanation.regexUnits).toBeLessThanOrEqual(
        MAX_SCANNED_UNITS + MAX_REGEX_SEARCH_UNITS,
      );
      expect(matcher.match(text).at(-1)).toEqual({
        ruleId: OVER_LONG_RULE_ID,
        start: explanation.scanned,
        end: length,
      });
    });

    it('does the same work for 1 MB as for 100 KB', () => {
      const matcher = matcherOf();
      const short = matcher.explain(hostile(unit, 100_000));
      expect(matcher.explain(hostile(unit, 1_000_000))).toEqual(short);
    });
  });

  it('stops searching a rule once its searches could read more than their share', () => {
    // Every search reads to the end before it settles on one `x`: two fit in the share.
    const matcher = compileRules([{ id: 'rule', pattern: 'x(?:.*y)?', kind: 'regex' }]);
    const text = 'x'.repeat(MAX_SCANNED_UNITS);
    expect(hitsOf(matcher, text)).toEqual([
      { ruleId: 'rule', start: 0, end: 1 },
      { ruleId: 'rule', start: 1, end: 2 },
    ]);
    expect(matcher.explain(text).regexUnits).toBe(3 * MAX_SCANNED_UNITS - 1);
  });

  it('finds every hit of an ordinary message', () => {
    const matcher = compileRules([{ id: 'rule', pattern: 'k[yi]s', kind: 'regex' }]);
    const text = 'no kys, kis. '.repeat(10);
    expect(hitsOf(matcher, text)).toHaveLength(20);
  });
});

describe('the cap on what the matcher reads', () => {
  const matcher = compileRules([
    { id: 'term', pattern: 'bad' },
    { id: 'regex', pattern: 'k[yi]s', kind: 'regex' },
  ]);

  it('reads a message of exactly the cap whole, without the over-long flag', () => {
    const text = `${'x'.repeat(MAX_SCANNED_UNITS - 4)} bad`;
    expect(matcher.match(text)).toEqual([
      { ruleId: 'term', start: MAX_SCANNED_UNITS - 3, end: MAX_SCANNED_UNITS },
    ]);
  });

  it('flags what lies past the cap as over-long, and finds nothing there', () => {
    const text = `bad ${'x'.repeat(MAX_SCANNED_UNITS)} kys bad`;
    expect(matcher.match(text)).toEqual([
      { ruleId: 'term', start: 0, end: 3 },
      { ruleId: OVER_LONG_RULE_ID, start: MAX_SCANNED_UNITS, end: text.length },
    ]);
  });

  it('flags an over-long message even when no rule is set', () => {
    const text = 'a'.repeat(MAX_SCANNED_UNITS + 1);
    expect(compileRules([]).match(text)).toEqual([
      { ruleId: OVER_LONG_RULE_ID, start: MAX_SCANNED_UNITS, end: MAX_SCANNED_UNITS + 1 },
    ]);
  });

  it('never cuts between the two halves of a surrogate pair', () => {
    const text = `a${'𠀀'.repeat(MAX_SCANNED_UNITS)}`;
    const explanation = matcher.explain(text);
    expect(explanation.scanned).toBe(MAX_SCANNED_UNITS - 1);
    expect(explanation.normalized).toBe(`a${'𠀀'.repeat(MAX_SCANNED_UNITS / 2 - 1)}`);
  });

  it('flags as over-long a last character that expands past the cap, though the text fits', () => {
    // ﷺ writes 18 letters with spaces between them; the cap falls inside them.
    const text = `${'x'.repeat(MAX_SCANNED_UNITS - 6)}badﷺ`;
    const start = text.length - 1;
    expect(matcher.explain(text).scanned).toBe(start);
    expect(matcher.match(text)).toEqual([
      { ruleId: 'term', start: MAX_SCANNED_UNITS - 6, end: start },
      { ruleId: OVER_LONG_RULE_ID, start, end: text.length },
    ]);
  });

  it('also caps what characters that expand write (ﷺ is 18 letters)', () => {
    const text = 'ﷺ'.repeat(100_000);
    const explanation = matcher.explain(text);
    expect(explanation.normalized.length).toBeLessThanOrEqual(MAX_SCANNED_UNITS);
    expect(explanation.scanned).toBeLessThan(MAX_SCANNED_UNITS / 18 + 1);
    expect(matcher.match(text)).toEqual([
      { ruleId: OVER_LONG_RULE_ID, start: explanation.scanned, end: text.length },
    ]);
  });
});
