/**
 * The wordfilter benchmark's hostile part: regex rules on the linear engine the matcher uses
 * (re2js, with the matcher's cap on what it reads) against the alternative of a budget per message
 * on JavaScript's own engine, on the normal corpus and on 100 KB messages made to hurt each regex
 * shape. docs/hostile-input.md reads these numbers.
 *
 * The budget (b) is what JavaScript's engine allows: an `exec` cannot be interrupted, so the budget
 * bounds the text each `exec` sees. (b1) runs on the capped text only; (b2) also cuts it into
 * windows of {@link WINDOW_UNITS} units (each seeing {@link WINDOW_OVERLAP_UNITS} more, so matches
 * up to that long are still found whole). Its guarantee is only as good as a static check of the
 * pattern: a window bounds a quadratic pattern's work, not an exponential one's.
 */
import { RE2JS } from 're2js';
import {
  MAX_SCANNED_UNITS,
  OVER_LONG_RULE_ID,
  compileRules,
  type Rule,
} from '../../src/shared/wordfilter';
import { Normalizer } from '../../src/shared/wordfilter/normalize';
import type { BenchContext, BenchResult } from './types';

const WINDOW_UNITS = 256;
const WINDOW_OVERLAP_UNITS = 64;
const HOSTILE_LENGTH = 100_000;

/** A realistic handful of regex rules beside the corpus's terms: links, numbers, scams. */
export const REGEX_RULES: Rule[] = [
  { id: 'link', pattern: 'https?://\\S+', kind: 'regex' },
  { id: 'invite', pattern: '(?:discord\\.gg|t\\.me)/\\w+', kind: 'regex' },
  { id: 'phone', pattern: '\\d{3}[- .]?\\d{3,4}[- .]?\\d{4}', kind: 'regex' },
  { id: 'scam', pattern: '(?:free|cheap)\\s*(?:nitro|robux|v-?bucks)', kind: 'regex' },
  { id: 'kys', pattern: '\\bk+[yi]+s+\\b', kind: 'regex' },
];

interface Shape {
  pattern: string;
  /** Repeated to make the hostile text: a prefix of a match, so every position starts one. */
  unit: string;
  /** Whether a backtracking engine's time grows faster than the square of the text. */
  explosive?: boolean;
}

const SHAPES: Shape[] = [
  { pattern: '[a-z]+ing', unit: 'a' },
  { pattern: '.*bad.*', unit: 'x' },
  { pattern: '\\w+\\s+\\w+', unit: 'a' },
  { pattern: '\\s+foo\\s+bar\\s+baz', unit: ' foo' },
  { pattern: '[^\\s]+@[^\\s]+', unit: 'a' },
  { pattern: '\\bkys\\b', unit: 'kys ' },
  { pattern: '(?:foo|bar)+', unit: 'foo' },
  { pattern: 'https?://\\S+', unit: 'http://' },
  { pattern: 'x(?:.*y)?', unit: 'x' },
  { pattern: '\\w{95}', unit: 'a' },
  { pattern: '\\p{Script=Hangul}+', unit: '시' },
  { pattern: '.*a.*b.*c', unit: 'ab', explosive: true },
  { pattern: '(a|ab)+c', unit: 'ab', explosive: true },
  { pattern: '(a+)+$', unit: 'a', explosive: true },
];

function cpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/** CPU milliseconds per call of `work`, the best of `rounds` rounds of `calls` calls. */
function msPerCall(rounds: number, calls: number, work: () => number): number {
  let best = Number.POSITIVE_INFINITY;
  let sink = 0;
  for (let round = 0; round < rounds; round += 1) {
    const started = cpuMs();
    for (let call = 0; call < calls; call += 1) sink += work();
    best = Math.min(best, (cpuMs() - started) / calls);
  }
  if (sink < 0) throw new Error('unreachable: keeps the work from being optimised away');
  return best;
}

/** Hits of a native regex over `text`, each `exec` seeing at most one window and its overlap. */
function windowedHits(regex: RegExp, text: string): number {
  let hits = 0;
  for (let start = 0; start < text.length; start += WINDOW_UNITS) {
    const window = text.slice(start, start + WINDOW_UNITS + WINDOW_OVERLAP_UNITS);
    regex.lastIndex = 0;
    for (let found = regex.exec(window); found && found.index < WINDOW_UNITS;) {
      hits += 1;
      found = regex.exec(window);
    }
  }
  return hits;
}

function nativeHits(regex: RegExp, text: string): number {
  let hits = 0;
  regex.lastIndex = 0;
  while (regex.exec(text)) hits += 1;
  return hits;
}

function hostile(unit: string, length: number): string {
  return unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
}

/** The normalised form of each message, read up to `limit`, as the regex rules see it. */
function normalizedTexts(messages: string[], limit = MAX_SCANNED_UNITS): string[] {
  const normalizer = new Normalizer();
  return messages.map((text) => {
    normalizer.run(text, limit);
    return normalizer.text();
  });
}

/** Normal-corpus throughput with the handful of regex rules, engine against engine. */
export function regexCorpusSection(
  context: BenchContext,
  messages: string[],
  terms: Rule[],
  rounds: number,
): BenchResult[] {
  const withRegexes = compileRules([...terms, ...REGEX_RULES]);
  for (const text of messages.slice(0, 5_000)) withRegexes.match(text);
  const calls = messages.length;
  let next = 0;
  const nextMessage = () => messages[next++ % calls]!;
  const ours = 1000 / msPerCall(rounds, calls, () => withRegexes.match(nextMessage()).length);

  // The regex rules alone, on texts already normalised: the linear engine as the matcher runs it
  // (a yes-or-no test, then searches where it said yes), against JavaScript's engine.
  const normalized = normalizedTexts(messages);
  const linear = compileRules(REGEX_RULES);
  const regexOnly = (run: (text: string) => number) =>
    1000 / msPerCall(rounds, calls, () => run(normalized[next++ % calls]!));
  const linearRate = regexOnly((text) => linear.match(text).length);
  const natives = REGEX_RULES.map((rule) => new RegExp(rule.pattern, 'giu'));
  const nativeRate = regexOnly((text) =>
    natives.reduce((sum, regex) => sum + nativeHits(regex, text), 0),
  );
  // Why lookbehinds are refused: re2js runs them only on its NFA, for every message.
  const rate = (regex: RE2JS) => regexOnly((text) => (regex.test(text) ? 1 : 0));
  const boundary = rate(RE2JS.compile('\\bkys', RE2JS.CASE_INSENSITIVE));
  const lookbehind = rate(RE2JS.compile('(?<!\\w)kys', RE2JS.CASE_INSENSITIVE | RE2JS.LOOKBEHINDS));
  context.log(
    `    one rule alone, tested: \\bkys ${Math.round(boundary)}, (?<!\\w)kys with re2js's ` +
      `lookbehinds ${Math.round(lookbehind)} messages per CPU-second`,
  );
  context.log(
    `(d) ${terms.length} terms + ${REGEX_RULES.length} regex rules: ${Math.round(ours)} ` +
      'messages per CPU-second; the regex rules alone on normalised text: linear engine ' +
      `${Math.round(linearRate)}, JavaScript's engine ${Math.round(nativeRate)} ` +
      'messages per CPU-second',
  );
  return [
    {
      metric: `messages per CPU-second, ${REGEX_RULES.length} regex rules beside the terms (this matcher)`,
      value: ours,
      unit: 'msg/s',
    },
    {
      metric: `${REGEX_RULES.length} regex rules alone: linear engine vs JavaScript's engine`,
      value: linearRate,
      unit: 'msg/s',
      reference: { metric: "JavaScript's engine", value: nativeRate },
      ratio: linearRate / nativeRate,
    },
    {
      metric: 'one rule alone, tested: \\bkys vs (?<!\\w)kys with lookbehinds (refused)',
      value: boundary,
      unit: 'msg/s',
      reference: { metric: '(?<!\\w)kys', value: lookbehind },
      ratio: boundary / lookbehind,
    },
  ];
}

/** Messages for the alternate and display-order readings of the word filter, repeated to 100 KB. */
const READING_SHAPES: Array<{ name: string; unit: string }> = [
  { name: 'masked words (b*tch)', unit: 'b*tch ' },
  { name: 'symbols between letters (d|u|m|b)', unit: 'd|u|m|b ' },
  { name: 'nested overrides (RLO LRO a)', unit: '\u202e\u202da' },
  { name: 'nested isolates (RLI a)', unit: '\u2067a' },
  { name: 'masked words under an override', unit: '\u202eb*tch d|u|m|b ' },
];

/**
 * 100 KB hostile messages against each regex shape: this matcher against the budget, and, for
 * scale, JavaScript's engine on a whole 10 KB message (the filter as it was; 100 KB takes seconds).
 */
export function hostileSection(context: BenchContext): BenchResult[] {
  const rounds = context.smoke ? 1 : 5;
  const calls = context.smoke ? 1 : 10;
  const results: BenchResult[] = [];
  let worst = 0;
  for (const shape of SHAPES) {
    const text = hostile(shape.unit, HOSTILE_LENGTH);
    const matcher = compileRules([{ id: 'rule', pattern: shape.pattern, kind: 'regex' }]);
    const hits = matcher.match(text).filter((match) => match.ruleId !== OVER_LONG_RULE_ID).length;
    const ours = msPerCall(rounds, calls, () => matcher.match(text).length);
    worst = Math.max(worst, ours);
    const metric = `100 KB message vs ${shape.pattern}: CPU ms`;
    if (shape.explosive) {
      context.log(
        `${JSON.stringify(shape.pattern)}: ${ours.toFixed(3)} ms (${hits} hits); the budget ` +
          "cannot run it: JavaScript's engine explodes within one window",
      );
      results.push({ metric: `${metric} (this matcher)`, value: ours, unit: 'ms' });
      continue;
    }
    const regex = new RegExp(shape.pattern, 'giu');
    const capped = normalizedTexts([text])[0]!;
    const cappedMs = msPerCall(rounds, calls, () => nativeHits(regex, capped));
    const windowedMs = msPerCall(rounds, calls, () => windowedHits(regex, capped));
    let line =
      `${JSON.stringify(shape.pattern)}: ${ours.toFixed(3)} ms (${hits} hits); budget (b1) ` +
      `capped ${cappedMs.toFixed(3)} ms, (b2) windows ${windowedMs.toFixed(3)} ms`;
    if (!context.smoke) {
      const whole = normalizedTexts([hostile(shape.unit, 10_000)], 10_000)[0]!;
      line += `; whole 10 KB text ${msPerCall(1, 1, () => nativeHits(regex, whole)).toFixed(1)} ms`;
    }
    context.log(line);
    results.push({
      metric: `${metric}, this matcher vs budget (b2)`,
      value: ours,
      unit: 'ms',
      reference: { metric: 'budget (b2)', value: windowedMs },
      ratio: ours / windowedMs,
    });
  }
  // The readings beyond the text as stored (matcher.ts): the alternate one, with masks and
  // separating symbols, and display order under nested overrides and isolates.
  const readings = compileRules(
    ['bitch', 'dumb', 'idiot', 'shut up'].map((pattern, index) => ({ id: `r${index}`, pattern })),
  );
  for (const shape of READING_SHAPES) {
    const text = hostile(shape.unit, HOSTILE_LENGTH);
    const hits = readings.match(text).filter((match) => match.ruleId !== OVER_LONG_RULE_ID).length;
    const ours = msPerCall(rounds, calls, () => readings.match(text).length);
    worst = Math.max(worst, ours);
    context.log(`${shape.name}: ${ours.toFixed(3)} ms (${hits} hits)`);
    results.push({
      metric: `100 KB message, ${shape.name}: CPU ms (this matcher)`,
      value: ours,
      unit: 'ms',
    });
  }
  results.push({
    metric: '100 KB hostile message, the worst shape: CPU ms (this matcher)',
    value: worst,
    unit: 'ms',
  });
  return results;
}
