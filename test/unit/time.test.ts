import { describe, expect, it } from 'vitest';
import { toEpochMs } from '../../src/shared/time';

describe('toEpochMs', () => {
  it.each([
    ['ISO 8601 with ms', '2023-03-03T08:21:42.139Z', Date.UTC(2023, 2, 3, 8, 21, 42, 139)],
    ['ISO 8601 with µs', '2022-10-19T06:41:09.865054Z', Date.UTC(2022, 9, 19, 6, 41, 9, 865)],
    ['epoch seconds (string)', '1679786302', 1_679_786_302_000],
    ['epoch seconds (number)', 1_679_786_302, 1_679_786_302_000],
    ['epoch ms (number)', 1_598_438_218_334, 1_598_438_218_334],
    ['epoch ms (string)', '1598438218334', 1_598_438_218_334],
    ['yyyyMMddHHmmss in Korean time', '20200826160708', Date.UTC(2020, 7, 26, 7, 7, 8)],
    ['YYYY-MM-DD HH:mm:ss in Korean time', '2020-08-26 16:07:08', Date.UTC(2020, 7, 26, 7, 7, 8)],
  ])('reads %s', (_name, input, expected) => {
    expect(toEpochMs(input)).toBe(expected);
  });

  it.each([[''], ['tomorrow'], [null], [undefined], [{}], [-5], ['20201332000000'], [Number.NaN]])(
    'answers null for %j',
    (input) => {
      expect(toEpochMs(input)).toBeNull();
    },
  );
});
