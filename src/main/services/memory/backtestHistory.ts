/**
 * `history.backtestDetector` on the main thread: the window in the worker's terms (a time from
 * main's clock, the hits it lists), the replay itself in the worker (`detectorBacktest.ts`). The
 * rule comes checked by the contract, through automod's configuration parser.
 */
import {
  STORED_BACKTEST_HITS,
  type RequestChannel,
  type RequestOutput,
  type requests,
} from '../../../shared/contract';
import type { z } from 'zod';
import type { MemoryStore } from './memory';

const HOUR_MS = 60 * 60 * 1000;

type HandlerInput<C extends RequestChannel> = z.output<(typeof requests)[C]['input']>;

export async function backtestStoredDetector(
  store: Pick<MemoryStore, 'request'>,
  input: HandlerInput<'history.backtestDetector'>,
  now: number,
): Promise<RequestOutput<'history.backtestDetector'>> {
  const page = await store.request('backtestDetector', {
    rule: input.rule,
    since: now - input.hours * HOUR_MS,
    maxMessages: input.maxMessages,
    maxHits: STORED_BACKTEST_HITS,
  });
  return { ...page, hours: input.hours, maxMessages: input.maxMessages };
}
