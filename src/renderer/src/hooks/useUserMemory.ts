/**
 * The user card's memory while it is open: the history's summary of the user and their stored
 * messages, read when the card opens (so a card opened again shows fresh counts), more pages on
 * request, and the notes changed through main, after which the summary is read again.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ErrorInfo, Result } from '../../../shared/contract';
import { ErrorCode } from '../../../shared/errors';
import {
  addUserNote,
  deleteUserNote,
  editUserNote,
  loadUserHistory,
  loadUserMessages,
  type StoredMessage,
  type UserHistory,
} from '../stores/userMemory';

export type Loaded<T> =
  | { status: 'loading' }
  /** This ModDeck keeps no history. */
  | { status: 'off' }
  | { status: 'failed'; error: ErrorInfo }
  | { status: 'ready'; value: T };

export interface StoredPages {
  messages: StoredMessage[];
  /** The next (older) page's cursor; null when none is left. */
  nextCursor: string | null;
}

export interface UserMemory {
  summary: Loaded<UserHistory>;
  pages: Loaded<StoredPages>;
  /** A further page is on its way. */
  loadingMore: boolean;
  /** Why the last further page could not be read. */
  moreError: ErrorInfo | null;
  more: () => void;
  addNote: (text: string) => Promise<Result<unknown>>;
  editNote: (id: number, text: string) => Promise<Result<unknown>>;
  deleteNote: (id: number) => Promise<Result<unknown>>;
}

function loaded<T>(result: Result<T>): Loaded<T> {
  if (result.ok) return { status: 'ready', value: result.value };
  if (result.error.code === ErrorCode.Unsupported) return { status: 'off' };
  return { status: 'failed', error: result.error };
}

export function useUserMemory(accountId: string, userId: string): UserMemory {
  const [summary, setSummary] = useState<Loaded<UserHistory>>({ status: 'loading' });
  const [pages, setPages] = useState<Loaded<StoredPages>>({ status: 'loading' });
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<ErrorInfo | null>(null);
  const mounted = useRef(true);

  const readSummary = useCallback(async () => {
    const result = await loadUserHistory(accountId, userId);
    if (mounted.current) setSummary(loaded(result));
  }, [accountId, userId]);

  useEffect(() => {
    mounted.current = true;
    void readSummary();
    void loadUserMessages(accountId, userId, null).then((result) => {
      if (!mounted.current) return;
      setPages(
        loaded(
          result.ok
            ? {
                ok: true,
                value: { messages: result.value.results, nextCursor: result.value.nextCursor },
              }
            : result,
        ),
      );
    });
    return () => {
      mounted.current = false;
    };
  }, [accountId, userId, readSummary]);

  const cursor = pages.status === 'ready' ? pages.value.nextCursor : null;
  const more = useCallback(() => {
    if (cursor === null || loadingMore) return;
    setLoadingMore(true);
    setMoreError(null);
    void loadUserMessages(accountId, userId, cursor).then((result) => {
      if (!mounted.current) return;
      setLoadingMore(false);
      if (!result.ok) {
        setMoreError(result.error);
        return;
      }
      setPages((current) =>
        current.status === 'ready'
          ? {
              status: 'ready',
              value: {
                messages: [...current.value.messages, ...result.value.results],
                nextCursor: result.value.nextCursor,
              },
            }
          : current,
      );
    });
  }, [accountId, userId, cursor, loadingMore]);

  const changed = useCallback(
    async (change: Promise<Result<unknown>>): Promise<Result<unknown>> => {
      const result = await change;
      if (result.ok) await readSummary();
      return result;
    },
    [readSummary],
  );

  return {
    summary,
    pages,
    loadingMore,
    moreError,
    more,
    addNote: (text) => changed(addUserNote(accountId, userId, text)),
    editNote: (id, text) => changed(editUserNote(id, text)),
    deleteNote: (id) => changed(deleteUserNote(id)),
  };
}
