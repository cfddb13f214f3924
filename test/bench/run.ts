/**
 * `npm run bench` runs every benchmark; `npm run bench -- NAME [--option value]` runs one, and
 * `--smoke true` runs the short version that `npm run bench:smoke` runs. Prints a table and merges
 * the rows into `bench-results/latest.json` with the machine's details and the load average around
 * each benchmark (the machine may be shared: the load says how much it was).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { machineInfo, type MachineInfo } from './machine';
import { loadBenchmarks } from './registry';
import type { BenchResult } from './types';

interface Row extends BenchResult {
  name: string;
  /** 1-, 5- and 15-minute load averages before and after the benchmark ran. */
  loadAverage: { before: number[]; after: number[] };
}

interface Report {
  date: string;
  machine: MachineInfo;
  results: Row[];
}

function loads(): number[] {
  return loadavg().map((value) => Math.round(value * 100) / 100);
}

function parseArguments(argv: string[]): { names: string[]; options: Record<string, string> } {
  const names: string[] = [];
  const options: Record<string, string> = {};
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index] ?? '';
    if (argument.startsWith('--')) {
      const next = argv[index + 1];
      if (next !== undefined && !next.startsWith('--')) {
        options[argument.slice(2)] = next;
        index += 1;
      } else options[argument.slice(2)] = 'true';
    } else names.push(argument);
  }
  return { names, options };
}

function format(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString('en-US');
  return value.toFixed(Math.abs(value) >= 10 ? 1 : 2);
}

function table(rows: Row[]): string {
  const header = ['benchmark', 'metric', 'value', 'reference', 'ratio', 'target', 'met'];
  const lines = rows.map((row) => [
    row.name,
    row.metric,
    `${format(row.value)} ${row.unit}`,
    row.reference ? `${format(row.reference.value)} (${row.reference.metric})` : '',
    row.ratio === undefined ? '' : `${format(row.ratio)}×`,
    row.target ?? '',
    row.met === undefined ? '' : row.met ? 'yes' : 'NO',
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...lines.map((line) => (line[column] ?? '').length)),
  );
  const render = (cells: string[]) =>
    cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(' | ');
  return [
    render(header),
    widths.map((width) => '-'.repeat(width)).join('-|-'),
    ...lines.map(render),
  ].join('\n');
}

async function main(): Promise<void> {
  const { names, options } = parseArguments(process.argv.slice(2));
  const all = await loadBenchmarks();
  const unknown = names.filter((name) => !all.some((benchmark) => benchmark.name === name));
  if (unknown.length > 0) {
    throw new Error(
      `unknown benchmark(s) ${unknown.join(', ')}; known: ${all.map((b) => b.name).join(', ')}`,
    );
  }
  const chosen =
    names.length === 0 ? all : all.filter((benchmark) => names.includes(benchmark.name));
  const rows: Row[] = [];
  const machine: { chromium?: string } = {};
  const smoke = options['smoke'] === 'true';
  for (const benchmark of chosen) {
    process.stdout.write(`\n▶ ${benchmark.name}: ${benchmark.description}\n`);
    const problem = benchmark.requires?.problem() ?? null;
    if (problem !== null) {
      process.stdout.write(`  skipped: ${benchmark.requires?.part} is missing (${problem})\n`);
      continue;
    }
    const before = loads();
    process.stdout.write(`  load average ${before.join(' / ')}\n`);
    const results = await benchmark.run({
      smoke,
      options,
      log: (line) => process.stdout.write(`  ${line}\n`),
      machine: (details) => Object.assign(machine, details),
    });
    const after = loads();
    process.stdout.write(`  load average ${after.join(' / ')}\n`);
    for (const result of results) {
      rows.push({ name: benchmark.name, ...result, loadAverage: { before, after } });
    }
  }
  process.stdout.write(`\n${table(rows)}\n`);

  const folder = join(process.cwd(), 'bench-results');
  await mkdir(folder, { recursive: true });
  // A smoke run's numbers mean nothing; they must not replace real ones.
  const path = join(folder, smoke ? 'smoke.json' : 'latest.json');
  const previous = await readFile(path, 'utf8')
    .then((text) => JSON.parse(text) as Report)
    .catch(() => null);
  const ran = new Set(chosen.map((benchmark) => benchmark.name));
  const kept = (previous?.results ?? []).filter((row) => !ran.has(row.name));
  const report: Report = {
    date: new Date().toISOString(),
    // Rows kept from an earlier run that drove Chromium keep its version.
    machine: machineInfo({
      ...(previous?.machine.chromium ? { chromium: previous.machine.chromium } : {}),
      ...machine,
    }),
    results: [...kept, ...rows],
  };
  await writeFile(path, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`\nwritten to ${path}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
