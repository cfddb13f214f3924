/**
 * Shield mode as main has it (`shield.get`, `shield.changed`): on in every room, or in some, and
 * since when. Main holds the switch; this store follows it and asks for changes.
 */
import { create } from 'zustand';
import type { RoomKey } from '../../../shared/chat';
import type { ErrorInfo } from '../../../shared/contract';
import type { ShieldState } from '../../../shared/model';
import { invoke, on } from '../lib/api';

interface ShieldStore {
  state: ShieldState;
  /** Reads where it is on; returns the unsubscribe of `shield.changed`. */
  start: () => () => void;
  /** Turns it on or off in a room, or (`roomKey` null) in every room; the error when refused. */
  set: (roomKey: RoomKey | null, on: boolean) => Promise<ErrorInfo | null>;
}

const OFF: ShieldState = { all: null, rooms: [] };

export const useShield = create<ShieldStore>()((set) => ({
  state: OFF,

  start() {
    // A `shield.changed` event is newer than any `shield.get` answer still on its way.
    let heard = false;
    const stop = on('shield.changed', (state) => {
      heard = true;
      set({ state });
    });
    void invoke('shield.get').then((answer) => {
      if (answer.ok && !heard) set({ state: answer.value });
    });
    return stop;
  },

  async set(roomKey, turnOn) {
    const answer = await invoke('shield.set', { roomKey, on: turnOn });
    if (!answer.ok) return answer.error;
    set({ state: answer.value });
    return null;
  },
}));

/** Since when shield mode is on in the room (by itself or for every room), or null. */
export function shieldSince(state: ShieldState, roomKey: RoomKey): number | null {
  const own = state.rooms.find((room) => room.roomKey === roomKey)?.since ?? null;
  if (state.all === null) return own;
  return own === null ? state.all : Math.min(own, state.all);
}

/** When shield mode was first turned on of what is on now, or null when it is off everywhere. */
export function shieldOnSince(state: ShieldState): number | null {
  const times = [...(state.all === null ? [] : [state.all]), ...state.rooms.map((r) => r.since)];
  return times.length === 0 ? null : Math.min(...times);
}
