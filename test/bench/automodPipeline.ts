/**
 * The automod benchmark's pipeline part: the pipeline benchmark's core (`pipelineCore.ts`: the
 * sandbox in its own process → STOMP → word filter with 1,000 rules → automod → batches serialised
 * as IPC would) with `settings.automod.enabled` off and on, alternately, at the same offered rate:
 * the rate that came out, and events per CPU-second of the main thread. The sandbox sends spam
 * (`--spam`), so automod has something to flag, and has enough chatters present (`--present`)
 * that each writes at a person's pace. At 20,000 msg/s that is 120,000 people over the 12 rooms,
 * more than automod's `limits.maxUsers` (10,000): its per-user rules forget the least recently
 * active, as they would in such rooms.
 */
import { MAX_PRESENT, MIN_PRESENT } from '../../src/sandbox';
import { defaultAutomodConfig } from '../../src/shared/automod';
import { benchRules, startPipeline } from './pipelineCore';
import { measureWindow, medianOf, offAndOn, type Measured } from './pipelineWindow';
import type { ControlRoom, SandboxReady } from './sandboxProcess';
import { whole } from './stats';
import type { BenchResult } from './types';

const ROOMS = 12;
const RULES = 1_000;
/**
 * Each chatter writes about once in this many seconds (the sandbox's `--present` is this times the
 * rate per room): a person's pace, so the flood and repeat rules see people, not a room of 20
 * sending 80 lines a second each.
 */
const SECONDS_PER_LINE = 6;

/** Chatters present per room so that each writes about once every `SECONDS_PER_LINE` s. */
function presentFor(rate: number, rooms: number): number {
  return Math.min(
    MAX_PRESENT,
    Math.max(MIN_PRESENT, Math.round((SECONDS_PER_LINE * rate) / rooms)),
  );
}

function percent(share: number): string {
  return `${(share * 100).toFixed(1)} %`;
}

interface Window extends Measured {
  /** Events automod flagged in the window. */
  flagged: number;
  /** Events each automod rule flagged in the window (an event may count under several). */
  byRule: Map<string, number>;
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
  const byRule = new Map<string, number>();
  pipeline.onBatch = (events) => {
    for (const event of events) {
      let automodFlags = 0;
      for (const flag of event.flags) {
        if (!flag.ruleId.startsWith('automod-')) continue;
        automodFlags += 1;
        byRule.set(flag.ruleId, (byRule.get(flag.ruleId) ?? 0) + 1);
      }
      if (automodFlags > 0) flagged += 1;
    }
  };
  try {
    await pipeline.core.settings.set({
      automod: { enabled: automod, config: defaultAutomodConfig() },
    });
    // Counted over the measured time only, as the rate is.
    const measured = await measureWindow(pipeline, ready, rooms, rate, seconds, () => {
      flagged = 0;
      byRule.clear();
    });
    const window: Window = { ...measured, flagged, byRule };
    const events = window.handled * seconds;
    const rules = [...byRule]
      .sort(([, a], [, b]) => b - a)
      .map(([ruleId, count]) => `${ruleId.slice('automod-'.length)} ${percent(count / events)}`)
      .join(', ');
    log(
      `pipeline, automod ${automod ? 'on' : 'off'}: ${whole(rate)}/s asked, sandbox sent ` +
        `${whole(window.generated)}/s, ${whole(window.handled)}/s came out; main thread ` +
        `${window.mainCores.toFixed(2)} cores (${whole(window.perMainCpuSecond)} events per ` +
        `CPU-second); ${whole(window.flagged)} events flagged by automod ` +
        `(${percent(window.flagged / events)}${rules === '' ? '' : `: ${rules}`})`,
    );
    return window;
  } finally {
    pipeline.onBatch = null;
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
  const present = presentFor(options.rate, ROOMS);
  const { off, on } = await offAndOn({
    rooms: ROOMS,
    rounds: options.rounds,
    sandboxOptions: ['--spam', String(options.spamShare), '--present', String(present)],
    window: (ready, rooms, automod) =>
      pipelineWindow(ready, rooms, automod, options.rate, options.seconds, options.log),
  });
  const middle = medianOf<Window>;
  const rateOff = middle(off, (window) => window.handled);
  const rateOn = middle(on, (window) => window.handled);
  const cpuOff = middle(off, (window) => window.perMainCpuSecond);
  const cpuOn = middle(on, (window) => window.perMainCpuSecond);
  const flagged = middle(on, (window) => window.flagged / (window.handled * options.seconds));
  const where =
    `${whole(options.rate)} msg/s asked of ${ROOMS} rooms, ${whole(present)} chatters present ` +
    `in each, spam share ${options.spamShare}, ` +
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
}
