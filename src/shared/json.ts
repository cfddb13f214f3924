/**
 * JSON parsing that keeps long integers exact. FlipFlop documents message ids as `[Long]` in REST
 * and shows 19-digit ids (`1679786302000000000`, api-facts §1.7–1.8), which exceed
 * Number.MAX_SAFE_INTEGER: `JSON.parse` would silently round them. Integer literals of 16 digits
 * or more, outside strings, are turned into strings before parsing.
 */
/**
 * A number literal stands where JSON allows a value: at the start, or after `:`, `,` or `[`, with
 * white space between. Text without 16 digits in such a place has no long integer outside strings
 * and goes straight to `JSON.parse`; a chat frame's 19-digit ids are strings and its text rarely
 * looks like this. A match inside a string only costs the slower, exact path.
 */
const LONG_INTEGER_PLACE = /(?:^|[:,[])[\t\n\r ]*-?\d{16}/;

export function parseJsonKeepingLongIntegers(text: string): unknown {
  if (!LONG_INTEGER_PLACE.test(text)) return JSON.parse(text);
  return JSON.parse(quoteLongIntegers(text));
}

/** Wraps integer literals of 16+ digits that stand outside strings in quotes. */
export function quoteLongIntegers(text: string): string {
  let result = '';
  let copiedUpTo = 0;
  let inString = false;
  let index = 0;
  while (index < text.length) {
    const char = text.charCodeAt(index);
    if (inString) {
      if (char === 0x5c /* \ */) index += 2;
      else {
        if (char === 0x22 /* " */) inString = false;
        index += 1;
      }
      continue;
    }
    if (char === 0x22) {
      inString = true;
      index += 1;
      continue;
    }
    if (char === 0x2d /* - */ || isDigit(char)) {
      // Consume the whole number token, fraction and exponent included, so digits after a
      // decimal point are never mistaken for an integer of their own.
      let end = index + (char === 0x2d ? 1 : 0);
      const digitsStart = end;
      while (end < text.length && isDigit(text.charCodeAt(end))) end += 1;
      const integerDigits = end - digitsStart;
      let fractional = false;
      if (text.charCodeAt(end) === 0x2e /* . */) {
        fractional = true;
        end += 1;
        while (end < text.length && isDigit(text.charCodeAt(end))) end += 1;
      }
      const exponentMark = text.charCodeAt(end);
      if (exponentMark === 0x65 /* e */ || exponentMark === 0x45 /* E */) {
        fractional = true;
        end += 1;
        const sign = text.charCodeAt(end);
        if (sign === 0x2b /* + */ || sign === 0x2d /* - */) end += 1;
        while (end < text.length && isDigit(text.charCodeAt(end))) end += 1;
      }
      if (!fractional && integerDigits >= 16) {
        result += `${text.slice(copiedUpTo, index)}"${text.slice(index, end)}"`;
        copiedUpTo = end;
      }
      index = Math.max(end, index + 1);
      continue;
    }
    index += 1;
  }
  return copiedUpTo === 0 ? text : result + text.slice(copiedUpTo);
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}
