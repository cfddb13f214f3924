/**
 * The hold queue under a raid, without Chromium (issue #28): the pipeline's core (`createCore` with
 * the message history, as `pipelineCore.ts` builds it) on a sandbox process, 12 rooms at 50 msg/s
 * with 300 chatters present in each, and the first room also getting a raid of `raidRate` copies a
 * second (the sandbox's `raid-rate`), with automod's raid rule set to `hold` and shield mode on in
 * every room. Each raid rate runs on a sandbox, a profile and a core of its own.
 *
 * The history knows every person of each room's sandbox pool from a day before (`writeRegulars`),
 * so what shield mode finds new is the raid's fresh accounts, as in `raid.bench.ts`. Each figure is
 * taken as that benchmark takes it: hide calls are timed around the core's HTTP sender (the answer once
 * its body is read); hold exposure runs from a held message's frame receipt in main (`receivedAt`)
 * to its hide's answer; a raid copy is visible from its publication (the time in its message id,
 * the sandbox's clock put on this process's) to its hide's answer, or until the drain ends if it was
 * never hidden. Also sampled: the hide calls in flight at once, and main's event loop delay.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { defaultAutomodConfig } from '../../src/shared/automod';
import type { FeedBatch } from '../../src/shared/chat';
import { MemorySecretStore } from '../../src/main/services/accounts/secrets';
import { profileSummary, type CpuProfile } from './cpuProfile';
import { startPipeline } from './pipelineCore';
import { mainThreadCpuSeconds } from './pipelineWindow';
import { writeRegulars } from './raidProfile';
import { cpuSeconds, json, startSandboxProcess, type SandboxProcess } from './sandboxProcess';
import { quantile, sleep, sorted, whole } from './stats';
import type { BenchResult } from './types';
import { HideLog, raidDeliveries, raidSandboxArgs } from './raidHides';

const VISIBLE_LIMIT_MS = 200;
/** A spam line of the sandbox's, as `raid.bench.ts` raids with. */
const RAID_LINE = 'join the giveaway before it ends, the link is in my profile, only 10 spots left';

export interface RaidHoldOptions {
  rooms: number;
  /** Messages a second per room, the raid's copies apart. */
  ratePerRoom: number;
  /** Copies a second in the first room, one run each. */
  raidRates: readonly number[];
  /** How long the raid lasts. */
  seconds: number;
  /** Chatters present per room. */
  present: number;
  /** After the raid, how long hides still waiting may take to be answered. */
  drainSeconds: number;
  /** Where to write a CPU profile of main's thread during the raid (a `.cpuprofile` per rate). */
  profile?: string;
  log: (line: string) => void;
}

function now(): number {
  return performance.timeOrigin + performance.now();
}

/** The offset of the sandbox's clock from this process's, from the round trip with least delay. */
async function sandboxOffset(sandbox: SandboxProcess): Promise<number> {
  let best = { offset: 0, delay: Infinity };
  for (let round = 0; round < 15; round += 1) {
    const before = now();
    const { now: other } = await json<{ now: number }>(
      `${sandbox.ready.control.baseUrl}/__sandbox/requests`,
    );
    const after = now();
    if (after - before < best.delay)
      best = { offset: (before + after) / 2 - other, delay: after - before };
  }
  return best.offset;
}

export interface RaidHoldFigures {
  raidRate: number;
  hidesPerSecond: number;
  /** Hide calls in flight at once, on average over the raid (sampled every 10 ms). */
  callsInFlight: number;
  holds: number;
  heldLater: number;
  exposureP50: number;
  exposureP99: number;
  raidCopies: number;
  visibleOver: number;
  neverHidden: number;
  visibleP99: number;
  /** Hides waiting in main (or in flight) when the raid stopped, and after the drain. */
  waitingAtStop: number;
  waitingAtEnd: number;
  callP50: number;
  callP99: number;
  processCores: number;
  mainThreadCores: number;
  sandboxCores: number | null;
  /** Main's event loop delay while the raid ran, p99. */
  loopDelayP99: number;
}

async function oneRate(options: RaidHoldOptions, raidRate: number): Promise<RaidHoldFigures> {
  const { rooms, ratePerRoom, seconds, present, log } = options;
  const sandbox = await startSandboxProcess([
    '--port',
    '0',
    '--rooms',
    String(rooms),
    '--rate',
    String(ratePerRoom),
    ...raidSandboxArgs(present),
  ]);
  const userDataDir = await mkdtemp(join(tmpdir(), 'moddeck-holdraid-'));
  const profile = { userDataDir, secretStore: new MemorySecretStore() };
  const hideLog = new HideLog();
  try {
    const roomIds = Array.from({ length: rooms }, (_, index) => String(1001 + index));
    // A first core adds the account; the history then learns the rooms' regulars under its id.
    const first = await startPipeline({
      ready: sandbox.ready,
      roomIds: [],
      rules: [],
      memory: true,
      profile,
    });
    const accountId = first.accountId;
    await first.close();
    writeRegulars(join(userDataDir, 'memory.sqlite'), accountId, roomIds, present);

    const pipeline = await startPipeline({
      ready: sandbox.ready,
      roomIds,
      rules: [],
      memory: true,
      http: { send: hideLog.send },
      profile,
    });
    try {
      const { core } = pipeline;
      const received = new Map<string, { at: number; heldAtOnce: boolean }>();
      const heldLater = new Set<string>();
      const messageIdOf = new Map<string, string>();
      const stopReceipts = core.events.subscribe((event, payload) => {
        if (event !== 'feed.batch') return;
        const batch = payload as FeedBatch;
        for (const item of batch.events) {
          if (item.messageId === null) continue;
          received.set(item.messageId, {
            at: item.receivedAt,
            heldAtOnce: item.held !== undefined,
          });
          messageIdOf.set(item.id, item.messageId);
        }
        for (const update of batch.updates) {
          if (update.held !== undefined) heldLater.add(messageIdOf.get(update.id) ?? update.id);
        }
      });
      const config = defaultAutomodConfig();
      await core.settings.set({
        automod: {
          enabled: true,
          config: {
            ...config,
            rules: config.rules.map((rule) =>
              rule.kind === 'raid' ? { ...rule, action: 'hold' as const } : rule,
            ),
          },
        },
      });
      const shield = await core.dispatch('shield.set', { roomKey: null, on: true });
      if (!shield.ok) throw new Error(`shield mode did not turn on: ${shield.error.message}`);
      const channelKey = (
        await json<Array<{ videoRoomId: string; channelKey: string }>>(
          `${sandbox.ready.control.baseUrl}/__sandbox/rooms`,
        )
      ).find((room) => room.videoRoomId === roomIds[0])?.channelKey;
      if (channelKey === undefined) throw new Error(`room ${roomIds[0]} has no channel key`);
      // Settle: the rooms' first frames, the history's rows.
      await sleep(Math.min(3000, seconds * 500));
      const offset = await sandboxOffset(sandbox);
      received.clear();
      heldLater.clear();

      const session = options.profile === undefined ? null : new Session();
      if (session) {
        session.connect();
        await session.post('Profiler.enable');
        await session.post('Profiler.setSamplingInterval', { interval: 500 });
        await session.post('Profiler.start');
      }
      const loop = monitorEventLoopDelay({ resolution: 10 });
      let inFlightSum = 0;
      let inFlightSamples = 0;
      const sampler = setInterval(() => {
        inFlightSum += hideLog.inFlight;
        inFlightSamples += 1;
      }, 10);
      // Each second: hides waiting (or in flight) in main, and the account's limit.
      const series: string[] = [];
      const everySecond = setInterval(() => {
        series.push(`${whole(core.holds.pending())}/${core.holds.limit(accountId)}`);
      }, 1000);
      const processStart = process.cpuUsage();
      const threadStart = mainThreadCpuSeconds();
      const sandboxStart = await cpuSeconds(sandbox.pid);
      loop.enable();
      const started = now();
      await setRaidRate(sandbox, roomIds[0] ?? '', raidRate);
      await sleep(seconds * 1000);
      await setRaidRate(sandbox, roomIds[0] ?? '', 0);
      const stopped = now();
      loop.disable();
      clearInterval(sampler);
      clearInterval(everySecond);
      log(
        `  raid ${whole(raidRate)}/s, each second: hides pending in main / limit: ${series.join(' ')}`,
      );
      const wall = (stopped - started) / 1000;
      const processUsage = process.cpuUsage(processStart);
      const threadEnd = mainThreadCpuSeconds();
      const sandboxEnd = await cpuSeconds(sandbox.pid);
      if (session) {
        const { profile: cpu } = await session.post('Profiler.stop');
        session.disconnect();
        const file = `${options.profile}.${raidRate}.cpuprofile`;
        await writeFile(file, JSON.stringify(cpu));
        log(`  CPU profile of main during the raid: ${file}`);
        for (const line of profileSummary(cpu as unknown as CpuProfile, 30)) log(`  ${line}`);
      }
      const waitingAtStop = core.holds.pending();
      const deadline = now() + options.drainSeconds * 1000;
      while (now() < deadline && (hideLog.inFlight > 0 || core.holds.pending() > 0)) {
        await sleep(50);
      }
      // Anything still visible now stays visible: the run's end for copies never hidden.
      const ended = now();
      const waitingAtEnd = core.holds.pending();
      stopReceipts();

      const exposure: number[] = [];
      for (const [messageId, receipt] of received) {
        if (!receipt.heldAtOnce) continue;
        const answered = hideLog.hides.get(messageId);
        if (answered?.answeredAt !== undefined && answered.ok === true) {
          exposure.push(answered.answeredAt - receipt.at);
        }
      }
      const copies = await raidDeliveries(sandbox.ready.control.baseUrl, channelKey, false);
      const visible: number[] = [];
      let neverHidden = 0;
      for (const id of copies) {
        const published = Number(id.slice(0, 13)) + offset;
        const hide = hideLog.hides.get(id);
        const hiddenAt = hide?.ok === true ? hide.answeredAt : undefined;
        if (hiddenAt === undefined) neverHidden += 1;
        visible.push((hiddenAt ?? ended) - published);
      }
      const calls: number[] = [];
      let answeredInRaid = 0;
      for (const times of hideLog.hides.values()) {
        if (times.sentAt < started || times.answeredAt === undefined) continue;
        calls.push(times.answeredAt - times.sentAt);
        if (times.ok === true && times.answeredAt <= stopped) answeredInRaid += 1;
      }
      const exposed = sorted(exposure);
      const callTimes = sorted(calls);
      return {
        raidRate,
        hidesPerSecond: answeredInRaid / wall,
        callsInFlight: inFlightSum / Math.max(1, inFlightSamples),
        holds: exposed.length,
        heldLater: heldLater.size,
        exposureP50: quantile(exposed, 0.5),
        exposureP99: quantile(exposed, 0.99),
        raidCopies: copies.length,
        visibleOver: visible.filter((time) => time > VISIBLE_LIMIT_MS).length,
        neverHidden,
        visibleP99: quantile(sorted(visible), 0.99),
        waitingAtStop,
        waitingAtEnd,
        callP50: quantile(callTimes, 0.5),
        callP99: quantile(callTimes, 0.99),
        processCores: (processUsage.user + processUsage.system) / 1e6 / wall,
        mainThreadCores: (threadEnd - threadStart) / wall,
        sandboxCores:
          sandboxStart === null || sandboxEnd === null ? null : (sandboxEnd - sandboxStart) / wall,
        loopDelayP99: loop.percentile(99) / 1e6,
      };
    } finally {
      await pipeline.close();
    }
  } finally {
    await sandbox.stop();
    await rm(userDataDir, { recursive: true, force: true });
  }
}

function setRaidRate(sandbox: SandboxProcess, roomId: string, perSecond: number) {
  return json(`${sandbox.ready.control.baseUrl}/__sandbox/rooms/${roomId}/raid-rate`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ perSecond, text: RAID_LINE }),
  });
}

/** One run per raid rate, each on a sandbox, a profile and a core of its own. */
export async function measureHoldRaid(options: RaidHoldOptions): Promise<BenchResult[]> {
  const rows: BenchResult[] = [];
  for (const raidRate of options.raidRates) {
    const figure = await oneRate(options, raidRate);
    const label = `raid ${whole(raidRate)}/s`;
    options.log(
      `${label}: ${whole(figure.hidesPerSecond)} hides answered a second (calls in flight ` +
        `${figure.callsInFlight.toFixed(1)} on average; the call alone p50 ` +
        `${figure.callP50.toFixed(1)}, p99 ${figure.callP99.toFixed(1)} ms); ` +
        `${whole(figure.holds)} held as they came, exposure p50 ${figure.exposureP50.toFixed(1)}, ` +
        `p99 ${figure.exposureP99.toFixed(1)} ms (${whole(figure.heldLater)} held later); ` +
        `${whole(figure.raidCopies)} raid copies, ${whole(figure.visibleOver)} visible over ` +
        `${VISIBLE_LIMIT_MS} ms (${whole(figure.neverHidden)} never hidden, p99 ` +
        `${figure.visibleP99.toFixed(1)} ms); hides waiting ${whole(figure.waitingAtStop)} as the ` +
        `raid stopped, ${whole(figure.waitingAtEnd)} after the drain; main ` +
        `${figure.processCores.toFixed(2)} cores (main thread ${figure.mainThreadCores.toFixed(2)}, ` +
        `event loop delay p99 ${figure.loopDelayP99.toFixed(1)} ms), sandbox ` +
        `${figure.sandboxCores?.toFixed(2) ?? 'n/a'} cores`,
    );
    rows.push(
      {
        metric:
          `${label}: hides answered a second (the call alone p50 ${figure.callP50.toFixed(1)} ms, ` +
          `p99 ${figure.callP99.toFixed(1)} ms; ${figure.callsInFlight.toFixed(1)} in flight on average)`,
        value: figure.hidesPerSecond,
        unit: 'hides/s',
        reference: { metric: 'raid copies a second asked', value: raidRate },
        ratio: figure.hidesPerSecond / raidRate,
      },
      {
        metric: `${label}: hold exposure p50, held as they came (receipt → hide answered, ${whole(figure.holds)})`,
        value: figure.exposureP50,
        unit: 'ms',
      },
      { metric: `${label}: hold exposure p99`, value: figure.exposureP99, unit: 'ms' },
      {
        metric:
          `${label}: raid copies visible over ${VISIBLE_LIMIT_MS} ms (of ${whole(figure.raidCopies)}; ` +
          `${whole(figure.neverHidden)} never hidden)`,
        value: figure.visibleOver,
        unit: 'messages',
        target: '0',
        met: figure.visibleOver === 0,
      },
      {
        metric: `${label}: hides still waiting in main after the drain (${whole(figure.waitingAtStop)} as the raid stopped)`,
        value: figure.waitingAtEnd,
        unit: 'hides',
      },
      {
        metric: `${label}: main's CPU (main thread ${figure.mainThreadCores.toFixed(2)}; event loop delay p99 ${figure.loopDelayP99.toFixed(1)} ms)`,
        value: figure.processCores,
        unit: 'cores',
      },
    );
  }
  // A figure with nothing to measure (no hold in a short run) is left out rather than NaN.
  return rows.filter((row) => Number.isFinite(row.value));
}
