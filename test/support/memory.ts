/** Chat events and batches for the memory store's tests, and ways to damage a store's file. */
import Database from 'better-sqlite3';
import { closeSync, openSync, writeSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { ChatEvent } from '../../src/shared/chat';
import type { StartMemoryWorker } from '../../src/main/services/memory/memory';
import type { StoreBatch } from '../../src/main/services/memory/types';

let counter = 0;

/** A chat message in `room` (an `account/room` key) by `user`, with its text. */
export function chatEvent(
  roomKey: string,
  text: string,
  fields: Partial<ChatEvent> & { userId?: string } = {},
): ChatEvent {
  counter += 1;
  const { userId = 'u1', ...rest } = fields;
  const now = rest.receivedAt ?? Date.now();
  return {
    roomKey,
    id: `m${counter}`,
    messageId: `m${counter}`,
    kind: 'message',
    user: { id: userId, name: `name-${userId}` },
    text,
    createdAt: now,
    receivedAt: now,
    state: 'visible',
    flags: [],
    ...rest,
  };
}

/** A batch of events, with the rooms they name described. */
export function storeBatch(events: ChatEvent[], updates: StoreBatch['updates'] = []): StoreBatch {
  const rooms = [...new Set(events.map((event) => event.roomKey))].map((roomKey) => ({
    roomKey,
    accountId: roomKey.split('/')[0] ?? '',
    provider: 'flipflop',
    name: `Room ${roomKey}`,
  }));
  return { at: Date.now(), events, updates, rooms };
}

/**
 * Starts the memory worker from its TypeScript source through tsx's loader, as the build's bundle
 * would run it (the app's own way in, electron-vite's `?nodeWorker` import, exists only in the
 * build). tsx is registered inside the worker: a loader named in `execArgv` does not reach it.
 */
export const startTestWorker: StartMemoryWorker = (data) => {
  const source = new URL('../../src/main/services/memory/worker.ts', import.meta.url).href;
  const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(source)}); })`;
  return new Worker(bootstrap, { eval: true, workerData: data });
};

/**
 * Runs `sql` on a closed store's file with FTS5's own tables writable, to damage a full-text
 * index's records while the file's pages stay sound.
 */
export function damageIndexRecords(file: string, sql: string): void {
  const db = new Database(file);
  // better-sqlite3 opens in defensive mode, where FTS5's shadow tables cannot be written.
  db.unsafeMode(true);
  db.exec(sql);
  db.close();
}

/** Overwrites the root page of `table` (a table or an index) in a closed store's file. */
export function damageTablePages(file: string, table: string): void {
  const db = new Database(file);
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const root = db
    .prepare<[string], number>('SELECT rootpage FROM sqlite_schema WHERE name = ?')
    .pluck()
    .get(table);
  db.close();
  if (root === undefined) throw new Error(`no table ${table}`);
  const fd = openSync(file, 'r+');
  try {
    writeSync(fd, Buffer.alloc(pageSize, 0x5a), 0, pageSize, (root - 1) * pageSize);
  } finally {
    closeSync(fd);
  }
}
