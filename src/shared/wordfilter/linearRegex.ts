/**
 * Regex rules on a linear-time engine. JavaScript's own engine backtracks: a pattern as plain as
 * `[a-z]+ing` takes time quadratic in the text's length, and nested repeats exponential. re2js (a
 * port of RE2) runs a pattern as an automaton over the text instead: one search costs at most
 * (units of text × instructions of the program), whatever the pattern. RE2 has no lookaheads and no
 * backreferences, which need backtracking. re2js can run lookbehinds in linear time too, but only
 * on its slowest automaton, for every message (docs/hostile-input.md): they are refused as well.
 *
 * Rules are written and stored in JavaScript's syntax (flags `iu`); this file translates them and
 * says in words what the engine cannot run. They run on normalised text (normalize.ts), where every
 * run of separators is one space and there are no line breaks, so `\s`, `.` and `\b`, which RE2
 * reads slightly differently from JavaScript, behave the same here.
 */
import { RE2JS, RE2JSSyntaxException } from 're2js';
import { regexSafetyProblem } from './regexSafety';

/**
 * The largest program a rule may compile to. A search costs up to one step per instruction per
 * unit of text, and ordinary rules take 5–40 instructions (`b[a4@]d` 5, `https?://\S+` 13, a phone
 * number `\d{3}[- .]?\d{3,4}[- .]?\d{4}` 18); a bounded repeat such as `\w{500}` takes one per
 * repetition.
 */
export const MAX_PROGRAM_SIZE = 100;

/**
 * A regex written in JavaScript's syntax, checked the way every regex rule is (it compiles with
 * flags `iu`, regexSafety.ts, this engine's limits) and compiled, or why it cannot be used.
 */
export function compileRegexRule(pattern: string): { regex: RE2JS } | { problem: string } {
  try {
    // Rules are written in JavaScript's syntax; its own parser says best what is wrong in it.
    new RegExp(pattern, 'iu');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { problem: `the regex does not compile: ${reason}` };
  }
  const problem = regexSafetyProblem(pattern);
  return problem ? { problem } : compileLinearRegex(pattern);
}

/** A compiled regex rule, or why the engine cannot run it. */
export function compileLinearRegex(pattern: string): { regex: RE2JS } | { problem: string } {
  let source: string;
  try {
    source = RE2JS.translateRegExp(translateEscapes(pattern));
  } catch (error) {
    if (error instanceof UnsupportedSyntax) return { problem: error.message };
    throw error;
  }
  let regex: RE2JS;
  try {
    regex = RE2JS.compile(source, RE2JS.CASE_INSENSITIVE);
  } catch (error) {
    if (error instanceof RE2JSSyntaxException) return { problem: describeSyntaxError(error) };
    throw error;
  }
  const size = regex.programSize();
  if (size > MAX_PROGRAM_SIZE) {
    return {
      problem:
        `the regex is too large (${size} steps per character, at most ${MAX_PROGRAM_SIZE}); ` +
        'a long bounded repeat such as {500} counts once per repetition',
    };
  }
  return { regex };
}

class UnsupportedSyntax extends Error {}

const GENERAL_CATEGORIES: Record<string, string> = {
  Letter: 'L',
  // Unicode's short name is LC; RE2 knows it by that name only (not `L&`).
  Cased_Letter: 'LC',
  Uppercase_Letter: 'Lu',
  Lowercase_Letter: 'Ll',
  Titlecase_Letter: 'Lt',
  Modifier_Letter: 'Lm',
  Other_Letter: 'Lo',
  Mark: 'M',
  Combining_Mark: 'M',
  Nonspacing_Mark: 'Mn',
  Spacing_Mark: 'Mc',
  Enclosing_Mark: 'Me',
  Number: 'N',
  Decimal_Number: 'Nd',
  digit: 'Nd',
  Letter_Number: 'Nl',
  Other_Number: 'No',
  Punctuation: 'P',
  punct: 'P',
  Connector_Punctuation: 'Pc',
  Dash_Punctuation: 'Pd',
  Open_Punctuation: 'Ps',
  Close_Punctuation: 'Pe',
  Initial_Punctuation: 'Pi',
  Final_Punctuation: 'Pf',
  Other_Punctuation: 'Po',
  Symbol: 'S',
  Math_Symbol: 'Sm',
  Currency_Symbol: 'Sc',
  Modifier_Symbol: 'Sk',
  Other_Symbol: 'So',
  Separator: 'Z',
  Space_Separator: 'Zs',
  Line_Separator: 'Zl',
  Paragraph_Separator: 'Zp',
  Other: 'C',
  Control: 'Cc',
  cntrl: 'Cc',
  Format: 'Cf',
  Private_Use: 'Co',
  Surrogate: 'Cs',
};

/**
 * What re2js's own translation of JavaScript syntax leaves out: property escapes in their
 * `Name=Value` and long forms (`\p{Script=Hangul}` is RE2's `\p{Hangul}`, `\p{Letter}` its
 * `\p{L}`), and a surrogate pair written as two `\u` escapes, which flag `u` reads as one
 * character and RE2 would read as two that never occur.
 */
function translateEscapes(pattern: string): string {
  let result = '';
  let index = 0;
  while (index < pattern.length) {
    const character = pattern[index]!;
    if (character !== '\\') {
      result += character;
      index += 1;
      continue;
    }
    const letter = pattern[index + 1] ?? '';
    if ((letter === 'p' || letter === 'P') && pattern[index + 2] === '{') {
      const close = pattern.indexOf('}', index);
      const name = pattern.slice(index + 3, close);
      result += `\\${letter}{${propertyName(name)}}`;
      index = close + 1;
      continue;
    }
    const pair = /^\\u(d[89ab][0-9a-f]{2})\\u(d[c-f][0-9a-f]{2})/i.exec(pattern.slice(index));
    if (pair) {
      const high = parseInt(pair[1]!, 16);
      const low = parseInt(pair[2]!, 16);
      const code = ((high - 0xd800) << 10) + (low - 0xdc00) + 0x10000;
      result += `\\u{${code.toString(16)}}`;
      index += pair[0].length;
      continue;
    }
    // Any other escape goes through whole, so that `\\p` stays a backslash and a `p`.
    result += pattern.slice(index, index + 2);
    index += 2;
  }
  return result;
}

function propertyName(name: string): string {
  const equals = name.indexOf('=');
  if (equals < 0) return GENERAL_CATEGORIES[name] ?? name;
  const key = name.slice(0, equals);
  const value = name.slice(equals + 1);
  if (key === 'Script' || key === 'sc') return value;
  if (key === 'General_Category' || key === 'gc') return GENERAL_CATEGORIES[value] ?? value;
  throw new UnsupportedSyntax(
    `the property \\p{${name}} is not supported; use a script such as \\p{Hangul} ` +
      'or a category such as \\p{L}',
  );
}

/** RE2's reason, in the words of the rule editor. */
function describeSyntaxError(error: RE2JSSyntaxException): string {
  const input = error.getPattern() ?? '';
  if (/^\(\?<?[=!]/.test(input)) {
    return (
      'lookarounds ((?=, (?!, (?<=, (?<!) are not supported: the engine that keeps every rule ' +
      'linear in the length of a message has none; use \\b or the whole-word option'
    );
  }
  switch (error.getDescription()) {
    case 'invalid or unsupported Perl syntax':
      return `the syntax ${input} is not supported`;
    case 'invalid character class range':
      return (
        `the property ${input} is not supported; use a script such as \\p{Hangul} ` +
        'or a category such as \\p{L}'
      );
    case 'invalid repeat count':
      return 'a repeat count is larger than 1000';
    case 'invalid escape sequence':
      return `the escape ${input} is not supported`;
    case 'expression too large':
    case 'expression nests too deeply':
      return 'the regex is too large';
    default:
      return `the regex is not supported: ${error.getDescription()}${input ? ` ${input}` : ''}`;
  }
}
