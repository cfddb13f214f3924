/**
 * The checks a regex rule passes besides compiling for the linear engine: a length limit, no
 * backreferences, no match of the empty text. How long a match takes is the engine's concern.
 */
import { describe, expect, it } from 'vitest';
import { MAX_REGEX_LENGTH, regexSafetyProblem } from '../../../src/shared/wordfilter/regexSafety';

describe('the regex safety check', () => {
  it.each([
    ['(a)\\1', 'backreferences'],
    ['(?<word>a)\\k<word>', 'backreferences'],
    ['a*', 'can match the empty text'],
    ['(?=bad)', 'can match the empty text'],
    ['(?<=bad)', 'can match the empty text'],
    ['x|', 'can match the empty text'],
    ['(?:a|b?)\\b', 'can match the empty text'],
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
    '[\\]a]+',
    '\\s+foo\\s+bar\\s+baz',
    'x'.repeat(MAX_REGEX_LENGTH),
    // Catastrophic for a backtracking engine; linear for the engine the rules run on.
    '(a+)+$',
    '(\\w+\\s?)+$',
    '(a|ab)+c',
    '.*a.*b.*c',
    'a?a?a?a?a?a?a?a?a?a?aaaaaaaaaa',
  ])('accepts %j', (pattern) => {
    expect(new RegExp(pattern, 'iu')).toBeInstanceOf(RegExp);
    expect(regexSafetyProblem(pattern)).toBeUndefined();
  });
});
