/**
 * The shape every benchmark has. A file `test/bench/NAME.bench.ts` default-exports one
 * `Benchmark`; `npm run bench` finds it by name, and the smoke test runs it briefly
 * (`npm run bench:smoke`).
 */
export interface BenchContext {
  /** A few seconds and relaxed sizes, to prove the benchmark still produces numbers. */
  smoke: boolean;
  /** Extra command-line options after the name, e.g. `--minutes 1`. */
  options: Record<string, string>;
  /** Progress for a human watching; silent in smoke runs. */
  log: (line: string) => void;
  /** Details the machine info should carry, e.g. the version of the Chromium a benchmark drove. */
  machine: (details: { chromium?: string }) => void;
}

export interface BenchResult {
  /** What was measured, e.g. `messages/s (this matcher)`. */
  metric: string;
  value: number;
  unit: string;
  /** The reference measured in the same run, when the benchmark has one. */
  reference?: { metric: string; value: number };
  /** value / reference.value, or as the benchmark defines it for lower-is-better metrics. */
  ratio?: number;
  /** The target in words, e.g. `≥ 500,000 messages/s`. */
  target?: string;
  /** Whether the target was met (absent when there is no target). */
  met?: boolean;
}

export interface Benchmark {
  name: string;
  description: string;
  /**
   * A part of the machine the benchmark needs (e.g. Chromium) and why it is missing, or null when
   * it is there. Without it the benchmark is skipped with the reason (the smoke test fails
   * instead under MODDECK_REQUIRE_ALL=1).
   */
  requires?: { part: string; problem: () => string | null };
  run(context: BenchContext): Promise<BenchResult[]>;
}
