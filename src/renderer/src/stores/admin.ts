/**
 * Admin messages: a broadcast to several rooms at once with each room's own result, and direct
 * messages. A room that failed is retried only when the moderator asks, one room at a time; the
 * rooms that got the message never get it twice.
 */
import { create } from 'zustand';
import type { BroadcastRequest, DirectRequest, RoomKey } from '../../../shared/chat';
import type { ErrorInfo } from '../../../shared/contract';
import { invoke } from '../lib/api';

export type BroadcastDraft = Omit<BroadcastRequest, 'roomKeys'>;
export type DirectDraft = Omit<DirectRequest, 'roomKey'>;

export interface Delivery {
  status: 'sending' | 'sent' | 'failed';
  messageId?: string;
  error?: ErrorInfo;
}

export interface BroadcastRun {
  draft: BroadcastDraft;
  /** The rooms in the order the moderator chose them. */
  roomKeys: RoomKey[];
  results: Record<RoomKey, Delivery>;
}

interface AdminState {
  /** The last broadcast and where it got to. */
  broadcast: BroadcastRun | null;
  /** The last direct message. */
  direct: Delivery | null;
  sendBroadcast: (roomKeys: RoomKey[], draft: BroadcastDraft) => Promise<void>;
  /** Sends the last broadcast again to one room whose delivery failed. */
  retryBroadcast: (roomKey: RoomKey) => Promise<void>;
  sendDirect: (roomKey: RoomKey, draft: DirectDraft) => Promise<boolean>;
  /** Forgets the last results (a new message is being written). */
  clear: () => void;
}

export const useAdmin = create<AdminState>()((set, get) => {
  function settle(roomKeys: RoomKey[], update: Record<RoomKey, Delivery>): void {
    set((state) => {
      if (!state.broadcast) return state;
      const results = { ...state.broadcast.results };
      for (const roomKey of roomKeys) {
        const delivery = update[roomKey];
        if (delivery) results[roomKey] = delivery;
      }
      return { broadcast: { ...state.broadcast, results } };
    });
  }

  async function deliver(roomKeys: RoomKey[], draft: BroadcastDraft): Promise<void> {
    const result = await invoke('admin.broadcast', { ...draft, roomKeys });
    const update: Record<RoomKey, Delivery> = {};
    if (!result.ok) {
      // The request as a whole failed: no room got it.
      for (const roomKey of roomKeys) update[roomKey] = { status: 'failed', error: result.error };
    } else {
      for (const answer of result.value.results) {
        update[answer.roomKey] = answer.ok
          ? { status: 'sent', messageId: answer.messageId }
          : { status: 'failed', error: answer.error };
      }
      for (const roomKey of roomKeys) {
        update[roomKey] ??= {
          status: 'failed',
          error: { code: 'INTERNAL', message: 'No answer for this room.' },
        };
      }
    }
    settle(roomKeys, update);
  }

  return {
    broadcast: null,
    direct: null,

    async sendBroadcast(roomKeys, draft) {
      const unique = [...new Set(roomKeys)];
      if (unique.length === 0) return;
      const results: Record<RoomKey, Delivery> = {};
      for (const roomKey of unique) results[roomKey] = { status: 'sending' };
      set({ broadcast: { draft, roomKeys: unique, results } });
      await deliver(unique, draft);
    },

    async retryBroadcast(roomKey) {
      const run = get().broadcast;
      if (run?.results[roomKey]?.status !== 'failed') return;
      settle([roomKey], { [roomKey]: { status: 'sending' } });
      await deliver([roomKey], run.draft);
    },

    async sendDirect(roomKey, draft) {
      set({ direct: { status: 'sending' } });
      const result = await invoke('admin.direct', { ...draft, roomKey });
      set({
        direct: result.ok
          ? { status: 'sent', messageId: result.value.messageId }
          : { status: 'failed', error: result.error },
      });
      return result.ok;
    },

    clear() {
      set({ broadcast: null, direct: null });
    },
  };
});
