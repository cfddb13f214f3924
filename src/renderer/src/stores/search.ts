/**
 * Search over the messages (issue #26): the live buffers this window holds and the stored history
 * (`history.search`), merged newest first, each message once. The query is parsed here with the
 * shared parser before anything is sent, and the live buffers are scanned with the same compiled
 * query the store confirms its candidates with, so a query means the same thing over both.
 */
import { create } from 'zustand';
import type { ChatEvent, RoomKey } from '../../../shared/chat';
import type { ErrorInfo, FoundMessage } from '../../../shared/contract';
import {
  parseQuery,
  scanMessages,
  searchableEvent,
  type Query,
  type SearchableMessage,
} from '../../../shared/search';
import { invoke } from '../lib/api';
import { eventKeyOf, type EventKey } from '../lib/eventKey';
import { useFeed } from './feed';
import { useRooms } from './rooms';

/** Stored results asked for at a time, and live results shown at a time without a history. */
export const SEARCH_PAGE = 50;

export type ResultState = FoundMessage['state'];

/** One message found: where it is, what it is, and whether the store or the live buffer has it. */
export interface SearchResult {
  key: EventKey;
  roomKey: RoomKey;
  /** The room's name, or its key when neither the deck nor the store knows one. */
  roomName: string;
  event: ChatEvent;
  state: ResultState;
  /** Its place in the store (for the history view); null when only the live buffer has it. */
  seq: number | null;
}

export interface SearchState {
  /** Where the search looks: these rooms, or every room when null. */
  roomKeys: RoomKey[] | null;
  /** The query as typed. */
  text: string;
  /** The parser's sentence for a malformed query; nothing is sent then. */
  error: string | null;
  /** The query searched, as parsed; null before the first search. */
  query: Query | null;
  /** The text of that query, which "More" asks the store for again whatever is typed since. */
  searchedText: string;
  searching: boolean;
  /** Matches from the live buffers, newest first, as the search found them. */
  live: SearchResult[];
  /** Matches from the store, newest first, every page loaded so far. */
  stored: SearchResult[];
  /** The store's cursor for "More"; null when nothing older can match. */
  cursor: string | null;
  /** The store's scan ran out of budget: "go on" asks again from `cursor`. */
  stoppedEarly: boolean;
  /** This ModDeck keeps no history (`history.search` answered UNSUPPORTED). */
  historyOff: boolean;
  /** The store failed otherwise; the live buffers were still searched. */
  storeError: ErrorInfo | null;
  /** Live results shown when there is no store to page with. */
  liveShown: number;

  /** A new search panel: its scope, an empty query. */
  start: (roomKeys: RoomKey[] | null) => void;
  setText: (text: string) => void;
  /** Parses `text` and searches: the live buffers at once, the store's first page. */
  search: () => Promise<void>;
  /** The next page (or, after `stoppedEarly`, goes on from where the store stopped). */
  more: () => Promise<void>;

  /** The history view: a room's stored messages around one result. */
  around: AroundView | null;
  /** Reads the stored messages around `seq` in `roomKey` for the history view. */
  loadAround: (roomKey: RoomKey, seq: number) => Promise<void>;
}

/** Messages the history view shows either side of the one found. */
export const AROUND_EACH_WAY = 50;

export interface AroundView {
  roomKey: RoomKey;
  seq: number;
  status: 'loading' | 'ready' | 'error';
  /** Oldest first, as stored. */
  results: SearchResult[];
  roomName: string;
  error: ErrorInfo | null;
}

const INITIAL = {
  roomKeys: null,
  text: '',
  error: null,
  query: null,
  searchedText: '',
  searching: false,
  live: [],
  stored: [],
  cursor: null,
  stoppedEarly: false,
  historyOff: false,
  storeError: null,
  liveShown: SEARCH_PAGE,
  around: null,
} satisfies Partial<SearchState>;

/** Answers of an earlier search that arrive after a newer one started are dropped. */
let generation = 0;

function roomNameOf(roomKey: RoomKey, stored?: string | null): string {
  return useRooms.getState().byKey[roomKey]?.name ?? stored ?? roomKey;
}

/** The live buffers' events that match, newest first. */
function searchLive(query: Query, roomKeys: RoomKey[] | null): SearchResult[] {
  const rooms = useFeed.getState().rooms;
  const messages: Array<SearchableMessage & { event: ChatEvent }> = [];
  for (const roomKey of roomKeys ?? Object.keys(rooms)) {
    const feed = rooms[roomKey];
    if (!feed) continue;
    const roomName = roomNameOf(roomKey);
    for (const key of feed.keys) {
      const event = feed.byKey.get(key);
      if (!event || event.kind === 'gap') continue;
      // As the store reads its rows, `is:first` included (the mark main gave the event).
      messages.push({ event, ...searchableEvent(event, roomName) });
    }
  }
  // The buffers hold what this window has; no budget beyond the scan's own bound on text.
  const { matches } = scanMessages(query, messages, { maxUnits: Number.MAX_SAFE_INTEGER });
  return matches
    .map((message) => ({
      key: eventKeyOf(message.roomKey, message.event.id),
      roomKey: message.roomKey,
      roomName: message.roomName ?? message.roomKey,
      event: message.event,
      state: message.event.state,
      seq: null,
    }))
    .sort(newestFirst);
}

function storedResult(found: FoundMessage): SearchResult {
  const { seq, stateChanges: _changes, roomName, state, ...event } = found;
  return {
    key: eventKeyOf(found.roomKey, found.id),
    roomKey: found.roomKey,
    roomName: roomNameOf(found.roomKey, roomName),
    event: { ...event, state: state === 'held' ? 'visible' : state },
    state,
    seq,
  };
}

/** Newest first by when main received them (the store's order too), then by send time. */
function newestFirst(a: SearchResult, b: SearchResult): number {
  return b.event.receivedAt - a.event.receivedAt || b.event.createdAt - a.event.createdAt;
}

/** What the merged list is made of. */
export type ResultParts = Pick<
  SearchState,
  'live' | 'stored' | 'cursor' | 'historyOff' | 'storeError' | 'liveShown' | 'stoppedEarly'
>;

/**
 * What the panel lists: live and stored results merged newest first, each message once (the live
 * copy, whose state is current, with the store's place). While the store has older pages, live
 * results older than its oldest one wait, so that a page never lists a live message above a
 * stored one that is newer; without a store, the live results come a page at a time.
 */
export function mergedResults(state: ResultParts): SearchResult[] {
  const byKey = new Map<EventKey, SearchResult>();
  for (const result of state.stored) byKey.set(result.key, result);
  const storeHasMore = state.cursor !== null && !state.historyOff && state.storeError === null;
  const oldestStored = state.stored.at(-1);
  let live = state.live;
  if (state.historyOff || state.storeError !== null) live = live.slice(0, state.liveShown);
  else if (storeHasMore && oldestStored)
    live = live.filter((result) => newestFirst(result, oldestStored) <= 0);
  for (const result of live) {
    const stored = byKey.get(result.key);
    byKey.set(result.key, stored ? { ...result, seq: stored.seq } : result);
  }
  return [...byKey.values()].sort(newestFirst);
}

/** Whether "More" has anything to load. */
export function hasMoreResults(state: ResultParts): boolean {
  if (state.historyOff || state.storeError !== null) return state.live.length > state.liveShown;
  return state.cursor !== null && !state.stoppedEarly;
}

export const useSearch = create<SearchState>()((set, get) => {
  async function page(cursor: string | null): Promise<void> {
    const { query, searchedText, roomKeys } = get();
    if (query === null) return;
    const mine = generation;
    set({ searching: true });
    const answer = await invoke('history.search', {
      query: searchedText,
      ...(roomKeys === null ? {} : { roomKeys }),
      ...(cursor === null ? {} : { cursor }),
      limit: SEARCH_PAGE,
    });
    if (mine !== generation) return;
    if (!answer.ok) {
      set(
        answer.error.code === 'UNSUPPORTED'
          ? { searching: false, historyOff: true, cursor: null }
          : { searching: false, storeError: answer.error, cursor: null },
      );
      return;
    }
    const { results, nextCursor, stoppedEarly } = answer.value;
    set((state) => ({
      searching: false,
      stored: [...state.stored, ...results.map(storedResult)],
      cursor: nextCursor,
      stoppedEarly,
    }));
  }

  return {
    ...INITIAL,

    start(roomKeys) {
      generation += 1;
      set({ ...INITIAL, roomKeys });
    },

    setText(text) {
      set({ text, error: null });
    },

    async search() {
      const { text, roomKeys } = get();
      const parsed = parseQuery(text);
      generation += 1;
      if (!parsed.ok) {
        set({ ...INITIAL, roomKeys, text, error: parsed.error });
        return;
      }
      set({
        ...INITIAL,
        roomKeys,
        text,
        query: parsed.query,
        searchedText: text,
        live: searchLive(parsed.query, roomKeys),
      });
      await page(null);
    },

    async more() {
      const state = get();
      if (state.historyOff || state.storeError !== null) {
        set({ liveShown: state.liveShown + SEARCH_PAGE });
        return;
      }
      if (state.cursor === null || state.searching) return;
      set({ stoppedEarly: false });
      await page(state.cursor);
    },

    async loadAround(roomKey, seq) {
      const pending: AroundView = {
        roomKey,
        seq,
        status: 'loading',
        results: [],
        roomName: roomNameOf(roomKey),
        error: null,
      };
      set({ around: pending });
      const answer = await invoke('history.around', {
        roomKey,
        seq,
        before: AROUND_EACH_WAY,
        after: AROUND_EACH_WAY,
      });
      if (get().around !== pending) return;
      set({
        around: answer.ok
          ? {
              ...pending,
              status: 'ready',
              results: answer.value.events.map(storedResult),
              roomName: roomNameOf(roomKey, answer.value.roomName),
            }
          : { ...pending, status: 'error', error: answer.error },
      });
    },
  };
});
