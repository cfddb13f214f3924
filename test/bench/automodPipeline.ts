/**
 * The automod benchmark's pipeline part: the pipeline benchmark's core (`pipelineCore.ts`: the
 * sandbox in its own process → STOMP → word filter with 1,000 rules → automod → batches serialised
 * as IPC would) with `settings.automod.enabled` off and on, alternately, at the same offered rate:
 * the rate that came out, and events per CPU-second of the main thread. The sandbox sends spam
 * (`--spam`), so automod has something to flag.
 */
import { readFileSync } from 'node:fs';
import { defaultAutomodConfig } from '../../src/shared/automod';
import { benchRules, startPipeline } from './pipelineCore';
import {
  liveRooms,
  sandboxStats,
  setRates,
  startSandboxProcess,
  type ControlRoom,
  type SandboxReady,
} from './sandboxProcess';
import { sleep, whole } from './stats';
import type { BenchResult } from './types';

const ROOMS = 12;
const RULES = 1_000;

/** CPU seconds of this process's main thread (Linux), or NaN where there is no /proc. */
function mainThreadCpuSeconds(): number {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime, fields 14 and 15 of stat, in clock ticks (100 a second on Linux).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

interface Window {
  handled: number;
  perMainCpuSecond: number;
  flagged: number;
}

async function pipelineWindow(
  ready: SandboxReady,
  rooms: ControlRoom[],
  automod: boolean,
  rate: number,
  seconds: number,
  log: (line: string) => void,
): Promise<Window> {
  const pipeline = await startPipeline({
    ready,
    roomIds: rooms.map((room) => room.videoRoomId),
    rules: benchRules(RULES),
  });
  let flagged = 0;
  pipeline.onBatch = (events) => {
    for (const event of events) {
      if (event.flags.some((flag) => flag.ruleId.startsWith('automod-'))) flagged += 1;
    }
  };
  try {
    await pipeline.core.settings.set({
      automod: { enabled: automod, config: defaultAutomodConfig() },
    });
    await setRates(ready, rooms, rate / rooms.length);
    await sleep(Math.min(3000, seconds * 300));
    const before = {
      at: performance.now(),
      handled: pipeline.counters.events,
      delivered: (await sandboxStats(ready)).framesDelivered,
      main: mainThreadCpuSeconds(),
      flagged,
    };
    await sleep(seconds * 1000);
    const elapsed = (performance.now() - before.at) / 1000;
    const handled = (pipeline.counters.events - before.handled) / elapsed;
    const generated = ((await sandboxStats(ready)).framesDelivered - before.delivered) / elapsed;
    const main = mainThreadCpuSeconds() - before.main;
    await setRates(ready, rooms, 0);
    const window: Window = {
      handled,
      perMainCpuSecond: (handled * elapsed) / main,
      flagged: flagged - before.flagged,
    };
    log(
      `pipeline, automod ${automod ? 'on' : 'off'}: ${whole(rate)}/s asked, sandbox sent ` +
        `${whole(generated)}/s, ${whole(handled)}/s came out; main thread ` +
        `${(main / elapsed).toFixed(2)} cores (${whole(window.perMainCpuSecond)} events per ` +
        `CPU-second); ${whole(window.flagged)} events flagged by automod`,
    );
    return window;
  } finally {
    pipeline.onBatch = null;
    await setRates(ready, rooms, 0);
    await pipeline.close();
  }
}

/** The pipeline with automod off and on, alternately, `rounds` times each; the medians. */
export async function measureAutomodPipeline(options: {
  rate: number;
  seconds: number;
  rounds: number;
  spamShare: number;
  log: (line: string) => void;
}): Promise<BenchResult[]> {
  const sandbox = await startSandboxProcess([
    '--port',
    '0',
    '--rooms',
    String(ROOMS),
    '--rate',
    '0',
    '--bursts',
    'false',
    '--spam',
    String(options.spamShare),
    '--casing',
    'camel',
  ]);
  try {
    const rooms = (await liveRooms(sandbox.ready)).slice(0, ROOMS);
    const off: Window[] = [];
    const on: Window[] = [];
    for (let round = 0; round < options.rounds; round += 1) {
      const args = [sandbox.ready, rooms] as const;
      off.push(await pipelineWindow(...args, false, options.rate, options.seconds, options.log));
      on.push(await pipelineWindow(...args, true, options.rate, options.seconds, options.log));
    }
    const middle = (windows: Window[], pick: (window: Window) => number) =>
      windows.map(pick).sort((a, b) => a - b)[Math.floor((windows.length - 1) / 2)] ?? 0;
    const rateOff = middle(off, (window) => window.handled);
    const rateOn = middle(on, (window) => window.handled);
    const cpuOff = middle(off, (window) => window.perMainCpuSecond);
    const cpuOn = middle(on, (window) => window.perMainCpuSecond);
    const flagged = middle(on, (window) => window.flagged / (window.handled * options.seconds));
    const where =
      `${whole(options.rate)} msg/s asked of ${ROOMS} rooms, spam share ${options.spamShare}, ` +
      `${options.seconds} s, median of ${options.rounds}`;
    return [
      {
        metric: `pipeline rate with automod on (${where})`,
        value: rateOn,
        unit: 'msg/s',
        reference: { metric: 'automod off', value: rateOff },
        ratio: rateOn / rateOff,
        target: '≥ 0.9× off',
        met: rateOn / rateOff >= 0.9,
      },
      {
        metric: `pipeline main-thread events per CPU-second with automod on, ${whole(options.rate)} msg/s`,
        value: cpuOn,
        unit: 'msg/s',
        reference: { metric: 'automod off', value: cpuOff },
        ratio: cpuOn / cpuOff,
        target: '≥ 0.9× off',
        met: cpuOn / cpuOff >= 0.9,
      },
      {
        metric: `share of events automod flagged, ${whole(options.rate)} msg/s`,
        value: flagged,
        unit: '',
      },
    ];
  } finally {
    await sandbox.stop();
  }
}
