/**
 * The provider's rooms themselves, where it lets the moderator manage them (VChatCloud): a room's
 * details for its edit form, and creating, changing and destroying rooms. Each change refreshes
 * the account's room list in the picker, and the deck follows: a renamed open room shows its new
 * name, a destroyed one's column closes.
 */
import { create } from 'zustand';
import {
  roomKeyOf,
  type AdminRoom,
  type AdminRoomChanges,
  type AdminRoomSettings,
  type RoomKey,
} from '../../../shared/chat';
import type { ErrorInfo, RequestOutput, Result } from '../../../shared/contract';
import { invoke } from '../lib/api';
import { useRooms } from './rooms';

export interface AdminRoomState {
  status: 'loading' | 'ready' | 'error';
  room?: AdminRoom;
  error?: ErrorInfo;
}

interface RoomAdminState {
  byRoom: Record<RoomKey, AdminRoomState>;
  load: (accountId: string, roomId: string) => Promise<Result<AdminRoom>>;
  create: (accountId: string, settings: AdminRoomSettings) => Promise<Result<AdminRoom>>;
  modify: (
    accountId: string,
    roomId: string,
    changes: AdminRoomChanges,
  ) => Promise<Result<AdminRoom>>;
  destroy: (
    accountId: string,
    roomId: string,
  ) => Promise<Result<RequestOutput<'roomAdmin.destroy'>>>;
}

export const useRoomAdmin = create<RoomAdminState>()((set) => {
  function settle(roomKey: RoomKey, result: Result<AdminRoom>): void {
    set((state) => ({
      byRoom: {
        ...state.byRoom,
        [roomKey]: result.ok
          ? { status: 'ready', room: result.value }
          : { ...state.byRoom[roomKey], status: 'error', error: result.error },
      },
    }));
  }

  /** The picker lists the account's rooms again, and an open column takes the new name. */
  function changed(accountId: string, room: AdminRoom): void {
    const rooms = useRooms.getState();
    const open = rooms.byKey[roomKeyOf(accountId, room.roomId)];
    if (open && open.name !== room.roomName) rooms.refresh({ ...open, name: room.roomName });
    void rooms.loadCatalog(accountId);
  }

  return {
    byRoom: {},

    async load(accountId, roomId) {
      const roomKey = roomKeyOf(accountId, roomId);
      set((state) => ({
        byRoom: { ...state.byRoom, [roomKey]: { ...state.byRoom[roomKey], status: 'loading' } },
      }));
      const result = await invoke('roomAdmin.get', { accountId, roomId });
      settle(roomKey, result);
      return result;
    },

    async create(accountId, settings) {
      const result = await invoke('roomAdmin.create', { accountId, settings });
      if (result.ok) {
        settle(roomKeyOf(accountId, result.value.roomId), result);
        changed(accountId, result.value);
      }
      return result;
    },

    async modify(accountId, roomId, changes) {
      const result = await invoke('roomAdmin.modify', { accountId, roomId, changes });
      if (result.ok) {
        settle(roomKeyOf(accountId, roomId), result);
        changed(accountId, result.value);
      }
      return result;
    },

    async destroy(accountId, roomId) {
      const result = await invoke('roomAdmin.destroy', { accountId, roomId });
      if (!result.ok) return result;
      const roomKey = roomKeyOf(accountId, roomId);
      set((state) => {
        const byRoom = { ...state.byRoom };
        delete byRoom[roomKey];
        return { byRoom };
      });
      const rooms = useRooms.getState();
      // The room is gone: its column would only say so until closed.
      if (rooms.columns.some((column) => column.roomKey === roomKey)) await rooms.close(roomKey);
      await rooms.loadCatalog(accountId);
      return result;
    },
  };
});
