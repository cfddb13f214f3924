/**
 * Property tests: any text parses or gets an error sentence, never an exception; what parses
 * describes back to text that parses to the same query; a message built to satisfy a generated
 * query matches it, and negating any one clause of it makes it miss.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  describeQuery,
  foldText,
  matchesQuery,
  parseQuery,
  type Query,
  type SearchableMessage,
} from '../../../src/shared/search';
import { NOW, parsed } from './parsed';

/** Pieces that make the parser's edge cases likely: operators, quotes, escapes, signs, lists. */
const PIECES = [
  'from:',
  'in:',
  'is:',
  'has:',
  'rule:',
  'before:',
  'after:',
  'regex:',
  'REGEX:',
  'foo:',
  'flagged',
  'link',
  'today',
  '7d',
  '2026-12-01',
  'T10:00',
  '"',
  '\\',
  '\\"',
  '-',
  '--',
  ',',
  '/',
  '[',
  ']',
  '(',
  ')',
  '+',
  '*',
  ' ',
  '  ',
  '\t',
  '\n',
  'a',
  'Bb',
  '바보',
  'ｆｒｏｍ：',
  '＂',
  '¨',
  '\u0301',
  '\u200b',
  'İ',
  'ß',
  '\ud800',
];

const queryLike = fc
  .array(fc.constantFrom(...PIECES), { maxLength: 24 })
  .map((parts) => parts.join(''));
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.string({ unit: 'grapheme', maxLength: 60 }),
  queryLike,
);

describe('foldText', () => {
  it('changes nothing it has folded, so values in a query compare with folded text as they are', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const folded = foldText(text);
        expect(foldText(folded)).toBe(folded);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('parseQuery on any text', () => {
  it('never throws, and refuses with one sentence', () => {
    fc.assert(
      fc.property(anyText, fc.integer({ min: 0, max: 4e12 }), (text, now) => {
        const result = parseQuery(text, now);
        if (!result.ok) {
          expect(result.error).toMatch(/^\S.*\.$/s);
          expect(result.error.length).toBeGreaterThan(10);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('describes what it parsed as text that parses to the same query', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const result = parseQuery(text, NOW);
        if (!result.ok) return;
        const again = parseQuery(describeQuery(result.query), NOW);
        expect(again).toEqual(result);
      }),
      { numRuns: 3000 },
    );
  });
});

// Vocabulary kept apart so that a built message can satisfy a query: included words never contain
// the letters of excluded ones, and the link and the filler word contain neither.
const INCLUDED_LETTERS = [...'abcABC가나'];
const EXCLUDED_LETTERS = [...'qvzQVZ다라'];
const FILLER = 'abc';
const LINK = 'https://abc.com/';

function word(letters: string[]): fc.Arbitrary<string> {
  return fc
    .array(fc.constantFrom(...letters), { minLength: 1, maxLength: 4 })
    .map((l) => l.join(''));
}

function randomCase(name: string): fc.Arbitrary<string> {
  return fc.boolean().map((upper) => (upper ? name.toUpperCase() : name));
}

/** A query part as text, and how to make a message satisfy it. */
interface Part {
  text: string;
  apply: (message: SearchableMessage) => void;
}

function listOf(values: fc.Arbitrary<string>): fc.Arbitrary<string[]> {
  return fc.array(values, { minLength: 1, maxLength: 3 });
}

function quoteIfSpaced(value: string): string {
  return value.includes(' ') ? `"${value}"` : value;
}

const includedWord: fc.Arbitrary<Part> = word(INCLUDED_LETTERS).map((w) => ({
  text: w,
  apply: (m) => {
    m.text += ` ${w}`;
  },
}));

const includedPhrase: fc.Arbitrary<Part> = fc
  .array(word(INCLUDED_LETTERS), { minLength: 2, maxLength: 3 })
  .map((words) => ({
    text: `"${words.join('  ')}"`,
    apply: (m) => {
      m.text += ` ${words.join(' ')}`;
    },
  }));

const excludedWord: fc.Arbitrary<Part> = word(EXCLUDED_LETTERS).map((w) => ({
  text: `-${w}`,
  apply: () => {},
}));

const excludedPhrase: fc.Arbitrary<Part> = fc
  .array(word(EXCLUDED_LETTERS), { minLength: 2, maxLength: 2 })
  .map((words) => ({ text: `-"${words.join(' ')}"`, apply: () => {} }));

const names = listOf(fc.oneof(word(INCLUDED_LETTERS), fc.constant('two words')));

function nameOperator(operator: 'from' | 'in', field: 'userName' | 'roomName'): fc.Arbitrary<Part> {
  return fc.tuple(randomCase(operator), names, fc.boolean()).map(([name, values, negated]) => ({
    text: `${negated ? '-' : ''}${name}:${values.map(quoteIfSpaced).join(',')}`,
    apply: (m) => {
      m[field] = negated ? 'someone else' : values[0]!.toUpperCase();
    },
  }));
}

const TRAIT_STATES = { hidden: 'hidden', deleted: 'deleted', held: 'held' } as const;

const isOperator: fc.Arbitrary<Part> = fc
  .tuple(
    fc.boolean(),
    fc.array(fc.constantFrom('flagged', 'hidden', 'deleted', 'held', 'dm', 'first'), {
      minLength: 1,
      maxLength: 3,
    }),
  )
  .map(([negated, traits]) => ({
    // A message without a rule is not flagged, and a rule:… part may give it one.
    text: `${negated ? '-' : ''}is:${(negated ? traits.filter((t) => t !== 'flagged') : traits).join(',') || 'dm'}`,
    apply: (m) => {
      if (negated) return;
      const trait = traits[0]!;
      if (trait === 'flagged') m.ruleIds = [...m.ruleIds, 'r-flag'];
      else if (trait === 'dm') m.kind = 'dm';
      else if (trait === 'first') m.first = true;
      else m.state = TRAIT_STATES[trait];
    },
  }));

const hasOperator: fc.Arbitrary<Part> = fc.boolean().map((negated) => ({
  text: `${negated ? '-' : ''}has:link`,
  apply: (m) => {
    if (!negated) m.text += ` ${LINK}`;
  },
}));

const ruleOperator: fc.Arbitrary<Part> = fc
  .tuple(fc.boolean(), listOf(fc.integer({ min: 1, max: 9 }).map((n) => `r-${n}`)))
  .map(([negated, ids]) => ({
    text: `${negated ? '-' : ''}rule:${ids.join(',')}`,
    apply: (m) => {
      if (!negated) m.ruleIds = [...m.ruleIds, ids[0]!];
    },
  }));

// Messages are sent three hours before NOW (15:30 local): after 12h, 1d, today; before 1h, 2h.
const EARLIER = ['12h', '1d', '7d', 'today', 'yesterday', '2026-12-01', '2026-12-07T12:00'];
const LATER = ['1h', '2h', '2026-12-08', '2026-12-07T13:00'];

function dateOperator(operator: 'before' | 'after'): fc.Arbitrary<Part> {
  return fc.boolean().chain((negated) => {
    const holds = (operator === 'after') !== negated ? EARLIER : LATER;
    return fc.constantFrom(...holds).map((date) => ({
      text: `${negated ? '-' : ''}${operator}:${date}`,
      apply: () => {},
    }));
  });
}

const MATCHING_REGEXES = ['ab+c', '/^abc/', '"a.c"', '/[가-힣]|abc/i', 'a(b|x)c'];
const MISSING_REGEXES = ['[qvz]', '다', 'b{5}', '/^x/'];

const regexOperator: fc.Arbitrary<Part> = fc.boolean().chain((negated) =>
  fc.constantFrom(...(negated ? MISSING_REGEXES : MATCHING_REGEXES)).map((pattern) => ({
    text: `${negated ? '-' : ''}regex:${pattern}`,
    apply: () => {},
  })),
);

const part = fc.oneof(
  includedWord,
  includedPhrase,
  excludedWord,
  excludedPhrase,
  nameOperator('from', 'userName'),
  nameOperator('in', 'roomName'),
  isOperator,
  hasOperator,
  ruleOperator,
  dateOperator('before'),
  dateOperator('after'),
  regexOperator,
);

/** Parts with at most one of each operator, so that a message can satisfy them all. */
const satisfiableParts = fc
  .array(part, { minLength: 1, maxLength: 8 })
  .map((parts) => {
    const seen = new Set<string>();
    return parts.filter((p) => {
      const name = /^-?([a-zA-Z]+):/.exec(p.text)?.[1]?.toLowerCase();
      if (name === undefined) return true;
      if (seen.has(name)) return false;
      seen.add(name);
      return true;
    });
  })
  .filter((parts) => parts.length > 0);

function build(parts: Part[]): SearchableMessage {
  const message: SearchableMessage = {
    roomKey: 'acc/room',
    roomName: 'room',
    userId: 'u-1',
    userName: 'user',
    text: FILLER,
    kind: 'message',
    state: 'visible',
    ruleIds: [],
    at: NOW - 3 * 60 * 60 * 1000,
  };
  for (const p of parts) p.apply(message);
  return message;
}

function negate(query: Query, index: number): Query {
  return {
    clauses: query.clauses.map((clause, i) =>
      i === index ? { ...clause, negated: !clause.negated } : clause,
    ),
  };
}

describe('generated queries', () => {
  it('parse, and describe back to the same query', () => {
    fc.assert(
      fc.property(fc.array(part, { maxLength: 10 }), (parts) => {
        const query = parsed(parts.map((p) => p.text).join(' '));
        expect(query.clauses).toHaveLength(parts.length);
        expect(parseQuery(describeQuery(query), NOW)).toEqual({ ok: true, query });
      }),
      { numRuns: 1000 },
    );
  });

  it('match a message built to satisfy them, and miss it when any one clause is negated', () => {
    fc.assert(
      fc.property(satisfiableParts, (parts) => {
        const query = parsed(parts.map((p) => p.text).join(' '));
        const message = build(parts);
        expect(matchesQuery(query, message)).toBe(true);
        query.clauses.forEach((_, index) => {
          expect(matchesQuery(negate(query, index), message)).toBe(false);
        });
      }),
      { numRuns: 1000 },
    );
  });
});

const anyMessage: fc.Arbitrary<SearchableMessage> = fc.record({
  roomKey: fc.constantFrom('acc/room', 'acc/lobby'),
  roomName: fc.constantFrom('room', 'Lobby', 'two words'),
  userId: fc.constantFrom('u-1', null),
  userName: fc.constantFrom('a', 'B', 'two words', null),
  text: fc.oneof(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.constant(`abc ${LINK}`)),
  kind: fc.constantFrom('message', 'dm'),
  state: fc.constantFrom('visible', 'hidden', 'deleted', 'held'),
  ruleIds: fc.array(fc.constantFrom('r-1', 'r-2'), { maxLength: 2 }),
  first: fc.boolean(),
  at: fc.integer({ min: NOW - 30 * 24 * 60 * 60 * 1000, max: NOW }),
});

describe('negation', () => {
  it('flips every clause on any message', () => {
    fc.assert(
      fc.property(part, anyMessage, (p, message) => {
        const query = parsed(p.text);
        expect(matchesQuery(negate(query, 0), message)).toBe(!matchesQuery(query, message));
      }),
      { numRuns: 2000 },
    );
  });
});

const SYLLABLES = [...'바보야가나다라마사아자차카타파하'];
const LATIN = [...'abcdefgGHWP'];

describe('two-character words', () => {
  it('find every message with them inside a word, in Korean and in English', () => {
    const text = fc
      .array(fc.constantFrom(...SYLLABLES, ...LATIN, ' '), { minLength: 2, maxLength: 30 })
      .map((c) => c.join(''));
    fc.assert(
      fc.property(text, fc.nat(), (message, seed) => {
        const pairs = [...message.matchAll(/(?=(\S\S))/g)].map((m) => m[1]!);
        fc.pre(pairs.length > 0);
        const pair = pairs[seed % pairs.length]!;
        const built = { ...build([]), text: message };
        expect(matchesQuery(parsed(pair), built)).toBe(true);
        expect(matchesQuery(parsed(`-${pair}`), built)).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });
});
