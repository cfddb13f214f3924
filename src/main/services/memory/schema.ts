/**
 * The store's schema as numbered migrations. `PRAGMA user_version` says how many have run; opening
 * a store runs the rest, each in its own transaction, so a store from any earlier version reaches
 * the latest with its rows kept. A migration is never edited once released: a change is a new one.
 */
import type { Database } from 'better-sqlite3';
import { foldText } from '../../../shared/search/query';
import { shortTermTokens } from './shortTerms';

export interface Migration {
  version: number;
  /** What it adds, for the log. */
  what: string;
  up(db: Database): void;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    what: 'rooms and chat events',
    up: (db) =>
      db.exec(`
        CREATE TABLE rooms (
          room_key   TEXT PRIMARY KEY,
          account_id TEXT NOT NULL,
          provider   TEXT NOT NULL,
          name       TEXT NOT NULL
        ) WITHOUT ROWID;
        -- seq orders events as the store received them: the cursor of every page.
        CREATE TABLE events (
          seq           INTEGER PRIMARY KEY,
          room_key      TEXT NOT NULL,
          event_id      TEXT NOT NULL,
          account_id    TEXT NOT NULL,
          message_id    TEXT,
          user_id       TEXT,
          user_name     TEXT,
          kind          TEXT NOT NULL,
          text          TEXT NOT NULL,
          created_at    INTEGER NOT NULL,
          received_at   INTEGER NOT NULL,
          -- The word filter's spans with their rule ids, as JSON; NULL when clean.
          flags         TEXT,
          state         TEXT NOT NULL CHECK (state IN ('visible', 'hidden', 'deleted', 'held')),
          state_at      INTEGER,
          -- Every change as JSON [[state, epoch ms], ...], oldest first; NULL before the first.
          state_changes TEXT,
          -- The rest of the event (receivers, custom type, data, gap...) as JSON; NULL when none.
          extra         TEXT
        );
        CREATE UNIQUE INDEX events_by_room_event ON events (room_key, event_id);
        CREATE INDEX events_by_room ON events (room_key, seq);
        CREATE INDEX events_by_user ON events (account_id, user_id, seq);
        CREATE INDEX events_by_received ON events (received_at);
      `),
  },
  {
    version: 2,
    what: 'moderation actions and notes on users',
    up: (db) =>
      db.exec(`
        CREATE TABLE actions (
          id          INTEGER PRIMARY KEY,
          at          INTEGER NOT NULL,
          account_id  TEXT NOT NULL,
          room_key    TEXT,
          message_id  TEXT,
          user_id     TEXT,
          user_name   TEXT,
          action      TEXT NOT NULL,
          reason      TEXT,
          result      TEXT NOT NULL,
          text        TEXT,
          detail      TEXT
        );
        CREATE INDEX actions_by_user ON actions (account_id, user_id, at);
        CREATE INDEX actions_by_time ON actions (at);
        CREATE TABLE notes (
          id          INTEGER PRIMARY KEY,
          account_id  TEXT NOT NULL,
          user_id     TEXT NOT NULL,
          text        TEXT NOT NULL,
          created_at  INTEGER NOT NULL,
          edited_at   INTEGER
        );
        CREATE INDEX notes_by_user ON notes (account_id, user_id);
      `),
  },
  {
    version: 3,
    what: 'full-text indexes (trigram for three characters and more, pairs for one or two)',
    up: (db) => {
      // Both are kept by the store's own statements, not by triggers: a prune or a clear then
      // deletes from them in the same steps as from `events`, and a clear can empty `events` in one
      // statement (SQLite's truncate path, which triggers would turn into a row-by-row delete).
      db.exec(`
        CREATE VIRTUAL TABLE events_trigram USING fts5(
          text, content='events', content_rowid='seq', tokenize='trigram case_sensitive 0',
          detail='none'
        );
        CREATE VIRTUAL TABLE events_pairs USING fts5(
          pairs, content='', contentless_delete=1, tokenize='ascii', detail='none', prefix='1'
        );
      `);
      // In chunks: better-sqlite3 cannot write while it iterates a query on the same connection.
      const rows = db.prepare<[number], { seq: number; text: string }>(
        "SELECT seq, text FROM events WHERE seq > ? AND text <> '' ORDER BY seq LIMIT 1000",
      );
      const trigram = db.prepare('INSERT INTO events_trigram (rowid, text) VALUES (?, ?)');
      const pairs = db.prepare('INSERT INTO events_pairs (rowid, pairs) VALUES (?, ?)');
      for (let chunk = rows.all(0); chunk.length > 0; chunk = rows.all(chunk.at(-1)?.seq ?? 0)) {
        for (const row of chunk) {
          trigram.run(row.seq, row.text);
          pairs.run(row.seq, shortTermTokens(row.text));
        }
      }
    },
  },
  {
    version: 4,
    what: 'full-text merging in small steps, after each write',
    // FTS5's automerge runs inside the commit that fills a level, and its work grows with the
    // index: 200,000 messages gave commits of 0.4 s while writing and up to 5 s while pruning.
    // With it off, the store asks for 16 pages of merging after each write (`MERGE_PAGES`), which
    // kept writes under 60 ms and pruning steps under 0.25 s on the same data. `crisismerge` is
    // the backstop: a level with 64 segments is merged at once.
    up: (db) => {
      for (const table of ['events_trigram', 'events_pairs']) {
        db.prepare(`INSERT INTO ${table} (${table}, rank) VALUES ('automerge', 0)`).run();
        db.prepare(`INSERT INTO ${table} (${table}, rank) VALUES ('crisismerge', 64)`).run();
      }
    },
  },
  {
    version: 5,
    what: 'first-time chatters, folded names for from: and in:, and whether an event was handled',
    up: (db) => {
      // One row per user and room: their first and their latest chat message the store saw
      // (`FIRST_KINDS` in shared/chat.ts as it was then: messages only). `is:first` is
      // `seq = first_seq`; a prune forgets the row once the message at `last_seq` is gone.
      db.exec(`
        CREATE TABLE chatters (
          room_key   TEXT NOT NULL,
          user_id    TEXT NOT NULL,
          account_id TEXT NOT NULL,
          first_seq  INTEGER NOT NULL,
          first_at   INTEGER NOT NULL,
          last_seq   INTEGER NOT NULL,
          PRIMARY KEY (room_key, user_id)
        ) WITHOUT ROWID;
        INSERT INTO chatters (room_key, user_id, account_id, first_seq, first_at, last_seq)
          SELECT room_key, user_id, account_id, min(seq), 0, max(seq) FROM events
          WHERE kind = 'message' AND user_id IS NOT NULL
          GROUP BY room_key, user_id;
        UPDATE chatters SET first_at = (SELECT received_at FROM events WHERE seq = first_seq);
        -- Every name each user was seen with, folded: from: finds the users here, then their
        -- events through events_by_user. Small (users × names), so events carry no folded copy.
        CREATE TABLE user_names (
          account_id TEXT NOT NULL,
          user_id    TEXT NOT NULL,
          name_fold  TEXT NOT NULL,
          id_fold    TEXT NOT NULL,
          PRIMARY KEY (account_id, user_id, name_fold)
        ) WITHOUT ROWID;
        CREATE INDEX user_names_by_name ON user_names (name_fold);
        CREATE INDEX user_names_by_id ON user_names (id_fold);
        ALTER TABLE events ADD COLUMN handled INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE rooms ADD COLUMN name_fold TEXT;
        ALTER TABLE rooms ADD COLUMN key_fold TEXT;
        ALTER TABLE rooms ADD COLUMN id_fold TEXT;
      `);
      // The store did not keep whether a flagged message or DM was handled, and history brought
      // every one back handled: so they stay, rather than a month of old flags raised at once.
      db.exec(`
        UPDATE events SET handled = 1
        WHERE flags IS NOT NULL
          OR (extra IS NOT NULL AND (json_extract(extra, '$.handled') = 1
            OR json_extract(extra, '$.toModerator') = 1))
      `);
      // Folded in JavaScript (the shared foldText).
      const users = db
        .prepare<[], { account_id: string; user_id: string; user_name: string | null }>(
          `SELECT DISTINCT account_id, user_id, user_name FROM events WHERE user_id IS NOT NULL`,
        )
        .all();
      const addName = db.prepare(
        'INSERT OR IGNORE INTO user_names (account_id, user_id, name_fold, id_fold) VALUES (?, ?, ?, ?)',
      );
      for (const user of users) {
        addName.run(user.account_id, user.user_id, ...userFolds(user.user_id, user.user_name));
      }
      const rooms = db
        .prepare<[], { room_key: string; name: string }>('SELECT room_key, name FROM rooms')
        .all();
      const foldRoom = db.prepare(
        'UPDATE rooms SET name_fold = ?, key_fold = ?, id_fold = ? WHERE room_key = ?',
      );
      for (const room of rooms) foldRoom.run(...roomFolds(room.room_key, room.name), room.room_key);
      // Rooms the store has events of but no name for get a row too, so in: can go through rooms.
      const unnamed = db
        .prepare<[], { room_key: string; account_id: string }>(
          `SELECT DISTINCT room_key, account_id FROM events
           WHERE room_key NOT IN (SELECT room_key FROM rooms)`,
        )
        .all();
      const addRoom = db.prepare(
        `INSERT INTO rooms (room_key, account_id, provider, name, name_fold, key_fold, id_fold)
         VALUES (?, ?, '', '', ?, ?, ?)`,
      );
      for (const room of unnamed)
        addRoom.run(room.room_key, room.account_id, ...roomFolds(room.room_key, ''));
    },
  },
  {
    version: 6,
    what: 'first-time chatters in the order of their first message, for is:first',
    // `is:first` reads the newest first messages from here a chunk at a time, as a word's events
    // are read from its index; `seq IN (every first_seq)` built the whole set for every page.
    up: (db) => db.exec('CREATE INDEX chatters_by_first ON chatters (first_seq)'),
  },
  {
    version: 7,
    what: "an automatic action's reason as values, for the window's language",
    // JSON of `ReasonData`: the window words it in the moderator's language, where `reason` is the
    // English the audit log keeps.
    up: (db) => db.exec('ALTER TABLE actions ADD COLUMN why TEXT'),
  },
];

/** A user's folded name (empty for none) and id, as `from:` compares them. */
export function userFolds(userId: string, name: string | null): [string, string] {
  return [name === null ? '' : foldText(name), foldText(userId)];
}

/** A room's folded name, key and id (the part after the account), as `in:` compares them. */
export function roomFolds(roomKey: string, name: string): [string, string, string] {
  return [foldText(name), foldText(roomKey), foldText(roomKey.slice(roomKey.indexOf('/') + 1))];
}

export const LATEST_VERSION = MIGRATIONS.length;

/** Runs the migrations the store has not had, up to `target` (the latest unless a test says). */
export function migrate(db: Database, target = LATEST_VERSION): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > LATEST_VERSION) {
    throw new Error(
      `the store was written by a newer ModDeck (schema ${current}, this one knows ${LATEST_VERSION})`,
    );
  }
  for (const migration of MIGRATIONS) {
    if (migration.version <= current || migration.version > target) continue;
    db.transaction(() => {
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
  return db.pragma('user_version', { simple: true }) as number;
}
