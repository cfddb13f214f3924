/**
 * The message history, as far as Settings is concerned: its size, forgetting it, and a detector
 * rule's backtest over it.
 */
import type { AutomodRule } from '../../../shared/automod/config';
import {
  STORED_BACKTEST_HOURS,
  STORED_BACKTEST_MAX_MESSAGES,
  type RequestOutput,
  type Result,
} from '../../../shared/contract';
import { invoke } from '../lib/api';

export type HistorySize = RequestOutput<'history.size'>;

export function historySize(): Promise<Result<HistorySize>> {
  return invoke('history.size');
}

/** Forgets every stored message and action (notes stay); answers the size after. */
export function clearHistory(): Promise<Result<HistorySize>> {
  return invoke('history.clear');
}

export type StoredDetectorBacktest = RequestOutput<'history.backtestDetector'>;

/**
 * Replays one automod rule over the stored chat of the last `STORED_BACKTEST_HOURS` hours, the
 * most recent `STORED_BACKTEST_MAX_MESSAGES` messages at most (main's worker does it).
 */
export function backtestStoredDetector(rule: AutomodRule): Promise<Result<StoredDetectorBacktest>> {
  return invoke('history.backtestDetector', {
    rule,
    hours: STORED_BACKTEST_HOURS,
    maxMessages: STORED_BACKTEST_MAX_MESSAGES,
  });
}
