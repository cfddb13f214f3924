import Database, { type Database as Db } from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryDatabase } from '../../../src/main/services/memory/database';
import { LATEST_VERSION, migrate, MIGRATIONS } from '../../../src/main/services/memory/schema';
import { shortTermTokens } from '../../../src/main/services/memory/shortTerms';
import { parseQuery, type Query } from '../../../src/shared/search';
import { chatEvent, storeBatch } from '../../support/memory';
import { useTempDir } from '../../support/tempDir';

/** Rows written the way each version's schema took them, by the version that added the table. */
const FIXTURES: Record<number, (db: Db) => void> = {
  1: (db) => {
    db.prepare("INSERT INTO rooms VALUES ('a/r', 'a', 'flipflop', 'Lobby')").run();
    const event = db.prepare(
      `INSERT INTO events (room_key, event_id, account_id, message_id, user_id, user_name, kind,
         text, created_at, received_at, flags, state)
       VALUES ('a/r', ?, 'a', ?, 'u1', 'Kim', 'message', ?, 1000, ?, ?, ?)`,
    );
    event.run('m1', 'm1', '너 바보야', Date.now() - 1000, null, 'visible');
    event.run(
      'm2',
      'm2',
      'hello there',
      Date.now(),
      '[{"ruleId":"r","start":0,"end":5}]',
      'hidden',
    );
    // In a room the store has no name for: a join, then the user's first message.
    const other = db.prepare(
      `INSERT INTO events (room_key, event_id, account_id, message_id, user_id, user_name, kind,
         text, created_at, received_at, flags, state)
       VALUES ('a/x', ?, 'a', ?, 'u2', 'Ｌｅｅ', ?, ?, 1000, ?, ?, 'visible')`,
    );
    other.run('j2', null, 'join', '', Date.now(), null);
    other.run(
      'm3',
      'm3',
      'message',
      'a scam here',
      Date.now(),
      '[{"ruleId":"s","start":2,"end":6}]',
    );
  },
  2: (db) => {
    db.prepare(
      `INSERT INTO actions (at, account_id, room_key, user_id, action, result)
       VALUES (5, 'a', 'a/r', 'u1', 'users.mute', 'ok')`,
    ).run();
    db.prepare(
      "INSERT INTO notes (account_id, user_id, text, created_at) VALUES ('a', 'u1', 'noted', 6)",
    ).run();
  },
  // From version 3 on, the store indexes each event's text as it writes it.
  3: (db) => {
    const pairs = db.prepare('INSERT INTO events_pairs (rowid, pairs) VALUES (?, ?)');
    for (const row of db
      .prepare<[], { seq: number; text: string }>('SELECT seq, text FROM events')
      .all())
      pairs.run(row.seq, shortTermTokens(row.text));
    db.exec('INSERT INTO events_trigram (rowid, text) SELECT seq, text FROM events');
  },
};

function query(text: string): Query {
  const parsed = parseQuery(text, Date.now());
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.query;
}

function found(store: MemoryDatabase, text: string): string[] {
  return store.search(query(text)).results.map((event) => event.id);
}

describe('the memory schema', () => {
  it('numbers its migrations 1, 2, 3… with nothing missing', () => {
    expect(MIGRATIONS.map((migration) => migration.version)).toEqual(
      Array.from({ length: LATEST_VERSION }, (_, index) => index + 1),
    );
  });

  for (let from = 0; from < LATEST_VERSION; from += 1) {
    it(`brings a store from version ${from} to the latest, keeping its rows`, async () => {
      const dir = await useTempDir('moddeck-memory-');
      const file = join(dir, 'memory.sqlite');
      const old = new Database(file);
      // The fixtures write rows as versions 1–4 took them; a later version's store is one of
      // those brought up to it by its own migrations, which wrote its new tables from the rows.
      const written = Math.min(from, 4);
      expect(migrate(old, written)).toBe(written);
      for (let version = 1; version <= written; version += 1) FIXTURES[version]?.(old);
      expect(migrate(old, from)).toBe(from);
      old.close();

      const store = new MemoryDatabase(file);
      expect(store.db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
      for (const table of ['events_trigram', 'events_pairs']) {
        const automerge = store.db
          .prepare<[], { v: number }>(`SELECT v FROM ${table}_config WHERE k = 'automerge'`)
          .get();
        expect(automerge?.v, table).toBe(0);
      }
      const summary = store.userSummary({ accountId: 'a', userId: 'u1' });
      if (from >= 1) {
        expect(store.events({ terms: ['바보'] }).events.map((event) => event.id)).toEqual(['m1']);
        expect(store.events({ terms: ['hello'] }).events).toMatchObject([
          { id: 'm2', state: 'hidden', flags: [{ ruleId: 'r' }] },
        ]);
        expect(summary).toMatchObject({ messages: 2, flagged: 1, hidden: 1 });
        expect(summary.rooms).toMatchObject([{ roomKey: 'a/r', name: 'Lobby' }]);
        // Version 5: folded names (and their indexes), rooms by name or key, chatters, handled.
        expect(found(store, 'from:kim')).toEqual(['m2', 'm1']);
        expect(found(store, 'from:lee')).toEqual(['m3', 'j2']);
        expect(found(store, 'from:u2 -is:first')).toEqual(['j2']);
        expect(found(store, 'in:lobby')).toEqual(['m2', 'm1']);
        expect(found(store, 'in:x')).toEqual(['m3', 'j2']);
        expect(store.search(query('in:x')).results[0]?.roomName).toBeNull();
        expect(found(store, 'is:first')).toEqual(['m3', 'm1']);
        // Each chatter's first and latest message, with the first's time: u2's join is not one.
        expect(
          store.db
            .prepare(
              `SELECT c.room_key, c.user_id, e.event_id, c.first_at = e.received_at AS same_time,
                 l.event_id AS last_id
               FROM chatters c JOIN events e ON e.seq = c.first_seq JOIN events l ON l.seq = c.last_seq
               ORDER BY c.room_key`,
            )
            .all(),
        ).toEqual([
          { room_key: 'a/r', user_id: 'u1', event_id: 'm1', same_time: 1, last_id: 'm2' },
          { room_key: 'a/x', user_id: 'u2', event_id: 'm3', same_time: 1, last_id: 'm3' },
        ]);
        expect(store.roomChatters('a/r')).toEqual(['u1']);
        // A flagged message from before version 5 stays handled: history brought it back so.
        const handled = store.events({ flagged: true }).events;
        expect(handled.map((event) => [event.id, event.handled])).toEqual([
          ['m3', true],
          ['m2', true],
        ]);
        expect(store.events({ terms: ['바보'] }).events[0]?.handled).toBeUndefined();
      } else {
        expect(summary.messages).toBe(0);
      }
      expect(summary.mutes).toBe(from >= 2 ? 1 : 0);
      expect(summary.notes.map((note) => note.text)).toEqual(from >= 2 ? ['noted'] : []);
      // Written by this version after the migration: found the same ways.
      store.ingest(
        storeBatch([chatEvent('a/r', 'later', { id: 'later', user: { id: 'u9', name: 'Park' } })]),
      );
      expect(found(store, 'from:park is:first in:r').length).toBe(1);
      // Version 7: an automatic action keeps its reason as values; older ones have none.
      const why = { kind: 'repeats', exact: true, times: 4, spanMs: 20_000 } as const;
      store.action({ at: 9, accountId: 'a', userId: 'u1', action: 'hide', result: 'ok', why });
      const user = { accountId: 'a', userId: 'u1' };
      expect(store.actions({ user }).actions.map((action) => [action.action, action.why])).toEqual(
        from >= 2
          ? [
              ['hide', why],
              ['users.mute', undefined],
            ]
          : [['hide', why]],
      );
      store.close();
    });
  }

  it('reads an action whose stored reason values it cannot read as one with words alone', async () => {
    const store = new MemoryDatabase(join(await useTempDir('moddeck-memory-'), 'memory.sqlite'));
    const insert = store.db.prepare(
      `INSERT INTO actions (at, account_id, user_id, action, result, reason, why)
       VALUES (?, 'a', 'u1', 'hide', 'ok', 'a reason', ?)`,
    );
    insert.run(1, '{"kind":"aNewerKind","n":1}');
    insert.run(2, 'not json');
    const read = store.actions({ user: { accountId: 'a', userId: 'u1' } }).actions;
    expect(read.map((action) => [action.at, action.reason, 'why' in action])).toEqual([
      [2, 'a reason', false],
      [1, 'a reason', false],
    ]);
    store.close();
  });

  it('refuses a store from a newer version rather than changing it', async () => {
    const dir = await useTempDir('moddeck-memory-');
    const file = join(dir, 'memory.sqlite');
    const newer = new Database(file);
    newer.pragma(`user_version = ${LATEST_VERSION + 1}`);
    newer.close();
    expect(() => new MemoryDatabase(file)).toThrow(/newer ModDeck/);
  });
});
