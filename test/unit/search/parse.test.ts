import { describe, expect, it } from 'vitest';
import {
  MAX_QUERY_LENGTH,
  describeQuery,
  parseQuery,
  type Clause,
} from '../../../src/shared/search';
import { NOW, parsed } from './parsed';

const HOUR_MS = 60 * 60 * 1000;

function clauses(text: string): Clause[] {
  return parsed(text).clauses;
}

function error(text: string): string {
  const result = parseQuery(text, NOW);
  if (result.ok)
    throw new Error(`expected "${text}" to be refused, got ${describeQuery(result.query)}`);
  return result.error;
}

describe('parseQuery: words and phrases', () => {
  it('reads words as text clauses, folded to lower case', () => {
    expect(clauses('Hello  WORLD')).toEqual([
      { type: 'text', negated: false, text: 'hello' },
      { type: 'text', negated: false, text: 'world' },
    ]);
  });

  it('reads a quoted phrase as one clause with its spaces collapsed', () => {
    expect(clauses('"GG   wp" ez')).toEqual([
      { type: 'text', negated: false, text: 'gg wp' },
      { type: 'text', negated: false, text: 'ez' },
    ]);
  });

  it('reads \\" and \\\\ inside quotes, and keeps other backslashes', () => {
    expect(clauses('"say \\"hi\\" \\\\ \\d"')).toEqual([
      { type: 'text', negated: false, text: 'say "hi" \\ \\d' },
    ]);
  });

  it('keeps a quote inside a word as a character', () => {
    expect(clauses('5"')).toEqual([{ type: 'text', negated: false, text: '5"' }]);
  });

  it('folds full-width letters and a full-width colon (NFKC)', () => {
    expect(clauses('ＧＧ ｆｒｏｍ：Ｂｏｂ')).toEqual([
      { type: 'text', negated: false, text: 'gg' },
      { type: 'from', negated: false, values: ['bob'] },
    ]);
  });

  it('treats an unknown name: as a plain word, as Chatterino does', () => {
    expect(clauses('foo:bar https://example.com')).toEqual([
      { type: 'text', negated: false, text: 'foo:bar' },
      { type: 'text', negated: false, text: 'https://example.com' },
    ]);
  });

  it('finds nothing to require in an empty or blank query', () => {
    expect(clauses('')).toEqual([]);
    expect(clauses(' \t\n ')).toEqual([]);
  });

  it('takes a query as long as the store takes, and says so of a longer one', () => {
    const longest = `"${'x'.repeat(MAX_QUERY_LENGTH - 2)}"`;
    expect(clauses(longest)).toEqual([
      { type: 'text', negated: false, text: 'x'.repeat(MAX_QUERY_LENGTH - 2) },
    ]);
    expect(error(`${longest} `)).toBe(
      `The query is ${MAX_QUERY_LENGTH + 1} characters long; a search takes at most ${MAX_QUERY_LENGTH}, so search for a part of it.`,
    );
  });
});

describe('parseQuery: exclusion', () => {
  it('negates a word, a phrase and operators', () => {
    expect(
      clauses('-spam -"buy now" -from:bob -is:hidden').map((c) => [c.type, c.negated]),
    ).toEqual([
      ['text', true],
      ['text', true],
      ['from', true],
      ['is', true],
    ]);
  });

  it('reads --x as leaving out the word -x', () => {
    expect(clauses('--x')).toEqual([{ type: 'text', negated: true, text: '-x' }]);
  });
});

describe('parseQuery: operators', () => {
  it('reads from: with names, ids, quotes and comma lists', () => {
    expect(clauses('from:Bob,12345,"Two Words"')).toEqual([
      { type: 'from', negated: false, values: ['bob', '12345', 'two words'] },
    ]);
  });

  it('reads in: with a room name or key', () => {
    expect(clauses('in:Lobby,acc-1/room.2')).toEqual([
      { type: 'in', negated: false, values: ['lobby', 'acc-1/room.2'] },
    ]);
  });

  it('reads every is: trait, in any case', () => {
    expect(clauses('is:Flagged,hidden,deleted,held,DM,first')).toEqual([
      {
        type: 'is',
        negated: false,
        values: ['flagged', 'hidden', 'deleted', 'held', 'dm', 'first'],
      },
    ]);
  });

  it('reads has:link', () => {
    expect(clauses('has:link')).toEqual([{ type: 'has', negated: false, values: ['link'] }]);
  });

  it('keeps rule ids as typed', () => {
    expect(clauses('rule:r-Ab1,#over-long')).toEqual([
      { type: 'rule', negated: false, values: ['r-Ab1', '#over-long'] },
    ]);
  });

  it('reads operator names in any case', () => {
    expect(clauses('FROM:bob')).toEqual([{ type: 'from', negated: false, values: ['bob'] }]);
  });

  it('reads regex:/…/ with spaces and slashes inside, and regex:pattern up to a space', () => {
    expect(clauses('regex:/a b\\/c[/]/i regex:b[a4]d x')).toEqual([
      { type: 'regex', negated: false, pattern: 'a b\\/c[/]' },
      { type: 'regex', negated: false, pattern: 'b[a4]d' },
      { type: 'text', negated: false, text: 'x' },
    ]);
  });

  it('reads a quoted regex', () => {
    expect(clauses('regex:"a \\\\d"')).toEqual([
      { type: 'regex', negated: false, pattern: 'a \\d' },
    ]);
  });
});

describe('parseQuery: dates', () => {
  it('reads a day as its local midnight', () => {
    expect(clauses('before:2026-12-01')).toEqual([
      { type: 'before', negated: false, date: '2026-12-01', at: new Date(2026, 11, 1).getTime() },
    ]);
  });

  it('reads a day and time as that local minute', () => {
    expect(clauses('after:2026-12-01t10:05')).toEqual([
      {
        type: 'after',
        negated: false,
        date: '2026-12-01T10:05',
        at: new Date(2026, 11, 1, 10, 5).getTime(),
      },
    ]);
  });

  it('reads today and yesterday as the start of those days', () => {
    const [today, yesterday] = clauses('after:Today before:yesterday');
    expect(today).toMatchObject({ date: 'today', at: new Date(2026, 11, 7).getTime() });
    expect(yesterday).toMatchObject({ date: 'yesterday', at: new Date(2026, 11, 6).getTime() });
  });

  it('reads 7d and 12h back from now', () => {
    const [days, hours] = clauses('after:7d before:012h');
    expect(days).toMatchObject({ date: '7d', at: NOW - 7 * 24 * HOUR_MS });
    expect(hours).toMatchObject({ date: '12h', at: NOW - 12 * HOUR_MS });
  });

  it('reads yesterday across a month boundary', () => {
    const first = new Date(2026, 2, 1, 8, 0).getTime();
    const result = parseQuery('after:yesterday', first);
    expect(result.ok && result.query.clauses[0]).toMatchObject({
      at: new Date(2026, 1, 28).getTime(),
    });
  });
});

describe('parseQuery: errors name the bad part', () => {
  it.each([
    ['is:hiden', 'is: takes one of flagged, hidden, deleted, held, dm, first; not "hiden".'],
    ['is:flagged,nope', 'is: takes one of flagged, hidden, deleted, held, dm, first; not "nope".'],
    ['has:image', 'has: takes link; not "image".'],
    ['from:', 'from: needs a user name or id, as in from:bob.'],
    ['from: bob', 'from: needs a user name or id, as in from:bob.'],
    ['from:""', 'from: needs a user name or id, as in from:bob, not "".'],
    ['in:', 'in: needs a room name or key, as in in:lobby.'],
    ['rule:', 'rule: needs a rule id, as in rule:r-1.'],
    ['from:a,,b', 'from: has an empty item in "from:a,,b"; remove the extra comma.'],
    ['from:a,', 'from: has an empty item in "from:a,"; remove the extra comma.'],
    ['say "two words', 'The quote that opens "two words is not closed; add a " at its end.'],
    ['from:"two words', 'The quote that opens "two words is not closed; add a " at its end.'],
    ['"gg"wp', 'Put a space after the closing quote of "gg".'],
    ['""', 'The quotes "" are empty; put the words to find between them.'],
    ['" "', 'The quotes " " are empty; put the words to find between them.'],
    [
      'a - b',
      'A "-" on its own excludes nothing; write what to leave out right after it, as in -spam.',
    ],
    [
      'before:soon',
      'before: takes a date such as 2026-12-01 or 2026-12-01T10:00, today, yesterday, 7d or 12h; not "soon".',
    ],
    [
      'after:2026-02-30',
      'after: takes a date such as 2026-12-01 or 2026-12-01T10:00, today, yesterday, 7d or 12h; not "2026-02-30".',
    ],
    [
      'after:2026-12-01T24:00',
      'after: takes a date such as 2026-12-01 or 2026-12-01T10:00, today, yesterday, 7d or 12h; not "2026-12-01T24:00".',
    ],
    ['before:1d,2d', 'before: takes one date, not a list ("1d","2d").'],
    ['regex:', 'regex: needs a pattern, as in regex:/b[a4]d/.'],
    ['regex:/abc', 'The regex /abc has no closing /.'],
    [
      'regex:/a/g',
      'regex: takes no flags but i and u (searches always ignore case); not "g" in /a/g.',
    ],
    ['regex:a*', 'The regex a* cannot be used: the pattern can match the empty text.'],
    ['regex:(a)\\1', 'The regex (a)\\1 cannot be used: backreferences are not allowed.'],
  ])('refuses %s', (text, message) => {
    expect(error(text)).toBe(message);
  });

  it('cuts a long part it quotes', () => {
    expect(error(`"${'word '.repeat(20)}`)).toBe(
      `The quote that opens "${'word '.repeat(7)}wor… is not closed; add a " at its end.`,
    );
  });

  it('refuses a regex the linear engine cannot run, saying why', () => {
    expect(error('regex:(?=a)b')).toMatch(/^The regex \(\?=a\)b cannot be used: lookarounds/);
    expect(error('regex:/(/')).toMatch(
      /^The regex \/\(\/ cannot be used: the regex does not compile/,
    );
    expect(error(`regex:${'a'.repeat(300)}`)).toMatch(/longer than 256 characters\.$/);
    expect(error('regex:a{500}')).toMatch(/too large/);
  });
});

describe('describeQuery', () => {
  it('writes the canonical form', () => {
    expect(
      describeQuery(
        parsed(
          'Hello "GG  wp" -SPAM FROM:Bob,"Two Words" in:lobby IS:Flagged has:link rule:r-1 ' +
            'before:2026-12-01 after:07d regex:/b[a4]d/i -regex:"a b" "-x" "from:y" "\\""',
        ),
      ),
    ).toBe(
      'hello "gg wp" -spam from:bob,"two words" in:lobby is:flagged has:link rule:r-1 ' +
        'before:2026-12-01 after:7d regex:b[a4]d -regex:"a b" "-x" "from:y" "\\""',
    );
  });
});
