/**
 * The plain-text rule list of Settings' import and export. One rule a line:
 *
 * ```text
 * # comments and blank lines are ignored
 * bad            a term
 * ass!           a term matched as a whole word (trailing `!`)
 * bad day        a term with a space (any separators in the text match it)
 * /b[a4]d+/      a regex (flags `iu`, run on the normalised text)
 * /b[a4]d+/!     a regex matched as a whole word
 * \#1 fan        a backslash makes the next character literal: `\#`, `\/` at the start, `\!` at
 *                the end, `\\` for a backslash, `\ ` for a space at either end
 * # severity: high
 * kys            the rules after a severity line have that severity (`low`, `normal` or `high`)
 * ```
 *
 * Rules before any severity line are normal. A severity line reads as a comment to a version that
 * knows no severities, which then takes every rule as normal.
 *
 * Lines are trimmed (an escaped space at the end stays). Ids are derived from the rule's canonical
 * line (its `formatRuleList` form, without its severity), so they are the same after any number of
 * exports and imports, and a rule keeps its id when only its severity changes; a repeated line gets
 * `-2`, `-3`, …
 *
 * This is version 1 of the rule file. Version 2 (a JSON object with every field of rules v2 and
 * automod's detector rules) is `shared/ruleFile.ts`, which still reads this one.
 */
import { ruleProblem, type Rule } from './matcher';

type Severity = NonNullable<Rule['severity']>;
const SEVERITIES: readonly Severity[] = ['low', 'normal', 'high'];
const SEVERITY_LINE = /^#\s*severity\s*:\s*(.*)$/i;

export interface RuleListError {
  /** 1-based line number. */
  line: number;
  message: string;
}

/** Reads a rule list; lines that are not valid rules are reported in `errors` and left out. */
export function parseRuleList(text: string): { rules: Rule[]; errors: RuleListError[] } {
  const rules: Rule[] = [];
  const errors: RuleListError[] = [];
  const idCounts = new Map<string, number>();
  let severity: Severity = 'normal';
  text.split(/\r\n|\n|\r/).forEach((raw, index) => {
    const line = index + 1;
    // Trailing whitespace goes, except a space escaped with a backslash (`\ `).
    const trimmed = raw.replace(/^\s+/, '').replace(/(?<!\\)\s+$/, '');
    const severityLine = SEVERITY_LINE.exec(trimmed);
    if (severityLine) {
      const named = (severityLine[1] ?? '').trim().toLowerCase();
      if (SEVERITIES.includes(named as Severity)) severity = named as Severity;
      else errors.push({ line, message: 'a severity is low, normal or high' });
      return;
    }
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const parsed = parseLine(trimmed);
    if (typeof parsed === 'string') {
      errors.push({ line, message: parsed });
      return;
    }
    const problem = ruleProblem({ id: '', ...parsed });
    if (problem) {
      errors.push({ line, message: problem });
      return;
    }
    const base = `r-${hash53(formatRule(parsed)).toString(36)}`;
    const count = (idCounts.get(base) ?? 0) + 1;
    idCounts.set(base, count);
    rules.push({
      id: count === 1 ? base : `${base}-${count}`,
      ...parsed,
      ...(severity === 'normal' ? {} : { severity }),
    });
  });
  return { rules, errors };
}

/**
 * Writes rules one a line, in the format `parseRuleList` reads. Line breaks inside a term become
 * spaces (the matcher treats both as separators); inside a regex they become `\n` and `\r`.
 */
export function formatRuleList(rules: Rule[]): string {
  let severity: Severity = 'normal';
  let text = '';
  for (const rule of rules) {
    const next = rule.severity ?? 'normal';
    if (next !== severity) text += `# severity: ${next}\n`;
    severity = next;
    text += `${formatRule(rule)}\n`;
  }
  return text;
}

type ParsedRule = Omit<Rule, 'id' | 'severity'>;

function parseLine(line: string): ParsedRule | string {
  if (line.startsWith('/')) {
    const wholeWord = line.endsWith('/!') && line.length >= 3;
    if (!wholeWord && !(line.endsWith('/') && line.length >= 2)) {
      return 'a regex ends with / (or /! for whole words); to start a term with /, write \\/';
    }
    const pattern = line.slice(1, wholeWord ? -2 : -1);
    if (pattern === '') return 'the regex is empty';
    return { pattern, kind: 'regex', ...(wholeWord ? { wholeWord } : {}) };
  }
  const characters: Array<{ character: string; escaped: boolean }> = [];
  const units = [...line];
  for (let index = 0; index < units.length; index += 1) {
    if (units[index] !== '\\') {
      characters.push({ character: units[index]!, escaped: false });
      continue;
    }
    const next = units[index + 1];
    if (next === undefined) return 'a backslash at the end of a line escapes nothing';
    characters.push({ character: next, escaped: true });
    index += 1;
  }
  const last = characters[characters.length - 1];
  const wholeWord = last !== undefined && !last.escaped && last.character === '!';
  if (wholeWord) characters.pop();
  while (characters.length > 0) {
    const tail = characters[characters.length - 1]!;
    if (tail.escaped || tail.character.trim() !== '') break;
    characters.pop();
  }
  const pattern = characters.map(({ character }) => character).join('');
  if (pattern === '') return 'the term is empty';
  return { pattern, kind: 'term', ...(wholeWord ? { wholeWord } : {}) };
}

function formatRule(rule: ParsedRule): string {
  const marker = rule.wholeWord === true ? '!' : '';
  if (rule.kind === 'regex') {
    return `/${rule.pattern.replaceAll('\n', '\\n').replaceAll('\r', '\\r')}/${marker}`;
  }
  const characters = [...rule.pattern.replace(/\r\n|\n|\r/g, ' ')];
  const last = characters.length - 1;
  const escaped = characters.map((character, index) => {
    if (character === '\\') return '\\\\';
    // `{` at the start: a file that starts with `{` is read as version 2 (shared/ruleFile.ts).
    if (index === 0 && (character === '#' || character === '/' || character === '{')) {
      return `\\${character}`;
    }
    if ((index === 0 || index === last) && character.trim() === '') return `\\${character}`;
    if (index === last && character === '!') return '\\!';
    return character;
  });
  return `${escaped.join('')}${marker}`;
}

/** A 53-bit string hash (cyrb53, public domain): short ids that practically never collide. */
function hash53(text: string): number {
  let first = 0xdeadbeef;
  let second = 0x41c6ce57;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    first = Math.imul(first ^ code, 2654435761);
    second = Math.imul(second ^ code, 1597334677);
  }
  first = Math.imul(first ^ (first >>> 16), 2246822507);
  first ^= Math.imul(second ^ (second >>> 13), 3266489909);
  second = Math.imul(second ^ (second >>> 16), 2246822507);
  second ^= Math.imul(first ^ (first >>> 13), 3266489909);
  return 4294967296 * (2097151 & second) + (first >>> 0);
}
