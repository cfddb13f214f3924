/**
 * The soak benchmark's subject, in a process of its own so that its memory is the pipeline's and
 * nothing else's: the main-process services on a sandbox (given as its JSON line), with every
 * batch serialised as IPC would. Every `--interval-ms` it prints one JSON line of memory figures;
 * it stops after `--seconds`, or when its standard input closes. With `--gc forced` it collects
 * garbage before each line; with `--gc natural` (the default) it leaves collection to V8, as in
 * the app, and reports the heap in use right after V8's latest full collection.
 *
 * node --expose-gc --import tsx test/bench/soakWorker.ts --sandbox JSON --rooms 1001,1002 ...
 */
import { setTimeout as wait } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { constants, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { getHeapSpaceStatistics, getHeapStatistics } from 'node:v8';
import { benchRules, startPipeline } from './pipelineCore';
import type { SandboxReady } from './sandboxProcess';

export interface SoakSample {
  seconds: number;
  rssBytes: number;
  heapUsedBytes: number;
  /** What V8 holds for its heap (used or not): RSS beyond it is the process's other memory. */
  heapTotalBytes: number;
  /** Of that, the young generation's spaces, which V8 grows with the allocation rate. */
  youngBytes: number;
  /** The old generation's pages and the part of them in use: what they hold beyond that is free. */
  oldBytes: number;
  oldUsedBytes: number;
  /** Objects too large for a page (big arrays and maps), each in space of its own. */
  largeObjectBytes: number;
  externalBytes: number;
  /** Full collections so far (forced ones included). */
  majorCollections: number;
  /** Events handed on in batches so far. */
  events: number;
  /** Events the room buffers hold now, and how many of those are pinned (flagged). */
  buffered: number;
  pinned: number;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sandbox: { type: 'string' },
      rooms: { type: 'string' },
      seconds: { type: 'string' },
      'interval-ms': { type: 'string' },
      rules: { type: 'string' },
      gc: { type: 'string' },
    },
  });
  const forced = values.gc === 'forced';
  const collect = (globalThis as { gc?: () => void }).gc;
  if (forced && !collect) throw new Error('run with --expose-gc');
  // The heap in use right after V8's latest full collection (natural mode).
  let afterCollection: number | null = null;
  let majorCollections = 0;
  const collections = new PerformanceObserver((list) => {
    // A garbage collection's entry carries its kind in `detail` (Node's types leave it out).
    for (const entry of list.getEntries() as Array<PerformanceEntry & { detail?: unknown }>) {
      if (
        (entry.detail as { kind?: number } | undefined)?.kind ===
        constants.NODE_PERFORMANCE_GC_MAJOR
      ) {
        afterCollection = getHeapStatistics().used_heap_size;
        majorCollections += 1;
      }
    }
  });
  if (!forced) collections.observe({ entryTypes: ['gc'] });
  const ready = JSON.parse(values.sandbox ?? '') as SandboxReady;
  const seconds = Number(values.seconds ?? 300);
  const intervalMs = Number(values['interval-ms'] ?? 10_000);
  const pipeline = await startPipeline({
    ready,
    roomIds: (values.rooms ?? '').split(','),
    rules: benchRules(Number(values.rules ?? 1000)),
  });
  const stop = new AbortController();
  process.stdin.on('end', () => stop.abort());
  process.stdin.resume();
  const started = performance.now();
  process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
  try {
    for (let next = intervalMs; next <= seconds * 1000; next += intervalMs) {
      const stopped = await wait(Math.max(0, started + next - performance.now()), false, {
        signal: stop.signal,
      }).catch(() => true);
      if (stopped) break;
      if (forced) {
        collect?.();
        majorCollections += 1;
      }
      const memory = process.memoryUsage();
      const spaces = getHeapSpaceStatistics();
      const old = spaces.find((space) => space.space_name === 'old_space');
      const large = spaces.find((space) => space.space_name === 'large_object_space');
      let buffered = 0;
      let pinned = 0;
      for (const roomKey of pipeline.roomKeys) {
        const { events } = pipeline.core.feeds.snapshot(roomKey);
        buffered += events.length;
        for (const event of events) if (event.flags.length > 0) pinned += 1;
      }
      const sample: SoakSample = {
        seconds: (performance.now() - started) / 1000,
        rssBytes: memory.rss,
        heapUsedBytes: forced ? memory.heapUsed : (afterCollection ?? memory.heapUsed),
        heapTotalBytes: memory.heapTotal,
        youngBytes: spaces
          .filter((space) => space.space_name.startsWith('new_'))
          .reduce((sum, space) => sum + space.space_size, 0),
        oldBytes: old?.space_size ?? 0,
        oldUsedBytes: old?.space_used_size ?? 0,
        largeObjectBytes: large?.space_size ?? 0,
        externalBytes: memory.external,
        majorCollections,
        events: pipeline.counters.events,
        buffered,
        pinned,
      };
      process.stdout.write(`${JSON.stringify(sample)}\n`);
    }
  } finally {
    collections.disconnect();
    process.stdin.pause();
    await pipeline.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
