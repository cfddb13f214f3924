import { describe, expect, it } from 'vitest';
import { segmentText } from '../../../src/renderer/src/lib/flags';

describe('segmentText', () => {
  it('returns the whole text as one plain segment when nothing is flagged', () => {
    expect(segmentText('hello', [])).toEqual([{ text: 'hello', ruleIds: [] }]);
  });

  it('cuts exactly on the spans, end exclusive', () => {
    expect(segmentText('ab bad cd', [{ ruleId: 'r', start: 3, end: 6 }])).toEqual([
      { text: 'ab ', ruleIds: [] },
      { text: 'bad', ruleIds: ['r'] },
      { text: ' cd', ruleIds: [] },
    ]);
  });

  it('keeps UTF-16 offsets, so a span around an emoji or Hangul stays whole', () => {
    const text = 'x 😀바보 y';
    const start = text.indexOf('😀');
    const end = start + '😀바보'.length;
    const segments = segmentText(text, [{ ruleId: 'r', start, end }]);
    expect(segments.map((segment) => segment.text)).toEqual(['x ', '😀바보', ' y']);
    expect(segments.map((segment) => segment.text).join('')).toBe(text);
  });

  it('clamps spans that run past the text and ignores empty ones', () => {
    expect(
      segmentText('abc', [
        { ruleId: 'r', start: 1, end: 99 },
        { ruleId: 'q', start: 2, end: 2 },
      ]),
    ).toEqual([
      { text: 'a', ruleIds: [] },
      { text: 'bc', ruleIds: ['r'] },
    ]);
  });
});
