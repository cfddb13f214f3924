import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseJsonKeepingLongIntegers, quoteLongIntegers } from '../../src/shared/json';

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
