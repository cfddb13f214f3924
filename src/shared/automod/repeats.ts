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

/** Per entry of {@link UserMessages.records}: when it came, its exact hash, its group, its flags. */
const TIME = 0;
const EXACT = 1;
const GROUP = 2;
const FLAGS = 3;
const FIELDS = 4;
/** `FLAGS` bits: a text too short to compare by similarity; flagged already. */
const SHORT = 1;
const NAMED = 2;
/**
 * A slot's block starts with its ring (the next entry, the size, the next group number) and the
 * generation of the slot it belongs to.
 */
const NEXT = 0;
const SIZE = 1;
const NEXT_GROUP = 2;
const GENERATION = 3;

/**
 * Each user's last `capacity` messages, by user slot (`UserSlots`). Slot `s` has one block of
 * `records` (its ring's state, then an entry of {@link FIELDS} numbers per message) and entries
 * `s × capacity` to `s × capacity + capacity − 1` of `signatures` and `ids`. One block rather than
 * an array per field: inside the feeds a message found each field in a different cache line, and
 * each was a miss.
 */
class UserMessages extends PerSlotState {
  signatures = new Uint16Array(0);
  /** `signatures` two slots a word. */
  words = new Uint32Array(0);
  records = new Float64Array(0);
  ids: string[] = [];
  /** Numbers per slot in `records`. */
  readonly block: number;

  constructor(readonly capacity: number) {
    super();
    this.block = (capacity + 1) * FIELDS;
  }

  /** The user's slot, emptied when it changed hands since this rule last saw it. */
  of(slot: number, generation: number): number {
    return this.claim(slot, generation);
  }

  protected resize(slots: number): void {
    const entries = slots * this.capacity;
    this.signatures = grown(this.signatures, entries * SIGNATURE_SLOTS);
    this.words = new Uint32Array(this.signatures.buffer);
    this.records = grown(this.records, slots * this.block);
    for (let entry = this.ids.length; entry < entries; entry += 1) this.ids.push('');
  }

  protected generationOf(slot: number): number {
    return this.records[slot * this.block + GENERATION]!;
  }

  protected reset(slot: number, generation: number): void {
    const base = slot * this.block;
    this.records[base + NEXT] = 0;
    this.records[base + SIZE] = 0;
    this.records[base + NEXT_GROUP] = 0;
    this.records[base + GENERATION] = generation;
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
    const records = users.records;
    const base = slot * users.block;
    // The first entry's record, and its signature's first word.
    const first = base + FIELDS;
    const firstWord = slot * capacity * SIGNATURE_WORDS;
    const end = first + records[base + SIZE]! * FIELDS;
    // The message joins the group of the most similar recent one, so that copies count together
    // even when two of them differ more than each differs from the first (junk on both ends).
    let group = -1;
    let best = params.similarity;
    for (let record = first, word = firstWord; record < end; record += FIELDS) {
      const at = word;
      word += SIGNATURE_WORDS;
      if (message.at - records[record + TIME]! > params.windowMs) continue;
      if (records[record + EXACT] === print.exact) {
        group = records[record + GROUP]!;
        break;
      }
      if (isShort || (records[record + FLAGS]! & SHORT) !== 0) continue;
      const found = similarityAtLeast(users.words, at, print.words, 0, best);
      if (found >= best) {
        best = found;
        group = records[record + GROUP]!;
      }
    }
    if (group < 0) {
      group = records[base + NEXT_GROUP]!;
      records[base + NEXT_GROUP] = (group + 1) % 0x7fffffff;
    }
    let matches = 1;
    let oldest = message.at;
    let allExact = true;
    for (let record = first; record < end; record += FIELDS) {
      const at = records[record + TIME]!;
      if (records[record + GROUP] !== group || message.at - at > params.windowMs) continue;
      matches += 1;
      oldest = Math.min(oldest, at);
      if (records[record + EXACT] !== print.exact) allExact = false;
    }
    const flagged = matches >= (isShort ? params.shortCount : params.count);
    // The first copies were not repeats yet when they came; they are now, oldest first.
    if (flagged) nameEarlier(users, slot, group, message.at - params.windowMs, earlier);
    const next = records[base + NEXT]!;
    const record = first + next * FIELDS;
    // A short text's signature is never compared (its entry says `SHORT`), and it has none.
    if (!isShort) users.signatures.set(print.signature, (slot * capacity + next) * SIGNATURE_SLOTS);
    records[record + TIME] = message.at;
    records[record + EXACT] = print.exact;
    records[record + GROUP] = group;
    records[record + FLAGS] = (isShort ? SHORT : 0) | (flagged ? NAMED : 0);
    users.ids[slot * capacity + next] = message.id ?? '';
    records[base + NEXT] = (next + 1) % capacity;
    records[base + SIZE] = Math.min(records[base + SIZE]! + 1, capacity);
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
  const { capacity, records } = users;
  const base = slot * users.block;
  const next = records[base + NEXT]!;
  for (let step = records[base + SIZE]!; step >= 1; step -= 1) {
    const entry = (next + capacity - step) % capacity;
    const record = base + FIELDS + entry * FIELDS;
    const flags = records[record + FLAGS]!;
    if (records[record + GROUP] !== group || records[record + TIME]! < since) continue;
    if ((flags & NAMED) !== 0) continue;
    records[record + FLAGS] = flags | NAMED;
    const id = users.ids[slot * capacity + entry]!;
    if (id !== '') into.push(id);
  }
}
