import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { useTempDir } from '../../support/tempDir';

const root = new URL('../../..', import.meta.url).pathname;

/**
 * Starts the writer on the file, waits until it reports `atLeast` events committed, kills it with
 * SIGKILL, and answers with the last counts it reported: committed, and posted to the worker.
 */
async function writeThenKill(
  file: string,
  prefix: string,
  atLeast: number,
): Promise<{ committed: number; posted: number }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'test/support/memoryWriter.ts', file, prefix],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  onTestFinished(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  const reported = { committed: 0, posted: 0 };
  let buffered = '';
  await new Promise<void>((resolve, reject) => {
    child.on('exit', (code) => reject(new Error(`the writer ended by itself (${code})`)));
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const [kind, count] = line.split(' ');
        if (kind === 'committed' || kind === 'posted')
          reported[kind] = Math.max(reported[kind], Number(count));
      }
      if (reported.committed >= atLeast) resolve();
    });
  });
  child.removeAllListeners('exit');
  // 'close' comes once its output is read to the end: every line printed before the kill counts.
  const closed = once(child, 'close');
  child.kill('SIGKILL');
  await closed;
  return reported;
}

describe('the memory store killed mid-write', () => {
  it('opens intact after each SIGKILL and keeps every batch it reported committed', async () => {
    const dir = await useTempDir('moddeck-memory-');
    const file = join(dir, 'memory.sqlite');
    let keptBefore = 0;
    for (const round of ['a', 'b', 'c']) {
      const reported = await writeThenKill(file, round, 1000);
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
