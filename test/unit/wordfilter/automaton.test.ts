/**
 * The automaton against a naive search, on random patterns and texts, with every symbol in the
 * dense table and with most of them in the sparse goto table.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Automaton, ScanScratch, collapseRuns } from '../../../src/shared/wordfilter/automaton';

// Letters (collapse into runs), a digit and a space (never collapse), Hangul, private use.
const UNITS = [0x61, 0x62, 0x63, 0x31, 0x20, 0xc2dc, 0xbc1c, 0xe000];

/** Every (pattern, start of the run it ends with), found by comparing run by run. */
function naive(patterns: number[][], text: number[]): string[] {
  const runStarts: number[] = [];
  const symbols: number[] = [];
  text.forEach((unit, position) => {
    if (position > 0 && unit === text[position - 1] && unit > 0x40) return;
    runStarts.push(position);
    symbols.push(unit);
  });
  const found: string[] = [];
  patterns.forEach((pattern, index) => {
    for (let end = pattern.length - 1; end < symbols.length; end += 1) {
      const start = end - pattern.length + 1;
      if (pattern.every((unit, offset) => symbols[start + offset] === unit)) {
        found.push(`${index}@${runStarts[end]}`);
      }
    }
  });
  return found.sort();
}

function scanned(automaton: Automaton, text: number[]): string[] {
  const scratch = new ScanScratch();
  automaton.scan(Uint16Array.from(text), text.length, scratch);
  const found: string[] = [];
  for (let candidate = 0; candidate < scratch.candidateCount; candidate += 1) {
    found.push(`${scratch.candidatePatterns[candidate]}@${scratch.candidatePositions[candidate]}`);
  }
  return found.sort();
}

const unit = fc.constantFrom(...UNITS);
const patterns = fc
  .array(fc.array(unit, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 12 })
  .map((list) => list.map((pattern) => collapseRuns(pattern).symbols));
const text = fc.array(unit, { maxLength: 60 });

describe('the automaton', () => {
  it('finds what a naive search finds, with dense transitions', () => {
    fc.assert(
      fc.property(patterns, text, (list, units) => {
        const automaton = new Automaton(list);
        expect(automaton.usesSparseEdges).toBe(false);
        expect(scanned(automaton, units)).toEqual(naive(list, units));
      }),
      { numRuns: 300 },
    );
  });

  it('finds what a naive search finds, with most symbols in the sparse table', () => {
    fc.assert(
      fc.property(patterns, text, (list, units) => {
        const automaton = new Automaton(list, 1);
        expect(scanned(automaton, units)).toEqual(naive(list, units));
      }),
      { numRuns: 300 },
    );
  });

  it('puts symbols in the sparse table when the dense budget is small', () => {
    expect(new Automaton([[0x61, 0x62]], 1).usesSparseEdges).toBe(true);
  });

  it('collapses runs of letters but not of digits or spaces', () => {
    expect(collapseRuns([0x61, 0x61, 0x62, 0x31, 0x31, 0x20, 0x20, 0xe000, 0xe000])).toEqual({
      symbols: [0x61, 0x62, 0x31, 0x31, 0x20, 0x20, 0xe000],
      runs: [2, 1, 1, 1, 1, 1, 2],
    });
  });
});
