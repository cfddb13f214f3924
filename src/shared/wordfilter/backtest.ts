/**
 * Backtesting for the rule editor: run a draft rule list over the messages buffered in the open
 * rooms before saving it, and see what it would change.
 */
import type { Match, Matcher } from './matcher';

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

/** Which messages `draft` flags and, given `current`, which would start and stop being flagged. */
export function backtest(
  messages: ReadonlyArray<BacktestMessage>,
  draft: Matcher,
  current?: Matcher,
): BacktestResult {
  const flagged: BacktestHit[] = [];
  const newlyFlagged: BacktestHit[] = [];
  const noLongerFlagged: BacktestHit[] = [];
  for (const { key, text } of messages) {
    const matches = draft.match(text);
    if (matches.length > 0) flagged.push({ key, matches });
    if (!current) continue;
    const before = current.match(text);
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
