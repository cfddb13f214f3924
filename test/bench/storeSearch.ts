/**
 * The `store` benchmark's search latencies: each query kind through `MemoryDatabase.search` with
 * a parsed query (the path `history.search` takes in the worker), one page of 50, newest first;
 * beside it, in the same run, a `LIKE '%word%'` scan of the same words (newest first, stopping at
 * its 50th match, as a search without the indexes would read).
 */
import type { MemoryDatabase } from '../../src/main/services/memory/database';
import { parseQuery, type Query } from '../../src/shared/search';
import { quantile, sorted } from './stats';
import type { BenchResult } from './types';

interface Kind {
  name: string;
  /** Queries taken in turn, as a moderator would type them. */
  queries: string[];
  /** The target for p95, in ms. */
  target: number;
  /** The words a `LIKE` scan looks for, per query (none: the reference is a full scan). */
  words?: string[][];
}

/** A word no message holds: `LIKE` reads the whole table for it. */
const NOWHERE = 'nothing-like-this';

export const KINDS: Kind[] = [
  {
    name: 'words',
    queries: ['follow stream', 'hello nice', 'spam link', '감사합니다 재밌다'],
    words: [
      ['follow', 'stream'],
      ['hello', 'nice'],
      ['spam', 'link'],
      ['감사합니다', '재밌다'],
    ],
    target: 50,
  },
  {
    name: '"phrase"',
    queries: ['"nice stream"', '"hello follow"', '"감사합니다 방송"'],
    words: [['nice stream'], ['hello follow'], ['감사합니다 방송']],
    target: 50,
  },
  { name: 'from:', queries: ['from:user17', 'from:user1234', 'from:user999'], target: 50 },
  { name: 'in:', queries: ['in:room7', 'in:room33', 'in:room49'], target: 50 },
  { name: 'is:flagged', queries: ['is:flagged'], target: 50 },
  { name: 'is:first', queries: ['is:first'], target: 50 },
  {
    name: 'two-character English word',
    queries: ['gg', 'ok'],
    words: [['gg'], ['ok']],
    target: 100,
  },
  {
    name: 'two-syllable Korean word',
    queries: ['바보', '방송', '채팅'],
    words: [['바보'], ['방송'], ['채팅']],
    target: 100,
  },
  {
    name: 'regex:',
    queries: ['regex:/fol+ow\\s+(gg|ok)/', 'regex:/바보야\\s+방송/', 'regex:/zz+q/'],
    target: 500,
  },
];

function timed(work: () => unknown): number {
  const started = performance.now();
  work();
  return performance.now() - started;
}

function parsed(text: string): Query {
  const result = parseQuery(text);
  if (!result.ok) throw new Error(`the benchmark's query ${text} does not parse: ${result.error}`);
  return result.query;
}

export function measureSearch(
  store: MemoryDatabase,
  options: { runs: number; budgetMs: number; count: number; log: (line: string) => void },
): BenchResult[] {
  const like = (words: string[]) =>
    store.db
      .prepare(
        `SELECT seq FROM events WHERE ${words.map(() => 'text LIKE ?').join(' AND ')}
         ORDER BY seq DESC LIMIT 50`,
      )
      .all(...words.map((word) => `%${word}%`));
  // Warm the page cache once, as a store in use would be.
  const fullScan = sorted(Array.from({ length: 3 }, () => timed(() => like([NOWHERE]))));
  const fullScanMs = quantile(fullScan, 0.5);
  options.log(`LIKE scan of the whole table (a word found nowhere): ${fullScanMs.toFixed(0)} ms`);
  const rows: BenchResult[] = [];
  for (const kind of KINDS) {
    const queries = kind.queries.map(parsed);
    const times: number[] = [];
    const references: number[] = [];
    let found = 0;
    let stoppedEarly = 0;
    const started = performance.now();
    for (let run = 0; run < options.runs; run += 1) {
      const index = run % queries.length;
      const query = queries[index] as Query;
      let page: ReturnType<MemoryDatabase['search']> | undefined;
      times.push(timed(() => (page = store.search(query, { limit: 50 }))));
      found += page?.results.length ?? 0;
      if (page?.stoppedEarly) stoppedEarly += 1;
      const words = kind.words?.[index];
      if (words) references.push(timed(() => like(words)));
      // A slow kind gets fewer runs once past its budget: at least three, or one alone when that
      // one took over a third of the budget (is:first without an index of its own takes minutes).
      const spent = performance.now() - started;
      if (spent > options.budgetMs && (run >= 2 || (times[0] ?? 0) > options.budgetMs / 3)) break;
    }
    const ordered = sorted(times);
    const p50 = quantile(ordered, 0.5);
    const p95 = quantile(ordered, 0.95);
    // The same words' scan, when the kind has words; otherwise a scan of the whole table.
    const reference =
      references.length > 0
        ? {
            metric: "LIKE '%word%' scan of the same words, p95",
            value: quantile(sorted(references), 0.95),
          }
        : { metric: 'LIKE scan of the whole table (no words to scan for)', value: fullScanMs };
    options.log(
      `${kind.name}: ${times.length} run${times.length === 1 ? '' : 's'}, p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, ` +
        `${(found / times.length).toFixed(0)} results a page` +
        `${stoppedEarly > 0 ? `, ${stoppedEarly} stopped early` : ''}; ${reference.metric} ` +
        `${reference.value.toFixed(1)} ms`,
    );
    const where = `${kind.name} (${kind.queries.join(' | ')})`;
    rows.push(
      { metric: `search p50, ${where}, ${options.count} messages`, value: p50, unit: 'ms' },
      {
        metric: `search p95, ${kind.name}, ${times.length} run${times.length === 1 ? '' : 's'}`,
        value: p95,
        unit: 'ms',
        reference,
        ratio: reference.value > 0 ? p95 / reference.value : 0,
        target: `p95 ≤ ${kind.target} ms`,
        met: p95 <= kind.target,
      },
    );
  }
  return rows;
}
