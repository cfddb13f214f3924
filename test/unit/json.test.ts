import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  boundJson,
  JSON_LIMITS,
  parseJsonKeepingLongIntegers,
  quoteLongIntegers,
  TRIMMED_MARKER,
} from '../../src/shared/json';

describe('parseJsonKeepingLongIntegers', () => {
  it('keeps 19-digit integers exact, as strings', () => {
    expect(
      parseJsonKeepingLongIntegers('{"messageId":1679786302000000123,"n":[9007199254740993]}'),
    ).toEqual({
      messageId: '1679786302000000123',
      n: ['9007199254740993'],
    });
  });

  it('leaves short integers, decimals, exponents and strings alone', () => {
    const text =
      '{"a":123456789012345,"b":-0.000004489240915962187,"c":7.4156533762888305e+137,"d":"1679786302000000123 in text","e":1e21}';
    expect(quoteLongIntegers(text)).toBe(text);
  });

  it('does not touch digits inside strings, even after escaped quotes', () => {
    const text = '{"m":"say \\"1679786302000000123\\" twice","id":1679786302000000124}';
    expect(parseJsonKeepingLongIntegers(text)).toEqual({
      m: 'say "1679786302000000123" twice',
      id: '1679786302000000124',
    });
  });

  it('finds a long integer wherever JSON allows a value, around white space', () => {
    expect(parseJsonKeepingLongIntegers('1679786302000000123')).toBe('1679786302000000123');
    expect(parseJsonKeepingLongIntegers(' [ -1679786302000000123 ]')).toEqual([
      '-1679786302000000123',
    ]);
    expect(parseJsonKeepingLongIntegers('{"a":1,"b":\n\t 1679786302000000123}')).toEqual({
      a: 1,
      b: '1679786302000000123',
    });
    expect(parseJsonKeepingLongIntegers('[1,1679786302000000123]')).toEqual([
      1,
      '1679786302000000123',
    ]);
  });

  it('takes a string id, or a string that only looks like a long value, as it is', () => {
    expect(
      parseJsonKeepingLongIntegers(
        '{"messageId":"1679786302000000123","message":"a:1679786302000000123"}',
      ),
    ).toEqual({ messageId: '1679786302000000123', message: 'a:1679786302000000123' });
  });

  it('parses any JSON without long integers exactly as JSON.parse does', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = JSON.stringify(value);
        const hasLongInteger = /(^|[^\d."eE+-])-?\d{16,}(?![\d.eE])/.test(
          text.replace(/"(?:[^"\\]|\\.)*"/g, '""'),
        );
        fc.pre(!hasLongInteger);
        expect(parseJsonKeepingLongIntegers(text)).toEqual(JSON.parse(text));
      }),
      { numRuns: 2000 },
    );
  });
});

/** `{"a":{"a":…1…}}`, `levels` deep, as a guest could send it. */
function nested(levels: number): string {
  return '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);
}

describe('boundJson', () => {
  it('copies what is within the limits as it is, and says nothing was trimmed', () => {
    const value = { grade: 'user', userInfo: { profile: 3, lang: 'ko', tags: ['a', null, true] } };
    const bounded = boundJson(value);
    expect(bounded).toEqual({ value, trimmed: false });
    expect(bounded.value).not.toBe(value);
  });

  it('copies a 5,000-deep value without overflowing, cut at the depth limit and marked', () => {
    const deep = JSON.parse(nested(5000)) as unknown;
    expect(() => JSON.stringify(deep)).toThrow(RangeError);
    const bounded = boundJson(deep);
    expect(bounded.trimmed).toBe(true);
    const text = JSON.stringify(bounded.value);
    expect(text).toBe(
      '{"a":'.repeat(JSON_LIMITS.depth) + `"${TRIMMED_MARKER}"` + '}'.repeat(JSON_LIMITS.depth),
    );
    expect(() => structuredClone(bounded.value)).not.toThrow();
  });

  it('keeps the first entries, breadth first, and marks where the rest were left out', () => {
    const limits = { depth: 8, entries: 4, textLength: 1000 };
    expect(boundJson({ a: 1, b: { c: 2, d: 3 }, e: [4, 5] }, limits)).toEqual({
      value: { a: 1, b: { c: 2, [TRIMMED_MARKER]: TRIMMED_MARKER }, e: [TRIMMED_MARKER] },
      trimmed: true,
    });
    expect(
      boundJson(
        Array.from({ length: 10 }, (_, index) => index),
        limits,
      ).value,
    ).toEqual([0, 1, 2, 3, TRIMMED_MARKER]);
  });

  it('cuts string text past the limit, keys included, without splitting a character', () => {
    const limits = { depth: 8, entries: 100, textLength: 10 };
    expect(boundJson({ name: 'abcdefghij' }, limits)).toEqual({
      value: { name: `abcdef${TRIMMED_MARKER}` },
      trimmed: true,
    });
    expect(boundJson('abcdefghi😀😀', limits).value).toBe(`abcdefghi${TRIMMED_MARKER}`);
    expect(boundJson('abcdefgh😀😀', limits).value).toBe(`abcdefgh😀${TRIMMED_MARKER}`);
  });

  it('keeps a member named __proto__ as a plain member', () => {
    const parsed = JSON.parse('{"__proto__":{"polluted":true},"ok":1}') as unknown;
    const copy = boundJson(parsed).value as Record<string, unknown>;
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.keys(copy)).toEqual(['__proto__', 'ok']);
    expect(JSON.stringify(copy)).toBe('{"__proto__":{"polluted":true},"ok":1}');
  });

  it('gives any JSON value back unchanged when it is within the limits', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
        const bounded = boundJson(value);
        fc.pre(!bounded.trimmed);
        expect(JSON.stringify(bounded.value)).toBe(JSON.stringify(value));
      }),
      { numRuns: 500 },
    );
  });

  it('keeps any value within its limits, and the copy serialises both ways', () => {
    const limits = { depth: 5, entries: 50, textLength: 200 };
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 40 }), (value) => {
        const bounded = boundJson(value, limits);
        const kept = measure(bounded.value);
        expect(kept.depth).toBeLessThanOrEqual(limits.depth);
        expect(kept.entries).toBeLessThanOrEqual(limits.entries);
        expect(kept.textLength).toBeLessThanOrEqual(limits.textLength);
        expect(bounded.trimmed).toBe(JSON.stringify(bounded.value) !== JSON.stringify(value));
        expect(() => structuredClone(bounded.value)).not.toThrow();
      }),
      { numRuns: 500 },
    );
  });
});

/** Depth, entries and string text of a value, markers not counted. */
function measure(value: unknown): { depth: number; entries: number; textLength: number } {
  const strip = (text: string) => text.replace(TRIMMED_MARKER, '');
  if (typeof value === 'string') return { depth: 0, entries: 0, textLength: strip(value).length };
  if (typeof value !== 'object' || value === null) return { depth: 0, entries: 0, textLength: 0 };
  const total = { depth: 1, entries: 0, textLength: 0 };
  for (const [key, element] of Object.entries(value)) {
    if (element === TRIMMED_MARKER && (Array.isArray(value) || key === TRIMMED_MARKER)) continue;
    const inner = measure(element);
    total.depth = Math.max(total.depth, inner.depth + 1);
    total.entries += 1 + inner.entries;
    total.textLength += inner.textLength + (Array.isArray(value) ? 0 : strip(key).length);
  }
  return total;
}
