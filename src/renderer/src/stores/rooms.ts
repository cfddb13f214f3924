/**
 * The rooms: which ones are open as columns (in order, with their widths and the Flagged column's,
 * persisted in `settings.layout`), what each one is (`OpenRoom`: name, provider, capabilities, status), and the
 * room lists the picker shows per account.
 */
import { create } from 'zustand';
import {
  roomKeyOf,
  type ChatRoomInfo,
  type OpenRoom,
  type RoomKey,
  type RoomStatus,
  type RoomSummary,
} from '../../../shared/chat';
import type { ErrorInfo, Result } from '../../../shared/contract';
import type { Settings } from '../../../shared/model';
import { invoke } from '../lib/api';

export interface Column {
  roomKey: RoomKey;
  accountId: string;
  roomId: string;
  /** Pixels; the default width when absent. */
  width?: number;
}

export const DEFAULT_COLUMN_WIDTH = 360;
export const DEFAULT_FLAGGED_WIDTH = 320;
/** The drag-and-drop type that carries a column's room key while it is being moved. */
export const COLUMN_DRAG_TYPE = 'application/x-moddeck-column';
export const MIN_COLUMN_WIDTH = 200;
export const MAX_COLUMN_WIDTH = 2000;

/** A column whose room could not be opened (yet): it keeps its place and says why. */
export interface Opening {
  status: 'opening' | 'error';
  error?: ErrorInfo;
}

export interface Catalog {
  status: 'loading' | 'ready' | 'error';
  rooms: RoomSummary[];
  error?: ErrorInfo;
}

type Layout = Settings['layout'];
type LayoutColumn = Layout['columns'][number];

interface RoomsState {
  columns: Column[];
  /** The Flagged column's width in pixels; the default when absent. */
  flaggedWidth?: number;
  byKey: Record<RoomKey, OpenRoom>;
  opening: Record<RoomKey, Opening>;
  catalogs: Record<string, Catalog>;

  /** Opens every column of the saved layout, in order, and fills each from its snapshot. */
  restore: (layout: readonly LayoutColumn[]) => Promise<void>;
  /** Opens a room as the rightmost column (or returns the open one) and loads its snapshot. */
  open: (accountId: string, roomId: string) => Promise<Result<OpenRoom>>;
  /** Tries again to open a column whose room failed to open. */
  reopen: (roomKey: RoomKey) => Promise<void>;
  /** The room as `feed.snapshot` describes it (status and capabilities may have moved on). */
  refresh: (room: OpenRoom) => void;
  close: (roomKey: RoomKey) => Promise<void>;
  move: (roomKey: RoomKey, offset: number) => void;
  /** Drag and drop: puts the column where `target` is, shifting `target` aside. */
  moveBefore: (roomKey: RoomKey, target: RoomKey) => void;
  resize: (roomKey: RoomKey, width: number) => void;
  /** Sets the Flagged column's width and saves it with the layout. */
  resizeFlagged: (width: number) => void;
  /** Takes the Flagged column's width from the saved layout (without saving it again). */
  adoptFlaggedWidth: (width: number | undefined) => void;
  applyStatuses: (statuses: readonly RoomStatus[]) => void;
  loadCatalog: (accountId: string) => Promise<void>;
  createChatRoom: (accountId: string, roomId: string) => Promise<Result<ChatRoomInfo>>;
  closeChatRoom: (accountId: string, roomId: string) => Promise<Result<ChatRoomInfo>>;
}

/**
 * Set by the session: how the deck saves the layout and fills a room's feed. Kept out of this
 * store's imports so the rooms, feed and settings stores do not import each other in a circle.
 */
export interface RoomsHooks {
  saveLayout: (layout: Layout) => void;
  loadFeed: (roomKey: RoomKey) => Promise<void>;
  dropFeed: (roomKey: RoomKey) => void;
}

let hooks: RoomsHooks = {
  saveLayout: () => undefined,
  loadFeed: () => Promise.resolve(),
  dropFeed: () => undefined,
};

export function setRoomsHooks(next: RoomsHooks): void {
  hooks = next;
}

function layoutOf(columns: readonly Column[], flaggedWidth: number | undefined): Layout {
  return {
    columns: columns.map(({ accountId, roomId, width }) =>
      width === undefined ? { accountId, roomId } : { accountId, roomId, width },
    ),
    ...(flaggedWidth === undefined ? {} : { flaggedWidth }),
  };
}

function clampWidth(width: number): number {
  return Math.round(Math.min(MAX_COLUMN_WIDTH, Math.max(MIN_COLUMN_WIDTH, width)));
}

export const useRooms = create<RoomsState>()((set, get) => {
  /** Opens one column's room; the column itself already exists. */
  async function openColumn(column: Column): Promise<Result<OpenRoom>> {
    const { roomKey } = column;
    set((state) => ({ opening: { ...state.opening, [roomKey]: { status: 'opening' } } }));
    const result = await invoke('rooms.open', {
      accountId: column.accountId,
      roomId: column.roomId,
    });
    if (!get().columns.some((existing) => existing.roomKey === roomKey)) {
      // The column was closed while main opened its room: main carries it now, and would go on
      // receiving its chat and notifying for it.
      if (result.ok) await invoke('rooms.close', { roomKey });
      return result;
    }
    if (!result.ok) {
      set((state) => ({
        opening: { ...state.opening, [roomKey]: { status: 'error', error: result.error } },
      }));
      return result;
    }
    set((state) => {
      const opening = { ...state.opening };
      delete opening[roomKey];
      return { opening, byKey: { ...state.byKey, [roomKey]: result.value } };
    });
    await hooks.loadFeed(roomKey);
    return result;
  }

  function persist(): void {
    hooks.saveLayout(layoutOf(get().columns, get().flaggedWidth));
  }

  return {
    columns: [],
    byKey: {},
    opening: {},
    catalogs: {},

    async restore(layout) {
      const known = new Set(get().columns.map((column) => column.roomKey));
      const added: Column[] = [];
      for (const entry of layout) {
        const roomKey = roomKeyOf(entry.accountId, entry.roomId);
        if (known.has(roomKey)) continue;
        known.add(roomKey);
        added.push({ ...entry, roomKey });
      }
      if (added.length === 0) return;
      set((state) => ({ columns: [...state.columns, ...added] }));
      await Promise.all(added.map((column) => openColumn(column)));
    },

    async open(accountId, roomId) {
      const roomKey = roomKeyOf(accountId, roomId);
      const existing = get().byKey[roomKey];
      if (existing) return { ok: true, value: existing };
      const column: Column = { roomKey, accountId, roomId };
      if (!get().columns.some((entry) => entry.roomKey === roomKey)) {
        set((state) => ({ columns: [...state.columns, column] }));
        persist();
      }
      return openColumn(column);
    },

    async reopen(roomKey) {
      const column = get().columns.find((entry) => entry.roomKey === roomKey);
      if (column && !get().byKey[roomKey]) await openColumn(column);
    },

    refresh(room) {
      if (!get().byKey[room.roomKey]) return;
      set((state) => ({ byKey: { ...state.byKey, [room.roomKey]: room } }));
    },

    async close(roomKey) {
      const wasOpen = get().byKey[roomKey] !== undefined;
      set((state) => {
        const byKey = { ...state.byKey };
        delete byKey[roomKey];
        const opening = { ...state.opening };
        delete opening[roomKey];
        return {
          columns: state.columns.filter((column) => column.roomKey !== roomKey),
          byKey,
          opening,
        };
      });
      hooks.dropFeed(roomKey);
      persist();
      if (wasOpen) await invoke('rooms.close', { roomKey });
    },

    move(roomKey, offset) {
      const columns = get().columns.slice();
      const from = columns.findIndex((column) => column.roomKey === roomKey);
      const to = from + offset;
      if (from === -1 || to < 0 || to >= columns.length) return;
      const [column] = columns.splice(from, 1);
      if (!column) return;
      columns.splice(to, 0, column);
      set({ columns });
      persist();
    },

    moveBefore(roomKey, target) {
      const keys = get().columns.map((column) => column.roomKey);
      const from = keys.indexOf(roomKey);
      const to = keys.indexOf(target);
      if (from !== -1 && to !== -1) get().move(roomKey, to - from);
    },

    resize(roomKey, width) {
      const clamped = clampWidth(width);
      const columns = get().columns.map((column) =>
        column.roomKey === roomKey ? { ...column, width: clamped } : column,
      );
      set({ columns });
      persist();
    },

    resizeFlagged(width) {
      set({ flaggedWidth: clampWidth(width) });
      persist();
    },

    adoptFlaggedWidth(width) {
      if (width !== get().flaggedWidth) set({ flaggedWidth: width });
    },

    applyStatuses(statuses) {
      set((state) => {
        let byKey: Record<RoomKey, OpenRoom> | null = null;
        for (const status of statuses) {
          const room = (byKey ?? state.byKey)[status.roomKey];
          if (!room) continue;
          byKey ??= { ...state.byKey };
          byKey[status.roomKey] = { ...room, status };
        }
        return byKey ? { byKey } : state;
      });
    },

    async loadCatalog(accountId) {
      set((state) => ({
        catalogs: {
          ...state.catalogs,
          [accountId]: { status: 'loading', rooms: state.catalogs[accountId]?.rooms ?? [] },
        },
      }));
      const result = await invoke('rooms.list', { accountId });
      set((state) => ({
        catalogs: {
          ...state.catalogs,
          [accountId]: result.ok
            ? { status: 'ready', rooms: result.value }
            : { status: 'error', rooms: [], error: result.error },
        },
      }));
    },

    async createChatRoom(accountId, roomId) {
      const result = await invoke('chatRoom.create', { accountId, roomId });
      if (result.ok) await get().loadCatalog(accountId);
      return result;
    },

    async closeChatRoom(accountId, roomId) {
      const result = await invoke('chatRoom.close', { accountId, roomId });
      if (result.ok) await get().loadCatalog(accountId);
      return result;
    },
  };
});
