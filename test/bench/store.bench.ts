/**
 * `npm run bench -- store`: the message store on a seeded store of 5,000,000 messages (English and
 * Korean, 2,000 users, 50 rooms, 30 days; `storeFixture.ts`, generated once and cached), each
 * figure beside a reference measured in the same run:
 *
 * - `size`: bytes on disk per message, indexes included, and each part's share (`dbstat`).
 * - `search`: p50/p95 of each query kind through `MemoryDatabase.search` (the worker's path for
 *   `history.search`), beside a `LIKE '%word%'` scan of the same words (`storeSearch.ts`).
 * - `first-message`: first-message's first start with the 5M store in the profile, beside the same
 *   start without a history (needs Chromium; skipped with the reason without it).
 * - `ingest`: the pipeline with the store off and on, at the same offered rate (`storeIngest.ts`).
 * - `worker`: the worker alone on a copy of the 5M store at 20,000 events a second for 30 s,
 *   beside the same into an empty store.
 * - `kill`: kill -9 of the kill test's writer at 5,000 events a second, ten times (`storeKill.ts`).
 *
 * Options: --messages N (5,000,000), --parts size,search,first-message,ingest,worker,kill (all),
 * --runs N (search runs per kind, 20), --search-budget S (seconds per kind before it stops at
 * three runs or more, 30), --first-runs N (3), --ingest-rate N (20,000), --ingest-seconds N (20),
 * --ingest-rounds N (3), --worker-rate N (20,000), --worker-seconds N (30), --kills N (10).
 */
import Database from 'better-sqlite3';
import {
  constants,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryDatabase } from '../../src/main/services/memory/database';
import { CHROMIUM, launchBenchBrowser } from './browserBench';
import { firstStart, type Start } from './first-message.bench';
import { median, whole } from './stats';
import { storeFixture, type Fixture } from './storeFixture';
import { measurePipeline, measureWorker, workerRows } from './storeIngest';
import { measureKills } from './storeKill';
import { measureSearch } from './storeSearch';
import type { BenchContext, BenchResult, Benchmark } from './types';

const PARTS = ['size', 'search', 'first-message', 'ingest', 'worker', 'kill'] as const;
type Part = (typeof PARTS)[number];

function sizeRows(fixture: Fixture, log: (line: string) => void): BenchResult[] {
  const db = new Database(fixture.file, { readonly: true });
  try {
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    const pages = db.pragma('page_count', { simple: true }) as number;
    const bytes = pageSize * pages;
    const parts = db
      .prepare<[], { name: string; bytes: number }>(
        'SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC',
      )
      .all();
    const share = (prefix: string) =>
      parts
        .filter((part) => part.name.startsWith(prefix))
        .reduce((sum, part) => sum + part.bytes, 0) / fixture.count;
    log(
      `${whole(bytes)} bytes: ` +
        parts
          .slice(0, 10)
          .map((part) => `${part.name} ${(part.bytes / fixture.count).toFixed(0)} B`)
          .join(', '),
    );
    return [
      {
        metric: `bytes on disk per message, indexes included, ${whole(fixture.count)} messages`,
        value: bytes / fixture.count,
        unit: 'B',
        target: '≤ 400',
        met: bytes / fixture.count <= 400,
      },
      { metric: 'of which the events table', value: share('events') - share('events_'), unit: 'B' },
      { metric: 'of which its B-tree indexes', value: share('events_by_'), unit: 'B' },
      { metric: 'of which the trigram index', value: share('events_trigram'), unit: 'B' },
      { metric: 'of which the pair index', value: share('events_pairs'), unit: 'B' },
    ];
  } finally {
    db.close();
  }
}

/**
 * First starts with the store in a fresh profile, each beside one without a history. The store is
 * moved (not copied) from one run's profile to the next, so every run is a first start of the app
 * with a big history.
 */
async function firstMessageRows(
  store: string,
  work: string,
  runs: number,
  log: (line: string) => void,
  machine: BenchContext['machine'],
): Promise<BenchResult[]> {
  const problem = CHROMIUM.problem();
  if (problem !== null) {
    log(`first message skipped: Chromium is missing (${problem})`);
    return [];
  }
  const browser = await launchBenchBrowser();
  const withStore: Start[] = [];
  const without: Start[] = [];
  let current = store;
  try {
    machine({ chromium: browser.version() });
    // The first start in a process pays for loading the host's modules: not counted.
    await firstStart(browser, 99);
    for (let run = 0; run < runs; run += 1) {
      without.push(await firstStart(browser, 100 + run));
      const profile = join(work, `profile-${run}`);
      const file = join(profile, 'memory.sqlite');
      mkdirSync(profile, { mode: 0o700 });
      renameSync(current, file);
      for (const suffix of ['-wal', '-shm']) {
        if (existsSync(current + suffix)) renameSync(current + suffix, file + suffix);
      }
      current = file;
      withStore.push(await firstStart(browser, 100 + run, profile));
      log(
        `run ${run + 1}: first message ${withStore.at(-1)?.firstMessage.toFixed(0)} ms with the ` +
          `store (host ready ${withStore.at(-1)?.hostReady.toFixed(0)} ms), ` +
          `${without.at(-1)?.firstMessage.toFixed(0)} ms without`,
      );
    }
  } finally {
    await browser.close();
    // The store goes back where the next parts expect it.
    if (current !== store) {
      renameSync(current, store);
      for (const suffix of ['-wal', '-shm']) {
        if (existsSync(current + suffix)) renameSync(current + suffix, store + suffix);
      }
    }
  }
  const first = (starts: Start[]) => median(starts.map((start) => start.firstMessage));
  const value = first(withStore);
  const reference = first(without);
  return [
    {
      metric: `host start → first message painted with the store in the profile, median of ${runs}`,
      value,
      unit: 'ms',
      reference: { metric: 'the same start without a history, median', value: reference },
      ratio: value / reference,
      target: '≤ 1,500 ms',
      met: value <= 1500,
    },
    {
      metric: 'host start → host ready with the store, median',
      value: median(withStore.map((start) => start.hostReady)),
      unit: 'ms',
      reference: {
        metric: 'without a history',
        value: median(without.map((start) => start.hostReady)),
      },
    },
  ];
}

async function run(context: BenchContext): Promise<BenchResult[]> {
  const { smoke, options, log } = context;
  const option = (name: string, normal: number, small: number) =>
    Number(options[name] ?? (smoke ? small : normal));
  const count = option('messages', 5_000_000, 2_000);
  const parts = new Set<Part>(
    options['parts'] === undefined
      ? PARTS
      : options['parts'].split(',').map((part) => {
          if (!(PARTS as readonly string[]).includes(part)) {
            throw new Error(`--parts takes some of ${PARTS.join(', ')}, not ${part}`);
          }
          return part as Part;
        }),
  );
  const results: BenchResult[] = [];
  // The machine is shared: each part's log line says how loaded it was.
  const load = (part: string) =>
    log(
      `${part}: load average ${loadavg()
        .map((value) => value.toFixed(2))
        .join(' / ')}`,
    );
  const fixture = storeFixture(count, smoke ? () => undefined : log);
  if (fixture.generatedSeconds !== null) {
    results.push({
      metric: `seeded store generated (${whole(count)} messages, 50,000 a transaction, tidied)`,
      value: count / fixture.generatedSeconds,
      unit: 'msg/s',
    });
  }
  if (parts.has('size')) {
    load('size');
    results.push(...sizeRows(fixture, log));
  }
  if (parts.has('search')) {
    load('search');
    // Opened as the worker opens it; searching writes nothing.
    const store = new MemoryDatabase(fixture.file);
    try {
      results.push(
        ...measureSearch(store, {
          runs: option('runs', 20, 2),
          budgetMs: option('search-budget', 30, 5) * 1000,
          count,
          log,
        }),
      );
    } finally {
      store.close();
    }
  }
  const work = mkdtempSync(join(tmpdir(), 'moddeck-bench-store-'));
  try {
    const copy = join(work, 'memory.sqlite');
    if (parts.has('first-message') || parts.has('worker')) {
      const started = performance.now();
      copyFileSync(fixture.file, copy, constants.COPYFILE_FICLONE);
      log(`copied the store in ${whole(performance.now() - started)} ms`);
    }
    if (parts.has('first-message')) {
      load('first-message');
      results.push(
        ...(await firstMessageRows(copy, work, option('first-runs', 3, 1), log, context.machine)),
      );
    }
    if (parts.has('ingest')) {
      load('ingest');
      results.push(
        ...(await measurePipeline({
          rate: option('ingest-rate', 20_000, 1_200),
          seconds: option('ingest-seconds', 20, 1),
          rounds: option('ingest-rounds', 3, 1),
          log,
        })),
      );
    }
    if (parts.has('worker')) {
      load('worker');
      const rate = option('worker-rate', 20_000, 2_000);
      const seconds = option('worker-seconds', 30, 1);
      const big = await measureWorker({ file: copy, rate, seconds, label: 'big store', log });
      const empty = await measureWorker({
        file: join(work, 'empty.sqlite'),
        rate,
        seconds,
        label: 'empty store',
        log,
      });
      results.push(...workerRows(rate, seconds, big, empty, count));
    }
    if (parts.has('kill')) {
      load('kill');
      results.push(...(await measureKills({ dir: work, kills: option('kills', 10, 1), log })));
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return results;
}

const benchmark: Benchmark = {
  name: 'store',
  description:
    'message store on a seeded 5M-message store: size, search by kind vs LIKE, first message, ingest on/off, worker at 20,000/s, kill -9',
  run,
};

export default benchmark;
