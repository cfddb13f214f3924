/**
 * A room's word rules as the feeds run them (rules, version 2): the matcher on the text, a second
 * one on display names for rules whose scope takes in the name, and what the matcher does not know
 * about a rule (its severity, its exempt users). A message without a hit costs one match of its
 * text, plus one map lookup of its sender's name when some rule reads names.
 */
import { englishReason, type ReasonData } from '../../../shared/automod/reasons';
import { shown } from '../../../shared/automod/words';
import type { ChatUser, FlagSpan } from '../../../shared/chat';
import type { Rule } from '../../../shared/model';
import type { Match, Matcher, RuleError } from '../../../shared/wordfilter';

type Compile = (rules: Rule[], leaveOut?: (error: RuleError) => void) => Pick<Matcher, 'match'>;

/** Names whose hits are remembered; names repeat, and most match nothing. */
const NAME_CACHE_SIZE = 2000;

interface RuleFacts {
  /** A flag's severity (`normal` is `medium` on a flag), absent for a normal rule. */
  severity?: 'low' | 'high';
  /** Lower-cased user ids and names; absent when none. */
  exempt?: ReadonlySet<string>;
  pattern: string;
  kind: 'term' | 'regex';
}

export class WordRules {
  private readonly text: Pick<Matcher, 'match'>;
  private readonly names: Pick<Matcher, 'match'> | null;
  /** Facts of the rules with a severity or exempt users; a rule at its defaults is not here. */
  private readonly facts = new Map<string, RuleFacts>();
  private readonly nameFacts = new Map<string, RuleFacts>();
  private readonly nameHits = new Map<string, Match[]>();
  /** The rules that hold or hide what they match, with their pattern (the hold's reason). */
  private readonly actions = new Map<string, { action: 'hold' | 'hide'; pattern: string }>();

  /**
   * Compiles `rules` (a room's, `rulesOfRoom`: one rule per id). A rule that cannot be compiled
   * is handed to `leaveOut`.
   */
  constructor(rules: Rule[], compile: Compile, leaveOut: (error: RuleError) => void) {
    const textRules: Rule[] = [];
    const nameRules: Rule[] = [];
    for (const rule of rules) {
      const scope = rule.scope ?? 'text';
      if (scope !== 'name') textRules.push(rule);
      if (scope !== 'text') nameRules.push(rule);
      const facts: RuleFacts = { pattern: rule.pattern, kind: rule.kind ?? 'term' };
      if (rule.severity === 'low' || rule.severity === 'high') facts.severity = rule.severity;
      if (rule.exemptUsers && rule.exemptUsers.length > 0) {
        facts.exempt = new Set(rule.exemptUsers.map((user) => user.toLowerCase()));
      }
      if (rule.action === 'hold' || rule.action === 'hide') {
        this.actions.set(rule.id, { action: rule.action, pattern: rule.pattern });
      } else this.actions.delete(rule.id);
      if (scope !== 'text') this.nameFacts.set(rule.id, facts);
      if (facts.severity || facts.exempt) this.facts.set(rule.id, facts);
      else this.facts.delete(rule.id);
    }
    this.text = compile(textRules, leaveOut);
    // A rule reading both is compiled twice; its problem, if any, was already said for the text.
    this.names =
      nameRules.length === 0
        ? null
        : compile(nameRules, textRules.length > 0 ? () => undefined : leaveOut);
  }

  /** What a rule does beyond flagging (`hold` or `hide`), with its pattern; nothing for `flag`. */
  actionOf(ruleId: string): { action: 'hold' | 'hide'; pattern: string } | undefined {
    return this.actions.get(ruleId);
  }

  /**
   * The flags of a message: spans of the rules on its text (with the rule's severity unless
   * normal), then a flag without a span for each rule matching the sender's display name, with the
   * reason "name matches …". Rules exempting the sender flag nothing. `readName` is false for
   * messages that are not a chatter's own (the moderator's, the service's).
   */
  flag(text: string, user: ChatUser | null, readName: boolean): FlagSpan[] {
    let flags: FlagSpan[] = text === '' ? [] : this.text.match(text);
    if (flags.length > 0 && this.facts.size > 0) flags = this.withFacts(flags, user);
    if (this.names === null || !readName || user === null || user.name === '') return flags;
    const hits = this.matchName(user.name);
    if (hits.length === 0) return flags;
    const seen = new Set<string>();
    for (const hit of hits) {
      const facts = this.nameFacts.get(hit.ruleId);
      if (!facts || seen.has(hit.ruleId) || exempted(facts, user)) continue;
      seen.add(hit.ruleId);
      const why: ReasonData = {
        kind: 'wordName',
        matched: shown(user.name.slice(hit.start, hit.end), 40),
      };
      flags.push({
        ruleId: hit.ruleId,
        reason: englishReason(why),
        why,
        severity: facts.severity ?? 'medium',
      });
    }
    return flags;
  }

  private withFacts(matches: FlagSpan[], user: ChatUser | null): FlagSpan[] {
    const flags: FlagSpan[] = [];
    for (const match of matches) {
      const facts = this.facts.get(match.ruleId);
      if (!facts) flags.push(match);
      else if (!exempted(facts, user)) {
        flags.push(facts.severity ? { ...match, severity: facts.severity } : match);
      }
    }
    return flags;
  }

  private matchName(name: string): Match[] {
    const known = this.nameHits.get(name);
    if (known) return known;
    // The over-long flag says a text was cut; a name that long matches on what was read.
    const hits = this.names!.match(name).filter((hit) => this.nameFacts.has(hit.ruleId));
    if (this.nameHits.size >= NAME_CACHE_SIZE) this.nameHits.clear();
    this.nameHits.set(name, hits);
    return hits;
  }
}

function exempted(facts: RuleFacts, user: ChatUser | null): boolean {
  if (!facts.exempt || user === null) return false;
  return facts.exempt.has(user.id.toLowerCase()) || facts.exempt.has(user.name.toLowerCase());
}
