/**
 * The deck's interaction state: the one focus cursor across every column, why each column is
 * paused (and the list it shows while paused), the delete and exile confirmations, the toast, the
 * overlays.
 *
 * A paused column shows a frozen copy of its list as it was on the screen when it paused, so
 * nothing moves under the moderator's eyes or cursor; new events are only counted ("N new
 * messages"). It pauses while it holds the focus, while the pointer is over it, while the
 * moderator has scrolled it away from its newest rows, while the moderator keeps it paused (`p`),
 * and while the pause key is held. The cursor leaving a column is the end of that column's pause
 * unless the moderator scrolled it or kept it; `Esc` ends every pause.
 */
import { create } from 'zustand';
import type { ChatEvent, ChatUser, RoomKey, UserAction } from '../../../shared/chat';
import type { ErrorInfo } from '../../../shared/contract';
import { ErrorCode } from '../../../shared/errors';
import type { ProviderId } from '../../../shared/model';
import { actionableAuthor } from '../lib/author';
import { FLAGGED_COLUMN, roomKeyOfEvent, type ColumnKey, type EventKey } from '../lib/eventKey';
import { takesMessageActions } from '../lib/messageActions';
import { displayedState, isQueued, useFeed, type ActionKind } from './feed';
import { useRooms } from './rooms';
import { useRuleDrafts } from './ruleDrafts';
import { shownList } from '../feedPipeline/shownLists';
import { useUsers } from './users';

export type View = 'deck' | 'accounts' | 'settings';

export interface Focus {
  column: ColumnKey;
  key: EventKey;
}

export interface Frozen {
  keys: readonly EventKey[];
  /** The column's appended count when it froze. */
  appended: number;
}

/** A deck command on the focused message that its room's provider may not offer. */
export type ProviderCommand = ActionKind | 'mute' | 'exile';

export type Toast =
  | { id: number; type: 'hidden'; key: EventKey }
  | { id: number; type: 'failed'; key: EventKey; kind: ActionKind; error: ErrorInfo }
  /** The service did not say whether the action took effect. */
  | { id: number; type: 'unknown'; key: EventKey; kind: ActionKind; error: ErrorInfo }
  /** Marking a flagged message handled failed; it waits in the queue again. */
  | { id: number; type: 'markHandledFailed'; key: EventKey; error: ErrorInfo }
  /** The provider has no such action; `userActions` when it can act on the author instead. */
  | {
      id: number;
      type: 'unavailable';
      command: ProviderCommand;
      provider: ProviderId;
      userActions: boolean;
    }
  /** Why a key did nothing: `z` cannot bring back a delete; a join or leave is no message. */
  | { id: number; type: 'hint'; hint: 'deleteNotUndoable' | 'notAMessage' }
  /** A user was muted, exiled, or either lifted (or it failed, with the reason). */
  | {
      id: number;
      type: 'user';
      roomKey: RoomKey;
      user: ChatUser;
      action: UserAction;
      error?: ErrorInfo;
    };

export interface UiState {
  view: View;
  focus: Focus | null;
  /** What `showOnDeck` shows once the deck is in view. */
  showAfterLeave: Focus | null;
  hovered: ColumnKey | null;
  /** Columns the moderator scrolled away from their newest rows (the cursor's scrolling is not). */
  scrolledUp: Readonly<Record<ColumnKey, true>>;
  /** Columns the moderator keeps paused after the cursor leaves them. */
  pinned: Readonly<Record<ColumnKey, true>>;
  holding: boolean;
  frozen: Readonly<Record<ColumnKey, Frozen>>;
  /** The event whose deletion waits for a second Delete (or Enter). */
  confirmDelete: EventKey | null;
  /** The event whose author's exile waits for a second exile key (or Enter). */
  confirmExile: EventKey | null;
  /** The last hide or delete, for `z`: a hide it undoes, a delete it says it cannot. */
  lastAction: { key: EventKey; kind: 'hide' | 'delete' } | null;
  /** Counts the requests to bring the focused row, with its confirmation, fully into view. */
  revealRequest: number;
  /** The room column the deck was last asked to show (opened, or reopened), and how many times. */
  shownColumn: { column: ColumnKey; request: number } | null;
  toast: Toast | null;
  help: boolean;
  picker: boolean;

  setView: (view: View) => void;
  /**
   * Shows an event on the deck (a notification was clicked): at once, or once the moderator has
   * answered the question asked on leaving Settings with rules not saved.
   */
  showOnDeck: (focus: Focus) => void;
  setFocus: (focus: Focus | null) => void;
  setHovered: (column: ColumnKey, hovered: boolean) => void;
  setScrolledUp: (column: ColumnKey, scrolledUp: boolean) => void;
  setHolding: (holding: boolean) => void;
  /** "N new messages ↓": drops every reason this column is paused, focus included. */
  resume: (column: ColumnKey) => void;
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
  /** "Looks fine": marks a flagged message or DM handled; false when it is not waiting. */
  markHandled: (key: EventKey) => boolean;
  escape: () => void;
  hide: (key: EventKey) => Promise<void>;
  unhide: (key: EventKey) => Promise<void>;
  /** First call asks to confirm; a second call on the same event deletes it. */
  requestDelete: (key: EventKey) => Promise<void>;
  /** Confirms the delete or the exile that waits. */
  confirm: () => Promise<void>;
  cancelDelete: () => void;
  /** Mutes the author of event `key`, where the provider can. */
  mute: (key: EventKey) => Promise<void>;
  /** First call asks to confirm; a second call on the same event exiles its author. */
  requestExile: (key: EventKey) => Promise<void>;
  cancelExile: () => void;
  /** Mutes, exiles or lifts either for `user` in the room, and says how it went in a toast. */
  userAction: (roomKey: RoomKey, user: ChatUser, action: UserAction) => Promise<void>;
  undo: () => Promise<void>;
  retry: (key: EventKey) => Promise<void>;
  dismissToast: (id: number) => void;
  setHelp: (open: boolean) => void;
  setPicker: (open: boolean) => void;
}

type PauseFields = Pick<
  UiState,
  'focus' | 'hovered' | 'scrolledUp' | 'pinned' | 'holding' | 'frozen'
>;

/**
 * `n` works through what waited for this long, oldest first: past it a message has scrolled off
 * every viewer's screen, and acting on it matters less than on what is still being read. The
 * keyboard help names it in minutes (`help.commands.nextFlagged`).
 */
export const QUEUE_WINDOW_MS = 5 * 60_000;

const NO_KEYS: readonly EventKey[] = Object.freeze([]);

/** Columns left to right: Flagged first, then the rooms in layout order. */
export function deckColumns(): ColumnKey[] {
  return [FLAGGED_COLUMN, ...useRooms.getState().columns.map((column) => column.roomKey)];
}

/** What the column would show if it were not paused. */
export function liveKeys(column: ColumnKey): readonly EventKey[] {
  const feed = useFeed.getState();
  if (column === FLAGGED_COLUMN) return feed.flagged;
  return feed.rooms[column]?.keys ?? NO_KEYS;
}

export function appendedCount(column: ColumnKey): number {
  const feed = useFeed.getState();
  if (column === FLAGGED_COLUMN) return feed.flaggedAppended;
  return feed.rooms[column]?.appended ?? 0;
}

/** What the column shows now: its frozen list while paused, the live one otherwise. */
export function displayedKeys(column: ColumnKey): readonly EventKey[] {
  return useUi.getState().frozen[column]?.keys ?? liveKeys(column);
}

export function isPaused(state: PauseFields, column: ColumnKey): boolean {
  return (
    state.holding ||
    state.hovered === column ||
    state.focus?.column === column ||
    state.scrolledUp[column] === true ||
    state.pinned[column] === true
  );
}

function eventOf(key: EventKey): ChatEvent | undefined {
  return useFeed.getState().rooms[roomKeyOfEvent(key)]?.byKey.get(key);
}

/** Freezes the columns that start a pause and thaws the ones whose pause ends. */
function withPauses(state: UiState, next: Partial<PauseFields>): Partial<UiState> {
  const merged: PauseFields = {
    focus: next.focus !== undefined ? next.focus : state.focus,
    hovered: next.hovered !== undefined ? next.hovered : state.hovered,
    scrolledUp: next.scrolledUp ?? state.scrolledUp,
    pinned: next.pinned ?? state.pinned,
    holding: next.holding ?? state.holding,
    frozen: state.frozen,
  };
  let frozen: Record<ColumnKey, Frozen> | null = null;
  for (const column of deckColumns()) {
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
  const event = eventOf(key);
  return event !== undefined && event.kind !== 'gap';
}

function newestIn(column: ColumnKey, keys = displayedKeys(column)): EventKey | null {
  // The Flagged column lists newest first; rooms list oldest first.
  if (column === FLAGGED_COLUMN) return keys.find(isNavigable) ?? null;
  for (let index = keys.length - 1; index >= 0; index -= 1) {
    const key = keys[index] as EventKey;
    if (isNavigable(key)) return key;
  }
  return null;
}

/** The event in `column` that arrived closest to `receivedAt`. */
function nearestIn(column: ColumnKey, receivedAt: number): EventKey | null {
  let best: EventKey | null = null;
  let bestDistance = Infinity;
  for (const key of displayedKeys(column)) {
    const event = eventOf(key);
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
  const receivedAt = eventOf(key)?.receivedAt;
  if (receivedAt === undefined) return null;
  const isNewer = (other: EventKey) => (eventOf(other)?.receivedAt ?? -Infinity) > receivedAt;
  if (towardNewest === 1) {
    const newer = live.findIndex(isNewer);
    return newer === -1 ? live.length - 1 : newer - 1;
  }
  for (let at = live.length - 1; at >= 0; at -= 1) if (isNewer(live[at] as EventKey)) return at + 1;
  return 0;
}

let toastId = 0;

export const useUi = create<UiState>()((set, get) => {
  function focusOn(focus: Focus | null): void {
    set((state) => ({
      ...withPauses(state, { focus }),
      confirmDelete: focus && state.confirmDelete === focus.key ? state.confirmDelete : null,
      confirmExile: focus && state.confirmExile === focus.key ? state.confirmExile : null,
    }));
  }

  async function run(key: EventKey, kind: ActionKind): Promise<boolean> {
    const result = await useFeed.getState().act(key, kind);
    if (result && !result.ok) {
      const type = result.error.code === ErrorCode.OutcomeUnknown ? 'unknown' : 'failed';
      set({ toast: { id: (toastId += 1), type, key, kind, error: result.error } });
    }
    return result?.ok === true;
  }

  /** Deletes event `key`; `z` then says a delete cannot be undone (unless it failed). */
  async function runDelete(key: EventKey): Promise<void> {
    const lastAction = { key, kind: 'delete' } as const;
    set({ confirmDelete: null, lastAction });
    const ok = await run(key, 'delete');
    if (!ok && get().lastAction === lastAction) set({ lastAction: null });
  }

  function canAct(key: EventKey, kind: ActionKind): boolean {
    const event = eventOf(key);
    const capabilities = useRooms.getState().byKey[roomKeyOfEvent(key)]?.capabilities;
    return event !== undefined && takesMessageActions(event) && capabilities?.[kind] === true;
  }

  /** Whether event `key` is a chat message; a join, a leave or a notice says it is not. */
  function isMessage(key: EventKey): boolean {
    const event = eventOf(key);
    if (!event || takesMessageActions(event)) return event !== undefined;
    set({ toast: { id: (toastId += 1), type: 'hint', hint: 'notAMessage' } });
    return false;
  }

  /** Whether the event's provider offers `command`; when it does not, a toast says so. */
  function providerOffers(key: EventKey, command: ProviderCommand): boolean {
    const room = useRooms.getState().byKey[roomKeyOfEvent(key)];
    if (!room || !eventOf(key)) return false;
    if (room.capabilities[command]) return true;
    set({
      toast: {
        id: (toastId += 1),
        type: 'unavailable',
        command,
        provider: room.provider,
        userActions: room.capabilities.mute || room.capabilities.exile,
      },
    });
    return false;
  }

  function authorOf(key: EventKey): ChatUser | null {
    const event = eventOf(key);
    const room = useRooms.getState().byKey[roomKeyOfEvent(key)];
    return event ? actionableAuthor(event, room?.moderatorUserId ?? null) : null;
  }

  async function runUser(roomKey: RoomKey, user: ChatUser, action: UserAction): Promise<void> {
    const result = await useUsers.getState().act(roomKey, user.id, action);
    if (!result) return;
    set({
      toast: {
        id: (toastId += 1),
        type: 'user',
        roomKey,
        user,
        action,
        ...(result.ok ? {} : { error: result.error }),
      },
    });
  }

  return {
    view: 'deck',
    focus: null,
    hovered: null,
    showAfterLeave: null,
    scrolledUp: {},
    pinned: {},
    holding: false,
    frozen: {},
    confirmDelete: null,
    confirmExile: null,
    lastAction: null,
    revealRequest: 0,
    shownColumn: null,
    toast: null,
    help: false,
    picker: false,

    setView(view) {
      // Leaving Settings with a forbidden-word list not saved asks first.
      if (useRuleDrafts.getState().holdLeave(get().view, view)) return;
      const { showAfterLeave } = get();
      set((state) => ({
        view,
        showAfterLeave: null,
        ...withPauses(state, { focus: null, hovered: null }),
      }));
      if (view === 'deck' && showAfterLeave) focusOn(showAfterLeave);
    },

    showOnDeck(focus) {
      set({ showAfterLeave: focus });
      get().setView('deck');
    },

    setFocus(focus) {
      const current = get().focus;
      if (current?.column === focus?.column && current?.key === focus?.key) return;
      focusOn(focus);
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
      const key = newestIn(column, liveKeys(column));
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
          confirmDelete: null,
          confirmExile: null,
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
        const flagged = frozen[FLAGGED_COLUMN];
        if (flagged) {
          frozen[FLAGGED_COLUMN] = {
            ...flagged,
            keys: flagged.keys.filter((key) => roomKeyOfEvent(key) !== column),
          };
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
          confirmDelete:
            state.confirmDelete && roomKeyOfEvent(state.confirmDelete) === column
              ? null
              : state.confirmDelete,
          confirmExile:
            state.confirmExile && roomKeyOfEvent(state.confirmExile) === column
              ? null
              : state.confirmExile,
        };
      });
    },

    moveFocus(direction) {
      const { focus } = get();
      if (!focus) {
        const columns = deckColumns();
        const start = columns.slice(1).find((column) => newestIn(column) !== null) ?? columns[0];
        const key = start ? newestIn(start) : null;
        if (start && key) focusOn({ column: start, key });
        return;
      }
      const keys = displayedKeys(focus.column);
      let index = keys.indexOf(focus.key);
      if (index === -1) {
        const key = newestIn(focus.column);
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
      const live = liveKeys(focus.column);
      if (direction !== towardNewest || live === keys) return;
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
      const columns = deckColumns();
      const { focus } = get();
      const from = focus ? columns.indexOf(focus.column) : direction > 0 ? -1 : columns.length;
      const receivedAt = focus ? eventOf(focus.key)?.receivedAt : undefined;
      for (let index = from + direction; index >= 0 && index < columns.length; index += direction) {
        const column = columns[index] as ColumnKey;
        const key = receivedAt === undefined ? newestIn(column) : nearestIn(column, receivedAt);
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
        const event = eventOf(key);
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

    markHandled(key) {
      const event = eventOf(key);
      if (!event || !isQueued(event)) return false;
      void useFeed
        .getState()
        .markHandled(key)
        .then((result) => {
          if (result && !result.ok) {
            set({
              toast: { id: (toastId += 1), type: 'markHandledFailed', key, error: result.error },
            });
          }
        });
      return true;
    },

    escape() {
      const state = get();
      if (state.help) set({ help: false });
      else if (state.picker) set({ picker: false });
      else if (state.confirmDelete) set({ confirmDelete: null });
      else if (state.confirmExile) set({ confirmExile: null });
      else {
        // Back to live, every column: the pointer resting on one pauses it again once it moves.
        set((current) =>
          withPauses(current, { focus: null, hovered: null, scrolledUp: {}, pinned: {} }),
        );
      }
    },

    async hide(key) {
      if (!providerOffers(key, 'hide') || !isMessage(key) || !canAct(key, 'hide')) return;
      const lastAction = { key, kind: 'hide' } as const;
      set({ lastAction, toast: { id: (toastId += 1), type: 'hidden', key } });
      const ok = await run(key, 'hide');
      if (!ok && get().lastAction === lastAction) set({ lastAction: null });
    },

    async unhide(key) {
      if (!providerOffers(key, 'unhide') || !isMessage(key) || !canAct(key, 'unhide')) return;
      await run(key, 'unhide');
    },

    async requestDelete(key) {
      if (!providerOffers(key, 'delete') || !isMessage(key) || !canAct(key, 'delete')) return;
      const event = eventOf(key);
      if (event?.state === 'deleted') return;
      const earlier = useFeed.getState().actions[key];
      if (earlier?.kind === 'delete' && earlier.status === 'unknown') {
        // Confirmed before and perhaps done: the key tries the same delete again at once.
        await runDelete(key);
        return;
      }
      if (get().confirmDelete !== key) {
        set({ confirmDelete: key, confirmExile: null });
        return;
      }
      await runDelete(key);
    },

    async confirm() {
      const { confirmDelete, confirmExile } = get();
      if (confirmDelete) {
        await runDelete(confirmDelete);
        return;
      }
      if (!confirmExile) return;
      set({ confirmExile: null });
      const user = authorOf(confirmExile);
      if (user) await runUser(roomKeyOfEvent(confirmExile), user, 'exile');
    },

    cancelDelete() {
      set({ confirmDelete: null });
    },

    async mute(key) {
      if (!providerOffers(key, 'mute')) return;
      const user = authorOf(key);
      if (user) await runUser(roomKeyOfEvent(key), user, 'mute');
    },

    async requestExile(key) {
      if (!providerOffers(key, 'exile')) return;
      const user = authorOf(key);
      if (!user) return;
      if (get().confirmExile !== key) {
        set({ confirmExile: key, confirmDelete: null });
        return;
      }
      set({ confirmExile: null });
      await runUser(roomKeyOfEvent(key), user, 'exile');
    },

    cancelExile() {
      set({ confirmExile: null });
    },

    userAction(roomKey, user, action) {
      return runUser(roomKey, user, action);
    },

    async undo() {
      const last = get().lastAction;
      if (!last) return;
      if (last.kind === 'delete') {
        set({ toast: { id: (toastId += 1), type: 'hint', hint: 'deleteNotUndoable' } });
        return;
      }
      const { key } = last;
      set((state) => ({
        lastAction: null,
        toast: state.toast?.type === 'hidden' && state.toast.key === key ? null : state.toast,
      }));
      await run(key, 'unhide');
    },

    async retry(key) {
      const action = useFeed.getState().actions[key];
      if (action?.status !== 'failed' && action?.status !== 'unknown') return;
      if (action.kind === 'hide') await get().hide(key);
      else if (action.kind === 'unhide') await get().unhide(key);
      else await runDelete(key);
    },

    dismissToast(id) {
      if (get().toast?.id === id) set({ toast: null });
    },

    setHelp(help) {
      set({ help });
    },

    setPicker(picker) {
      set({ picker });
    },
  };
});
