/**
 * Compiles a rule list into one matcher: every term goes into a single automaton over normalised
 * text (normalize.ts, automaton.ts); regex rules run on the same normalised text with a linear-time
 * engine (linearRegex.ts). Hits are mapped back to the UTF-16 offsets of the original text.
 *
 * The work per message is bounded whatever the message and the patterns: the matcher reads at most
 * {@link MAX_SCANNED_UNITS} units of it (a longer message gets the {@link OVER_LONG_RULE_ID} flag
 * for the rest), the automaton takes one step per unit, and each regex rule gives the engine at
 * most {@link MAX_SCANNED_UNITS} + {@link MAX_REGEX_SEARCH_UNITS} units, each costing at most one
 * step per instruction of its program (linearRegex.ts `MAX_PROGRAM_SIZE`).
 */
import type { RE2JS } from 're2js';
import {
  AMBIGUOUS_IL,
  DIGIT,
  ENTRY_SINGLE,
  LEET_LETTERS,
  entryClass,
  entryKind,
  entryPayload,
  foldTable,
} from './characterTable';
import { Automaton, LAST_UNCOLLAPSED_UNIT, ScanScratch, collapseRuns } from './automaton';
import { compileRegexRule } from './linearRegex';
import { Normalizer, SPACE } from './normalize';

/**
 * The matcher reads at most this many UTF-16 units of a message, and writes at most this many
 * normalised units. Chat services cap messages at a few hundred to a few thousand characters
 * (Twitch 500, Discord 2,000, 4,000 with Nitro); anything longer in a live room is a paste or a
 * flood. docs/hostile-input.md has the measurements behind the number.
 */
export const MAX_SCANNED_UNITS = 4096;

/**
 * The rule id of the flag a message longer than {@link MAX_SCANNED_UNITS} gets, spanning the part
 * that was not read. Rules made by the app have ids `r-…`, so no rule has this one.
 */
export const OVER_LONG_RULE_ID = '#over-long';

/**
 * Units of normalised text the searches of one regex rule may read in one message, a search being
 * charged all the text after where it starts. Each search is linear, but one may read to the end
 * of the text before it settles on a short match (`x(?:.*y)?` over `xxxx…`), so finding every match
 * could take time quadratic in the text. Twice the cap: every hit of an ordinary message (20 hits
 * in 200 units are charged about 2,000), and at least two in any.
 */
export const MAX_REGEX_SEARCH_UNITS = 2 * MAX_SCANNED_UNITS;

/** One rule of a list; the same shape as the settings' `Rule` (src/shared/model.ts). */
export interface Rule {
  id: string;
  pattern: string;
  kind?: 'term' | 'regex';
  wholeWord?: boolean;
  /** How urgent a match is; the matcher ignores it, notifications read it (absent: normal). */
  severity?: 'low' | 'normal' | 'high';
  /**
   * Allowed terms that contain a match (rule `ass`, exception `assistant`): a hit inside an
   * occurrence of one of them is dropped. They are normalised and matched as terms are, in the
   * same automaton, so they cost no pass of their own.
   */
  exceptions?: string[];
}

/**
 * Allowed terms one rule may have. Each is a term of the automaton (with its variants), so a list
 * of the largest rules grows by at most this factor; a rule needs a handful.
 */
export const MAX_RULE_EXCEPTIONS = 20;

/** A hit: UTF-16 offsets into the original text, end exclusive. */
export interface Match {
  ruleId: string;
  start: number;
  end: number;
}

/** A hit as the rule editor shows it: what was typed, and what it read as. */
export interface ExplainedHit extends Match {
  /** The original slice, `text.slice(start, end)`. */
  text: string;
  /** The span in `Explanation.normalized`. */
  normalizedStart: number;
  normalizedEnd: number;
  normalizedText: string;
}

/** The normalised form of a text and each hit in it. */
export interface Explanation {
  /** The normalised form of the part that was read. */
  normalized: string;
  /** UTF-16 units of the text that were read: its length, or less for an over-long text. */
  scanned: number;
  /** Units of normalised text given to the regex engine, all rules together: the work it did. */
  regexUnits: number;
  /** Hits of the rules, without the over-long flag that `match` adds. */
  hits: ExplainedHit[];
}

/** A compiled rule list. Not safe to call from inside its own call (it reuses its buffers). */
export interface Matcher {
  /** Every hit of every rule, once per occurrence, sorted by start (then end, then rule order). */
  match(text: string): Match[];
  /** The same hits with the original and normalised slices, and the normalised text. */
  explain(text: string): Explanation;
}

/** A rule that cannot be compiled; `ruleId` names it, `reason` says why in plain words. */
export class RuleError extends Error {
  readonly ruleId: string;
  readonly reason: string;

  constructor(ruleId: string, reason: string) {
    super(`Rule "${ruleId}": ${reason}`);
    this.name = 'RuleError';
    this.ruleId = ruleId;
    this.reason = reason;
  }
}

/**
 * Compiles `rules` into a matcher. Throws {@link RuleError} for an empty pattern, a term with
 * nothing to match after normalisation, a regex that does not compile with flags `iu`, one the
 * linear engine cannot run (linearRegex.ts) or one regexSafety.ts refuses. Given `leaveOut`, a rule
 * that cannot be compiled is left out and handed to it instead, and the rest of the list runs.
 */
export function compileRules(rules: Rule[], leaveOut?: (error: RuleError) => void): Matcher {
  return new CompiledMatcher(rules, leaveOut);
}

/**
 * At most this many variants of one term in the automaton. Each `i` or `l` doubles them (a `1` or
 * `|` typed in the term triples them), so in a term with more than six, the later ones match only
 * as written.
 */
const MAX_VARIANTS = 64;
const LOWER_I = 0x69;
const LOWER_L = 0x6c;

/** One pattern in the automaton: a variant of one term. */
interface Variant {
  rule: number;
  /** Minimum run length of each collapsed symbol. */
  runs: number[];
  /** For a number term read inside a word (`x1488`): the digits the text must have had. */
  digits?: string;
  /** A variant of one of the rule's allowed terms: its occurrences excuse the rule's hits. */
  exception?: true;
}

interface RegexRule {
  rule: number;
  regex: RE2JS;
}

class CompiledMatcher implements Matcher {
  private readonly ruleIds: string[] = [];
  private readonly wholeWord: boolean[] = [];
  private readonly startsWithWord: boolean[] = [];
  private readonly endsWithWord: boolean[] = [];
  private readonly variants: Variant[] = [];
  private readonly regexRules: RegexRule[] = [];
  private readonly automaton: Automaton;
  private readonly normalizer = new Normalizer();
  private readonly scratch = new ScanScratch();
  // Hits of the current text in normalised units, before mapping and sorting: the first
  // `hitCount` entries (a counter, so that a message without hits writes nothing).
  private readonly hitRules: number[] = [];
  private readonly hitStarts: number[] = [];
  private readonly hitEnds: number[] = [];
  private hitCount = 0;
  // Occurrences of allowed terms in the current text, likewise (rule, start, end).
  private readonly exceptionRules: number[] = [];
  private readonly exceptionStarts: number[] = [];
  private readonly exceptionEnds: number[] = [];
  private exceptionCount = 0;
  private regexUnits = 0;

  constructor(rules: Rule[], leaveOut: ((error: RuleError) => void) | undefined) {
    const patterns: number[][] = [];
    const termNormalizer = new Normalizer();
    for (const rule of rules) {
      const compiled = compileRule(rule);
      if ('problem' in compiled) {
        const error = new RuleError(rule.id, compiled.problem);
        if (!leaveOut) throw error;
        leaveOut(error);
        continue;
      }
      const index = this.ruleIds.length;
      this.ruleIds.push(rule.id);
      this.wholeWord.push(rule.wholeWord === true);
      const addVariants = (term: string, exception: boolean): number[] => {
        termNormalizer.run(term);
        const units = Array.from(termNormalizer.units.subarray(0, termNormalizer.length));
        const seen = new Set<string>();
        for (const variant of termVariants(units)) {
          const { symbols, runs } = collapseRuns(variant.units);
          const key = `${symbols.join(',')}/${runs.join(',')}/${variant.digits ?? ''}`;
          if (seen.has(key)) continue;
          seen.add(key);
          patterns.push(symbols);
          this.variants.push({
            rule: index,
            runs,
            ...(variant.digits ? { digits: variant.digits } : {}),
            ...(exception ? { exception: true as const } : {}),
          });
        }
        return units;
      };
      for (const allowed of rule.exceptions ?? []) addVariants(allowed, true);
      if (compiled.regex) {
        this.regexRules.push({ rule: index, regex: compiled.regex });
        this.startsWithWord.push(true);
        this.endsWithWord.push(true);
        continue;
      }
      const units = addVariants(rule.pattern, false);
      this.startsWithWord.push(isWordUnit(units[0]!));
      this.endsWithWord.push(isWordUnit(units[units.length - 1]!));
    }
    this.automaton = new Automaton(patterns);
  }

  match(text: string): Match[] {
    this.findHits(text);
    const count = this.hitCount;
    const scanned = this.normalizer.read;
    if (count === 0) {
      return scanned < text.length
        ? [{ ruleId: OVER_LONG_RULE_ID, start: scanned, end: text.length }]
        : [];
    }
    const starts = this.normalizer.originStart;
    const ends = this.normalizer.originEnd;
    const matches: Array<Match & { order: number }> = [];
    for (let hit = 0; hit < count; hit += 1) {
      const rule = this.hitRules[hit]!;
      matches.push({
        ruleId: this.ruleIds[rule]!,
        start: starts[this.hitStarts[hit]!]!,
        end: ends[this.hitEnds[hit]! - 1]!,
        order: rule,
      });
    }
    const result = dedupe(matches).map(({ ruleId, start, end }) => ({ ruleId, start, end }));
    // Every hit starts at or before `scanned` (it may end past it, inside a character that was cut
    // short), so the list stays sorted by start.
    if (scanned < text.length) {
      result.push({ ruleId: OVER_LONG_RULE_ID, start: scanned, end: text.length });
    }
    return result;
  }

  explain(text: string): Explanation {
    this.findHits(text);
    const normalizer = this.normalizer;
    const normalized = normalizer.text();
    const explained: Array<ExplainedHit & { order: number }> = [];
    for (let hit = 0; hit < this.hitCount; hit += 1) {
      const rule = this.hitRules[hit]!;
      const normalizedStart = this.hitStarts[hit]!;
      const normalizedEnd = this.hitEnds[hit]!;
      const start = normalizer.originStart[normalizedStart]!;
      const end = normalizer.originEnd[normalizedEnd - 1]!;
      explained.push({
        ruleId: this.ruleIds[rule]!,
        start,
        end,
        text: text.slice(start, end),
        normalizedStart,
        normalizedEnd,
        normalizedText: normalized.slice(normalizedStart, normalizedEnd),
        order: rule,
      });
    }
    const hits = dedupe(explained).map(({ order: _order, ...hit }) => hit);
    return { normalized, scanned: normalizer.read, regexUnits: this.regexUnits, hits };
  }

  /** Fills `hitRules`, `hitStarts`, `hitEnds` (normalised units) for the start of `text`. */
  private findHits(text: string): void {
    this.hitCount = 0;
    this.exceptionCount = 0;
    this.regexUnits = 0;
    const normalizer = this.normalizer;
    normalizer.run(text, MAX_SCANNED_UNITS);
    const scratch = this.scratch;
    this.automaton.scan(normalizer.units, normalizer.length, scratch);
    for (let candidate = 0; candidate < scratch.candidateCount; candidate += 1) {
      this.verifyCandidate(text, candidate);
    }
    if (this.regexRules.length > 0) this.runRegexRules();
    if (this.exceptionCount > 0) this.dropExcusedHits();
  }

  /** Drops each hit that lies inside an occurrence of one of its rule's allowed terms. */
  private dropExcusedHits(): void {
    let kept = 0;
    for (let hit = 0; hit < this.hitCount; hit += 1) {
      const rule = this.hitRules[hit]!;
      const start = this.hitStarts[hit]!;
      const end = this.hitEnds[hit]!;
      let excused = false;
      for (let exception = 0; exception < this.exceptionCount && !excused; exception += 1) {
        excused =
          this.exceptionRules[exception] === rule &&
          this.exceptionStarts[exception]! <= start &&
          end <= this.exceptionEnds[exception]!;
      }
      if (excused) continue;
      this.hitRules[kept] = rule;
      this.hitStarts[kept] = start;
      this.hitEnds[kept] = end;
      kept += 1;
    }
    this.hitCount = kept;
  }

  /**
   * The automaton matched the collapsed symbols of a variant, ending with the run that starts at
   * `candidatePositions[candidate]`. Walk the runs back from there to check their lengths, then
   * word boundaries and digits, and record the span. Outside whole-word rules, a run at either
   * edge gives only the letters the term needs (`sage` in `passage` highlights `sage`, not
   * `ssage`).
   */
  private verifyCandidate(text: string, candidate: number): void {
    const scratch = this.scratch;
    const variant = this.variants[scratch.candidatePatterns[candidate]!]!;
    const units = this.normalizer.units;
    const runs = variant.runs;
    const last = runs.length - 1;
    const lastStart = scratch.candidatePositions[candidate]!;
    const lastUnit = units[lastStart]!;
    let lastEnd = lastStart + 1;
    if (lastUnit > LAST_UNCOLLAPSED_UNIT) {
      while (lastEnd < this.normalizer.length && units[lastEnd] === lastUnit) lastEnd += 1;
    }
    if (lastEnd - lastStart < runs[last]!) return;
    let firstStart = lastStart;
    let firstEnd = lastEnd;
    for (let run = last - 1; run >= 0; run -= 1) {
      const runEnd = firstStart;
      const unit = units[runEnd - 1]!;
      let runStart = runEnd - 1;
      if (unit > LAST_UNCOLLAPSED_UNIT) {
        while (runStart > 0 && units[runStart - 1] === unit) runStart -= 1;
      }
      if (runEnd - runStart < runs[run]!) return;
      firstStart = runStart;
      firstEnd = runEnd;
    }
    let start: number;
    let end: number;
    if (variant.exception) {
      // An allowed term covers all of its runs, so a hit on the letters of any of them is inside.
      this.exceptionRules[this.exceptionCount] = variant.rule;
      this.exceptionStarts[this.exceptionCount] = firstStart;
      this.exceptionEnds[this.exceptionCount] = lastEnd;
      this.exceptionCount += 1;
      return;
    }
    if (this.wholeWord[variant.rule]) {
      start = firstStart;
      end = lastEnd;
      if (!this.atWordBoundaries(variant.rule, start, end)) return;
    } else if (last === 0) {
      start = lastStart;
      end = lastStart + runs[0]!;
    } else {
      start = firstEnd - runs[0]!;
      end = lastStart + runs[last]!;
    }
    if (variant.digits !== undefined && !this.typedDigits(text, start, end, variant.digits)) return;
    this.addHit(variant.rule, start, end);
  }

  private addHit(rule: number, start: number, end: number): void {
    this.hitRules[this.hitCount] = rule;
    this.hitStarts[this.hitCount] = start;
    this.hitEnds[this.hitCount] = end;
    this.hitCount += 1;
  }

  /** For a whole-word rule: the units around the span are not word characters. */
  private atWordBoundaries(rule: number, start: number, end: number): boolean {
    const units = this.normalizer.units;
    if (this.startsWithWord[rule] && start > 0 && isWordUnit(units[start - 1]!)) return false;
    if (this.endsWithWord[rule] && end < this.normalizer.length && isWordUnit(units[end]!)) {
      return false;
    }
    return true;
  }

  /** Whether the units of the span were typed as exactly these digits. */
  private typedDigits(text: string, start: number, end: number, digits: string): boolean {
    if (end - start !== digits.length) return false;
    const table = foldTable();
    for (let offset = 0; offset < digits.length; offset += 1) {
      const origin = this.normalizer.originStart[start + offset]!;
      const value = table.lookup(text.codePointAt(origin) ?? 0);
      if (entryKind(value) !== ENTRY_SINGLE || entryClass(value) !== DIGIT) return false;
      if (entryPayload(value) !== digits.charCodeAt(offset)) return false;
    }
    return true;
  }

  private runRegexRules(): void {
    const normalized = this.normalizer.text();
    const length = normalized.length;
    for (const { rule, regex } of this.regexRules) {
      // Most messages hit no rule: a yes-or-no test runs on the engine's fastest path (a lazy DFA),
      // where finding where a match starts and ends takes its slower automata.
      this.regexUnits += length;
      if (!regex.test(normalized)) continue;
      const found = regex.matcher(normalized);
      let budget = MAX_REGEX_SEARCH_UNITS;
      // Each search starts where the last match ended; regex rules cannot match the empty text
      // (checked at compile time), so each one advances.
      let from = 0;
      while (length - from <= budget) {
        budget -= length - from;
        this.regexUnits += length - from;
        if (!found.find()) break;
        const start = found.start();
        const end = found.end();
        from = end;
        if (this.wholeWord[rule] && !this.regexAtWordBoundaries(start, end)) continue;
        this.addHit(rule, start, end);
      }
    }
  }

  private regexAtWordBoundaries(start: number, end: number): boolean {
    const units = this.normalizer.units;
    if (isWordUnit(units[start]!) && start > 0 && isWordUnit(units[start - 1]!)) return false;
    const length = this.normalizer.length;
    if (isWordUnit(units[end - 1]!) && end < length && isWordUnit(units[end]!)) return false;
    return true;
  }
}

let checkNormalizer: Normalizer | undefined;

/**
 * Why a rule cannot be compiled, or `undefined` when it can: the checks of {@link compileRules}
 * without building a matcher, for validating a rule as it is typed or imported.
 */
export function ruleProblem(rule: Rule): string | undefined {
  const compiled = compileRule(rule);
  return 'problem' in compiled ? compiled.problem : undefined;
}

/** A rule's regex program (none for a term), or why the rule cannot be compiled. */
function compileRule(rule: Rule): { regex?: RE2JS } | { problem: string } {
  if (typeof rule.pattern !== 'string' || rule.pattern.trim() === '') {
    return { problem: 'the pattern is empty' };
  }
  const kind: string = rule.kind ?? 'term';
  if (kind !== 'regex' && kind !== 'term') return { problem: `unknown kind "${kind}"` };
  const exceptions = rule.exceptions ?? [];
  if (exceptions.length > MAX_RULE_EXCEPTIONS) {
    return { problem: `a rule has at most ${MAX_RULE_EXCEPTIONS} allowed terms` };
  }
  checkNormalizer ??= new Normalizer();
  for (const allowed of exceptions) {
    checkNormalizer.run(typeof allowed === 'string' ? allowed : '');
    if (checkNormalizer.length === 0) {
      return { problem: 'an allowed term has no letters or digits to match' };
    }
  }
  if (kind === 'regex') return compileRegexRule(rule.pattern);
  checkNormalizer.run(rule.pattern);
  if (checkNormalizer.length === 0)
    return { problem: 'the term has no letters or digits to match' };
  return {};
}

/**
 * The unit sequences a term is matched as. `i`, `l` and the "i or l" unit (`1`, `|` inside a word)
 * each also match the other readings, so `kill` matches `ki11` and `k1ll`. A term made only of
 * digits also matches its leet reading inside a word (`x1488`), provided the text had exactly those
 * digits there: `bb` typed as letters does not match the rule `88`. A phrase (a term with spaces)
 * also matches with its words run together (`shutup`, `s h u t u p`), which is how people write
 * it to dodge a list.
 */
function termVariants(units: number[]): Array<{ units: number[]; digits?: string }> {
  let variants: number[][] = [[]];
  for (const unit of units) {
    const readings =
      unit === LOWER_I
        ? [LOWER_I, AMBIGUOUS_IL]
        : unit === LOWER_L
          ? [LOWER_L, AMBIGUOUS_IL]
          : unit === AMBIGUOUS_IL
            ? [AMBIGUOUS_IL, LOWER_I, LOWER_L]
            : [unit];
    const expand = variants.length * readings.length <= MAX_VARIANTS ? readings : [unit];
    variants = variants.flatMap((prefix) => expand.map((reading) => [...prefix, reading]));
  }
  if (units.includes(SPACE)) {
    const joined = variants.map((variant) => variant.filter((unit) => unit !== SPACE));
    variants = [...variants, ...joined.slice(0, Math.max(1, MAX_VARIANTS - variants.length))];
  }
  const result: Array<{ units: number[]; digits?: string }> = variants.map((variant) => ({
    units: variant,
  }));
  const isNumber = units.every((unit) => unit >= 0x30 && unit <= 0x39);
  if (isNumber) {
    const digits = String.fromCharCode(...units);
    const inWord = units.map((unit) => LEET_LETTERS[String.fromCharCode(unit)] ?? unit);
    if (inWord.some((unit, index) => unit !== units[index])) result.push({ units: inWord, digits });
  }
  return result;
}

const WORD_CHARACTER = /^[\p{L}\p{N}]$/u;
// Scripts that attach particles to words or use no spaces: a Latin term next to them is still a
// whole word, and whole-word checks are not applied at the edges of terms in them.
const UNSPACED_SCRIPT =
  /^[\p{sc=Hangul}\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Thai}\p{sc=Lao}\p{sc=Khmer}\p{sc=Myanmar}]$/u;
const wordUnitCache = new Uint8Array(0x10000);

/** Whether a normalised unit is part of a word, for whole-word rules. */
function isWordUnit(unit: number): boolean {
  const known = wordUnitCache[unit]!;
  if (known !== 0) return known === 2;
  const character = String.fromCharCode(unit);
  const word =
    unit === AMBIGUOUS_IL ||
    (unit >= 0xd800 && unit <= 0xdfff) ||
    (WORD_CHARACTER.test(character) && !UNSPACED_SCRIPT.test(character));
  wordUnitCache[unit] = word ? 2 : 1;
  return word;
}

/**
 * Sorts hits by start, end and rule order, and keeps one hit per rule and end: two variants of a
 * term ending at the same place are the same occurrence (the longer one is kept).
 */
function dedupe<T extends Match & { order: number }>(hits: T[]): T[] {
  hits.sort((a, b) => a.start - b.start || a.end - b.end || a.order - b.order);
  const seen = new Set<string>();
  return hits.filter((hit) => {
    const key = `${hit.order}:${hit.end}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
