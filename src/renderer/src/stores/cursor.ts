/**
 * The deck's cursor and its pauses: the one focus cursor across every column, and why each column
 * is paused (and the list it shows while paused). A slice of the deck store (`deck.ts`).
 *
 * A paused column shows a frozen copy of its list as it was on the screen when it paused, so
 * nothing moves under the moderator's eyes or cursor; new events are only counted ("N new
 * messages"). It pauses while it holds the focus, while the pointer is over it, while the
 * moderator has scrolled it away from its newest rows, while the moderator keeps it paused (`p`),
 * and while the pause key is held. The cursor leaving a column is the end of that column's pause
 * unless the moderator scrolled it or kept it; `Esc` ends every pause.
 */
import type { StoreApi } from 'zustand';
import { shownList } from '../feedPipeline/shownLists';
import {
  FLAGGED_COLUMN,
  HELD_COLUMN,
  roomKeyOfEvent,
  type ColumnKey,
  type EventKey,
} from '../lib/eventKey';
import { hasHoldRule } from '../lib/holdRules';
import { confirmationsOnRow, confirmationsOutside, NO_CONFIRMATIONS } from './confirmations';
import type { DeckState } from './deck';
import { displayedState, findEvent, isQueued, useFeed } from './feed';
import { rowsOf, useRepeats } from './repeats';
import { useRooms } from './rooms';
import { useSettings } from './settings';

export interface Focus {
  column: ColumnKey;
  key: EventKey;
}

export interface Frozen {
  keys: readonly EventKey[];
  /** The column's appended count when it froze. */
  appended: number;
}

export interface PauseState {
  focus: Focus | null;
  hovered: ColumnKey | null;
  /** Columns the moderator scrolled away from their newest rows (the cursor's scrolling is not). */
  scrolledUp: Readonly<Record<ColumnKey, true>>;
  /** Columns the moderator keeps paused after the cursor leaves them. */
  pinned: Readonly<Record<ColumnKey, true>>;
  /** The pause key is held down: every column is paused. */
  holding: boolean;
  frozen: Readonly<Record<ColumnKey, Frozen>>;
}

export interface CursorSlice extends PauseState {
  /** Counts the requests to bring the focused row, with its confirmation, fully into view. */
  revealRequest: number;
  /** The room column the deck was last asked to show (opened, or reopened), and how many times. */
  shownColumn: { column: ColumnKey; request: number } | null;

  /** Moves the cursor; a confirmation waiting on another row is dropped. */
  setFocus: (focus: Focus | null) => void;
  /** The deck left the screen (or was shown again): no cursor, no pointer over a column. */
  leaveDeck: () => void;
  setHovered: (column: ColumnKey, hovered: boolean) => void;
  setScrolledUp: (column: ColumnKey, scrolledUp: boolean) => void;
  setHolding: (holding: boolean) => void;
  /** "N new messages ↓": drops every reason this column is paused, focus included. */
  resume: (column: ColumnKey) => void;
  /** Ends every pause, in every column: the pointer resting on one pauses it again once it moves. */
  resumeAll: () => void;
  /** Keeps the focused column paused after the cursor leaves it, or lets it go live again. */
  togglePin: () => void;
  /** Moves the cursor to the newest row of its column, the ones that waited included. */
  jumpToNewest: () => void;
  /** Brings the focused row (and the confirmation it shows) fully into view again. */
  revealFocus: () => void;
  /** Scrolls the deck to a room's column. */
  showColumn: (column: ColumnKey) => void;
  /** Forgets a closed column. */
  forgetColumn: (column: ColumnKey) => void;

  moveFocus: (direction: 1 | -1) => void;
  moveColumn: (direction: 1 | -1) => void;
  /**
   * Moves the cursor, in the Flagged column, to the oldest flagged message or DM still waiting
   * of the last `QUEUE_WINDOW_MS` (the next one on each press); past the window, to the newest.
   */
  nextFlagged: () => void;
}

/**
 * `n` works through what waited for this long, oldest first: past it a message has scrolled off
 * every viewer's screen, and acting on it matters less than on what is still being read. The
 * keyboard help names it in minutes (`help.commands.nextFlagged`).
 */
export const QUEUE_WINDOW_MS = 5 * 60_000;

const NO_KEYS: readonly EventKey[] = Object.freeze([]);

/**
 * Whether the deck shows the Held column: while something is held, whenever a rule would hold (an
 * empty queue then says so, rather than the column coming and going with each raid), and while
 * it is paused (the last rows reviewed stay in front of the moderator, saying how it went).
 */
export function heldColumnShown(
  heldCount: number,
  settings: Parameters<typeof hasHoldRule>[0],
  paused: boolean,
): boolean {
  return heldCount > 0 || paused || hasHoldRule(settings);
}

/**
 * Columns left to right: Flagged first, then Held when shown, then the rooms in layout order.
 * `frozen` is the deck's (the Held column shows while it is paused).
 */
export function deckColumns(frozen: PauseState['frozen']): ColumnKey[] {
  const rooms = useRooms.getState().columns.map((column) => column.roomKey);
  const held = heldColumnShown(
    useFeed.getState().held.length,
    useSettings.getState().settings,
    frozen[HELD_COLUMN] !== undefined,
  );
  return held ? [FLAGGED_COLUMN, HELD_COLUMN, ...rooms] : [FLAGGED_COLUMN, ...rooms];
}

/** What the column would show if it were not paused. */
export function liveKeys(column: ColumnKey): readonly EventKey[] {
  const feed = useFeed.getState();
  if (column === FLAGGED_COLUMN) return feed.flagged;
  if (column === HELD_COLUMN) return feed.held;
  return feed.rooms[column]?.keys ?? NO_KEYS;
}

export function appendedCount(column: ColumnKey): number {
  const feed = useFeed.getState();
  if (column === FLAGGED_COLUMN) return feed.flaggedAppended;
  if (column === HELD_COLUMN) return feed.heldAppended;
  return feed.rooms[column]?.appended ?? 0;
}

/** What the column shows with these pauses: its frozen list while paused, the live one otherwise. */
export function keysShown(
  state: Pick<PauseState, 'frozen'>,
  column: ColumnKey,
): readonly EventKey[] {
  return state.frozen[column]?.keys ?? liveKeys(column);
}

/**
 * The rows among `keys` (a list of `column`) that the cursor stops on: a collapsed run of repeated
 * messages is one stop, its first copy (see `stores/repeats.ts`).
 */
function rowsIn(
  state: Pick<PauseState, 'focus'>,
  column: ColumnKey,
  keys: readonly EventKey[],
): readonly EventKey[] {
  const focusKey = state.focus?.column === column ? state.focus.key : null;
  return rowsOf(column, keys, useRepeats.getState().expanded, focusKey);
}

export function isPaused(state: PauseState, column: ColumnKey): boolean {
  return (
    state.holding ||
    state.hovered === column ||
    state.focus?.column === column ||
    state.scrolledUp[column] === true ||
    state.pinned[column] === true
  );
}

/** Freezes the columns that start a pause and thaws the ones whose pause ends. */
function withPauses(state: PauseState, next: Partial<PauseState>): Partial<PauseState> {
  const merged: PauseState = {
    focus: next.focus !== undefined ? next.focus : state.focus,
    hovered: next.hovered !== undefined ? next.hovered : state.hovered,
    scrolledUp: next.scrolledUp ?? state.scrolledUp,
    pinned: next.pinned ?? state.pinned,
    holding: next.holding ?? state.holding,
    frozen: state.frozen,
  };
  let frozen: Record<ColumnKey, Frozen> | null = null;
  for (const column of deckColumns(state.frozen)) {
    const paused = isPaused(merged, column);
    const current = state.frozen[column];
    const focusKey = merged.focus?.column === column ? merged.focus.key : null;
    if (paused && (!current || (focusKey !== null && !current.keys.includes(focusKey)))) {
      // A newly paused column, or the cursor jumped to an event that arrived after it froze.
      frozen ??= { ...state.frozen };
      const shown = current ? undefined : shownList(column);
      frozen[column] =
        shown && (focusKey === null || shown.keys.includes(focusKey))
          ? shown
          : { keys: liveKeys(column), appended: appendedCount(column) };
    } else if (!paused && current) {
      frozen ??= { ...state.frozen };
      delete frozen[column];
    }
  }
  return { ...next, ...(frozen ? { frozen } : {}) };
}

function isNavigable(key: EventKey): boolean {
  const event = findEvent(key);
  return event !== undefined && event.kind !== 'gap';
}

function newestIn(column: ColumnKey, keys: readonly EventKey[]): EventKey | null {
  // The Flagged column lists newest first; rooms list oldest first.
  if (column === FLAGGED_COLUMN) return keys.find(isNavigable) ?? null;
  for (let index = keys.length - 1; index >= 0; index -= 1) {
    const key = keys[index] as EventKey;
    if (isNavigable(key)) return key;
  }
  return null;
}

/** The event among `keys` that arrived closest to `receivedAt`. */
function nearestIn(keys: readonly EventKey[], receivedAt: number): EventKey | null {
  let best: EventKey | null = null;
  let bestDistance = Infinity;
  for (const key of keys) {
    const event = findEvent(key);
    if (!event || event.kind === 'gap') continue;
    const distance = Math.abs(event.receivedAt - receivedAt);
    if (distance < bestDistance) {
      best = key;
      bestDistance = distance;
    }
  }
  return best;
}

/**
 * Where in the live list `key` is, for a walk toward the newest: its index, or, when it has left
 * the list (handled in the Flagged queue, or let go), the place it had among the newer events.
 * Null when nothing is known of it any more.
 */
function startInLive(
  live: readonly EventKey[],
  key: EventKey,
  towardNewest: 1 | -1,
): number | null {
  const index = live.lastIndexOf(key);
  if (index !== -1) return index;
  const receivedAt = findEvent(key)?.receivedAt;
  if (receivedAt === undefined) return null;
  const isNewer = (other: EventKey) => (findEvent(other)?.receivedAt ?? -Infinity) > receivedAt;
  if (towardNewest === 1) {
    const newer = live.findIndex(isNewer);
    return newer === -1 ? live.length - 1 : newer - 1;
  }
  for (let at = live.length - 1; at >= 0; at -= 1) if (isNewer(live[at] as EventKey)) return at + 1;
  return 0;
}

export function createCursorSlice(
  set: StoreApi<DeckState>['setState'],
  get: StoreApi<DeckState>['getState'],
): CursorSlice {
  function focusOn(focus: Focus | null): void {
    set((state) => ({
      ...withPauses(state, { focus }),
      ...confirmationsOnRow(state, focus),
    }));
  }

  /** The newest row the column shows now. */
  function newestShown(column: ColumnKey): EventKey | null {
    return newestIn(column, rowsIn(get(), column, keysShown(get(), column)));
  }

  return {
    focus: null,
    hovered: null,
    scrolledUp: {},
    pinned: {},
    holding: false,
    frozen: {},
    revealRequest: 0,
    shownColumn: null,

    setFocus(focus) {
      const current = get().focus;
      if (current?.column === focus?.column && current?.key === focus?.key) return;
      focusOn(focus);
    },

    leaveDeck() {
      set((state) => withPauses(state, { focus: null, hovered: null }));
    },

    setHovered(column, hovered) {
      const current = get().hovered;
      if (hovered && current !== column) set((state) => withPauses(state, { hovered: column }));
      if (!hovered && current === column) set((state) => withPauses(state, { hovered: null }));
    },

    setScrolledUp(column, scrolledUp) {
      if ((get().scrolledUp[column] === true) === scrolledUp) return;
      set((state) => {
        const next = { ...state.scrolledUp };
        if (scrolledUp) next[column] = true;
        else delete next[column];
        return withPauses(state, { scrolledUp: next });
      });
    },

    setHolding(holding) {
      if (get().holding !== holding) set((state) => withPauses(state, { holding }));
    },

    resume(column) {
      set((state) => {
        const scrolledUp = { ...state.scrolledUp };
        delete scrolledUp[column];
        const pinned = { ...state.pinned };
        delete pinned[column];
        return withPauses(state, {
          scrolledUp,
          pinned,
          hovered: state.hovered === column ? null : state.hovered,
          focus: state.focus?.column === column ? null : state.focus,
        });
      });
    },

    resumeAll() {
      set((state) => withPauses(state, { focus: null, hovered: null, scrolledUp: {}, pinned: {} }));
    },

    togglePin() {
      const column = get().focus?.column;
      if (column === undefined) return;
      set((state) => {
        const pinned = { ...state.pinned };
        if (pinned[column]) delete pinned[column];
        else pinned[column] = true;
        return withPauses(state, { pinned });
      });
    },

    jumpToNewest() {
      const column = get().focus?.column;
      if (column === undefined) return;
      const key = newestIn(column, rowsIn(get(), column, liveKeys(column)));
      set((state) => {
        const scrolledUp = { ...state.scrolledUp };
        delete scrolledUp[column];
        const pinned = { ...state.pinned };
        delete pinned[column];
        // The frozen list gives way to the feed's newest, which the cursor then holds.
        const frozen = { ...state.frozen };
        delete frozen[column];
        const focus = key ? { column, key } : null;
        return {
          frozen,
          ...withPauses({ ...state, frozen }, { scrolledUp, pinned, focus }),
          ...NO_CONFIRMATIONS,
        };
      });
    },

    revealFocus() {
      set((state) => ({ revealRequest: state.revealRequest + 1 }));
    },

    showColumn(column) {
      set((state) => ({
        shownColumn: { column, request: (state.shownColumn?.request ?? 0) + 1 },
      }));
    },

    forgetColumn(column) {
      set((state) => {
        const frozen = { ...state.frozen };
        delete frozen[column];
        for (const queue of [FLAGGED_COLUMN, HELD_COLUMN]) {
          const kept = frozen[queue];
          if (kept) {
            frozen[queue] = {
              ...kept,
              keys: kept.keys.filter((key) => roomKeyOfEvent(key) !== column),
            };
          }
        }
        const scrolledUp = { ...state.scrolledUp };
        delete scrolledUp[column];
        const pinned = { ...state.pinned };
        delete pinned[column];
        const focusGone =
          state.focus !== null &&
          (state.focus.column === column || roomKeyOfEvent(state.focus.key) === column);
        return {
          frozen,
          scrolledUp,
          pinned,
          hovered: state.hovered === column ? null : state.hovered,
          focus: focusGone ? null : state.focus,
          ...confirmationsOutside(state, column),
        };
      });
    },

    moveFocus(direction) {
      const { focus } = get();
      if (!focus) {
        const columns = deckColumns(get().frozen);
        // The first room with rows; the queues (Flagged, Held) only when no room has any.
        const rooms = columns.filter(
          (column) => column !== FLAGGED_COLUMN && column !== HELD_COLUMN,
        );
        const start = rooms.find((column) => newestShown(column) !== null) ?? columns[0];
        const key = start ? newestShown(start) : null;
        if (start && key) focusOn({ column: start, key });
        return;
      }
      const keys = rowsIn(get(), focus.column, keysShown(get(), focus.column));
      let index = keys.indexOf(focus.key);
      if (index === -1) {
        const key = newestShown(focus.column);
        if (key) focusOn({ column: focus.column, key });
        return;
      }
      for (index += direction; index >= 0 && index < keys.length; index += direction) {
        const key = keys[index] as EventKey;
        if (isNavigable(key)) {
          focusOn({ column: focus.column, key });
          return;
        }
      }
      // Past the newest row shown: the rows that waited while the column was paused come in.
      const towardNewest = focus.column === FLAGGED_COLUMN ? -1 : 1;
      const liveList = liveKeys(focus.column);
      if (direction !== towardNewest || liveList === keysShown(get(), focus.column)) return;
      const live = rowsIn(get(), focus.column, liveList);
      const from = startInLive(live, focus.key, towardNewest);
      if (from === null) return;
      for (index = from + direction; index >= 0 && index < live.length; index += direction) {
        const key = live[index] as EventKey;
        if (isNavigable(key)) {
          focusOn({ column: focus.column, key });
          return;
        }
      }
    },

    moveColumn(direction) {
      const columns = deckColumns(get().frozen);
      const { focus } = get();
      const from = focus ? columns.indexOf(focus.column) : direction > 0 ? -1 : columns.length;
      const receivedAt = focus ? findEvent(focus.key)?.receivedAt : undefined;
      for (let index = from + direction; index >= 0 && index < columns.length; index += direction) {
        const column = columns[index] as ColumnKey;
        const key =
          receivedAt === undefined
            ? newestShown(column)
            : nearestIn(rowsIn(get(), column, keysShown(get(), column)), receivedAt);
        if (key) {
          focusOn({ column, key });
          return;
        }
      }
    },

    nextFlagged() {
      const feed = useFeed.getState();
      const since = Date.now() - QUEUE_WINDOW_MS;
      // The list is newest first: the recent ones oldest first, then the older ones newest first.
      const recent: EventKey[] = [];
      const older: EventKey[] = [];
      for (const key of feed.flagged) {
        const event = findEvent(key);
        if (!event || !isQueued(event)) continue;
        if (displayedState(event, feed.actions[key]) !== 'visible') continue;
        (event.receivedAt >= since ? recent : older).push(key);
      }
      const candidates = recent.reverse().concat(older);
      if (candidates.length === 0) return;
      const { focus } = get();
      const at = focus ? candidates.indexOf(focus.key) : -1;
      const next = candidates[(at + 1) % candidates.length] as EventKey;
      focusOn({ column: FLAGGED_COLUMN, key: next });
    },
  };
}
