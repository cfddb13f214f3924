/**
 * What a regex rule must satisfy besides compiling for the linear engine (linearRegex.ts), checked
 * on its JavaScript syntax (already known to compile with flags `iu`):
 *
 * - at most {@link MAX_REGEX_LENGTH} characters;
 * - no backreferences (`\1`, `\k<name>`): matching them is not regular, and re2js's translation
 *   would read `\k<name>` as the letters `k<name>`;
 * - it cannot match the empty text (`a*`, `x|`, `(?<=x)`): such a rule would "hit" between the
 *   characters of every message.
 *
 * Nothing here bounds how long a match takes: the engine is linear in the text whatever the
 * pattern, so nested repeats such as `(a+)+$` are accepted.
 */

export const MAX_REGEX_LENGTH = 256;

/** Why a pattern was rejected, or `undefined` when it is accepted. */
export function regexSafetyProblem(source: string): string | undefined {
  if (source.length > MAX_REGEX_LENGTH) {
    return `the pattern is longer than ${MAX_REGEX_LENGTH} characters`;
  }
  let shortest: number;
  try {
    shortest = new ShortestMatch(source).parse();
  } catch (error) {
    if (error instanceof UnsupportedPattern) return error.message;
    throw error;
  }
  if (shortest === 0) return 'the pattern can match the empty text';
  return undefined;
}

class UnsupportedPattern extends Error {}

/** A parser for the regex syntax of flag `u` that computes the length of the shortest match. */
class ShortestMatch {
  private index = 0;

  constructor(private readonly source: string) {}

  parse(): number {
    const length = this.alternation();
    if (this.index < this.source.length) throw new UnsupportedPattern('unbalanced parenthesis');
    return length;
  }

  private peek(): string {
    return this.source[this.index] ?? '';
  }

  private alternation(): number {
    let shortest = this.sequence();
    while (this.peek() === '|') {
      this.index += 1;
      shortest = Math.min(shortest, this.sequence());
    }
    return shortest;
  }

  private sequence(): number {
    let length = 0;
    while (this.index < this.source.length && this.peek() !== '|' && this.peek() !== ')') {
      length += this.quantified();
    }
    return length;
  }

  private quantified(): number {
    const atom = this.atom();
    const minimum = this.quantifier();
    if (minimum === undefined) return atom;
    if (this.peek() === '?') this.index += 1; // lazy: the same lengths
    return atom * minimum;
  }

  /** The minimum count of a quantifier at `this.index`, consumed; `undefined` when there is none. */
  private quantifier(): number | undefined {
    const symbol = this.peek();
    if (symbol === '*' || symbol === '?') {
      this.index += 1;
      return 0;
    }
    if (symbol === '+') {
      this.index += 1;
      return 1;
    }
    if (symbol !== '{') return undefined;
    const match = /^\{(\d+)(?:,\d*)?\}/.exec(this.source.slice(this.index));
    if (!match) return undefined;
    this.index += match[0].length;
    return Number(match[1]);
  }

  /** The shortest match of the atom at `this.index`, consumed. */
  private atom(): number {
    const symbol = this.peek();
    if (symbol === '(') return this.group();
    if (symbol === '[') {
      this.characterClass();
      return 1;
    }
    if (symbol === '^' || symbol === '$') {
      this.index += 1;
      return 0;
    }
    if (symbol === '\\') return this.escape();
    const code = this.source.codePointAt(this.index) ?? 0;
    this.index += code > 0xffff ? 2 : 1;
    return 1;
  }

  private group(): number {
    this.index += 1;
    const prefix = /^\?(?::|=|!|<=|<!|<[^>]+>|[a-z]*(?:-[a-z]*)?:)/.exec(
      this.source.slice(this.index),
    );
    const lookaround = prefix !== null && /^\?(?:=|!|<=|<!)/.test(prefix[0]);
    if (prefix) this.index += prefix[0].length;
    const body = this.alternation();
    if (this.peek() !== ')') throw new UnsupportedPattern('unbalanced parenthesis');
    this.index += 1;
    return lookaround ? 0 : body;
  }

  private characterClass(): void {
    this.index += 1;
    if (this.peek() === '^') this.index += 1;
    while (this.index < this.source.length && this.peek() !== ']') {
      this.index += this.peek() === '\\' ? 2 : 1;
    }
    this.index += 1;
  }

  /** An escape at `this.index` (the backslash): an assertion (0) or one character (1). */
  private escape(): number {
    const letter = this.source[this.index + 1] ?? '';
    this.index += 2;
    if (letter === 'b' || letter === 'B') return 0;
    if (letter === 'k' || (letter >= '1' && letter <= '9')) {
      throw new UnsupportedPattern('backreferences are not allowed');
    }
    if (letter === 'p' || letter === 'P' || (letter === 'u' && this.peek() === '{')) {
      this.index = this.source.indexOf('}', this.index) + 1;
    } else if (letter === 'u') {
      this.index += 4;
    } else if (letter === 'x') {
      this.index += 2;
    } else if (letter === 'c') {
      this.index += 1;
    }
    return 1;
  }
}
