/**
 * Saved word rules the word filter cannot run: one saved by an earlier version with syntax this
 * one refuses (a lookaround), or edited into the settings file by hand. The feeds leave such a rule
 * out and filter with the rest; the rule editor marks it. This says so in a warning as well, so a
 * moderator who never opens the rule editor still learns that a word is no longer caught.
 */
import { AppError, ErrorCode } from '../../../shared/errors';
import type { Rule, Settings } from '../../../shared/model';
import { ruleProblem } from '../../../shared/wordfilter';
import type { WarningSink } from '../warnings';

export const UNUSABLE_RULES_WARNING_ID = 'rules';
/** Patterns named in the warning; the rest are counted. */
const NAMED_PATTERNS = 3;

export class UnusableRules {
  /** Each rule's problem by what makes it what it is, so an unchanged list is not checked again. */
  private problems = new Map<string, string | undefined>();

  constructor(private readonly warnings: WarningSink) {}

  /** Raises, updates or clears the warning for these rules. */
  check(rules: Settings['rules']): void {
    const next = new Map<string, string | undefined>();
    const unusable: Rule[] = [];
    for (const rule of allRules(rules)) {
      const key = ruleKey(rule);
      const problem = next.has(key)
        ? next.get(key)
        : this.problems.has(key)
          ? this.problems.get(key)
          : ruleProblem(rule);
      next.set(key, problem);
      if (problem !== undefined) unusable.push(rule);
    }
    this.problems = next;
    if (unusable.length === 0) {
      this.warnings.clear(UNUSABLE_RULES_WARNING_ID);
      return;
    }
    const patterns = unusable.slice(0, NAMED_PATTERNS).map((rule) => rule.pattern);
    this.warnings.set({
      id: UNUSABLE_RULES_WARNING_ID,
      kind: 'rulesNotInUse',
      count: unusable.length,
      patterns,
      message: `${unusable.length} saved word rule(s) cannot be used by this version of ModDeck and are left out (${patterns.join(', ')}); change them in Settings, Word rules.`,
    });
  }
}

/** Every saved rule: the global list, then each room's. */
export function allRules(rules: Settings['rules']): Rule[] {
  return [...rules.global, ...Object.values(rules.rooms).flat()];
}

/** Everything that makes a rule what it is. */
export function ruleKey(rule: Rule): string {
  return JSON.stringify([
    rule.id,
    rule.kind ?? 'term',
    rule.wholeWord === true,
    rule.pattern,
    rule.exceptions ?? [],
  ]);
}

/**
 * Checks the rules a settings change brings. A rule saved exactly as it is passes: one this version
 * no longer runs (a lookaround saved by an earlier one) must not block every other change to the
 * lists until it is fixed; the feeds leave it out and the rule editor marks it. A new or changed
 * rule must compile, or the change is refused as INVALID_INPUT naming it.
 */
export function checkNewRules(
  compile: (rules: Rule[]) => unknown,
  saved: Settings['rules'],
  next: Settings['rules'],
): void {
  const kept = new Set(allRules(saved).map(ruleKey));
  for (const list of [next.global, ...Object.values(next.rooms)]) {
    const fresh = list.filter((rule) => !kept.has(ruleKey(rule)));
    if (fresh.length === 0) continue;
    try {
      compile(fresh);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new AppError(ErrorCode.InvalidInput, `A word rule is not valid: ${message}`);
    }
  }
}
