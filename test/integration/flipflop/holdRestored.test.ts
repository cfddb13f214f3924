/**
 * The hold queue: a hold brought back from the message history (after a restart) waits in the
 * Held column and goes stale like any other.
 */
import { describe, expect, it } from 'vitest';
import { isHeld } from '../../../src/shared/chat';
import { systemClock, type Clock } from '../../../src/main/clock';
import type { Core } from '../../../src/main/core';
import { buildTestCore, call, recordFeeds, valueOf, type FeedRecord } from '../../support/core';
import { startTestWorker } from '../../support/memory';
import { addSandboxAccount, control, useSandbox } from '../../support/sandbox';
import { useTempDir } from '../../support/tempDir';
import { until } from '../../support/until';

async function openLive(core: Core, accountId: string): Promise<FeedRecord> {
  const feeds = recordFeeds(core);
  valueOf(await call(core, 'rooms.open', { accountId, roomId: '1001' }));
  await until(core.events, () => feeds.statuses.some((s) => s.state === 'live'), 'the room live');
  return feeds;
}

describe('a hold restored from the history', () => {
  it('is denied by the stale-hold setting like any other hold', async () => {
    const sandbox = await useSandbox({ rooms: 1, ratePerRoom: 0 });
    const api = control(sandbox);
    const dir = await useTempDir();
    const memory = { startWorker: startTestWorker };
    let offset = 0;
    const clock: Clock = { ...systemClock, now: () => Date.now() + offset };
    const first = await buildTestCore(dir, { memory, clock });
    const accountId = await addSandboxAccount(first.core, sandbox);
    valueOf(
      await call(first.core, 'settings.set', {
        rules: { global: [{ id: 'shop', pattern: 'followerz', action: 'hold' }], rooms: {} },
        hold: { staleAfterMinutes: 1, staleAction: 'deny' },
      }),
    );
    const roomKey = `${accountId}/1001`;
    const feeds = await openLive(first.core, accountId);
    const { messageId } = await api.say('1001', { userId: 'chatter1', message: 'cheap followerz' });
    await until(
      first.core.events,
      () => feeds.batches.some((b) => b.updates.some((u) => u.state === 'hidden')),
      'the hold hidden',
    );
    await first.core.dispose();

    const second = await buildTestCore(dir, { memory, clock, secrets: first.secrets });
    try {
      let historyCame = false;
      second.core.events.subscribe((event) => {
        if (event === 'feed.history') historyCame = true;
      });
      await openLive(second.core, accountId);
      await until(second.core.events, () => historyCame, 'the room history');
      const restored = valueOf(await call(second.core, 'feed.snapshot', { roomKey })).events.find(
        (event) => event.messageId === messageId,
      )!;
      // In the Held column again, waiting.
      expect(isHeld(restored)).toBe(true);

      // Two minutes on: the hold is older than the stale time.
      offset += 2 * 60_000;
      await second.core.holds.reviewStale();
      const atService = (await api.message('1001', messageId)).state;
      const kept = valueOf(await call(second.core, 'feed.snapshot', { roomKey })).events.find(
        (event) => event.messageId === messageId,
      )!;
      expect(atService).toBe('deleted');
      expect(isHeld(kept)).toBe(false);
    } finally {
      await second.core.dispose();
    }
  });
});
