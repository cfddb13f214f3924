/**
 * The search query language of issue #26: parsed, described back and evaluated in memory, pure
 * (no Node, no DOM), for the renderer's search box, main's live buffers and the store's SQL
 * compiler. The AST and its meaning are documented in query.ts.
 */
export {
  FEATURES,
  MAX_QUERY_LENGTH,
  OPERATORS,
  TRAITS,
  foldText,
  type Clause,
  type ClauseType,
  type Feature,
  type Operator,
  type Query,
  type Trait,
} from './query';
export { parseQuery, type ParseResult } from './parse';
export { describeQuery } from './describe';
export {
  DEFAULT_SCAN_UNITS,
  MAX_REGEX_UNITS,
  compileQuery,
  hasLink,
  matchesQuery,
  scanMessages,
  type MessagePredicate,
  type ScanBudget,
  type ScanResult,
  type SearchableMessage,
} from './match';
export { searchableEvent } from './chatEvent';
