import type { ChatEvent, FeedBatch, RoomStats, RoomStatus } from '../../src/shared/chat';
import type { RequestChannel, RequestOutput, Result } from '../../src/shared/contract';
import type { Clock } from '../../src/main/clock';
import { createCore, type Core, type CoreAdapters } from '../../src/main/core';
import { silentLogger } from '../../src/main/logger';
import { Redactor } from '../../src/main/services/accounts/redactor';
import { MemorySecretStore, type SecretStore } from '../../src/main/services/accounts/secrets';
import { RecordingNotifier } from './notifier';

export interface TestCore {
  core: Core;
  secrets: SecretStore;
  redactor: Redactor;
  notifier: RecordingNotifier;
}

export interface TestCoreOptions extends Partial<Omit<CoreAdapters, 'userDataDir'>> {
  secrets?: SecretStore;
  clock?: Clock;
}

/** The real core on a real folder, with secrets in memory and notifications recorded. */
export async function buildTestCore(
  userDataDir: string,
  secretsOrOptions: SecretStore | TestCoreOptions = {},
): Promise<TestCore> {
  const options: TestCoreOptions =
    'get' in secretsOrOptions && 'status' in secretsOrOptions
      ? { secrets: secretsOrOptions }
      : secretsOrOptions;
  const redactor = options.redactor ?? new Redactor();
  const secrets = options.secrets ?? new MemorySecretStore();
  const notifier = new RecordingNotifier();
  const core = await createCore({
    log: silentLogger,
    app: { name: 'ModDeck', version: '0.0.0-test', platform: 'test' },
    notifier,
    ...options,
    userDataDir,
    secretStore: secrets,
    redactor,
  });
  return { core, secrets, redactor, notifier };
}

/** Calls a channel through the core's dispatcher, typed by the contract. */
export function call<C extends RequestChannel>(
  core: Core,
  channel: C,
  input?: unknown,
): Promise<Result<RequestOutput<C>>> {
  return core.dispatch(channel, input) as Promise<Result<RequestOutput<C>>>;
}

/** Asserts a result is ok and returns its value. */
export function valueOf<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

/** What the core's live feeds sent the renderer, as it arrived. */
export interface FeedRecord {
  batches: FeedBatch[];
  /** The events of every batch, in order. */
  events: ChatEvent[];
  statuses: RoomStatus[];
  gaps: Array<{ roomKey: string; from: number; to: number }>;
}

/** Records every `feed.batch`, `feed.status` and `feed.gap` the core emits from now on. */
export function recordFeeds(core: Core): FeedRecord {
  const record: FeedRecord = { batches: [], events: [], statuses: [], gaps: [] };
  core.events.subscribe((event, payload) => {
    if (event === 'feed.batch') {
      record.batches.push(payload as FeedBatch);
      record.events.push(...(payload as FeedBatch).events);
    }
    if (event === 'feed.status') {
      record.statuses.push(...(payload as { statuses: RoomStatus[] }).statuses);
    }
    if (event === 'feed.gap') record.gaps.push(payload as FeedRecord['gaps'][number]);
  });
  return record;
}

/** What reached a window that serialises every event as the browser host and Electron do. */
export interface WindowRecord {
  /** Chat events as the window read them back. */
  events: ChatEvent[];
  stats: RoomStats[];
  /** What serialising threw, with the event's name (nothing, when all is well). */
  thrown: Array<{ event: string; error: unknown }>;
}

/**
 * Subscribes like a window: each event is serialised with `JSON.stringify` (the browser host's
 * `ws.send`) and with structured clone (Electron's `webContents.send`); what either throws is
 * recorded and thrown on, as the real sender would throw it.
 */
export function recordAsWindow(core: Core): WindowRecord {
  const record: WindowRecord = { events: [], stats: [], thrown: [] };
  core.events.subscribe((event, payload) => {
    let read: { event: string; payload: unknown };
    try {
      read = JSON.parse(JSON.stringify({ event, payload })) as typeof read;
      structuredClone(payload);
    } catch (error) {
      record.thrown.push({ event, error });
      throw error;
    }
    if (read.event === 'feed.batch') {
      const batch = read.payload as FeedBatch;
      record.events.push(...batch.events);
      record.stats.push(...batch.stats);
    }
  });
  return record;
}
