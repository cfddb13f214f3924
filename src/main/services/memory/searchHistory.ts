/**
 * `history.search` on the main thread: parses the query (so a malformed one is answered with the
 * parser's sentence and never reaches the worker), asks the worker for one page, and turns its
 * cursor into the contract's string.
 */
import type { RequestInput, RequestOutput } from '../../../shared/contract';
import { AppError, ErrorCode } from '../../../shared/errors';
import { parseQuery } from '../../../shared/search';
import type { MemoryStore } from './memory';

export async function searchHistory(
  store: Pick<MemoryStore, 'request'>,
  input: RequestInput<'history.search'>,
  now: number,
): Promise<RequestOutput<'history.search'>> {
  const parsed = parseQuery(input.query, now);
  if (!parsed.ok) throw new AppError(ErrorCode.InvalidInput, parsed.error);
  const page = await store.request('search', {
    query: parsed.query,
    ...(input.roomKeys === undefined ? {} : { roomKeys: input.roomKeys }),
    ...(input.cursor === undefined ? {} : { cursor: Number(input.cursor) }),
    ...(input.limit === undefined ? {} : { limit: input.limit }),
  });
  return {
    results: page.results,
    nextCursor: page.nextCursor === null ? null : String(page.nextCursor),
    stoppedEarly: page.stoppedEarly,
  };
}
