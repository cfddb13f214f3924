/**
 * Room members, page by page with the provider's cursor. A room's list grows as the moderator
 * asks for more; searching filters what is loaded (the providers have no member search).
 */
import { create } from 'zustand';
import type { Member, RoomKey } from '../../../shared/chat';
import { displayName } from '../../../shared/displayName';
import type { ErrorInfo } from '../../../shared/contract';
import { invoke } from '../lib/api';

/** Members asked for per page. */
export const MEMBERS_PAGE_SIZE = 50;

export interface MemberList {
  members: Member[];
  /** The cursor of the next page; null once the last page is in. */
  nextCursor: string | null;
  status: 'loading' | 'ready' | 'error';
  error?: ErrorInfo;
}

interface MembersState {
  byRoom: Record<RoomKey, MemberList>;
  /** Loads the first page again, dropping what was loaded. */
  load: (roomKey: RoomKey) => Promise<void>;
  /** Loads the page after the last one loaded. */
  loadMore: (roomKey: RoomKey) => Promise<void>;
}

export const useMembers = create<MembersState>()((set, get) => {
  async function fetchPage(roomKey: RoomKey, cursor: string | undefined): Promise<void> {
    const before = get().byRoom[roomKey];
    set((state) => ({
      byRoom: {
        ...state.byRoom,
        [roomKey]: {
          members: cursor === undefined ? [] : (before?.members ?? []),
          nextCursor: cursor === undefined ? null : (before?.nextCursor ?? null),
          status: 'loading',
        },
      },
    }));
    const result = await invoke('members.list', {
      roomKey,
      count: MEMBERS_PAGE_SIZE,
      ...(cursor === undefined ? {} : { cursor }),
    });
    set((state) => {
      const current = state.byRoom[roomKey];
      if (!current) return state;
      if (!result.ok) {
        return {
          byRoom: {
            ...state.byRoom,
            [roomKey]: { ...current, status: 'error', error: result.error },
          },
        };
      }
      // A member already listed (the list moved between pages) is kept once.
      const known = new Set(current.members.map((member) => member.id));
      const added = result.value.members.filter((member) => !known.has(member.id));
      return {
        byRoom: {
          ...state.byRoom,
          [roomKey]: {
            members: [...current.members, ...added],
            nextCursor: result.value.nextCursor,
            status: 'ready',
          },
        },
      };
    });
  }

  return {
    byRoom: {},

    load(roomKey) {
      return fetchPage(roomKey, undefined);
    },

    async loadMore(roomKey) {
      const list = get().byRoom[roomKey];
      if (!list || list.status === 'loading' || list.nextCursor === null) return;
      await fetchPage(roomKey, list.nextCursor);
    },
  };
});

/** Members whose name or id contains the query, case-insensitively. */
export function filterMembers(members: readonly Member[], query: string): Member[] {
  const needle = query.trim().toLocaleLowerCase();
  if (needle === '') return [...members];
  return members.filter(
    (member) =>
      member.name.toLocaleLowerCase().includes(needle) ||
      member.id.toLocaleLowerCase().includes(needle),
  );
}

/** What a typed receiver names: one user, several who share the name, or nobody known. */
export type ReceiverMatch =
  { kind: 'one'; member: Member } | { kind: 'several'; members: Member[] } | { kind: 'none' };

/**
 * The user `query` names among `candidates`: the one whose id it is, else those whose name it is
 * (ignoring case), else the only one whose name or id contains it. A name is never taken for an id:
 * the service would accept a message to an id nobody has, and nobody would get it.
 */
export function findReceiver(candidates: readonly Member[], query: string): ReceiverMatch {
  const needle = query.trim();
  if (needle === '') return { kind: 'none' };
  const byId = candidates.find((member) => member.id === needle);
  if (byId) return { kind: 'one', member: byId };
  const lower = needle.toLocaleLowerCase();
  const named = candidates.filter(
    (member) => displayName(member.name).toLocaleLowerCase() === lower,
  );
  if (named.length === 1 && named[0]) return { kind: 'one', member: named[0] };
  if (named.length > 1) return { kind: 'several', members: named };
  const partial = filterMembers(candidates, needle);
  if (partial.length === 1 && partial[0]) return { kind: 'one', member: partial[0] };
  return partial.length > 1 ? { kind: 'several', members: partial } : { kind: 'none' };
}
