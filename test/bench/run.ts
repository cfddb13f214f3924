/**
 * `npm run bench` runs every benchmark; `npm run bench -- NAME [--option value]` runs one.
 * Prints a table and merges the rows into `bench-results/latest.json` with the machine's details.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { machineInfo, type MachineInfo } from './machine';
import { loadBenchmarks } from './registry';
import type { BenchResult } from './types';

interface Row extends BenchResult {
  name: string;
}

interface Report {
  date: string;
  machine: MachineInfo;
  results: Row[];
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
  let chromium: string | undefined;
  for (const benchmark of chosen) {
    process.stdout.write(`\n▶ ${benchmark.name}: ${benchmark.description}\n`);
    const results = await benchmark.run({
      smoke: false,
      options,
      log: (line) => process.stdout.write(`  ${line}\n`),
    });
    for (const result of results) rows.push({ name: benchmark.name, ...result });
    chromium ??= options['chromium-version'];
  }
  process.stdout.write(`\n${table(rows)}\n`);

  const folder = join(process.cwd(), 'bench-results');
  await mkdir(folder, { recursive: true });
  const path = join(folder, 'latest.json');
  const previous = await readFile(path, 'utf8')
    .then((text) => (JSON.parse(text) as Report).results)
    .catch((): Row[] => []);
  const ran = new Set(chosen.map((benchmark) => benchmark.name));
  const report: Report = {
    date: new Date().toISOString(),
    machine: machineInfo(chromium ? { chromium } : {}),
    results: [...previous.filter((row) => !ran.has(row.name)), ...rows],
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
