import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { systemClock } from '../../../src/main/clock';
import { silentLogger, type Logger } from '../../../src/main/logger';
import { MemoryDatabase } from '../../../src/main/services/memory/database';
import { MemoryStore, type MemoryOptions } from '../../../src/main/services/memory/memory';
import type { FromWorker, ToWorker } from '../../../src/main/services/memory/protocol';
import { WarningBoard } from '../../../src/main/services/warnings';
import type { AppWarning } from '../../../src/shared/warnings';
import { parseQuery } from '../../../src/shared/search';
import {
  chatEvent,
  damageIndexRecords,
  damageTablePages,
  startTestWorker,
  storeBatch,
} from '../../support/memory';
import { useTempDir } from '../../support/tempDir';

const DAY = 24 * 60 * 60 * 1000;

async function openMemory(
  options: Partial<MemoryOptions> = {},
  before: (file: string) => void = () => undefined,
): Promise<{ memory: MemoryStore; file: string; warnings: AppWarning[][] }> {
  const dir = options.file === undefined ? await useTempDir('moddeck-memory-') : null;
  const file = options.file ?? join(dir ?? '', 'memory.sqlite');
  before(file);
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
  it('moves an unreadable file aside, starts a new one and names where the old one is', async () => {
    const { memory, file, warnings } = await openMemory({}, (path) =>
      writeFileSync(path, 'not a database '.repeat(500)),
    );
    const moved = await nextMessage(memory, (message) => message.type === 'movedAside');
    const copy = moved.type === 'movedAside' ? moved.copy : '';
    expect(copy.startsWith(`${file}.corrupt-`)).toBe(true);
    expect(readFileSync(copy, 'utf8')).toMatch(/^not a database/);
    expect(warnings.at(-1)).toMatchObject([{ kind: 'memoryMovedAside', file, copy }]);
    expect(warnings.at(-1)?.[0]?.message).toContain(copy);
    memory.ingest({ events: [chatEvent('a/r', 'fresh start')], updates: [], stats: [] });
    const page = await memory.request('events', { terms: ['fresh'] });
    expect(page.events.map((event) => event.text)).toEqual(['fresh start']);
  });

  it('names the rooms open when a damaged file was moved aside in the history started after it', async () => {
    // A history whose notes' pages were damaged since: the file opens, takes batches (which do not
    // read notes), and the damage is found when a user card reads them. Damage outside the
    // full-text indexes is not mended: the file is moved aside.
    const { memory } = await openMemory({}, (file) => {
      const earlier = new MemoryDatabase(file);
      earlier.ingest(storeBatch([chatEvent('a/old', 'old words')]));
      earlier.addNote({ accountId: 'a', userId: 'u1' }, 'warned twice', 1000);
      earlier.close();
      damageTablePages(file, 'notes');
    });
    const moved = nextMessage(memory, (message) => message.type === 'movedAside');
    // The lobby's first batch names it to the store.
    memory.ingest({ events: [chatEvent('a/1001', 'first words')], updates: [], stats: [] });
    await memory.request('flush', {});
    await expect(memory.request('userSummary', { accountId: 'a', userId: 'u1' })).rejects.toThrow(
      /malformed/,
    );
    await moved;
    memory.ingest({ events: [chatEvent('a/1001', 'later words')], updates: [], stats: [] });
    const parsed = parseQuery('in:lobby words', Date.now());
    if (!parsed.ok) throw new Error(parsed.error);
    const page = await memory.request('search', { query: parsed.query });
    expect(page.results.map((event) => [event.text, event.roomName])).toEqual([
      ['later words', 'Lobby'],
    ]);
  });

  it('rebuilds a damaged full-text index, keeps the history, and answers the search that met it', async () => {
    const logged: string[] = [];
    const log: Logger = { ...silentLogger, warn: (message) => logged.push(message) };
    const { memory, file, warnings } = await openMemory({ log }, (path) => {
      const earlier = new MemoryDatabase(path);
      earlier.ingest(
        storeBatch(Array.from({ length: 3000 }, (_, i) => chatEvent('a/old', `old ${i} hello`))),
      );
      earlier.addNote({ accountId: 'a', userId: 'u1' }, 'warned twice', 1000);
      // One segment: the first prune's tidying has nothing to merge, and the search meets the damage.
      earlier.db.exec("INSERT INTO events_trigram (events_trigram) VALUES ('optimize')");
      earlier.close();
      // The index's leaves (its structure and totals are records 10 and 1): a leaf of under 4
      // bytes is one FTS5 always reads as damaged.
      damageIndexRecords(path, "UPDATE events_trigram_data SET block = x'00' WHERE id > 10");
    });
    const messages: Array<FromWorker['type']> = [];
    memory.onMessage((message) => messages.push(message.type));
    const page = await memory.request('events', { terms: ['hello'], limit: 2 });
    expect(page.events.map((event) => event.text)).toEqual(['old 2999 hello', 'old 2998 hello']);
    // The index of one- and two-character words is written again too.
    const short = await memory.request('events', { terms: ['ol'], limit: 1 });
    expect(short.events.map((event) => event.text)).toEqual(['old 2999 hello']);
    const summary = await memory.request('userSummary', { accountId: 'a', userId: 'u1' });
    expect(summary.messages).toBe(3000);
    expect(summary.notes.map((note) => note.text)).toEqual(['warned twice']);
    expect(messages).toContain('indexesRebuilt');
    expect(messages).not.toContain('movedAside');
    expect(readdirSync(dirname(file)).filter((name) => name.includes('.corrupt-'))).toEqual([]);
    expect(warnings.flat().map((warning) => warning.kind)).not.toContain('memoryMovedAside');
    expect(logged).toContainEqual(expect.stringMatching(/full-text indexes .* rebuilt/));
  });

  it('commits a batch that met a damaged full-text index once the index is rebuilt', async () => {
    const { memory, file } = await openMemory({}, (path) => {
      const earlier = new MemoryDatabase(path);
      earlier.ingest(storeBatch([chatEvent('a/old', 'before the damage')]));
      earlier.close();
      // The index's totals (record 1), which FTS5 reads to add an event, not to merge or search.
      damageIndexRecords(path, 'DELETE FROM events_trigram_data WHERE id = 1');
    });
    const messages: Array<FromWorker['type']> = [];
    memory.onMessage((message) => messages.push(message.type));
    memory.ingest({ events: [chatEvent('a/1001', 'after the damage')], updates: [], stats: [] });
    expect(await memory.request('flush', {})).toEqual({ waiting: 0 });
    const page = await memory.request('events', { terms: ['damage'] });
    expect(page.events.map((event) => event.text)).toEqual([
      'after the damage',
      'before the damage',
    ]);
    expect(messages).toContain('indexesRebuilt');
    expect(messages).not.toContain('movedAside');
    expect(readdirSync(dirname(file)).filter((name) => name.includes('.corrupt-'))).toEqual([]);
  });

  it('leaves a history from a newer ModDeck as it is, says why, and still ends when closed', async () => {
    const { memory, file, warnings } = await openMemory({}, (path) => {
      const newer = new Database(path);
      newer.pragma('user_version = 999');
      newer.close();
    });
    await nextMessage(memory, (message) => message.type === 'unavailable');
    expect(warnings.at(-1)).toMatchObject([
      { kind: 'memoryPaused', file, reason: expect.stringMatching(/newer ModDeck/) as unknown },
    ]);
    await expect(memory.request('size', {})).rejects.toThrow(/newer ModDeck/);
    memory.ingest({ events: [chatEvent('a/r', 'not kept')], updates: [], stats: [] });
    expect(memory.waiting).toBe(0);
    const ended = nextMessage(memory, (message) => message.type === 'closed');
    await memory.close();
    await ended;
    const kept = new Database(file);
    expect(kept.pragma('user_version', { simple: true })).toBe(999);
    kept.close();
  });

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

  it('posts the actions of one turn together, before anything posted after them', async () => {
    const posted: string[] = [];
    const { memory } = await openMemory({
      startWorker: (data) => {
        const worker = startTestWorker(data);
        const post = worker.postMessage.bind(worker);
        worker.postMessage = (message: ToWorker) => {
          posted.push(
            message.type === 'actions' ? `actions ${message.actions.length}` : message.type,
          );
          post(message);
        };
        return worker;
      },
    });
    const hide = (messageId: string) =>
      memory.action({ account: 'a', room: 'a/r', messageId, action: 'hide', result: 'ok' });
    hide('m1');
    hide('m2');
    memory.ingest({ events: [chatEvent('a/r', 'after two hides')], updates: [], stats: [] });
    hide('m3');
    const page = await memory.request('auditPage', {});
    expect(page.actions.map((action) => action.messageId)).toEqual(['m1', 'm2', 'm3']);
    expect(posted).toEqual(['actions 2', 'batch', 'actions 1', 'request']);
    // With nothing posted after it, an action leaves on the event loop's next turn.
    hide('m4');
    hide('m5');
    await new Promise((resolve) => setImmediate(resolve));
    expect(posted.at(-1)).toBe('actions 2');
  });

  it('commits batches that wait together, in order, and reports them once', async () => {
    const { memory } = await openMemory();
    // Posted in one go: they reach the worker together, as when it fell behind.
    const reports: number[] = [];
    memory.onMessage((message) => {
      if (message.type === 'written') reports.push(message.items);
    });
    const texts = Array.from({ length: 12 }, (_, index) => `batch ${index}`);
    for (const text of texts) {
      memory.ingest({ events: [chatEvent('a/r', text)], updates: [], stats: [] });
    }
    await memory.request('flush', {});
    expect(reports.reduce((sum, items) => sum + items, 0)).toBe(12);
    expect(reports.length).toBeLessThan(12);
    const page = await memory.request('events', { roomKeys: ['a/r'] });
    expect(page.events.map((event) => event.text).reverse()).toEqual(texts);
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
    // SQLite keeps the limit at the pages the file has when asked for fewer: no page to grow by.
    const { usedBytes } = await memory.request('size', {});
    await memory.request('limitPages', { pages: Math.floor(usedBytes / 4096) });
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

  it('keeps the newest messages that fit when the size limit is lowered, not far fewer', async () => {
    const { memory } = await openMemory({ retention: { maxAgeMs: 365 * DAY, maxBytes: 1e12 } });
    // 20,000 ordinary chat messages from 500 users in 7 rooms, 500 a batch.
    let sent = 0;
    for (let batch = 0; batch < 40; batch += 1) {
      const events = Array.from({ length: 500 }, () => {
        sent += 1;
        const text = `message ${sent} 안녕하세요 hello world ${'lorem ipsum '.repeat(3)}`;
        return chatEvent(`a/r${sent % 7}`, text, { userId: `u${(sent * 7919) % 500}` });
      });
      memory.ingest({ events, updates: [], stats: [] });
    }
    await memory.request('flush', {});
    const before = await memory.request('size', {});
    // Settings → Message history: the moderator lowers the limit to three quarters of what is used.
    const maxBytes = Math.floor(before.usedBytes * 0.75);
    memory.setRetention({ maxAgeMs: 365 * DAY, maxBytes });
    const after = await memory.request('prune', {});
    expect(after.usedBytes).toBeLessThanOrEqual(maxBytes);
    // About three quarters would fit; deleting until the size measured under the limit before
    // tidying left 8,000.
    expect(after.events).toBeGreaterThan(before.events * 0.6);
    const newest = await memory.request('events', { limit: 1 });
    expect(newest.events[0]?.text).toMatch(/^message 20000 /);
  });
});

/**
 * A 1 MiB tmpfs for a real full disk, or why there is none: mounting needs root. The fault-injecting
 * test above (SQLite's page limit, which fails writes with the same SQLITE_FULL) runs everywhere,
 * so this one skips without one even in CI.
 */
function tinyDisk(): { dir: string; problem: null } | { dir: null; problem: string } {
  const dir = mkdtempSync(join(tmpdir(), 'moddeck-tmpfs-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m,mode=700', 'tmpfs', dir], {
      stdio: 'ignore',
    });
    return { dir, problem: null };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    return { dir: null, problem: `no tmpfs can be mounted here (${String(error)})` };
  }
}

describe('the memory worker on a real full disk', () => {
  const disk = tinyDisk();
  afterAll(() => {
    if (disk.dir === null) return;
    execFileSync('umount', [disk.dir]);
    rmSync(disk.dir, { recursive: true, force: true });
  });
  if (disk.problem !== null) process.stderr.write(`[skip] full tmpfs: ${disk.problem}\n`);

  it.skipIf(disk.dir === null)(
    'pauses when the disk fills up and writes what waited once space is freed',
    async () => {
      const dir = disk.dir ?? '';
      const { memory, warnings } = await openMemory({
        file: join(dir, 'memory.sqlite'),
        retryFirstMs: 20,
        retryMaxMs: 40,
      });
      memory.ingest({ events: [chatEvent('a/r', 'before')], updates: [], stats: [] });
      await memory.request('flush', {});
      const filler = join(dir, 'filler');
      const free = statfsSync(dir);
      try {
        writeFileSync(filler, Buffer.alloc(free.bavail * free.bsize));
      } catch {
        // ENOSPC: full either way.
      }
      const paused = nextMessage(memory, (message) => message.type === 'paused');
      const during = Array.from({ length: 50 }, (_, index) =>
        chatEvent('a/r', `${'y'.repeat(2000)} ${index}`),
      );
      memory.ingest({ events: during, updates: [], stats: [] });
      await paused;
      expect(warnings.at(-1)?.map((warning) => warning.kind)).toEqual(['memoryPaused']);
      const resumed = nextMessage(memory, (message) => message.type === 'resumed');
      rmSync(filler);
      await resumed;
      const stored = await memory.request('events', { limit: 500 });
      expect(stored.events).toHaveLength(51);
    },
  );
});
