import { describe, expect, it } from 'vitest';
import { displayName } from '../../src/shared/displayName';

describe('display names', () => {
  it('removes every bidi control and keeps everything else', () => {
    const controls = [
      '\u202A',
      '\u202B',
      '\u202C',
      '\u202D',
      '\u202E',
      '\u2066',
      '\u2067',
      '\u2068',
      '\u2069',
      '\u200E',
      '\u200F',
      '\u061C',
    ];
    expect(displayName('\u202Enimda\u202C')).toBe('nimda');
    expect(displayName(controls.join('mina'))).toBe('mina'.repeat(controls.length - 1));
    expect(displayName('민아 שלום 🙂')).toBe('민아 שלום 🙂');
  });
});
