/**
 * Query text to a {@link Query} (query.ts), or one sentence saying what is wrong and where.
 *
 * The text is NFKC-normalised first, so full-width input from an East Asian keyboard (`ｆｒｏｍ：`)
 * reads like ASCII. Then, separated by white space:
 * - `-` before anything negates it; a `-` on its own is an error.
 * - `name:value` with a name from {@link OPERATORS} (any case) is an operator; with any other name
 *   it is a plain word (`http://x`, `note:`), as in Chatterino.
 * - `"…"` quotes a phrase or a value; inside, `\"` is a quote and `\\` a backslash, and any other
 *   backslash is itself. A quote elsewhere in a word is a character of it (`5"`).
 * - Values of `from:`, `in:`, `is:`, `has:` and `rule:` are comma lists (`from:a,"b c"`).
 * - `regex:/…/i` reads to the closing slash (white space allowed, `\/` and `[/]` do not close);
 *   `regex:…` reads to white space. Flags `i` and `u` are accepted and always on.
 *
 * A text longer than {@link MAX_QUERY_LENGTH} is refused before it is read.
 */
import { compileRegexRule } from '../wordfilter';
import { DATE_FORMS, resolveDate } from './dates';
import {
  FEATURES,
  MAX_QUERY_LENGTH,
  OPERATORS,
  TRAITS,
  foldText,
  type Clause,
  type Operator,
  type Query,
} from './query';

export type ParseResult = { ok: true; query: Query } | { ok: false; error: string };

/** Never throws: any text gives a query or a sentence naming the part that is wrong. */
export function parseQuery(text: string, now: number = Date.now()): ParseResult {
  // The store would refuse it (the contract's limit) with no word of why; a pasted message can
  // be longer than a query may be.
  if (text.length > MAX_QUERY_LENGTH) {
    return {
      ok: false,
      error: `The query is ${text.length} characters long; a search takes at most ${MAX_QUERY_LENGTH}, so search for a part of it.`,
    };
  }
  try {
    return { ok: true, query: { clauses: new Parser(text.normalize('NFKC'), now).clauses() } };
  } catch (error) {
    if (error instanceof QueryError) return { ok: false, error: error.message };
    throw error;
  }
}

class QueryError extends Error {}

function isOperator(name: string | undefined): name is Operator {
  return (OPERATORS as readonly (string | undefined)[]).includes(name);
}

/** Errors quote the query; a long part is cut so that the sentence stays readable. */
function shown(text: string): string {
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN - 1)}…` : text;
}

const MAX_SHOWN = 40;

const OPERATOR_NAME = /([A-Za-z]+):/y;
const WHITE_SPACE = /\s/u;

const VALUE_EXAMPLES: Record<Operator, string> = {
  from: 'a user name or id, as in from:bob',
  in: 'a room name or key, as in in:lobby',
  is: `one of ${TRAITS.join(', ')}, as in is:flagged`,
  has: 'link, as in has:link',
  rule: 'a rule id, as in rule:r-1',
  before: DATE_FORMS,
  after: DATE_FORMS,
  regex: 'a pattern, as in regex:/b[a4]d/',
};

/** A value as read, and how to show it in an error: as typed when quoted, in quotes when bare. */
interface Value {
  text: string;
  written: string;
}

class Parser {
  private index = 0;

  constructor(
    private readonly input: string,
    private readonly now: number,
  ) {}

  clauses(): Clause[] {
    const clauses: Clause[] = [];
    for (;;) {
      while (this.index < this.input.length && this.atSpace()) this.index += 1;
      if (this.index >= this.input.length) return clauses;
      clauses.push(this.clause());
    }
  }

  private clause(): Clause {
    let negated = false;
    if (this.peek() === '-') {
      this.index += 1;
      if (this.atEnd()) {
        throw new QueryError(
          'A "-" on its own excludes nothing; write what to leave out right after it, as in -spam.',
        );
      }
      negated = true;
    }
    OPERATOR_NAME.lastIndex = this.index;
    const named = OPERATOR_NAME.exec(this.input);
    const operator = named?.[1]?.toLowerCase();
    if (named && isOperator(operator)) {
      this.index += named[0].length;
      return this.operator(operator, negated);
    }
    const value = this.peek() === '"' ? this.quoted() : this.bare(false);
    const text = foldText(value.text);
    if (text === '') {
      throw new QueryError(
        `The quotes ${value.written} are empty; put the words to find between them.`,
      );
    }
    return { type: 'text', negated, text };
  }

  private operator(operator: Operator, negated: boolean): Clause {
    if (this.atEnd()) {
      throw new QueryError(`${operator}: needs ${VALUE_EXAMPLES[operator]}.`);
    }
    if (operator === 'regex') return { type: 'regex', negated, pattern: this.regex() };
    const values = this.list(operator);
    if (operator === 'before' || operator === 'after') return this.date(operator, negated, values);
    const folded = values.map((value) => ({
      ...value,
      // Rule ids are identifiers: kept as typed.
      text: operator === 'rule' ? value.text : foldText(value.text),
    }));
    const empty = folded.find((value) => value.text.trim() === '');
    if (empty) {
      throw new QueryError(`${operator}: needs ${VALUE_EXAMPLES[operator]}, not ${empty.written}.`);
    }
    const texts = folded.map((value) => value.text);
    if (operator === 'is') {
      return { type: 'is', negated, values: this.allowed(operator, texts, TRAITS) };
    }
    if (operator === 'has') {
      return { type: 'has', negated, values: this.allowed(operator, texts, FEATURES) };
    }
    return { type: operator, negated, values: texts };
  }

  private date(operator: 'before' | 'after', negated: boolean, values: Value[]): Clause {
    if (values.length > 1) {
      const written = values.map((value) => value.written).join(',');
      throw new QueryError(`${operator}: takes one date, not a list (${written}).`);
    }
    const resolved = resolveDate(values[0]!.text, this.now);
    if (!resolved) {
      throw new QueryError(`${operator}: takes ${DATE_FORMS}; not ${values[0]!.written}.`);
    }
    return { type: operator, negated, ...resolved };
  }

  private allowed<T extends string>(
    operator: Operator,
    values: string[],
    allowed: readonly T[],
  ): T[] {
    const unknown = values.find((value) => !(allowed as readonly string[]).includes(value));
    if (unknown !== undefined) {
      const choices = allowed.length === 1 ? allowed[0] : `one of ${allowed.join(', ')}`;
      throw new QueryError(`${operator}: takes ${choices}; not "${shown(unknown)}".`);
    }
    return values as T[];
  }

  /** A comma list of values, at least one, each bare or quoted. */
  private list(operator: Operator): Value[] {
    const values: Value[] = [];
    for (;;) {
      const quoted = this.peek() === '"';
      const value = quoted ? this.quoted(true) : this.bare(true);
      if (!quoted && value.text === '') {
        const written = shown(this.input.slice(this.tokenStart(), this.tokenEnd()));
        throw new QueryError(
          `${operator}: has an empty item in "${written}"; remove the extra comma.`,
        );
      }
      values.push(value);
      if (this.peek() !== ',') return values;
      this.index += 1;
    }
  }

  /** Up to white space, or in a list also up to a comma. */
  private bare(inList: boolean): Value {
    const start = this.index;
    while (!this.atEnd() && !(inList && this.peek() === ',')) this.index += 1;
    const text = this.input.slice(start, this.index);
    return { text, written: `"${shown(text)}"` };
  }

  /** A quoted string at the current `"`; it must be followed by white space, the end or (in a list) a comma. */
  private quoted(inList = false): Value {
    const start = this.index;
    this.index += 1;
    let text = '';
    for (;;) {
      if (this.index >= this.input.length) {
        throw new QueryError(
          `The quote that opens ${shown(this.input.slice(start))} is not closed; add a " at its end.`,
        );
      }
      const character = this.peek();
      const next = this.input[this.index + 1];
      if (character === '\\' && (next === '"' || next === '\\')) {
        text += next;
        this.index += 2;
      } else if (character === '"') {
        this.index += 1;
        break;
      } else {
        text += character;
        this.index += 1;
      }
    }
    const written = shown(this.input.slice(start, this.index));
    if (!this.atEnd() && !(inList && this.peek() === ',')) {
      throw new QueryError(`Put a space after the closing quote of ${written}.`);
    }
    return { text, written };
  }

  private regex(): string {
    const start = this.index;
    let pattern: string;
    if (this.peek() === '/') pattern = this.slashed();
    else if (this.peek() === '"') pattern = this.quoted().text;
    else pattern = this.bare(false).text;
    const written = this.input.slice(start, this.index);
    if (pattern === '') throw new QueryError(`regex: needs ${VALUE_EXAMPLES.regex}.`);
    let compiled: ReturnType<typeof compileRegexRule>;
    try {
      compiled = compileRegexRule(pattern);
    } catch {
      // The regex engine's own errors other than syntax are not expected; a search never throws.
      compiled = { problem: 'the regex engine cannot run it' };
    }
    if ('problem' in compiled) {
      throw new QueryError(`The regex ${shown(written)} cannot be used: ${compiled.problem}.`);
    }
    return pattern;
  }

  /** `/pattern/flags`, at the opening slash; the pattern is kept as written, escapes and all. */
  private slashed(): string {
    const start = this.index;
    this.index += 1;
    let inClass = false;
    for (;;) {
      if (this.index >= this.input.length) {
        throw new QueryError(`The regex ${shown(this.input.slice(start))} has no closing /.`);
      }
      const character = this.peek();
      if (character === '/' && !inClass) break;
      if (character === '\\') this.index += 1;
      else if (character === '[') inClass = true;
      else if (character === ']') inClass = false;
      this.index += 1;
    }
    const pattern = this.input.slice(start + 1, this.index);
    this.index += 1;
    const flags = this.bare(false).text;
    const unknown = [...flags].find((flag) => flag !== 'i' && flag !== 'u');
    if (unknown !== undefined) {
      throw new QueryError(
        `regex: takes no flags but i and u (searches always ignore case); not "${unknown}" in ${shown(`/${pattern}/${flags}`)}.`,
      );
    }
    return pattern;
  }

  private peek(): string {
    return this.input[this.index] ?? '';
  }

  private atSpace(): boolean {
    return WHITE_SPACE.test(this.peek());
  }

  private atEnd(): boolean {
    return this.index >= this.input.length || this.atSpace();
  }

  /** Where the white-space-separated token around the current position starts and ends, for errors. */
  private tokenStart(): number {
    let start = this.index;
    while (start > 0 && !WHITE_SPACE.test(this.input[start - 1]!)) start -= 1;
    return start;
  }

  private tokenEnd(): number {
    let end = this.index;
    while (end < this.input.length && !WHITE_SPACE.test(this.input[end]!)) end += 1;
    return end;
  }
}
