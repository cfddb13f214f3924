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

/** How much of a value from a chat service is kept (see `boundJson`). */
export interface JsonLimits {
  /** Containers nested deeper than this are replaced by the marker. */
  depth: number;
  /** Array elements and object members kept, counted over the whole value. */
  entries: number;
  /** UTF-16 code units of string text kept (values and keys), counted over the whole value. */
  textLength: number;
}

/**
 * Far above anything a chat service attaches to a message (a FlipFlop `data` map, a VChatCloud
 * `userInfo`: a few flat fields), far below what stops `JSON.stringify` or structured clone: a
 * 5,000-deep `data` (30 KB, sendable by any guest) overflowed the stack of both.
 */
export const JSON_LIMITS: JsonLimits = { depth: 16, entries: 1000, textLength: 16_384 };

/** Stands where `boundJson` cut something: a too-deep container, entries left out, cut text. */
export const TRIMMED_MARKER = '[trimmed]';

export interface BoundedJson {
  value: unknown;
  /** Something was cut (and marked). */
  trimmed: boolean;
}

interface Pending {
  from: object;
  into: unknown[] | Record<string, unknown>;
  depth: number;
}

/**
 * A copy of a parsed JSON value within `limits`. A container past `limits.depth` becomes
 * `TRIMMED_MARKER`; past `limits.entries`, a container ends with the marker (as its last element,
 * or as a member named and valued by it); string text past `limits.textLength` is cut and ends
 * with the marker. The copy is made breadth first, so what is near the top is kept first, and
 * without recursion, so no input can overflow the stack. Anything that is not JSON (a function,
 * a bigint) is left out.
 */
export function boundJson(value: unknown, limits: JsonLimits = JSON_LIMITS): BoundedJson {
  return new Bounding(limits).run(value);
}

/** `text` within `limits.textLength`, cut and marked as `boundJson` cuts text; itself when it fits. */
export function boundText(text: string, limits: JsonLimits = JSON_LIMITS): string {
  return text.length <= limits.textLength ? text : (boundJson(text, limits).value as string);
}

/** One `boundJson` copy: what is left of the limits, and the containers still to fill. */
class Bounding {
  private entries = 0;
  private textLength = 0;
  private trimmed = false;
  private readonly pending: Pending[] = [];

  constructor(private readonly limits: JsonLimits) {}

  run(value: unknown): BoundedJson {
    const result = this.copy(value, 0);
    for (let next = 0; next < this.pending.length; next += 1) {
      const { from, into, depth } = this.pending[next] as Pending;
      if (Array.isArray(into)) this.fillArray(from as unknown[], into, depth);
      else this.fillRecord(from as Record<string, unknown>, into, depth);
    }
    return { value: result, trimmed: this.trimmed };
  }

  private fillArray(from: unknown[], into: unknown[], depth: number): void {
    for (const element of from) {
      if (this.entries >= this.limits.entries) {
        this.trimmed = true;
        into.push(TRIMMED_MARKER);
        return;
      }
      this.entries += 1;
      into.push(this.copy(element, depth) ?? null);
    }
  }

  private fillRecord(
    from: Record<string, unknown>,
    into: Record<string, unknown>,
    depth: number,
  ): void {
    for (const key of Object.keys(from)) {
      if (this.entries >= this.limits.entries) {
        this.trimmed = true;
        into[TRIMMED_MARKER] = TRIMMED_MARKER;
        return;
      }
      this.entries += 1;
      const name = this.text(key);
      const element = this.copy(from[key], depth);
      if (element === undefined) continue;
      // JSON allows a member named `__proto__`; assigning it would set the copy's prototype.
      if (name === '__proto__') {
        Object.defineProperty(into, name, {
          value: element,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      } else into[name] = element;
    }
  }

  private copy(source: unknown, depth: number): unknown {
    if (typeof source === 'string') return this.text(source);
    if (typeof source === 'number' || typeof source === 'boolean' || source === null) {
      return source;
    }
    if (typeof source !== 'object') return undefined;
    if (depth >= this.limits.depth) {
      this.trimmed = true;
      return TRIMMED_MARKER;
    }
    const into: Pending['into'] = Array.isArray(source) ? [] : {};
    this.pending.push({ from: source, into, depth: depth + 1 });
    return into;
  }

  private text(source: string): string {
    const room = this.limits.textLength - this.textLength;
    if (source.length <= room) {
      this.textLength += source.length;
      return source;
    }
    this.trimmed = true;
    this.textLength = this.limits.textLength;
    let end = Math.max(0, room);
    // Do not leave half of a surrogate pair behind.
    const last = source.charCodeAt(end - 1);
    if (end > 0 && last >= 0xd800 && last <= 0xdbff) end -= 1;
    return source.slice(0, end) + TRIMMED_MARKER;
  }
}
