/**
 * Backtesting for the rule editor: run a draft rule list over the messages buffered in the open
 * rooms before saving it, and see what it would change. Rules on display names (scope `name` or
 * `both`) read the sender's name where the message carries one to read.
 */
import { OVER_LONG_RULE_ID, type Match, type Matcher } from './matcher';

export interface BacktestMessage {
  /** Identifies the message for the caller, e.g. `roomKey/messageId`. */
  key: string;
  text: string;
  /**
   * The sender's display name, for rules on names; absent where main reads no name (a message
   * that is not a chatter's own).
   */
  name?: string;
}

export interface BacktestHit {
  key: string;
  matches: Match[];
  /** Spans of the sender's display name that rules on names matched; absent when none did. */
  nameMatches?: Match[];
}

/** A rule list compiled for the backtest: its rules on the text, and those on names (if any). */
export interface BacktestMatchers {
  text: Matcher;
  names: Matcher | null;
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
 * Which messages `draft` flags and, given `current`, which would start and stop being flagged. A
 * message is flagged when a rule matches its text or, for rules on names, its sender's name. Only
 * rules count: the over-long flag says a message was too long to read whole whatever the rules,
 * so an over-long message counts only where a rule matched its start.
 */
export function backtest(
  messages: ReadonlyArray<BacktestMessage>,
  draft: Matcher | BacktestMatchers,
  current?: Matcher | BacktestMatchers,
): BacktestResult {
  const next = matchersOf(draft);
  const now = current === undefined ? null : matchersOf(current);
  const flagged: BacktestHit[] = [];
  const newlyFlagged: BacktestHit[] = [];
  const noLongerFlagged: BacktestHit[] = [];
  for (const message of messages) {
    const hit = hitOf(next, message);
    if (hit) flagged.push(hit);
    if (!now) continue;
    const before = hitOf(now, message);
    if (hit && !before) newlyFlagged.push(hit);
    if (!hit && before) noLongerFlagged.push(before);
  }
  const result: BacktestResult = { scanned: messages.length, flagged };
  if (now) {
    result.newlyFlagged = newlyFlagged;
    result.noLongerFlagged = noLongerFlagged;
  }
  return result;
}

function matchersOf(given: Matcher | BacktestMatchers): BacktestMatchers {
  return 'match' in given ? { text: given, names: null } : given;
}

/** The message's hit by these rules, or null when none matches its text or its sender's name. */
function hitOf(
  matchers: BacktestMatchers,
  { key, text, name }: BacktestMessage,
): BacktestHit | null {
  const matches = ruleMatches(matchers.text, text);
  const nameMatches =
    matchers.names === null || name === undefined || name === ''
      ? []
      : ruleMatches(matchers.names, name);
  if (matches.length === 0 && nameMatches.length === 0) return null;
  return nameMatches.length === 0 ? { key, matches } : { key, matches, nameMatches };
}

function ruleMatches(matcher: Matcher, text: string): Match[] {
  return matcher.match(text).filter((match) => match.ruleId !== OVER_LONG_RULE_ID);
}
