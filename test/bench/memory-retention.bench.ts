/**
 * `npm run bench -- memory-retention`: what the message store costs on disk and what pruning does
 * to it. Fills a store in a temp folder with seeded English and Korean chat (500-event batches, one
 * transaction each, as the worker writes them), then lets the older half go by age and measures
 * the file after each step of tidying: after the deletes, after the store's own tidying (FTS5
 * `merge` and `incremental_vacuum`, in steps), and after FTS5 `optimize` for comparison. Also one
 * search of each kind on the full store, beside a `LIKE '%…%'` scan of the same text.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryDatabase } from '../../src/main/services/memory/database';
import { DAY, chat, seeded } from './storeCorpus';
import type { BenchResult, Benchmark } from './types';

function timed<T>(work: () => T): { value: T; ms: number } {
  const started = performance.now();
  const value = work();
  return { value, ms: performance.now() - started };
}

const benchmark: Benchmark = {
  name: 'memory-retention',
  description: 'message store: bytes per message, pruning half by age, search by kind',
  run: ({ smoke, log }) => {
    const total = smoke ? 5_000 : 200_000;
    const dir = mkdtempSync(join(tmpdir(), 'moddeck-bench-memory-'));
    const store = new MemoryDatabase(join(dir, 'memory.sqlite'));
    try {
      const random = seeded(42);
      const start = Date.now() - 40 * DAY;
      const step = (40 * DAY) / total;
      const ingest = timed(() => {
        for (let index = 0; index < total; index += 500) {
          const events = Array.from({ length: Math.min(500, total - index) }, (_, offset) =>
            chat(random, index + offset, Math.round(start + (index + offset) * step)),
          );
          store.ingest({ at: Date.now(), events, updates: [], rooms: [] });
        }
      });
      const checkpoint = (): number => {
        store.db.pragma('wal_checkpoint(TRUNCATE)');
        return store.size().bytes;
      };
      const full = checkpoint();
      const indexBytes = (name: string): number =>
        (
          store.db
            .prepare<[string], { bytes: number }>(
              "SELECT sum(pgsize) AS bytes FROM dbstat WHERE name LIKE ? || '%'",
            )
            .get(name) ?? { bytes: 0 }
        ).bytes;
      const trigramBytes = indexBytes('events_trigram');
      const pairsBytes = indexBytes('events_pairs');
      log(`stored ${total} messages in ${Math.round(ingest.ms)} ms: ${full} bytes`);

      const search = (terms: string[]): number =>
        timed(() => store.events({ terms, limit: 50 })).ms;
      // A scan from the newest stops at its 50th match: quick for a common word, the whole table
      // for a word found nowhere.
      const scan = (word: string): number =>
        timed(
          () =>
            store.db
              .prepare('SELECT seq FROM events WHERE text LIKE ? ORDER BY seq DESC LIMIT 50')
              .all(`%${word}%`).length,
        ).ms;
      const scans = { korean: scan('바보'), rare: scan('nothing-like-this') };
      const searches = {
        long: search(['follow']),
        korean: search(['바보']),
        english: search(['gg']),
        rare: search(['nothing-like-this']),
      };

      // Half the messages are older than 20 days: let them go.
      const retention = { maxAgeMs: 20 * DAY, maxBytes: 1e12 };
      const prune = timed(() => {
        let steps = 0;
        let longest = 0;
        for (;;) {
          const one = timed(() => store.pruneStep(Date.now(), retention, 2000));
          steps += 1;
          longest = Math.max(longest, one.ms);
          if (one.value === 0) break;
        }
        return { steps, longest };
      });
      const afterDelete = checkpoint();
      const trigramAfterDelete = indexBytes('events_trigram');
      const tidy = timed(() => {
        let steps = 0;
        let longest = 0;
        for (let more = true; more; steps += 1) {
          const one = timed(() => store.tidyStep(256));
          more = one.value;
          longest = Math.max(longest, one.ms);
        }
        return { steps, longest };
      });
      const afterTidy = checkpoint();
      const trigramAfterTidy = indexBytes('events_trigram');
      const optimize = timed(() => {
        store.db.prepare("INSERT INTO events_trigram (events_trigram) VALUES ('optimize')").run();
        store.db.prepare("INSERT INTO events_pairs (events_pairs) VALUES ('optimize')").run();
        store.db.pragma('incremental_vacuum');
      });
      const afterOptimize = checkpoint();
      const trigramAfterOptimize = indexBytes('events_trigram');
      const kept = store.size().events;

      const results: BenchResult[] = [
        {
          metric: 'messages stored per second (500 a transaction)',
          value: Math.round(total / (ingest.ms / 1000)),
          unit: 'msg/s',
        },
        {
          metric: 'bytes on disk per message, indexes included',
          value: Math.round(full / total),
          unit: 'B',
          target: '≤ 400',
          met: full / total <= 400,
        },
        {
          metric: 'trigram index, bytes per message',
          value: Math.round(trigramBytes / total),
          unit: 'B',
        },
        {
          metric: 'pair index (1–2 characters), bytes per message',
          value: Math.round(pairsBytes / total),
          unit: 'B',
        },
        {
          metric: `search "follow" (trigram), ${total} messages`,
          value: round(searches.long),
          unit: 'ms',
        },
        {
          metric: `search "바보" (pairs), ${total} messages`,
          value: round(searches.korean),
          unit: 'ms',
          reference: { metric: "LIKE '%바보%' scan", value: round(scans.korean) },
        },
        {
          metric: `search "gg" (pairs), ${total} messages`,
          value: round(searches.english),
          unit: 'ms',
        },
        {
          metric: `search a term found nowhere, ${total} messages`,
          value: round(searches.rare),
          unit: 'ms',
          reference: { metric: 'LIKE scan', value: round(scans.rare) },
        },
        {
          metric: `pruning ${total - kept} messages: longest step (2,000 rows)`,
          value: round(prune.value.longest),
          unit: 'ms',
        },
        {
          metric: 'file after the deletes, of the full file',
          value: ratio(afterDelete, full),
          unit: '%',
        },
        {
          metric: 'trigram index after the deletes, of its full size',
          value: ratio(trigramAfterDelete, trigramBytes),
          unit: '%',
        },
        {
          metric: `file after tidying (${tidy.value.steps} steps, longest ${round(tidy.value.longest)} ms), of the full file`,
          value: ratio(afterTidy, full),
          unit: '%',
        },
        {
          metric: 'trigram index after tidying, of its full size',
          value: ratio(trigramAfterTidy, trigramBytes),
          unit: '%',
        },
        {
          metric: `file after FTS5 optimize (${Math.round(optimize.ms)} ms, one stall), of the full file`,
          value: ratio(afterOptimize, full),
          unit: '%',
        },
        {
          metric: 'trigram index after optimize, of its full size',
          value: ratio(trigramAfterOptimize, trigramBytes),
          unit: '%',
        },
      ];
      return Promise.resolve(results);
    } finally {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}

function ratio(part: number, whole: number): number {
  return Math.round((part / whole) * 1000) / 10;
}

export default benchmark;
