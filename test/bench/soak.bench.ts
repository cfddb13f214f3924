/**
 * `npm run bench -- soak [--minutes N]`: the main-process services (live feed, normaliser, word
 * filter with 1,000 rules, room buffers, batches serialised as IPC would) at 1,000 messages/s over
 * 8 rooms of a sandbox process, for 5 minutes. The services run in a process of their own
 * (`soakWorker.ts`) so that its RSS is theirs alone; every 10 s it reports RSS and heap. Growth
 * is the largest rise from one sample to a later one in the window that starts at a sample with
 * main's buffers full (see below) and lasts the given minutes.
 *
 * "Full" has three parts: each room's ring of 5,000 unflagged events, its set of recent message
 * ids for dedupe (twice the scrollback), and its pinned flagged events (up to 10,000). At the
 * sandbox's default share of forbidden words (10 %) the pinned lists fill only after about 13
 * minutes at 1,000 msg/s, so the benchmark first fills every buffer at 16,000 msg/s (about a
 * minute), then turns the rate down to 1,000 msg/s and measures for the given minutes from the
 * first sample at least two minutes later that follows a full collection at the low rate: by then
 * what the high rate left behind is gone (garbage in the heap, socket and allocator buffers
 * outside it, and the old-space pages V8 took for it: in one run V8 gave back 35 MB of them
 * 50–90 s after the rate came down). Measured from earlier, that made the growth look smaller than
 * it was.
 *
 * The worker leaves garbage collection to V8 (`--gc natural`), as the app does, and reports the
 * heap in use after V8's latest full collection. Forcing a collection before every sample
 * (`--gc forced`) made V8 take fresh old-space pages at a steady 3 MB a minute while the heap in
 * use stayed flat (85 → 115 MB of pages for 66 MB in use over ten minutes), which the app never
 * sees. With `--prefill false` it streams at 1,000 msg/s from the start and measures from
 * the first sample at which every buffer is full, or, when that never comes, from the point where
 * the rings and id sets are full, saying that the pinned lists were still filling. The heap per
 * event kept after that point, against the heap per event while the rings filled, tells growth
 * from events the design keeps apart from a leak.
 *
 * Options: --minutes N (5, after the buffers fill), --prefill true|false (true; false in smoke
 * runs), --gc natural|forced (natural), --forbidden-share 0..1 (the sandbox's default, 0.1).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { PINNED_PER_ROOM } from '../../src/shared/chat';
import { liveRooms, setRates, startSandboxProcess } from './sandboxProcess';
import type { SoakSample } from './soakWorker';
import type { BenchResult, Benchmark } from './types';

const ROOMS = 8;
const RATE = 1_000;
/** The rate that fills the buffers first: within the pipeline's sustained rate on one core. */
const PREFILL_RATE = 16_000;
/** Filling gives up (and the run measures from where it got) after this long. */
const PREFILL_LIMIT_S = 300;
/** After filling, the run measures from this long after the rate came down, at the earliest. */
const SETTLE_S = 120;
/** How long a full collection at the low rate may take to come (the worker's time limit). */
const COLLECTION_WAIT_S = 300;
const SCROLLBACK = 5_000;
const root = join(import.meta.dirname, '..', '..');

function megabytes(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}

/** One line per sample: heap as █, the rest of RSS as ░, scaled to the largest RSS. */
export function memoryChart(
  samples: readonly SoakSample[],
  filledAt: number,
  width = 48,
): string[] {
  const largest = Math.max(...samples.map((sample) => sample.rssBytes));
  const lines = [
    `  time   RSS MB  heap MB  buffered (pinned)   █ heap, ░ rest of RSS; * growth measured from`,
  ];
  for (const [index, sample] of samples.entries()) {
    const heap = Math.round((sample.heapUsedBytes / largest) * width);
    const rss = Math.round((sample.rssBytes / largest) * width);
    lines.push(
      `${index === filledAt ? '*' : ' '} ${sample.seconds.toFixed(0).padStart(4)} s ` +
        `${megabytes(sample.rssBytes).padStart(7)} ${megabytes(sample.heapUsedBytes).padStart(8)}  ` +
        `${`${sample.buffered} (${sample.pinned})`.padEnd(18)} ` +
        `${'█'.repeat(heap)}${'░'.repeat(Math.max(0, rss - heap))}`,
    );
  }
  return lines;
}

/** The largest rise of `value` from one sample to a later one (1× when it never rises). */
export function largestRise(
  samples: readonly SoakSample[],
  value: (sample: SoakSample) => number,
): { from: SoakSample; to: SoakSample; ratio: number } {
  const start = samples[0] as SoakSample;
  let best = { from: start, to: start, ratio: 1 };
  let low = start;
  for (const sample of samples) {
    if (value(sample) < value(low)) low = sample;
    const ratio = value(sample) / value(low);
    if (ratio > best.ratio) best = { from: low, to: sample, ratio };
  }
  return best;
}

function ringsAndIdsFull(sample: SoakSample): boolean {
  return (
    sample.buffered - sample.pinned >= ROOMS * SCROLLBACK && sample.events >= ROOMS * 2 * SCROLLBACK
  );
}

function isFull(sample: SoakSample): boolean {
  return ringsAndIdsFull(sample) && sample.pinned >= ROOMS * PINNED_PER_ROOM;
}

const benchmark: Benchmark = {
  name: 'soak',
  description: 'RSS and heap of the main-process services at 1,000 msg/s over 8 rooms, every 10 s',
  async run(context): Promise<BenchResult[]> {
    const minutes = Number(context.options['minutes'] ?? (context.smoke ? 0.05 : 5));
    const intervalMs = context.smoke ? 1_000 : 10_000;
    const prefill = (context.options['prefill'] ?? (context.smoke ? 'false' : 'true')) === 'true';
    const forbiddenShare = context.options['forbidden-share'];
    const sandbox = await startSandboxProcess([
      '--port',
      '0',
      '--rooms',
      String(ROOMS),
      '--rate',
      '0',
      '--bursts',
      'false',
      ...(forbiddenShare === undefined ? [] : ['--forbidden-share', forbiddenShare]),
    ]);
    try {
      const rooms = (await liveRooms(sandbox.ready)).slice(0, ROOMS);
      const worker = spawn(
        process.execPath,
        [
          '--expose-gc',
          '--import',
          'tsx',
          'test/bench/soakWorker.ts',
          '--sandbox',
          JSON.stringify(sandbox.ready),
          '--rooms',
          rooms.map((room) => room.videoRoomId).join(','),
          '--seconds',
          String(minutes * 60 + (prefill ? PREFILL_LIMIT_S + SETTLE_S + COLLECTION_WAIT_S : 0)),
          '--interval-ms',
          String(intervalMs),
          '--gc',
          context.options['gc'] ?? 'natural',
        ],
        // Its standard input closing tells it to stop.
        { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] },
      );
      const exited = once(worker, 'exit');
      const samples: SoakSample[] = [];
      const steady = () =>
        context.log(
          `${rooms.length} rooms × ${RATE / rooms.length}/s for ${minutes} min (worker pid ${worker.pid})`,
        );
      // After filling: SETTLE_S after the rate came down, and the full collections before then.
      let filling = prefill;
      let steadyFrom = 0;
      let collectionsAtSwitch = 0;
      // After filling, the sample the run measures from (its index), once it has come.
      let measuredFrom: number | null = null;
      try {
        for await (const line of createInterface({ input: worker.stdout })) {
          const message = JSON.parse(line) as SoakSample | { ready: true };
          if ('ready' in message) {
            if (prefill) {
              await setRates(sandbox.ready, rooms, PREFILL_RATE / rooms.length);
              context.log(
                `filling main's buffers: ${rooms.length} rooms × ${PREFILL_RATE / rooms.length}/s`,
              );
            } else {
              await setRates(sandbox.ready, rooms, RATE / rooms.length);
              steady();
            }
            continue;
          }
          samples.push(message);
          if (filling && (isFull(message) || message.seconds >= PREFILL_LIMIT_S)) {
            filling = false;
            await setRates(sandbox.ready, rooms, RATE / rooms.length);
            steadyFrom = message.seconds + Math.min(SETTLE_S, minutes * 30);
            collectionsAtSwitch = message.majorCollections;
            steady();
          }
          if (
            prefill &&
            !filling &&
            measuredFrom === null &&
            message.seconds >= steadyFrom - 1 &&
            message.majorCollections > collectionsAtSwitch
          ) {
            measuredFrom = samples.length - 1;
          }
          const windowStart = prefill ? samples[measuredFrom ?? -1]?.seconds : 0;
          if (windowStart !== undefined && message.seconds >= windowStart + minutes * 60 - 1) {
            worker.stdin?.end();
          }
          context.log(
            `${message.seconds.toFixed(0)} s: RSS ${megabytes(message.rssBytes)} MB, heap ` +
              `${megabytes(message.heapUsedBytes)} of ${megabytes(message.heapTotalBytes)} MB ` +
              `(young ${megabytes(message.youngBytes)}, old ${megabytes(message.oldUsedBytes)} used of ` +
              `${megabytes(message.oldBytes)}, large objects ${megabytes(message.largeObjectBytes)} MB), ` +
              `external ${megabytes(message.externalBytes)} MB, ${message.buffered} buffered ` +
              `(${message.pinned} pinned), ${message.events} events handed on`,
          );
        }
      } finally {
        if (worker.exitCode === null) worker.kill('SIGTERM');
      }
      const [code] = (await exited) as [number | null];
      if (code !== 0 || samples.length === 0) throw new Error(`the soak worker failed (${code})`);

      // Filled first: measured from SETTLE_S at the steady rate on, after a full collection at
      // that rate. Otherwise from the first sample with every buffer full, or failing that with
      // the rings and id sets full.
      const candidates = prefill
        ? [measuredFrom ?? -1]
        : [samples.findIndex(isFull), samples.findIndex(ringsAndIdsFull)];
      const filledAt = Math.max(0, candidates.find((index) => index !== -1) ?? 0);
      const first = samples[filledAt] as SoakSample;
      const state = isFull(first)
        ? 'every buffer full'
        : ringsAndIdsFull(first)
          ? 'rings full, pinned lists filling'
          : 'buffers still filling';
      const last = samples[samples.length - 1] as SoakSample;
      for (const line of memoryChart(samples, filledAt)) context.log(line);
      context.log(`growth is measured from ${first.seconds.toFixed(0)} s (${state})`);

      // Growth is the largest rise from any sample of the window to a later one: a window that
      // starts on a transient high (V8 giving back what the fill took can take minutes) shows no
      // growth by it, and one that ends on a low does not hide a rise before.
      const window = samples.slice(filledAt);
      const rss = largestRise(window, (sample) => sample.rssBytes);
      const heap = largestRise(window, (sample) => sample.heapUsedBytes);
      const at = (sample: SoakSample) => `at ${sample.seconds.toFixed(0)} s`;
      // Growth while the buffers are still filling is no measure of the target.
      const judged = state !== 'buffers still filling';
      const from = `at ${first.seconds.toFixed(0)} s, ${state}`;
      const results: BenchResult[] = [
        {
          metric: `RSS, largest rise after ${first.seconds.toFixed(0)} s (${state}): ${at(rss.to)}`,
          value: rss.to.rssBytes / 1024 / 1024,
          unit: 'MB',
          reference: { metric: `RSS ${at(rss.from)}`, value: rss.from.rssBytes / 1024 / 1024 },
          ratio: rss.ratio,
          target: '≤ 1.10× after the buffers fill',
          ...(judged ? { met: rss.ratio <= 1.1 } : {}),
        },
        {
          metric: `heap used, largest rise after ${first.seconds.toFixed(0)} s: ${at(heap.to)}`,
          value: heap.to.heapUsedBytes / 1024 / 1024,
          unit: 'MB',
          reference: {
            metric: `heap ${at(heap.from)}`,
            value: heap.from.heapUsedBytes / 1024 / 1024,
          },
          ratio: heap.ratio,
          target: '≤ 1.10× after the buffers fill',
          ...(judged ? { met: heap.ratio <= 1.1 } : {}),
        },
        {
          metric: `RSS at ${last.seconds.toFixed(0)} s`,
          value: last.rssBytes / 1024 / 1024,
          unit: 'MB',
          reference: { metric: `RSS ${from}`, value: first.rssBytes / 1024 / 1024 },
          ratio: last.rssBytes / first.rssBytes,
        },
        {
          // Where RSS growth comes from when the heap in use is flat: V8 keeping pages it freed,
          // or memory outside the V8 heap (native buffers, the allocator).
          metric: `V8 heap reserved at ${last.seconds.toFixed(0)} s`,
          value: last.heapTotalBytes / 1024 / 1024,
          unit: 'MB',
          reference: { metric: `reserved ${from}`, value: first.heapTotalBytes / 1024 / 1024 },
          ratio: last.heapTotalBytes / first.heapTotalBytes,
        },
        {
          metric: `V8 young generation at ${last.seconds.toFixed(0)} s`,
          value: last.youngBytes / 1024 / 1024,
          unit: 'MB',
          reference: { metric: `young ${from}`, value: first.youngBytes / 1024 / 1024 },
          ratio: last.youngBytes / first.youngBytes,
        },
        {
          metric: `RSS outside the V8 heap at ${last.seconds.toFixed(0)} s`,
          value: (last.rssBytes - last.heapTotalBytes) / 1024 / 1024,
          unit: 'MB',
          reference: {
            metric: `outside ${from}`,
            value: (first.rssBytes - first.heapTotalBytes) / 1024 / 1024,
          },
          ratio: (last.rssBytes - last.heapTotalBytes) / (first.rssBytes - first.heapTotalBytes),
        },
        {
          metric: `pinned (flagged) events at ${last.seconds.toFixed(0)} s`,
          value: last.pinned,
          unit: 'events',
          reference: { metric: `pinned ${from}`, value: first.pinned },
        },
      ];
      // Heap per event the buffers gained after that point (pinned ones), against heap per event
      // while they filled: near 1× when the growth is the events the design keeps.
      const start = samples[0] as SoakSample;
      const added = last.buffered - first.buffered;
      if (filledAt > 0 && added > 0 && first.buffered > start.buffered) {
        const filling =
          (first.heapUsedBytes - start.heapUsedBytes) / (first.buffered - start.buffered);
        const after = (last.heapUsedBytes - first.heapUsedBytes) / added;
        results.push({
          metric: `heap per event kept after ${first.seconds.toFixed(0)} s`,
          value: after,
          unit: 'B',
          reference: { metric: 'heap per event while the buffers filled', value: filling },
          ratio: after / filling,
        });
      }
      return results;
    } finally {
      await sandbox.stop();
    }
  },
};

export default benchmark;
