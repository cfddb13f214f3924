/**
 * Rules, version 2 (issue #27): allowed terms (exceptions), exempt users, scopes and severities,
 * through the word filter and the feeds' per-room rules (`WordRules`). Table-driven.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WordRules } from '../../../src/main/services/feeds/wordRules';
import type { ChatUser } from '../../../src/shared/chat';
import { rulesOfRoom, type Rule } from '../../../src/shared/model';
import { MAX_RULE_EXCEPTIONS, compileRules, ruleProblem } from '../../../src/shared/wordfilter';

const CHATTER: ChatUser = { id: 'u1', name: 'Mina' };

function words(rules: Rule[]): WordRules {
  return new WordRules(rules, compileRules, (error) => {
    throw error;
  });
}

describe('exceptions: a match inside an allowed term is dropped', () => {
  const cases: Array<[string, Omit<Rule, 'id'>, string, string[]]> = [
    ['ass except assistant: "ass"', { pattern: 'ass', exceptions: ['assistant'] }, 'ass', ['ass']],
    [
      'ass except assistant: "assistant"',
      { pattern: 'ass', exceptions: ['assistant'] },
      'assistant',
      [],
    ],
    [
      'ass except assistant: both in one text',
      { pattern: 'ass', exceptions: ['assistant'] },
      'my assistant is an ass',
      ['ass'],
    ],
    [
      'allowed terms are normalised as terms are',
      { pattern: 'ass', exceptions: ['assistant'] },
      'A.S.S.I.S.T.A.N.T',
      [],
    ],
    [
      'an allowed term only excuses its own rule',
      { pattern: 'ass', exceptions: ['class'] },
      'assistant',
      ['ass'],
    ],
    [
      'a regex rule with an allowed term',
      { pattern: 'b[a4]d', kind: 'regex', exceptions: ['badminton'] },
      'badminton is b4d',
      ['b4d'],
    ],
    [
      'several allowed terms',
      { pattern: 'ass', exceptions: ['class', 'pass'] },
      'class pass ass',
      ['ass'],
    ],
    ['without exceptions nothing changes', { pattern: 'ass' }, 'assistant', ['ass']],
  ];
  it.each(cases)('%s', (_name, rule, text, expected) => {
    const matches = compileRules([{ id: 'r', ...rule }]).match(text);
    expect(matches.map((match) => text.slice(match.start, match.end))).toEqual(expected);
  });

  it('refuses an allowed term with nothing to match', () => {
    expect(ruleProblem({ id: 'r', pattern: 'ass', exceptions: ['...'] })).toBe(
      'an allowed term has no letters or digits to match',
    );
    expect(ruleProblem({ id: 'r', pattern: 'ass', exceptions: ['assistant'] })).toBeUndefined();
  });
});

describe('exempt users, scopes and severities in the feeds', () => {
  const hostile: ChatUser = { id: 'u9', name: 'free_viewers_123' };
  const cases: Array<{
    name: string;
    rules: Rule[];
    text: string;
    user: ChatUser;
    flags: unknown[];
  }> = [
    {
      name: 'a text rule flags the text with a span',
      rules: [{ id: 'r', pattern: 'scam' }],
      text: 'a scam',
      user: CHATTER,
      flags: [{ ruleId: 'r', start: 2, end: 6 }],
    },
    {
      name: 'an exempt user (by id) is not flagged',
      rules: [{ id: 'r', pattern: 'scam', exemptUsers: ['U1'] }],
      text: 'a scam',
      user: CHATTER,
      flags: [],
    },
    {
      name: 'an exempt user (by name, any case) is not flagged',
      rules: [{ id: 'r', pattern: 'scam', exemptUsers: ['mina'] }],
      text: 'a scam',
      user: CHATTER,
      flags: [],
    },
    {
      name: 'another user is flagged by a rule with exempt users',
      rules: [{ id: 'r', pattern: 'scam', exemptUsers: ['someone'] }],
      text: 'a scam',
      user: CHATTER,
      flags: [{ ruleId: 'r', start: 2, end: 6 }],
    },
    {
      name: 'name scope flags a hostile name, with the reason',
      rules: [{ id: 'r', pattern: 'free viewers', scope: 'name' }],
      text: 'hello',
      user: hostile,
      flags: [
        {
          ruleId: 'r',
          reason: 'name matches “free_viewers”',
          why: { kind: 'wordName', matched: 'free_viewers' },
          severity: 'medium',
        },
      ],
    },
    {
      name: 'name scope does not read the text',
      rules: [{ id: 'r', pattern: 'free viewers', scope: 'name' }],
      text: 'free viewers here',
      user: CHATTER,
      flags: [],
    },
    {
      name: 'text scope does not read the name',
      rules: [{ id: 'r', pattern: 'free viewers', scope: 'text' }],
      text: 'hello',
      user: hostile,
      flags: [],
    },
    {
      name: 'both: the text and the name, each flagged',
      rules: [{ id: 'r', pattern: 'free viewers', scope: 'both', severity: 'high' }],
      text: 'get free viewers',
      user: hostile,
      flags: [
        { ruleId: 'r', start: 4, end: 16, severity: 'high' },
        {
          ruleId: 'r',
          reason: 'name matches “free_viewers”',
          why: { kind: 'wordName', matched: 'free_viewers' },
          severity: 'high',
        },
      ],
    },
    {
      name: 'a regex on names',
      rules: [{ id: 'r', pattern: '\\d{3}$', kind: 'regex', scope: 'name', severity: 'low' }],
      text: 'hi',
      user: hostile,
      flags: [
        {
          ruleId: 'r',
          reason: 'name matches “123”',
          why: { kind: 'wordName', matched: '123' },
          severity: 'low',
        },
      ],
    },
    {
      name: 'a low rule carries its severity on the span',
      rules: [{ id: 'r', pattern: 'scam', severity: 'low' }],
      text: 'scam',
      user: CHATTER,
      flags: [{ ruleId: 'r', start: 0, end: 4, severity: 'low' }],
    },
    {
      name: 'an exempt user is not flagged by name either',
      rules: [{ id: 'r', pattern: 'free viewers', scope: 'name', exemptUsers: ['u9'] }],
      text: 'hello',
      user: hostile,
      flags: [],
    },
    {
      name: "a room's rule of the same id wins",
      rules: [
        { id: 'r', pattern: 'scam', severity: 'high' },
        { id: 'r', pattern: 'scam', exemptUsers: ['Mina'] },
      ],
      text: 'scam',
      user: CHATTER,
      flags: [],
    },
  ];
  it.each(cases)('$name', ({ rules, text, user, flags }) => {
    expect(words(rules).flag(text, user, true)).toEqual(flags);
  });

  it("does not read the name of a message that is not a chatter's own", () => {
    const rules = words([{ id: 'r', pattern: 'free viewers', scope: 'name' }]);
    expect(rules.flag('hello', hostile, false)).toEqual([]);
    expect(rules.flag('hello', hostile, true)).toHaveLength(1);
  });

  it('gives a name the same answer every time (names are remembered)', () => {
    const rules = words([{ id: 'r', pattern: 'free viewers', scope: 'name' }]);
    const first = rules.flag('a', hostile, true);
    expect(rules.flag('b', hostile, true)).toEqual(first);
    expect(rules.flag('c', CHATTER, true)).toEqual([]);
  });
});

describe("a room's own copy of a global rule (the same id) replaces it in that room", () => {
  const hostile: ChatUser = { id: 'u9', name: 'free_viewers_123' };
  const inRoom = (global: Rule[], own: Rule[]) => words(rulesOfRoom(global, own));

  it('with its allowed terms', () => {
    const global: Rule = { id: 'r-ass', pattern: 'ass' };
    const own: Rule = { ...global, exceptions: ['assistant'] };
    expect(inRoom([global], [own]).flag('my assistant', CHATTER, true)).toEqual([]);
    expect(inRoom([global], []).flag('my assistant', CHATTER, true)).toHaveLength(1);
  });

  it('with its scope, names only or text only', () => {
    const both: Rule = { id: 'r', pattern: 'free viewers', scope: 'both' };
    const names = inRoom([both], [{ ...both, scope: 'name' }]);
    expect(names.flag('free viewers here', CHATTER, true)).toEqual([]);
    expect(names.flag('hello', hostile, true)).toHaveLength(1);
    const texts = inRoom([both], [{ ...both, scope: 'text' }]);
    expect(texts.flag('hello', hostile, true)).toEqual([]);
    expect(texts.flag('free viewers here', CHATTER, true)).toHaveLength(1);
  });

  it('with one span for each hit, at its severity, and the global rules of other ids kept in place', () => {
    const rules: Rule[] = [
      { id: 'r', pattern: 'scam', severity: 'high' },
      { id: 'q', pattern: 'spam' },
    ];
    const room = rulesOfRoom(rules, [{ id: 'r', pattern: 'scam', severity: 'low' }]);
    expect(room.map((rule) => [rule.id, rule.severity])).toEqual([
      ['r', 'low'],
      ['q', undefined],
    ]);
    expect(words(room).flag('a scam', CHATTER, true)).toEqual([
      { ruleId: 'r', start: 2, end: 6, severity: 'low' },
    ]);
  });
});

describe('exceptions, over random texts', () => {
  const PIECES = [
    'ass',
    'assistant',
    'class',
    'a s s',
    'ASS',
    'bass',
    ' ',
    '!',
    'x',
    '4ss',
    'istant',
  ];
  const plain = compileRules([{ id: 'r', pattern: 'ass' }]);
  const excused = compileRules([{ id: 'r', pattern: 'ass', exceptions: ['assistant', 'class'] }]);

  it('only ever drops hits, and drops exactly those inside an allowed term', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...PIECES), { maxLength: 12 }), (pieces) => {
        const text = pieces.join('');
        const all = plain.match(text);
        const kept = excused.match(text);
        // Every kept hit is a hit without exceptions.
        for (const hit of kept) expect(all).toContainEqual(hit);
        // A text without the letters of an allowed term keeps every hit.
        if (!/istant|cl/i.test(text)) expect(kept).toEqual(all);
      }),
      { numRuns: 500, seed: 27 },
    );
  });
});

describe('bounds', () => {
  it('refuses a rule with more allowed terms than MAX_RULE_EXCEPTIONS', () => {
    const many = Array.from({ length: MAX_RULE_EXCEPTIONS + 1 }, (_, index) => `ass${index}`);
    expect(ruleProblem({ id: 'r', pattern: 'ass', exceptions: many })).toBe(
      `a rule has at most ${MAX_RULE_EXCEPTIONS} allowed terms`,
    );
    expect(
      ruleProblem({ id: 'r', pattern: 'ass', exceptions: many.slice(0, MAX_RULE_EXCEPTIONS) }),
    ).toBeUndefined();
  });
});
