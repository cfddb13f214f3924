/**
 * Runs every benchmark briefly (`npm run bench:smoke`, which `.ci/run` runs after `npm test`), so
 * none of them rots. Numbers only, no targets: a count such as long tasks may well be 0. A
 * benchmark that needs a missing part of the machine (Chromium) skips with the reason, except
 * under MODDECK_REQUIRE_ALL=1.
 */
import { describe, expect, it } from 'vitest';
import { shouldRun } from '../support/env';
import { loadBenchmarks } from './registry';
import { KINDS } from './storeSearch';

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

  it('the pipeline measures the latency alone at a rate it is given', async () => {
    const pipeline = benchmarks.find((benchmark) => benchmark.name === 'pipeline');
    const lines: string[] = [];
    const results =
      (await pipeline?.run({
        smoke: true,
        options: { 'latency-rate': '1200' },
        log: (line) => lines.push(line),
        machine: () => undefined,
      })) ?? [];
    expect(results.map((result) => result.metric)).toEqual([
      'latency p50, published → batch serialised, at 1,200 msg/s',
      'latency p99, published → batch serialised, at 1,200 msg/s',
      'latency p99, received → batch serialised',
    ]);
    for (const result of results) expect(result.value, result.metric).toBeGreaterThan(0);
    // Filled at twice the rate first, as the searches would have.
    expect(lines.some((line) => line.startsWith('pipeline: 2,400/s for 1 s'))).toBe(true);
    expect(lines.some((line) => / over 100 ms; .*collections: /.test(line))).toBe(true);
  }, 120_000);

  it("automod reports its speed and, per spam kind, recall beside Chatterino's check", async () => {
    const automod = benchmarks.find((benchmark) => benchmark.name === 'automod');
    const results =
      (await automod?.run({
        smoke: true,
        options: { parts: 'speed,quality' },
        log: () => undefined,
        machine: () => undefined,
      })) ?? [];
    const speed = results.find((result) => result.metric.startsWith('detectors alone'));
    expect(speed?.value).toBeGreaterThan(0);
    expect(speed?.reference?.value).toBeGreaterThan(0);
    const recalls = results.filter((result) => result.metric.includes(': recall on '));
    expect(recalls.map((result) => result.metric)).toEqual(
      expect.arrayContaining([
        'automodStream: recall on raid (messages flagged in the feed)',
        'automodStream: recall on raid (messages flagged when they came)',
      ]),
    );
    for (const result of recalls) {
      expect(result.value, result.metric).toBeLessThanOrEqual(1);
      expect(result.reference?.value, result.metric).toBeGreaterThanOrEqual(0);
    }
  }, 120_000);

  it('hold clears messages by messages.bulk, timed beside one at a time', async () => {
    const hold = benchmarks.find((benchmark) => benchmark.name === 'hold');
    const results =
      (await hold?.run({
        smoke: true,
        options: { parts: 'clear', messages: '12' },
        log: () => undefined,
        machine: () => undefined,
      })) ?? [];
    expect(results.map((result) => result.metric)).toEqual([
      'clear: 12 messages deleted by messages.bulk, +20 ms a call',
      'clear: messages deleted per second by messages.bulk',
    ]);
    for (const result of results) {
      expect(result.value, result.metric).toBeGreaterThan(0);
      expect(result.reference?.value, result.metric).toBeGreaterThan(0);
    }
    await expect(
      hold?.run({
        smoke: true,
        options: { parts: 'clear,nope' },
        log: () => undefined,
        machine: () => undefined,
      }),
    ).rejects.toThrow('unknown part "nope"; the parts are clear, exposure, raid');
  }, 120_000);

  it('hold measures how long held messages stay visible, beside the hide call alone', async () => {
    const hold = benchmarks.find((benchmark) => benchmark.name === 'hold');
    const results =
      (await hold?.run({
        smoke: true,
        options: { parts: 'exposure' },
        log: () => undefined,
        machine: () => undefined,
      })) ?? [];
    const measured = results.find((result) => result.metric.startsWith('holds measured'));
    expect(measured?.value).toBeGreaterThan(0);
    const p50 = results.find((result) => result.metric.startsWith('hold exposure p50'));
    // Hidden after the call that hid it answered: never sooner than the call alone.
    expect(p50?.value).toBeGreaterThanOrEqual(p50?.reference?.value ?? Number.POSITIVE_INFINITY);
  }, 120_000);

  it('hold under a raid reports the hides answered, the exposure and the raid copies seen', async () => {
    const hold = benchmarks.find((benchmark) => benchmark.name === 'hold');
    const results =
      (await hold?.run({
        smoke: true,
        options: { parts: 'raid' },
        log: () => undefined,
        machine: () => undefined,
      })) ?? [];
    const row = (start: string) => results.find((result) => result.metric.startsWith(start));
    expect(row('raid 100/s: hides answered a second')?.value).toBeGreaterThan(0);
    const p50 = row('raid 100/s: hold exposure p50')?.value ?? Number.NaN;
    expect(row('raid 100/s: hold exposure p99')?.value).toBeGreaterThanOrEqual(p50);
    // Copies were published and delivered: the count of those seen too long is over a real total.
    expect(row('raid 100/s: raid copies visible over 200 ms')?.metric).toMatch(/of [1-9]/);
    expect(row('raid 100/s: hides still waiting in main')).toBeDefined();
    expect(row("raid 100/s: main's CPU")?.value).toBeGreaterThan(0);
  }, 120_000);

  const raid = benchmarks.find((benchmark) => benchmark.name === 'raid');
  const raidRuns =
    raid?.requires === undefined || shouldRun('raid benchmark', raid.requires.problem());
  it.runIf(raidRuns)(
    'raid reports the deck, the keys, the holds and the raid copies of each phase',
    async () => {
      const results =
        (await raid?.run({
          smoke: true,
          options: {},
          log: () => undefined,
          machine: () => undefined,
        })) ?? [];
      const row = (start: string) => results.find((result) => result.metric.startsWith(start));
      for (const phase of ['quiet', 'raid, shield off', 'raid, shield on']) {
        expect(row(`${phase}: frame time p95`)?.value, phase).toBeGreaterThan(0);
        expect(row(`${phase}: long tasks over 50 ms`)?.value, phase).toBeGreaterThanOrEqual(0);
        expect(row(`${phase}: x → hide request leaving main, p99`)?.value, phase).toBeGreaterThan(
          0,
        );
        expect(row(`${phase}: main's CPU`)?.value, phase).toBeGreaterThan(0);
      }
      for (const phase of ['raid, shield off', 'raid, shield on']) {
        const copies = row(`${phase}: raid copies visible over 200 ms`);
        const of = Number(/\(of ([\d,]+);/.exec(copies?.metric ?? '')?.[1]?.replace(/,/g, ''));
        // The sandbox sent the raid, and no more copies were visible than it sent.
        expect(of, phase).toBeGreaterThan(0);
        expect(copies?.value, phase).toBeLessThanOrEqual(of);
        const p50 = row(`${phase}: hold exposure p50`)?.value ?? Number.NaN;
        expect(p50, phase).toBeGreaterThan(0);
        expect(row(`${phase}: hold exposure p99`)?.value, phase).toBeGreaterThanOrEqual(p50);
        // Beside the quiet deck, measured in the same run.
        expect(row(`${phase}: frame time p95`)?.reference?.metric, phase).toMatch(/^quiet deck/);
      }
      expect(row('quiet: raid copies visible')).toBeUndefined();
    },
    180_000,
  );

  it('the store reports every search kind beside a reference, and its size', async () => {
    const store = benchmarks.find((benchmark) => benchmark.name === 'store');
    const results =
      (await store?.run({
        smoke: true,
        options: { parts: 'size,search' },
        log: () => undefined,
        machine: () => undefined,
      })) ?? [];
    const p95 = results.filter((result) => result.metric.startsWith('search p95, '));
    expect(p95.map((result) => result.metric.split(',')[1]?.trim())).toEqual(
      KINDS.map((kind) => kind.name),
    );
    for (const result of p95) {
      expect(result.reference?.value, result.metric).toBeGreaterThan(0);
      expect(result.met, result.metric).toBeTypeOf('boolean');
    }
    expect(
      results.find((result) => result.metric.startsWith('bytes on disk per message'))?.value,
    ).toBeGreaterThan(0);
  }, 120_000);
});
