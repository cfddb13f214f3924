import Database from 'better-sqlite3';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  isIndexDamaged,
  MemoryDatabase,
  openStore,
} from '../../../src/main/services/memory/database';
import { englishReason } from '../../../src/shared/automod';
import { FlagSpan, Held } from '../../../src/shared/chat';
import { parseQuery } from '../../../src/shared/search';
import { chatEvent, damageIndexRecords, damageTablePages, storeBatch } from '../../support/memory';
import { useTempDir } from '../../support/tempDir';

async function freshStore(): Promise<MemoryDatabase> {
  const dir = await useTempDir('moddeck-memory-');
  const store = new MemoryDatabase(join(dir, 'memory.sqlite'));
  return store;
}

function texts(store: MemoryDatabase, terms: string[]): string[] {
  return store.events({ terms }).events.map((event) => event.text);
}

/** What `action` throws. */
function errorOf(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('it did not throw');
}

describe('the memory database', () => {
  it('creates its file for its owner only, in WAL mode with NORMAL syncing', async () => {
    const dir = await useTempDir('moddeck-memory-');
    const file = join(dir, 'memory.sqlite');
    const store = new MemoryDatabase(file);
    store.ingest(storeBatch([chatEvent('a/r', 'hello')]));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(`${file}-wal`).mode & 0o777).toBe(0o600);
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('synchronous', { simple: true })).toBe(1);
    expect(store.db.pragma('auto_vacuum', { simple: true })).toBe(2);
    store.close();
  });

  it('writes a user’s name again after a batch that failed, so from: still finds them', async () => {
    const store = await freshStore();
    store.ingest(storeBatch([chatEvent('a/r', 'first words', { userId: 'u1' })]));
    const pages = store.db.pragma('page_count', { simple: true }) as number;
    // A full disk: the next batch (a new name, and enough text to need pages) fails whole.
    store.limitPages(pages);
    const named = (text: string) =>
      chatEvent('a/r', `${text} ${'x'.repeat(4000)}`, { user: { id: 'u2', name: 'Newcomer' } });
    // Its first message fits the pages there are (so the name is written), the rest do not.
    const failing = storeBatch([
      chatEvent('a/r', 'hi', { user: { id: 'u2', name: 'Newcomer' } }),
      ...Array.from({ length: 20 }, (_, index) => named(`try ${index}`)),
    ]);
    expect(() => store.ingest(failing)).toThrow(/full/);
    store.limitPages(1_000_000);
    store.ingest(storeBatch([named('again')]));
    const parsed = parseQuery('from:newcomer');
    if (!parsed.ok) throw new Error(parsed.error);
    const found = store.search(parsed.query);
    expect(found.results.map((event) => event.text.slice(0, 5))).toEqual(['again']);
    store.close();
  });

  it('commits batches, actions and reasons in order in one transaction, or none of them', async () => {
    const store = await freshStore();
    const hide = (messageId: string, at: number) => ({
      at,
      accountId: 'a',
      roomKey: 'a/r',
      messageId,
      action: 'hide',
      result: 'ok',
    });
    store.commit([{ action: hide('m-earlier', 1) }]);
    const [earlier] = store.auditPage(0).actions;
    const pages = store.db.pragma('page_count', { simple: true }) as number;
    const writes = [
      { batch: storeBatch([chatEvent('a/r', 'before the action')]) },
      { action: hide('m-copy', 2) },
      { reason: { id: earlier!.id, text: 'raid' } },
      // Enough text to need pages a full disk does not have.
      { batch: storeBatch([chatEvent('a/r', `after it ${'x'.repeat(40_000)}`)]) },
    ];
    store.limitPages(pages);
    expect(() => store.commit(writes)).toThrow(/full/);
    expect(store.auditPage(0).actions.map((action) => [action.messageId, action.reason])).toEqual([
      ['m-earlier', undefined],
    ]);
    expect(store.events({}).events).toEqual([]);
    store.limitPages(1_000_000);
    store.commit(writes);
    expect(store.auditPage(0).actions.map((action) => [action.messageId, action.reason])).toEqual([
      ['m-earlier', 'raid'],
      ['m-copy', undefined],
    ]);
    expect(store.events({}).events.map((event) => event.text.slice(0, 8))).toEqual([
      'after it',
      'before t',
    ]);
    store.close();
  });

  it('finds a two-syllable Korean word inside a word with its particle', async () => {
    const store = await freshStore();
    store.ingest(
      storeBatch([
        chatEvent('a/r', '너 진짜 바보야'),
        chatEvent('a/r', '바다가 보여'),
        chatEvent('a/r', '안녕하세요'),
      ]),
    );
    expect(texts(store, ['바보'])).toEqual(['너 진짜 바보야']);
    expect(texts(store, ['바보야'])).toEqual(['너 진짜 바보야']);
    expect(texts(store, ['보'])).toEqual(['바다가 보여', '너 진짜 바보야']);
    store.close();
  });

  it('finds a two-letter English word and a longer one, letter case ignored', async () => {
    const store = await freshStore();
    store.ingest(
      storeBatch([
        chatEvent('a/r', 'OK then'),
        chatEvent('a/r', 'nothing to see'),
        chatEvent('a/r', 'Spam spam SPAM'),
      ]),
    );
    expect(texts(store, ['ok'])).toEqual(['OK then']);
    expect(texts(store, ['th'])).toEqual(['nothing to see', 'OK then']);
    expect(texts(store, ['spam'])).toEqual(['Spam spam SPAM']);
    expect(texts(store, ['to', 'see'])).toEqual(['nothing to see']);
    expect(texts(store, ['k.'])).toEqual([]);
    expect(texts(store, ['50%'])).toEqual([]);
    store.close();
  });

  it('pages newest first by a cursor, by room, user and time', async () => {
    const store = await freshStore();
    const base = Date.now() - 10_000;
    store.ingest(
      storeBatch(
        Array.from({ length: 7 }, (_, index) =>
          chatEvent(index % 2 === 0 ? 'a/one' : 'a/two', `message ${index}`, {
            userId: index < 4 ? 'early' : 'late',
            receivedAt: base + index * 1000,
          }),
        ),
      ),
    );
    const first = store.events({ limit: 3 });
    expect(first.events.map((event) => event.text)).toEqual([
      'message 6',
      'message 5',
      'message 4',
    ]);
    const second = store.events({ limit: 3, before: first.next ?? undefined });
    expect(second.events.map((event) => event.text)).toEqual([
      'message 3',
      'message 2',
      'message 1',
    ]);
    const last = store.events({ limit: 3, before: second.next ?? undefined });
    expect(last.events.map((event) => event.text)).toEqual(['message 0']);
    expect(last.next).toBeNull();
    expect(store.events({ roomKeys: ['a/two'] }).events.map((event) => event.text)).toEqual([
      'message 5',
      'message 3',
      'message 1',
    ]);
    expect(
      store.events({ user: { accountId: 'a', userId: 'late' }, from: base + 5000 }).events.length,
    ).toBe(2);
    expect(store.events({ to: base + 2000 }).events.map((event) => event.text)).toEqual([
      'message 1',
      'message 0',
    ]);
    store.close();
  });

  it('keeps flags, a repeat once, and every state change with its time', async () => {
    const store = await freshStore();
    const event = chatEvent('a/r', 'bad word', {
      flags: [{ ruleId: 'r1', start: 0, end: 3 }],
      receivers: ['x'],
    });
    store.ingest(storeBatch([event]));
    store.ingest(storeBatch([{ ...event }]));
    store.ingest({
      at: 1000,
      events: [],
      rooms: [],
      updates: [{ roomKey: 'a/r', id: event.id, state: 'hidden' }],
    });
    store.ingest({
      at: 2000,
      events: [],
      rooms: [],
      updates: [{ roomKey: 'a/r', id: event.id, state: 'deleted' }],
    });
    const [stored, ...rest] = store.events({ flagged: true }).events;
    expect(rest).toEqual([]);
    expect(stored).toMatchObject({
      text: 'bad word',
      state: 'deleted',
      flags: [{ ruleId: 'r1', start: 0, end: 3 }],
      receivers: ['x'],
      stateChanges: [
        ['hidden', 1000],
        ['deleted', 2000],
      ],
    });
    expect(store.events({ states: ['visible'] }).events).toEqual([]);
    store.close();
  });

  it('takes flags a rule gave an event later, without a state change, and finds it by rule:', async () => {
    const store = await freshStore();
    const event = chatEvent('a/r', 'free followers at the shop');
    store.ingest(storeBatch([event, chatEvent('a/r', 'just chat')]));
    const raid = { ruleId: 'automod-raid', reason: 'copy-paste raid', severity: 'high' } as const;
    store.ingest({
      at: 1000,
      events: [],
      rooms: [],
      updates: [{ roomKey: 'a/r', id: event.id, state: 'visible', flags: [raid] }],
    });
    const [stored, ...rest] = store.events({ flagged: true }).events;
    expect(rest).toEqual([]);
    expect(stored).toMatchObject({ id: event.id, flags: [raid], state: 'visible' });
    expect(stored?.stateChanges ?? []).toEqual([]);
    const parsed = parseQuery('rule:automod-raid');
    if (!parsed.ok) throw new Error(parsed.error);
    expect(store.search(parsed.query).results.map((found) => found.text)).toEqual([
      'free followers at the shop',
    ]);
    store.close();
  });

  it('keeps the values of a flag’s and a hold’s reason, and reads flags stored without them', async () => {
    const store = await freshStore();
    const why = { kind: 'repeats', exact: true, times: 4, spanMs: 20_000 } as const;
    const flag = {
      ruleId: 'automod-repeats',
      reason: englishReason(why),
      why,
      severity: 'medium',
    } as const;
    const raid = {
      kind: 'raid',
      name: 'buy followers now',
      people: 6,
      peopleCapped: false,
      spanMs: 4000,
    } as const;
    const held = {
      ruleId: 'shield',
      reason: englishReason({ kind: 'shieldRaid', raid }),
      why: { kind: 'shieldRaid', raid },
      at: 500,
    } as const;
    const old = { ruleId: 'automod-flood', reason: '5 messages in 3 s', severity: 'low' } as const;
    const judged = chatEvent('a/r', 'follow me', { flags: [flag], held });
    const earlier = chatEvent('a/r', 'buy followers now!!');
    store.ingest(storeBatch([judged, earlier, chatEvent('a/r', 'spam', { flags: [old] })]));
    store.ingest({
      at: 1000,
      events: [],
      rooms: [],
      updates: [{ roomKey: 'a/r', id: earlier.id, state: 'visible', flags: [flag], held }],
    });
    const stored = store.events({ flagged: true }).events;
    expect(stored.map((event) => [event.text, event.flags, event.held])).toEqual([
      ['spam', [old], undefined],
      ['buy followers now!!', [flag], held],
      ['follow me', [flag], held],
    ]);
    // What the store gives back is what the window takes.
    for (const event of stored) {
      expect(FlagSpan.array().safeParse(event.flags).success).toBe(true);
      expect(Held.optional().safeParse(event.held).success).toBe(true);
    }
    store.close();
  });

  it('sums up a user: times, rooms, counts, mutes, exiles and notes', async () => {
    const store = await freshStore();
    const first = chatEvent('a/one', 'hi', { userId: 'u9', receivedAt: 1000 });
    const flagged = chatEvent('a/two', 'bad', {
      userId: 'u9',
      receivedAt: 2000,
      flags: [{ ruleId: 'r', start: 0, end: 3 }],
    });
    store.ingest(storeBatch([first, flagged, chatEvent('a/one', 'other', { userId: 'u2' })]));
    store.ingest({
      at: 3000,
      events: [],
      rooms: [],
      updates: [{ roomKey: 'a/two', id: flagged.id, state: 'hidden' }],
    });
    store.action({ at: 1, accountId: 'a', userId: 'u9', action: 'users.mute', result: 'ok' });
    store.action({ at: 2, accountId: 'a', userId: 'u9', action: 'users.mute', result: 'AUTH' });
    store.action({ at: 3, accountId: 'a', userId: 'u9', action: 'users.exile', result: 'ok' });
    const note = store.addNote({ accountId: 'a', userId: 'u9' }, 'warned once', 5);
    expect(store.editNote(note.id, 'warned twice', 6)).toBe(true);
    const summary = store.userSummary({ accountId: 'a', userId: 'u9' });
    expect(summary).toMatchObject({
      firstSeen: 1000,
      lastSeen: 2000,
      name: 'name-u9',
      messages: 2,
      flagged: 1,
      hidden: 1,
      deleted: 0,
      mutes: 1,
      exiles: 1,
      notes: [{ text: 'warned twice', createdAt: 5, editedAt: 6 }],
    });
    expect(summary.rooms.map((room) => [room.roomKey, room.name, room.messages])).toEqual([
      ['a/two', 'Room a/two', 1],
      ['a/one', 'Room a/one', 1],
    ]);
    expect(store.deleteNote(note.id)).toBe(true);
    expect(store.notes({ accountId: 'a', userId: 'u9' })).toEqual([]);
    store.close();
  });

  it('counts and lists what a user wrote, not their joins, leaves or the pushes that name them', async () => {
    const store = await freshStore();
    const said = chatEvent('v/r', 'hello', { userId: 'u9', receivedAt: 2000 });
    const later = chatEvent('v/r', 'again', { userId: 'u9', receivedAt: 4000 });
    store.ingest(
      storeBatch([
        chatEvent('v/r', '', { userId: 'u9', kind: 'join', receivedAt: 1000 }),
        said,
        // VChatCloud's push for a mute names the muted user, with no text.
        chatEvent('v/r', '', {
          userId: 'u9',
          kind: 'system',
          customType: 'mute',
          receivedAt: 3000,
        }),
        chatEvent('v/r', ' \n ', { userId: 'u9', receivedAt: 3500 }),
        later,
        chatEvent('v/r', '', { userId: 'u9', kind: 'leave', receivedAt: 5000 }),
      ]),
    );
    const summary = store.userSummary({ accountId: 'v', userId: 'u9' });
    // Seen from the join to the leave; two messages.
    expect(summary).toMatchObject({ firstSeen: 1000, lastSeen: 5000, messages: 2 });
    expect(summary.rooms).toMatchObject([{ roomKey: 'v/r', messages: 2, lastSeen: 5000 }]);

    const page = store.userMessages({ accountId: 'v', userId: 'u9' }, undefined, 1);
    expect(page.results.map((event) => [event.text, event.roomName])).toEqual([
      ['again', 'Room v/r'],
    ]);
    const rest = store.userMessages({ accountId: 'v', userId: 'u9' }, page.next ?? 0, 1);
    expect(rest.results.map((event) => event.id)).toEqual([said.id]);
    expect(rest.next).toBeNull();
    expect(store.userMessages({ accountId: 'w', userId: 'u9' }, undefined, 10).results).toEqual([]);
    store.close();
  });

  it('moves a file that is not a database aside and starts a new one', async () => {
    const dir = await useTempDir('moddeck-memory-');
    const file = join(dir, 'memory.sqlite');
    writeFileSync(
      file,
      'this is not a database, but it is long enough to have a header'.repeat(100),
    );
    const opened = openStore(file, Date.UTC(2026, 0, 2, 3, 4, 5));
    expect(opened.movedAside?.copy).toBe(`${file}.corrupt-2026-01-02T03-04-05-000Z`);
    expect(readFileSync(opened.movedAside?.copy ?? '', 'utf8')).toMatch(/^this is not a database/);
    opened.store.ingest(storeBatch([chatEvent('a/r', 'after')]));
    expect(texts(opened.store, ['after'])).toEqual(['after']);
    opened.store.close();
    const check = new Database(file);
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    check.close();
    expect(readdirSync(dir).filter((name) => name.includes('corrupt'))).toHaveLength(1);
  });

  it('writes its damaged full-text indexes again from the events, as it writes them', async () => {
    const dir = await useTempDir('moddeck-memory-');
    const file = join(dir, 'memory.sqlite');
    const earlier = new MemoryDatabase(file);
    earlier.ingest(
      storeBatch([
        chatEvent('a/r', '', { kind: 'join' }),
        ...Array.from({ length: 500 }, (_, i) => chatEvent('a/r', `word ${i} 바보야`)),
      ]),
    );
    earlier.close();
    damageIndexRecords(
      file,
      `UPDATE events_trigram_data SET block = x'00' WHERE id > 10;
       UPDATE events_pairs_data SET block = x'00' WHERE id > 10`,
    );
    const store = new MemoryDatabase(file);
    const met = errorOf(() => texts(store, ['word']));
    expect(met).toMatchObject({ code: 'SQLITE_CORRUPT_VTAB', message: /fts5: corruption/ });
    expect(isIndexDamaged(met)).toBe(true);
    expect(store.rebuildIndexes()).toBe(true);
    expect(texts(store, ['word 499'])).toEqual(['word 499 바보야']);
    const found = (term: string): number =>
      store.events({ terms: [term], limit: 500 }).events.length;
    expect(found('바보')).toBe(500);
    // The join has no text: the store never indexes one, so a prune never deletes one from them.
    const indexed = store.db.prepare('SELECT count(*) FROM events_trigram_docsize').pluck().get();
    expect(indexed).toBe(500);
    // Deleting from them as from the indexes the store wrote leaves them sound.
    expect(store.pruneOldest(101)).toBe(101);
    for (const index of ['events_trigram', 'events_pairs']) {
      store.db.prepare(`INSERT INTO ${index} (${index}) VALUES ('integrity-check')`).run();
    }
    expect([found('바보'), found('word')]).toEqual([400, 400]);
    store.close();
  });

  it('does not keep a file whose damage a rebuild of its indexes does not mend', async () => {
    const dir = await useTempDir('moddeck-memory-');
    const user = { accountId: 'a', userId: 'u1' };
    // What reads each table's pages.
    const reads: Record<string, (store: MemoryDatabase) => unknown> = {
      events_trigram_data: (store) => texts(store, ['hello']),
      notes: (store) => store.notes(user),
    };
    for (const [table, read] of Object.entries(reads)) {
      const file = join(dir, `${table}.sqlite`);
      const earlier = new MemoryDatabase(file);
      earlier.ingest(storeBatch([chatEvent('a/r', 'hello')]));
      earlier.addNote(user, 'warned twice', 1000);
      earlier.close();
      // The pages under an index cannot be emptied; the notes' are no index's.
      damageTablePages(file, table);
      const store = new MemoryDatabase(file);
      const met = errorOf(() => read(store));
      expect(met).toMatchObject({ code: 'SQLITE_CORRUPT' });
      expect(isIndexDamaged(met)).toBe(false);
      expect(store.rebuildIndexes()).toBe(false);
      store.close();
    }
  });

  it('opens read-only a file at its own schema, writes nothing to it, and refuses another', async () => {
    const dir = await useTempDir('moddeck-memory-');
    const file = join(dir, 'memory.sqlite');
    const store = new MemoryDatabase(file);
    store.action({ at: 1, accountId: 'a', action: 'hide', result: 'ok' });
    const reader = new MemoryDatabase(file, undefined, undefined, { readOnly: true });
    expect(reader.auditPage(0).actions).toMatchObject([{ at: 1, action: 'hide' }]);
    expect(() => reader.action({ at: 2, accountId: 'a', action: 'hide', result: 'ok' })).toThrow(
      /readonly/,
    );
    reader.close();
    store.db.pragma('user_version = 99');
    store.close();
    expect(() => new MemoryDatabase(file, undefined, undefined, { readOnly: true })).toThrow(
      /schema is 99/,
    );
    const missing = join(dir, 'missing.sqlite');
    expect(() => new MemoryDatabase(missing, undefined, undefined, { readOnly: true })).toThrow();
    expect(existsSync(missing)).toBe(false);
  });
});
