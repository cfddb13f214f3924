/**
 * Repeats: one user sending the same or nearly the same text again and again in one room. Each
 * user keeps the fingerprints of their last few messages (a ring), and a new message is compared
 * with those only: at most (count + 3) comparisons of 64 slots. A short text (a reaction) counts
 * only when exactly the same after normalising.
 */
import { LruMap } from './bounded';
import { SIGNATURE_SLOTS, SIGNATURE_WORDS, similarityAtLeast } from './fingerprint';
import type { RuleOfKind } from './config';
import { NOTHING_KEPT, type Detector, type DetectorSize, type Inspected } from './detector';
import { duration } from './words';

type Params = RuleOfKind<'repeats'>['params'];

/** Messages kept beyond the count, so that a spammer's copies mixed with other lines still add up. */
const SLACK = 3;

class UserMessages {
  readonly signatures: Uint16Array;
  /** `signatures` two slots a word. */
  readonly words: Uint32Array;
  readonly exact: Int32Array;
  readonly times: Float64Array;
  readonly short: Uint8Array;
  /** Which copies belong together: a message takes the group of the recent one it resembles most. */
  readonly groups: Int32Array;
  readonly ids: string[];
  /** Whether each message was flagged already, by its own verdict or a later copy's. */
  readonly named: Uint8Array;
  next = 0;
  nextGroup = 0;
  size = 0;

  constructor(readonly capacity: number) {
    this.signatures = new Uint16Array(capacity * SIGNATURE_SLOTS);
    this.words = new Uint32Array(this.signatures.buffer);
    this.exact = new Int32Array(capacity);
    this.times = new Float64Array(capacity);
    this.short = new Uint8Array(capacity);
    this.groups = new Int32Array(capacity);
    this.ids = new Array<string>(capacity).fill('');
    this.named = new Uint8Array(capacity);
  }

  /** Forgets every message. */
  clear(): this {
    this.next = 0;
    this.size = 0;
    this.nextGroup = 0;
    return this;
  }
}

export class RepeatsDetector implements Detector {
  private readonly users: LruMap<string, UserMessages>;
  private readonly capacity: number;

  constructor(
    private readonly params: Params,
    maxUsers: number,
  ) {
    this.users = new LruMap(maxUsers);
    this.capacity = Math.max(params.count, params.shortCount) + SLACK;
  }

  check(inspected: Inspected, earlier: string[]): string | undefined {
    const message = inspected.message;
    const print = inspected.fingerprint();
    if (print.length === 0) return undefined;
    const params = this.params;
    const isShort = print.distinctShingles < params.minShingles;
    const user = this.users.getOrCreate(
      inspected.userKey(),
      (forgotten) => forgotten?.clear() ?? new UserMessages(this.capacity),
    );
    // The message joins the group of the most similar recent one, so that copies count together
    // even when two of them differ more than each differs from the first (junk on both ends).
    let group = -1;
    let best = params.similarity;
    for (let index = 0; index < user.size; index += 1) {
      if (message.at - user.times[index]! > params.windowMs) continue;
      if (user.exact[index] === print.exact) {
        group = user.groups[index]!;
        break;
      }
      if (isShort || user.short[index] === 1) continue;
      const found = similarityAtLeast(user.words, index * SIGNATURE_WORDS, print.words, 0, best);
      if (found >= best) {
        best = found;
        group = user.groups[index]!;
      }
    }
    if (group < 0) {
      group = user.nextGroup;
      user.nextGroup = (user.nextGroup + 1) % 0x7fffffff;
    }
    let matches = 1;
    let oldest = message.at;
    let allExact = true;
    for (let index = 0; index < user.size; index += 1) {
      const at = user.times[index]!;
      if (user.groups[index] !== group || message.at - at > params.windowMs) continue;
      matches += 1;
      oldest = Math.min(oldest, at);
      if (user.exact[index] !== print.exact) allExact = false;
    }
    const flagged = matches >= (isShort ? params.shortCount : params.count);
    // The first copies were not repeats yet when they came; they are now, oldest first.
    if (flagged) nameEarlier(user, group, message.at - params.windowMs, earlier);
    const slot = user.next;
    user.signatures.set(print.signature, slot * SIGNATURE_SLOTS);
    user.exact[slot] = print.exact;
    user.times[slot] = message.at;
    user.short[slot] = isShort ? 1 : 0;
    user.groups[slot] = group;
    user.ids[slot] = message.id ?? '';
    user.named[slot] = flagged ? 1 : 0;
    user.next = (slot + 1) % user.capacity;
    user.size = Math.min(user.size + 1, user.capacity);
    if (!flagged) return undefined;
    const what = allExact ? 'same message' : 'nearly the same message';
    return `${what} ${matches} times in ${duration(message.at - oldest)}`;
  }

  size(): DetectorSize {
    return { ...NOTHING_KEPT, users: this.users.size };
  }
}

/** Adds the ids of the group's copies since `since` that no verdict named yet, oldest first. */
function nameEarlier(user: UserMessages, group: number, since: number, into: string[]): void {
  for (let step = user.size; step >= 1; step -= 1) {
    const index = (user.next + user.capacity - step) % user.capacity;
    if (user.groups[index] !== group || user.times[index]! < since || user.named[index] === 1) {
      continue;
    }
    user.named[index] = 1;
    if (user.ids[index] !== '') into.push(user.ids[index]!);
  }
}
