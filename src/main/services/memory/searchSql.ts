/**
 * Search queries (`src/shared/search`) as SQL that narrows the store's events to candidates. The
 * SQL only narrows: every candidate is then confirmed with the shared `compileQuery`, so search
 * means the same over the store as over the live buffers. A clause whose SQL says exactly what
 * the predicate says may be negated in SQL; one that only narrows (words) is left to the
 * predicate when negated, and `has:` and `regex:` are left to it always.
 */
import { foldText, type Clause, type Query } from '../../../shared/search';
import { shortTerm } from './shortTerms';

/** The name of the SQL function the store registers as {@link foldText}. */
export const FOLD_FUNCTION = 'fold';

/** A condition on `events e` (joined with `rooms r`) and the values it takes. */
export type SqlCondition = [sql: string, values: unknown[]];

/** The full-text index that answers a term, and what it is asked: null when none answers it. */
export interface TermIndex {
  table: 'events_pairs' | 'events_trigram';
  /** The `MATCH` expression (pairs) or the `LIKE` pattern (trigram). */
  value: string;
}

/**
 * The index for one term: a one- or two-character word through the pairs index, a longer term
 * (without LIKE's wildcards) through the trigram index; null otherwise.
 */
export function termIndex(term: string): TermIndex | null {
  const short = shortTerm(term);
  if (short !== null) {
    return { table: 'events_pairs', value: short.length === 1 ? `"${short}"*` : `"${short}"` };
  }
  if ([...term].length >= 3 && !/[%_]/.test(term)) {
    return { table: 'events_trigram', value: `%${term}%` };
  }
  return null;
}

/** What the index holds a term's events by: its rowid is the event's `seq`. */
export function termIndexSql(index: TermIndex): string {
  return index.table === 'events_pairs'
    ? 'SELECT rowid FROM events_pairs WHERE events_pairs MATCH ?'
    : 'SELECT rowid FROM events_trigram WHERE text LIKE ?';
}

/**
 * Where a search reads its candidates' `seq`s from, newest first, a chunk at a time: `sql` takes
 * its `values`, then the cursor (exclusive) and the chunk's size.
 */
export interface Driver {
  sql: string;
  values: unknown[];
  /** A clause the driver's rows all satisfy: SQL need not test it again (the predicate does). */
  covers?: Clause;
}

/**
 * What drives a query: the word {@link drivingTerm} picks, else `is:first` alone in its clause and
 * not negated (the `chatters` table in order of first message, schema migration 6); null for
 * none, when the events table is read with the query's conditions.
 */
export function searchDriver(query: Query): Driver | null {
  const term = drivingTerm(query);
  if (term) {
    return {
      sql: `${termIndexSql(term)} AND rowid < ? ORDER BY rowid DESC LIMIT ?`,
      values: [term.value],
    };
  }
  const first = query.clauses.find(
    (clause) =>
      clause.type === 'is' &&
      !clause.negated &&
      clause.values.length === 1 &&
      clause.values[0] === 'first',
  );
  return first
    ? {
        sql: 'SELECT first_seq AS rowid FROM chatters WHERE first_seq < ? ORDER BY first_seq DESC LIMIT ?',
        values: [],
        covers: first,
      }
    : null;
}

/** The condition for one term through its index (see {@link termIndex}); null when none. */
export function indexedTermCondition(term: string, seq = 'seq'): SqlCondition | null {
  const index = termIndex(term);
  return index ? [`${seq} IN (${termIndexSql(index)})`, [index.value]] : null;
}

/**
 * The word a search reads its candidates by, through its index, newest first: the longest word of
 * the query an index answers (a longer word is rarer), trigram words before pairs. Null when the
 * query has none: its candidates come from the events table with the other conditions.
 */
export function drivingTerm(query: Query): TermIndex | null {
  const words = query.clauses.flatMap((clause) =>
    clause.type === 'text' && !clause.negated
      ? foldText(clause.text)
          .split(' ')
          .filter((word) => word !== '' && ignoresCaseInSql(word))
      : [],
  );
  const ranked = words
    .map((word) => ({ word, index: termIndex(word) }))
    .filter((entry): entry is { word: string; index: TermIndex } => entry.index !== null)
    .sort(
      (a, b) =>
        Number(b.index.table === 'events_trigram') - Number(a.index.table === 'events_trigram') ||
        [...b.word].length - [...a.word].length,
    );
  return ranked[0]?.index ?? null;
}

/**
 * Whether a message is the user's first in the room that the store saw (`is:first`): its `seq` is
 * the one the `chatters` table keeps for them (schema migration 5; chat messages only).
 */
export const FIRST_SQL = `(e.seq IN (SELECT first_seq FROM chatters))`;

/** The same for one row at a time (a search's answer says it): a lookup by the table's key. */
export const FIRST_COLUMN_SQL = `EXISTS (SELECT 1 FROM chatters c
  WHERE c.room_key = e.room_key AND c.user_id = e.user_id AND c.first_seq = e.seq)`;

/**
 * The SQL conditions that narrow events to the query's candidates (joined by AND). `words: false`
 * leaves the words out: a search driven by one word's index ({@link drivingTerm}) confirms the
 * others with the predicate instead of asking every other word's index for all its events.
 * `rooms`, when given, finds an `in:` clause's rooms before the query is made.
 */
export function searchConditions(query: Query, words = true, rooms?: RoomFinder): SqlCondition[] {
  const conditions: SqlCondition[] = [];
  for (const clause of query.clauses) {
    const exact = exactCondition(clause, rooms);
    if (exact) {
      // coalesce: a NULL column (no user) makes the clause false, and its negation true. Not
      // negated, WHERE already takes NULL as false, and the planner sees the bare condition (an
      // index it can use is hidden inside a function call).
      const [sql, values] = exact;
      conditions.push([clause.negated ? `NOT coalesce((${sql}), 0)` : `(${sql})`, values]);
    } else if (!clause.negated && words) {
      conditions.push(...narrowingConditions(clause));
    }
  }
  return conditions;
}

function placeholders(values: readonly unknown[]): string {
  return values.map(() => '?').join(', ');
}

/** The keys of the rooms whose folded name, key or id is one of the values. */
export function roomKeysSql(values: readonly string[]): SqlCondition {
  const list = placeholders(values);
  return [
    `SELECT room_key FROM rooms
       WHERE name_fold IN (${list}) OR key_fold IN (${list}) OR id_fold IN (${list})`,
    [...values, ...values, ...values],
  ];
}

/** Finds the keys of the rooms an `in:` clause names (the store's `rooms`). */
export type RoomFinder = (values: readonly string[]) => string[];

/** SQL that holds exactly when the clause (without its negation) does; undefined when none does. */
function exactCondition(clause: Clause, rooms?: RoomFinder): SqlCondition | undefined {
  switch (clause.type) {
    // The users whose folded name or id is a value (`user_names`, schema migration 5), then
    // their events through events_by_user; `fold()` confirms each event's own name or id (a user
    // may have had another name), so the clause is exact and may be negated.
    case 'from': {
      const list = placeholders(clause.values);
      return [
        `(e.account_id, e.user_id) IN (SELECT account_id, user_id FROM user_names
           WHERE name_fold IN (${list}) OR id_fold IN (${list}))
         AND (${FOLD_FUNCTION}(e.user_name) IN (${list}) OR ${FOLD_FUNCTION}(e.user_id) IN (${list}))`,
        [...clause.values, ...clause.values, ...clause.values, ...clause.values],
      ];
    }
    // Every room the store has events of has a row in `rooms` with its folded name, key and id:
    // the rooms are found first, then their events through (room_key, seq). Given the keys
    // already found (`rooms`), SQL gets them as values: one room is then an equality the planner
    // reads in `seq` order from the index, where a subquery made it sort all the room's events.
    case 'in': {
      if (rooms) {
        const keys = rooms(clause.values);
        return keys.length === 0 ? ['0', []] : [`e.room_key IN (${placeholders(keys)})`, keys];
      }
      const [sql, values] = roomKeysSql(clause.values);
      return [`e.room_key IN (${sql})`, values];
    }
    case 'is':
      return [clause.values.map(traitSql).join(' OR '), []];
    case 'rule':
      return [
        `EXISTS (SELECT 1 FROM json_each(e.flags) WHERE json_extract(value, '$.ruleId') IN (${placeholders(clause.values)}))`,
        clause.values,
      ];
    case 'before':
      return ['e.created_at < ?', [clause.at]];
    case 'after':
      return ['e.created_at >= ?', [clause.at]];
    default:
      return undefined;
  }
}

function traitSql(trait: Extract<Clause, { type: 'is' }>['values'][number]): string {
  switch (trait) {
    case 'flagged':
      return 'e.flags IS NOT NULL';
    case 'hidden':
    case 'deleted':
    case 'held':
      return `e.state = '${trait}'`;
    case 'dm':
      return `e.kind = 'dm'`;
    case 'first':
      return FIRST_SQL;
  }
}

/**
 * SQL that holds whenever the clause does (and maybe more often). A word or phrase needs each of
 * its words through an index: the predicate folds runs of white space, so a phrase is looked up
 * word by word. A word no index can answer (one or two characters with punctuation, or a
 * letter with case outside ASCII, see {@link ignoresCaseInSql}) narrows nothing. The trigram index compares case-insensitively but without NFKC, so a stored message in
 * full-width letters is not found by a word of three or more characters (README, "Search").
 */
function narrowingConditions(clause: Clause): SqlCondition[] {
  switch (clause.type) {
    case 'text':
      return foldText(clause.text)
        .split(' ')
        .flatMap((word) => {
          const indexed = ignoresCaseInSql(word) ? indexedTermCondition(word, 'e.seq') : null;
          return indexed ? [indexed] : [];
        });
    default:
      return [];
  }
}

/** `İ` (U+0130) lowered: `i` and U+0307, the combining dot above. */
const DOTTED_I = 'i\u0307';

/**
 * Whether SQL's LIKE, which the trigram index's answers pass through, finds the word in any letter
 * case: LIKE folds ASCII letters only, so `école` would miss `ÉCOLE`. Letters without case (Hangul,
 * kana, Han) and ASCII are safe, but for `i` with a combining dot above: that is how the capital
 * `İ` lowers, and LIKE does not match it to `İ`. (Of every code point not changed by NFKC, `İ` is
 * the only one that lowers to characters this test passes and LIKE does not match.) The pairs
 * index folds the rest itself.
 */
function ignoresCaseInSql(word: string): boolean {
  return (
    shortTerm(word) !== null ||
    (!word.includes(DOTTED_I) &&
      [...word].every((char) => char < '\u0080' || char.toUpperCase() === char))
  );
}
