/** The message history, as far as Settings is concerned: its size, and forgetting it. */
import type { RequestOutput, Result } from '../../../shared/contract';
import { invoke } from '../lib/api';

export type HistorySize = RequestOutput<'history.size'>;

export function historySize(): Promise<Result<HistorySize>> {
  return invoke('history.size');
}

/** Forgets every stored message and action (notes stay); answers the size after. */
export function clearHistory(): Promise<Result<HistorySize>> {
  return invoke('history.clear');
}
