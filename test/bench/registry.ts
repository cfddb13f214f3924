import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Benchmark } from './types';

const folder = import.meta.dirname;

/** Every `*.bench.ts` in this folder, in name order. */
export async function loadBenchmarks(): Promise<Benchmark[]> {
  const files = (await readdir(folder)).filter((name) => name.endsWith('.bench.ts')).sort();
  const benchmarks: Benchmark[] = [];
  for (const file of files) {
    const module = (await import(join(folder, file))) as { default: Benchmark };
    benchmarks.push(module.default);
  }
  return benchmarks;
}
