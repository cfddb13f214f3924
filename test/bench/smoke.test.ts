/**
 * Runs every benchmark briefly in `npm test`, so none of them rots. Numbers only, no targets: a
 * count such as long tasks may well be 0. A benchmark that needs a missing part of the machine
 * (Chromium) skips with the reason, except under MODDECK_REQUIRE_ALL=1.
 */
import { describe, expect, it } from 'vitest';
import { shouldRun } from '../support/env';
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
    const runs =
      benchmark.requires === undefined ||
      shouldRun(`${benchmark.name} benchmark`, benchmark.requires.problem());
    it.runIf(runs)(
      `${benchmark.name} produces finite numbers, none negative`,
      async () => {
        const results = await benchmark.run({
          smoke: true,
          options: {},
          log: () => undefined,
          machine: () => undefined,
        });
        expect(results.length).toBeGreaterThan(0);
        for (const result of results) {
          expect(Number.isFinite(result.value), result.metric).toBe(true);
          expect(result.value, result.metric).toBeGreaterThanOrEqual(0);
        }
      },
      120_000,
    );
  }
});
