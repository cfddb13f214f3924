/** Runs every benchmark briefly in `npm test`, so none of them rots. Numbers only, no targets. */
import { describe, expect, it } from 'vitest';
import { loadBenchmarks } from './registry';

const benchmarks = await loadBenchmarks();

describe('benchmark smoke runs', () => {
  it('every benchmark file exports a named benchmark, each name once', () => {
    for (const benchmark of benchmarks) {
      expect(benchmark.name).toMatch(/^[a-z][a-z0-9-]*$/);
      expect(typeof benchmark.run).toBe('function');
    }
    const names = benchmarks.map((benchmark) => benchmark.name);
    expect(new Set(names).size).toBe(names.length);
  });

  for (const benchmark of benchmarks) {
    it(`${benchmark.name} produces finite, positive numbers`, async () => {
      const results = await benchmark.run({ smoke: true, options: {}, log: () => undefined });
      expect(results.length).toBeGreaterThan(0);
      for (const result of results) {
        expect(Number.isFinite(result.value), result.metric).toBe(true);
        expect(result.value, result.metric).toBeGreaterThan(0);
      }
    }, 120_000);
  }
});
