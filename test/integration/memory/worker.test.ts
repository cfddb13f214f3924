import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { systemClock } from '../../../src/main/clock';
import { silentLogger } from '../../../src/main/logger';
import { MemoryStore, type MemoryOptions } from '../../../src/main/services/memory/memory';
import type { FromWorker } from '../../../src/main/services/memory/protocol';
import { WarningBoard } from '../../../src/main/services/warnings';
import type { AppWarning } from '../../../src/shared/warnings';
import { chatEvent, startTestWorker } from '../../support/memory';
import { useTempDir } from '../../support/tempDir';

async function openMemory(
  options: Partial<MemoryOptions> = {},
): Promise<{ memory: MemoryStore; file: string; warnings: AppWarning[][] }> {
  const dir = await useTempDir('moddeck-memory-');
  const file = join(dir, 'memory.sqlite');
  const warnings: AppWarning[][] = [];
  const memory = new MemoryStore({
    file,
    startWorker: startTestWorker,
    clock: systemClock,
    log: silentLogger,
    warnings: new WarningBoard((list) => warnings.push(list)),
    describeRoom: (roomKey) => ({
      accountId: roomKey.split('/')[0] ?? '',
      provider: 'flipflop',
      name: 'Lobby',
    }),
    ...options,
  });
  onTestFinished(() => memory.close());
  return { memory, file, warnings };
}

/** Resolves with the first message from the worker that `accept` takes. */
function nextMessage(
  memory: MemoryStore,
  accept: (message: FromWorker) => boolean,
): Promise<FromWorker> {
  return new Promise((resolve) => {
    const stop = memory.onMessage((message) => {
      if (!accept(message)) return;
      stop();
      resolve(message);
    });
  });
}

describe('the memory worker', () => {
  it('stores the batches it is posted and answers questions about them', async () => {
    const { memory } = await openMemory();
    const event = chatEvent('a/r', '바보야 hello');
    memory.ingest({ events: [event], updates: [], stats: [] });
    memory.ingest({
      events: [],
      updates: [{ roomKey: 'a/r', id: event.id, state: 'hidden' }],
      stats: [],
    });
    memory.action({
      account: 'a',
      room: 'a/r',
      authorId: 'u1',
      action: 'users.mute',
      result: 'ok',
    });
    expect(await memory.request('flush', {})).toEqual({ waiting: 0 });
    expect(memory.waiting).toBe(0);
    const page = await memory.request('events', { terms: ['바보'] });
    expect(page.events).toMatchObject([{ id: event.id, state: 'hidden' }]);
    const summary = await memory.request('userSummary', { accountId: 'a', userId: 'u1' });
    expect(summary).toMatchObject({ messages: 1, hidden: 1, mutes: 1, rooms: [{ name: 'Lobby' }] });
    const size = await memory.request('size', {});
    expect(size.events).toBe(1);
    expect(size.bytes).toBeGreaterThan(0);
  });

  it('does not hold more than its backlog, says so, and clears the warning once it caught up', async () => {
    const { memory, warnings } = await openMemory({ maxBacklog: 2 });
    // Nothing is committed before the worker takes its first message, which comes after this
    // synchronous run: the third event finds the backlog full.
    for (let index = 0; index < 3; index += 1)
      memory.ingest({ events: [chatEvent('a/r', `m${index}`)], updates: [], stats: [] });
    expect(warnings.at(-1)?.map((warning) => warning.kind)).toEqual(['memoryBehind']);
    await memory.request('flush', {});
    memory.ingest({ events: [chatEvent('a/r', 'later')], updates: [], stats: [] });
    await memory.request('flush', {});
    expect(warnings.at(-1)).toEqual([]);
    const stored = await memory.request('events', {});
    expect(stored.events.map((event) => event.text)).toEqual(['later', 'm1', 'm0']);
  });

  it('pauses writing on a full disk, says so, and writes what waited once there is room', async () => {
    const { memory, warnings } = await openMemory({ retryFirstMs: 20, retryMaxMs: 40 });
    memory.ingest({ events: [chatEvent('a/r', 'before')], updates: [], stats: [] });
    const { pageCount } = await pages(memory);
    await memory.request('limitPages', { pages: pageCount });
    const paused = nextMessage(memory, (message) => message.type === 'paused');
    const long = 'x'.repeat(4000);
    const during = Array.from({ length: 20 }, (_, index) => chatEvent('a/r', `${long} ${index}`));
    memory.ingest({ events: during, updates: [], stats: [] });
    expect(await paused).toMatchObject({ reason: expect.stringMatching(/full/) as unknown });
    expect(warnings.at(-1)?.map((warning) => warning.kind)).toEqual(['memoryPaused']);
    const written = nextMessage(memory, (message) => message.type === 'resumed');
    await memory.request('limitPages', { pages: 1_000_000 });
    await written;
    expect(warnings.at(-1)).toEqual([]);
    const stored = await memory.request('events', { limit: 500 });
    expect(stored.events).toHaveLength(21);
  });
});

async function pages(memory: MemoryStore): Promise<{ pageCount: number }> {
  const size = await memory.request('size', {});
  return { pageCount: Math.ceil(size.bytes / 4096) + 2 };
}
