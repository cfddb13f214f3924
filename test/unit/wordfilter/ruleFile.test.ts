/**
 * The rule file, version 2 (shared/ruleFile.ts): version 1 lists still import with the new fields
 * at their defaults, version 2 round-trips word and detector rules, and a malformed file is refused
 * whole in one sentence.
 */
import { describe, expect, it } from 'vitest';
import { defaultAutomodConfig, type AutomodRule } from '../../../src/shared/automod';
import type { Rule } from '../../../src/shared/model';
import { formatRuleFile, parseRuleFile, type RuleFile } from '../../../src/shared/ruleFile';
import { formatRuleList, parseRuleList } from '../../../src/shared/wordfilter';

function imported(text: string): RuleFile {
  const result = parseRuleFile(text);
  if (!result.ok) throw new Error(result.message);
  return result;
}

/** A rule's fields with every default of rules v2 spelled out. */
function effective(rule: Rule) {
  return {
    pattern: rule.pattern,
    kind: rule.kind ?? 'term',
    wholeWord: rule.wholeWord === true,
    severity: rule.severity ?? 'normal',
    action: rule.action ?? 'flag',
    exceptions: rule.exceptions ?? [],
    exemptUsers: rule.exemptUsers ?? [],
    scope: rule.scope ?? 'text',
  };
}

describe('version 1 lists import as version 2 rules with defaults', () => {
  const cases: Array<[string, string, Array<Partial<ReturnType<typeof effective>>>]> = [
    ['a term', 'bad\n', [{ pattern: 'bad', kind: 'term' }]],
    ['a whole-word term', 'ass!\n', [{ pattern: 'ass', wholeWord: true }]],
    ['a regex', '/b[a4]d+/\n', [{ pattern: 'b[a4]d+', kind: 'regex' }]],
    [
      'severity lines',
      'meh\n# severity: high\nkys\n# severity: low\nugh\n',
      [
        { pattern: 'meh', severity: 'normal' },
        { pattern: 'kys', severity: 'high' },
        { pattern: 'ugh', severity: 'low' },
      ],
    ],
    ['an escaped brace at the start', '\\{curly\n', [{ pattern: '{curly' }]],
  ];
  it.each(cases)('%s', (_name, text, expected) => {
    const file = imported(text);
    expect(file.version).toBe(1);
    expect(file.automod).toEqual([]);
    expect(file.rules.map(effective)).toEqual(
      expected.map((fields) => ({
        kind: 'term',
        wholeWord: false,
        severity: 'normal',
        action: 'flag',
        exceptions: [],
        exemptUsers: [],
        scope: 'text',
        ...fields,
      })),
    );
    // The same ids as version 1 gives, so a rule is the same rule in both.
    expect(file.rules.map((rule) => rule.id)).toEqual(parseRuleList(text).rules.map((r) => r.id));
  });

  it('names the lines of a version 1 list that are not rules, and keeps the rest', () => {
    const file = imported('good\n/unclosed\nfine\n');
    expect(file.rules.map((rule) => rule.pattern)).toEqual(['good', 'fine']);
    expect(file.errors.map((error) => error.line)).toEqual([2]);
    expect(file.errors[0]?.message).toMatch(/regex ends with/);
  });

  it('exports a term starting with { so that it reads back as version 1', () => {
    const rules = parseRuleList('\\{curly\n').rules;
    const text = formatRuleList(rules);
    expect(text).toBe('\\{curly\n');
    expect(imported(text).rules).toEqual(rules);
  });
});

describe('version 2 round trip', () => {
  const word: Rule[] = [
    { id: 'x', pattern: 'bad', kind: 'term' },
    {
      id: 'x',
      pattern: 'ass',
      kind: 'term',
      wholeWord: true,
      severity: 'high',
      action: 'hide',
      exceptions: ['assistant', 'class'],
      exemptUsers: ['u1', 'Mina'],
      scope: 'both',
    },
    { id: 'x', pattern: '\\d{3}$', kind: 'regex', severity: 'low', scope: 'name', action: 'hold' },
  ];
  const tuned: AutomodRule[] = defaultAutomodConfig().rules.map((rule) =>
    rule.kind === 'repeats'
      ? { ...rule, action: 'hold', params: { ...rule.params, count: 4, windowMs: 20_000 } }
      : rule.kind === 'links'
        ? { ...rule, exemptUsers: ['mod2'], params: { ...rule.params, allowedDomains: ['a.com'] } }
        : rule,
  );
  const cases: Array<[string, Rule[], AutomodRule[]]> = [
    ['word rules alone', word, []],
    ['detector rules alone', [], tuned],
    ['both', word, tuned],
    ['nothing', [], []],
  ];
  it.each(cases)('%s', (_name, rules, automod) => {
    const text = formatRuleFile(rules, automod);
    const file = imported(text);
    expect(file.version).toBe(2);
    expect(file.rules.map(effective)).toEqual(rules.map(effective));
    expect(file.automod).toEqual(automod);
    expect(formatRuleFile(file.rules, file.automod)).toBe(text);
  });

  it('gives word rules the ids version 1 gives their lines', () => {
    const file = imported(formatRuleFile(word));
    const v1 = parseRuleList(formatRuleList(word)).rules;
    expect(file.rules.map((rule) => rule.id)).toEqual(v1.map((rule) => rule.id));
  });

  it('fills in left-out fields and detector parameters with their defaults', () => {
    const file = imported(
      JSON.stringify({
        version: 2,
        rules: [{ pattern: 'bad' }],
        automod: [{ id: 'r', kind: 'flood' }],
      }),
    );
    expect(file.rules.map(effective)).toEqual([effective({ id: '', pattern: 'bad' })]);
    expect(file.automod).toEqual([
      {
        id: 'r',
        kind: 'flood',
        enabled: true,
        action: 'flag',
        severity: 'medium',
        exemptUsers: [],
        params: { messages: 5, windowMs: 3000 },
      },
    ]);
  });
});

describe('malformed files are refused whole, in one sentence', () => {
  const cases: Array<[string, string, string]> = [
    ['not JSON', '{ "version": 2, ', 'it starts like a version 2 file but is not valid JSON'],
    ['no version', '{ "rules": [] }', 'it is a JSON object without a "version"'],
    ['a later version', '{ "version": 3 }', 'it says version 3; ModDeck reads versions 1 and 2'],
    ['a version as text', '{ "version": "2" }', 'it says version "2"'],
    ['rules not a list', '{ "version": 2, "rules": {} }', 'rules: '],
    ['a rule without a pattern', '{ "version": 2, "rules": [{}] }', 'rules[0].pattern: '],
    [
      'an unknown scope',
      '{ "version": 2, "rules": [{ "pattern": "a", "scope": "everywhere" }] }',
      'rules[0].scope: ',
    ],
    [
      'a regex that does not compile',
      '{ "version": 2, "rules": [{ "pattern": "(", "kind": "regex" }] }',
      'rules[0] ("("): ',
    ],
    [
      'an allowed term with nothing to match',
      '{ "version": 2, "rules": [{ "pattern": "ass", "exceptions": ["!!"] }] }',
      'rules[0] ("ass"): an allowed term has no letters or digits to match',
    ],
    [
      'an unknown detector',
      '{ "version": 2, "automod": [{ "id": "x", "kind": "telepathy" }] }',
      'automod[0] (x)',
    ],
    [
      'a detector parameter out of range',
      '{ "version": 2, "automod": [{ "id": "f", "kind": "flood", "params": { "messages": 0 } }] }',
      'automod[0] (f).params.messages: ',
    ],
  ];
  it.each(cases)('%s', (_name, text, words) => {
    const result = parseRuleFile(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message.startsWith('The file cannot be imported: ')).toBe(true);
    expect(result.message).toContain(words);
    expect(result.message.endsWith('.')).toBe(true);
    expect(result.message.split('\n')).toHaveLength(1);
  });
});
