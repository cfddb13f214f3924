/**
 * The main-process pipeline as the app runs it, without Electron: `createCore` with an account on
 * a sandbox process, rooms opened through the dispatcher (as IPC would), and every `feed.batch`
 * serialised with V8's serializer, which is what Electron's IPC does with a payload.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serialize } from 'node:v8';
import type { ChatEvent, FeedBatch, RoomStatus } from '../../src/shared/chat';
import type { Rule } from '../../src/shared/model';
import { createCore, type Core, type CoreAdapters } from '../../src/main/core';
import { silentLogger } from '../../src/main/logger';
import { starterRules } from '../../src/main/services/embeddedSandbox';
import { Redactor } from '../../src/main/services/accounts/redactor';
import { MemorySecretStore } from '../../src/main/services/accounts/secrets';
import { STARTER_FORBIDDEN_WORDS } from '../../src/sandbox';
import type { SandboxReady } from './sandboxProcess';
import { startTestWorker } from '../support/memory';
import { buildCorpus } from './wordfilterCorpus';

/** The sandbox's starter words plus synthetic terms, `count` rules in all. */
export function benchRules(count: number): Rule[] {
  const starter = starterRules(STARTER_FORBIDDEN_WORDS);
  return [...starter, ...buildCorpus(0, Math.max(0, count - starter.length)).rules];
}

export interface PipelineCounters {
  /** Events that left in batches. */
  events: number;
  batches: number;
  /** Bytes the batches serialised to. */
  bytes: number;
  /** Times the live connection went anywhere but `live` after it first got there. */
  interruptions: number;
}

export interface Pipeline {
  core: Core;
  accountId: string;
  roomKeys: string[];
  counters: PipelineCounters;
  /**
   * Called with every batch's events and the time it was serialised (epoch ms, fractional), for
   * latency; null to stop.
   */
  onBatch: ((events: readonly ChatEvent[], serialisedAt: number) => void) | null;
  close(): Promise<void>;
}

/**
 * Builds the core, adds the sandbox account, opens the rooms and waits until they are live. With
 * `memory`, the core keeps the message history (a new store in its user-data folder) as the app
 * does; without it, it keeps none.
 */
export async function startPipeline(options: {
  ready: SandboxReady;
  roomIds: readonly string[];
  rules: Rule[];
  memory?: boolean;
  /** What the core's HTTP client uses instead of its defaults (a fetch that takes times). */
  http?: CoreAdapters['http'];
  /**
   * A user-data folder of the caller's, kept at close, and the secret store that goes with it: a
   * second pipeline on them finds the account the first added (and its history) and uses it.
   */
  profile?: { userDataDir: string; secretStore: CoreAdapters['secretStore'] };
}): Promise<Pipeline> {
  const userDataDir =
    options.profile?.userDataDir ?? (await mkdtemp(join(tmpdir(), 'moddeck-bench-')));
  const core = await createCore({
    userDataDir,
    secretStore: options.profile?.secretStore ?? new MemorySecretStore(),
    redactor: new Redactor(),
    log: silentLogger,
    app: { name: 'ModDeck', version: 'bench', platform: process.platform },
    notifier: { show: () => undefined },
    ...(options.memory === true ? { memory: { startWorker: startTestWorker } } : {}),
    ...(options.http === undefined ? {} : { http: options.http }),
  });
  const counters: PipelineCounters = { events: 0, batches: 0, bytes: 0, interruptions: 0 };
  const live = new Set<string>();
  let wake: (() => void) | null = null;
  const pipeline: Pipeline = {
    core,
    accountId: '',
    roomKeys: [],
    counters,
    onBatch: null,
    async close() {
      stop();
      await core.dispose();
      if (options.profile === undefined) await rm(userDataDir, { recursive: true, force: true });
    },
  };
  const stop = core.events.subscribe((event, payload) => {
    if (event === 'feed.batch') {
      const batch = payload as FeedBatch;
      counters.bytes += serialize(batch).byteLength;
      counters.batches += 1;
      counters.events += batch.events.length;
      pipeline.onBatch?.(batch.events, performance.timeOrigin + performance.now());
    } else if (event === 'feed.status') {
      for (const status of (payload as { statuses: RoomStatus[] }).statuses) {
        if (status.state === 'live') live.add(status.roomKey);
        else if (live.delete(status.roomKey)) counters.interruptions += 1;
      }
      wake?.();
    }
  });

  try {
    await core.settings.set({
      embeddedSandbox: false,
      rules: { global: options.rules, rooms: {} },
    });
    const account =
      core.accounts.records().find((record) => record.name === 'Bench') ??
      (await core.accounts.save({
        provider: 'flipflop',
        name: 'Bench',
        baseUrl: options.ready.flipflop.baseUrl,
        appApiKey: options.ready.flipflop.appApiKey,
        moderator: options.ready.flipflop.moderator,
        secret: options.ready.flipflop.appApiSecret,
      }));
    pipeline.accountId = account.id;
    for (const roomId of options.roomIds) {
      const opened = await core.dispatch('rooms.open', { accountId: account.id, roomId });
      if (!opened.ok) throw new Error(`room ${roomId} did not open: ${opened.error.message}`);
      pipeline.roomKeys.push((opened.value as { roomKey: string }).roomKey);
    }
    const deadline = Date.now() + 15_000;
    const allLive = () => core.feeds.openRooms().every((room) => room.status.state === 'live');
    while (!allLive()) {
      if (Date.now() > deadline) throw new Error('the rooms did not go live within 15 s');
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, 100);
      });
    }
    for (const roomKey of pipeline.roomKeys) live.add(roomKey);
    wake = null;
    return pipeline;
  } catch (error) {
    await pipeline.close();
    throw error;
  }
}
