/**
 * The search query language (issue #26, "Search") as data: what `parseQuery` produces,
 * `describeQuery` writes back and `matchesQuery` (or a SQL compiler) evaluates.
 *
 * A query is a list of clauses that must all hold (AND). A clause with a list of values holds when
 * any value does (OR, Chatterino's comma lists: `from:a,b`). `negated` (a leading `-`) flips the
 * clause. An empty list of clauses matches every message.
 *
 * | Clause   | Written as                              | Holds when                                   |
 * | -------- | --------------------------------------- | -------------------------------------------- |
 * | `text`   | `word`, `"exact phrase"`                | the folded text contains `text`              |
 * | `from`   | `from:name`, `from:"two words",id`      | the user's folded name or id equals a value  |
 * | `in`     | `in:lobby`, `in:acc/room-1`             | the room's folded name, key or id equals one |
 * | `is`     | `is:flagged,held`                       | the message has one of the traits            |
 * | `has`    | `has:link`                              | the text has a URL or a bare domain          |
 * | `rule`   | `rule:r-1,r-2`                          | one of the ids is among the message's rules  |
 * | `before` | `before:2026-12-01`, `before:7d`        | `at < bound`                                 |
 * | `after`  | `after:2026-12-01T10:00`, `after:today` | `at >= bound`                                |
 * | `regex`  | `regex:/b[a4]d/`, `regex:b[a4]d`        | the pattern matches the folded text          |
 *
 * Text and names are compared folded ({@link foldText}: NFKC, lower case, runs of white space as
 * one space), and values in the AST are already folded, so a compiler compares them with folded
 * columns as they are. Words and phrases are the same clause: both match as substrings, so a
 * two-letter word finds `gg wp` and 바보 finds 바보야. Rule ids are identifiers and stay as typed.
 */

/** The traits `is:` names. `held`: the message waits in a hold queue; `first`: the user's first in the room. */
export const TRAITS = ['flagged', 'hidden', 'deleted', 'held', 'dm', 'first'] as const;
export type Trait = (typeof TRAITS)[number];

/** What `has:` names. */
export const FEATURES = ['link'] as const;
export type Feature = (typeof FEATURES)[number];

export type Clause =
  | { type: 'text'; negated: boolean; text: string }
  | { type: 'from' | 'in' | 'rule'; negated: boolean; values: string[] }
  | { type: 'is'; negated: boolean; values: Trait[] }
  | { type: 'has'; negated: boolean; values: Feature[] }
  | {
      type: 'before' | 'after';
      negated: boolean;
      /** As written, canonical: `2026-12-01`, `2026-12-01T10:00`, `today`, `yesterday`, `7d`, `12h`. */
      date: string;
      /** The start of the named day or minute, or the instant `now` minus the duration (epoch ms). */
      at: number;
    }
  | {
      type: 'regex';
      negated: boolean;
      /** JavaScript syntax, run case-insensitively on the linear engine (linearRegex.ts). */
      pattern: string;
    };

export type ClauseType = Clause['type'];

export interface Query {
  clauses: Clause[];
}

/** The longest query text `history.search` takes, in UTF-16 units as typed (before NFKC). */
export const MAX_QUERY_LENGTH = 1000;

/** Operators with a value; any other `name:value` is a plain word, as in Chatterino. */
export const OPERATORS = [
  'from',
  'in',
  'is',
  'has',
  'rule',
  'before',
  'after',
  'regex',
] as const satisfies readonly ClauseType[];
export type Operator = (typeof OPERATORS)[number];

const WHITE_SPACE = /\s+/gu;

/**
 * Text as search compares it: NFKC (full-width letters, ligatures, Hangul jamo composed), lower
 * case, runs of white space as one space, trimmed. Lower-casing can leave text that NFKC changes
 * again (and NFKC can produce upper case), so both repeat until nothing changes; every string
 * settles within a few rounds, and the bound keeps the function total.
 */
export function foldText(text: string): string {
  let folded = text;
  for (let round = 0; round < 4; round += 1) {
    const next = folded.normalize('NFKC').toLowerCase().replace(WHITE_SPACE, ' ').trim();
    if (next === folded) break;
    folded = next;
  }
  return folded;
}
