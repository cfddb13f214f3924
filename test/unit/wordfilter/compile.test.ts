/** compileRules: which rules it accepts, and errors that name the rule. */
import { describe, expect, it } from 'vitest';
import { RuleError, compileRules, ruleProblem, type Rule } from '../../../src/shared/wordfilter';

describe('compileRules', () => {
  it.each<[Rule, string]>([
    [{ id: 'empty', pattern: '' }, 'empty'],
    [{ id: 'blank', pattern: '   ' }, 'empty'],
    [{ id: 'nothing', pattern: '--- !!! \u200b' }, 'no letters or digits'],
    [{ id: 'broken', pattern: 'b(ad', kind: 'regex' }, 'does not compile'],
    [{ id: 'loose', pattern: 'a{', kind: 'regex' }, 'does not compile'],
    [{ id: 'evil', pattern: '(a+)+$', kind: 'regex' }, 'contains another repeat'],
    [{ id: 'backref', pattern: '(a)\\1', kind: 'regex' }, 'backreferences'],
  ])('rejects the rule %o, naming it', (rule, reason) => {
    const good: Rule = { id: 'good', pattern: 'bad' };
    let caught: unknown;
    try {
      compileRules([good, rule]);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(RuleError);
    const error = caught as RuleError;
    expect(error.ruleId).toBe(rule.id);
    expect(error.message).toContain(rule.id);
    expect(error.reason).toContain(reason);
    expect(ruleProblem(rule)).toBe(error.reason);
  });

  it('accepts an empty list and matches nothing', () => {
    expect(compileRules([]).match('anything at all')).toEqual([]);
  });

  it('accepts ordinary terms and regexes', () => {
    const rules: Rule[] = [
      { id: 'a', pattern: 'bad' },
      { id: 'b', pattern: 'bad day', wholeWord: true },
      { id: 'c', pattern: '\\bkys\\b', kind: 'regex' },
      { id: 'd', pattern: '시발' },
    ];
    for (const rule of rules) expect(ruleProblem(rule)).toBeUndefined();
    expect(
      compileRules(rules)
        .match('kys bad day 시발')
        .map((match) => match.ruleId),
    ).toEqual(['c', 'a', 'b', 'd']);
  });
});
