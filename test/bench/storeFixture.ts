/**
 * The seeded message store the `store` benchmark measures: `count` messages (5,000,000 unless
 * told) of `storeCorpus.ts`'s English and Korean chat, 2,000 users, 50 rooms, spread evenly over
 * the 30 days before it was generated. Written through the store's own `MemoryDatabase.ingest`
 * (every table and both full-text indexes, as the app writes them) in transactions of 50,000
 * events, then tidied with the store's own steps (`tidyStep`, as the worker does after a prune) so
 * its full-text segments are merged as a store the app has run for a while would have them.
 *
 * One in 50 messages is flagged, one in 300 hidden, one in 1,000 deleted (chosen by position, so
 * the text is exactly `memory-retention`'s). Cached under `node_modules/.cache/moddeck-bench/`,
 * keyed by the schema version and {@link GENERATOR_VERSION}: a new migration, or a change here,
 * makes a new one.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ChatEvent } from '../../src/shared/chat';
import { MemoryDatabase } from '../../src/main/services/memory/database';
import { LATEST_VERSION } from '../../src/main/services/memory/schema';
import type { StoreBatch } from '../../src/main/services/memory/types';
import { DAY, ROOMS, chat, seeded } from './storeCorpus';
import { whole } from './stats';

/** Bump when the generator writes anything differently: cached stores are then made again. */
export const GENERATOR_VERSION = 1;

const TRANSACTION = 50_000;
const SPAN = 30 * DAY;
export const FLAG_RULE = 'bench-rule';

export const CACHE = join(
  import.meta.dirname,
  '..',
  '..',
  'node_modules',
  '.cache',
  'moddeck-bench',
);

export interface Fixture {
  file: string;
  count: number;
  /** Seconds it took to generate, or null when it came from the cache. */
  generatedSeconds: number | null;
}

function decorate(event: ChatEvent, index: number): ChatEvent {
  if (index % 50 === 7) {
    const end = event.text.indexOf(' ');
    event.flags = [{ ruleId: FLAG_RULE, start: 0, end: end === -1 ? event.text.length : end }];
  }
  if (index % 1000 === 13) event.state = 'deleted';
  else if (index % 300 === 11) event.state = 'hidden';
  return event;
}

/** The cached store of `count` messages, generated first when there is none. */
export function storeFixture(count: number, log: (line: string) => void): Fixture {
  mkdirSync(CACHE, { recursive: true });
  const name = `store-s${LATEST_VERSION}-g${GENERATOR_VERSION}-${count}.sqlite`;
  const file = join(CACHE, name);
  if (existsSync(file)) {
    log(`seeded store from the cache: ${file} (${whole(statSync(file).size)} bytes)`);
    return { file, count, generatedSeconds: null };
  }
  // Older versions' stores are of no further use and large.
  for (const old of readdirSync(CACHE)) {
    if (old.startsWith('store-') && old.endsWith(`-${count}.sqlite`)) {
      rmSync(join(CACHE, old), { force: true });
    }
  }
  const partial = `${file}.partial`;
  for (const suffix of ['', '-wal', '-shm']) rmSync(partial + suffix, { force: true });
  const started = performance.now();
  const store = new MemoryDatabase(partial);
  try {
    const random = seeded(42);
    const end = Date.now();
    const start = end - SPAN;
    const step = SPAN / count;
    const rooms: StoreBatch['rooms'] = Array.from({ length: ROOMS }, (_, room) => ({
      roomKey: `acct/room${room}`,
      accountId: 'acct',
      provider: 'flipflop',
      name: `Room ${room}`,
    }));
    for (let index = 0; index < count; index += TRANSACTION) {
      const events = Array.from({ length: Math.min(TRANSACTION, count - index) }, (_, offset) =>
        decorate(
          chat(random, index + offset, Math.round(start + (index + offset) * step)),
          index + offset,
        ),
      );
      store.ingest({ at: end, events, updates: [], rooms: index === 0 ? rooms : [] });
      const done = index + events.length;
      if (done % 500_000 === 0 || done === count) {
        log(`generating: ${whole(done)} of ${whole(count)} in ${seconds(started)} s`);
      }
    }
    let steps = 0;
    while (store.tidyStep(256)) steps += 1;
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    log(`tidied in ${steps} steps; generated in ${seconds(started)} s`);
  } finally {
    store.close();
  }
  renameSync(partial, file);
  for (const suffix of ['-wal', '-shm']) rmSync(partial + suffix, { force: true });
  return { file, count, generatedSeconds: (performance.now() - started) / 1000 };
}

function seconds(started: number): string {
  return ((performance.now() - started) / 1000).toFixed(0);
}
