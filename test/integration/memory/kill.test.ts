import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeThenKill } from '../../support/killedWriter';
import { useTempDir } from '../../support/tempDir';

describe('the memory store killed mid-write', () => {
  it('opens intact after each SIGKILL and keeps every batch it reported committed', async () => {
    const dir = await useTempDir('moddeck-memory-');
    const file = join(dir, 'memory.sqlite');
    let keptBefore = 0;
    for (const round of ['a', 'b', 'c']) {
      const reported = await writeThenKill(file, round, { atLeast: 1000 });
      const db = new Database(file);
      try {
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        db.prepare(
          "INSERT INTO events_trigram (events_trigram, rank) VALUES ('integrity-check', 1)",
        ).run();
        db.prepare("INSERT INTO events_pairs (events_pairs) VALUES ('integrity-check')").run();
        const ids = db
          .prepare<[string], { event_id: string }>(
            'SELECT event_id FROM events WHERE event_id LIKE ? ORDER BY seq',
          )
          .all(`${round}%`)
          .map((row) => row.event_id);
        // Nothing reported committed is lost, and what is kept is whole batches, in order.
        expect(ids.length).toBeGreaterThanOrEqual(reported.committed);
        // Lost: what was posted and not committed, less than a second's worth (5,000 events).
        expect(reported.posted - ids.length).toBeLessThan(5000);
        // MODDECK_MEMORY_KILL_REPORT=1 prints the counts (the README's figures).
        if (process.env['MODDECK_MEMORY_KILL_REPORT'] === '1')
          process.stderr.write(
            `kill ${round}: ${JSON.stringify({ ...reported, kept: ids.length })}\n`,
          );
        expect(ids.length % 50).toBe(0);
        expect(ids).toEqual(Array.from({ length: ids.length }, (_, index) => `${round}${index}`));
        const total = (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
        expect(total).toBe(keptBefore + ids.length);
        keptBefore = total;
      } finally {
        db.close();
      }
    }
  });
});
