/**
 * The chat room behind an open room, as its settings panel shows it: whether it is open, how many
 * messages and members it has; and creating or closing it where the provider allows.
 */
import { create } from 'zustand';
import { parseRoomKey, type ChatRoomInfo, type RoomKey } from '../../../shared/chat';
import type { ErrorInfo, Result } from '../../../shared/contract';
import { invoke } from '../lib/api';
import { useRooms } from './rooms';

export interface ChatRoomState {
  status: 'loading' | 'ready' | 'error';
  info?: ChatRoomInfo;
  error?: ErrorInfo;
}

interface ChatRoomsState {
  byRoom: Record<RoomKey, ChatRoomState>;
  load: (roomKey: RoomKey) => Promise<void>;
  create: (roomKey: RoomKey) => Promise<Result<ChatRoomInfo>>;
  close: (roomKey: RoomKey) => Promise<Result<ChatRoomInfo>>;
}

export const useChatRooms = create<ChatRoomsState>()((set) => {
  function settle(roomKey: RoomKey, result: Result<ChatRoomInfo>): void {
    set((state) => ({
      byRoom: {
        ...state.byRoom,
        [roomKey]: result.ok
          ? { status: 'ready', info: result.value }
          : { ...state.byRoom[roomKey], status: 'error', error: result.error },
      },
    }));
  }

  async function change(
    operation: 'chatRoom.create' | 'chatRoom.close',
    roomKey: RoomKey,
  ): Promise<Result<ChatRoomInfo>> {
    const { accountId, roomId } = parseRoomKey(roomKey);
    const result = await invoke(operation, { accountId, roomId });
    if (result.ok) {
      settle(roomKey, result);
      // The room picker's list shows the chat-room state too.
      if (useRooms.getState().catalogs[accountId]) void useRooms.getState().loadCatalog(accountId);
    }
    return result;
  }

  return {
    byRoom: {},

    async load(roomKey) {
      const { accountId, roomId } = parseRoomKey(roomKey);
      set((state) => ({
        byRoom: { ...state.byRoom, [roomKey]: { ...state.byRoom[roomKey], status: 'loading' } },
      }));
      settle(roomKey, await invoke('chatRoom.get', { accountId, roomId }));
    },

    create(roomKey) {
      return change('chatRoom.create', roomKey);
    },

    close(roomKey) {
      return change('chatRoom.close', roomKey);
    },
  };
});
