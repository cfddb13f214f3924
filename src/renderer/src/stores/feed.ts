/**
 * The live feeds: every open room's events, normalised (`byKey` + ordered keys per room) and
 * bounded, the Flagged list across rooms (a queue: what waits for the moderator, or everything
 * with the handled ones too), per-room stats, and moderation actions in flight.
 *
 * A `feed.batch` is applied with one `set()`. Only the rooms a batch touches get new objects, so a
 * column whose room did not change keeps every reference and does not re-render.
 */
import { create } from 'zustand';
import {
  ChatEventKind,
  isHandled,
  isHeld,
  isPinned,
  MessageState as MessageStates,
  PINNED_PER_ROOM,
  type ChatEvent,
  type EventUpdate,
  type FeedBatch,
  type MessageState,
  type RoomKey,
  type RoomStats,
} from '../../../shared/chat';
import {
  MAX_BULK_ITEMS,
  type BulkItemResult,
  type ErrorInfo,
  type Result,
  type RequestOutput,
} from '../../../shared/contract';
import { ErrorCode } from '../../../shared/errors';
import { SharedUsers } from '../../../shared/sharedUsers';
import { invoke, on } from '../lib/api';
import { eventKeyOf, roomKeyOfEvent, type EventKey } from '../lib/eventKey';
import { nextFrame } from '../lib/frames';
import { heldIn, withHeld } from './heldList';
import { useRooms } from './rooms';

export interface RoomFeed {
  /**
   * Oldest first: the newest `scrollback` unpinned events and the pinned ones (at most
   * `PINNED_PER_ROOM`), in arrival order.
   */
  keys: readonly EventKey[];
  /**
   * The room's events by key. Owned by this store and changed in place inside `set()` (the room
   * object around it is new whenever it changes): copying 8 maps of 5,000 entries per batch cost
   * ~3 ms and 800,000 garbage entries a second at 8 rooms × 50 msg/s. Events themselves are never
   * mutated, so select an event from it, never the map itself.
   */
  byKey: ReadonlyMap<EventKey, ChatEvent>;
  /** How many of `keys` are not pinned: the scrollback bound applies to these only. */
  unpinned: number;
  /**
   * How many of `keys` from the start are known to be pinned. They gather there as the scrollback
   * moves past them, and eviction starts after them instead of walking them with every batch.
   */
  pinnedHead: number;
  /** Events ever appended to this room; "N new messages" counts from it. */
  appended: number;
  /** Pinned events not handled yet: this room's part of the Flagged queue. */
  queued: number;
  /** Gap intervals already shown (`from-to`), so a reconnect is one divider, not two. */
  gaps: ReadonlySet<string>;
  /** The room's chatters, shared by their events (see `internEventFields`); owned by this store. */
  users: SharedUsers;
}

export type ActionKind = 'hide' | 'unhide' | 'delete';

/**
 * A moderation action on one event: in flight, failed with the reason, or `unknown` when the
 * service did not say whether it took effect (`OUTCOME_UNKNOWN`): then the event keeps the state
 * last confirmed, neither rolled back as a failure nor shown as done, until a retry or a feed
 * update settles it.
 */
export interface ModerationAction {
  kind: ActionKind;
  status: 'pending' | 'failed' | 'unknown';
  error?: ErrorInfo;
}

export const DEFAULT_SCROLLBACK = 5000;

/**
 * Why an action `act` or `markHandled` answered `null` for was not sent: another action on the
 * message is under way, or its service cannot take this one.
 */
export const ACTION_NOT_SENT: ErrorInfo = {
  code: ErrorCode.Unsupported,
  message: 'Another action on it is under way.',
};

interface FeedState {
  rooms: Record<RoomKey, RoomFeed>;
  /**
   * What the Flagged column lists, newest first (in the order main received them): flagged events
   * and DMs to the moderator from every room that are not handled yet, or every one of them while
   * `showHandled`. Kept for the column's list as it is shown, rather than filtered for it: only
   * the shown list is added to with each batch.
   */
  flagged: readonly EventKey[];
  /** Events ever added to `flagged`. */
  flaggedAppended: number;
  /** Flagged events and DMs not handled yet, in every room: the Flagged column's count. */
  queued: number;
  /** The Flagged column lists handled events too. */
  showHandled: boolean;
  /**
   * What the Held column lists: every event held for review (`isHeld`) in every room, oldest hold
   * first. Kept like `flagged`: a batch adds and removes only the keys whose hold it changed.
   */
  held: readonly EventKey[];
  /** Events ever added to `held`. */
  heldAppended: number;
  stats: Record<RoomKey, RoomStats>;
  actions: Record<EventKey, ModerationAction>;
  /** Unpinned events kept per room (`settings.scrollback`). */
  scrollback: number;

  applyBatch: (batch: FeedBatch) => void;
  /** Fills a room from `feed.snapshot`, keeping live events that arrived before the answer. */
  loadSnapshot: (roomKey: RoomKey, events: readonly ChatEvent[]) => void;
  /** `feed.gap`: a divider for the interval, unless the feed already carries one for it. */
  addGap: (roomKey: RoomKey, from: number, to: number) => void;
  dropRoom: (roomKey: RoomKey) => void;
  setScrollback: (scrollback: number) => void;
  /** Lists handled events in the Flagged column too, or only those that wait. */
  setShowHandled: (show: boolean) => void;
  /**
   * Marks a flagged event or DM handled ("looks fine"): at once, then in main, which keeps it so
   * for every view and a reload; on failure it waits in the queue again. `null` when it is not
   * waiting.
   */
  markHandled: (key: EventKey) => Promise<Result<RequestOutput<'flagged.markHandled'>> | null>;
  /**
   * Hides, unhides or deletes an event: marks it pending at once, settles from the result, and on
   * failure keeps the old state and records why. `null` when the action does not apply.
   */
  act: (key: EventKey, kind: ActionKind) => Promise<Result<RequestOutput<'messages.hide'>> | null>;
  /**
   * `act` on many events through `messages.bulk`: one request per `MAX_BULK_ITEMS`, main keeping
   * a few calls in flight per account and retrying what may be retried. Each event is marked
   * pending at once and settled as main reports it (`moderation.result`), and `settled` hears of
   * it then (those that came within one frame together). Events the action does not apply to (no
   * message id, not offered, one in flight) are left out; returns the ones acted on.
   */
  actMany: (
    keys: readonly EventKey[],
    kind: ActionKind,
    settled: (results: readonly BulkSettled[]) => void,
  ) => Promise<EventKey[]>;
}

const NO_GAPS: ReadonlySet<string> = new Set();

/** A pinned event the moderator has not handled yet: it waits in the Flagged queue. */
export function isQueued(event: ChatEvent): boolean {
  return isPinned(event) && !isHandled(event);
}

/**
 * Whether the event waits in the Flagged queue: waiting for review, and not held. A held message is
 * reviewed in the Held column, also while its hide is on its way or failed; listed here as well,
 * each copy of a raid came into the Flagged column and left it a batch later, when its hide landed.
 */
function isFlaggedQueue(event: ChatEvent): boolean {
  return isQueued(event) && !isHeld(event);
}

/** Whether the Flagged column lists the event. */
function isListed(event: ChatEvent, showHandled: boolean): boolean {
  return showHandled ? isPinned(event) : isFlaggedQueue(event);
}

function queuedCount(event: ChatEvent | undefined): number {
  return event !== undefined && isFlaggedQueue(event) ? 1 : 0;
}

/** The state an action leaves its event in. */
const TARGET_STATE: Record<ActionKind, MessageState> = {
  hide: 'hidden',
  unhide: 'visible',
  delete: 'deleted',
};

/** What a row shows: the target state while an action is in flight, the event's otherwise. */
export function displayedState(
  event: ChatEvent,
  action: ModerationAction | undefined,
): MessageState {
  return action?.status === 'pending' ? TARGET_STATE[action.kind] : event.state;
}

/** Actions of unknown outcome that `updates` show done: their outcome is known now. */
function settledBy(
  actions: Record<EventKey, ModerationAction>,
  updates: readonly EventUpdate[],
): EventKey[] {
  const settled: EventKey[] = [];
  for (const update of updates) {
    // Late flags carry the state the event had; they say nothing of an action.
    if (update.flags !== undefined) continue;
    const key = eventKeyOf(update.roomKey, update.id);
    const action = actions[key];
    if (action?.status === 'unknown' && TARGET_STATE[action.kind] === update.state) {
      settled.push(key);
    }
  }
  return settled;
}

const CHANNELS = {
  hide: 'messages.hide',
  unhide: 'messages.unhide',
  delete: 'messages.delete',
} as const;

/**
 * A room being changed inside one `set()`: its map changed in place, its key list copied at most
 * once, to its full length (see `ownKeys`). Until then `keys` is the store's own list, and new keys
 * wait in `added`: copying every busy room's 5,000 keys and then growing the copy by a few was
 * the largest part of the page's garbage under the renderer benchmark's flood.
 */
interface Draft {
  /** The store's list (not to be changed) until `owned`, then this change's own. */
  keys: EventKey[];
  owned: boolean;
  /** Keys appended since `keys` was last copied, in order. */
  added: EventKey[];
  byKey: Map<EventKey, ChatEvent>;
  unpinned: number;
  pinnedHead: number;
  appended: number;
  queued: number;
  gaps: ReadonlySet<string>;
  users: SharedUsers;
  /** Keys whose event changed between waiting in the queue and being handled, either way. */
  queueChanged: EventKey[];
  /** Keys whose event came, or changed, into or out of the Held queue (`isHeld`). */
  heldChanged: EventKey[];
}

function draftOf(feed: RoomFeed | undefined): Draft {
  if (!feed) {
    return {
      keys: [],
      owned: true,
      added: [],
      byKey: new Map(),
      unpinned: 0,
      pinnedHead: 0,
      appended: 0,
      queued: 0,
      gaps: NO_GAPS,
      users: new SharedUsers(),
      queueChanged: [],
      heldChanged: [],
    };
  }
  return {
    // Read-only until `ownKeys` copies it.
    keys: feed.keys as EventKey[],
    owned: false,
    added: [],
    // The store's own map (see RoomFeed.byKey); only this module writes to it.
    byKey: feed.byKey as Map<EventKey, ChatEvent>,
    unpinned: feed.unpinned,
    pinnedHead: feed.pinnedHead,
    appended: feed.appended,
    queued: feed.queued,
    gaps: feed.gaps,
    users: feed.users,
    queueChanged: [],
    heldChanged: [],
  };
}

/** Puts `next` in place of the event of `key`, counting its change in the queue. */
function replaceInDraft(draft: Draft, key: EventKey, previous: ChatEvent, next: ChatEvent): void {
  draft.byKey.set(key, next);
  if (isHeld(previous) !== isHeld(next)) draft.heldChanged.push(key);
  const change = queuedCount(next) - queuedCount(previous);
  if (change === 0) return;
  draft.queued += change;
  draft.queueChanged.push(key);
}

/** Every kind and state name, to hand each event the one copy of its own. */
const KIND_AND_STATE_NAMES = new Map<string, string>(
  [...ChatEventKind.options, ...MessageStates.options].map((name) => [name, name]),
);
/** Room keys seen, likewise: a deck has a few dozen rooms at most. */
const ROOM_KEYS = new Map<string, string>();

/**
 * Makes an event that just came through IPC share what the events already kept share: its room
 * key, kind, state, message id (the same text as its id) and user. The structured clone gives
 * every event its own copy of each, and a deck keeps 60,000 events and more: the page's heap under
 * the renderer benchmark's flood went from 56 to 43 MB. Only events not yet in the store are
 * changed (applyBatch and loadSnapshot own what IPC hands them), so no kept event is mutated.
 */
function internEventFields(draft: Draft, event: ChatEvent): void {
  let roomKey = ROOM_KEYS.get(event.roomKey);
  if (roomKey === undefined) {
    roomKey = event.roomKey;
    if (ROOM_KEYS.size < 1000) ROOM_KEYS.set(roomKey, roomKey);
  }
  event.roomKey = roomKey;
  event.kind = (KIND_AND_STATE_NAMES.get(event.kind) ?? event.kind) as ChatEvent['kind'];
  event.state = (KIND_AND_STATE_NAMES.get(event.state) ?? event.state) as MessageState;
  if (event.messageId === event.id) event.messageId = event.id;
  if (event.user) event.user = draft.users.share(event.user);
}

/** The draft's keys, all of them and its own to change: copied (once) when they were the store's. */
function ownKeys(draft: Draft): EventKey[] {
  if (!draft.owned) {
    draft.keys = draft.keys.concat(draft.added);
    draft.owned = true;
  } else if (draft.added.length > 0) {
    for (const key of draft.added) draft.keys.push(key);
  }
  draft.added = [];
  return draft.keys;
}

/** How many keys the draft holds, appended ones included. */
function keyCount(draft: Draft): number {
  return draft.keys.length + draft.added.length;
}

function gapId(from: number, to: number): string {
  return `${from}-${to}`;
}

/** Appends or replaces one event; returns its key when it was new and pinned. */
function putEvent(draft: Draft, event: ChatEvent): EventKey | null {
  const key = eventKeyOf(event.roomKey, event.id);
  const previous = draft.byKey.get(key);
  if (previous) {
    // Sent again (a resend after a reconnect): keep its place, take the newer copy, and what the
    // moderator did with it.
    if (previous.handled === true) event.handled = true;
    replaceInDraft(draft, key, previous, event);
    return null;
  }
  if (event.kind === 'gap' && event.gap) {
    const id = gapId(event.gap.from, event.gap.to);
    if (draft.gaps.has(id)) return null;
    draft.gaps = new Set(draft.gaps).add(id);
  }
  draft.byKey.set(key, event);
  draft.added.push(key);
  draft.appended += 1;
  if (isHeld(event)) draft.heldChanged.push(key);
  if (isPinned(event)) {
    draft.queued += queuedCount(event);
    return key;
  }
  draft.unpinned += 1;
  return null;
}

/**
 * Pinned events let go at once when a room passes its bound: a tenth of it, so the Flagged list is
 * filtered once per thousand flagged events rather than with every one.
 */
const PINNED_RELEASE = Math.ceil(PINNED_PER_ROOM / 10);

/** The pinned events to let go: the oldest already handled first, then the oldest. */
function pinnedVictims(draft: Draft): Set<EventKey> {
  const victims = new Set<EventKey>();
  if (keyCount(draft) - draft.unpinned <= PINNED_PER_ROOM) return victims;
  const wanted = keyCount(draft) - draft.unpinned - PINNED_PER_ROOM + PINNED_RELEASE;
  const keys = ownKeys(draft);
  for (const handledOnly of [true, false]) {
    for (const key of keys) {
      if (victims.size >= wanted) return victims;
      const event = draft.byKey.get(key);
      // A held message waiting for review is hidden, yet not done with.
      if (event && isPinned(event) && (!handledOnly || (isHandled(event) && !isHeld(event)))) {
        victims.add(key);
      }
    }
  }
  return victims;
}

/**
 * Drops the oldest unpinned events beyond the scrollback, and pinned ones beyond their own bound
 * (adding those to `released`); returns the keys it dropped. Compacts the draft's own key list in
 * place.
 */
function evict(draft: Draft, scrollback: number, released: EventKey[] = []): EventKey[] {
  let excess = draft.unpinned - scrollback;
  const victims = pinnedVictims(draft);
  if (excess <= 0 && victims.size === 0) return [];
  const keys = ownKeys(draft);
  const dropped: EventKey[] = [];
  // Only letting pinned events go needs to look at the pinned ones at the start.
  let read = victims.size > 0 ? 0 : draft.pinnedHead;
  let write = read;
  // Where the first unpinned event kept went: the pinned head ends there.
  let head = -1;
  for (; read < keys.length && (excess > 0 || victims.size > 0); read += 1) {
    const key = keys[read] as EventKey;
    const event = draft.byKey.get(key);
    const pinned = event !== undefined && isPinned(event);
    if (victims.delete(key) || (!pinned && excess > 0)) {
      dropped.push(key);
      draft.byKey.delete(key);
      // A held message let go (past the room's bound of pinned messages) leaves the Held list too.
      if (event !== undefined && isHeld(event)) draft.heldChanged.push(key);
      if (pinned) {
        released.push(key);
        draft.queued -= queuedCount(event);
      } else {
        excess -= 1;
        draft.unpinned -= 1;
      }
    } else {
      if (!pinned && head === -1) head = write;
      keys[write] = key;
      write += 1;
    }
  }
  draft.pinnedHead = head === -1 ? write : head;
  keys.copyWithin(write, read);
  keys.length -= read - write;
  return dropped;
}

function roomFeedOf(draft: Draft): RoomFeed {
  return {
    keys: draft.added.length > 0 ? ownKeys(draft) : draft.keys,
    byKey: draft.byKey,
    unpinned: draft.unpinned,
    pinnedHead: draft.pinnedHead,
    appended: draft.appended,
    queued: draft.queued,
    gaps: draft.gaps,
    users: draft.users,
  };
}

/** The event of `key`, wherever its room's feed keeps it. */
function eventIn(rooms: Record<RoomKey, RoomFeed>, key: EventKey): ChatEvent | undefined {
  return rooms[roomKeyOfEvent(key)]?.byKey.get(key);
}

/**
 * Two lists, each newest first, as one newest first by the time main received each event. Each
 * list keeps its own order, which is main's order of arrival within a room: events received in
 * the same millisecond (a VChatCloud join's history comes in one frame) stay as they came.
 */
function mergeNewestFirst(
  a: readonly EventKey[],
  b: readonly EventKey[],
  receivedAt: (key: EventKey) => number,
): EventKey[] {
  if (a.length === 0) return b.slice();
  if (b.length === 0) return a.slice();
  const merged: EventKey[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const fromA = a[i] as EventKey;
    const fromB = b[j] as EventKey;
    if (receivedAt(fromA) >= receivedAt(fromB)) {
      merged.push(fromA);
      i += 1;
    } else {
      merged.push(fromB);
      j += 1;
    }
  }
  while (i < a.length) merged.push(a[i++] as EventKey);
  while (j < b.length) merged.push(b[j++] as EventKey);
  return merged;
}

/** A room's events the Flagged column lists, newest first. */
function listedIn(feed: RoomFeed | Draft, showHandled: boolean): EventKey[] {
  const listed: EventKey[] = [];
  const keys = 'added' in feed ? ownKeys(feed) : feed.keys;
  for (let index = keys.length - 1; index >= 0; index -= 1) {
    const key = keys[index] as EventKey;
    const event = feed.byKey.get(key);
    if (event && isListed(event, showHandled)) listed.push(key);
  }
  return listed;
}

/** The Flagged column's list, made again from every room: when what it lists changes. */
function flaggedListOf(rooms: Record<RoomKey, RoomFeed>, showHandled: boolean): EventKey[] {
  const receivedAt = (key: EventKey): number => eventIn(rooms, key)?.receivedAt ?? 0;
  let list: EventKey[] = [];
  for (const feed of Object.values(rooms)) {
    list = mergeNewestFirst(list, listedIn(feed, showHandled), receivedAt);
  }
  return list;
}

/**
 * `list` (newest first by the time main received each event) with `keys` in their places, as
 * `flaggedListOf` would have put them: each found by a binary search over the list's times, so a
 * batch that flags a raid's earlier copies late costs those copies, not every room's events. Among
 * events received in the same millisecond, one of the same room keeps the room's order of arrival
 * (the newer first); one of another room comes after it. `keys` must not be in `list`.
 */
function insertNewestFirst(
  list: readonly EventKey[],
  keys: readonly EventKey[],
  rooms: Record<RoomKey, RoomFeed>,
): readonly EventKey[] {
  if (keys.length === 0) return list;
  const receivedAt = (key: EventKey): number => eventIn(rooms, key)?.receivedAt ?? 0;
  const places: Array<{ key: EventKey; at: number; order: number }> = [];
  for (const key of keys) {
    const time = receivedAt(key);
    // The first place whose event is older: the key goes before it.
    let low = 0;
    let high = list.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (receivedAt(list[middle] as EventKey) >= time) low = middle + 1;
      else high = middle;
    }
    // Same millisecond: it goes before the events of its room that came before it.
    const roomKey = roomKeyOfEvent(key);
    const roomKeys = rooms[roomKey]?.keys ?? [];
    let position = -1;
    let tie = low - 1;
    while (tie >= 0 && receivedAt(list[tie] as EventKey) === time) {
      const other = list[tie] as EventKey;
      if (roomKeyOfEvent(other) === roomKey) {
        if (position === -1) position = roomKeys.lastIndexOf(key);
        if (roomKeys.lastIndexOf(other) < position) low = tie;
      }
      tie -= 1;
    }
    places.push({ key, at: low, order: position === -1 ? roomKeys.lastIndexOf(key) : position });
  }
  // Keys going to one place: newest first (by time, then by arrival in the room).
  places.sort((a, b) => a.at - b.at || receivedAt(b.key) - receivedAt(a.key) || b.order - a.order);
  const merged: EventKey[] = [];
  let from = 0;
  for (const { key, at } of places) {
    for (; from < at; from += 1) merged.push(list[from] as EventKey);
    merged.push(key);
  }
  for (; from < list.length; from += 1) merged.push(list[from] as EventKey);
  return merged;
}

/**
 * The store's change when the event of `key` is replaced outside a batch (an action's answer,
 * "looks fine"): the room's map changed in place, its queue counted, the Flagged list kept.
 */
function replaceOutsideBatch(state: FeedState, key: EventKey, next: ChatEvent): Partial<FeedState> {
  return replaceManyOutsideBatch(state, new Map([[key, next]]));
}

/** `replaceOutsideBatch` for many events at once (a bulk action's answers), in one pass. */
function replaceManyOutsideBatch(
  state: FeedState,
  replacements: ReadonlyMap<EventKey, ChatEvent>,
): Partial<FeedState> {
  let rooms = state.rooms;
  let queued = state.queued;
  const heldAdded: EventKey[] = [];
  const heldRemoved: EventKey[] = [];
  const unlisted = new Set<EventKey>();
  const newlyListed: EventKey[] = [];
  for (const [key, next] of replacements) {
    const roomKey = roomKeyOfEvent(key);
    const feed = rooms[roomKey];
    const current = feed?.byKey.get(key);
    if (!feed || !current) continue;
    (feed.byKey as Map<EventKey, ChatEvent>).set(key, next);
    const change = queuedCount(next) - queuedCount(current);
    if (rooms === state.rooms) rooms = { ...state.rooms };
    rooms[roomKey] = { ...feed, queued: feed.queued + change };
    queued += change;
    const heldNow = isHeld(next);
    if (isHeld(current) !== heldNow) (heldNow ? heldAdded : heldRemoved).push(key);
    const wasListed = isListed(current, state.showHandled);
    const listed = isListed(next, state.showHandled);
    if (listed && !wasListed) newlyListed.push(key);
    if (wasListed && !listed) unlisted.add(key);
  }
  if (rooms === state.rooms) return {};
  const changedRooms = rooms;
  return {
    rooms,
    queued,
    ...(heldAdded.length === 0 && heldRemoved.length === 0
      ? {}
      : {
          held: withHeld(state.held, heldAdded, heldRemoved, (other) =>
            eventIn(changedRooms, other),
          ),
        }),
    flagged: insertNewestFirst(
      unlisted.size > 0 ? state.flagged.filter((other) => !unlisted.has(other)) : state.flagged,
      newlyListed,
      rooms,
    ),
  };
}

function withoutKeys<T>(
  record: Record<EventKey, T>,
  keys: readonly EventKey[],
): Record<EventKey, T> {
  if (keys.length === 0) return record;
  let copy: Record<EventKey, T> | null = null;
  for (const key of keys) {
    if (key in record) {
      copy ??= { ...record };
      delete copy[key];
    }
  }
  return copy ?? record;
}

/** Applies a change to a kept event; true when it pinned an event that was not (late flags). */
function applyUpdate(draft: Draft, update: EventUpdate): boolean {
  const key = eventKeyOf(update.roomKey, update.id);
  const event = draft.byKey.get(key);
  if (!event) return false;
  if (update.flags !== undefined) {
    const next = {
      ...event,
      flags: update.flags,
      ...(update.held === undefined ? {} : { held: update.held }),
    };
    replaceInDraft(draft, key, event, next);
    const was = isPinned(event);
    const now = isPinned(next);
    if (was === now) return false;
    // Eviction counts the unpinned events, and skips the pinned ones before `pinnedHead`.
    draft.unpinned += now ? -1 : 1;
    if (!now) draft.pinnedHead = 0;
    return now;
  }
  const handled = update.handled === true && event.handled !== true;
  if (event.state === update.state && !handled) return false;
  replaceInDraft(draft, key, event, {
    ...event,
    state: update.state,
    ...(handled ? { handled: true } : {}),
  });
  return false;
}

/** How an action on one event came out: the state it left the event in, or why it did not. */
type Settlement = { state: MessageState } | { error: ErrorInfo };

/**
 * The store's change when an action on `key` settled: the state it left the event in, or why it
 * did not (`OUTCOME_UNKNOWN`: not known; any other code: failed, the old state kept).
 */
function settle(
  state: FeedState,
  key: EventKey,
  kind: ActionKind,
  outcome: Settlement,
): Partial<FeedState> {
  return settleMany(state, kind, [[key, outcome]]);
}

/** `settle` for many events at once, in one pass. */
function settleMany(
  state: FeedState,
  kind: ActionKind,
  outcomes: ReadonlyArray<readonly [EventKey, Settlement]>,
): Partial<FeedState> {
  const actions = { ...state.actions };
  const replacements = new Map<EventKey, ChatEvent>();
  for (const [key, outcome] of outcomes) {
    if ('error' in outcome) {
      const status = outcome.error.code === ErrorCode.OutcomeUnknown ? 'unknown' : 'failed';
      actions[key] = { kind, status, error: outcome.error };
      continue;
    }
    delete actions[key];
    const current = state.rooms[roomKeyOfEvent(key)]?.byKey.get(key);
    // Main marks an event the moderator acted on handled (an unhide too); so does this view.
    if (!current || (current.state === outcome.state && current.handled === true)) continue;
    replacements.set(key, { ...current, state: outcome.state, handled: true });
  }
  return { actions, ...replaceManyOutsideBatch(state, replacements) };
}

/** One message of a bulk action settled, by its event. */
export interface BulkSettled {
  key: EventKey;
  result: BulkItemResult;
}

/** A bulk result as `settle` takes it: the state it left, or why not. */
function outcomeOf(kind: ActionKind, result: BulkItemResult): Settlement {
  if (result.outcome === 'done' || result.outcome === 'gone') {
    return { state: result.state ?? TARGET_STATE[kind] };
  }
  return {
    error: result.error ?? {
      code: result.outcome === 'unknown' ? ErrorCode.OutcomeUnknown : ErrorCode.Internal,
      message: 'The service did not say why.',
    },
  };
}

let bulkRuns = 0;

/** A bulk run's id, picked here so its live results can be told from another run's. */
function newBulkId(): string {
  bulkRuns += 1;
  return `window-${Date.now().toString(36)}-${bulkRuns}`;
}

export const useFeed = create<FeedState>()((set, get) => ({
  rooms: {},
  flagged: [],
  flaggedAppended: 0,
  queued: 0,
  showHandled: false,
  held: [],
  heldAppended: 0,
  stats: {},
  actions: {},
  scrollback: DEFAULT_SCROLLBACK,

  applyBatch(batch) {
    if (batch.events.length === 0 && batch.updates.length === 0 && batch.stats.length === 0) {
      return;
    }
    set((state) => {
      const drafts = new Map<RoomKey, Draft>();
      const draft = (roomKey: RoomKey): Draft => {
        let found = drafts.get(roomKey);
        if (!found) {
          found = draftOf(state.rooms[roomKey]);
          drafts.set(roomKey, found);
        }
        return found;
      };

      const newlyPinned: EventKey[] = [];
      for (const event of batch.events) {
        const roomDraft = draft(event.roomKey);
        internEventFields(roomDraft, event);
        const pinned = putEvent(roomDraft, event);
        if (pinned) newlyPinned.push(pinned);
      }
      // An event flagged after it came (a raid's first copies) takes its place in the list.
      const pinnedLate: EventKey[] = [];
      for (const update of batch.updates) {
        if (applyUpdate(draft(update.roomKey), update)) {
          pinnedLate.push(eventKeyOf(update.roomKey, update.id));
        }
      }

      const dropped: EventKey[] = [];
      const released: EventKey[] = [];
      const queueChanged: EventKey[] = [];
      const heldChanged: EventKey[] = [];
      let queued = state.queued;
      const rooms = drafts.size > 0 ? { ...state.rooms } : state.rooms;
      for (const [roomKey, roomDraft] of drafts) {
        dropped.push(...evict(roomDraft, state.scrollback, released));
        queueChanged.push(...roomDraft.queueChanged);
        heldChanged.push(...roomDraft.heldChanged);
        queued += roomDraft.queued - (state.rooms[roomKey]?.queued ?? 0);
        rooms[roomKey] = roomFeedOf(roomDraft);
      }
      let flagged = state.flagged;
      let added = newlyPinned;
      // Events handled since they were listed leave the queue. Events listed now that were kept
      // before (flagged late, or waiting again: a resend that lost what was done) take their
      // places in it; they are taken out first wherever they stood, so none is listed twice.
      const gone = new Set(released);
      const late = new Set<EventKey>();
      for (const key of pinnedLate) {
        const event = eventIn(rooms, key);
        if (event && isListed(event, state.showHandled)) late.add(key);
      }
      if (!state.showHandled) {
        for (const key of queueChanged) {
          const event = eventIn(rooms, key);
          if (event && isFlaggedQueue(event)) late.add(key);
          else gone.add(key);
        }
        added = added.filter((key) => {
          const event = eventIn(rooms, key);
          return event !== undefined && isFlaggedQueue(event);
        });
      }
      for (const key of added) late.delete(key);
      for (const key of late) gone.delete(key);
      if (gone.size > 0 || late.size > 0) {
        flagged = flagged.filter((key) => !gone.has(key) && !late.has(key));
        added = added.filter((key) => !gone.has(key));
      }

      // Held or let go in this batch: only those keys are looked at, not every room's events.
      let held = state.held;
      let heldAdded = 0;
      if (heldChanged.length > 0 || (released.length > 0 && held.length > 0)) {
        const eventOf = (key: EventKey) => eventIn(rooms, key);
        const adding: EventKey[] = [];
        const removing: EventKey[] = [...released];
        // A key that went in and out of the queue within the batch changed an even number of
        // times: it is where it was.
        const changedOddly = new Map<EventKey, boolean>();
        for (const key of heldChanged) changedOddly.set(key, !(changedOddly.get(key) ?? false));
        for (const [key, changed] of changedOddly) {
          if (!changed) continue;
          const event = eventOf(key);
          if (event !== undefined && isHeld(event)) adding.push(key);
          else removing.push(key);
        }
        held = withHeld(held, adding, removing, eventOf);
        heldAdded = adding.length;
      }

      let stats = state.stats;
      if (batch.stats.length > 0) {
        stats = { ...state.stats };
        for (const stat of batch.stats) stats[stat.roomKey] = stat;
      }

      if (added.length > 0) flagged = added.reverse().concat(flagged);
      return {
        rooms,
        stats,
        flagged: insertNewestFirst(flagged, [...late], rooms),
        flaggedAppended: state.flaggedAppended + added.length,
        queued,
        held,
        heldAppended: state.heldAppended + heldAdded,
        actions: withoutKeys(state.actions, [
          ...dropped,
          ...settledBy(state.actions, batch.updates),
        ]),
      };
    });
  },

  loadSnapshot(roomKey, events) {
    set((state) => {
      const draft = draftOf(undefined);
      for (const event of events) {
        if (event.roomKey !== roomKey) continue;
        internEventFields(draft, event);
        putEvent(draft, event);
      }
      // Live events that arrived while the snapshot was on its way.
      const live = state.rooms[roomKey];
      if (live) {
        for (const key of live.keys) {
          const event = live.byKey.get(key);
          if (event && !draft.byKey.has(key)) putEvent(draft, event);
        }
        draft.appended = Math.max(draft.appended, live.appended);
      }
      const dropped = evict(draft, state.scrollback);

      // Merged rather than sorted by time: events main received in the same millisecond keep
      // their order of arrival, newest first like the rest, instead of their snapshot's oldest
      // first.
      const otherFlagged = state.flagged.filter((key) => roomKeyOfEvent(key) !== roomKey);
      const roomFlagged = listedIn(draft, state.showHandled);
      const rooms = { ...state.rooms, [roomKey]: roomFeedOf(draft) };
      const flagged = mergeNewestFirst(
        roomFlagged,
        otherFlagged,
        (key) => eventIn(rooms, key)?.receivedAt ?? 0,
      );
      const added = roomFlagged.filter((key) => !live?.byKey.has(key)).length;
      const heldBefore = state.held.filter((key) => roomKeyOfEvent(key) === roomKey);
      const held = withHeld(
        state.held,
        heldIn(rooms[roomKey]?.keys ?? [], draft.byKey),
        heldBefore,
        (key) => eventIn(rooms, key),
      );

      return {
        rooms,
        flagged,
        flaggedAppended: state.flaggedAppended + added,
        held,
        heldAppended: state.heldAppended + Math.max(0, held.length - state.held.length),
        queued: state.queued - (live?.queued ?? 0) + draft.queued,
        actions: withoutKeys(state.actions, dropped),
      };
    });
  },

  addGap(roomKey, from, to) {
    const now = Date.now();
    get().applyBatch({
      events: [
        {
          roomKey,
          id: `gap:${gapId(from, to)}`,
          messageId: null,
          kind: 'gap',
          user: null,
          text: '',
          createdAt: to,
          receivedAt: now,
          state: 'visible',
          flags: [],
          gap: { from, to },
        },
      ],
      updates: [],
      stats: [],
    });
  },

  dropRoom(roomKey) {
    set((state) => {
      const feed = state.rooms[roomKey];
      const rooms = { ...state.rooms };
      delete rooms[roomKey];
      const stats = { ...state.stats };
      delete stats[roomKey];
      return {
        rooms,
        stats,
        flagged: state.flagged.filter((key) => roomKeyOfEvent(key) !== roomKey),
        held: state.held.filter((key) => roomKeyOfEvent(key) !== roomKey),
        queued: state.queued - (feed?.queued ?? 0),
        actions: withoutKeys(state.actions, feed ? feed.keys : []),
      };
    });
  },

  setScrollback(scrollback) {
    if (scrollback !== get().scrollback) set({ scrollback });
  },

  setShowHandled(showHandled) {
    if (showHandled === get().showHandled) return;
    set((state) => ({ showHandled, flagged: flaggedListOf(state.rooms, showHandled) }));
  },

  async markHandled(key) {
    const roomKey = roomKeyOfEvent(key);
    const event = get().rooms[roomKey]?.byKey.get(key);
    if (!event || !isQueued(event)) return null;
    set((state) => replaceOutsideBatch(state, key, { ...event, handled: true }));
    const result = await invoke('flagged.markHandled', { roomKey, id: event.id });
    if (!result.ok) {
      set((state) => {
        const current = state.rooms[roomKey]?.byKey.get(key);
        if (current?.handled !== true) return {};
        const waiting = { ...current };
        delete waiting.handled;
        return replaceOutsideBatch(state, key, waiting);
      });
    }
    return result;
  },

  async act(key, kind) {
    const roomKey = roomKeyOfEvent(key);
    const event = get().rooms[roomKey]?.byKey.get(key);
    const capabilities = useRooms.getState().byKey[roomKey]?.capabilities;
    if (!event || event.messageId === null || !capabilities?.[kind]) return null;
    if (get().actions[key]?.status === 'pending') return null;

    // The request leaves first: marking the event pending runs every subscriber of the store (each
    // row's selectors, the lists' scheduler), and in a raid the deck has many.
    const request = invoke(CHANNELS[kind], { roomKey, messageId: event.messageId });
    set((state) => ({ actions: { ...state.actions, [key]: { kind, status: 'pending' } } }));
    const result = await request;
    set((state) =>
      settle(state, key, kind, result.ok ? { state: result.value.state } : { error: result.error }),
    );
    return result;
  },

  async actMany(keys, kind, settled) {
    const capabilities = useRooms.getState().byKey;
    const { rooms, actions } = get();
    const targets: Array<{ key: EventKey; roomKey: RoomKey; messageId: string }> = [];
    const byMessage = new Map<string, EventKey>();
    for (const key of new Set(keys)) {
      const roomKey = roomKeyOfEvent(key);
      const messageId = rooms[roomKey]?.byKey.get(key)?.messageId;
      if (messageId === undefined || messageId === null) continue;
      if (!capabilities[roomKey]?.capabilities[kind] || actions[key]?.status === 'pending')
        continue;
      targets.push({ key, roomKey, messageId });
      // A room key has one slash and a message id none: the pair names one message.
      byMessage.set(`${roomKey}/${messageId}`, key);
    }
    if (targets.length === 0) return [];
    set((state) => {
      const next = { ...state.actions };
      for (const { key } of targets) next[key] = { kind, status: 'pending' };
      return { actions: next };
    });

    const bulkId = newBulkId();
    const done = new Set<EventKey>();
    // Results that come together (a burst of answers, the request's own answer) are applied in
    // one update per frame: one update per result re-rendered the column a thousand times.
    let waiting: BulkSettled[] = [];
    let cancelFlush: (() => void) | null = null;
    const flush = (): void => {
      cancelFlush?.();
      cancelFlush = null;
      if (waiting.length === 0) return;
      const now = waiting;
      waiting = [];
      set((state) =>
        settleMany(
          state,
          kind,
          now.map(({ key, result }) => [key, outcomeOf(kind, result)] as const),
        ),
      );
      settled(now);
    };
    const take = (result: BulkItemResult): void => {
      const key = byMessage.get(`${result.roomKey}/${result.messageId}`);
      if (result.bulkId !== bulkId || key === undefined || done.has(key)) return;
      done.add(key);
      waiting.push({ key, result });
      cancelFlush ??= nextFrame(flush);
    };
    const stop = on('moderation.result', take);
    try {
      for (let start = 0; start < targets.length; start += MAX_BULK_ITEMS) {
        const batch = targets.slice(start, start + MAX_BULK_ITEMS);
        const answer = await invoke('messages.bulk', {
          action: kind,
          bulkId,
          items: batch.map(({ roomKey, messageId }) => ({ roomKey, messageId })),
        });
        if (answer.ok) {
          // Every result was sent live as well; the answer covers any the window missed.
          for (const result of answer.value.results) take(result);
        }
        const error: ErrorInfo = answer.ok
          ? { code: ErrorCode.OutcomeUnknown, message: 'The service did not answer for it.' }
          : answer.error;
        for (const { key, roomKey, messageId } of batch) {
          if (done.has(key)) continue;
          take({
            bulkId,
            roomKey,
            messageId,
            outcome: error.code === ErrorCode.OutcomeUnknown ? 'unknown' : 'failed',
            ok: false,
            error,
          });
        }
        flush();
      }
    } finally {
      stop();
      flush();
    }
    return targets.map(({ key }) => key);
  },
}));

/** Clears a failed or unknown action's message (the moderator dismissed it). */
export function dismissAction(key: EventKey): void {
  useFeed.setState((state) => {
    const status = state.actions[key]?.status;
    if (status !== 'failed' && status !== 'unknown') return state;
    const actions = { ...state.actions };
    delete actions[key];
    return { actions };
  });
}

/** The event of `key`, wherever its room's feed keeps it. */
export function findEvent(key: EventKey): ChatEvent | undefined {
  return eventIn(useFeed.getState().rooms, key);
}
