import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryDatabase } from '../../../src/main/services/memory/database';
import { searchConditions, searchDriver } from '../../../src/main/services/memory/searchSql';
import type { SearchOptions } from '../../../src/main/services/memory/types';
import type { ChatEvent } from '../../../src/shared/chat';
import { matchesQuery, parseQuery, type Query } from '../../../src/shared/search';
import { searchableEvent } from '../../../src/shared/search/chatEvent';
import { chatEvent, storeBatch } from '../../support/memory';
import { useTempDir } from '../../support/tempDir';

const DAY = 24 * 60 * 60 * 1000;
/** 2026-12-01T00:00:00Z: the fixture's first message. */
const START = Date.UTC(2026, 11, 1);
const NOW = START + 10 * DAY;

function query(text: string): Query {
  const parsed = parseQuery(text, NOW);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.query;
}

function flag(ruleId: string): ChatEvent['flags'] {
  return [{ ruleId, start: 0, end: 1 }];
}

/** Messages a day apart, oldest first, in two rooms named Lobby and 게임방. */
function fixture(): ChatEvent[] {
  const at = (day: number): Partial<ChatEvent> => ({
    createdAt: START + day * DAY,
    receivedAt: NOW,
  });
  const user = (id: string, name: string): Partial<ChatEvent> => ({ user: { id, name } });
  return [
    chatEvent('acc/lobby', 'hello everyone', { ...at(0), ...user('u1', 'Alice') }),
    chatEvent('acc/lobby', 'gg wp', { ...at(1), ...user('u2', 'Bob') }),
    chatEvent('acc/game', '너 진짜 바보야', { ...at(2), ...user('u3', '민수') }),
    chatEvent('acc/game', 'see https://spam.example/x', {
      ...at(3),
      ...user('u1', 'Alice'),
      flags: flag('r-link'),
    }),
    chatEvent('acc/lobby', 'eggs for breakfast', { ...at(4), ...user('u1', 'Alice') }),
    chatEvent('acc/lobby', 'a private word', { ...at(5), ...user('u2', 'Bob'), kind: 'dm' }),
    chatEvent('acc/game', 'bad W0RD here', {
      ...at(6),
      ...user('u2', 'Bob'),
      flags: flag('r-bad'),
    }),
    chatEvent('acc/lobby', 'HELLO   again', { ...at(7), ...user('u3', '민수') }),
    chatEvent('acc/lobby', 'system notice', { ...at(8), user: null, kind: 'system' }),
  ];
}

async function fixtureStore(): Promise<MemoryDatabase> {
  const dir = await useTempDir('moddeck-search-');
  const store = new MemoryDatabase(join(dir, 'memory.sqlite'));
  const events = fixture();
  const batch = storeBatch(events, [
    { roomKey: 'acc/game', id: events[2]?.id ?? '', state: 'hidden' },
    { roomKey: 'acc/lobby', id: events[4]?.id ?? '', state: 'deleted' },
  ]);
  batch.rooms = [
    { roomKey: 'acc/lobby', accountId: 'acc', provider: 'flipflop', name: 'Lobby' },
    { roomKey: 'acc/game', accountId: 'acc', provider: 'flipflop', name: '게임방' },
  ];
  store.ingest(batch);
  return store;
}

/** A store in a fresh folder holding the events, in one batch. */
async function storeWith(events: ChatEvent[]): Promise<MemoryDatabase> {
  const dir = await useTempDir('moddeck-search-');
  const store = new MemoryDatabase(join(dir, 'memory.sqlite'));
  store.ingest(storeBatch(events));
  return store;
}

function texts(store: MemoryDatabase, text: string, options: SearchOptions = {}): string[] {
  return store.search(query(text), options).results.map((event) => event.text);
}

describe('search over the store', () => {
  it('answers each operator newest first', async () => {
    const store = await fixtureStore();
    const expectations: Array<[string, string[]]> = [
      ['hello', ['HELLO   again', 'hello everyone']],
      ['"hello again"', ['HELLO   again']],
      ['from:alice', ['eggs for breakfast', 'see https://spam.example/x', 'hello everyone']],
      ['from:u3', ['HELLO   again', '너 진짜 바보야']],
      [
        'from:민수,bob',
        ['HELLO   again', 'bad W0RD here', 'a private word', '너 진짜 바보야', 'gg wp'],
      ],
      ['in:게임방', ['bad W0RD here', 'see https://spam.example/x', '너 진짜 바보야']],
      ['in:game', ['bad W0RD here', 'see https://spam.example/x', '너 진짜 바보야']],
      ['in:acc/lobby from:bob', ['a private word', 'gg wp']],
      ['is:flagged', ['bad W0RD here', 'see https://spam.example/x']],
      ['is:hidden', ['너 진짜 바보야']],
      ['is:deleted', ['eggs for breakfast']],
      ['is:dm', ['a private word']],
      ['is:first in:lobby', ['HELLO   again', 'gg wp', 'hello everyone']],
      ['is:first in:game', ['bad W0RD here', 'see https://spam.example/x', '너 진짜 바보야']],
      ['has:link', ['see https://spam.example/x']],
      ['rule:r-bad', ['bad W0RD here']],
      ['rule:r-bad,r-link', ['bad W0RD here', 'see https://spam.example/x']],
      ['after:2026-12-07', ['system notice', 'HELLO   again', 'bad W0RD here']],
      ['before:2026-12-02', ['hello everyone']],
      ['regex:/w[o0]rd/', ['bad W0RD here', 'a private word']],
    ];
    for (const [text, expected] of expectations) {
      expect(texts(store, text), text).toEqual(expected);
    }
    store.close();
  });

  it('finds a two-syllable Korean word and a two-letter English word inside longer words', async () => {
    const store = await fixtureStore();
    expect(texts(store, '바보')).toEqual(['너 진짜 바보야']);
    expect(texts(store, 'gg')).toEqual(['eggs for breakfast', 'gg wp']);
    expect(texts(store, 'gg wp')).toEqual(['gg wp']);
    store.close();
  });

  it('finds a word whose letters have case outside ASCII, in any case', async () => {
    const store = await storeWith([
      chatEvent('acc/r', 'ÉCOLE fermée'),
      chatEvent('acc/r', 'Straße ОТКРЫТА'),
      chatEvent('acc/r', 'ecole'),
    ]);
    expect(texts(store, 'école')).toEqual(['ÉCOLE fermée']);
    expect(texts(store, 'открыта')).toEqual(['Straße ОТКРЫТА']);
    store.close();
  });

  it('finds a word with a capital dotted İ by that word, which lowers to i and a combining dot', async () => {
    const store = await storeWith([chatEvent('acc/r', 'İstanbul tonight?')]);
    expect(texts(store, 'İstanbul')).toEqual(['İstanbul tonight?']);
    expect(texts(store, 'i\u0307stanbul')).toEqual(['İstanbul tonight?']);
    store.close();
  });

  it('finds the first message of a user in a room, not the join before it', async () => {
    const store = await storeWith([
      chatEvent('acc/r', 'joined', { userId: 'new', kind: 'join' }),
      chatEvent('acc/r', 'hi all', { userId: 'new' }),
      chatEvent('acc/r', 'hi again', { userId: 'new' }),
      chatEvent('acc/s', 'hi other room', { userId: 'new' }),
    ]);
    expect(texts(store, 'is:first')).toEqual(['hi other room', 'hi all']);
    expect(texts(store, '-is:first in:r')).toEqual(['hi again', 'joined']);
    store.close();
  });

  it('leaves out what a negated clause matches, including messages without a user', async () => {
    const store = await fixtureStore();
    expect(texts(store, 'hello -again')).toEqual(['hello everyone']);
    expect(texts(store, 'in:lobby -from:alice -from:bob')).toEqual([
      'system notice',
      'HELLO   again',
    ]);
    expect(texts(store, '-is:flagged in:game')).toEqual(['너 진짜 바보야']);
    expect(texts(store, '-rule:r-bad is:flagged')).toEqual(['see https://spam.example/x']);
    expect(texts(store, '-has:link from:alice')).toEqual(['eggs for breakfast', 'hello everyone']);
    expect(texts(store, '-regex:e after:2026-12-07')).toEqual([]);
    store.close();
  });

  it('agrees with the shared predicate on every message for every kind of query', async () => {
    const store = await fixtureStore();
    const all = store.events({ limit: 500 }).events;
    const queries = [
      'gg',
      '-gg',
      'e',
      '-e',
      'word -bad',
      'from:bob -is:dm',
      '-in:lobby',
      'is:first,held',
      '-is:first',
      'is:first from:bob',
      'from:민수,u1',
      '-from:alice',
      'in:게임방 is:first',
      'in:acc/lobby,game -is:dm',
      '-after:2026-12-05',
      '-before:2026-12-05 -from:alice',
      'has:link,link -rule:nothing',
      'regex:^h -hello',
      '"wp" gg',
      '"o   a"',
    ];
    for (const text of queries) {
      const parsed = query(text);
      const expected = all
        .filter((event) =>
          matchesQuery(parsed, {
            roomKey: event.roomKey,
            roomName: event.roomKey === 'acc/game' ? '게임방' : 'Lobby',
            userId: event.user?.id ?? null,
            userName: event.user?.name ?? null,
            text: event.text,
            kind: event.kind,
            state: event.state,
            ruleIds: event.flags.map((span) => span.ruleId),
            first:
              event.kind === 'message' &&
              event.user !== null &&
              !all.some(
                (other) =>
                  other.kind === 'message' &&
                  other.seq < event.seq &&
                  other.roomKey === event.roomKey &&
                  other.user?.id === event.user?.id,
              ),
            at: event.createdAt,
          }),
        )
        .map((event) => event.seq);
      const found = store.search(parsed).results.map((event) => event.seq);
      expect(found, text).toEqual(expected);
    }
    store.close();
  });

  it('narrows from:, in: and is:first through their indexes, not a scan of every event', async () => {
    const store = await fixtureStore();
    const plan = (text: string): string => {
      const conditions = searchConditions(query(text));
      const sql = `EXPLAIN QUERY PLAN SELECT e.seq FROM events e
        WHERE ${conditions.map(([condition]) => condition).join(' AND ')}
        ORDER BY e.seq DESC LIMIT 500`;
      const rows = store.db
        .prepare<unknown[], { detail: string }>(sql)
        .all(...conditions.flatMap(([, values]) => values));
      return rows.map((row) => row.detail).join('\n');
    };
    expect(plan('from:alice')).toMatch(
      /SEARCH e USING INDEX events_by_user \(account_id=\? AND user_id=\?/,
    );
    expect(plan('from:alice')).toMatch(/user_names/);
    expect(plan('in:lobby')).toMatch(/events_by_room/);
    expect(plan('is:first')).toMatch(/chatters/);
    expect(plan('is:first')).not.toMatch(/^SCAN e\b/m);
    expect(plan('from:alice')).not.toMatch(/^SCAN e\b/m);
    // What drives a page reads in order from an index: no sort of everything it holds.
    const driverPlan = (text: string): string => {
      const driver = searchDriver(query(text));
      if (!driver) throw new Error(`nothing drives ${text}`);
      return store.db
        .prepare<unknown[], { detail: string }>(`EXPLAIN QUERY PLAN ${driver.sql}`)
        .all(...driver.values, Number.MAX_SAFE_INTEGER, 500)
        .map((row) => row.detail)
        .join('\n');
    };
    expect(driverPlan('is:first')).toMatch(/USING (COVERING )?INDEX chatters_by_first/);
    expect(driverPlan('hello gg')).toMatch(/VIRTUAL TABLE INDEX/);
    for (const text of ['is:first', 'hello gg', 'gg']) {
      expect(driverPlan(text), text).not.toMatch(/TEMP B-TREE/);
    }
    expect(searchDriver(query('from:alice'))).toBeNull();
    expect(searchDriver(query('-is:first'))).toBeNull();
    store.close();
  });

  it('keeps a user the first-time chatter of a room once, whatever batch their messages came in', async () => {
    const dir = await useTempDir('moddeck-search-');
    const store = new MemoryDatabase(join(dir, 'memory.sqlite'));
    store.ingest(storeBatch([chatEvent('acc/r', 'joined', { userId: 'new', kind: 'join' })]));
    store.ingest(storeBatch([chatEvent('acc/r', 'hi', { userId: 'new' })]));
    store.ingest(storeBatch([chatEvent('acc/r', 'hi again', { userId: 'new' })]));
    store.ingest(storeBatch([chatEvent('acc/r', 'a dm', { userId: 'other', kind: 'dm' })]));
    expect(store.roomChatters('acc/r')).toEqual(['new']);
    expect(texts(store, 'is:first')).toEqual(['hi']);
    store.clear();
    expect(store.roomChatters('acc/r')).toEqual([]);
    store.close();
  });

  it('pages with the cursor without duplicates or gaps, within the rooms asked for', async () => {
    const store = await fixtureStore();
    const everything = texts(store, '', { roomKeys: ['acc/lobby'] });
    expect(everything).toHaveLength(6);
    const seen: string[] = [];
    let cursor: number | undefined;
    for (let page = 0; page < 10; page += 1) {
      const result = store.search(query(''), {
        roomKeys: ['acc/lobby'],
        limit: 4,
        ...(cursor === undefined ? {} : { cursor }),
      });
      seen.push(...result.results.map((event) => event.text));
      expect(result.stoppedEarly).toBe(false);
      if (result.nextCursor === null) break;
      cursor = result.nextCursor;
    }
    expect(seen).toEqual(everything);
    // A page that takes exactly what is left says that nothing follows.
    const last = store.search(query('in:lobby'), { limit: 6 });
    expect(last.results).toHaveLength(6);
    expect(last.nextCursor).toBeNull();
    const full = store.search(query('in:lobby'), { limit: 5 });
    expect(full.nextCursor).toBe(full.results.at(-1)?.seq);
    store.close();
  });

  it('stops a regex scan early when its budget runs out and goes on from the cursor', async () => {
    const texts100 = Array.from({ length: 100 }, (_, index) =>
      index % 10 === 0 ? `needle ${index}` : `hay ${index} `.padEnd(50, '.'),
    );
    const store = await storeWith(texts100.map((text) => chatEvent('acc/r', text)));
    const regex = query('regex:need[l]e');
    const found: string[] = [];
    let cursor: number | undefined;
    let stops = 0;
    for (let page = 0; page < 100; page += 1) {
      const result = store.search(regex, {
        maxUnits: 1000,
        ...(cursor === undefined ? {} : { cursor }),
      });
      found.push(...result.results.map((event) => event.text));
      if (result.stoppedEarly) stops += 1;
      if (result.nextCursor === null) break;
      expect(result.stoppedEarly).toBe(true);
      cursor = result.nextCursor;
    }
    expect(stops).toBeGreaterThan(1);
    expect(found).toEqual(texts100.filter((text) => text.startsWith('needle')).reverse());
    store.close();
  });

  it('reads a common word’s events from its index a chunk at a time, newest first, across rooms and pages', async () => {
    // 1,300 events with "follow" (more than two of the index's chunks of 500), a third of them in
    // the room asked for, between events without it; "gg" is in every fifth of them.
    const events = Array.from({ length: 2600 }, (_, index) => {
      const room = index % 3 === 0 ? 'acc/asked' : 'acc/other';
      const text =
        index % 2 === 0 ? `please follow ${index}${index % 10 === 0 ? ' gg' : ''}` : `hay ${index}`;
      return chatEvent(room, text, { userId: `u${index % 7}` });
    });
    const store = await storeWith(events);
    for (const text of ['follow', 'follow gg', '"please follow" -gg', 'follow from:u3']) {
      const parsed = query(text);
      const expected = events
        .filter((event) => event.roomKey === 'acc/asked')
        .filter((event) => matchesQuery(parsed, searchableEvent(event)))
        .map((event) => event.text)
        .reverse();
      const found: string[] = [];
      let cursor: number | undefined;
      for (let page = 0; page < 100; page += 1) {
        const result = store.search(parsed, {
          roomKeys: ['acc/asked'],
          limit: 37,
          ...(cursor === undefined ? {} : { cursor }),
        });
        found.push(...result.results.map((event) => event.text));
        if (result.nextCursor === null) break;
        cursor = result.nextCursor;
      }
      expect(found.length, text).toBeGreaterThan(10);
      expect(found, text).toEqual(expected);
    }
    store.close();
  });

  it('stops a page at its time bound with a cursor that goes on without a gap', async () => {
    const events = Array.from({ length: 1450 }, (_, index) =>
      chatEvent('acc/r', index % 100 === 0 ? `needle ${index}` : `hay ${index}`),
    );
    const store = await storeWith(events);
    const regex = query('regex:need[l]e');
    const found: string[] = [];
    let cursor: number | undefined;
    let stops = 0;
    for (let page = 0; page < 100; page += 1) {
      // No time at all: each page reads its first chunk of 500 and stops there; the third, of
      // 450, is the last.
      const result = store.search(regex, {
        maxMs: 0,
        ...(cursor === undefined ? {} : { cursor }),
      });
      found.push(...result.results.map((event) => event.text));
      if (result.stoppedEarly) stops += 1;
      if (result.nextCursor === null) break;
      cursor = result.nextCursor;
    }
    expect(stops).toBe(2);
    expect(found).toEqual(
      events
        .map((event) => event.text)
        .filter((text) => text.startsWith('needle'))
        .reverse(),
    );
    store.close();
  });

  it('reads only the candidates the indexes and columns narrow to, so the budget goes to them', async () => {
    const events = Array.from({ length: 200 }, (_, index) =>
      index % 20 === 0
        ? chatEvent('acc/r', `needle gg ${index}`, { userId: 'finder' })
        : chatEvent('acc/r', `hay ${index} `.padEnd(50, '.'), { userId: 'other' }),
    );
    const store = await storeWith(events);
    // Ten needles of about 12 units fit; one hay message of 50 would not.
    for (const text of ['needle', 'gg', 'from:finder', 'is:first needle']) {
      const page = store.search(query(text), { maxUnits: 130 });
      expect(page.stoppedEarly, text).toBe(false);
      expect(page.results.length, text).toBe(text.startsWith('is:first') ? 1 : 10);
    }
    expect(store.search(query('regex:needle'), { maxUnits: 130 }).stoppedEarly).toBe(true);
    store.close();
  });

  it('returns stored events with their room name and state', async () => {
    const store = await fixtureStore();
    const page = store.search(query('바보'));
    expect(page).toMatchObject({
      results: [
        {
          roomKey: 'acc/game',
          roomName: '게임방',
          state: 'hidden',
          user: { id: 'u3', name: '민수' },
        },
      ],
      nextCursor: null,
      stoppedEarly: false,
    });
    store.close();
  });
});
