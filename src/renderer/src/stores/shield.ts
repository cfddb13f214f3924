/**
 * Shield mode as main has it (`shield.get`, `shield.changed`): on in every room, or in some, and
 * since when. Main holds the switch; this store follows it and asks for changes.
 */
import { create } from 'zustand';
import { SHIELD_RULE_ID, type RoomKey } from '../../../shared/chat';
import { roomKeyOfEvent, type EventKey } from '../lib/eventKey';
import type { ErrorInfo } from '../../../shared/contract';
import type { ShieldState } from '../../../shared/model';
import { invoke, on } from '../lib/api';
import type { RoomFeed } from './feed';

interface ShieldStore {
  state: ShieldState;
  /** Turning it off everywhere waits for the moderator's answer about what it held. */
  ending: boolean;
  setEnding: (ending: boolean) => void;
  /**
   * Turns it on or off in a room (`roomKey`), or in every room (null): off everywhere asks first
   * when it holds messages (`ending`, answered by the top bar's question).
   */
  toggle: (roomKey: RoomKey | null, holdsMessages: boolean) => Promise<ErrorInfo | null>;
  /** Reads where it is on; returns the unsubscribe of `shield.changed`. */
  start: () => () => void;
  /** Turns it on or off in a room, or (`roomKey` null) in every room; the error when refused. */
  set: (roomKey: RoomKey | null, on: boolean) => Promise<ErrorInfo | null>;
}

const OFF: ShieldState = { all: null, rooms: [] };

export const useShield = create<ShieldStore>()((set, get) => ({
  state: OFF,
  ending: false,

  setEnding(ending) {
    set({ ending });
  },

  async toggle(roomKey, holdsMessages) {
    const { state } = get();
    if (roomKey !== null) {
      const own = state.rooms.some((room) => room.roomKey === roomKey);
      return get().set(roomKey, !own);
    }
    if (shieldOnSince(state) === null) return get().set(null, true);
    if (holdsMessages) {
      set({ ending: true });
      return null;
    }
    return get().set(null, false);
  },

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

/**
 * The keys of the held messages shield mode holds now, in every room, oldest hold first: from the
 * Held column's list (`useFeed().held`), so that only what waits for review is read.
 */
export function heldByShield(feed: {
  rooms: Readonly<Record<string, RoomFeed>>;
  held: readonly EventKey[];
}): EventKey[] {
  return feed.held.filter((key) => {
    const event = feed.rooms[roomKeyOfEvent(key)]?.byKey.get(key);
    return event?.held?.ruleId === SHIELD_RULE_ID && event.messageId !== null;
  });
}
