/** The plain-text rule list of Settings' import and export. */
import { describe, expect, it } from 'vitest';
import { Rule as SettingsRule } from '../../../src/shared/model';
import { formatRuleList, parseRuleList, type Rule } from '../../../src/shared/wordfilter';

const LIST = [
  '# words',
  'bad',
  'ass!',
  '',
  'bad day',
  '/b[a4]d+/',
  '/x+y/!',
  '\\#1 fan',
  '\\/not a regex/',
  'wow\\!',
  'wow\\!!',
  'back\\\\slash',
  '\\ padded\\ ',
  '시발',
].join('\n');

describe('parseRuleList', () => {
  it('reads terms, whole-word terms, regexes and escapes, skipping comments and blank lines', () => {
    const { rules, errors } = parseRuleList(LIST);
    expect(errors).toEqual([]);
    expect(rules.map(({ id: _id, ...rule }) => rule)).toEqual([
      { pattern: 'bad', kind: 'term' },
      { pattern: 'ass', kind: 'term', wholeWord: true },
      { pattern: 'bad day', kind: 'term' },
      { pattern: 'b[a4]d+', kind: 'regex' },
      { pattern: 'x+y', kind: 'regex', wholeWord: true },
      { pattern: '#1 fan', kind: 'term' },
      { pattern: '/not a regex/', kind: 'term' },
      { pattern: 'wow!', kind: 'term' },
      { pattern: 'wow!', kind: 'term', wholeWord: true },
      { pattern: 'back\\slash', kind: 'term' },
      { pattern: ' padded ', kind: 'term' },
      { pattern: '시발', kind: 'term' },
    ]);
  });

  it('trims lines and accepts any line ending', () => {
    const { rules } = parseRuleList('  bad  \r\n\tass !\r/x/\n');
    expect(rules.map(({ id: _id, ...rule }) => rule)).toEqual([
      { pattern: 'bad', kind: 'term' },
      { pattern: 'ass', kind: 'term', wholeWord: true },
      { pattern: 'x', kind: 'regex' },
    ]);
  });

  it('reports invalid lines with their line numbers and keeps the others', () => {
    const { rules, errors } = parseRuleList(
      ['bad', '/unterminated', '/(?=a)b/', '/b(ad/', '!', '---', 'ok\\', '//', 'fine'].join('\n'),
    );
    expect(rules.map((rule) => rule.pattern)).toEqual(['bad', 'fine']);
    expect(errors.map((error) => error.line)).toEqual([2, 3, 4, 5, 6, 7, 8]);
    expect(errors[0]!.message).toContain('ends with /');
    expect(errors[1]!.message).toContain('lookarounds');
    expect(errors[2]!.message).toContain('does not compile');
    expect(errors[3]!.message).toContain('empty');
    expect(errors[4]!.message).toContain('no letters or digits');
    expect(errors[5]!.message).toContain('backslash');
    expect(errors[6]!.message).toContain('empty');
  });

  it('derives ids from the content: the same line has the same id in any list', () => {
    const first = parseRuleList('bad\nass!\n').rules;
    const second = parseRuleList('# other list\nzzz\n  ass!\nbad\n').rules;
    expect(second.find((rule) => rule.pattern === 'bad')!.id).toBe(first[0]!.id);
    expect(second.find((rule) => rule.pattern === 'ass')!.id).toBe(first[1]!.id);
    expect(first[0]!.id).not.toBe(first[1]!.id);
  });

  it('tells a term, its whole-word form and its regex form apart', () => {
    const ids = parseRuleList('bad\nbad!\n/bad/\n/bad/!\n').rules.map((rule) => rule.id);
    expect(new Set(ids).size).toBe(4);
  });

  it('produces rules from a list that the settings schema accepts', () => {
    const { rules } = parseRuleList('bad\nass!\n/b[a4]d/\n/x+y/!\n시발\n');
    for (const rule of rules) expect(SettingsRule.parse(rule)).toEqual(rule);
  });

  it('reports a term longer than a saved rule may be, and keeps the others', () => {
    // A raid's copypasta pasted whole as a phrase to forbid.
    const copypasta = 'this stream is dead go watch the other channel instead '.repeat(10);
    const { rules, errors } = parseRuleList(['bad', copypasta, 'fine'].join('\n'));
    expect(rules.map((rule) => rule.pattern)).toEqual(['bad', 'fine']);
    expect(errors).toEqual([{ line: 2, message: 'a term is at most 500 characters' }]);
    const atLimit = parseRuleList('w'.repeat(500)).rules;
    expect(atLimit.map((rule) => SettingsRule.parse(rule))).toEqual(atLimit);
  });

  it('keeps ids unique when a line repeats', () => {
    const ids = parseRuleList('bad\nbad\nbad\n').rules.map((rule) => rule.id);
    expect(new Set(ids).size).toBe(3);
    expect(ids[1]).toBe(`${ids[0]}-2`);
    expect(ids[2]).toBe(`${ids[0]}-3`);
  });
});

describe('formatRuleList', () => {
  it('round-trips a list: formatting the parsed rules gives the same rules and ids', () => {
    const parsed = parseRuleList(LIST).rules;
    const text = formatRuleList(parsed);
    expect(parseRuleList(text)).toEqual({ rules: parsed, errors: [] });
    expect(formatRuleList(parseRuleList(text).rules)).toBe(text);
  });

  it('writes a canonical list back exactly', () => {
    const canonical = LIST.split('\n')
      .filter((line) => line !== '' && !line.startsWith('#'))
      .map((line) => `${line}\n`)
      .join('');
    expect(formatRuleList(parseRuleList(canonical).rules)).toBe(canonical);
  });

  it('escapes what would otherwise read differently', () => {
    const rules: Rule[] = [
      { id: '1', pattern: '#hashtag' },
      { id: '2', pattern: '/slashes/' },
      { id: '3', pattern: 'wow!', wholeWord: true },
      { id: '4', pattern: 'a\\b' },
      { id: '5', pattern: ' spaced ' },
      { id: '6', pattern: 'two\nlines' },
      { id: '7', pattern: 'line\\nbreak\n', kind: 'regex' },
    ];
    expect(formatRuleList(rules)).toBe(
      [
        '\\#hashtag',
        '\\/slashes/',
        'wow\\!!',
        'a\\\\b',
        '\\ spaced\\ ',
        'two lines',
        '/line\\nbreak\\n/',
        '',
      ].join('\n'),
    );
    const back = parseRuleList(formatRuleList(rules)).rules;
    expect(back.map(({ pattern, wholeWord }) => ({ pattern, wholeWord }))).toEqual([
      { pattern: '#hashtag', wholeWord: undefined },
      { pattern: '/slashes/', wholeWord: undefined },
      { pattern: 'wow!', wholeWord: true },
      { pattern: 'a\\b', wholeWord: undefined },
      { pattern: ' spaced ', wholeWord: undefined },
      { pattern: 'two lines', wholeWord: undefined },
      { pattern: 'line\\nbreak\\n', wholeWord: undefined },
    ]);
  });

  it('writes nothing for no rules', () => {
    expect(formatRuleList([])).toBe('');
    expect(parseRuleList('')).toEqual({ rules: [], errors: [] });
  });

  it('keeps each rule’s severity through an export and an import, in the list’s order', () => {
    const list = parseRuleList('bad\n').rules;
    const rules: Rule[] = [
      ...list,
      { ...parseRuleList('kys\n').rules[0]!, severity: 'high' },
      { ...parseRuleList('/sl[u*]r/\n').rules[0]!, severity: 'high' },
      { ...parseRuleList('meh\n').rules[0]!, severity: 'low' },
      ...parseRuleList('scam!\n').rules,
    ];
    const text = formatRuleList(rules);
    expect(text).toBe(
      'bad\n# severity: high\nkys\n/sl[u*]r/\n# severity: low\nmeh\n# severity: normal\nscam!\n',
    );
    expect(parseRuleList(text)).toEqual({ rules, errors: [] });
    // A rule keeps its id whatever its severity.
    expect(rules[1]!.id).toBe(parseRuleList('kys\n').rules[0]!.id);
    // A list without severities is written as before.
    expect(formatRuleList(list)).toBe('bad\n');
  });

  it('reports a severity line it cannot read, and goes on with the severity before it', () => {
    const { rules, errors } = parseRuleList('# Severity:  HIGH \nkys\n# severity: urgent\nraid\n');
    expect(rules.map(({ pattern, severity }) => ({ pattern, severity }))).toEqual([
      { pattern: 'kys', severity: 'high' },
      { pattern: 'raid', severity: 'high' },
    ]);
    expect(errors).toEqual([{ line: 3, message: 'a severity is low, normal or high' }]);
  });
});
