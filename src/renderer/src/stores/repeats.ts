/**
 * Which runs of repeated messages the moderator expanded, whether collapsing is on, and the runs of
 * each room column's lists (see `lib/repeats.ts`), worked out once per list and carried on from the
 * room's previous list, so a batch costs what it added. The Flagged and Held columns are not
 * collapsed: they are queues, and each message in them is handled on its own.
 */
import { create } from 'zustand';
import { FLAGGED_COLUMN, HELD_COLUMN, type ColumnKey, type EventKey } from '../lib/eventKey';
import {
  collapsedKeys,
  extendRepeats,
  groupRepeats,
  NO_REPEATS,
  type RepeatGroups,
  type RepeatState,
} from '../lib/repeats';
import { useFeed } from './feed';

interface RepeatsState {
  /** Runs are shown as one row (Settings → General); on by default. */
  enabled: boolean;
  /** Runs shown copy by copy, by their first copy. */
  expanded: ReadonlySet<EventKey>;
  setEnabled: (enabled: boolean) => void;
  /** Expands the run of `first`, or collapses it again. */
  toggle: (first: EventKey) => void;
}

export const useRepeats = create<RepeatsState>()((set, get) => ({
  enabled: true,
  expanded: new Set(),
  setEnabled(enabled) {
    if (get().enabled !== enabled) set({ enabled });
  },
  toggle(first) {
    set((state) => {
      const expanded = new Set(state.expanded);
      if (!expanded.delete(first)) expanded.add(first);
      return { expanded };
    });
  },
}));

/** Each list's runs, while the list lives (a paused column's frozen list among them). */
const byList = new WeakMap<readonly EventKey[], RepeatState>();
/**
 * Each room's live list last grouped, and the room's map of events it was read from: the next list
 * carries on from it while the map is the same (a snapshot, or the room opened again, makes a new
 * one, and then the list is grouped from its start).
 */
const latest = new Map<ColumnKey, { byKey: unknown; state: RepeatState }>();

/** The runs in `keys`, one of column `column`'s lists. */
export function repeatsIn(column: ColumnKey, keys: readonly EventKey[]): RepeatGroups {
  if (column === FLAGGED_COLUMN || column === HELD_COLUMN || !useRepeats.getState().enabled) {
    return NO_REPEATS;
  }
  const cached = byList.get(keys);
  if (cached) return cached.groups;
  const feed = useFeed.getState().rooms[column];
  if (!feed) return NO_REPEATS;
  const eventOf = (key: EventKey) => feed.byKey.get(key);
  const previous = latest.get(column);
  const state =
    previous?.byKey === feed.byKey
      ? extendRepeats(previous.state, keys, eventOf)
      : groupRepeats(keys, eventOf);
  byList.set(keys, state);
  if (keys === feed.keys) latest.set(column, { byKey: feed.byKey, state });
  return state.groups;
}

/** Forgets a closed column's runs. */
export function forgetRepeats(column: ColumnKey): void {
  latest.delete(column);
}

/** The run the cursor on `focusKey` opens: the first copy of the run it is a later copy of. */
export function runOpenedBy(groups: RepeatGroups, focusKey: EventKey | null): EventKey | null {
  return focusKey === null ? null : (groups.firstOf.get(focusKey) ?? null);
}

/**
 * Whether the run of `first` shows copy by copy: expanded, or opened by the cursor (`runOpenedBy`).
 * The list and the commands on its rows both ask this, so a row that shows one copy acts on that
 * copy alone.
 */
export function runIsOpen(
  first: EventKey,
  expanded: ReadonlySet<EventKey>,
  openedByCursor: EventKey | null,
): boolean {
  return first === openedByCursor || expanded.has(first);
}

/** The rows a list of column `column` shows: one per message, one per collapsed run. */
export function rowsOf(
  column: ColumnKey,
  keys: readonly EventKey[],
  expanded: ReadonlySet<EventKey>,
  focusKey: EventKey | null,
): readonly EventKey[] {
  const groups = repeatsIn(column, keys);
  const opened = runOpenedBy(groups, focusKey);
  return collapsedKeys(keys, groups, (first) => runIsOpen(first, expanded, opened));
}

/**
 * The copies a command on row `key` acts on: the whole run when `key` shows a collapsed run in
 * `column`'s list `keys`, with the cursor on `focusKey` in that column (or null), else null.
 */
export function collapsedRun(
  column: ColumnKey,
  keys: readonly EventKey[],
  key: EventKey,
  focusKey: EventKey | null,
): readonly EventKey[] | null {
  const groups = repeatsIn(column, keys);
  const run = groups.runs.get(key);
  if (!run) return null;
  return runIsOpen(key, useRepeats.getState().expanded, runOpenedBy(groups, focusKey)) ? null : run;
}
