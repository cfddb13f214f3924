/**
 * What the message history knows of a user, for their card: the summary, their stored messages a
 * page at a time, and the moderator's notes (kept on this machine only). Each answers as main did:
 * without a history, UNSUPPORTED.
 */
import type { RequestOutput, Result } from '../../../shared/contract';
import { invoke } from '../lib/api';

export type UserHistory = RequestOutput<'history.user'>;
export type UserMessagesPage = RequestOutput<'history.userMessages'>;
export type StoredMessage = UserMessagesPage['results'][number];
export type UserNote = UserHistory['notes'][number];

/** The longest note main accepts (the contract's limit). */
export const NOTE_MAX_LENGTH = 2000;

/** Stored messages a page holds. */
export const USER_MESSAGES_PAGE = 50;

export function loadUserHistory(accountId: string, userId: string): Promise<Result<UserHistory>> {
  return invoke('history.user', { accountId, userId });
}

/** One page of the user's stored messages, newest first; `cursor` is the previous page's. */
export function loadUserMessages(
  accountId: string,
  userId: string,
  cursor: string | null,
): Promise<Result<UserMessagesPage>> {
  return invoke('history.userMessages', {
    accountId,
    userId,
    limit: USER_MESSAGES_PAGE,
    ...(cursor === null ? {} : { cursor }),
  });
}

export function addUserNote(
  accountId: string,
  userId: string,
  text: string,
): Promise<Result<UserNote>> {
  return invoke('notes.add', { accountId, userId, text });
}

export function editUserNote(id: number, text: string): Promise<Result<{ id: number }>> {
  return invoke('notes.edit', { id, text });
}

export function deleteUserNote(id: number): Promise<Result<{ id: number }>> {
  return invoke('notes.delete', { id });
}
