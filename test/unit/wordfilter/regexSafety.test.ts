/** The static check that keeps catastrophic-backtracking regexes out of the rule lists. */
import { describe, expect, it } from 'vitest';
import { MAX_REGEX_LENGTH, regexSafetyProblem } from '../../../src/shared/wordfilter/regexSafety';

describe('the regex safety check', () => {
  it.each([
    ['(a+)+$', 'contains another repeat'],
    ['(a*)*b', 'contains another repeat'],
    ['(\\w+\\s?)*$', 'contains another repeat'],
    ['(a{2,})+', 'contains another repeat'],
    ['(?:x*y)+z', 'contains another repeat'],
    ['((ab)+c)*', 'contains another repeat'],
    ['(?:a|b+)*c', 'contains another repeat'],
    ['(a?)+b', 'can match the empty text'],
    ['(a|)*b', 'can match the empty text'],
    ['(?:\\b)+a', 'can match the empty text'],
    ['(a|ab)+c', 'alternatives that can match the same text'],
    ['(\\w|\\d)*x', 'alternatives that can match the same text'],
    ['(?:ab|ac)+', 'alternatives that can match the same text'],
    ['(?:a|A)+b', 'alternatives that can match the same text'],
    ['(?:[a-f]|[d-z])+', 'alternatives that can match the same text'],
    ['(?:x(?:a|ab))+', 'alternatives that can match the same text'],
    ['\\w*\\w*\\w*x', 'three or more unbounded repeats'],
    ['.*a.*b.*c', 'three or more unbounded repeats'],
    ['\\d+-?\\d+-?\\d+!', 'three or more unbounded repeats'],
    ['(\\w+)(\\w+)(\\w+)!', 'three or more unbounded repeats'],
    ['a?a?a?a?a?a?a?a?a?a?aaaaaaaaaa', 'ten or more optional parts'],
    ['(a)\\1', 'backreferences'],
    ['(?<word>a)\\k<word>', 'backreferences'],
    ['a*', 'can match the empty text'],
    ['(?=bad)', 'can match the empty text'],
    ['x|', 'can match the empty text'],
    ['a'.repeat(MAX_REGEX_LENGTH + 1), 'longer than'],
  ])('rejects %j', (pattern, reason) => {
    expect(regexSafetyProblem(pattern)).toContain(reason);
  });

  it.each([
    'b[a4@]d',
    '\\bfoo\\s+bar\\b',
    'colou?r',
    '(?:foo|bar)+',
    '(a|b)+c',
    '\\d{3}-\\d{4}',
    '[a-z]+ing',
    '.*bad.*',
    '^(?:free|cheap) (?:nitro|robux)$',
    '(?<!\\w)kys(?!\\w)',
    '\\p{Script=Hangul}+',
    'https?://\\S+',
    '(?<name>b)ad',
    '[^\\s]+@[^\\s]+',
    'a{2,5}b',
    '\\u{1F600}+',
    '\\s+foo\\s+bar\\s+baz',
    'x'.repeat(MAX_REGEX_LENGTH),
  ])('accepts %j', (pattern) => {
    expect(new RegExp(pattern, 'iu')).toBeInstanceOf(RegExp);
    expect(regexSafetyProblem(pattern)).toBeUndefined();
  });
});
