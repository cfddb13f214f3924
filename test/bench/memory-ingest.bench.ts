/**
 * `npm run bench -- memory-ingest`: what keeping the history costs the main thread, and how fast
 * the worker commits. Posts 100,000 events (200 batches of 500, 50 rooms, 2,000 users, English
 * and Korean) to a real memory worker on a temp folder as fast as the loop goes, then waits for
 * the worker to have committed them all.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../../src/main/clock';
import { silentLogger } from '../../src/main/logger';
import { MemoryStore } from '../../src/main/services/memory/memory';
import { chatEvent, startTestWorker } from '../support/memory';
import type { BenchResult, Benchmark } from './types';

const benchmark: Benchmark = {
  name: 'memory-ingest',
  description: 'message store: main-thread cost of posting batches, worker commit rate',
  run: async ({ smoke }) => {
    const batchCount = smoke ? 10 : 200;
    const dir = mkdtempSync(join(tmpdir(), 'moddeck-bench-ingest-'));
    const memory = new MemoryStore({
      file: join(dir, 'memory.sqlite'),
      startWorker: startTestWorker,
      clock: systemClock,
      log: silentLogger,
      describeRoom: () => ({ accountId: 'a', provider: 'flipflop', name: 'Lobby' }),
    });
    try {
      const batches = Array.from({ length: batchCount }, (_, batch) =>
        Array.from({ length: 500 }, (_, index) => {
          const n = batch * 500 + index;
          return chatEvent(`a/room${n % 50}`, `message ${n} 안녕하세요 바보야 hello there`, {
            userId: `user${n % 2000}`,
            id: `e${n}`,
          });
        }),
      );
      const total = batchCount * 500;
      await memory.request('flush', {});
      const started = performance.now();
      for (const events of batches) memory.ingest({ events, updates: [], stats: [] });
      // The loop is synchronous: its wall time is the main thread's (the process's CPU time would
      // count the worker's commits too, which run meanwhile).
      const posted = performance.now();
      await memory.request('flush', {});
      const committed = performance.now();
      const results: BenchResult[] = [
        {
          metric: 'main thread per event posted (structured clone included)',
          value: Math.round((((posted - started) * 1000) / total) * 100) / 100,
          unit: 'µs',
        },
        {
          metric: `main thread, ${total} events in ${batchCount} batches (wall)`,
          value: Math.round(posted - started),
          unit: 'ms',
        },
        {
          metric: 'worker commit rate, one transaction per 500-event batch',
          value: Math.round(total / ((committed - started) / 1000)),
          unit: 'events/s',
          target: '≥ 20,000',
          met: total / ((committed - started) / 1000) >= 20_000,
        },
      ];
      return results;
    } finally {
      await memory.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

export default benchmark;
