/**
 * `npm run bench -- pipeline`: the main-process feed pipeline (sandbox → STOMP over `ws` →
 * normaliser → dedupe → word filter with 1,000 rules → ring buffers → batches serialised as IPC
 * would) on the 12 rooms of a sandbox running in its own process.
 *
 * 1. The highest aggregate rate the pipeline sustains: short probes double the rate until one
 *    fails, a bisection narrows the step, and the best passing rate must then hold for the whole
 *    window (30 s), else it steps down by 10 %. A probe passes when the pipeline kept up with what
 *    the sandbox sent: as many events left in batches as frames arrived, the backlog (frames sent
 *    minus events handed on) did not grow, and the live connection never dropped. The rate is
 *    what came out. When the sandbox could not generate what was asked (it shares the machine),
 *    the search stops there and says the load generator was the limit, not the pipeline; the
 *    CPU the pipeline used then tells how far it was from its own.
 * 2. Latency at half that rate, per event: from the sandbox publishing the frame (its `createdAt`,
 *    epoch ms; the sandbox runs with camelCase bodies, whose times are ms) to the batch holding it
 *    being serialised; and from the normaliser stamping `receivedAt` to the same point. Both
 *    include the 50 ms batch interval by design.
 * 3. The reference: a bare `ws` STOMP client that only counts the same frames, searched the same
 *    way (the transport's and the generator's ceiling on this machine).
 *
 * Options: --seconds N (window, 30), --probe-seconds N (8), --latency-seconds N (20),
 * --start N (first probe, aggregate messages/s, 6000), --latency-rate N (skip both searches: fill
 * the buffers at twice N for --fill-seconds, 40, as the searches would have, then measure the
 * latency at N messages/s only).
 */
import { cpus } from 'node:os';
import { PerformanceObserver, constants, type PerformanceEntry } from 'node:perf_hooks';
import { benchRules, startPipeline, type Pipeline } from './pipelineCore';
import {
  CountingSubscriber,
  liveRooms,
  moderatorToken,
  sandboxStats,
  setRates,
  type ControlRoom,
  type SandboxReady,
} from './sandboxProcess';
import { startPipelineSandbox } from './pipelineWindow';
import { quantile, sleep, slope, whole } from './stats';
import type { BenchContext, BenchResult, Benchmark } from './types';

const ROOMS = 12;
const RULES = 1_000;
const TARGET_RATE = 20_000;

/** What a probe watches: events that came out the far end, and connection drops. */
interface Sink {
  label: string;
  handled(): number;
  interruptions(): number;
}

interface Probe {
  requested: number;
  /** Frames per second the sandbox handed to the socket. */
  generated: number;
  /** Events per second that came out the far end. */
  handled: number;
  /** Least-squares growth of the backlog, events per second. */
  backlogGrowth: number;
  /** CPU of this process, in cores. */
  cores: number;
  /** The far end kept up with what the sandbox sent. */
  kept: boolean;
  /** The sandbox sent less than was asked. */
  short: boolean;
  reason: string;
}

interface Setup {
  ready: SandboxReady;
  rooms: ControlRoom[];
  log: (line: string) => void;
  warmupMs: number;
}

/** Stops the chatter and waits until what was sent has come out (or 30 s pass). */
async function drain(setup: Setup, sink: Sink): Promise<void> {
  await setRates(setup.ready, setup.rooms, 0);
  const deadline = Date.now() + 30_000;
  let previous = -1;
  while (Date.now() < deadline) {
    await sleep(300);
    const stats = await sandboxStats(setup.ready);
    const handled = sink.handled();
    if (handled === previous && stats.framesDelivered - handled >= 0) return;
    previous = handled;
  }
}

async function probe(setup: Setup, sink: Sink, rate: number, seconds: number): Promise<Probe> {
  await drain(setup, sink);
  await setRates(setup.ready, setup.rooms, rate / setup.rooms.length);
  await sleep(setup.warmupMs);
  const interruptionsBefore = sink.interruptions();
  const times: number[] = [];
  const backlog: number[] = [];
  const sample = async () => {
    const stats = await sandboxStats(setup.ready);
    const at = performance.now() / 1000;
    const handled = sink.handled();
    times.push(at);
    backlog.push(stats.framesDelivered - handled);
    return { at, delivered: stats.framesDelivered, handled };
  };
  const cpuBefore = process.cpuUsage();
  const first = await sample();
  const end = first.at + seconds;
  while (performance.now() / 1000 < end) {
    await sleep(Math.min(1000, Math.max(0, (end - performance.now() / 1000) * 1000)));
    await sample();
  }
  const last = await sample();
  const cpu = process.cpuUsage(cpuBefore);
  const elapsed = last.at - first.at;
  const generated = (last.delivered - first.delivered) / elapsed;
  const handled = (last.handled - first.handled) / elapsed;
  const backlogGrowth = slope(times, backlog);
  const interrupted = sink.interruptions() > interruptionsBefore;
  let reason = '';
  if (interrupted) reason = 'the live connection dropped';
  else if (handled < 0.97 * generated) reason = `only ${whole(handled)}/s came out`;
  else if (backlogGrowth > 0.02 * generated)
    reason = `the backlog grew by ${whole(backlogGrowth)}/s`;
  const short = generated < 0.97 * rate;
  const result: Probe = {
    requested: rate,
    generated,
    handled,
    backlogGrowth,
    cores: (cpu.user + cpu.system) / 1e6 / elapsed,
    kept: reason === '',
    short,
    reason,
  };
  const verdict = result.kept ? 'kept up' : reason;
  setup.log(
    `${sink.label}: ${whole(rate)}/s for ${seconds} s → sandbox sent ${whole(generated)}/s, ` +
      `${whole(handled)}/s came out, backlog ${backlogGrowth >= 0 ? '+' : ''}${whole(backlogGrowth)}/s, ` +
      `${result.cores.toFixed(2)} cores: ${verdict}${short ? ' (the sandbox fell short)' : ''}`,
  );
  return result;
}

interface Search {
  /** The probe that held for the whole window, or null. */
  best: Probe | null;
  /** Whether the sandbox, not the far end, stopped the search. */
  generatorBound: boolean;
}

/**
 * Doubles from `start` until a probe fails or the sandbox falls short, bisects three times
 * between the last pass and the first failure, then holds the best rate for the whole window,
 * stepping down by 10 % (at most four times) while it does not hold.
 */
async function search(
  setup: Setup,
  sink: Sink,
  options: { start: number; probeSeconds: number; windowSeconds: number; smoke: boolean },
): Promise<Search> {
  const run = (rate: number, seconds: number) => probe(setup, sink, Math.round(rate), seconds);
  if (options.smoke) {
    const only = await run(options.start, options.windowSeconds);
    return { best: only.kept ? only : null, generatorBound: only.short };
  }
  let pass = 0;
  let fail = 0;
  let generatorBound = false;
  for (let rate = options.start; rate <= 400_000; rate *= 2) {
    const result = await run(rate, options.probeSeconds);
    if (!result.kept) {
      fail = rate;
      break;
    }
    pass = rate;
    if (result.short) {
      generatorBound = true;
      break;
    }
  }
  for (let step = 0; step < 3 && pass > 0 && fail > 0; step += 1) {
    const middle = (pass + fail) / 2;
    const result = await run(middle, options.probeSeconds);
    if (result.kept) pass = middle;
    else fail = middle;
    generatorBound ||= result.kept && result.short;
    if (result.kept && result.short) break;
  }
  for (let attempt = 0; attempt < 5 && pass > 0; attempt += 1) {
    const held = await run(pass, options.windowSeconds);
    if (held.kept) return { best: held, generatorBound: generatorBound || held.short };
    pass *= 0.9;
  }
  return { best: null, generatorBound };
}

/** Per-event latencies at a fixed rate, from publication and from receipt to serialisation. */
async function latencies(
  setup: Setup,
  pipeline: Pipeline,
  sink: Sink,
  rate: number,
  seconds: number,
) {
  await drain(setup, sink);
  await setRates(setup.ready, setup.rooms, rate / setup.rooms.length);
  await sleep(setup.warmupMs);
  // Room for every event of the window and a margin, allocated before it: arrays grown by push in
  // the measured process would add their own garbage to its old generation, and its collections
  // to what is measured.
  const room = Math.ceil(rate * (seconds + 5));
  const fromPublished = new Float64Array(room);
  const fromReceived = new Float64Array(room);
  let recorded = 0;
  const pauses = { minor: 0, major: 0, majorLongest: 0, total: 0 };
  const count = (entries: readonly PerformanceEntry[]) => {
    for (const entry of entries) {
      const kind = (entry as unknown as { detail?: { kind?: number } }).detail?.kind;
      pauses.total += entry.duration;
      if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) {
        pauses.major += 1;
        pauses.majorLongest = Math.max(pauses.majorLongest, entry.duration);
      } else pauses.minor += 1;
    }
  };
  const gc = new PerformanceObserver((list) => count(list.getEntries()));
  gc.observe({ entryTypes: ['gc'] });
  pipeline.onBatch = (events, serialisedAt) => {
    for (const event of events) {
      if (event.messageId === null || recorded === room) continue;
      fromPublished[recorded] = serialisedAt - event.createdAt;
      fromReceived[recorded] = serialisedAt - event.receivedAt;
      recorded += 1;
    }
  };
  await sleep(seconds * 1000);
  pipeline.onBatch = null;
  // Entries are handed over asynchronously: take those of the window's last moments too.
  count(gc.takeRecords());
  gc.disconnect();
  await setRates(setup.ready, setup.rooms, 0);
  const published = fromPublished.subarray(0, recorded).sort();
  const received = fromReceived.subarray(0, recorded).sort();
  const firstLate = published.findIndex((value) => value > 100);
  const result = {
    count: published.length,
    publishedP50: quantile(published, 0.5),
    publishedP99: quantile(published, 0.99),
    receivedP50: quantile(received, 0.5),
    receivedP99: quantile(received, 0.99),
    publishedMax: published.length > 0 ? (published[published.length - 1] as number) : 0,
    /** Events that took longer than the 100 ms target from publish. */
    late: firstLate === -1 ? 0 : published.length - firstLate,
  };
  setup.log(
    `latency at ${whole(rate)}/s over ${result.count} events: published → serialised ` +
      `p50 ${result.publishedP50.toFixed(1)} ms, p99 ${result.publishedP99.toFixed(1)} ms, ` +
      `max ${result.publishedMax.toFixed(0)} ms, ${result.late} over 100 ms; ` +
      `received → serialised p50 ${result.receivedP50.toFixed(1)} ms, ` +
      `p99 ${result.receivedP99.toFixed(1)} ms; collections: ${pauses.minor} minor, ` +
      `${pauses.major} full (longest ${pauses.majorLongest.toFixed(1)} ms), ` +
      `${pauses.total.toFixed(0)} ms in all`,
  );
  return result;
}

/** Starts the pipeline on the sandbox's rooms, runs `body` with it and its sink, and closes it. */
async function withPipeline<T>(
  ready: SandboxReady,
  rooms: readonly ControlRoom[],
  body: (pipeline: Pipeline, sink: Sink) => Promise<T>,
): Promise<T> {
  const pipeline = await startPipeline({
    ready,
    roomIds: rooms.map((room) => room.videoRoomId),
    rules: benchRules(RULES),
  });
  try {
    return await body(pipeline, {
      label: 'pipeline',
      handled: () => pipeline.counters.events,
      interruptions: () => pipeline.counters.interruptions,
    });
  } finally {
    await pipeline.close();
  }
}

function latencyRows(latency: Awaited<ReturnType<typeof latencies>>, rate: number): BenchResult[] {
  return [
    {
      metric: `latency p50, published → batch serialised, at ${whole(rate)} msg/s`,
      value: latency.publishedP50,
      unit: 'ms',
    },
    {
      metric: `latency p99, published → batch serialised, at ${whole(rate)} msg/s`,
      value: latency.publishedP99,
      unit: 'ms',
      target: '≤ 100 ms',
      met: latency.publishedP99 <= 100,
    },
    {
      metric: 'latency p99, received → batch serialised',
      value: latency.receivedP99,
      unit: 'ms',
    },
  ];
}

async function run(context: BenchContext): Promise<BenchResult[]> {
  const option = (name: string, normal: number, smoke: number) =>
    Number(context.options[name] ?? (context.smoke ? smoke : normal));
  const windowSeconds = option('seconds', 30, 1);
  const probeSeconds = option('probe-seconds', 8, 1);
  const latencySeconds = option('latency-seconds', 20, 1);
  const start = option('start', 6_000, 1_200);

  const sandbox = await startPipelineSandbox(ROOMS);
  try {
    const rooms = (await liveRooms(sandbox.ready)).slice(0, ROOMS);
    const setup: Setup = {
      ready: sandbox.ready,
      rooms,
      log: context.log,
      warmupMs: context.smoke ? 300 : 2000,
    };
    context.log(
      `${rooms.length} rooms, ${RULES} word rules, ${cpus().length} cores, sandbox pid ` +
        `${sandbox.pid}; probes of ${probeSeconds} s, window ${windowSeconds} s`,
    );

    const latencyOnly = context.options['latency-rate'];
    if (latencyOnly !== undefined) {
      const rate = Number(latencyOnly);
      if (!Number.isFinite(rate) || rate <= 0) {
        throw new Error(`--latency-rate takes messages per second above 0, not ${latencyOnly}`);
      }
      return await withPipeline(sandbox.ready, rooms, async (pipeline, sink) => {
        await probe(setup, sink, rate * 2, option('fill-seconds', 40, 1));
        const latency = await latencies(setup, pipeline, sink, rate, latencySeconds);
        return latencyRows(latency, rate);
      });
    }

    // The reference first: a bare client that only counts the frames.
    const token = await moderatorToken(sandbox.ready);
    const bare = new CountingSubscriber(token.chatServerWebSocketUrl);
    await bare.connect(token);
    await bare.subscribeRooms(rooms, token.userId);
    const bareSink: Sink = {
      label: 'bare ws client',
      handled: () => bare.messages,
      interruptions: () => 0,
    };
    const reference = await search(setup, bareSink, {
      start,
      probeSeconds,
      windowSeconds,
      smoke: context.smoke,
    });
    await drain(setup, bareSink);
    bare.close();

    return await withPipeline(sandbox.ready, rooms, async (pipeline, sink) => {
      const found = await search(setup, sink, {
        start,
        probeSeconds,
        windowSeconds,
        smoke: context.smoke,
      });
      const best = found.best;
      const bestRate = best?.handled ?? 0;
      const referenceRate = reference.best?.handled ?? 0;
      const latencyRate = Math.max(ROOMS, Math.round((best?.handled ?? start) / 2));
      const latency = await latencies(setup, pipeline, sink, latencyRate, latencySeconds);
      const bytesPerEvent = pipeline.counters.bytes / Math.max(1, pipeline.counters.events);

      const ratio = referenceRate > 0 ? bestRate / referenceRate : 0;
      const bound = (search: Search) => (search.generatorBound ? ', the sandbox’s limit' : '');
      context.log(
        `pipeline: ${whole(bestRate)}/s for ${windowSeconds} s${bound(found)}; bare client: ` +
          `${whole(referenceRate)}/s${bound(reference)}`,
      );
      return [
        {
          metric: `highest sustained rate, ${ROOMS} rooms, ${windowSeconds} s (pipeline${bound(found)})`,
          value: bestRate,
          unit: 'msg/s',
          reference: { metric: `bare ws client${bound(reference)}`, value: referenceRate },
          ratio,
          target: `≥ ${whole(TARGET_RATE)} msg/s and ≥ 0.5× the bare client`,
          met: bestRate >= TARGET_RATE && ratio >= 0.5,
        },
        {
          metric: 'CPU of the pipeline process at that rate',
          value: best?.cores ?? 0,
          unit: 'cores',
        },
        {
          metric: 'events per CPU-second of the pipeline process at that rate',
          value: best && best.cores > 0 ? best.handled / best.cores : 0,
          unit: 'msg/s',
        },
        ...latencyRows(latency, latencyRate),
        { metric: 'serialised batch bytes per event', value: bytesPerEvent, unit: 'B' },
      ];
    });
  } finally {
    await sandbox.stop();
  }
}

const benchmark: Benchmark = {
  name: 'pipeline',
  description:
    'highest sustained aggregate rate of the main-process feed pipeline over 12 rooms, its latency at half that rate, vs a bare ws client',
  run,
};

export default benchmark;
