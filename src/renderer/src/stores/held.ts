/**
 * Reviewing the Held column (issue #28): approving a held message shows it again, denying deletes
 * it. The moderator reviews the focused message, a selection (Shift+j / Shift+k), or a cluster
 * (every message of a room held by one rule). Each review's outcome is kept per message, so each
 * row says how it went as it goes, and a many-message review is summed up in the column's header.
 *
 * What a review does is in `reviewHeld` alone: it sends one request per message, a few at a time,
 * and could hand the whole list to one main-side request instead without its callers changing.
 */
import { create } from 'zustand';
import { isHeld, type ChatEvent } from '../../../shared/chat';
import type { ErrorInfo, Result } from '../../../shared/contract';
import { ErrorCode } from '../../../shared/errors';
import { forEachBounded } from '../lib/bounded';
import { HELD_COLUMN, roomKeyOfEvent, type EventKey } from '../lib/eventKey';
import { useDeck } from './deck';
import { displayedState, findEvent, useFeed } from './feed';

export type Decision = 'approve' | 'deny';

/**
 * How one message's review went: `gone` when it had been deleted by someone else first (no
 * failure: it is gone, as a denial would have left it); `unknown` when the service did not say.
 */
export type ReviewStatus = 'pending' | 'done' | 'gone' | 'failed' | 'unknown';

export interface Review {
  decision: Decision;
  status: ReviewStatus;
  error?: ErrorInfo;
}

/** The last review of the column, as it goes: how many of `total` came out which way. */
export interface ReviewRun {
  /** Tells one review from the next. */
  id: number;
  decision: Decision;
  total: number;
  done: number;
  gone: number;
  failed: number;
  unknown: number;
  /** The first failure's reason. */
  error?: ErrorInfo;
}

/** Reviews in flight at once at most: a raid's hundred holds denied with one key. */
export const REVIEW_CONCURRENCY = 4;

/**
 * How long a held message may stay visible before it counts as not hidden: the hide leaves main
 * the moment the message comes and takes a round trip (tens of milliseconds). A hide that failed
 * says so (`Held.failed`); this bounds the wait for one whose answer never comes.
 */
export const HIDE_PENDING_MS = 5000;

/** Whether a held message is still visible because its hide may be on its way. */
export function isHiding(event: ChatEvent, now = Date.now()): boolean {
  return (
    isHeld(event) &&
    event.state === 'visible' &&
    event.held?.failed === undefined &&
    now - (event.held?.at ?? 0) < HIDE_PENDING_MS
  );
}

/**
 * Resolves once the hide of held message `key` has landed (or it left the queue), or once it is
 * late: approving it before then would be undone by the hide that follows.
 */
function hideSettled(key: EventKey): Promise<void> {
  const event = findEvent(key);
  if (!event || !isHiding(event)) return Promise.resolve();
  const remainingMs = HIDE_PENDING_MS - (Date.now() - (event.held?.at ?? 0));
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      unsubscribe();
      resolve();
    };
    const timer = setTimeout(done, Math.max(0, remainingMs));
    const unsubscribe = useFeed.subscribe(() => {
      const current = findEvent(key);
      if (!current || current.state !== 'visible' || !isHeld(current)) done();
    });
  });
}

interface HeldState {
  /** Rows of the Held column selected (Shift+j / Shift+k, or their check boxes). */
  selected: ReadonlySet<EventKey>;
  /** Each message's last review, while the column may still show it. */
  reviews: Readonly<Record<EventKey, Review>>;
  run: ReviewRun | null;
  toggleSelected: (key: EventKey) => void;
  clearSelection: () => void;
}

const NO_SELECTION: ReadonlySet<EventKey> = new Set();
let runs = 0;

export const useHeld = create<HeldState>()((set) => ({
  selected: NO_SELECTION,
  reviews: {},
  run: null,
  toggleSelected(key) {
    set((state) => {
      const selected = new Set(state.selected);
      if (!selected.delete(key)) selected.add(key);
      return { selected };
    });
  },
  clearSelection() {
    set((state) => (state.selected.size === 0 ? state : { selected: NO_SELECTION }));
  },
}));

/** Whether event `key` waits in the Held queue. */
export function isHeldKey(key: EventKey): boolean {
  const event = findEvent(key);
  return event !== undefined && isHeld(event);
}

/** The selected rows still held, oldest first. */
export function selectedHeld(
  held: readonly EventKey[],
  selected: ReadonlySet<EventKey>,
): EventKey[] {
  return selected.size === 0 ? [] : held.filter((key) => selected.has(key));
}

/**
 * What a review from the keyboard acts on: in the Held column with rows selected, those still held
 * and the focused one; otherwise the focused message, when it is held. Oldest first, like the
 * column.
 */
export function reviewTargets(): EventKey[] {
  const focus = useDeck.getState().focus;
  if (!focus) return [];
  const { selected } = useHeld.getState();
  if (focus.column === HELD_COLUMN && selected.size > 0) {
    return selectedHeld(useFeed.getState().held, new Set(selected).add(focus.key));
  }
  return isHeldKey(focus.key) ? [focus.key] : [];
}

/** Every held message of event `key`'s room held by the same rule, oldest first. */
export function clusterOf(key: EventKey): EventKey[] {
  const ruleId = findEvent(key)?.held?.ruleId;
  if (ruleId === undefined) return [];
  const roomKey = roomKeyOfEvent(key);
  return useFeed
    .getState()
    .held.filter(
      (other) => roomKeyOfEvent(other) === roomKey && findEvent(other)?.held?.ruleId === ruleId,
    );
}

/**
 * Shift+j / Shift+k in the Held column: selects the focused row and the one the cursor moves to.
 * False outside the Held column.
 */
export function extendSelection(direction: 1 | -1): boolean {
  const deck = useDeck.getState();
  const from = deck.focus;
  if (from?.column !== HELD_COLUMN) return false;
  deck.moveFocus(direction);
  const to = useDeck.getState().focus;
  useHeld.setState((state) => {
    const selected = new Set(state.selected).add(from.key);
    if (to?.column === HELD_COLUMN) selected.add(to.key);
    return { selected };
  });
  return true;
}

function statusOf(result: Result<object>): Omit<Review, 'decision'> {
  if (result.ok) return { status: (result.value as { gone?: true }).gone ? 'gone' : 'done' };
  const status = result.error.code === ErrorCode.OutcomeUnknown ? 'unknown' : 'failed';
  return { status, error: result.error } as const;
}

/**
 * Approves or denies one held message. Approving what is hidden unhides it (main then counts it
 * reviewed); what is still visible, because the service did not hide it, is marked handled. An
 * approval waits for a hide still on its way, which would otherwise hide it again afterwards.
 */
async function reviewOne(key: EventKey, decision: Decision): Promise<Omit<Review, 'decision'>> {
  if (decision === 'approve') await hideSettled(key);
  const feed = useFeed.getState();
  const event = findEvent(key);
  if (!event || !isHeld(event)) return { status: 'done' };
  const state = displayedState(event, feed.actions[key]);
  const result =
    decision === 'deny'
      ? await feed.act(key, 'delete')
      : state === 'hidden'
        ? await feed.act(key, 'unhide')
        : await feed.markHandled(key);
  if (result === null) {
    // Another action on it is in flight, or its service cannot take this one.
    return {
      status: 'failed',
      error: { code: ErrorCode.Unsupported, message: 'Another action on it is under way.' },
    };
  }
  return statusOf(result);
}

/**
 * Approves or denies every message of `keys` still held, `REVIEW_CONCURRENCY` at a time, each
 * row's outcome recorded as it comes and summed up in `run`. The one place a review is sent from.
 */
export async function reviewHeld(
  keys: readonly EventKey[],
  decision: Decision,
): Promise<ReviewRun | null> {
  const { reviews } = useHeld.getState();
  const targets = keys.filter((key) => isHeldKey(key) && reviews[key]?.status !== 'pending');
  if (targets.length === 0) return null;
  runs += 1;
  let run: ReviewRun = {
    id: runs,
    decision,
    total: targets.length,
    done: 0,
    gone: 0,
    failed: 0,
    unknown: 0,
  };
  // Outcomes of rows no longer shown are let go: the record stays as small as the column.
  const shown = new Set(useFeed.getState().held);
  for (const key of useDeck.getState().frozen[HELD_COLUMN]?.keys ?? []) shown.add(key);
  useHeld.setState((state) => {
    const next: Record<EventKey, Review> = {};
    for (const [key, review] of Object.entries(state.reviews)) {
      if (review.status === 'pending' || shown.has(key)) next[key] = review;
    }
    for (const key of targets) next[key] = { decision, status: 'pending' };
    return { reviews: next, run };
  });
  await forEachBounded(targets, REVIEW_CONCURRENCY, async (key) => {
    const outcome = await reviewOne(key, decision);
    const status = outcome.status === 'pending' ? 'done' : outcome.status;
    run = {
      ...run,
      [status]: run[status] + 1,
      ...(outcome.error && !run.error ? { error: outcome.error } : {}),
    };
    const current = run;
    useHeld.setState((state) => {
      const selected = new Set(state.selected);
      if (status === 'done' || status === 'gone') selected.delete(key);
      return {
        reviews: { ...state.reviews, [key]: { decision, ...outcome } },
        // A later review's summary is not overwritten by this one's last answers.
        run: state.run?.id === current.id ? current : state.run,
        selected: selected.size === state.selected.size ? state.selected : selected,
      };
    });
  });
  return run;
}
