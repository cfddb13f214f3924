/**
 * Reasons as values: the English words each kind gives (those automod and shield mode have always
 * written, which tools and tests read), and the bounds a flag's values are held to.
 */
import { describe, expect, it } from 'vitest';
import { englishReason, ReasonData } from '../../../src/shared/automod';
import { FlagSpan, Held } from '../../../src/shared/chat';

const RAID: ReasonData & { kind: 'raid' } = {
  kind: 'raid',
  name: 'buy followers now',
  people: 6,
  peopleCapped: false,
  spanMs: 4000,
};

const ENGLISH: Array<[ReasonData, string]> = [
  [{ kind: 'repeats', exact: true, times: 4, spanMs: 20_000 }, 'same message 4 times in 20 s'],
  [
    { kind: 'repeats', exact: false, times: 3, spanMs: 400 },
    'nearly the same message 3 times in 1 s',
  ],
  [RAID, 'copy-paste raid “buy followers now”: 6 people in 4 s'],
  [
    { ...RAID, people: 1, spanMs: 150_000 },
    'copy-paste raid “buy followers now”: 1 person in 3 min',
  ],
  [
    { ...RAID, people: 1000, peopleCapped: true, spanMs: 3 * 3_600_000 },
    'copy-paste raid “buy followers now”: 1000+ people in 3 h',
  ],
  [{ kind: 'flood', messages: 5, spanMs: 3000 }, '5 messages in 3 s'],
  [{ kind: 'newChatters', chatters: 8, spanMs: 10_000 }, '8 first-time chatters in 10 s'],
  [
    { kind: 'caps', capitals: 24, percent: 100, inName: false },
    '24 capitals, 100 % of the letters',
  ],
  [
    { kind: 'caps', capitals: 1, percent: 75, inName: true },
    'in the name: 1 capital, 75 % of the letters',
  ],
  [{ kind: 'symbols', run: 11, inName: false }, 'a run of 11 symbols or emoji'],
  [{ kind: 'symbols', run: 12, inName: true }, 'in the name: a run of 12 symbols or emoji'],
  [{ kind: 'links', host: 'cheapviews.shop', inName: false }, 'a link to cheapviews.shop'],
  [{ kind: 'links', host: 'spam.xyz', inName: true }, 'in the name: a link to spam.xyz'],
  [{ kind: 'mentions', people: 5 }, 'mentions 5 people'],
  [{ kind: 'mentions', people: 1 }, 'mentions 1 person'],
  [{ kind: 'length', characters: 450, limit: 400 }, 'a message of 450 characters (more than 400)'],
  [
    { kind: 'namePattern', place: 'name', regex: false, pattern: 'hoss', matched: 'H0SS' },
    'the name matches the term “hoss” (“H0SS”)',
  ],
  [
    {
      kind: 'namePattern',
      place: 'text',
      regex: true,
      pattern: 'free ?views',
      matched: 'freeviews',
    },
    'the text matches the pattern “free ?views” (“freeviews”)',
  ],
  [
    { kind: 'shieldRaid', raid: RAID },
    'shield: copy-paste raid “buy followers now”: 6 people in 4 s',
  ],
  [{ kind: 'shieldFirstMessage' }, 'shield: first message here'],
  [{ kind: 'shieldFirstSeen', agoMs: 180_000 }, 'shield: first seen 3 min ago'],
  // A clock set back: the shortest span, as `duration` has always said it.
  [{ kind: 'shieldFirstSeen', agoMs: -5000 }, 'shield: first seen 1 s ago'],
];

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
