/**
 * The `store` benchmark's kill figures: the kill test's writer (`test/support/memoryWriter.ts`,
 * 5,000 events a second through a real memory worker) killed with SIGKILL at a seeded moment
 * 1–3 s after its first commit, `kills` times on the same file; after each, the file is reopened
 * and checked (`PRAGMA integrity_check` and both full-text indexes' own checks) and the events it
 * kept are counted against those the writer had posted.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { seeded } from './storeCorpus';
import { writeThenKill } from '../support/killedWriter';
import { whole } from './stats';
import type { BenchResult } from './types';

/** The writer's rate, events a second. */
const WRITER_RATE = 5000;

export async function measureKills(options: {
  dir: string;
  kills: number;
  log: (line: string) => void;
}): Promise<BenchResult[]> {
  const file = join(options.dir, 'killed.sqlite');
  const random = seeded(9);
  const lost: number[] = [];
  let intact = 0;
  let keptBefore = 0;
  for (let round = 0; round < options.kills; round += 1) {
    const prefix = `k${round}-`;
    const delay = 1000 + Math.round(random() * 2000);
    const reported = await writeThenKill(file, prefix, { delayMs: delay });
    const db = new Database(file);
    try {
      let ok = db.pragma('integrity_check', { simple: true }) === 'ok';
      try {
        db.prepare(
          "INSERT INTO events_trigram (events_trigram, rank) VALUES ('integrity-check', 1)",
        ).run();
        db.prepare("INSERT INTO events_pairs (events_pairs) VALUES ('integrity-check')").run();
      } catch {
        ok = false;
      }
      if (ok) intact += 1;
      const kept = (
        db
          .prepare<[string], { n: number }>(
            'SELECT count(*) AS n FROM events WHERE event_id LIKE ?',
          )
          .get(`${prefix}%`) ?? { n: 0 }
      ).n;
      const total = (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
      lost.push(reported.posted - kept);
      options.log(
        `kill ${round + 1} after ${delay} ms: ${ok ? 'intact' : 'DAMAGED'}; posted ` +
          `${whole(reported.posted)}, reported committed ${whole(reported.committed)}, kept ` +
          `${whole(kept)}, lost ${whole(reported.posted - kept)}` +
          (total === keptBefore + kept
            ? ''
            : ` (the file holds ${total}, expected ${keptBefore + kept})`),
      );
      keptBefore = total;
    } finally {
      db.close();
    }
  }
  const worst = Math.max(...lost);
  const mean = lost.reduce((sum, value) => sum + value, 0) / lost.length;
  return [
    {
      metric: `kill -9 while writing at ${whole(WRITER_RATE)} msg/s: reopens passing integrity_check`,
      value: intact,
      unit: `of ${options.kills}`,
      target: `${options.kills} of ${options.kills}`,
      met: intact === options.kills,
    },
    {
      metric: `events lost per kill, worst of ${options.kills} (posted, not kept)`,
      value: worst,
      unit: 'events',
      target: `≤ ${whole(WRITER_RATE)} (one second)`,
      met: worst <= WRITER_RATE,
    },
    { metric: `events lost per kill, mean of ${options.kills}`, value: mean, unit: 'events' },
  ];
}
