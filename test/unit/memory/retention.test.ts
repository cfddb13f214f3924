import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryDatabase } from '../../../src/main/services/memory/database';
import { chatEvent, storeBatch } from '../../support/memory';
import { useTempDir } from '../../support/tempDir';

const DAY = 24 * 60 * 60 * 1000;

async function freshStore(): Promise<MemoryDatabase> {
  const dir = await useTempDir('moddeck-memory-');
  return new MemoryDatabase(join(dir, 'memory.sqlite'));
}

/** Prunes to the end, the steps the worker takes between its messages one after the other. */
function pruneAll(store: MemoryDatabase, retention: { maxAgeMs: number; maxBytes: number }): void {
  for (const _step of store.prune(Date.now(), retention, {
    rows: 100,
    tidyPages: 256,
    tidySteps: 500,
  }));
}

/** FTS5's own check of both indexes against what they index. */
function checkIndexes(store: MemoryDatabase): void {
  store.db
    .prepare("INSERT INTO events_trigram (events_trigram, rank) VALUES ('integrity-check', 1)")
    .run();
  store.db.prepare("INSERT INTO events_pairs (events_pairs) VALUES ('integrity-check')").run();
}

describe('the memory store’s retention', () => {
  it('forgets a chatter of a room once their latest message there is pruned, and only then', async () => {
    const store = await freshStore();
    const old = Date.now() - 40 * DAY;
    store.ingest(
      storeBatch([
        chatEvent('a/r', 'gone', { userId: 'left', receivedAt: old }),
        chatEvent('a/s', 'still here elsewhere', { userId: 'left' }),
        chatEvent('a/r', 'long ago', { userId: 'stays', receivedAt: old + 1 }),
        chatEvent('a/r', 'and today', { userId: 'stays' }),
        chatEvent('a/r', 'joined long ago', { userId: 'joiner', kind: 'join', receivedAt: old }),
        chatEvent('a/r', 'only today', { userId: 'joiner' }),
      ]),
    );
    expect(store.roomChatters('a/r').sort()).toEqual(['joiner', 'left', 'stays']);
    pruneAll(store, { maxAgeMs: 30 * DAY, maxBytes: 1e12 });
    expect(store.roomChatters('a/r').sort()).toEqual(['joiner', 'stays']);
    expect(store.roomChatters('a/s')).toEqual(['left']);
    // The first message of `stays` is gone: none of theirs is is:first any more.
    const firsts = store.db
      .prepare<[], { user_id: string }>(
        `SELECT user_id FROM events e WHERE e.room_key = 'a/r'
           AND e.seq IN (SELECT first_seq FROM chatters) ORDER BY user_id`,
      )
      .all();
    expect(firsts.map((row) => row.user_id)).toEqual(['joiner']);
    store.close();
  });

  it('lets go of events and actions older than the age it keeps, and of their index entries', async () => {
    const store = await freshStore();
    const old = Date.now() - 40 * DAY;
    store.ingest(
      storeBatch([
        ...Array.from({ length: 250 }, (_, index) =>
          chatEvent('a/r', `오래된 바보 old ${index}`, { receivedAt: old + index }),
        ),
        chatEvent('a/r', '새 바보 new'),
      ]),
    );
    store.action({ at: old, accountId: 'a', action: 'hide', result: 'ok' });
    store.action({ at: Date.now(), accountId: 'a', action: 'hide', result: 'ok' });
    pruneAll(store, { maxAgeMs: 30 * DAY, maxBytes: 1e12 });
    expect(store.events({ terms: ['바보'] }).events.map((event) => event.text)).toEqual([
      '새 바보 new',
    ]);
    expect(store.events({ terms: ['old'] }).events).toEqual([]);
    expect(store.size()).toMatchObject({ events: 1, actions: 1 });
    checkIndexes(store);
    store.close();
  });

  it('lets go of the oldest events while the store is larger than it may be', async () => {
    const store = await freshStore();
    for (let batch = 0; batch < 20; batch += 1) {
      store.ingest(
        storeBatch(
          Array.from({ length: 100 }, (_, index) =>
            chatEvent('a/r', `batch ${batch} message ${index} ${'text '.repeat(20)}`),
          ),
        ),
      );
    }
    const before = store.size();
    const maxBytes = Math.floor(before.usedBytes / 2);
    pruneAll(store, { maxAgeMs: 365 * DAY, maxBytes });
    const after = store.size();
    expect(after.usedBytes).toBeLessThanOrEqual(maxBytes);
    expect(after.events).toBeGreaterThan(0);
    expect(after.events).toBeLessThan(before.events);
    // The newest are the ones kept.
    expect(store.events({ limit: 1 }).events[0]?.text).toMatch(/^batch 19 message 99 /);
    expect(store.events({ terms: ['batch 0 '] }).events).toEqual([]);
    checkIndexes(store);
    store.close();
  });

  it('gives pruned pages back to the file system', async () => {
    const store = await freshStore();
    const old = Date.now() - 40 * DAY;
    store.ingest(
      storeBatch(
        Array.from({ length: 2000 }, (_, index) =>
          chatEvent('a/r', `old message ${index} ${'padding '.repeat(30)}`, { receivedAt: old }),
        ),
      ),
    );
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    const before = store.size().bytes;
    pruneAll(store, { maxAgeMs: 30 * DAY, maxBytes: 1e12 });
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    expect(store.size().bytes).toBeLessThan(before / 4);
    store.close();
  });

  it('clears its history but keeps the moderator’s notes', async () => {
    const store = await freshStore();
    store.ingest(storeBatch([chatEvent('a/r', 'hello there', { userId: 'u1' })]));
    store.action({ at: 1, accountId: 'a', userId: 'u1', action: 'users.mute', result: 'ok' });
    store.addNote({ accountId: 'a', userId: 'u1' }, 'keep this', 1);
    store.clear();
    expect(store.size()).toMatchObject({ events: 0, actions: 0 });
    expect(store.events({ terms: ['hello'] }).events).toEqual([]);
    expect(store.events({ terms: ['he'] }).events).toEqual([]);
    expect(store.userSummary({ accountId: 'a', userId: 'u1' })).toMatchObject({
      messages: 0,
      mutes: 0,
      notes: [{ text: 'keep this' }],
    });
    checkIndexes(store);
    // It goes on storing afterwards, and still knows the room by the name it was told once.
    store.ingest({ ...storeBatch([chatEvent('a/r', 'hello again', { userId: 'u1' })]), rooms: [] });
    expect(store.events({ terms: ['hello'] }).events).toHaveLength(1);
    expect(store.userSummary({ accountId: 'a', userId: 'u1' }).rooms).toMatchObject([
      { roomKey: 'a/r', name: 'Room a/r' },
    ]);
    store.close();
  });
});
