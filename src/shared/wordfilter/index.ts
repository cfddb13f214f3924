/**
 * The word filter: rule lists compiled into one matcher that catches what people type to dodge a
 * list, says exactly what matched, and costs one table step per character. Pure TypeScript, used
 * by main for every incoming message and by the renderer for previews and the rule editor.
 */
export {
  MAX_REGEX_SEARCH_UNITS,
  MAX_RULE_EXCEPTIONS,
  MAX_SCANNED_UNITS,
  OVER_LONG_RULE_ID,
  RuleError,
  compileRules,
  ruleProblem,
  type ExplainedHit,
  type Explanation,
  type Match,
  type Matcher,
  type Rule,
} from './matcher';
export { formatRuleList, parseRuleList, type RuleListError } from './ruleList';
export {
  backtest,
  type BacktestHit,
  type BacktestMatchers,
  type BacktestMessage,
  type BacktestResult,
} from './backtest';
export { compileRegexRule } from './linearRegex';
