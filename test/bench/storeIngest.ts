/**
 * The `store` benchmark's ingest figures.
 *
 * 1. The main-process pipeline (`pipelineCore.ts`: sandbox in its own process → STOMP → word
 *    filter with 1,000 rules → batches serialised as IPC would) with the message store off and on,
 *    in the same run, at the same offered rate: the rate that came out, and the events the main
 *    thread handled per CPU-second of its own (Linux's per-thread counters: the store's worker
 *    thread runs in the same process and must not count).
 * 2. The store's worker alone: batches of 1,000 events posted every 50 ms (20,000 a second) to a
 *    `MemoryStore` for 30 s, the backlog (posted and not yet committed) sampled each second.
 */
import { systemClock } from '../../src/main/clock';
import { silentLogger } from '../../src/main/logger';
import { MemoryStore } from '../../src/main/services/memory/memory';
import { startTestWorker } from '../support/memory';
import { benchRules, startPipeline } from './pipelineCore';
import { measureWindow, medianOf, offAndOn, type Measured } from './pipelineWindow';
import type { ControlRoom, SandboxReady } from './sandboxProcess';
import { chat, seeded } from './storeCorpus';
import { sleep, slope, whole } from './stats';
import type { BenchResult } from './types';

const ROOMS = 12;
const RULES = 1_000;

type Window = Measured;

async function pipelineWindow(
  ready: SandboxReady,
  rooms: ControlRoom[],
  memory: boolean,
  rate: number,
  seconds: number,
  log: (line: string) => void,
): Promise<Window> {
  const pipeline = await startPipeline({
    ready,
    roomIds: rooms.map((room) => room.videoRoomId),
    rules: benchRules(RULES),
    memory,
  });
  try {
    const window = await measureWindow(pipeline, ready, rooms, rate, seconds);
    log(
      `pipeline, store ${memory ? 'on' : 'off'}: ${whole(rate)}/s asked, sandbox sent ` +
        `${whole(window.generated)}/s, ${whole(window.handled)}/s came out; main thread ` +
        `${window.mainCores.toFixed(2)} cores (${whole(window.perMainCpuSecond)} events per ` +
        `CPU-second), process ${window.processCores.toFixed(2)} cores` +
        (memory ? `; store backlog at the end ${whole(pipeline.core.memory?.waiting ?? 0)}` : ''),
    );
    return window;
  } finally {
    await pipeline.close();
  }
}

/** The pipeline with the store off and on, alternately, `rounds` times each; the medians. */
export async function measurePipeline(options: {
  rate: number;
  seconds: number;
  rounds: number;
  log: (line: string) => void;
}): Promise<BenchResult[]> {
  const { off, on } = await offAndOn({
    rooms: ROOMS,
    rounds: options.rounds,
    window: (ready, rooms, memory) =>
      pipelineWindow(ready, rooms, memory, options.rate, options.seconds, options.log),
  });
  const middle = medianOf<Window>;
  const rateOff = middle(off, (window) => window.handled);
  const rateOn = middle(on, (window) => window.handled);
  const cpuOff = middle(off, (window) => window.perMainCpuSecond);
  const cpuOn = middle(on, (window) => window.perMainCpuSecond);
  const where = `${whole(options.rate)} msg/s asked of ${ROOMS} rooms, ${options.seconds} s, median of ${options.rounds}`;
  return [
    {
      metric: `pipeline rate with the store on (${where})`,
      value: rateOn,
      unit: 'msg/s',
      reference: { metric: 'store off', value: rateOff },
      ratio: rateOn / rateOff,
      target: '≥ 0.9× off',
      met: rateOn / rateOff >= 0.9,
    },
    {
      metric: 'main-thread events per CPU-second with the store on',
      value: cpuOn,
      unit: 'msg/s',
      reference: { metric: 'store off', value: cpuOff },
      ratio: cpuOn / cpuOff,
      target: '≥ 0.9× off',
      met: cpuOn / cpuOff >= 0.9,
    },
    {
      metric: 'process CPU with the store on (worker included)',
      value: middle(on, (window) => window.processCores),
      unit: 'cores',
      reference: { metric: 'store off', value: middle(off, (window) => window.processCores) },
    },
  ];
}

export interface WorkerRun {
  /** Least-squares growth of the backlog, events a second. */
  slope: number;
  highest: number;
  /** Events committed a second, from the first post to the last commit. */
  committed: number;
}

/**
 * The worker alone on `file`: `rate` events a second (a batch every 50 ms) for `seconds`, the
 * backlog sampled each second. The backlog is not capped (the app drops batches past 100,000).
 */
export async function measureWorker(options: {
  file: string;
  rate: number;
  seconds: number;
  label: string;
  log: (line: string) => void;
}): Promise<WorkerRun> {
  const memory = new MemoryStore({
    file: options.file,
    startWorker: startTestWorker,
    clock: systemClock,
    log: silentLogger,
    maxBacklog: Number.MAX_SAFE_INTEGER,
    describeRoom: (roomKey) => ({ accountId: 'live', provider: 'flipflop', name: roomKey }),
  });
  try {
    // Opening (and the prune at start, on a store older than its retention) comes first.
    const opened = performance.now();
    await memory.request('flush', {});
    options.log(`worker, ${options.label}: opened in ${whole(performance.now() - opened)} ms`);
    const random = seeded(7);
    const perBatch = Math.round(options.rate / 20);
    let posted = 0;
    const times: number[] = [];
    const backlog: number[] = [];
    const started = performance.now();
    let nextSample = started;
    let nextBatch = started;
    const end = started + options.seconds * 1000;
    while (performance.now() < end) {
      const now = performance.now();
      if (now >= nextSample) {
        times.push((now - started) / 1000);
        backlog.push(memory.waiting);
        nextSample += 1000;
      }
      // Batches on the clock, so a late timer catches up rather than lowering the rate.
      while (nextBatch <= now) {
        const events = Array.from({ length: perBatch }, (_, offset) => {
          const event = chat(random, posted + offset, Date.now());
          return { ...event, roomKey: `live/room${offset % 50}`, id: `w${posted + offset}` };
        });
        memory.ingest({ events, updates: [], stats: [] });
        posted += perBatch;
        nextBatch += 50;
      }
      await sleep(Math.max(0, Math.min(nextBatch, nextSample) - performance.now()));
    }
    times.push((performance.now() - started) / 1000);
    backlog.push(memory.waiting);
    const postedIn = (performance.now() - started) / 1000;
    await memory.request('flush', {});
    const drained = (performance.now() - started) / 1000;
    options.log(
      `worker, ${options.label}: ${whole(posted)} events posted in ${postedIn.toFixed(1)} s, all ` +
        `committed after ${drained.toFixed(1)} s; backlog each second ` +
        backlog.map(whole).join(', '),
    );
    return {
      slope: slope(times, backlog),
      highest: Math.max(...backlog),
      committed: posted / drained,
    };
  } finally {
    await memory.close();
  }
}

/** The worker on the big store, beside the same on an empty one. */
export function workerRows(
  rate: number,
  seconds: number,
  big: WorkerRun,
  empty: WorkerRun,
  count: number,
): BenchResult[] {
  const where = `${whole(rate)} msg/s for ${seconds} s into the ${whole(count)}-message store`;
  return [
    {
      metric: `worker alone at ${where}: backlog slope`,
      value: big.slope,
      unit: 'events/s',
      reference: { metric: 'into an empty store', value: empty.slope },
      target: 'flat (≤ 2 % of the rate)',
      met: big.slope <= 0.02 * rate,
    },
    {
      metric: 'worker alone: highest backlog sampled (the app drops batches past 100,000)',
      value: big.highest,
      unit: 'events',
      reference: { metric: 'into an empty store', value: empty.highest },
    },
    {
      metric: 'worker alone: events committed per second, first post to last commit',
      value: big.committed,
      unit: 'events/s',
      reference: { metric: 'into an empty store', value: empty.committed },
      ratio: big.committed / empty.committed,
      target: `≥ ${whole(rate)}`,
      met: big.committed >= rate * 0.98,
    },
  ];
}
