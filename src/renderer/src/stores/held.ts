/**
 * Reviewing the Held column (issue #28): approving a held message shows it again, denying deletes
 * it. The moderator reviews the focused message, a selection (Shift+j / Shift+k), or a cluster
 * (every message of a room held by one rule). Each review's outcome is kept per message, so each
 * row says how it went as it goes, and a many-message review is summed up in the column's header.
 *
 * What a review does is in `reviewHeld` alone: one message goes through its own channel, as a
 * single action does anywhere in the deck; many go through one `messages.bulk` request per
 * `MAX_BULK_ITEMS`, main keeping a few calls in flight per account and retrying what may be
 * retried, and each row hears how its message went as main reports it (`moderation.result`).
 */
import { create } from 'zustand';
import { isHeld, type ChatEvent } from '../../../shared/chat';
import type { BulkItemResult, ErrorInfo, Result } from '../../../shared/contract';
import { ErrorCode } from '../../../shared/errors';
import { HELD_COLUMN, roomKeyOfEvent, type EventKey } from '../lib/eventKey';
import { displayedKeys, useDeck } from './deck';
import { ACTION_NOT_SENT, displayedState, findEvent, useFeed } from './feed';
import { collapsedRun } from './repeats';

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

/**
 * How long a held message may stay visible before it counts as not hidden: the hide leaves main
 * the moment the message comes and takes a round trip (tens of milliseconds). A hide that failed
 * says so (`Held.failed`); this bounds how long a row says "Hiding…" for one whose answer never
 * comes.
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
 * and the focused one; on a room's row that stands for a collapsed run (a raid's held copies),
 * those of its copies still held; otherwise the focused message, when it is held. Oldest first,
 * like the column.
 */
export function reviewTargets(): EventKey[] {
  const focus = useDeck.getState().focus;
  if (!focus) return [];
  const { selected } = useHeld.getState();
  if (focus.column === HELD_COLUMN && selected.size > 0) {
    return selectedHeld(useFeed.getState().held, new Set(selected).add(focus.key));
  }
  // A room's row standing for a raid's held copies (`repeats.ts`) stands for each of them.
  const run = collapsedRun(focus.column, displayedKeys(focus.column), focus.key, focus.key);
  if (run) return run.filter(isHeldKey);
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

type Outcome = Omit<Review, 'decision'>;

/** Reviewed by another action already in flight on it, or one its service cannot take. */
const BUSY: Outcome = { status: 'failed', error: ACTION_NOT_SENT };

function statusOf(result: Result<object> | null): Outcome {
  if (result === null) return BUSY;
  if (result.ok) return { status: (result.value as { gone?: true }).gone ? 'gone' : 'done' };
  const status = result.error.code === ErrorCode.OutcomeUnknown ? 'unknown' : 'failed';
  return { status, error: result.error } as const;
}

function statusOfBulk(result: BulkItemResult): Outcome {
  if (result.outcome === 'done' || result.outcome === 'gone') return { status: result.outcome };
  return { status: result.outcome, ...(result.error ? { error: result.error } : {}) };
}

/**
 * How a held message is approved: unhidden when it is hidden, or while its hide may be on its way
 * (main holds the unhide until the hide has landed, which would otherwise hide it again after);
 * marked handled when it stayed visible because the service did not hide it.
 */
function approvalOf(key: EventKey): 'unhide' | 'handle' {
  const event = findEvent(key);
  if (!event) return 'handle';
  const state = displayedState(event, useFeed.getState().actions[key]);
  return state === 'hidden' || isHiding(event) ? 'unhide' : 'handle';
}

/** Approves or denies one held message through the single-message channels. */
async function reviewOne(key: EventKey, decision: Decision): Promise<Outcome> {
  const feed = useFeed.getState();
  if (decision === 'deny') return statusOf(await feed.act(key, 'delete'));
  return approvalOf(key) === 'unhide'
    ? statusOf(await feed.act(key, 'unhide'))
    : statusOf(await feed.markHandled(key));
}

/**
 * Approves or denies many held messages: what is unhidden or deleted in `messages.bulk`, each
 * row's outcome as main reports it; what is only marked handled, each at once (no service call).
 */
async function reviewMany(
  keys: readonly EventKey[],
  decision: Decision,
  record: (outcomes: ReadonlyArray<readonly [EventKey, Outcome]>) => void,
): Promise<void> {
  const sent: EventKey[] = [];
  const handled: EventKey[] = [];
  for (const key of keys) {
    if (decision === 'deny' || approvalOf(key) === 'unhide') sent.push(key);
    else handled.push(key);
  }
  const kind = decision === 'deny' ? 'delete' : 'unhide';
  await Promise.all([
    useFeed
      .getState()
      .actMany(sent, kind, (results) =>
        record(results.map(({ key, result }) => [key, statusOfBulk(result)])),
      )
      .then((acted) => {
        const taken = new Set(acted);
        record(sent.filter((key) => !taken.has(key)).map((key) => [key, BUSY]));
      }),
    ...handled.map(async (key) =>
      record([[key, statusOf(await useFeed.getState().markHandled(key))]]),
    ),
  ]);
}

/**
 * Approves or denies every message of `keys` still held, each row's outcome recorded as it comes
 * and summed up in `run`. The one place a review is sent from.
 */
/** Of `keys`, those whose review is not under way: what a review of them all acts on. */
export function notUnderReview(
  keys: readonly EventKey[],
  reviews: HeldState['reviews'] = useHeld.getState().reviews,
): EventKey[] {
  return keys.filter((key) => reviews[key]?.status !== 'pending');
}

export async function reviewHeld(
  keys: readonly EventKey[],
  decision: Decision,
): Promise<ReviewRun | null> {
  const { reviews } = useHeld.getState();
  const targets = notUnderReview(keys.filter(isHeldKey), reviews);
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

  /** Records how each message went, in one update, and counts it in the run. */
  function record(outcomes: ReadonlyArray<readonly [EventKey, Outcome]>): void {
    if (outcomes.length === 0) return;
    let error = run.error;
    const counts = { done: run.done, gone: run.gone, failed: run.failed, unknown: run.unknown };
    for (const [, outcome] of outcomes) {
      const status = outcome.status === 'pending' ? 'done' : outcome.status;
      counts[status] += 1;
      error ??= outcome.error;
    }
    run = { ...run, ...counts, ...(error ? { error } : {}) };
    const current = run;
    useHeld.setState((state) => {
      const reviews = { ...state.reviews };
      const selected = new Set(state.selected);
      for (const [key, outcome] of outcomes) {
        reviews[key] = { decision, ...outcome };
        if (outcome.status === 'done' || outcome.status === 'gone') selected.delete(key);
      }
      return {
        reviews,
        // A later review's summary is not overwritten by this one's last answers.
        run: state.run?.id === current.id ? current : state.run,
        selected: selected.size === state.selected.size ? state.selected : selected,
      };
    });
  }

  if (targets.length === 1) {
    const key = targets[0] as EventKey;
    record([[key, await reviewOne(key, decision)]]);
  } else {
    await reviewMany(targets, decision, record);
  }
  return run;
}
