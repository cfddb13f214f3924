/** `history.backtestDetector` through the core and the real memory worker on a temp folder. */
import { describe, expect, it } from 'vitest';
import type { FromWorker } from '../../../src/main/services/memory/protocol';
import { AutomodRule } from '../../../src/shared/automod';
import type { ChatEvent } from '../../../src/shared/chat';
import { buildTestCore, call, valueOf } from '../../support/core';
import { chatEvent, startTestWorker } from '../../support/memory';
import { useTempDir } from '../../support/tempDir';

const ROOM = 'acc_1/1001';
const HOUR = 60 * 60 * 1000;

async function coreWithHistory() {
  const { core } = await buildTestCore(await useTempDir(), {
    memory: { startWorker: startTestWorker },
  });
  const memory = core.memory;
  if (memory === null) throw new Error('the core should keep a history');
  return { core, memory };
}

describe('a detector backtest over the stored chat', () => {
  it('replays the last hours through the rule and lists what it flags, with what opens it', async () => {
    const { core, memory } = await coreWithHistory();
    try {
      const now = Date.now();
      const said = (userId: string, text: string, ago: number, fields: Partial<ChatEvent> = {}) =>
        chatEvent(ROOM, text, { userId, receivedAt: now - ago, createdAt: now - ago, ...fields });
      const spam = 'free followers at followerz dot shop';
      const flagged = said('spammer', spam, 1000);
      memory.ingest({
        events: [
          // Three days ago: outside a 24-hour window.
          said('spammer', spam, 72 * HOUR + 3000),
          said('spammer', spam, 72 * HOUR + 2000),
          said('spammer', spam, 72 * HOUR + 1000),
          said('spammer', spam, 3000),
          said('fan', 'gg', 2500),
          said('spammer', spam, 2000),
          flagged,
        ],
        updates: [],
        stats: [],
      });
      await memory.request('flush', {});
      const rule = { id: 'automod-repeats', kind: 'repeats' };

      const day = valueOf(await call(core, 'history.backtestDetector', { rule }));
      // The third copy is flagged and names the two before it, as the feed flags them.
      expect(day).toMatchObject({ scanned: 4, flagged: 3, hours: 24, maxMessages: 200_000 });
      expect(day.hits.map((hit) => hit.at)).toEqual([now - 3000, now - 2000, now - 1000]);
      const hit = day.hits.at(-1);
      expect([hit]).toEqual([
        {
          seq: expect.any(Number) as unknown,
          roomKey: ROOM,
          roomName: null,
          eventId: flagged.id,
          userId: 'spammer',
          userName: 'name-spammer',
          text: spam,
          reason: expect.stringMatching(/^same message 3 times/) as unknown,
          why: { kind: 'repeats', exact: true, times: 3, spanMs: 2000 },
          at: now - 1000,
        },
      ]);
      // The hit's seq opens it in the room's history.
      const around = valueOf(
        await call(core, 'history.around', {
          roomKey: ROOM,
          seq: hit?.seq,
          before: 0,
          after: 0,
        }),
      );
      expect(around.events.map((event) => event.id)).toEqual([flagged.id]);

      // A week reaches the older three, which flag on their own; two messages, the newest two.
      const week = valueOf(await call(core, 'history.backtestDetector', { rule, hours: 168 }));
      expect(week).toMatchObject({ scanned: 7, flagged: 6 });
      const lastTwo = valueOf(
        await call(core, 'history.backtestDetector', { rule, hours: 168, maxMessages: 2 }),
      );
      expect(lastTwo).toMatchObject({ scanned: 2, flagged: 0, from: now - 2000, to: now - 1000 });

      const bad = await call(core, 'history.backtestDetector', { rule: { id: 'x', kind: 'spam' } });
      expect(bad.ok ? null : bad.error.code).toBe('INVALID_INPUT');
    } finally {
      await core.dispose();
    }
  });

  it('says UNSUPPORTED when the core keeps no history', async () => {
    const { core } = await buildTestCore(await useTempDir());
    const result = await call(core, 'history.backtestDetector', {
      rule: { id: 'automod-repeats', kind: 'repeats' },
    });
    expect(result.ok ? null : result.error.code).toBe('UNSUPPORTED');
    await core.dispose();
  });

  it('lets the feeds’ batches be committed while it replays', async () => {
    const { memory, core } = await coreWithHistory();
    try {
      const now = Date.now();
      // 12,000 messages: six steps of 2,000 rows, with a turn of the worker's loop between them.
      for (let batch = 0; batch < 12; batch += 1) {
        const events = Array.from({ length: 1000 }, (_, index) => {
          const ago = HOUR - (batch * 1000 + index) * 100;
          return chatEvent(ROOM, `message ${batch}-${index}`, {
            userId: `user${index % 50}`,
            receivedAt: now - ago,
            createdAt: now - ago,
          });
        });
        memory.ingest({ events, updates: [], stats: [] });
      }
      await memory.request('flush', {});
      const order: Array<FromWorker['type']> = [];
      const stop = memory.onMessage((message) => order.push(message.type));
      const replay = memory.request('backtestDetector', {
        rule: AutomodRule.parse({ id: 'automod-repeats', kind: 'repeats' }),
        since: now - 2 * HOUR,
        maxMessages: 200_000,
        maxHits: 300,
      });
      memory.ingest({ events: [chatEvent(ROOM, 'arrives meanwhile')], updates: [], stats: [] });
      const page = await replay;
      stop();
      expect(page.scanned).toBe(12_000);
      expect(order.indexOf('written')).toBeGreaterThanOrEqual(0);
      expect(order.indexOf('written')).toBeLessThan(order.indexOf('answer'));
    } finally {
      await core.dispose();
    }
  });
});
