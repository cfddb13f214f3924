/**
 * Automod rules: one per detector, each with an action, a severity, exempt users, a scope where it
 * applies, and its parameters. Every parameter has a default, and the default says which published
 * tool's setting it answers (docs: ../shared/spec/moderation-anchors-2.md §4). Validated with zod,
 * so a bad parameter is refused in words before any detector is built.
 */
import { z } from 'zod';
import { ruleProblem } from '../wordfilter';

/** What a verdict asks for: `hold` (hide and queue for review) acts as `flag` until queues exist. */
export const AutomodAction = z.enum(['flag', 'hold', 'hide']);
export type AutomodAction = z.infer<typeof AutomodAction>;
export const AutomodSeverity = z.enum(['low', 'medium', 'high']);
export type AutomodSeverity = z.infer<typeof AutomodSeverity>;
/** Where a rule looks: the message text, the sender's display name, or both. */
export const AutomodScope = z.enum(['text', 'name', 'both']);
export type AutomodScope = z.infer<typeof AutomodScope>;

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

const windowMs = (fallback: number) =>
  z
    .number()
    .int()
    .min(100)
    .max(24 * HOUR)
    .default(fallback);
const share = (fallback: number) => z.number().min(0).max(1).default(fallback);

const common = {
  id: z.string().min(1).max(64),
  enabled: z.boolean().default(true),
  action: AutomodAction.default('flag'),
  severity: AutomodSeverity.default('medium'),
  /** User ids or display names (any case) the rule never applies to. */
  exemptUsers: z.array(z.string().min(1).max(200)).max(1000).default([]),
};

const RepeatsParams = z.object({
  /**
   * Messages (this one included) nearly the same as each other from one user in the window.
   * Chatterino flags the 3rd similar message in 5 s; Stream 5 in its window. 3 in 30 s catches
   * both, and a slower spammer too.
   */
  count: z.number().int().min(2).max(20).default(3),
  windowMs: windowMs(30 * SECOND),
  /**
   * Estimated Jaccard similarity of the 3-character shingles (fingerprint.ts). Chatterino asks
   * 0.9 of the longest common substring, which a 2-character random prefix on a 20-character
   * message already escapes; Stream allows an edit distance of 5; Nightbot flags 45 % of words
   * repeated from the previous message. 0.5 keeps a message with a prefix, a suffix and a changed
   * character or two, and leaves different sentences apart (their similarity is near 0).
   */
  similarity: share(0.5),
  /**
   * Texts with fewer distinct shingles than this (`gg`, `lol`, `first`) are reactions: they count
   * only when exactly the same, and only at {@link shortCount}. 6 is about 8 characters of
   * varied text, so `LETS GO` and `POGGERS` are reactions.
   */
  minShingles: z.number().int().min(1).max(64).default(6),
  /** Exact repeats of a short reaction that flag: `gg` twice or three times is chat, 5 times not. */
  shortCount: z.number().int().min(2).max(20).default(5),
});

const RaidParams = z.object({
  /** Different users sending nearly the same text in the window. Stream's flood threshold is 5. */
  users: z.number().int().min(2).max(100).default(5),
  windowMs: windowMs(MINUTE),
  /**
   * As for repeats, but lower: raid copies carry junk at both ends and changed characters, and
   * many of them, so each must match one earlier copy only; unrelated lines score near 0.05.
   * Firebot strips the first 10 characters to defeat random prefixes, which misses a longer
   * prefix, any suffix and changed characters; shingles need no position.
   */
  similarity: share(0.4),
  /**
   * Texts with fewer distinct shingles than this never count: the crowd's `gg`, `lol`, `ㅋㅋㅋ`,
   * `first`, one emoji, and the short lines many people type on their own within a minute
   * (`good luck have fun` has 12, `what game is this` 12). Twitch's unique-chat mode ignores
   * messages of 9 characters or fewer; 16 distinct shingles is about 18 characters of varied text,
   * and repetition (`hahahahaha`, 2) carries no weight. A raid pastes a sentence.
   */
  minShingles: z.number().int().min(1).max(64).default(16),
  /** How long a recognised raid's text stays known after its last copy: later copies match at once. */
  keepMs: windowMs(5 * MINUTE),
  /**
   * Texts a crowd sends together that are never a raid, nor is a text as similar to one of them
   * as `similarity` asks ("happy birthday streamer"). Stream's example allows `gg` and
   * `well played`; reactions that short are below `minShingles` anyway.
   */
  allowedTexts: z
    .array(z.string().min(1).max(200))
    .max(200)
    .default(['good game', 'well played', 'happy birthday', 'congratulations', 'let’s go']),
});

const FloodParams = z.object({
  /** Messages from one user within the window. SajuukBot mutes at 5 in 2 s; InspIRCd `+f 4:2`. */
  messages: z.number().int().min(2).max(100).default(5),
  windowMs: windowMs(3 * SECOND),
});

const NewChattersParams = z.object({
  /**
   * First-time chatters in a room within the window (messages marked `firstInRoom`). None of the
   * anchors counts them; 10 in 10 s is more than an ordinary room sees when a stream starts.
   */
  chatters: z.number().int().min(2).max(1000).default(10),
  windowMs: windowMs(10 * SECOND),
});

const CapsParams = z.object({
  scope: AutomodScope.default('text'),
  /** Capital letters at least. Nightbot's caps limit is 8 capitals. */
  minCapitals: z.number().int().min(1).max(1000).default(8),
  /**
   * And at least this share of the cased letters: Nightbot's count alone flags "NASA and the FBI
   * met the CIA in NYC"; shouting is most of the message.
   */
  minShare: share(0.7),
});

const SymbolsParams = z.object({
  scope: AutomodScope.default('text'),
  /**
   * A run of this many symbols, punctuation or emoji (spaces between them do not break it).
   * Nightbot counts 8 anywhere in the message, which flags two emoji-rich sentences; a run is spam.
   */
  minRun: z.number().int().min(2).max(1000).default(10),
});

const DOMAIN = /^[a-z0-9-]+(\.[a-z0-9-]+)+$/;

const LinksParams = z.object({
  scope: AutomodScope.default('text'),
  /**
   * Domains whose links are fine, subdomains included. Nightbot's link filter also takes an
   * allow-list; empty by default, as there.
   */
  allowedDomains: z
    .array(
      z
        .string()
        .trim()
        .toLowerCase()
        .regex(DOMAIN, 'a domain is written like example.com (no scheme, no path)'),
    )
    .max(1000)
    .default([]),
});

const MentionsParams = z.object({
  /** Different @names in one message. Discord lets a server set up to 50; 5 is a mass ping. */
  minMentions: z.number().int().min(1).max(100).default(5),
});

const LengthParams = z.object({
  /** Characters at most. Twitch caps a message at 500; a paragraph near that is a paste. */
  maxCharacters: z.number().int().min(10).max(100_000).default(400),
});

const NamePattern = z.object({
  pattern: z.string().min(1).max(500),
  kind: z.enum(['term', 'regex']).default('term'),
  wholeWord: z.boolean().default(false),
});

const NamePatternParams = z.object({
  /** Hostile bot names come in patterns (`free_viewers_123`); the text is optional. */
  scope: AutomodScope.default('name'),
  /** Word-filter terms and regexes (wordfilter/), checked as rules are: a bad one is refused. */
  patterns: z
    .array(NamePattern)
    .max(500)
    .default([])
    .superRefine((patterns, context) => {
      patterns.forEach((pattern, index) => {
        const problem = ruleProblem({ id: String(index), ...pattern });
        if (problem) context.addIssue({ code: 'custom', message: problem, path: [index] });
      });
    }),
});

function rule<Kind extends string, Params extends z.ZodObject>(kind: Kind, params: Params) {
  // Every parameter has a default, so an empty object is a valid input of each of them.
  const defaults = {} as z.input<Params>;
  return z.object({ ...common, kind: z.literal(kind), params: params.prefault(defaults) });
}

export const AutomodRule = z.discriminatedUnion('kind', [
  rule('repeats', RepeatsParams),
  rule('raid', RaidParams),
  rule('flood', FloodParams),
  rule('newChatters', NewChattersParams),
  rule('caps', CapsParams),
  rule('symbols', SymbolsParams),
  rule('links', LinksParams),
  rule('mentions', MentionsParams),
  rule('length', LengthParams),
  rule('namePattern', NamePatternParams),
]);
export type AutomodRule = z.infer<typeof AutomodRule>;
export type AutomodRuleInput = z.input<typeof AutomodRule>;
export type AutomodKind = AutomodRule['kind'];
export type RuleOfKind<Kind extends AutomodKind> = Extract<AutomodRule, { kind: Kind }>;

/** Ceilings on what the detectors remember, whatever arrives. */
const Limits = z.object({
  /** Rooms whose room-wide state (recent messages, raids, first-time chatters) is kept. */
  maxRooms: z.number().int().min(1).max(10_000).default(64),
  /** Users (per room) whose recent messages are kept, all rooms together, per rule. */
  maxUsers: z.number().int().min(1).max(1_000_000).default(10_000),
  /** Recent messages per room that a new one is compared with for raids. */
  recentPerRoom: z.number().int().min(8).max(4096).default(256),
  /** Recognised raid texts kept per room. */
  raidsPerRoom: z.number().int().min(1).max(64).default(8),
});

export const AutomodConfig = z
  .object({
    rules: z.array(AutomodRule).max(500),
    limits: Limits.prefault({}),
  })
  .superRefine((config, context) => {
    const seen = new Set<string>();
    config.rules.forEach((rule, index) => {
      if (seen.has(rule.id)) {
        context.addIssue({
          code: 'custom',
          message: `the rule id "${rule.id}" is used twice`,
          path: ['rules', index, 'id'],
        });
      }
      seen.add(rule.id);
    });
  });
export type AutomodConfig = z.infer<typeof AutomodConfig>;
export type AutomodConfigInput = z.input<typeof AutomodConfig>;

/** A configuration that does not validate; `problems` has one line per problem. */
export class AutomodConfigError extends Error {
  readonly problems: string[];

  constructor(problems: string[]) {
    super(`Automod configuration: ${problems.join('; ')}`);
    this.name = 'AutomodConfigError';
    this.problems = problems;
  }
}

/**
 * Validates a configuration and fills in every default. Throws {@link AutomodConfigError} naming
 * each problem by where it is: `rules[2] (flood) params.messages: …`.
 */
export function parseAutomodConfig(input: unknown): AutomodConfig {
  const parsed = AutomodConfig.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new AutomodConfigError(parsed.error.issues.map((issue) => describeIssue(input, issue)));
}

function describeIssue(input: unknown, issue: z.core.$ZodIssue): string {
  const path = issue.path;
  let where = '';
  for (const [index, part] of path.entries()) {
    if (typeof part === 'number') where += `[${part}]`;
    else where += index === 0 ? String(part) : `.${String(part)}`;
    if (index === 1 && path[0] === 'rules' && typeof part === 'number') {
      const id = ruleIdAt(input, part);
      if (id) where += ` (${id})`;
    }
  }
  return where ? `${where}: ${issue.message}` : issue.message;
}

function ruleIdAt(input: unknown, index: number): string | undefined {
  if (typeof input !== 'object' || input === null) return undefined;
  const rules = (input as { rules?: unknown }).rules;
  if (!Array.isArray(rules)) return undefined;
  const rule: unknown = rules[index];
  if (typeof rule !== 'object' || rule === null) return undefined;
  const id = (rule as { id?: unknown }).id;
  return typeof id === 'string' ? id : undefined;
}

/** One rule of each detector with the documented defaults; every action is `flag`. */
export function defaultAutomodConfig(): AutomodConfig {
  const rules: AutomodRuleInput[] = [
    { id: 'automod-repeats', kind: 'repeats', severity: 'medium' },
    { id: 'automod-raid', kind: 'raid', severity: 'high' },
    { id: 'automod-flood', kind: 'flood', severity: 'medium' },
    { id: 'automod-new-chatters', kind: 'newChatters', severity: 'medium' },
    { id: 'automod-caps', kind: 'caps', severity: 'low' },
    { id: 'automod-symbols', kind: 'symbols', severity: 'low' },
    { id: 'automod-links', kind: 'links', severity: 'medium' },
    { id: 'automod-mentions', kind: 'mentions', severity: 'medium' },
    { id: 'automod-length', kind: 'length', severity: 'low' },
    { id: 'automod-names', kind: 'namePattern', severity: 'medium' },
  ];
  return parseAutomodConfig({ rules });
}
