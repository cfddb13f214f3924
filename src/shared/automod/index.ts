/**
 * Automod: detectors of behaviour that word lists cannot catch, run on each chat message in time
 * order. Pure TypeScript with bounded memory, for main's feeds (and any tool that replays chat).
 *
 * - Repeats (repeats.ts): one user's last few messages, compared by fingerprint.
 * - Copy-paste raids (raids.ts): many users, nearly the same text, found through an LSH table of the
 *   room's recent messages; a recognised raid keeps its common text and signatures.
 * - Floods (floods.ts): one user's message rate; bursts of first-time chatters in a room.
 * - Shape (shape.ts): capitals, symbol or emoji runs, links outside an allow-list, mentions, length.
 * - Name patterns (names.ts): word-filter terms and regexes on display names and/or text.
 *
 * Similarity never compares a message with a window of others character by character (Chatterino's
 * longest-common-substring matrix costs O(n·m) per pair). A message is normalised (the word
 * filter's normaliser, separators and emoji dropped, letter runs collapsed), cut into 3-character
 * shingles and summarised as a 64-slot one-permutation MinHash signature in O(length); similarity
 * is the share of equal slots, and candidates come from 32 LSH bands of 2 slots (fingerprint.ts),
 * compared when they share two bands or one and a cluster. A message costs O(length + bands + a
 * fixed number of 64-slot comparisons), whatever the room's rate. Its text is read once, into a
 * buffer that the fingerprint and the character rules share (units.ts), and the sender's slot is
 * looked up once for the rules that keep something per user (`UserSlots`).
 *
 * Memory: at most `limits.maxUsers` users (all rooms together, one slot table for every rule) and,
 * per rule, `limits.maxRooms` rooms, each room with at most `limits.recentPerRoom` recent
 * messages, as many raid clusters and `limits.raidsPerRoom` raids; the least recently active are
 * forgotten first. At the defaults that is about 1.2 KB per user for repeats (in flat arrays by
 * slot) and 0.25 MB per room for raids (its recent messages, their first 120 characters and the
 * LSH table). `stats()` says how much the rules keep.
 *
 * Besides the fixed work above, a message that carries enough text for raids is compared with the
 * room's known raids (at most `raidsPerRoom` × 4 signatures) and with the rule's allowed texts that
 * share one of its band keys.
 *
 * Speed is measured by `npm run bench -- automod` (docs/performance.md, "AutoMod").
 */
import {
  parseAutomodConfig,
  type AutomodAction,
  type AutomodConfig,
  type AutomodKind,
  type AutomodRule,
  type AutomodSeverity,
} from './config';
import { UserSlots } from './bounded';
import {
  NOTHING_KEPT,
  type AutomodMessage,
  type Detector,
  type DetectorSize,
  type Inspected,
} from './detector';
import { Fingerprinter, emptyFingerprint, type Fingerprint } from './fingerprint';
import { floodDetector, newChattersDetector } from './floods';
import { NamePatternDetector } from './names';
import { RaidDetector } from './raids';
import { RepeatsDetector } from './repeats';
import { englishReason, type ReasonData } from './reasons';
import { TextUnits } from './units';
import {
  CapsDetector,
  LengthDetector,
  LinksDetector,
  MentionsDetector,
  MessageShapes,
  SymbolsDetector,
} from './shape';

export {
  AutomodAction,
  AutomodConfig,
  AutomodConfigError,
  AutomodRule,
  AutomodScope,
  AutomodSeverity,
  defaultAutomodConfig,
  parseAutomodConfig,
  type AutomodConfigInput,
  type AutomodKind,
  type AutomodRuleInput,
} from './config';
export type { AutomodMessage } from './detector';
export { englishReason, ReasonData, type ReasonKind, type ReasonOf } from './reasons';

/** One rule's judgement of one message. */
export interface Verdict {
  ruleId: string;
  kind: AutomodKind;
  action: AutomodAction;
  severity: AutomodSeverity;
  /** Why, in English words: "same message 4 times in 20 s" (`englishReason(why)`). */
  reason: string;
  /** Why, as values the window says in the moderator's language. */
  why: ReasonData;
  /**
   * Ids of the room's earlier messages this verdict covers too, oldest first: the copies a raid
   * or repeat was recognised from, the messages a flood began with. Each is named once, by the
   * verdict that first recognised it; only messages checked with an `id` are named.
   */
  earlier?: string[];
}

/** What the detectors keep now, summed over the rules: each stays under its limit per rule. */
export interface AutomodStats extends DetectorSize {
  rules: number;
}

export interface Automod {
  /** The verdicts of every enabled rule on this message, in rule order; none for most messages. */
  check(message: AutomodMessage): Verdict[];
  stats(): AutomodStats;
}

const SIZE_KEYS = ['rooms', 'users', 'recentMessages', 'raids', 'clusters'] as const;

interface CompiledRule {
  rule: AutomodRule;
  exempt: Set<string>;
  detector: Detector;
}

/**
 * Builds the detectors of a configuration (parsed and filled in first: throws
 * `AutomodConfigError` naming every bad parameter).
 */
export function createAutomod(config: unknown): Automod {
  const parsed = parseAutomodConfig(config);
  const fingerprinter = new Fingerprinter();
  const shapes = new MessageShapes();
  const rules: CompiledRule[] = parsed.rules
    .filter((rule) => rule.enabled)
    .map((rule) => ({
      rule,
      exempt: new Set(rule.exemptUsers.map((user) => user.toLowerCase())),
      detector: createDetector(rule, parsed.limits, fingerprinter, shapes),
    }));

  const anyExempt = rules.some((rule) => rule.exempt.size > 0);
  // One object for every message: what it computes is reset per message, and no detector keeps it.
  const inspected = new InspectedMessage(
    fingerprinter,
    new UserSlots(parsed.limits.maxUsers),
    Math.min(
      ...rules.map(({ rule }) =>
        rule.kind === 'repeats' || rule.kind === 'raid' ? rule.params.minShingles : Infinity,
      ),
    ),
  );
  const earlier: string[] = [];

  return {
    check(message) {
      inspected.reset(message);
      let verdicts: Verdict[] | undefined;
      const userId = anyExempt ? message.userId.toLowerCase() : '';
      const userName = anyExempt ? message.userName.toLowerCase() : '';
      for (let index = 0; index < rules.length; index += 1) {
        const { rule, exempt, detector } = rules[index]!;
        if (exempt.size > 0 && (exempt.has(userId) || exempt.has(userName))) continue;
        const why = detector.check(inspected, earlier);
        if (why === undefined) continue;
        verdicts ??= [];
        const verdict: Verdict = {
          ruleId: rule.id,
          kind: rule.kind,
          action: rule.action,
          severity: rule.severity,
          reason: englishReason(why),
          why,
        };
        if (earlier.length > 0) {
          verdict.earlier = earlier.slice();
          earlier.length = 0;
        }
        verdicts.push(verdict);
      }
      return verdicts ?? [];
    },
    stats() {
      const total: AutomodStats = { rules: rules.length, ...NOTHING_KEPT };
      for (const { detector } of rules) {
        const size = detector.size();
        for (const key of SIZE_KEYS) total[key] += size[key];
      }
      return total;
    },
  };
}

/**
 * A message as the detectors see it, with its units, fingerprint and user key computed once. Its
 * buffers serve every message in turn (allocating a signature per message was a fifth of the
 * fingerprint's time): a detector copies what it keeps.
 */
class InspectedMessage implements Inspected {
  message: AutomodMessage = { roomKey: '', userId: '', userName: '', text: '', at: 0 };
  private printed = false;
  private slot = -1;
  private unitsRead = false;
  private readonly print = emptyFingerprint();
  private readonly units = new TextUnits();

  /**
   * @param signatureFrom the fewest distinct shingles of a text that any rule compares by
   *   similarity: below that a fingerprint needs no signature.
   */
  constructor(
    private readonly fingerprinter: Fingerprinter,
    private readonly users: UserSlots,
    private readonly signatureFrom: number,
  ) {}

  /** Starts on the next message, forgetting what was computed from the last. */
  reset(message: AutomodMessage): void {
    this.message = message;
    this.printed = false;
    this.slot = -1;
    this.unitsRead = false;
  }

  fingerprint(): Fingerprint {
    if (!this.printed) {
      this.fingerprinter.fingerprintInto(
        this.message.text,
        this.print,
        this.textUnits(),
        this.signatureFrom,
      );
      this.printed = true;
    }
    return this.print;
  }

  textUnits(): TextUnits {
    if (!this.unitsRead) {
      this.units.read(this.message.text);
      this.unitsRead = true;
    }
    return this.units;
  }

  userSlot(): number {
    if (this.slot < 0) this.slot = this.users.find(this.message.roomKey, this.message.userId);
    return this.slot;
  }

  userGeneration(): number {
    return this.users.generation(this.userSlot());
  }
}

function createDetector(
  rule: AutomodRule,
  limits: AutomodConfig['limits'],
  fingerprinter: Fingerprinter,
  shapes: MessageShapes,
): Detector {
  switch (rule.kind) {
    case 'repeats':
      return new RepeatsDetector(rule.params);
    case 'raid':
      return new RaidDetector(rule.params, limits, fingerprinter);
    case 'flood':
      return floodDetector(rule.params);
    case 'newChatters':
      return newChattersDetector(rule.params, limits.maxRooms);
    case 'caps':
      return new CapsDetector(rule.params, shapes);
    case 'symbols':
      return new SymbolsDetector(rule.params, shapes);
    case 'links':
      return new LinksDetector(rule.params);
    case 'mentions':
      return new MentionsDetector(rule.params);
    case 'length':
      return new LengthDetector(rule.params);
    case 'namePattern':
      return new NamePatternDetector(rule.params);
  }
}
