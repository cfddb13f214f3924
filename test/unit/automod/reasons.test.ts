/**
 * Reasons as values: the English words each kind gives (those automod and shield mode have always
 * written, which tools and tests read), and the bounds a flag's values are held to.
 */
import { describe, expect, it } from 'vitest';
import { englishReason, ReasonData } from '../../../src/shared/automod';
import { FlagSpan, Held } from '../../../src/shared/chat';
import { ENGLISH, RAID } from '../../support/reasonCases';

describe('englishReason', () => {
  it.each(ENGLISH)('says %j as automod always has', (why, words) => {
    expect(englishReason(why)).toBe(words);
  });

  it('has a case for every kind', () => {
    const kinds = new Set(ENGLISH.map(([why]) => why.kind));
    expect([...kinds].sort()).toEqual(
      [...ReasonData.options.map((option) => option.shape.kind.value)].sort(),
    );
  });
});

describe('reason values in flags and holds', () => {
  const flag = { ruleId: 'automod-raid', reason: englishReason(RAID), severity: 'high' } as const;

  it('accepts every kind, and a flag or hold without values (as earlier versions stored them)', () => {
    for (const [why] of ENGLISH) {
      expect(FlagSpan.safeParse({ ...flag, why }).success).toBe(true);
      expect(Held.safeParse({ ruleId: 'shield', reason: 'shield', why, at: 0 }).success).toBe(true);
    }
    expect(FlagSpan.safeParse(flag).success).toBe(true);
    expect(Held.safeParse({ ruleId: 'r', reason: 'contains “x”', at: 0 }).success).toBe(true);
  });

  it.each<[string, unknown]>([
    ['an unknown kind', { kind: 'weather', spanMs: 1 }],
    ['a raid name longer than any shown', { ...RAID, name: 'x'.repeat(201) }],
    ['a host longer than a reason', { kind: 'links', host: 'a'.repeat(501), inName: false }],
    [
      'a pattern longer than any shown',
      { kind: 'namePattern', place: 'name', regex: false, pattern: 'p'.repeat(201), matched: 'm' },
    ],
    ['a count that is not whole', { kind: 'flood', messages: 2.5, spanMs: 1000 }],
    ['a negative count', { kind: 'mentions', people: -1 }],
    ['an endless count', { kind: 'length', characters: Infinity, limit: 400 }],
    ['a share above the whole', { kind: 'caps', capitals: 9, percent: 101, inName: false }],
    ['a span beyond any clock', { kind: 'flood', messages: 5, spanMs: 1e13 }],
    ['a missing value', { kind: 'repeats', exact: true, times: 4 }],
    [
      'a shield raid that is not a raid',
      { kind: 'shieldRaid', raid: { kind: 'flood', messages: 5, spanMs: 1 } },
    ],
  ])('refuses %s', (_name, why) => {
    expect(ReasonData.safeParse(why).success).toBe(false);
    expect(FlagSpan.safeParse({ ...flag, why }).success).toBe(false);
  });

  it('takes the longest values its detectors give', () => {
    const longest = { ...RAID, name: `${'𝒜'.repeat(59)}…` };
    expect(FlagSpan.safeParse({ ...flag, why: longest }).success).toBe(true);
  });
});
