/**
 * Queries evaluated on messages in memory (the live buffers): a predicate per message, and a
 * bounded scan over a list that says when it ran out of budget before the end.
 *
 * Regexes run on the linear engine (linearRegex.ts) over at most {@link MAX_REGEX_UNITS} units of
 * a message's folded text, so one test costs at most that many units × the program's size (≤ 100
 * instructions), whatever the pattern: `(a+)+$` over a long run of `a`s is as cheap as `abc`.
 */
import { RE2JS } from 're2js';
import { MAX_SCANNED_UNITS, compileRegexRule } from '../wordfilter';
import { foldText, type Clause, type Query, type Trait } from './query';

/** What search needs of a message; main's events and the store's rows both map onto it. */
export interface SearchableMessage {
  roomKey: string;
  roomName?: string;
  userId?: string | null;
  userName?: string | null;
  text: string;
  /** `ChatEventKind`; `dm` is what `is:dm` finds. */
  kind: string;
  /** `held`: waiting in a hold queue for a moderator's decision. */
  state: 'visible' | 'hidden' | 'deleted' | 'held';
  /** Rules that flagged it; `is:flagged` means at least one. */
  ruleIds: readonly string[];
  /** The user's first message in this room that the store has seen. */
  first?: boolean;
  /** When it was sent (epoch ms). */
  at: number;
}

/** A regex reads at most this much of a message's folded text: as much as the word filter reads. */
export const MAX_REGEX_UNITS = MAX_SCANNED_UNITS;

/** A query ready to test messages with: its regexes compiled once. */
export type MessagePredicate = (message: SearchableMessage) => boolean;

/**
 * Compiles a query that `parseQuery` produced. A query with a clause it could not have produced (a
 * regex the guard refuses), negated or not, matches nothing, rather than running it unguarded.
 */
export function compileQuery(query: Query): MessagePredicate {
  const tests = query.clauses.map(compileClause);
  return (message) => {
    const folded = new FoldedMessage(message);
    return tests.every((test) => test(folded));
  };
}

/** Whether a message matches a query; for one message at a time (a list: {@link scanMessages}). */
export function matchesQuery(query: Query, message: SearchableMessage): boolean {
  return compileQuery(query)(message);
}

/**
 * The units a scan reads unless told otherwise: about 500 ms of regex (issue #26's bound) on a slow
 * run. Measured over 100,000 chat-like messages (English, Korean, links; 4.6 million units) on two
 * shared cores: 12–23 million units per second for a regex, folding included, 16–37 for words.
 */
export const DEFAULT_SCAN_UNITS = 5_000_000;

export interface ScanBudget {
  /** Messages to look at, at most. */
  maxMessages?: number;
  /**
   * UTF-16 units of text to look at, at most ({@link DEFAULT_SCAN_UNITS} when absent): each
   * message costs its length, all of which is folded and searched for words.
   */
  maxUnits?: number;
}

export interface ScanResult<T> {
  /** Matching messages, in the order given. */
  matches: T[];
  /** Messages looked at: the scan can resume from `messages[scanned]`. */
  scanned: number;
  /** The budget ran out before the end of the list. */
  stoppedEarly: boolean;
}

/**
 * Runs a query over messages (newest first, as search shows them) within a budget, so a regex over
 * a long history answers in bounded time and says that it stopped early.
 */
export function scanMessages<T extends SearchableMessage>(
  query: Query,
  messages: readonly T[],
  budget: ScanBudget = {},
): ScanResult<T> {
  const test = compileQuery(query);
  const maxMessages = budget.maxMessages ?? Infinity;
  let unitsLeft = budget.maxUnits ?? DEFAULT_SCAN_UNITS;
  const matches: T[] = [];
  let scanned = 0;
  for (const message of messages) {
    const cost = message.text.length;
    // The first message is read whatever its length, so that resuming always moves on.
    if (scanned >= maxMessages || (cost > unitsLeft && scanned > 0)) {
      return { matches, scanned, stoppedEarly: true };
    }
    unitsLeft -= cost;
    scanned += 1;
    if (test(message)) matches.push(message);
  }
  return { matches, scanned, stoppedEarly: false };
}

/** A message with its text and names folded on first use. */
class FoldedMessage {
  private foldedText: string | undefined;

  constructor(readonly message: SearchableMessage) {}

  get text(): string {
    this.foldedText ??= foldText(this.message.text);
    return this.foldedText;
  }
}

type ClauseTest = (message: FoldedMessage) => boolean;

function compileClause(clause: Clause): ClauseTest {
  const test = positiveTest(clause);
  if (!test) return () => false;
  return clause.negated ? (message) => !test(message) : test;
}

/** The test of a clause without its negation; `undefined` for a regex the guard refuses. */
function positiveTest(clause: Clause): ClauseTest | undefined {
  switch (clause.type) {
    case 'text':
      return (message) => message.text.includes(clause.text);
    case 'from':
      return ({ message }) =>
        anyEqual(clause.values, [message.userName, message.userId].map(foldOptional));
    case 'in':
      return ({ message }) => {
        const key = message.roomKey;
        const roomId = key.slice(key.indexOf('/') + 1);
        return anyEqual(clause.values, [message.roomName, key, roomId].map(foldOptional));
      };
    case 'is':
      return ({ message }) => clause.values.some((trait) => hasTrait(message, trait));
    case 'has':
      return (message) => hasLink(message.text);
    case 'rule':
      return ({ message }) => clause.values.some((id) => message.ruleIds.includes(id));
    case 'before':
      return ({ message }) => message.at < clause.at;
    case 'after':
      return ({ message }) => message.at >= clause.at;
    case 'regex': {
      const regex = compiledRegex(clause.pattern);
      if (!regex) return undefined;
      return (message) => regex.test(message.text.slice(0, MAX_REGEX_UNITS));
    }
  }
}

/** Recent patterns compiled, so that `matchesQuery` in a loop compiles each once. */
const regexCache = new Map<string, RE2JS | null>();
const REGEX_CACHE_SIZE = 32;

function compiledRegex(pattern: string): RE2JS | null {
  let regex = regexCache.get(pattern);
  if (regex === undefined) {
    const compiled = compileRegexRule(pattern);
    regex = 'problem' in compiled ? null : compiled.regex;
    if (regexCache.size >= REGEX_CACHE_SIZE) regexCache.clear();
    regexCache.set(pattern, regex);
  }
  return regex;
}

function foldOptional(value: string | null | undefined): string | undefined {
  return value == null ? undefined : foldText(value);
}

function anyEqual(values: readonly string[], candidates: Array<string | undefined>): boolean {
  return candidates.some((candidate) => candidate !== undefined && values.includes(candidate));
}

function hasTrait(message: SearchableMessage, trait: Trait): boolean {
  switch (trait) {
    case 'flagged':
      return message.ruleIds.length > 0;
    case 'hidden':
    case 'deleted':
    case 'held':
      return message.state === trait;
    case 'dm':
      return message.kind === 'dm';
    case 'first':
      return message.first === true;
  }
}

/** Top-level domains a bare `name.tld` counts as a link with; any `name.tld/` counts. */
const LINK_TLDS = [
  'com',
  'net',
  'org',
  'io',
  'gg',
  'tv',
  'me',
  'co',
  'kr',
  'jp',
  'cn',
  'ru',
  'de',
  'uk',
  'us',
  'info',
  'biz',
  'xyz',
  'app',
  'dev',
  'ly',
  'to',
  'be',
  'fm',
  'link',
  'site',
  'online',
  'shop',
  'live',
  'club',
  'top',
  'store',
  'kakao',
  'naver',
];

/**
 * A URL with a scheme (`http://`, `https://`), `www.`, or a bare domain: `name.tld/…` with any
 * top-level domain, `name.tld` alone with a common one (so `node.js` and `file.txt` are not links).
 * On the linear engine: chat text is hostile, and a backtracking domain pattern is quadratic.
 */
const LINK = RE2JS.compile(
  '(?:^|[^\\p{L}\\p{N}_.-])(?:https?://\\S|www\\.[\\p{L}\\p{N}]|' +
    '[\\p{L}\\p{N}-]+(?:\\.[\\p{L}\\p{N}-]+)*\\.(?:[a-z]{2,24}/|' +
    `(?:${LINK_TLDS.join('|')})(?:$|[^\\p{L}\\p{N}_-])))`,
);

/** Whether folded text has a link (see {@link LINK}). */
export function hasLink(foldedText: string): boolean {
  return LINK.test(foldedText.slice(0, MAX_REGEX_UNITS));
}
