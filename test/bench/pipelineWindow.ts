/**
 * One measured window of the pipeline benchmark's core at an offered rate, for the benchmarks that
 * compare it with a part on and off (the message store, automod): the sandbox is set to the rate,
 * given a moment to settle, then the events that came out, the frames the sandbox sent and the
 * CPU of the main thread (Linux's per-thread counters: worker threads in the same process do not
 * count) and of the whole process are read over `seconds`.
 */
import { readFileSync } from 'node:fs';
import type { Pipeline } from './pipelineCore';
import {
  liveRooms,
  sandboxStats,
  setRates,
  startSandboxProcess,
  type ControlRoom,
  type SandboxProcess,
  type SandboxReady,
} from './sandboxProcess';
import { sleep } from './stats';

/** CPU seconds of this process's main thread (Linux), or NaN where there is no /proc. */
export function mainThreadCpuSeconds(): number {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime, fields 14 and 15 of stat, in clock ticks (100 a second on Linux).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

export interface Measured {
  /** Events a second that left the pipeline in batches. */
  handled: number;
  /** Frames a second the sandbox sent. */
  generated: number;
  /** Events per CPU-second of the main thread. */
  perMainCpuSecond: number;
  /** Cores the main thread used. */
  mainCores: number;
  /** Cores the whole process used (its worker threads included). */
  processCores: number;
}

/**
 * Runs the sandbox at `rate` over the rooms and measures the pipeline; the rooms end at rate 0.
 * `started` is called as the measured time begins (after the settling).
 */
export async function measureWindow(
  pipeline: Pipeline,
  ready: SandboxReady,
  rooms: ControlRoom[],
  rate: number,
  seconds: number,
  started: () => void = () => undefined,
): Promise<Measured> {
  try {
    await setRates(ready, rooms, rate / rooms.length);
    await sleep(Math.min(3000, seconds * 300));
    const before = {
      at: performance.now(),
      handled: pipeline.counters.events,
      delivered: (await sandboxStats(ready)).framesDelivered,
      main: mainThreadCpuSeconds(),
      process: process.cpuUsage(),
    };
    started();
    await sleep(seconds * 1000);
    const elapsed = (performance.now() - before.at) / 1000;
    const handled = (pipeline.counters.events - before.handled) / elapsed;
    const generated = ((await sandboxStats(ready)).framesDelivered - before.delivered) / elapsed;
    const main = mainThreadCpuSeconds() - before.main;
    const cpu = process.cpuUsage(before.process);
    return {
      handled,
      generated,
      perMainCpuSecond: (handled * elapsed) / main,
      mainCores: main / elapsed,
      processCores: (cpu.user + cpu.system) / 1e6 / elapsed,
    };
  } finally {
    await setRates(ready, rooms, 0);
  }
}

/** The median of one figure over the windows (the lower middle for an even count). */
export function medianOf<T>(windows: readonly T[], pick: (window: T) => number): number {
  return windows.map(pick).sort((a, b) => a - b)[Math.floor((windows.length - 1) / 2)] ?? 0;
}

/**
 * The sandbox as the pipeline benchmarks start it, in its own process: `rooms` rooms, silent until
 * a rate is set, no bursts, camel-case frames; `extra` adds options (a spam share).
 */
export function startPipelineSandbox(
  rooms: number,
  extra: readonly string[] = [],
): Promise<SandboxProcess> {
  return startSandboxProcess([
    '--port',
    '0',
    '--rooms',
    String(rooms),
    '--rate',
    '0',
    '--bursts',
    'false',
    '--casing',
    'camel',
    ...extra,
  ]);
}

/**
 * Windows of the pipeline with a part off and on, alternately, `rounds` times each, over the first
 * `rooms` live rooms of a sandbox started for them (and stopped after). Every other round runs on
 * first (off, on, on, off, off, on, …), so that a machine slowing or speeding up over the run
 * weighs on both alike rather than always on the second window of each pair.
 */
export async function offAndOn<W>(options: {
  rooms: number;
  rounds: number;
  sandboxOptions?: readonly string[];
  window: (ready: SandboxReady, rooms: ControlRoom[], on: boolean) => Promise<W>;
}): Promise<{ off: W[]; on: W[] }> {
  const sandbox = await startPipelineSandbox(options.rooms, options.sandboxOptions);
  try {
    const rooms = (await liveRooms(sandbox.ready)).slice(0, options.rooms);
    const off: W[] = [];
    const on: W[] = [];
    for (let round = 0; round < options.rounds; round += 1) {
      const onFirst = round % 2 === 1;
      for (const part of onFirst ? [true, false] : [false, true]) {
        (part ? on : off).push(await options.window(sandbox.ready, rooms, part));
      }
    }
    return { off, on };
  } finally {
    await sandbox.stop();
  }
}
