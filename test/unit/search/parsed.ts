import { parseQuery, type Query } from '../../../src/shared/search';

/** The tests' fixed now, in local time as the parser reads dates, so they hold in any time zone. */
export const NOW = new Date(2026, 11, 7, 15, 30).getTime();

/** The query a text parses to at {@link NOW}; a text that does not parse fails the test. */
export function parsed(text: string): Query {
  const result = parseQuery(text, NOW);
  if (!result.ok) throw new Error(`expected "${text}" to parse: ${result.error}`);
  return result.query;
}
