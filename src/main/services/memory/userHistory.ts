/**
 * The user card's channels on the main thread: a user's summary and messages from the store, and
 * the moderator's notes on them. Inputs come validated by the contract (a note's text trimmed,
 * 1–2,000 characters); an edit or delete of a note the store does not have is NOT_FOUND.
 */
import type { z } from 'zod';
import {
  USER_ACTIONS_SHOWN,
  type RequestChannel,
  type RequestOutput,
  type requests,
} from '../../../shared/contract';
import { AppError, ErrorCode } from '../../../shared/errors';
import type { MemoryStore } from './memory';

type Store = Pick<MemoryStore, 'request'>;
/** A channel's input as the contract hands it over: validated, a note's text trimmed. */
type HandlerInput<C extends RequestChannel> = z.output<(typeof requests)[C]['input']>;

export async function userSummary(
  store: Store,
  input: HandlerInput<'history.user'>,
): Promise<RequestOutput<'history.user'>> {
  const user = { accountId: input.accountId, userId: input.userId };
  const [summary, latest] = await Promise.all([
    store.request('userSummary', user),
    store.request('actions', { user, limit: USER_ACTIONS_SHOWN }),
  ]);
  const actions = latest.actions.map((action) => ({
    at: action.at,
    action: action.action,
    roomKey: action.roomKey ?? null,
    result: action.result,
    ...(action.reason === undefined ? {} : { reason: action.reason }),
    ...(action.why === undefined ? {} : { why: action.why }),
  }));
  return { ...summary, actions };
}

export async function userMessages(
  store: Store,
  input: HandlerInput<'history.userMessages'>,
): Promise<RequestOutput<'history.userMessages'>> {
  const page = await store.request('userMessages', {
    accountId: input.accountId,
    userId: input.userId,
    ...(input.cursor === undefined ? {} : { before: Number(input.cursor) }),
    ...(input.limit === undefined ? {} : { limit: input.limit }),
  });
  return { results: page.results, nextCursor: page.next === null ? null : String(page.next) };
}

export function addNote(
  store: Store,
  input: HandlerInput<'notes.add'>,
): Promise<RequestOutput<'notes.add'>> {
  return store.request('addNote', {
    accountId: input.accountId,
    userId: input.userId,
    text: input.text,
  });
}

export async function editNote(
  store: Store,
  input: HandlerInput<'notes.edit'>,
): Promise<RequestOutput<'notes.edit'>> {
  const { found } = await store.request('editNote', { id: input.id, text: input.text });
  if (!found) throw noSuchNote(input.id);
  return { id: input.id };
}

export async function deleteNote(
  store: Store,
  input: HandlerInput<'notes.delete'>,
): Promise<RequestOutput<'notes.delete'>> {
  const { found } = await store.request('deleteNote', { id: input.id });
  if (!found) throw noSuchNote(input.id);
  return { id: input.id };
}

function noSuchNote(id: number): AppError {
  return new AppError(ErrorCode.NotFound, `There is no note ${id}: it may have been deleted.`);
}
