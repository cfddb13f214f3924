/**
 * Admin messages: a broadcast to several rooms at once with each room's own result, direct
 * messages, and one room's notice or custom message (VChatCloud). A room that failed is retried
 * only when the moderator asks, one room at a time; the rooms that got the message never get it
 * twice.
 */
import { create } from 'zustand';
import type { BroadcastRequest, DirectRequest, DirectResult, RoomKey } from '../../../shared/chat';
import type { ErrorInfo } from '../../../shared/contract';
import { invoke } from '../lib/api';

export type BroadcastDraft = Omit<BroadcastRequest, 'roomKeys'>;
export type DirectDraft = Omit<DirectRequest, 'roomKey'>;

export interface Delivery {
  status: 'sending' | 'sent' | 'failed';
  messageId?: string;
  error?: ErrorInfo;
  /** The receivers a direct message did not reach (it reached the others), each with why. */
  undelivered?: NonNullable<DirectResult['undelivered']>;
}

/** A room's notice or custom message and how it went; a custom one may wait for `sendDate`. */
export interface RoomMessageDelivery extends Delivery {
  kind: 'notice' | 'custom';
  roomKey: RoomKey;
  /** When a custom message is due (epoch ms); null when it went out at once. */
  sendDate?: number | null;
}

export interface BroadcastRun {
  /** Which broadcast this is: an answer for an earlier one, left or cleared, changes nothing. */
  runId: number;
  draft: BroadcastDraft;
  /** The rooms in the order the moderator chose them. */
  roomKeys: RoomKey[];
  results: Record<RoomKey, Delivery>;
}

interface AdminState {
  /** The last broadcast and where it got to. */
  broadcast: BroadcastRun | null;
  /**
   * The last direct message. An answer for one sent before it, or before a `clear`, changes
   * nothing: each send's object is its own, and only the one still shown takes its answer.
   */
  direct: Delivery | null;
  /** The last notice or custom message to one room; the same holds for late answers. */
  roomMessage: RoomMessageDelivery | null;
  sendBroadcast: (roomKeys: RoomKey[], draft: BroadcastDraft) => Promise<void>;
  /** Sends the last broadcast again to one room whose delivery failed. */
  retryBroadcast: (roomKey: RoomKey) => Promise<void>;
  /** Sends a direct message; answers how it went. */
  sendDirect: (roomKey: RoomKey, draft: DirectDraft) => Promise<Delivery>;
  /** A room-wide announcement as the provider has it: a VChatCloud notice is text only. */
  sendNotice: (roomKey: RoomKey, text: string) => Promise<boolean>;
  /** A custom message, now or at `sendDate` (epoch ms). Never retried automatically. */
  sendCustom: (roomKey: RoomKey, message: string, sendDate?: number) => Promise<boolean>;
  /** Forgets the last results (a new message is being written). */
  clear: () => void;
}

export const useAdmin = create<AdminState>()((set, get) => {
  let runs = 0;

  function settle(runId: number, roomKeys: RoomKey[], update: Record<RoomKey, Delivery>): void {
    set((state) => {
      if (state.broadcast?.runId !== runId) return state;
      const results = { ...state.broadcast.results };
      for (const roomKey of roomKeys) {
        const delivery = update[roomKey];
        if (delivery) results[roomKey] = delivery;
      }
      return { broadcast: { ...state.broadcast, results } };
    });
  }

  async function deliver(runId: number, roomKeys: RoomKey[], draft: BroadcastDraft): Promise<void> {
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
    settle(runId, roomKeys, update);
  }

  return {
    broadcast: null,
    direct: null,
    roomMessage: null,

    async sendBroadcast(roomKeys, draft) {
      const unique = [...new Set(roomKeys)];
      if (unique.length === 0) return;
      const results: Record<RoomKey, Delivery> = {};
      for (const roomKey of unique) results[roomKey] = { status: 'sending' };
      runs += 1;
      const runId = runs;
      set({ broadcast: { runId, draft, roomKeys: unique, results } });
      await deliver(runId, unique, draft);
    },

    async retryBroadcast(roomKey) {
      const run = get().broadcast;
      if (run?.results[roomKey]?.status !== 'failed') return;
      settle(run.runId, [roomKey], { [roomKey]: { status: 'sending' } });
      await deliver(run.runId, [roomKey], run.draft);
    },

    async sendDirect(roomKey, draft) {
      const sending: Delivery = { status: 'sending' };
      set({ direct: sending });
      const result = await invoke('admin.direct', { ...draft, roomKey });
      const direct: Delivery = !result.ok
        ? { status: 'failed', error: result.error }
        : result.value.undelivered === undefined || result.value.undelivered.length === 0
          ? { status: 'sent', messageId: result.value.messageId }
          : {
              status: 'sent',
              messageId: result.value.messageId,
              undelivered: result.value.undelivered,
            };
      set((state) => (state.direct === sending ? { direct } : state));
      return direct;
    },

    async sendNotice(roomKey, text) {
      const sending: RoomMessageDelivery = { kind: 'notice', roomKey, status: 'sending' };
      set({ roomMessage: sending });
      const result = await invoke('admin.broadcast', {
        roomKeys: [roomKey],
        messageType: 'MESSAGE',
        message: text,
      });
      const answer = result.ok
        ? result.value.results.find((entry) => entry.roomKey === roomKey)
        : undefined;
      const error = !result.ok
        ? result.error
        : answer === undefined
          ? { code: 'INTERNAL', message: 'No answer for this room.' }
          : answer.ok
            ? undefined
            : answer.error;
      const roomMessage: RoomMessageDelivery =
        error === undefined
          ? {
              kind: 'notice',
              roomKey,
              status: 'sent',
              ...(answer?.ok ? { messageId: answer.messageId } : {}),
            }
          : { kind: 'notice', roomKey, status: 'failed', error };
      set((state) => (state.roomMessage === sending ? { roomMessage } : state));
      return error === undefined;
    },

    async sendCustom(roomKey, message, sendDate) {
      const sending: RoomMessageDelivery = { kind: 'custom', roomKey, status: 'sending' };
      set({ roomMessage: sending });
      const result = await invoke('admin.custom', {
        roomKey,
        message,
        ...(sendDate === undefined ? {} : { sendDate }),
      });
      const roomMessage: RoomMessageDelivery = result.ok
        ? { kind: 'custom', roomKey, status: 'sent', sendDate: result.value.sendDate }
        : { kind: 'custom', roomKey, status: 'failed', error: result.error };
      set((state) => (state.roomMessage === sending ? { roomMessage } : state));
      return result.ok;
    },

    clear() {
      set({ broadcast: null, direct: null, roomMessage: null });
    },
  };
});
