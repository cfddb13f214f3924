/**
 * A {@link Query} back to query text, canonical: operators in lower case, values folded, quotes only
 * where a value needs them, clauses in order, one space apart. `parseQuery(describeQuery(q), now)`
 * gives `q` back for every `q` that `parseQuery(…, now)` produced (test/unit/search/property.test.ts).
 */
import { OPERATORS, type Clause, type Query } from './query';

export function describeQuery(query: Query): string {
  return query.clauses.map(describeClause).join(' ');
}

function describeClause(clause: Clause): string {
  const sign = clause.negated ? '-' : '';
  switch (clause.type) {
    case 'text':
      return sign + (isBareWord(clause.text) ? clause.text : quote(clause.text));
    case 'regex':
      return `${sign}regex:${isBareRegex(clause.pattern) ? clause.pattern : quote(clause.pattern)}`;
    case 'before':
    case 'after':
      return `${sign}${clause.type}:${clause.date}`;
    default:
      return `${sign}${clause.type}:${clause.values.map(listItem).join(',')}`;
  }
}

const SPACE = /\s/u;
const OPERATOR_PREFIX = new RegExp(`^(?:${OPERATORS.join('|')}):`, 'i');

/** Whether a word reads back as itself unquoted: not an operator, a negation or a quote. */
function isBareWord(text: string): boolean {
  return !SPACE.test(text) && !/^["-]/.test(text) && !OPERATOR_PREFIX.test(text);
}

function isBareRegex(pattern: string): boolean {
  return !SPACE.test(pattern) && !/^["/]/.test(pattern);
}

function listItem(value: string): string {
  return value !== '' && !SPACE.test(value) && !value.includes(',') && !value.startsWith('"')
    ? value
    : quote(value);
}

function quote(text: string): string {
  return `"${text.replace(/["\\]/g, '\\$&')}"`;
}
