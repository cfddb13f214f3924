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
    [{ id: 'ahead', pattern: 'kys(?!\\w)', kind: 'regex' }, 'lookarounds'],
    [{ id: 'huge', pattern: '\\w{500}', kind: 'regex' }, 'too large'],
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

  it('leaves out a rule that cannot be compiled when asked, and runs the rest', () => {
    const leftOut: RuleError[] = [];
    const matcher = compileRules(
      [
        { id: 'before', pattern: 'bad' },
        { id: 'ahead', pattern: 'kys(?!\\w)', kind: 'regex' },
        { id: 'after', pattern: 'k[yi]s\\b', kind: 'regex' },
      ],
      (error) => leftOut.push(error),
    );
    expect(leftOut.map((error) => [error.ruleId, error.reason])).toEqual([
      ['ahead', expect.stringContaining('lookarounds') as string],
    ]);
    expect(matcher.match('bad, kys').map((match) => match.ruleId)).toEqual(['before', 'after']);
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
