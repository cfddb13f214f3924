/**
 * `npm run bench -- soak [--minutes N]`: the main-process services (live feed, normaliser, word
 * filter with 1,000 rules, room buffers, batches serialised as IPC would) at 1,000 messages/s over
 * 8 rooms of a sandbox process, for 5 minutes. The services run in a process of their own
 * (`soakWorker.ts`) so that its RSS is theirs alone; every 10 s it collects garbage and reports
 * RSS and heap. Growth is measured from the first sample at which every room's ring of 5,000
 * unflagged events is full to the last sample; that first sample is the reference.
 *
 * Flagged events are pinned beside the ring (up to 10,000 per room), so the pinned count keeps
 * rising through a 5-minute run at the sandbox's default share of forbidden words; it is printed
 * with each sample, and the heap per buffered event is reported, so that growth from events the
 * design keeps can be told apart from a leak.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { liveRooms, setRates, startSandboxProcess } from './sandboxProcess';
import type { SoakSample } from './soakWorker';
import type { BenchResult, Benchmark } from './types';

const ROOMS = 8;
const RATE = 1_000;
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
    `  time   RSS MB  heap MB  buffered (pinned)   █ heap, ░ rest of RSS; * rings full`,
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

const benchmark: Benchmark = {
  name: 'soak',
  description: 'RSS and heap of the main-process services at 1,000 msg/s over 8 rooms, every 10 s',
  async run(context): Promise<BenchResult[]> {
    const minutes = Number(context.options['minutes'] ?? (context.smoke ? 0.05 : 5));
    const intervalMs = context.smoke ? 1_000 : 10_000;
    const sandbox = await startSandboxProcess([
      '--port',
      '0',
      '--rooms',
      String(ROOMS),
      '--rate',
      '0',
      '--bursts',
      'false',
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
          String(minutes * 60),
          '--interval-ms',
          String(intervalMs),
        ],
        { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
      );
      const exited = once(worker, 'exit');
      const samples: SoakSample[] = [];
      try {
        for await (const line of createInterface({ input: worker.stdout })) {
          const message = JSON.parse(line) as SoakSample | { ready: true };
          if ('ready' in message) {
            await setRates(sandbox.ready, rooms, RATE / rooms.length);
            context.log(
              `${rooms.length} rooms × ${RATE / rooms.length}/s for ${minutes} min (worker pid ${worker.pid})`,
            );
            continue;
          }
          samples.push(message);
          context.log(
            `${message.seconds.toFixed(0)} s: RSS ${megabytes(message.rssBytes)} MB, heap ` +
              `${megabytes(message.heapUsedBytes)} MB, ${message.buffered} buffered ` +
              `(${message.pinned} pinned), ${message.events} events handed on`,
          );
        }
      } finally {
        if (worker.exitCode === null) worker.kill('SIGTERM');
      }
      const [code] = (await exited) as [number | null];
      if (code !== 0 || samples.length === 0) throw new Error(`the soak worker failed (${code})`);

      const ringFull = ROOMS * SCROLLBACK;
      const found = samples.findIndex((sample) => sample.buffered - sample.pinned >= ringFull);
      const filledAt = found === -1 ? 0 : found;
      const first = samples[filledAt] as SoakSample;
      const last = samples[samples.length - 1] as SoakSample;
      for (const line of memoryChart(samples, filledAt)) context.log(line);
      if (found === -1) context.log('the rings never filled; growth is from the first sample');

      const rssGrowth = last.rssBytes / first.rssBytes;
      const heapGrowth = last.heapUsedBytes / first.heapUsedBytes;
      const from =
        found === -1
          ? `at ${first.seconds.toFixed(0)} s`
          : `at ${first.seconds.toFixed(0)} s, rings full`;
      const results: BenchResult[] = [
        {
          metric: `RSS at ${last.seconds.toFixed(0)} s`,
          value: last.rssBytes / 1024 / 1024,
          unit: 'MB',
          reference: { metric: `RSS ${from}`, value: first.rssBytes / 1024 / 1024 },
          ratio: rssGrowth,
          target: '≤ 1.10× after the buffers fill',
          met: rssGrowth <= 1.1,
        },
        {
          metric: `heap used at ${last.seconds.toFixed(0)} s`,
          value: last.heapUsedBytes / 1024 / 1024,
          unit: 'MB',
          reference: { metric: `heap ${from}`, value: first.heapUsedBytes / 1024 / 1024 },
          ratio: heapGrowth,
          target: '≤ 1.10× after the buffers fill',
          met: heapGrowth <= 1.1,
        },
        {
          metric: `pinned (flagged) events at ${last.seconds.toFixed(0)} s`,
          value: last.pinned,
          unit: 'events',
          reference: { metric: `pinned ${from}`, value: first.pinned },
        },
      ];
      // Heap per event the buffers gained after they filled (pinned ones), against heap per event
      // while the rings filled: about 1× when the growth is the events the design keeps.
      const start = samples[0] as SoakSample;
      const added = last.buffered - first.buffered;
      if (filledAt > 0 && added > 0 && first.buffered > start.buffered) {
        const filling =
          (first.heapUsedBytes - start.heapUsedBytes) / (first.buffered - start.buffered);
        const after = (last.heapUsedBytes - first.heapUsedBytes) / added;
        results.push({
          metric: 'heap per event kept after the rings filled',
          value: after,
          unit: 'B',
          reference: { metric: 'heap per event while they filled', value: filling },
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
