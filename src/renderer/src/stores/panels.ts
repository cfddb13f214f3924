/**
 * The deck's side panels: a room's members, a user's card, the admin-message composer, a room's
 * notice or custom message, and a room's settings. They stack: a member opens their card over the members list, the card opens
 * the composer, and closing one goes back to the one below. Search opens a result's history view
 * over its results.
 */
import { create } from 'zustand';
import type { ChatUser, RoomKey } from '../../../shared/chat';
import { roomKeyOfEvent, type EventKey } from '../lib/eventKey';
import { useFeed } from './feed';
import { useSearch } from './search';

export type ComposerMode = 'broadcast' | 'direct';
/** What one room's own message is (VChatCloud): a notice, or a custom message. */
export type RoomMessageMode = 'notice' | 'custom';

export type Panel =
  | { type: 'members'; roomKey: RoomKey }
  /** `roomKey` is where the user was seen; the card gathers them from the account's every room. */
  | { type: 'user'; roomKey: RoomKey; user: ChatUser }
  | { type: 'composer'; mode: ComposerMode; roomKeys: RoomKey[]; receivers: ChatUser[] }
  | { type: 'roomMessage'; mode: RoomMessageMode; roomKey: RoomKey }
  | { type: 'roomSettings'; roomKey: RoomKey }
  /** Search over the messages: these rooms, or every room when null (`stores/search.ts`). */
  | { type: 'search'; roomKeys: RoomKey[] | null }
  /** A room's stored messages around one search found (its `seq` in the store), read-only. */
  | { type: 'history'; roomKey: RoomKey; seq: number; eventId: string };

export interface OpenPanel {
  id: number;
  panel: Panel;
}

interface PanelsState {
  /** Bottom first; the last one is shown. */
  stack: OpenPanel[];
  /** Opens a panel over the current one. */
  open: (panel: Panel) => void;
  /** Replaces every open panel with this one (from the deck, not from inside a panel). */
  show: (panel: Panel) => void;
  /** Closes the top panel, showing the one below. */
  back: () => void;
  closeAll: () => void;
  /** Closes the panels that belong to a room that is no longer open. */
  forgetRoom: (roomKey: RoomKey) => void;
}

let panelId = 0;

function belongsTo(panel: Panel, roomKey: RoomKey): boolean {
  // Search and the history view read the store too: a room closed on the deck is still there.
  if (panel.type === 'search' || panel.type === 'history') return false;
  if (panel.type === 'composer')
    return panel.roomKeys.length === 1 && panel.roomKeys[0] === roomKey;
  return panel.roomKey === roomKey;
}

export const usePanels = create<PanelsState>()((set) => ({
  stack: [],

  open(panel) {
    set((state) => ({ stack: [...state.stack, { id: (panelId += 1), panel }] }));
  },

  show(panel) {
    set({ stack: [{ id: (panelId += 1), panel }] });
  },

  back() {
    set((state) => ({ stack: state.stack.slice(0, -1) }));
  },

  closeAll() {
    set({ stack: [] });
  },

  forgetRoom(roomKey) {
    set((state) => {
      const stack = state.stack.filter((entry) => !belongsTo(entry.panel, roomKey));
      return stack.length === state.stack.length ? state : { stack };
    });
  },
}));

export function selectTopPanel(state: PanelsState): OpenPanel | undefined {
  return state.stack[state.stack.length - 1];
}

/** Shows the card of the user who wrote event `key`; false when the event has no user. */
export function openUserCard(key: EventKey): boolean {
  const roomKey = roomKeyOfEvent(key);
  const user = useFeed.getState().rooms[roomKey]?.byKey.get(key)?.user;
  if (!user) return false;
  usePanels.getState().show({ type: 'user', roomKey, user });
  return true;
}

/** Opens search over these rooms (every room when null), over whatever panel was open. */
export function openSearch(roomKeys: RoomKey[] | null): void {
  useSearch.getState().start(roomKeys);
  usePanels.getState().show({ type: 'search', roomKeys });
}
