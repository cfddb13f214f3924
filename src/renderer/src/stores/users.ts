/**
 * Restrictions on users, room by room, where the provider has them (VChatCloud): who is muted and
 * who is exiled, as `users.restrictions` says when the room opens and a card asks, kept up to date
 * by the moderator's own actions and by the provider's pushes about users; and muting, exiling and
 * lifting either.
 */
import { create } from 'zustand';
import type { ChatEvent, RoomKey, UserAction } from '../../../shared/chat';
import type { ErrorInfo, RequestOutput, Result } from '../../../shared/contract';
import { ErrorCode } from '../../../shared/errors';
import { invoke } from '../lib/api';

export interface RoomRestrictions {
  status: 'loading' | 'ready' | 'error';
  muted: readonly string[];
  exiled: readonly string[];
  error?: ErrorInfo;
}

export type UserActionResult = Result<RequestOutput<'users.mute'>>;

interface UsersState {
  byRoom: Record<RoomKey, RoomRestrictions>;
  /** Actions in flight, by `userKey(roomKey, userId)`. */
  pending: Record<string, UserAction>;
  /** Asks the provider who is muted and exiled in the room. */
  load: (roomKey: RoomKey) => Promise<void>;
  /** Mutes, unmutes, exiles or unexiles; null when one is already in flight for this user. */
  act: (roomKey: RoomKey, userId: string, action: UserAction) => Promise<UserActionResult | null>;
  /**
   * Follows the provider's pushes about users (someone muted or exiled a user, or lifted it) in
   * the rooms whose lists are known.
   */
  consider: (events: readonly ChatEvent[]) => void;
  /** Forgets a room that was closed. */
  forget: (roomKey: RoomKey) => void;
}

const CHANNELS = {
  mute: 'users.mute',
  unmute: 'users.unmute',
  exile: 'users.exile',
  unexile: 'users.unexile',
} as const;

const NONE: readonly string[] = Object.freeze([]);

/** The `customType` of the system events VChatCloud pushes about a user (`normalize.ts`). */
const PUSHED: Record<string, UserAction> = {
  mute: 'mute',
  unmute: 'unmute',
  exile: 'exile',
  unexile: 'unexile',
};

/** A change to a user's standing that the service has confirmed or pushed. */
interface Change {
  userId: string;
  action: UserAction;
}

/**
 * The changes made in a room while each read of its lists was under way, one journal per read. A
 * read may have been answered before a change and arrive after it: the change is replayed on its
 * answer (each sets where the user stands, so replaying one the answer already has does nothing).
 */
const journals = new Map<RoomKey, Set<Change[]>>();

function record(roomKey: RoomKey, userId: string, action: UserAction): void {
  for (const journal of journals.get(roomKey) ?? []) journal.push({ userId, action });
}

export function userKey(roomKey: RoomKey, userId: string): string {
  return `${roomKey}#${userId}`;
}

function withUser(list: readonly string[], userId: string, present: boolean): readonly string[] {
  const has = list.includes(userId);
  if (has === present) return list;
  return present ? [...list, userId] : list.filter((id) => id !== userId);
}

/** The lists after `action` succeeded: exiling lifts nothing, and unexiling keeps a mute. */
function applied(
  restrictions: RoomRestrictions,
  userId: string,
  action: UserAction,
): RoomRestrictions {
  switch (action) {
    case 'mute':
    case 'unmute':
      return { ...restrictions, muted: withUser(restrictions.muted, userId, action === 'mute') };
    case 'exile':
    case 'unexile':
      return {
        ...restrictions,
        exiled: withUser(restrictions.exiled, userId, action === 'exile'),
      };
  }
}

export const useUsers = create<UsersState>()((set, get) => ({
  byRoom: {},
  pending: {},

  async load(roomKey) {
    set((state) => ({
      byRoom: {
        ...state.byRoom,
        [roomKey]: {
          muted: state.byRoom[roomKey]?.muted ?? NONE,
          exiled: state.byRoom[roomKey]?.exiled ?? NONE,
          status: 'loading',
        },
      },
    }));
    const journal: Change[] = [];
    const reads = journals.get(roomKey) ?? new Set();
    journals.set(roomKey, reads.add(journal));
    const result = await invoke('users.restrictions', { roomKey }).finally(() => {
      reads.delete(journal);
      if (reads.size === 0 && journals.get(roomKey) === reads) journals.delete(roomKey);
    });
    set((state) => ({
      byRoom: {
        ...state.byRoom,
        [roomKey]: result.ok
          ? journal.reduce<RoomRestrictions>(
              (lists, change) => applied(lists, change.userId, change.action),
              { status: 'ready', muted: result.value.muted, exiled: result.value.exiled },
            )
          : {
              status: 'error',
              muted: state.byRoom[roomKey]?.muted ?? NONE,
              exiled: state.byRoom[roomKey]?.exiled ?? NONE,
              error: result.error,
            },
      },
    }));
  },

  async act(roomKey, userId, action) {
    const key = userKey(roomKey, userId);
    if (get().pending[key]) return null;
    set((state) => ({ pending: { ...state.pending, [key]: action } }));
    const result = await invoke(CHANNELS[action], { roomKey, userId });
    if (result.ok) record(roomKey, userId, action);
    set((state) => {
      const pending = { ...state.pending };
      delete pending[key];
      const current = state.byRoom[roomKey];
      if (!result.ok || !current || current.status === 'error') return { pending };
      return { pending, byRoom: { ...state.byRoom, [roomKey]: applied(current, userId, action) } };
    });
    // The service did not say whether it took effect: its own lists say what it did.
    if (!result.ok && result.error.code === ErrorCode.OutcomeUnknown && get().byRoom[roomKey]) {
      void get().load(roomKey);
    }
    return result;
  },

  consider(events) {
    let byRoom: Record<RoomKey, RoomRestrictions> | null = null;
    for (const event of events) {
      if (event.kind !== 'system' || event.user === null || event.customType === undefined) {
        continue;
      }
      const action = PUSHED[event.customType];
      if (action === undefined) continue;
      record(event.roomKey, event.user.id, action);
      const current = (byRoom ?? get().byRoom)[event.roomKey];
      if (current?.status !== 'ready') continue;
      const next = applied(current, event.user.id, action);
      if (next.muted === current.muted && next.exiled === current.exiled) continue;
      byRoom ??= { ...get().byRoom };
      byRoom[event.roomKey] = next;
    }
    if (byRoom) set({ byRoom });
  },

  forget(roomKey) {
    if (!get().byRoom[roomKey]) return;
    set((state) => {
      const byRoom = { ...state.byRoom };
      delete byRoom[roomKey];
      return { byRoom };
    });
  },
}));
