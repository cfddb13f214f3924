/**
 * Backtesting for the rule editor: run a draft rule list over the messages buffered in the open
 * rooms before saving it, and see what it would change.
 */
import { OVER_LONG_RULE_ID, type Match, type Matcher } from './matcher';

export interface BacktestMessage {
  /** Identifies the message for the caller, e.g. `roomKey/messageId`. */
  key: string;
  text: string;
}

export interface BacktestHit {
  key: string;
  matches: Match[];
}

export interface BacktestResult {
  /** How many messages were looked at. */
  scanned: number;
  /** Messages the draft flags, with its matches, in the order given. */
  flagged: BacktestHit[];
  /** With `current`: messages the draft flags and the current rules do not (draft matches). */
  newlyFlagged?: BacktestHit[];
  /** With `current`: messages the current rules flag and the draft does not (current matches). */
  noLongerFlagged?: BacktestHit[];
}

/**
 * Which messages `draft` flags and, given `current`, which would start and stop being flagged. Only
 * rules count: the over-long flag says a message was too long to read whole whatever the rules,
 * so an over-long message counts only where a rule matched its start.
 */
export function backtest(
  messages: ReadonlyArray<BacktestMessage>,
  draft: Matcher,
  current?: Matcher,
): BacktestResult {
  const flagged: BacktestHit[] = [];
  const newlyFlagged: BacktestHit[] = [];
  const noLongerFlagged: BacktestHit[] = [];
  for (const { key, text } of messages) {
    const matches = ruleMatches(draft, text);
    if (matches.length > 0) flagged.push({ key, matches });
    if (!current) continue;
    const before = ruleMatches(current, text);
    if (matches.length > 0 && before.length === 0) newlyFlagged.push({ key, matches });
    if (matches.length === 0 && before.length > 0) noLongerFlagged.push({ key, matches: before });
  }
  const result: BacktestResult = { scanned: messages.length, flagged };
  if (current) {
    result.newlyFlagged = newlyFlagged;
    result.noLongerFlagged = noLongerFlagged;
  }
  return result;
}

function ruleMatches(matcher: Matcher, text: string): Match[] {
  return matcher.match(text).filter((match) => match.ruleId !== OVER_LONG_RULE_ID);
}
