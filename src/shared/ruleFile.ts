/**
 * The rule file of Settings' import and export, version 2 (issue #27): word rules with their
 * action, severity, allowed terms, exempt users and scope, and automod's detector rules with their
 * parameters. A JSON object:
 *
 * ```json
 * {
 *   "format": "moddeck-rules",
 *   "version": 2,
 *   "rules": [{ "pattern": "ass", "kind": "term", "wholeWord": false, "severity": "normal",
 *               "action": "flag", "exceptions": ["assistant"], "exemptUsers": [], "scope": "text" }],
 *   "automod": [{ "id": "automod-repeats", "kind": "repeats", "params": { "count": 3 }, … }]
 * }
 * ```
 *
 * Every field of a word rule but `pattern` may be left out (its default); so may `automod` and a
 * detector rule's parameters. Version 1 is the plain-text list (wordfilter/ruleList.ts), still
 * read: a text whose first character (after blanks) is not `{` is a version 1 list, and its rules
 * take the defaults of the new fields. Word rules get ids as version 1 gives them (from the rule's
 * line), so a rule keeps its id across exports and imports of either version.
 *
 * A version 2 file is taken whole or refused whole, with one sentence saying why.
 */
import { z } from 'zod';
import { AutomodConfigError, parseAutomodConfig, type AutomodRule } from './automod/config';
import { Rule } from './model';
import { formatRuleList, parseRuleList, ruleProblem, type RuleListError } from './wordfilter';

export const RULE_FILE_FORMAT = 'moddeck-rules';
export const RULE_FILE_VERSION = 2;

/** What a file gave: its word rules (ids made), detector rules, and version 1 lines left out. */
export interface RuleFile {
  version: 1 | 2;
  rules: Rule[];
  /** Detector rules, parameters filled in; empty for a version 1 list. */
  automod: AutomodRule[];
  /** Version 1 lines that are not rules, left out (a version 2 file with one is refused). */
  errors: RuleListError[];
}

export type RuleFileResult = ({ ok: true } & RuleFile) | { ok: false; message: string };

const FileRule = Rule.omit({ id: true }).extend({ id: z.string().max(64).optional() });

const Header = z.object({ format: z.unknown().optional(), version: z.unknown() });

const FileV2 = z.object({
  format: z.literal(RULE_FILE_FORMAT).optional(),
  version: z.literal(2),
  rules: z.array(FileRule).max(10_000).default([]),
  automod: z.array(z.unknown()).max(500).default([]),
});

/** Reads a rule file of version 1 or 2; a malformed version 2 file is refused in one sentence. */
export function parseRuleFile(text: string): RuleFileResult {
  if (!text.trimStart().startsWith('{')) {
    const parsed = parseRuleList(text);
    return { ok: true, version: 1, rules: parsed.rules, automod: [], errors: parsed.errors };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : 'unreadable';
    return refuse(`it starts like a version 2 file but is not valid JSON (${detail})`);
  }
  const header = Header.safeParse(json);
  if (!header.success) return refuse('it is a JSON object without a "version"');
  if (header.data.version !== RULE_FILE_VERSION) {
    return refuse(
      `it says version ${JSON.stringify(header.data.version)}; ModDeck reads versions 1 and 2`,
    );
  }
  const file = FileV2.safeParse(json);
  if (!file.success) return refuse(describe(file.error.issues[0]));
  const rules: Rule[] = [];
  const ids = new Map<string, number>();
  for (const [index, entry] of file.data.rules.entries()) {
    const rule = withoutDefaults(entry);
    const problem = ruleProblem({ id: '', ...rule });
    if (problem) return refuse(`rules[${index}] (${JSON.stringify(rule.pattern)}): ${problem}`);
    const base = lineId(rule);
    const count = (ids.get(base) ?? 0) + 1;
    ids.set(base, count);
    rules.push({ id: count === 1 ? base : `${base}-${count}`, ...rule });
  }
  let automod: AutomodRule[];
  try {
    automod = parseAutomodConfig({ rules: file.data.automod }).rules;
  } catch (error) {
    if (!(error instanceof AutomodConfigError)) throw error;
    return refuse(`automod${error.problems[0]?.replace(/^rules/, '') ?? ''}`);
  }
  return { ok: true, version: 2, rules, automod, errors: [] };
}

/** Writes word rules and detector rules as a version 2 file, every field spelled out. */
export function formatRuleFile(rules: Rule[], automod: AutomodRule[] = []): string {
  const file = {
    format: RULE_FILE_FORMAT,
    version: RULE_FILE_VERSION,
    rules: rules.map((rule) => ({
      pattern: rule.pattern,
      kind: rule.kind ?? 'term',
      wholeWord: rule.wholeWord === true,
      severity: rule.severity ?? 'normal',
      action: rule.action ?? 'flag',
      exceptions: rule.exceptions ?? [],
      exemptUsers: rule.exemptUsers ?? [],
      scope: rule.scope ?? 'text',
    })),
    automod,
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}

function refuse(reason: string): RuleFileResult {
  return { ok: false, message: `The file cannot be imported: ${reason.replace(/\.+$/, '')}.` };
}

/** A rule as settings keep it: a field at its default is left out. */
function withoutDefaults(entry: z.infer<typeof FileRule>): Omit<Rule, 'id'> {
  const rule: Omit<Rule, 'id'> = { pattern: entry.pattern, kind: entry.kind ?? 'term' };
  if (entry.wholeWord === true) rule.wholeWord = true;
  if (entry.severity && entry.severity !== 'normal') rule.severity = entry.severity;
  if (entry.action && entry.action !== 'flag') rule.action = entry.action;
  if (entry.exceptions && entry.exceptions.length > 0) rule.exceptions = entry.exceptions;
  if (entry.exemptUsers && entry.exemptUsers.length > 0) rule.exemptUsers = entry.exemptUsers;
  if (entry.scope && entry.scope !== 'text') rule.scope = entry.scope;
  return rule;
}

/** The id version 1 gives the rule's line, so both versions agree. */
function lineId(rule: Omit<Rule, 'id'>): string {
  const bare = { pattern: rule.pattern, kind: rule.kind, wholeWord: rule.wholeWord };
  const parsed = parseRuleList(formatRuleList([{ id: '', ...bare }])).rules[0];
  return parsed?.id ?? 'r-0';
}

function describe(issue: z.core.$ZodIssue | undefined): string {
  if (!issue) return 'it is not a rule file';
  const where = issue.path
    .map((part, index) =>
      typeof part === 'number' ? `[${part}]` : index === 0 ? String(part) : `.${String(part)}`,
    )
    .join('');
  return where ? `${where}: ${issue.message}` : issue.message;
}
