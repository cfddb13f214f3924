/**
 * Repeated messages: runs of one user's identical messages in a room, which the room's column shows
 * as one row with a count ("×4"). The room's key list stays one key per message (the cursor, the
 * pauses and the virtualised list depend on it); a run is a view over it, worked out here from the
 * keys and their events alone.
 *
 * - **Identical**: two chat messages (`message`, not a DM, a notice or a join) of the same user id
 *   whose texts are equal once trimmed, every run of white space read as one space, and case folded
 *   (Unicode NFKC, then lower case). Nothing fuzzier: collapsing takes rows off the screen, so it
 *   takes only what a moderator would call the same message; near-repeats are automod's to flag.
 * - **A run**: each copy at most `REPEAT_WINDOW_MS` after the copy before it (by the time it was
 *   sent). Other users' messages between the copies do not break it (a spammer's copies are
 *   interleaved by the room's chat); the same user writing something else does, and so does a gap
 *   divider (messages may be missing there).
 * - **Held copies of a raid**: messages held the moment they came (`held`, by a raid rule or by
 *   shield mode) as copies of one raid, by its name, are a run too, whoever sent them, each at
 *   most `REPEAT_WINDOW_MS` after the one before. A raid sends hundreds a second, all hidden and
 *   all in the Held queue; as one row they leave the room's own chat readable. Copies held later
 *   (once the raid was recognised) stay rows of their own.
 */
import type { EventKey } from './eventKey';

/** The longest pause between two copies of one run. */
export const REPEAT_WINDOW_MS = 60_000;

/** What grouping reads of an event (a `ChatEvent` has it all). */
export interface RepeatSource {
  kind: string;
  user: { id: string } | null;
  text: string;
  createdAt: number;
  /** Why it was held: a raid's hold names the raid (`raid`, or shield mode's `shieldRaid`). */
  held?: { why?: { kind: string; name?: string; raid?: { name: string } } | undefined } | undefined;
}

/** The raid whose copy `event` was held as, by name; undefined for anything else. */
export function heldRaidOf(event: RepeatSource): string | undefined {
  const why = event.held?.why;
  if (why?.kind === 'raid') return why.name;
  if (why?.kind === 'shieldRaid') return why.raid?.name;
  return undefined;
}

/** Where a raid's held copies are open in `RepeatState.open`: never a user id. */
const RAID_RUN = '\u0000raid\u0000';

/** Each later copy of a run with its run's first copy, as a read-only map gives them. */
export interface LaterCopies extends Iterable<[EventKey, EventKey]> {
  /** The first copy of the run `key` is a later copy of; undefined for anything else. */
  get(key: EventKey): EventKey | undefined;
  readonly size: number;
}

export interface RepeatGroups {
  /** Each run of two or more copies, by its first copy: the copies, oldest first, the first too. */
  readonly runs: ReadonlyMap<EventKey, readonly EventKey[]>;
  /** Each later copy of a run: the run's first copy. */
  readonly firstOf: LaterCopies;
}

/** The text as compared: trimmed, white space runs as one space, case folded. */
export function repeatText(text: string): string {
  return text.normalize('NFKC').trim().replace(/\s+/gu, ' ').toLowerCase();
}

export const NO_REPEATS: RepeatGroups = Object.freeze({
  runs: new Map<EventKey, readonly EventKey[]>(),
  firstOf: new Map<EventKey, EventKey>(),
});

/** A user's last message, which their next one may repeat. */
interface Open {
  text: string;
  /** `text` as compared, once it was needed. */
  folded: string | null;
  at: number;
  key: EventKey;
}

/**
 * Whether `text` repeats `last`. Folding is the costly part (NFKC), and most messages are never
 * compared (their author's previous one is older than the window) or equal as typed: it is done
 * only for the others, once per message.
 */
function repeats(last: Open, text: string): boolean {
  if (last.text === text) return text.trim() !== '';
  last.folded ??= repeatText(last.text);
  return last.folded !== '' && last.folded === repeatText(text);
}

/**
 * Groups worked out for one key list, and what a longer list needs to go on from it. A later list
 * takes over `open` and `lastOf` (they are changed in place from then on), so each is extended
 * once; a list extended twice is grouped again from its start.
 */
export interface RepeatState {
  readonly keys: readonly EventKey[];
  readonly groups: RepeatGroups;
  open: Map<string, Open>;
  /** The user (or raid) of each `open` entry's key, to end its run when the key leaves the list. */
  lastOf: Map<EventKey, string>;
  membership: Membership;
  taken: boolean;
}

type EventOf = (key: EventKey) => RepeatSource | undefined;

/**
 * A run, whichever copy is its first: copies point to it rather than to the first copy, so that the
 * first copy leaving the list (a raid's run loses one with every copy that comes) changes one entry
 * rather than one per copy.
 */
type RunId = symbol;

/**
 * The run each copy joined, shared by every list of a room grouped one from the other: a copy joins
 * one run for good, so the lists need not each copy a map of every copy (a raid's thousands, every
 * batch). What a list's run is made of is the list's own (`Groups`). A copy that left the live list
 * is forgotten only once as many more have left as the list holds: a paused column's older list may
 * still show it.
 */
class Membership {
  readonly runOf = new Map<EventKey, RunId>();
  private readonly left: EventKey[] = [];
  private leftStart = 0;

  /** Copies it knows the run of: those of the live list's runs, and those that left lately. */
  get size(): number {
    return this.runOf.size;
  }

  /** `key` left the live list. */
  leave(key: EventKey): void {
    this.left.push(key);
  }

  /** Forgets the copies that left longest ago, beyond `kept` of them. */
  trim(kept: number): void {
    const excess = this.left.length - this.leftStart - kept;
    if (excess <= 0) return;
    for (let index = this.leftStart; index < this.leftStart + excess; index += 1) {
      this.runOf.delete(this.left[index] as EventKey);
    }
    this.leftStart += excess;
    if (this.leftStart > this.left.length / 2) {
      this.left.splice(0, this.leftStart);
      this.leftStart = 0;
    }
  }
}

/** The groups of one list: each run's first copy and copies, and through them each copy's run. */
class Groups implements RepeatGroups, LaterCopies {
  constructor(
    readonly runs: ReadonlyMap<EventKey, readonly EventKey[]>,
    readonly firstIn: ReadonlyMap<RunId, EventKey>,
    readonly membership: Membership,
  ) {}

  get firstOf(): LaterCopies {
    return this;
  }

  get(key: EventKey): EventKey | undefined {
    const run = this.membership.runOf.get(key);
    const first = run === undefined ? undefined : this.firstIn.get(run);
    return first === key ? undefined : first;
  }

  get size(): number {
    let later = 0;
    for (const copies of this.runs.values()) later += copies.length - 1;
    return later;
  }

  *[Symbol.iterator](): IterableIterator<[EventKey, EventKey]> {
    for (const [first, copies] of this.runs) {
      for (let index = 1; index < copies.length; index += 1) {
        yield [copies[index] as EventKey, first];
      }
    }
  }
}

/**
 * Groups changed from earlier ones, which stay as they were: their maps of runs are copied at most
 * once per change, then changed in place, and a run's list of copies once per change. Copies that
 * left are taken out of their runs together, before anything is added: one at a time, each was a
 * pass over its run, and a raid's run of thousands lost dozens of copies a batch.
 */
class Change {
  private runs: Map<EventKey, readonly EventKey[]>;
  private firstIn: Map<RunId, EventKey>;
  private owned = false;
  /** Runs whose list of copies this change made, by their first copy: added to in place. */
  private readonly ownedRuns = new Set<EventKey>();
  /** Copies that left, by run, not yet taken out of their runs' lists. */
  private readonly left = new Map<RunId, Set<EventKey>>();
  /** Copies that left, not yet told to the membership. */
  private readonly leaving: EventKey[] = [];

  constructor(
    private readonly from: RepeatGroups,
    private readonly membership: Membership,
  ) {
    const groups = from instanceof Groups ? from : null;
    this.runs = (groups?.runs ?? new Map()) as Map<EventKey, readonly EventKey[]>;
    this.firstIn = (groups?.firstIn ?? new Map()) as Map<RunId, EventKey>;
  }

  private own(): void {
    if (this.owned) return;
    this.runs = new Map(this.runs);
    this.firstIn = new Map(this.firstIn);
    this.owned = true;
  }

  /** `key` repeats `previous` (the user's last message, still in the list). */
  extend(previous: EventKey, key: EventKey): void {
    this.settle();
    this.own();
    const { runOf } = this.membership;
    // A copy left alone in its run by the others leaving starts the run again, as the same run.
    const known = runOf.get(previous);
    const first = known === undefined ? undefined : this.firstIn.get(known);
    const run = known ?? Symbol('run');
    if (first === undefined) {
      runOf.set(previous, run);
      this.firstIn.set(run, previous);
      this.runs.set(previous, [previous, key]);
      this.ownedRuns.add(previous);
    } else if (this.ownedRuns.has(first)) {
      (this.runs.get(first) as EventKey[]).push(key);
    } else {
      const copies = (this.runs.get(first) as readonly EventKey[]).slice();
      copies.push(key);
      this.runs.set(first, copies);
      this.ownedRuns.add(first);
    }
    runOf.set(key, run);
  }

  /** `key` left the list: its run goes on without it. */
  remove(key: EventKey): void {
    const run = this.membership.runOf.get(key);
    if (run === undefined) return;
    this.leaving.push(key);
    if (!this.firstIn.has(run)) return;
    let left = this.left.get(run);
    if (!left) {
      left = new Set();
      this.left.set(run, left);
    }
    left.add(key);
  }

  /** Takes the copies that left out of their runs; a run left with one copy is no run. */
  private settle(): void {
    for (const key of this.leaving) this.membership.leave(key);
    this.leaving.length = 0;
    if (this.left.size === 0) return;
    this.own();
    for (const [run, left] of this.left) {
      const first = this.firstIn.get(run) as EventKey;
      const copies = this.runs.get(first) as readonly EventKey[];
      // Lists lose their oldest keys first: then the copies that left are the run's first ones.
      let oldest = 0;
      while (oldest < copies.length && left.has(copies[oldest] as EventKey)) oldest += 1;
      const rest =
        oldest === left.size ? copies.slice(oldest) : copies.filter((copy) => !left.has(copy));
      this.runs.delete(first);
      this.ownedRuns.delete(first);
      const next = rest[0];
      if (next !== undefined && rest.length >= 2) {
        this.runs.set(next, rest);
        this.ownedRuns.add(next);
        this.firstIn.set(run, next);
      } else {
        this.firstIn.delete(run);
      }
    }
    this.left.clear();
  }

  result(): RepeatGroups {
    this.settle();
    if (!this.owned) return this.from;
    if (this.runs.size === 0) return NO_REPEATS;
    return new Groups(this.runs, this.firstIn, this.membership);
  }
}

/** Adds `keys` (newer than anything before) to the groups being changed. */
function fold(
  keys: readonly EventKey[],
  from: number,
  eventOf: EventOf,
  change: Change,
  open: Map<string, Open>,
  lastOf: Map<EventKey, string>,
): void {
  for (let index = from; index < keys.length; index += 1) {
    const key = keys[index] as EventKey;
    const event = eventOf(key);
    if (!event) continue;
    if (event.kind === 'gap') {
      open.clear();
      lastOf.clear();
      continue;
    }
    if (event.kind !== 'message' || event.user === null) continue;
    const userId = event.user.id;
    const raid = heldRaidOf(event);
    if (raid !== undefined) {
      // Something else from its sender, and the next copy of the raid's run.
      const own = open.get(userId);
      if (own) {
        lastOf.delete(own.key);
        open.delete(userId);
      }
      const runKey = RAID_RUN + raid;
      const copy = open.get(runKey);
      if (copy) lastOf.delete(copy.key);
      if (copy !== undefined && event.createdAt - copy.at <= REPEAT_WINDOW_MS) {
        change.extend(copy.key, key);
      }
      open.set(runKey, { text: '', folded: null, at: event.createdAt, key });
      lastOf.set(key, runKey);
      continue;
    }
    const last = open.get(userId);
    if (last) lastOf.delete(last.key);
    if (
      last !== undefined &&
      event.createdAt - last.at <= REPEAT_WINDOW_MS &&
      repeats(last, event.text)
    ) {
      change.extend(last.key, key);
    }
    open.set(userId, { text: event.text, folded: null, at: event.createdAt, key });
    lastOf.set(key, userId);
  }
}

/** The runs in `keys` (oldest first), grouped from the start. */
export function groupRepeats(keys: readonly EventKey[], eventOf: EventOf): RepeatState {
  const membership = new Membership();
  const change = new Change(NO_REPEATS, membership);
  const open = new Map<string, Open>();
  const lastOf = new Map<EventKey, string>();
  fold(keys, 0, eventOf, change, open, lastOf);
  return { keys, groups: change.result(), open, lastOf, membership, taken: false };
}

/**
 * The runs in `keys`, from those of `previous`, an earlier list of the same room: O(new keys) when
 * `keys` is `previous.keys` with keys appended and the oldest dropped (how a room's list changes
 * with each batch), and grouped from the start otherwise.
 */
export function extendRepeats(
  previous: RepeatState,
  keys: readonly EventKey[],
  eventOf: EventOf,
): RepeatState {
  const before = previous.keys;
  if (keys === before) return previous;
  const lastBefore = before[before.length - 1];
  if (previous.taken || lastBefore === undefined) return groupRepeats(keys, eventOf);
  const at = keys.lastIndexOf(lastBefore);
  const removed = before.length - (at + 1);
  if (at === -1 || removed < 0) return groupRepeats(keys, eventOf);

  const { open, lastOf, membership } = previous;
  const change = new Change(previous.groups, membership);
  // The keys that left: the kept ones are in the same order in both lists, so walking the two
  // side by side finds them (the oldest are dropped first, so this stops early).
  let i = 0;
  let j = 0;
  let found = 0;
  while (found < removed && i < before.length) {
    const key = before[i] as EventKey;
    if (j <= at && keys[j] === key) {
      j += 1;
    } else {
      found += 1;
      change.remove(key);
      const userId = lastOf.get(key);
      if (userId !== undefined) {
        lastOf.delete(key);
        open.delete(userId);
      }
    }
    i += 1;
  }
  // Not the same list with keys dropped and added (a snapshot was loaded): group it again.
  if (found < removed || (i < before.length && keys[j] !== before[i])) {
    return groupRepeats(keys, eventOf);
  }
  previous.taken = true;
  fold(keys, at + 1, eventOf, change, open, lastOf);
  const groups = change.result();
  membership.trim(keys.length);
  return { keys, groups, open, lastOf, membership, taken: false };
}

/**
 * The keys a list shows: every key but the later copies of a run that is not expanded. `keys`
 * itself when nothing is collapsed.
 */
export function collapsedKeys(
  keys: readonly EventKey[],
  groups: RepeatGroups,
  expanded: (first: EventKey) => boolean,
): readonly EventKey[] {
  if (groups.firstOf.size === 0) return keys;
  let collapsing = false;
  for (const first of groups.runs.keys()) {
    if (!expanded(first)) {
      collapsing = true;
      break;
    }
  }
  if (!collapsing) return keys;
  return keys.filter((key) => {
    const first = groups.firstOf.get(key);
    return first === undefined || expanded(first);
  });
}
