/**
 * Repeats: one user sending the same or nearly the same text again and again in one room. Each
 * user keeps the fingerprints of their last few messages (a ring), and a new message is compared
 * with those only: at most (count + 3) comparisons of 64 slots. A short text (a reaction) counts
 * only when exactly the same after normalising.
 */
import { PerSlotState, grown } from './bounded';
import { SIGNATURE_SLOTS, SIGNATURE_WORDS, similarityAtLeast } from './fingerprint';
import type { RuleOfKind } from './config';
import { NOTHING_KEPT, type Detector, type DetectorSize, type Inspected } from './detector';
import type { ReasonData } from './reasons';

type Params = RuleOfKind<'repeats'>['params'];

/** Messages kept beyond the count, so that a spammer's copies mixed with other lines still add up. */
const SLACK = 3;

/**
 * Each user's last `capacity` messages, in flat arrays by user slot (`UserSlots`): slot `s` keeps
 * entries `s × capacity` to `s × capacity + capacity − 1`, a ring whose next entry and size are in
 * `rings`.
 */
class UserMessages extends PerSlotState {
  signatures = new Uint16Array(0);
  /** `signatures` two slots a word. */
  words = new Uint32Array(0);
  exact = new Int32Array(0);
  times = new Float64Array(0);
  short = new Uint8Array(0);
  /** Which copies belong together: a message takes the group of the recent one it resembles most. */
  groups = new Int32Array(0);
  ids: string[] = [];
  /** Whether each message was flagged already, by its own verdict or a later copy's. */
  named = new Uint8Array(0);
  /** Per slot: the ring's next entry, its size, and the next group number. */
  rings = new Int32Array(0);

  constructor(readonly capacity: number) {
    super();
  }

  /** The user's slot, emptied when it changed hands since this rule last saw it. */
  of(slot: number, generation: number): number {
    return this.claim(slot, generation);
  }

  protected resize(slots: number): void {
    const entries = slots * this.capacity;
    this.signatures = grown(this.signatures, entries * SIGNATURE_SLOTS);
    this.words = new Uint32Array(this.signatures.buffer);
    this.exact = grown(this.exact, entries);
    this.times = grown(this.times, entries);
    this.short = grown(this.short, entries);
    this.groups = grown(this.groups, entries);
    this.named = grown(this.named, entries);
    this.rings = grown(this.rings, slots * 3);
    for (let entry = this.ids.length; entry < entries; entry += 1) this.ids.push('');
  }

  protected reset(slot: number): void {
    this.rings[slot * 3] = 0;
    this.rings[slot * 3 + 1] = 0;
    this.rings[slot * 3 + 2] = 0;
  }
}

export class RepeatsDetector implements Detector {
  private readonly users: UserMessages;

  constructor(private readonly params: Params) {
    this.users = new UserMessages(Math.max(params.count, params.shortCount) + SLACK);
  }

  check(inspected: Inspected, earlier: string[]): ReasonData | undefined {
    const message = inspected.message;
    const print = inspected.fingerprint();
    if (print.length === 0) return undefined;
    const params = this.params;
    const isShort = print.distinctShingles < params.minShingles;
    const users = this.users;
    const capacity = users.capacity;
    const slot = users.of(inspected.userSlot(), inspected.userGeneration());
    const first = slot * capacity;
    const rings = users.rings;
    const size = rings[slot * 3 + 1]!;
    const times = users.times;
    const groups = users.groups;
    const exact = users.exact;
    // The message joins the group of the most similar recent one, so that copies count together
    // even when two of them differ more than each differs from the first (junk on both ends).
    let group = -1;
    let best = params.similarity;
    for (let index = first; index < first + size; index += 1) {
      if (message.at - times[index]! > params.windowMs) continue;
      if (exact[index] === print.exact) {
        group = groups[index]!;
        break;
      }
      if (isShort || users.short[index] === 1) continue;
      const found = similarityAtLeast(users.words, index * SIGNATURE_WORDS, print.words, 0, best);
      if (found >= best) {
        best = found;
        group = groups[index]!;
      }
    }
    if (group < 0) {
      group = rings[slot * 3 + 2]!;
      rings[slot * 3 + 2] = (group + 1) % 0x7fffffff;
    }
    let matches = 1;
    let oldest = message.at;
    let allExact = true;
    for (let index = first; index < first + size; index += 1) {
      const at = times[index]!;
      if (groups[index] !== group || message.at - at > params.windowMs) continue;
      matches += 1;
      oldest = Math.min(oldest, at);
      if (exact[index] !== print.exact) allExact = false;
    }
    const flagged = matches >= (isShort ? params.shortCount : params.count);
    // The first copies were not repeats yet when they came; they are now, oldest first.
    if (flagged) nameEarlier(users, slot, group, message.at - params.windowMs, earlier);
    const next = rings[slot * 3]!;
    const entry = first + next;
    users.signatures.set(print.signature, entry * SIGNATURE_SLOTS);
    exact[entry] = print.exact;
    times[entry] = message.at;
    users.short[entry] = isShort ? 1 : 0;
    groups[entry] = group;
    users.ids[entry] = message.id ?? '';
    users.named[entry] = flagged ? 1 : 0;
    rings[slot * 3] = (next + 1) % capacity;
    rings[slot * 3 + 1] = Math.min(size + 1, capacity);
    if (!flagged) return undefined;
    return { kind: 'repeats', exact: allExact, times: matches, spanMs: message.at - oldest };
  }

  size(): DetectorSize {
    return { ...NOTHING_KEPT, users: this.users.slots };
  }
}

/** Adds the ids of the group's copies since `since` that no verdict named yet, oldest first. */
function nameEarlier(
  users: UserMessages,
  slot: number,
  group: number,
  since: number,
  into: string[],
): void {
  const capacity = users.capacity;
  const first = slot * capacity;
  const next = users.rings[slot * 3]!;
  for (let step = users.rings[slot * 3 + 1]!; step >= 1; step -= 1) {
    const index = first + ((next + capacity - step) % capacity);
    if (users.groups[index] !== group || users.times[index]! < since || users.named[index] === 1) {
      continue;
    }
    users.named[index] = 1;
    if (users.ids[index] !== '') into.push(users.ids[index]!);
  }
}
