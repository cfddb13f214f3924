import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryDatabase } from '../../../src/main/services/memory/database';
import type { DetectorBacktestQuery } from '../../../src/main/services/memory/detectorBacktest';
import { AutomodRule } from '../../../src/shared/automod';
import type { ChatEvent } from '../../../src/shared/chat';
import { chatEvent, storeBatch } from '../../support/memory';
import { useTempDir } from '../../support/tempDir';

const HOUR = 60 * 60 * 1000;
const NOW = Date.UTC(2026, 11, 7, 9, 0, 0);
const SINCE = NOW - 24 * HOUR;

async function freshStore(): Promise<MemoryDatabase> {
  const dir = await useTempDir('moddeck-backtest-');
  return new MemoryDatabase(join(dir, 'memory.sqlite'));
}

function said(roomKey: string, userId: string, text: string, at: number, fields = {}): ChatEvent {
  return chatEvent(roomKey, text, { userId, receivedAt: at, createdAt: at, ...fields });
}

function rule(input: Record<string, unknown>): AutomodRule {
  return AutomodRule.parse(input);
}

/** Runs the replay to its end; how many steps it took comes with the page. */
function run(
  store: MemoryDatabase,
  query: Omit<DetectorBacktestQuery, 'maxHits'> & { maxHits?: number },
) {
  const steps = store.backtestDetector({ maxHits: 300, ...query });
  let yielded = 0;
  for (;;) {
    const step = steps.next();
    if (step.done) return { page: step.value, yielded };
    yielded += 1;
  }
}

describe('a detector rule replayed over the stored chat', () => {
  it('judges the window’s chatters’ messages and DMs in stored order, as the feeds did', async () => {
    const store = await freshStore();
    const spam = 'buy cheap followers now';
    const start = NOW - 10 * 60 * 1000;
    const events = [
      // Two days old: outside the window, and would be flagged (the third) if read.
      ...[0, 1, 2].map((second) => said('a/r', 'spammer', spam, NOW - 48 * HOUR + second * 1000)),
      said('a/r', 'spammer', '', start, { kind: 'join' }),
      // The moderator's own repeats are not judged.
      ...[0, 1, 2].map((second) =>
        said('a/r', 'mod', 'please be nice', start + second * 1000, { fromModerator: true }),
      ),
      said('a/r', 'fan', 'gg', start + 3000),
      said('a/r', 'spammer', spam, start + 4000),
      chatEvent('a/r', 'the room is open', { user: null, receivedAt: start + 4500 }),
      said('a/r', 'spammer', spam, start + 5000, { kind: 'notice' }),
      said('a/r', 'spammer', spam, start + 6000),
      said('a/r', 'fan', 'hello there', start + 7000, { kind: 'dm' }),
      said('a/r', 'spammer', spam, start + 8000),
    ];
    store.ingest(storeBatch(events));
    const third = events.at(-1)!;
    const { page } = run(store, {
      rule: rule({ id: 'automod-repeats', kind: 'repeats' }),
      since: SINCE,
      maxMessages: 200_000,
    });
    expect(page.scanned).toBe(5);
    // The third copy's verdict names the two before it, as the feed flags them.
    expect(page.flagged).toBe(3);
    expect(page.from).toBe(start + 3000);
    expect(page.to).toBe(start + 8000);
    const seq = store.events({ roomKeys: ['a/r'], limit: 1 }).events[0]?.seq;
    expect(page.hits.map((hit) => hit.at)).toEqual([start + 4000, start + 6000, start + 8000]);
    expect(new Set(page.hits.map((hit) => hit.reason)).size).toBe(1);
    expect(page.hits.slice(2)).toEqual([
      {
        seq,
        roomKey: 'a/r',
        roomName: 'Room a/r',
        eventId: third.id,
        userId: 'spammer',
        userName: 'name-spammer',
        text: spam,
        reason: expect.stringMatching(/^same message 3 times in \d+ s$/) as unknown,
        why: { kind: 'repeats', exact: true, times: 3, spanMs: 4000 },
        at: start + 8000,
      },
    ]);
    store.close();
  });

  it('tells the detectors which messages were a chatter’s first in the room', async () => {
    const store = await freshStore();
    const start = NOW - HOUR;
    store.ingest(
      storeBatch([
        said('a/r', 'new1', 'hi', start, { first: 'marked' }),
        said('a/r', 'old', 'hi again', start + 500),
        said('a/r', 'new2', 'hello', start + 1000, { first: 'raised' }),
      ]),
    );
    const { page } = run(store, {
      rule: rule({ id: 'bursts', kind: 'newChatters', params: { chatters: 2 } }),
      since: SINCE,
      maxMessages: 1000,
    });
    expect(page.scanned).toBe(3);
    // The second first-timer makes the burst, and names the first.
    expect(page.hits.map((hit) => hit.userId)).toEqual(['new1', 'new2']);
    store.close();
  });

  it('replays only the most recent messages asked for and lists the latest hits, counting them all', async () => {
    const store = await freshStore();
    const start = NOW - HOUR;
    const events: ChatEvent[] = [];
    for (let index = 0; index < 50; index += 1) {
      events.push(said('a/r', 'echo', 'same again', start + index * 1000));
      // Rows that are not judged, between them: the bound counts messages, not rows.
      events.push(said('a/r', `joiner${index}`, '', start + index * 1000 + 1, { kind: 'join' }));
    }
    store.ingest(storeBatch(events));
    const { page, yielded } = run(store, {
      rule: rule({ id: 'echo', kind: 'repeats', params: { count: 2 } }),
      since: SINCE,
      maxMessages: 20,
      maxHits: 5,
      chunkRows: 7,
    });
    expect(page.scanned).toBe(20);
    expect(page.from).toBe(start + 30_000);
    expect(page.to).toBe(start + 49_000);
    // The replay starts with nothing remembered: the first of the twenty is a repeat once the
    // second comes, which names it.
    expect(page.flagged).toBe(20);
    expect(page.hits.map((hit) => hit.at)).toEqual(
      [45, 46, 47, 48, 49].map((second) => start + second * 1000),
    );
    // Counting back 20 messages and replaying them, 7 rows a step.
    expect(yielded).toBeGreaterThanOrEqual(Math.floor(40 / 7));
    store.close();
  });

  it('reads a bounded number of rows a step, and the store takes writes between steps', async () => {
    const store = await freshStore();
    const start = NOW - HOUR;
    const events = Array.from({ length: 100 }, (_, index) =>
      said('a/r', `user${index}`, `message number ${index}`, start + index * 1000),
    );
    store.ingest(storeBatch(events));
    const steps = store.backtestDetector({
      rule: rule({ id: 'long', kind: 'length', params: { maxCharacters: 10 } }),
      since: SINCE,
      maxMessages: 1000,
      maxHits: 300,
      chunkRows: 10,
    });
    let yielded = 0;
    let step = steps.next();
    while (!step.done) {
      yielded += 1;
      // A batch committed between steps: the window was fixed when the replay started.
      store.ingest(storeBatch([said('a/r', 'late', `late ${yielded}`, start + 200_000 + yielded)]));
      step = steps.next();
    }
    expect(yielded).toBe(9);
    expect(step.value.scanned).toBe(100);
    expect(step.value.flagged).toBe(100);
    expect(store.events({ terms: ['late'], limit: 500 }).events).toHaveLength(9);
    store.close();
  });

  it('answers an empty page for a store with nothing in the window', async () => {
    const store = await freshStore();
    const { page } = run(store, {
      rule: rule({ id: 'automod-repeats', kind: 'repeats' }),
      since: SINCE,
      maxMessages: 10,
    });
    expect(page).toEqual({ scanned: 0, flagged: 0, hits: [], from: null, to: null });
    store.ingest(storeBatch([said('a/r', 'u1', 'old news', NOW - 48 * HOUR)]));
    expect(
      run(store, { rule: rule({ id: 'r', kind: 'repeats' }), since: SINCE, maxMessages: 10 }).page
        .scanned,
    ).toBe(0);
    store.close();
  });
});
