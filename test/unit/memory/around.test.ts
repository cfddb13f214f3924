import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryDatabase } from '../../../src/main/services/memory/database';
import type { ChatEvent } from '../../../src/shared/chat';
import { chatEvent, storeBatch } from '../../support/memory';
import { useTempDir } from '../../support/tempDir';

/** 30 messages in the lobby with 10 in another room woven between them, then one hidden. */
async function woven(): Promise<{ store: MemoryDatabase; lobby: ChatEvent[] }> {
  const dir = await useTempDir('moddeck-around-');
  const store = new MemoryDatabase(join(dir, 'memory.sqlite'));
  const lobby: ChatEvent[] = [];
  const events: ChatEvent[] = [];
  for (let index = 0; index < 30; index += 1) {
    const event = chatEvent('acc/lobby', `lobby ${index}`);
    lobby.push(event);
    events.push(event);
    if (index % 3 === 0) events.push(chatEvent('acc/other', `other ${index}`));
  }
  store.ingest(storeBatch(events, [{ roomKey: 'acc/lobby', id: lobby[14]!.id, state: 'hidden' }]));
  return { store, lobby };
}

function seqOf(store: MemoryDatabase, event: ChatEvent): number {
  const found = store.events({ roomKeys: [event.roomKey], limit: 500 });
  const stored = found.events.find((candidate) => candidate.id === event.id);
  if (!stored) throw new Error(`${event.id} is not stored`);
  return stored.seq;
}

describe('the store’s events around one of them (history.around)', () => {
  it('answers the room’s events just before and after it, oldest first, with the event itself', async () => {
    const { store, lobby } = await woven();
    try {
      const page = store.around({
        roomKey: 'acc/lobby',
        seq: seqOf(store, lobby[15]!),
        before: 3,
        after: 2,
      });
      expect(page.events.map((event) => event.text)).toEqual([
        'lobby 12',
        'lobby 13',
        'lobby 14',
        'lobby 15',
        'lobby 16',
        'lobby 17',
      ]);
      // Only the room asked for, in the order stored, with the state as stored and the room's name.
      expect(page.events.every((event) => event.roomKey === 'acc/lobby')).toBe(true);
      const seqs = page.events.map((event) => event.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      expect(page.events.find((event) => event.text === 'lobby 14')?.state).toBe('hidden');
      expect(page.events[2]?.stateChanges.map(([state]) => state)).toEqual(['hidden']);
      expect(page.roomName).toBe('Room acc/lobby');
      expect(page.events[0]?.roomName).toBe('Room acc/lobby');
    } finally {
      store.close();
    }
  });

  it('stops at the room’s first and last events and at 100 either side', async () => {
    const { store, lobby } = await woven();
    try {
      const first = store.around({
        roomKey: 'acc/lobby',
        seq: seqOf(store, lobby[1]!),
        before: 5,
        after: 0,
      });
      expect(first.events.map((event) => event.text)).toEqual(['lobby 0', 'lobby 1']);
      const last = store.around({
        roomKey: 'acc/lobby',
        seq: seqOf(store, lobby[28]!),
        before: 0,
        after: 5,
      });
      expect(last.events.map((event) => event.text)).toEqual(['lobby 28', 'lobby 29']);
      const all = store.around({
        roomKey: 'acc/lobby',
        seq: seqOf(store, lobby[15]!),
        before: 1000,
        after: 1000,
      });
      expect(all.events).toHaveLength(30);
      // Defaults: 20 before and 20 after (here fewer exist after).
      const defaults = store.around({ roomKey: 'acc/lobby', seq: seqOf(store, lobby[25]!) });
      expect(defaults.events.map((event) => event.text)[0]).toBe('lobby 5');
      expect(defaults.events).toHaveLength(25);
    } finally {
      store.close();
    }
  });

  it('reads only the room asked for, and nothing for a room it does not hold', async () => {
    const { store } = await woven();
    try {
      const other = store.events({ roomKeys: ['acc/other'], limit: 500 }).events.at(-1)!;
      const page = store.around({ roomKey: 'acc/other', seq: other.seq, before: 0, after: 3 });
      expect(page.events.map((event) => event.text)).toEqual([
        'other 0',
        'other 3',
        'other 6',
        'other 9',
      ]);
      const nowhere = store.around({ roomKey: 'acc/none', seq: other.seq });
      expect(nowhere).toEqual({ events: [], roomName: null });
    } finally {
      store.close();
    }
  });
});
