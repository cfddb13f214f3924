/**
 * A conservative static check that a regex rule cannot backtrack catastrophically. JavaScript's
 * engine backtracks; a pattern like `(a+)+$` takes exponential time on `aaaa…!`, and one such rule
 * would stall the filter for every room. The check parses the pattern (already known to compile
 * with flags `iu`) and rejects, with a reason:
 *
 * - patterns longer than {@link MAX_REGEX_LENGTH} characters;
 * - backreferences (`\1`, `\k<name>`): matching them is not regular, and they defeat the rest of
 *   this analysis;
 * - a repeated part (quantifier allowing more than one repetition) that itself contains such a
 *   quantifier — star height above one: `(a+)+`, `(\w+\s?)*`, `(a{2,})+`, `(?:x*y)+`;
 * - a repeated part that can match the empty text: `(a?)+`, `(a|)*`;
 * - a repeated part containing an alternation whose branches can begin with the same character
 *   (approximating "can match the same text"): `(a|ab)+`, `(\w|\d)*`, `(?:ab|ac)+`;
 * - within one sequence, a chain of variable-length parts that can all take the same characters,
 *   with nothing between them that they could not take too: three or more unbounded ones
 *   (`\w*\w*\w*`, `.*a.*b.*`: polynomial of degree ≥ 3) or ten or more of any kind (`a?a?…`:
 *   exponential in the chain length).
 *
 * Patterns that can match the empty text (`a*`, `(?=x)`) are rejected too: they would hit
 * between the characters of every message.
 *
 * It accepts everything else, for example `b[a4@]d`, `\bfoo\s+bar\b`, `colou?r`, `(?:foo|bar)+`,
 * `\d{3}-\d{4}`, `[a-z]+ing`, `.*bad.*` (two unbounded parts: at most quadratic, and chat messages
 * are short), lookarounds and Unicode property escapes. Property escapes are treated as "any
 * character", so the overlap tests stay on the safe side.
 */

export const MAX_REGEX_LENGTH = 256;

/** Why a pattern was rejected, or `undefined` when it is accepted. */
export function regexSafetyProblem(source: string): string | undefined {
  if (source.length > MAX_REGEX_LENGTH) {
    return `the pattern is longer than ${MAX_REGEX_LENGTH} characters`;
  }
  let tree: RegexNode;
  try {
    tree = new RegexParser(source).parse();
  } catch (error) {
    if (error instanceof UnsafePattern) return error.message;
    throw error;
  }
  const problem = findProblem(tree);
  if (problem) return problem;
  // Not a matter of speed: such a rule would "hit" between characters of every message.
  if (minLength(tree) === 0) return 'the pattern can match the empty text';
  return undefined;
}

/** Inclusive code point ranges, sorted and disjoint. */
type Ranges = ReadonlyArray<readonly [number, number]>;

type RegexNode =
  | { type: 'characters'; ranges: Ranges }
  | { type: 'assertion' }
  | { type: 'lookaround'; body: RegexNode }
  | { type: 'group'; body: RegexNode }
  | { type: 'alternation'; branches: RegexNode[] }
  | { type: 'sequence'; items: RegexNode[] }
  | { type: 'repeat'; body: RegexNode; min: number; max: number };

class UnsafePattern extends Error {}

const MAX_CODE_POINT = 0x10ffff;
const ANY: Ranges = [[0, MAX_CODE_POINT]];
const DIGITS: Ranges = [[0x30, 0x39]];
// With flags `iu`, \w also matches ſ (U+017F) and the Kelvin sign (U+212A).
const WORD: Ranges = [
  [0x30, 0x39],
  [0x41, 0x5a],
  [0x5f, 0x5f],
  [0x61, 0x7a],
  [0x17f, 0x17f],
  [0x212a, 0x212a],
];
const SPACE: Ranges = [
  [0x09, 0x0d],
  [0x20, 0x20],
  [0xa0, 0xa0],
  [0x1680, 0x1680],
  [0x2000, 0x200a],
  [0x2028, 0x2029],
  [0x202f, 0x202f],
  [0x205f, 0x205f],
  [0x3000, 0x3000],
  [0xfeff, 0xfeff],
];
const LINE_TERMINATORS: Ranges = [
  [0x0a, 0x0a],
  [0x0d, 0x0d],
  [0x2028, 0x2029],
];

function normalizeRanges(ranges: Array<readonly [number, number]>): Ranges {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const [low, high] of sorted) {
    const last = merged[merged.length - 1];
    if (last && low <= last[1] + 1) last[1] = Math.max(last[1], high);
    else merged.push([low, high]);
  }
  return merged;
}

function union(a: Ranges, b: Ranges): Ranges {
  return normalizeRanges([...a, ...b]);
}

function complement(ranges: Ranges): Ranges {
  const result: Array<[number, number]> = [];
  let next = 0;
  for (const [low, high] of ranges) {
    if (low > next) result.push([next, low - 1]);
    next = high + 1;
  }
  if (next <= MAX_CODE_POINT) result.push([next, MAX_CODE_POINT]);
  return result;
}

function intersection(a: Ranges, b: Ranges): Ranges {
  const result: Array<[number, number]> = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const [aLow, aHigh] = a[i]!;
    const [bLow, bHigh] = b[j]!;
    const low = Math.max(aLow, bLow);
    const high = Math.min(aHigh, bHigh);
    if (low <= high) result.push([low, high]);
    if (aHigh < bHigh) i += 1;
    else j += 1;
  }
  return result;
}

/** Adds the other case of every letter (flag `i`); large non-ASCII ranges are left as they are. */
function withOtherCase(ranges: Ranges): Ranges {
  const added: Array<readonly [number, number]> = [...ranges];
  for (const [low, high] of ranges) {
    const upperLow = Math.max(low, 0x41);
    const upperHigh = Math.min(high, 0x5a);
    if (upperLow <= upperHigh) added.push([upperLow + 0x20, upperHigh + 0x20]);
    const lowerLow = Math.max(low, 0x61);
    const lowerHigh = Math.min(high, 0x7a);
    if (lowerLow <= lowerHigh) added.push([lowerLow - 0x20, lowerHigh - 0x20]);
    if (high >= 0x80 && high - Math.max(low, 0x80) < 2000) {
      for (let code = Math.max(low, 0x80); code <= high; code += 1) {
        for (const variant of [
          String.fromCodePoint(code).toLowerCase(),
          String.fromCodePoint(code).toUpperCase(),
        ]) {
          const other = variant.codePointAt(0) ?? code;
          if ([...variant].length === 1 && other !== code) added.push([other, other]);
        }
      }
    }
  }
  return normalizeRanges(added);
}

/** A parser for the regex syntax of flag `u`; the pattern has already compiled. */
class RegexParser {
  private index = 0;

  constructor(private readonly source: string) {}

  parse(): RegexNode {
    const node = this.alternation();
    if (this.index < this.source.length) throw new UnsafePattern('unbalanced parenthesis');
    return node;
  }

  private peek(): string {
    return this.source[this.index] ?? '';
  }

  private alternation(): RegexNode {
    const branches = [this.sequence()];
    while (this.peek() === '|') {
      this.index += 1;
      branches.push(this.sequence());
    }
    return branches.length === 1 ? branches[0]! : { type: 'alternation', branches };
  }

  private sequence(): RegexNode {
    const items: RegexNode[] = [];
    while (this.index < this.source.length && this.peek() !== '|' && this.peek() !== ')') {
      items.push(this.quantified());
    }
    return { type: 'sequence', items };
  }

  private quantified(): RegexNode {
    const atom = this.atom();
    const bounds = this.quantifier();
    if (!bounds) return atom;
    if (this.peek() === '?') this.index += 1; // lazy: same analysis
    return { type: 'repeat', body: atom, min: bounds[0], max: bounds[1] };
  }

  private quantifier(): [number, number] | undefined {
    const symbol = this.peek();
    if (symbol === '*' || symbol === '+' || symbol === '?') {
      this.index += 1;
      return symbol === '*' ? [0, Infinity] : symbol === '+' ? [1, Infinity] : [0, 1];
    }
    if (symbol !== '{') return undefined;
    const match = /^\{(\d+)(,(\d*))?\}/.exec(this.source.slice(this.index));
    if (!match) return undefined;
    this.index += match[0].length;
    const min = Number(match[1]);
    const max = match[2] === undefined ? min : match[3] === '' ? Infinity : Number(match[3]);
    return [min, max];
  }

  private atom(): RegexNode {
    const symbol = this.peek();
    if (symbol === '(') return this.group();
    if (symbol === '[') return { type: 'characters', ranges: withOtherCase(this.characterClass()) };
    if (symbol === '.') {
      this.index += 1;
      return { type: 'characters', ranges: complement(LINE_TERMINATORS) };
    }
    if (symbol === '^' || symbol === '$') {
      this.index += 1;
      return { type: 'assertion' };
    }
    if (symbol === '\\') {
      const next = this.source[this.index + 1] ?? '';
      if (next === 'b' || next === 'B') {
        this.index += 2;
        return { type: 'assertion' };
      }
      return { type: 'characters', ranges: withOtherCase(this.escape(false)) };
    }
    const code = this.source.codePointAt(this.index) ?? 0;
    this.index += code > 0xffff ? 2 : 1;
    return { type: 'characters', ranges: withOtherCase([[code, code]]) };
  }

  private group(): RegexNode {
    this.index += 1;
    const rest = this.source.slice(this.index);
    let lookaround = false;
    const prefix = /^\?(?::|=|!|<=|<!|<[^>]+>|[a-z]*(?:-[a-z]*)?:)/.exec(rest);
    if (prefix) {
      lookaround = /^\?(=|!|<=|<!)/.test(prefix[0]);
      this.index += prefix[0].length;
    }
    const body = this.alternation();
    if (this.peek() !== ')') throw new UnsafePattern('unbalanced parenthesis');
    this.index += 1;
    return lookaround ? { type: 'lookaround', body } : { type: 'group', body };
  }

  private characterClass(): Ranges {
    this.index += 1;
    const negated = this.peek() === '^';
    if (negated) this.index += 1;
    const parts: Array<readonly [number, number]> = [];
    while (this.index < this.source.length && this.peek() !== ']') {
      const low = this.classAtom();
      if (this.peek() === '-' && this.source[this.index + 1] !== ']' && low.length === 1) {
        this.index += 1;
        const high = this.classAtom();
        parts.push([low[0]![0], high[0]?.[1] ?? low[0]![0]]);
      } else parts.push(...low);
    }
    this.index += 1;
    const ranges = normalizeRanges(parts);
    return negated ? complement(ranges) : ranges;
  }

  private classAtom(): Ranges {
    if (this.peek() === '\\') return this.escape(true);
    const code = this.source.codePointAt(this.index) ?? 0;
    this.index += code > 0xffff ? 2 : 1;
    return [[code, code]];
  }

  /** An escape at `this.index` (the backslash); returns the characters it stands for. */
  private escape(inClass: boolean): Ranges {
    const letter = this.source[this.index + 1] ?? '';
    this.index += 2;
    switch (letter) {
      case 'd':
        return DIGITS;
      case 'D':
        return complement(DIGITS);
      case 'w':
        return WORD;
      case 'W':
        return complement(WORD);
      case 's':
        return SPACE;
      case 'S':
        return complement(SPACE);
      case 'p':
      case 'P':
        this.index = this.source.indexOf('}', this.index) + 1;
        return ANY;
      case 'k':
        throw new UnsafePattern('backreferences are not allowed');
      case 't':
        return [[0x09, 0x09]];
      case 'n':
        return [[0x0a, 0x0a]];
      case 'v':
        return [[0x0b, 0x0b]];
      case 'f':
        return [[0x0c, 0x0c]];
      case 'r':
        return [[0x0d, 0x0d]];
      case 'b':
        return [[0x08, 0x08]]; // backspace, inside a class
      case 'c': {
        const code = (this.source.charCodeAt(this.index) % 32) | 0;
        this.index += 1;
        return [[code, code]];
      }
      case 'x': {
        const code = parseInt(this.source.slice(this.index, this.index + 2), 16);
        this.index += 2;
        return [[code, code]];
      }
      case 'u':
        return this.unicodeEscape();
      default:
        if (letter >= '1' && letter <= '9' && !inClass) {
          throw new UnsafePattern('backreferences are not allowed');
        }
        if (letter === '0') return [[0, 0]];
        return [[letter.codePointAt(0) ?? 0, letter.codePointAt(0) ?? 0]];
    }
  }

  private unicodeEscape(): Ranges {
    if (this.peek() === '{') {
      const close = this.source.indexOf('}', this.index);
      const code = parseInt(this.source.slice(this.index + 1, close), 16);
      this.index = close + 1;
      return [[code, code]];
    }
    let code = parseInt(this.source.slice(this.index, this.index + 4), 16);
    this.index += 4;
    const low = /^\\u([dD][c-fC-F][0-9a-fA-F]{2})/.exec(this.source.slice(this.index));
    if (code >= 0xd800 && code <= 0xdbff && low) {
      code = ((code - 0xd800) << 10) + (parseInt(low[1]!, 16) - 0xdc00) + 0x10000;
      this.index += 6;
    }
    return [[code, code]];
  }
}

function minLength(node: RegexNode): number {
  switch (node.type) {
    case 'characters':
      return 1;
    case 'assertion':
    case 'lookaround':
      return 0;
    case 'group':
      return minLength(node.body);
    case 'alternation':
      return Math.min(...node.branches.map(minLength));
    case 'sequence':
      return node.items.reduce((sum, item) => sum + minLength(item), 0);
    case 'repeat':
      return node.min === 0 ? 0 : node.min * minLength(node.body);
  }
}

function maxLength(node: RegexNode): number {
  switch (node.type) {
    case 'characters':
      return 1;
    case 'assertion':
    case 'lookaround':
      return 0;
    case 'group':
      return maxLength(node.body);
    case 'alternation':
      return Math.max(...node.branches.map(maxLength));
    case 'sequence':
      return node.items.reduce((sum, item) => sum + maxLength(item), 0);
    case 'repeat': {
      const body = maxLength(node.body);
      return body === 0 || node.max === 0 ? 0 : node.max * body;
    }
  }
}

/** Every character the node can consume. */
function allCharacters(node: RegexNode): Ranges {
  switch (node.type) {
    case 'characters':
      return node.ranges;
    case 'assertion':
    case 'lookaround':
      return [];
    case 'group':
    case 'repeat':
      return allCharacters(node.body);
    case 'alternation':
      return node.branches.reduce<Ranges>((all, branch) => union(all, allCharacters(branch)), []);
    case 'sequence':
      return node.items.reduce<Ranges>((all, item) => union(all, allCharacters(item)), []);
  }
}

/** The characters a match of the node can begin with. */
function firstCharacters(node: RegexNode): Ranges {
  switch (node.type) {
    case 'characters':
      return node.ranges;
    case 'assertion':
    case 'lookaround':
      return [];
    case 'group':
    case 'repeat':
      return firstCharacters(node.body);
    case 'alternation':
      return node.branches.reduce<Ranges>((all, branch) => union(all, firstCharacters(branch)), []);
    case 'sequence': {
      let first: Ranges = [];
      for (const item of node.items) {
        first = union(first, firstCharacters(item));
        if (minLength(item) > 0) break;
      }
      return first;
    }
  }
}

function children(node: RegexNode): RegexNode[] {
  switch (node.type) {
    case 'characters':
    case 'assertion':
      return [];
    case 'lookaround':
    case 'group':
    case 'repeat':
      return [node.body];
    case 'alternation':
      return node.branches;
    case 'sequence':
      return node.items;
  }
}

function containsRepetition(node: RegexNode): boolean {
  if (node.type === 'repeat' && node.max > 1) return true;
  return children(node).some(containsRepetition);
}

function ambiguousAlternation(node: RegexNode): boolean {
  if (node.type === 'alternation') {
    const firsts = node.branches.map(firstCharacters);
    for (let a = 0; a < node.branches.length; a += 1) {
      if (minLength(node.branches[a]!) === 0) return true;
      for (let b = a + 1; b < node.branches.length; b += 1) {
        if (intersection(firsts[a]!, firsts[b]!).length > 0) return true;
      }
    }
  }
  return children(node).some(ambiguousAlternation);
}

/** The chain rule of the module comment, for the items of one sequence. */
function ambiguousChain(items: RegexNode[]): string | undefined {
  let shared: Ranges | undefined;
  let unbounded = 0;
  let variable = 0;
  for (const item of items) {
    const min = minLength(item);
    const max = maxLength(item);
    if (max === 0) continue;
    const characters = allCharacters(item);
    const overlaps = shared !== undefined && intersection(shared, characters).length > 0;
    if (max > min) {
      if (overlaps) {
        shared = intersection(shared!, characters);
        variable += 1;
        if (max === Infinity) unbounded += 1;
      } else if (shared !== undefined && min === 0) {
        continue;
      } else {
        shared = characters;
        variable = 1;
        unbounded = max === Infinity ? 1 : 0;
      }
      if (unbounded >= 3) {
        return 'three or more unbounded repeats in a row can take the same characters';
      }
      if (variable >= 10) return 'ten or more optional parts in a row can take the same characters';
    } else if (!overlaps) {
      shared = undefined;
      unbounded = 0;
      variable = 0;
    }
  }
  return undefined;
}

function findProblem(node: RegexNode): string | undefined {
  if (node.type === 'repeat' && node.max > 1) {
    if (containsRepetition(node.body)) return 'a repeated part contains another repeat';
    if (minLength(node.body) === 0) return 'a repeated part can match the empty text';
    if (ambiguousAlternation(node.body)) {
      return 'a repeated part has alternatives that can match the same text';
    }
  }
  if (node.type === 'sequence') {
    const problem = ambiguousChain(node.items);
    if (problem) return problem;
  }
  for (const child of children(node)) {
    const problem = findProblem(child);
    if (problem) return problem;
  }
  return undefined;
}
