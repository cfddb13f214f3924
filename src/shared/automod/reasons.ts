/**
 * Why a rule flagged or held a message (automod, shield mode, a word rule's hold or name match), as
 * values rather than words: the window says it in the
 * moderator's language, and {@link englishReason} gives the English words every flag also carries
 * (`reason`: the API's words, what tools and tests read, and all that flags stored by earlier
 * versions have).
 *
 * Quoted chat text is kept as the reason shows it (one line, cut with an ellipsis, `shown` in
 * words.ts), so a reason stays small however long the message, and every language quotes the same.
 */
import { z } from 'zod';
import { count, duration } from './words';

/** Counts a reason gives: users, messages, characters (a chat message is far below this). */
const Count = z.number().int().min(0).max(1_000_000_000);
/**
 * Spans and ages in milliseconds, within about 30 years either way: times are the clock's, and a
 * clock set back can make a span negative, which reads as the shortest one (`duration`).
 */
const Milliseconds = z.number().min(-1_000_000_000_000).max(1_000_000_000_000);
/** Quoted text as shown: at most 60 characters, each up to two UTF-16 units, with its ellipsis. */
const Quoted = z.string().max(200);

const RepeatsReason = z.object({
  kind: z.literal('repeats'),
  /** Every copy was the same once normalised; otherwise nearly the same. */
  exact: z.boolean(),
  times: Count,
  spanMs: Milliseconds,
});

const RaidReason = z.object({
  kind: z.literal('raid'),
  /** The raid's common text as shown (60 characters at most). */
  name: Quoted,
  people: Count,
  /** `people` is the most a raid counts: there were at least that many. */
  peopleCapped: z.boolean(),
  spanMs: Milliseconds,
});
export type RaidReason = z.infer<typeof RaidReason>;

const FloodReason = z.object({ kind: z.literal('flood'), messages: Count, spanMs: Milliseconds });

const NewChattersReason = z.object({
  kind: z.literal('newChatters'),
  chatters: Count,
  spanMs: Milliseconds,
});

/** The shape rules that read the sender's name too say when it was the name. */
const inName = z.boolean();

const CapsReason = z.object({
  kind: z.literal('caps'),
  capitals: Count,
  /** Capitals' share of the cased letters, rounded to a whole percent. */
  percent: z.number().int().min(0).max(100),
  inName,
});

const SymbolsReason = z.object({ kind: z.literal('symbols'), run: Count, inName });

const LinksReason = z.object({
  kind: z.literal('links'),
  /** Bounded like the reason it is written into (`FlagSpan.reason`, 500). */
  host: z.string().max(500),
  inName,
});

const MentionsReason = z.object({ kind: z.literal('mentions'), people: Count });

const LengthReason = z.object({
  kind: z.literal('length'),
  characters: Count,
  limit: Count,
});

const NamePatternReason = z.object({
  kind: z.literal('namePattern'),
  /** Where it matched: the message's text or the sender's name. */
  place: z.enum(['text', 'name']),
  regex: z.boolean(),
  /** The rule's pattern and what it matched, as shown (40 characters at most each). */
  pattern: Quoted,
  matched: Quoted,
});

/** A word rule's hold: the text contains its pattern (as shown, 60 characters at most). */
const WordTermReason = z.object({ kind: z.literal('wordTerm'), pattern: Quoted });
/** A word rule that reads names flagged the sender's: what it matched, as shown (40 at most). */
const WordNameReason = z.object({ kind: z.literal('wordName'), matched: Quoted });

/** Shield mode holds a copy of a raid automod found. */
const ShieldRaidReason = z.object({ kind: z.literal('shieldRaid'), raid: RaidReason });
/** Shield mode holds a sender's first message in the room. */
const ShieldFirstMessageReason = z.object({ kind: z.literal('shieldFirstMessage') });
/** Shield mode holds a sender first seen in the room `agoMs` ago. */
const ShieldFirstSeenReason = z.object({
  kind: z.literal('shieldFirstSeen'),
  agoMs: Milliseconds,
});

/** Why a flag or a hold was given (`FlagSpan.why`, `Held.why`, `Verdict.why`). */
export const ReasonData = z.discriminatedUnion('kind', [
  RepeatsReason,
  RaidReason,
  FloodReason,
  NewChattersReason,
  CapsReason,
  SymbolsReason,
  LinksReason,
  MentionsReason,
  LengthReason,
  NamePatternReason,
  WordTermReason,
  WordNameReason,
  ShieldRaidReason,
  ShieldFirstMessageReason,
  ShieldFirstSeenReason,
]);
export type ReasonData = z.infer<typeof ReasonData>;
export type ReasonKind = ReasonData['kind'];
export type ReasonOf<Kind extends ReasonKind> = Extract<ReasonData, { kind: Kind }>;

/**
 * Stored values read back (a store's row, an audit file's line): the reason when this version can
 * read it, nothing otherwise (none kept, or a later version's kind); its English words stay with it.
 */
export function readReason(value: unknown): ReasonData | undefined {
  const parsed = ReasonData.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/** The reason in English, word for word as automod and shield mode have always written it. */
export function englishReason(why: ReasonData): string {
  switch (why.kind) {
    case 'repeats':
      return `${why.exact ? 'same message' : 'nearly the same message'} ${why.times} times in ${duration(why.spanMs)}`;
    case 'raid': {
      const people = why.peopleCapped
        ? `${why.people}+ people`
        : count(why.people, 'person', 'people');
      return `copy-paste raid “${why.name}”: ${people} in ${duration(why.spanMs)}`;
    }
    case 'flood':
      return `${why.messages} messages in ${duration(why.spanMs)}`;
    case 'newChatters':
      return `${why.chatters} first-time chatters in ${duration(why.spanMs)}`;
    case 'caps':
      return `${inTheName(why.inName)}${count(why.capitals, 'capital')}, ${why.percent} % of the letters`;
    case 'symbols':
      return `${inTheName(why.inName)}a run of ${why.run} symbols or emoji`;
    case 'links':
      return `${inTheName(why.inName)}a link to ${why.host}`;
    case 'mentions':
      return `mentions ${count(why.people, 'person', 'people')}`;
    case 'length':
      return `a message of ${why.characters} characters (more than ${why.limit})`;
    case 'namePattern':
      return `${why.place === 'text' ? 'the text' : 'the name'} matches ${why.regex ? 'the pattern' : 'the term'} “${why.pattern}” (“${why.matched}”)`;
    case 'wordTerm':
      return `contains “${why.pattern}”`;
    case 'wordName':
      return `name matches “${why.matched}”`;
    case 'shieldRaid':
      return `shield: ${englishReason(why.raid)}`;
    case 'shieldFirstMessage':
      return 'shield: first message here';
    case 'shieldFirstSeen':
      return `shield: first seen ${duration(why.agoMs)} ago`;
  }
}

function inTheName(inName: boolean): string {
  return inName ? 'in the name: ' : '';
}
