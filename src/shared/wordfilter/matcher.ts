/**
 * Compiles a rule list into one matcher: every term goes into a single automaton over normalised
 * text (normalize.ts, automaton.ts); regex rules run on the same normalised text with a linear-time
 * engine (linearRegex.ts). Hits are mapped back to the UTF-16 offsets of the original text.
 *
 * A text may have up to three readings, and a hit in any of them counts:
 * - as stored (always), the only one regex rules read;
 * - the alternate reading (normalize.ts), only for a text with a masking symbol between letters or
 *   `!`/`|` alternating with single letters. Terms are matched in it as usual and, through a
 *   second automaton built on first need, with masked letters: a term of n letters accepts up to
 *   ⌊n/3⌋ (at most {@link MAX_MASKED_LETTERS}) masks, never its first or last letter and never two
 *   side by side, so each mask has a real letter on either side (`b*tch`, `cr€tin`, `id😡ot`).
 *   Masks are placed in the term as written; leetspeak is read in the text around them (`$h*t`).
 *   A hit says which symbols stood for which letters (`Match.masked`), so a moderator can judge.
 * - in display order, only for a text whose bidirectional controls reorder it: `U+202E toidi`
 *   shows as `idiot`. The hit's span runs from the first to the last character shown in it.
 *
 * Whole-word rules treat the apostrophe of an English contraction or possessive as a word edge
 * that a hit may end at but not cross (`she'll`, `he'll`, `I'll` are not `hell` or `ill`;
 * `idiot's` holds the word `idiot`), while apostrophes used to split a word (`h'e'l'l`) are dropped
 * as before.
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
import { MASKED_LETTER, Normalizer, SPACE } from './normalize';

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

/** The longest pattern settings keep (a regex is held to less, `MAX_REGEX_LENGTH`). */
export const MAX_RULE_PATTERN = 500;

/** A hit: UTF-16 offsets into the original text, end exclusive. */
export interface Match {
  ruleId: string;
  start: number;
  end: number;
  /** Symbols that stood for letters of the term (`b*tch`: `*` for `i`), in order; absent if none. */
  masked?: MaskedLetter[];
}

/** A symbol in the text that stands for a letter of the term. */
export interface MaskedLetter {
  /** UTF-16 offsets of the symbol in the original text, end exclusive. */
  start: number;
  end: number;
  /** The letter of the term it stands for, as the term reads once normalised. */
  letter: string;
}

/** A hit as the rule editor shows it: what was typed, and what it read as. */
export interface ExplainedHit extends Match {
  /** The original slice, `text.slice(start, end)`. */
  text: string;
  /**
   * The span in `Explanation.normalized`, or, for a hit of another reading, in that reading
   * (`Explanation.alternate`, `Explanation.displayed`).
   */
  normalizedStart: number;
  normalizedEnd: number;
  normalizedText: string;
  /** Which reading of the text the hit was found in; absent: the text as stored, normalised. */
  reading?: 'alternate' | 'displayed';
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
  /** The alternate reading (masked letters as `*`), when a hit was found in it. */
  alternate?: string;
  /** The normalised text in display order, when a hit was found in it. */
  displayed?: string;
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
const LOWER_V = 0x76;
const LOWER_W = 0x77;

/** One pattern in the automaton: a variant of one term. */
interface Variant {
  rule: number;
  /** Minimum run length of each collapsed symbol. */
  runs: number[];
  /** For a number term read inside a word (`x1488`): the digits the text must have had. */
  digits?: string;
  /** A variant of one of the rule's allowed terms: its occurrences excuse the rule's hits. */
  exception?: true;
  /** For a variant with masked letters: the letters of the term they stand for, in order. */
  masked?: string[];
}

interface RegexRule {
  rule: number;
  regex: RE2JS;
}

/** The readings of a text hits are found in (see the module comment of normalize.ts). */
const READING_STORED = 0;
const READING_ALTERNATE = 1;
const READING_DISPLAYED = 2;

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
  // Variants with masked letters, in an automaton of their own that only the alternate reading
  // of a text with masks meets: built on first need, so lists and texts without masks pay nothing.
  private readonly maskableTerms: Array<{ rule: number; units: number[]; exception: boolean }> = [];
  private readonly maskVariants: Variant[] = [];
  private maskAutomaton: Automaton | undefined;
  private alternateNormalizer: Normalizer | undefined;
  private displayNormalizer: Normalizer | undefined;
  /** For the displayed reading: the offset in the original text of each unit of `displayText`. */
  private displayOrigin: Int32Array = new Int32Array(0);
  // Hits of the current text in normalised units of their reading, before mapping and sorting:
  // the first `hitCount` entries (a counter, so that a message without hits writes nothing).
  private readonly hitRules: number[] = [];
  private readonly hitStarts: number[] = [];
  private readonly hitEnds: number[] = [];
  private readonly hitReadings: number[] = [];
  private readonly hitMasked: Array<MaskedLetter[] | undefined> = [];
  private hitCount = 0;
  // Occurrences of allowed terms in the reading being searched, likewise (rule, start, end).
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
        this.maskableTerms.push({ rule: index, units, exception });
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
    const matches: Array<Match & { order: number; from: number }> = [];
    for (let hit = 0; hit < count; hit += 1) {
      const rule = this.hitRules[hit]!;
      const [start, end] = this.originalSpan(hit);
      const masked = this.hitMasked[hit];
      matches.push({
        ruleId: this.ruleIds[rule]!,
        start,
        end,
        ...(masked ? { masked } : {}),
        order: rule,
        from: this.hitReadings[hit]!,
      });
    }
    const result: Match[] = dedupe(matches).map(
      ({ order: _order, from: _from, ...match }) => match,
    );
    // Every hit starts at or before `scanned` (it may end past it, inside a character that was cut
    // short), so the list stays sorted by start.
    if (scanned < text.length) {
      result.push({ ruleId: OVER_LONG_RULE_ID, start: scanned, end: text.length });
    }
    return result;
  }

  explain(text: string): Explanation {
    this.findHits(text);
    const normalized = this.normalizer.text();
    const texts = [normalized, '', ''];
    const explained: Array<ExplainedHit & { order: number; from: number }> = [];
    for (let hit = 0; hit < this.hitCount; hit += 1) {
      const rule = this.hitRules[hit]!;
      const reading = this.hitReadings[hit]!;
      if (texts[reading] === '') texts[reading] = this.readingNormalizer(reading).text();
      const normalizedStart = this.hitStarts[hit]!;
      const normalizedEnd = this.hitEnds[hit]!;
      const [start, end] = this.originalSpan(hit);
      const masked = this.hitMasked[hit];
      explained.push({
        ruleId: this.ruleIds[rule]!,
        start,
        end,
        ...(masked ? { masked } : {}),
        text: text.slice(start, end),
        normalizedStart,
        normalizedEnd,
        normalizedText: texts[reading]!.slice(normalizedStart, normalizedEnd),
        ...(reading === READING_ALTERNATE ? { reading: 'alternate' as const } : {}),
        ...(reading === READING_DISPLAYED ? { reading: 'displayed' as const } : {}),
        order: rule,
        from: reading,
      });
    }
    const hits = dedupe(explained).map(({ order: _order, from: _from, ...hit }) => hit);
    const explanation: Explanation = {
      normalized,
      scanned: this.normalizer.read,
      regexUnits: this.regexUnits,
      hits,
    };
    if (hits.some((hit) => hit.reading === 'alternate')) explanation.alternate = texts[1];
    if (hits.some((hit) => hit.reading === 'displayed')) explanation.displayed = texts[2];
    return explanation;
  }

  private readingNormalizer(reading: number): Normalizer {
    if (reading === READING_ALTERNATE) return this.alternateNormalizer!;
    if (reading === READING_DISPLAYED) return this.displayNormalizer!;
    return this.normalizer;
  }

  /** The UTF-16 span in the original text of hit number `hit`. */
  private originalSpan(hit: number): [number, number] {
    const normalizer = this.readingNormalizer(this.hitReadings[hit]!);
    const start = normalizer.originStart[this.hitStarts[hit]!]!;
    const end = normalizer.originEnd[this.hitEnds[hit]! - 1]!;
    if (this.hitReadings[hit] !== READING_DISPLAYED) return [start, end];
    return displayedSpan(this.displayOrigin, start, end);
  }

  /**
   * Fills the hits for the start of `text`: in the text as stored; in its alternate reading when
   * it has masking symbols or separating `!`/`|`; in display order when bidirectional controls
   * reorder it.
   */
  private findHits(text: string): void {
    this.hitCount = 0;
    this.regexUnits = 0;
    const normalizer = this.normalizer;
    normalizer.run(text, MAX_SCANNED_UNITS);
    this.searchReading(text, normalizer, READING_STORED);
    if (normalizer.wantsAlternate) {
      this.alternateNormalizer ??= new Normalizer(foldTable(), true);
      this.alternateNormalizer.run(text, MAX_SCANNED_UNITS);
      this.searchReading(text, this.alternateNormalizer, READING_ALTERNATE);
    }
    if (normalizer.hasBidiControls) {
      const order = displayOrder(text.slice(0, normalizer.read));
      if (order !== null) {
        this.displayOrigin = order.origin;
        this.displayNormalizer ??= new Normalizer();
        this.displayNormalizer.run(order.text, MAX_SCANNED_UNITS);
        this.searchReading(order.text, this.displayNormalizer, READING_DISPLAYED);
      }
    }
  }

  /** Finds the hits of one reading of the text; `text` is what `normalizer` last read. */
  private searchReading(text: string, normalizer: Normalizer, reading: number): void {
    const firstHit = this.hitCount;
    this.exceptionCount = 0;
    const scratch = this.scratch;
    this.automaton.scan(normalizer.units, normalizer.length, scratch);
    for (let candidate = 0; candidate < scratch.candidateCount; candidate += 1) {
      this.verifyCandidate(text, candidate, this.variants, normalizer, reading);
    }
    if (
      reading === READING_ALTERNATE &&
      normalizer.units.subarray(0, normalizer.length).includes(MASKED_LETTER)
    ) {
      const automaton = this.buildMaskAutomaton();
      if (this.maskVariants.length > 0) {
        automaton.scan(normalizer.units, normalizer.length, scratch);
        for (let candidate = 0; candidate < scratch.candidateCount; candidate += 1) {
          this.verifyCandidate(text, candidate, this.maskVariants, normalizer, reading);
        }
      }
    }
    // Regex rules read the text as stored: they say themselves what they accept.
    if (reading === READING_STORED && this.regexRules.length > 0) this.runRegexRules(text);
    if (this.exceptionCount > 0) this.dropExcusedHits(firstHit);
  }

  /**
   * The automaton of the variants with masked letters, built the first time a text has a mask
   * (about 0.3 s for the 1,000 terms of the benchmark; most lists and most rooms never need it).
   * Masks are placed in each term as written, and in a phrase with its words run together: not in
   * its `i`/`l` and `vv` variants, whose combinations would multiply the count.
   */
  private buildMaskAutomaton(): Automaton {
    if (this.maskAutomaton) return this.maskAutomaton;
    const patterns: number[][] = [];
    const seen = new Set<string>();
    for (const { rule, units, exception } of this.maskableTerms) {
      const forms = units.includes(SPACE)
        ? [units, units.filter((unit) => unit !== SPACE)]
        : [units];
      for (const form of forms) {
        for (const masked of maskedVariants(form)) {
          const { symbols, runs } = collapseRuns(masked.units);
          const key = `${rule}/${exception}/${symbols.join(',')}/${runs.join(',')}`;
          if (seen.has(key)) continue;
          seen.add(key);
          patterns.push(symbols);
          this.maskVariants.push({
            rule,
            runs,
            masked: masked.letters,
            ...(exception ? { exception: true as const } : {}),
          });
        }
      }
    }
    this.maskAutomaton = new Automaton(patterns, MASK_DENSE_BUDGET);
    return this.maskAutomaton;
  }

  /** Drops each hit from `firstHit` on that lies inside an occurrence of its rule's allowed terms. */
  private dropExcusedHits(firstHit: number): void {
    let kept = firstHit;
    for (let hit = firstHit; hit < this.hitCount; hit += 1) {
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
      this.hitReadings[kept] = this.hitReadings[hit]!;
      this.hitMasked[kept] = this.hitMasked[hit];
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
  private verifyCandidate(
    text: string,
    candidate: number,
    variants: Variant[],
    normalizer: Normalizer,
    reading: number,
  ): void {
    const scratch = this.scratch;
    const variant = variants[scratch.candidatePatterns[candidate]!]!;
    const units = normalizer.units;
    const runs = variant.runs;
    const last = runs.length - 1;
    const lastStart = scratch.candidatePositions[candidate]!;
    const lastUnit = units[lastStart]!;
    let lastEnd = lastStart + 1;
    if (lastUnit > LAST_UNCOLLAPSED_UNIT) {
      while (lastEnd < normalizer.length && units[lastEnd] === lastUnit) lastEnd += 1;
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
      if (!this.atWordBoundaries(variant.rule, text, normalizer, start, end)) return;
    } else if (last === 0) {
      start = lastStart;
      end = lastStart + runs[0]!;
    } else {
      start = firstEnd - runs[0]!;
      end = lastStart + runs[last]!;
    }
    if (
      variant.digits !== undefined &&
      !typedDigits(text, normalizer, start, end, variant.digits)
    ) {
      return;
    }
    this.addHit(variant.rule, start, end, reading);
    if (variant.masked)
      this.hitMasked[this.hitCount - 1] = maskedLetters(variant, normalizer, start, end);
  }

  private addHit(rule: number, start: number, end: number, reading: number): void {
    this.hitRules[this.hitCount] = rule;
    this.hitStarts[this.hitCount] = start;
    this.hitEnds[this.hitCount] = end;
    this.hitReadings[this.hitCount] = reading;
    this.hitMasked[this.hitCount] = undefined;
    this.hitCount += 1;
  }

  /**
   * For a whole-word rule: the units around the span are not word characters, or are the other
   * side of a contraction's apostrophe (`idiot's`); and the span does not cross one (`he'll` is
   * not the word `hell`).
   */
  private atWordBoundaries(
    rule: number,
    text: string,
    normalizer: Normalizer,
    start: number,
    end: number,
  ): boolean {
    const units = normalizer.units;
    if (
      this.startsWithWord[rule] &&
      start > 0 &&
      isWordUnit(units[start - 1]!) &&
      !contractionAt(text, normalizer, start)
    ) {
      return false;
    }
    if (
      this.endsWithWord[rule] &&
      end < normalizer.length &&
      isWordUnit(units[end]!) &&
      !contractionAt(text, normalizer, end)
    ) {
      return false;
    }
    for (let position = start + 1; position < end; position += 1) {
      if (contractionAt(text, normalizer, position)) return false;
    }
    return true;
  }

  private runRegexRules(text: string): void {
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
        if (this.wholeWord[rule] && !this.regexAtWordBoundaries(text, start, end)) continue;
        this.addHit(rule, start, end, READING_STORED);
      }
    }
  }

  private regexAtWordBoundaries(text: string, start: number, end: number): boolean {
    const normalizer = this.normalizer;
    const units = normalizer.units;
    if (
      isWordUnit(units[start]!) &&
      start > 0 &&
      isWordUnit(units[start - 1]!) &&
      !contractionAt(text, normalizer, start)
    ) {
      return false;
    }
    const length = normalizer.length;
    if (
      isWordUnit(units[end - 1]!) &&
      end < length &&
      isWordUnit(units[end]!) &&
      !contractionAt(text, normalizer, end)
    ) {
      return false;
    }
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
  // Settings refuse a longer one whole; an import says which line it is instead.
  if (rule.pattern.length > MAX_RULE_PATTERN) {
    return { problem: `a term is at most ${MAX_RULE_PATTERN} characters` };
  }
  checkNormalizer.run(rule.pattern);
  if (checkNormalizer.length === 0)
    return { problem: 'the term has no letters or digits to match' };
  return {};
}

/**
 * The unit sequences a term is matched as. `i`, `l` and the "i or l" unit (`1`, `|` inside a word)
 * each also match the other readings, so `kill` matches `ki11` and `k1ll`; `w` also matches `vv`
 * (`vvanker`). A term made only of digits also matches its leet reading inside a word (`x1488`),
 * provided the text had exactly those digits there: `bb` typed as letters does not match the rule
 * `88`. A phrase (a term with spaces) also matches with its words run together (`shutup`,
 * `s h u t u p`), which is how people write it to dodge a list.
 */
function termVariants(units: number[]): Array<{ units: number[]; digits?: string }> {
  let variants: number[][] = [[]];
  for (const unit of units) {
    const readings =
      unit === LOWER_I
        ? [[LOWER_I], [AMBIGUOUS_IL]]
        : unit === LOWER_L
          ? [[LOWER_L], [AMBIGUOUS_IL]]
          : unit === AMBIGUOUS_IL
            ? [[AMBIGUOUS_IL], [LOWER_I], [LOWER_L]]
            : unit === LOWER_W
              ? [[LOWER_W], [LOWER_V, LOWER_V]]
              : [[unit]];
    const expand = variants.length * readings.length <= MAX_VARIANTS ? readings : [[unit]];
    variants = variants.flatMap((prefix) => expand.map((reading) => [...prefix, ...reading]));
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

/**
 * A term of n letters accepts at most ⌊n/3⌋ masked letters, and never more than this: with more,
 * a mask is closer to a wildcard than to a hidden letter, and the variants of long terms multiply.
 */
const MAX_MASKED_LETTERS = 2;
/**
 * Dense transition entries for the automaton of masked variants. It reads only the alternate
 * reading of texts with masks, so it favours a quick build over the fastest step: most of its
 * symbols take the sparse goto table (automaton.ts).
 */
const MASK_DENSE_BUDGET = 1 << 16;
/** Variants with masked letters of one variant of a term, at most. */
const MAX_MASKED_VARIANTS = 32;

/**
 * The variants of a term's units with masked letters: up to ⌊n/3⌋ letters (n letters in the term)
 * replaced by the mask unit, each with a real letter on either side in the term, so never the
 * first or last letter of a word and never two masks side by side (`b*tch`, `cr€tin`; not `*itch`,
 * `f**k` for a four-letter term). Only letters of spaced scripts are masked: Korean has its own
 * treatment of symbols between syllables (normalize.ts).
 */
function maskedVariants(units: number[]): Array<{ units: number[]; letters: string[] }> {
  const letterCount = units.filter(isMaskableLetter).length;
  const most = Math.min(MAX_MASKED_LETTERS, Math.floor(letterCount / 3));
  if (most === 0) return [];
  const positions: number[] = [];
  for (let index = 1; index < units.length - 1; index += 1) {
    if (
      isMaskableLetter(units[index - 1]!) &&
      isMaskableLetter(units[index]!) &&
      isMaskableLetter(units[index + 1]!)
    ) {
      positions.push(index);
    }
  }
  const result: Array<{ units: number[]; letters: string[] }> = [];
  const choose = (from: number, chosen: number[]) => {
    for (let at = from; at < positions.length; at += 1) {
      if (result.length >= MAX_MASKED_VARIANTS) return;
      const position = positions[at]!;
      if (chosen.length > 0 && position - chosen[chosen.length - 1]! < 2) continue;
      const next = [...chosen, position];
      const masked = [...units];
      for (const index of next) masked[index] = MASKED_LETTER;
      result.push({ units: masked, letters: next.map((index) => letterOf(units[index]!)) });
      if (next.length < most) choose(at + 1, next);
    }
  };
  choose(0, []);
  return result;
}

function isMaskableLetter(unit: number): boolean {
  return unit > LAST_UNCOLLAPSED_UNIT && isWordUnit(unit);
}

/** A normalised unit as a moderator reads it. */
function letterOf(unit: number): string {
  return unit === AMBIGUOUS_IL ? '1' : String.fromCharCode(unit);
}

/** The masked letters of a hit of a variant with masks: each mask unit of the span, in order. */
function maskedLetters(
  variant: Variant,
  normalizer: Normalizer,
  start: number,
  end: number,
): MaskedLetter[] {
  const result: MaskedLetter[] = [];
  const letters = variant.masked ?? [];
  for (let unit = start; unit < end; unit += 1) {
    if (normalizer.units[unit] !== MASKED_LETTER) continue;
    result.push({
      start: normalizer.originStart[unit]!,
      end: normalizer.originEnd[unit]!,
      letter: letters[result.length] ?? '',
    });
  }
  return result;
}

/** Whether the units of the span were typed as exactly these digits. */
function typedDigits(
  text: string,
  normalizer: Normalizer,
  start: number,
  end: number,
  digits: string,
): boolean {
  if (end - start !== digits.length) return false;
  const table = foldTable();
  for (let offset = 0; offset < digits.length; offset += 1) {
    const origin = normalizer.originStart[start + offset]!;
    const value = table.lookup(text.codePointAt(origin) ?? 0);
    if (entryKind(value) !== ENTRY_SINGLE || entryClass(value) !== DIGIT) return false;
    if (entryPayload(value) !== digits.charCodeAt(offset)) return false;
  }
  return true;
}

const APOSTROPHE = /['\u2018\u2019\u02bc]/;
/** What follows the apostrophe of an English contraction or possessive (`she'll`, `idiot's`). */
const CONTRACTION_ENDINGS = new Set(['s', 'd', 'm', 'll', 're', 've']);
/** Words before `'t` (`can't`, `don't`): only these, so that `cun't` stays an evasion. */
const NEGATED_STEMS = new Set([
  'ain',
  'aren',
  'can',
  'couldn',
  'didn',
  'doesn',
  'don',
  'hadn',
  'hasn',
  'haven',
  'isn',
  'mightn',
  'mustn',
  'needn',
  'shan',
  'shouldn',
  'wasn',
  'weren',
  'won',
  'wouldn',
]);

/**
 * Whether an apostrophe between units `position - 1` and `position` makes a contraction: the only
 * apostrophe of the word, followed by one of the endings up to the word's end. Apostrophes are
 * dropped by normalisation (`h'e'l'l` is still `hell`), so this looks at the original text.
 */
function contractionAt(text: string, normalizer: Normalizer, position: number): boolean {
  const { units, originStart, originEnd, length } = normalizer;
  if (position <= 0 || position >= length) return false;
  const gapStart = originEnd[position - 1]!;
  const gapEnd = originStart[position]!;
  if (gapEnd <= gapStart || !hasApostrophe(text, gapStart, gapEnd)) return false;
  let wordStart = position - 1;
  while (wordStart > 0 && isWordUnit(units[wordStart - 1]!)) wordStart -= 1;
  let wordEnd = position;
  while (wordEnd < length && isWordUnit(units[wordEnd]!)) wordEnd += 1;
  if (wordEnd === position || !isWordUnit(units[position - 1]!)) return false;
  for (let unit = wordStart + 1; unit < wordEnd; unit += 1) {
    if (unit !== position && hasApostrophe(text, originEnd[unit - 1]!, originStart[unit]!)) {
      return false;
    }
  }
  const ending = String.fromCharCode(...units.subarray(position, wordEnd));
  if (CONTRACTION_ENDINGS.has(ending)) return true;
  return (
    ending === 't' && NEGATED_STEMS.has(String.fromCharCode(...units.subarray(wordStart, position)))
  );
}

function hasApostrophe(text: string, start: number, end: number): boolean {
  for (let index = start; index < end; index += 1) {
    if (APOSTROPHE.test(text[index]!)) return true;
  }
  return false;
}

/** Whether a code point ends a paragraph for the bidirectional algorithm (UAX #9, class B). */
function endsParagraph(code: number): boolean {
  return (
    code === 0x0a ||
    code === 0x0d ||
    (code >= 0x1c && code <= 0x1e) ||
    code === 0x85 ||
    code === 0x2029
  );
}

/**
 * The text as it is displayed when bidirectional controls reorder it, with the offset in `text` of
 * each unit; null when nothing is reordered. A subset of UAX #9 that covers what people use to
 * dodge a filter: the embeddings, overrides and isolates set the levels (X1–X10; a first-strong
 * isolate counts as left-to-right), characters outside an override are taken as left-to-right
 * (I1–I2), and runs are reversed from the highest level down (L2). Scripts written right to left
 * are not reordered here; the controls are left out of the result.
 */
function displayOrder(text: string): { text: string; origin: Int32Array } | null {
  const points: number[] = [];
  const origins: number[] = [];
  const levels: number[] = [];
  // The stack of UAX #9: level, override (0 none, 1 left-to-right, 2 right-to-left), isolate.
  let stack: Array<{ level: number; override: number; isolate: boolean }> = [
    { level: 0, override: 0, isolate: false },
  ];
  let highest = 0;
  for (let index = 0; index < text.length;) {
    const code = text.codePointAt(index)!;
    const size = code > 0xffff ? 2 : 1;
    const top = stack[stack.length - 1]!;
    const odd = (top.level + 1) | 1;
    const even = (top.level + 2) & ~1;
    if (code === 0x202a || code === 0x202d) {
      if (even <= 125)
        stack.push({ level: even, override: code === 0x202d ? 1 : 0, isolate: false });
    } else if (code === 0x202b || code === 0x202e) {
      if (odd <= 125) stack.push({ level: odd, override: code === 0x202e ? 2 : 0, isolate: false });
    } else if (code >= 0x2066 && code <= 0x2068) {
      // Past the deepest level an isolate changes nothing, but its PDI still closes it (X5c).
      const level = code === 0x2067 ? odd : even;
      stack.push(level <= 125 ? { level, override: 0, isolate: true } : { ...top, isolate: true });
    } else if (code === 0x202c) {
      if (stack.length > 1 && !top.isolate) stack.pop();
    } else if (code === 0x2069) {
      const isolate = stack.findLastIndex((entry) => entry.isolate);
      if (isolate > 0) stack = stack.slice(0, isolate);
    } else {
      const level =
        top.override === 2 ? top.level | 1 : top.override === 1 ? top.level : (top.level + 1) & ~1;
      points.push(code);
      origins.push(index);
      levels.push(level);
      highest = Math.max(highest, level);
      if (endsParagraph(code)) {
        levels[levels.length - 1] = 0;
        stack = [{ level: 0, override: 0, isolate: false }];
      }
    }
    index += size;
  }
  if (!levels.some((level) => level % 2 === 1)) return null;
  // In place, on typed arrays: up to 125 levels over 4,096 characters.
  const order = Int32Array.from(points, (_point, index) => index);
  const levelAt = Int32Array.from(levels);
  for (let level = highest; level >= 1; level -= 1) {
    let index = 0;
    while (index < order.length) {
      if (levelAt[order[index]!]! < level) {
        index += 1;
        continue;
      }
      let end = index;
      while (end < order.length && levelAt[order[end]!]! >= level) end += 1;
      for (let left = index, right = end - 1; left < right; left += 1, right -= 1) {
        const swap = order[left]!;
        order[left] = order[right]!;
        order[right] = swap;
      }
      index = end;
    }
  }
  let displayed = '';
  const origin: number[] = [];
  for (const index of order) {
    const point = points[index]!;
    displayed += String.fromCodePoint(point);
    origin.push(origins[index]!);
    if (point > 0xffff) origin.push(origins[index]! + 1);
  }
  return { text: displayed, origin: Int32Array.from(origin) };
}

/**
 * The span in the original text of `[start, end)` of the displayed text: from the first to the
 * last original unit shown there, so the highlight covers what the moderator sees.
 */
function displayedSpan(origin: Int32Array, start: number, end: number): [number, number] {
  let first = Number.POSITIVE_INFINITY;
  let last = -1;
  for (let unit = start; unit < end; unit += 1) {
    first = Math.min(first, origin[unit]!);
    last = Math.max(last, origin[unit]!);
  }
  return [first, last + 1];
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
    unit === MASKED_LETTER ||
    (unit >= 0xd800 && unit <= 0xdfff) ||
    (WORD_CHARACTER.test(character) && !UNSPACED_SCRIPT.test(character));
  wordUnitCache[unit] = word ? 2 : 1;
  return word;
}

/**
 * Sorts hits by start, end and rule order, and keeps one hit per rule and end: two variants of a
 * term ending at the same place are the same occurrence (the longer one is kept).
 */
function dedupe<T extends Match & { order: number; from: number }>(hits: T[]): T[] {
  hits.sort((a, b) => a.start - b.start || a.end - b.end || a.order - b.order);
  const seen = new Set<string>();
  const kept = hits.filter((hit) => {
    if (hit.from !== READING_STORED) return false;
    const key = `${hit.order}:${hit.end}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  // Another reading's hit of a rule over a place the text as stored already has a hit of that
  // rule is the same occurrence read another way (a bidi control reorders the characters after
  // it, a mask between letters): one match, the stored reading's span.
  const others = hits.filter((hit) => {
    if (hit.from === READING_STORED) return false;
    const key = `${hit.order}:${hit.end}`;
    if (seen.has(key)) return false;
    const overlaps = kept.some(
      (other) => other.order === hit.order && other.start < hit.end && hit.start < other.end,
    );
    if (overlaps) return false;
    seen.add(key);
    return true;
  });
  if (others.length === 0) return kept;
  return [...kept, ...others].sort(
    (a, b) => a.start - b.start || a.end - b.end || a.order - b.order,
  );
}
