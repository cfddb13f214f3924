import { describe, expect, it } from 'vitest';
import type { ChatEvent } from '../../../src/shared/chat';
import { buildTestCore, call, recordFeeds, valueOf } from '../../support/core';
import { startTestWorker } from '../../support/memory';
import { addSandboxAccount, control, useSandbox } from '../../support/sandbox';
import { useTempDir } from '../../support/tempDir';
import { until } from '../../support/until';

describe('a room opened after a restart', () => {
  it('shows its stored messages, as they were left, before the live ones and a divider for the time away', async () => {
    const sandbox = await useSandbox({ rooms: 1, ratePerRoom: 0 });
    const dir = await useTempDir();
    const memory = { startWorker: startTestWorker };
    const first = await buildTestCore(dir, { memory });
    const accountId = await addSandboxAccount(first.core, sandbox);
    valueOf(
      await call(first.core, 'settings.set', {
        rules: { global: [{ id: 'scam', pattern: 'scam' }], rooms: {} },
      }),
    );
    const roomKey = `${accountId}/1001`;
    const feeds = recordFeeds(first.core);
    valueOf(await call(first.core, 'rooms.open', { accountId, roomId: '1001' }));
    await until(
      first.core.events,
      () => feeds.statuses.some((status) => status.state === 'live'),
      'the room live',
    );
    const said: string[] = [];
    for (const message of ['first', 'second, a scam', 'third']) {
      const { messageId } = await control(sandbox).say('1001', { userId: 'chatter1', message });
      said.push(messageId);
    }
    await until(
      first.core.events,
      () => said.every((id) => feeds.events.some((event) => event.messageId === id)),
      'the three messages',
    );
    expect(first.notifier.shown).toHaveLength(1);
    const hidden = said[0] as string;
    valueOf(await call(first.core, 'messages.hide', { roomKey, messageId: hidden }));
    await until(
      first.core.events,
      () => feeds.batches.some((batch) => batch.updates.length > 0),
      'the hide in a batch',
    );
    await first.core.dispose();
    const stoppedAt = Date.now();

    const restartedAt = Date.now();
    const second = await buildTestCore(dir, { memory, secrets: first.secrets });
    try {
      const histories: string[] = [];
      second.core.events.subscribe((event, payload) => {
        if (event === 'feed.history') histories.push((payload as { roomKey: string }).roomKey);
      });
      const live = recordFeeds(second.core);
      valueOf(await call(second.core, 'rooms.open', { accountId, roomId: '1001' }));
      await until(second.core.events, () => histories.includes(roomKey), 'the room history');
      await until(
        second.core.events,
        () => live.statuses.some((status) => status.state === 'live'),
        'the room live again',
      );
      const { messageId: fresh } = await control(sandbox).say('1001', {
        userId: 'chatter2',
        message: 'after the restart',
      });
      await until(
        second.core.events,
        () => live.events.some((event) => event.messageId === fresh),
        'the new message',
      );

      const { events } = valueOf(await call(second.core, 'feed.snapshot', { roomKey }));
      const ids = events.map((event) => event.id);
      expect(new Set(ids).size).toBe(ids.length);
      const place = (messageId: string): number =>
        events.findIndex((event) => event.messageId === messageId);
      const divider = events.findIndex((event) => event.gap?.reason !== undefined);
      expect(said.map(place).every((index) => index >= 0)).toBe(true);
      expect(said.map(place)).toEqual([...said.map(place)].sort((a, b) => a - b));
      expect(place(said[2] as string)).toBeLessThan(divider);
      expect(divider).toBeLessThan(place(fresh));
      const stored = (messageId: string): ChatEvent | undefined => events[place(messageId)];
      expect(stored(hidden)?.state).toBe('hidden');
      expect(stored(said[1] as string)).toMatchObject({
        state: 'visible',
        flags: [{ ruleId: 'scam' }],
        handled: true,
      });
      const gap = events[divider]?.gap;
      expect(gap?.reason).toBe('appClosed');
      expect(gap?.from).toBeLessThanOrEqual(stoppedAt);
      expect(gap?.to).toBeGreaterThanOrEqual(restartedAt);
      // History was neither sent as new events (so not stored again) nor notified.
      expect(live.events.some((event) => said.includes(event.messageId ?? ''))).toBe(false);
      expect(second.notifier.shown).toHaveLength(0);
    } finally {
      await second.core.dispose();
    }
  });
});
