/**
 * The rule editor's arithmetic: rules typed by the moderator made canonical (the same id the
 * plain-text import would give them), and a draft list backtested against the buffered messages
 * exactly as main would combine it (global rules, a room's own replacing those of their ids).
 */
import { WORD_FILTERED_KINDS, type ChatEvent, type RoomKey } from '../../../shared/chat';
import {
  rulesOfRoom,
  type Rule,
  type RuleAction,
  type RuleScope as RuleReads,
  type RuleSeverity,
  type Settings,
} from '../../../shared/model';
import {
  backtest,
  compileRules,
  formatRuleList,
  parseRuleList,
  ruleProblem,
  type BacktestMatchers,
  type Match,
  type Matcher,
} from '../../../shared/wordfilter';
import type { RoomFeed } from '../stores/feed';
import type { EventKey } from './eventKey';

/** Which list is being edited: `'global'`, or one room's by its room key (never "global"). */
export type RuleScope = string;

export interface RuleFields {
  pattern: string;
  kind: 'term' | 'regex';
  wholeWord: boolean;
  severity: RuleSeverity;
  action: RuleAction;
  /** Allowed terms, one per line or separated by commas. */
  exceptions: string;
  /** Exempt user ids or names, one per line or separated by commas. */
  exemptUsers: string;
  /** Where the rule looks: the text, the display name, or both. */
  reads: RuleReads;
}

/** What the "Add a rule" form starts with. */
export const EMPTY_RULE: RuleFields = Object.freeze({
  pattern: '',
  kind: 'term',
  wholeWord: false,
  severity: 'normal',
  action: 'flag',
  exceptions: '',
  exemptUsers: '',
  reads: 'text',
});

/**
 * A list as one line to edit (`listOf` reads it back): entries separated by commas, one that has a
 * comma or a double quote in it quoted as a CSV cell is (`"Kim, Mina"`, a quote doubled).
 */
export function textOfList(entries: readonly string[]): string {
  return entries
    .map((entry) => (/[",\n]/.test(entry) ? `"${entry.replaceAll('"', '""')}"` : entry))
    .join(', ');
}

/**
 * A list typed one entry per line or separated by commas, where an entry in double quotes is kept
 * whole (`"Kim, Mina"`; `""` inside it is a quote): trimmed, blanks and repeats dropped.
 */
export function listOf(text: string): string[] {
  const entries: string[] = [];
  let entry = '';
  let quoted = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index]!;
    if (quoted) {
      if (char !== '"') entry += char;
      else if (text[index + 1] === '"') {
        entry += '"';
        index += 1;
      } else quoted = false;
    } else if (char === '"' && entry.trim() === '') {
      entry = '';
      quoted = true;
    } else if (char === ',' || char === '\n') {
      entries.push(entry.trim());
      entry = '';
    } else entry += char;
  }
  entries.push(entry.trim());
  return [...new Set(entries.filter((kept) => kept !== ''))];
}

/**
 * The rule as the list stores it, or why it is not a rule. Its id is derived from its text, as an
 * import derives it, so a rule typed by hand and the same rule imported are one rule.
 */
export function ruleOf(fields: RuleFields): { rule: Rule } | { problem: string } {
  const pattern = fields.kind === 'term' ? fields.pattern.trim() : fields.pattern;
  const line = formatRuleList([
    {
      id: 'new',
      pattern,
      kind: fields.kind,
      ...(fields.wholeWord ? { wholeWord: true } : {}),
      ...(fields.severity === 'normal' ? {} : { severity: fields.severity }),
    },
  ]);
  const parsed = parseRuleList(line);
  const problem = parsed.errors[0];
  if (problem) return { problem: problem.message };
  const rule = parsed.rules[0];
  if (!rule) return { problem: 'the pattern is empty' };
  // Rules v2: what the line format does not carry, at its default left out as settings keep it.
  const exceptions = listOf(fields.exceptions);
  const exemptUsers = listOf(fields.exemptUsers);
  const full: Rule = {
    ...rule,
    ...(fields.action === 'flag' ? {} : { action: fields.action }),
    ...(exceptions.length === 0 ? {} : { exceptions }),
    ...(exemptUsers.length === 0 ? {} : { exemptUsers }),
    ...(fields.reads === 'text' ? {} : { scope: fields.reads }),
  };
  const v2Problem = ruleProblem(full);
  if (v2Problem) return { problem: v2Problem };
  if (exemptUsers.some((user) => user.length > 200)) {
    return { problem: 'a user id or name is at most 200 characters' };
  }
  if (exceptions.some((term) => term.length > 200)) {
    return { problem: 'an allowed term is at most 200 characters' };
  }
  return { rule: full };
}

/**
 * Compiles a list as main does for the feeds: a rule this version cannot run (saved by an earlier
 * one) is left out, and the rest of the list runs. The list marks such a rule ({@link leftOutReason}).
 */
export function compileUsable(rules: Rule[]): Matcher {
  return compileRules(rules, () => undefined);
}

// Rule objects stay the same between renders of a list that may hold thousands.
const reasons = new WeakMap<Rule, string | null>();

/** Why the word filter leaves a saved rule out, or null when it runs. */
export function leftOutReason(rule: Rule): string | null {
  let reason = reasons.get(rule);
  if (reason === undefined) {
    reason = ruleProblem(rule) ?? null;
    reasons.set(rule, reason);
  }
  return reason;
}

export function fieldsOf(rule: Rule): RuleFields {
  return {
    pattern: rule.pattern,
    kind: rule.kind ?? 'term',
    wholeWord: rule.wholeWord === true,
    severity: rule.severity ?? 'normal',
    action: rule.action ?? 'flag',
    exceptions: textOfList(rule.exceptions ?? []),
    exemptUsers: textOfList(rule.exemptUsers ?? []),
    reads: rule.scope ?? 'text',
  };
}

/** Everything a rule saves beside its id, defaults spelled out: two rules are the same if equal. */
function settled(rule: Rule): string {
  return JSON.stringify([
    rule.severity ?? 'normal',
    rule.action ?? 'flag',
    rule.exceptions ?? [],
    rule.exemptUsers ?? [],
    rule.scope ?? 'text',
  ]);
}

/**
 * What makes two rules one: what they match, whatever their ids (a line repeated in an import gets
 * an id of its own) and their severity.
 */
export function duplicateKey(rule: Rule): string {
  return JSON.stringify([rule.kind ?? 'term', rule.pattern, rule.wholeWord === true]);
}

/** The saved list of a scope. */
export function savedList(rules: Settings['rules'] | undefined, scope: RuleScope): Rule[] {
  if (!rules) return [];
  return scope === 'global' ? rules.global : (rules.rooms[scope] ?? []);
}

/** Whether two lists hold the same rules in the same order (an id says what a rule matches). */
export function sameRules(a: readonly Rule[], b: readonly Rule[]): boolean {
  return (
    a.length === b.length &&
    a.every((rule, index) => rule.id === b[index]?.id && settled(rule) === settled(b[index]))
  );
}

/**
 * Whether a provider's banned words can take the rule as it is: a plain word on the text, with no
 * allowed terms and no exempt users (a service's list would filter what those spare, and a name
 * rule's word in every message's text).
 */
export function isPlainWord(rule: Rule): boolean {
  return (
    (rule.kind ?? 'term') === 'term' &&
    (rule.scope ?? 'text') === 'text' &&
    (rule.exceptions ?? []).length === 0 &&
    (rule.exemptUsers ?? []).length === 0
  );
}

/** Terms that could go to a provider's banned words: the rules that are plain words. */
export function plainWords(rules: readonly Rule[]): string[] {
  const words = rules
    .filter(isPlainWord)
    .map((rule) => rule.pattern.trim())
    .filter((word) => word !== '' && word.length <= 100);
  return [...new Set(words)];
}

export interface BacktestRow {
  key: EventKey;
  roomKey: RoomKey;
  /** The draft's hits (flagged), or the current rules' hits (no longer flagged). */
  matches: Match[];
  /** The same rules' hits on the sender's display name (rules on names); absent when none. */
  nameMatches?: Match[];
}

export interface DraftBacktest {
  scanned: number;
  rooms: number;
  /** Messages the draft flags, newest first. */
  flagged: BacktestRow[];
  /** Of `flagged`, those the saved rules do not flag today. */
  newlyFlagged: ReadonlySet<EventKey>;
  /** Messages flagged today that the draft would no longer flag, newest first. */
  noLongerFlagged: BacktestRow[];
}

/**
 * `matcher` without the hits of rules that exempt the sender `senderOf()` gives (`rules` has one
 * rule per id, `rulesOfRoom`, as in main's feeds).
 */
function sparing(matcher: Matcher, rules: Rule[], senderOf: () => ChatEvent['user']): Matcher {
  const exempt = new Map<string, Set<string> | null>();
  for (const rule of rules) {
    const users = rule.exemptUsers ?? [];
    exempt.set(rule.id, users.length > 0 ? new Set(users.map((user) => user.toLowerCase())) : null);
  }
  if (![...exempt.values()].some((users) => users !== null)) return matcher;
  const spared = (hit: Match): boolean => {
    const users = exempt.get(hit.ruleId);
    const sender = senderOf();
    return (
      users != null &&
      sender !== null &&
      (users.has(sender.id.toLowerCase()) || users.has(sender.name.toLowerCase()))
    );
  };
  return {
    match: (text) => matcher.match(text).filter((hit) => !spared(hit)),
    explain: (text) => matcher.explain(text),
  };
}

/** The rules that look at the text (scope `text` or `both`). */
function readingText(rules: Rule[]): Rule[] {
  return rules.some((rule) => rule.scope === 'name')
    ? rules.filter((rule) => rule.scope !== 'name')
    : rules;
}

/** The rules that look at display names (scope `name` or `both`), as main's `WordRules` splits them. */
function readingNames(rules: Rule[]): Rule[] {
  return rules.filter((rule) => (rule.scope ?? 'text') !== 'text');
}

/** A list compiled as main runs it: on the text, and on names when some rule reads them. */
function matchersFor(
  rules: Rule[],
  compile: (rules: Rule[]) => Matcher,
  senderOf: () => ChatEvent['user'],
): BacktestMatchers {
  const names = readingNames(rules);
  return {
    text: sparing(compile(readingText(rules)), rules, senderOf),
    names: names.length === 0 ? null : sparing(compile(names), rules, senderOf),
  };
}

/**
 * Whether main reads the sender's name of this event (`isChatters` in feeds.ts): a chatter's own
 * message or DM, not the moderator's.
 */
function readsName(event: ChatEvent, moderatorUserId: string | undefined): boolean {
  if (event.kind !== 'message' && event.kind !== 'dm') return false;
  if (event.user === null || event.fromModerator === true) return false;
  return event.user.id !== moderatorUserId;
}

/** A message main's word filter reads (`WORD_FILTERED_KINDS`), with text. */
function isText(event: ChatEvent | undefined): event is ChatEvent {
  return event !== undefined && event.text !== '' && WORD_FILTERED_KINDS.has(event.kind);
}

/**
 * Runs `draft` (the list of `scope`) over the buffered messages of the rooms it applies to, each
 * room with the rules main would use for it (without the rules it leaves out): rules on the text
 * read the text, rules on names the display name of a chatter's own message (`moderatorOf` names
 * the moderator's user id in a room, whose messages main does not read names of).
 */
export function backtestDraft(
  rooms: Readonly<Record<RoomKey, RoomFeed>>,
  saved: Settings['rules'],
  scope: RuleScope,
  draft: Rule[],
  compile: (rules: Rule[]) => Matcher = compileUsable,
  moderatorOf: (roomKey: RoomKey) => string | undefined = () => undefined,
): DraftBacktest {
  const result: DraftBacktest = {
    scanned: 0,
    rooms: 0,
    flagged: [],
    newlyFlagged: new Set(),
    noLongerFlagged: [],
  };
  const newly = new Set<EventKey>();
  const at = new Map<EventKey, number>();
  for (const [roomKey, feed] of Object.entries(rooms)) {
    if (scope !== 'global' && roomKey !== scope) continue;
    const roomRules = saved.rooms[roomKey] ?? [];
    const currentRules = rulesOfRoom(saved.global, roomRules);
    const nextRules =
      scope === 'global' ? rulesOfRoom(draft, roomRules) : rulesOfRoom(saved.global, draft);
    // The sender of the message being tested: a rule's exempt users are not flagged by it.
    let sender: ChatEvent['user'] = null;
    const current = matchersFor(currentRules, compile, () => sender);
    const next = matchersFor(nextRules, compile, () => sender);
    const moderatorUserId = moderatorOf(roomKey);
    result.rooms += 1;
    for (const key of feed.keys) {
      const event = feed.byKey.get(key);
      if (!isText(event)) continue;
      at.set(key, event.receivedAt);
      sender = event.user;
      const name = readsName(event, moderatorUserId) ? event.user?.name : undefined;
      const outcome = backtest(
        [{ key, text: event.text, ...(name === undefined ? {} : { name }) }],
        next,
        current,
      );
      result.scanned += outcome.scanned;
      for (const hit of outcome.flagged) result.flagged.push({ ...hit, roomKey });
      for (const hit of outcome.newlyFlagged ?? []) newly.add(hit.key);
      for (const hit of outcome.noLongerFlagged ?? [])
        result.noLongerFlagged.push({ ...hit, roomKey });
    }
  }
  const newestFirst = (a: BacktestRow, b: BacktestRow) =>
    (at.get(b.key) ?? 0) - (at.get(a.key) ?? 0);
  result.flagged.sort(newestFirst);
  result.noLongerFlagged.sort(newestFirst);
  return { ...result, newlyFlagged: newly };
}
