/**
 * Shield mode: a new chatter's message it held (no rule flagged it) stays in the Held queue however
 * much chat follows, until someone reviews it.
 */
import { onTestFinished, describe, expect, it } from 'vitest';
import { defaultAutomodConfig } from '../../../src/shared/automod';
import { isHeld, type ChatEvent, type EventUpdate, type FeedBatch } from '../../../src/shared/chat';
import { systemClock, type Clock } from '../../../src/main/clock';
import { buildTestCore, call, valueOf } from '../../support/core';
import { startTestWorker } from '../../support/memory';
import { addSandboxAccount, control, useSandbox } from '../../support/sandbox';
import { useTempDir } from '../../support/tempDir';
import { until } from '../../support/until';

describe('a shield hold of a new chatter', () => {
  it('stays in the Held queue while chat goes on, until someone reviews it', async () => {
    let offset = 0;
    const clock: Clock = { ...systemClock, now: () => Date.now() + offset };
    const sandbox = await useSandbox({ rooms: 1, ratePerRoom: 0 });
    const test = await buildTestCore(await useTempDir(), {
      clock,
      memory: { startWorker: startTestWorker },
    });
    onTestFinished(() => test.core.dispose());
    const { core } = test;
    const accountId = await addSandboxAccount(core, sandbox);
    // Automod off: the regular's chat below is not flagged as a flood (shield mode still holds
    // new chatters; only raids need automod).
    valueOf(
      await call(core, 'settings.set', {
        scrollback: 100,
        automod: { enabled: false, config: defaultAutomodConfig() },
      }),
    );
    const batches: FeedBatch[] = [];
    let live = false;
    core.events.subscribe((event, payload) => {
      if (event === 'feed.status') {
        live ||= (payload as { statuses: Array<{ state: string }> }).statuses.some(
          (status) => status.state === 'live',
        );
      }
      if (event === 'feed.batch') batches.push(payload as FeedBatch);
    });
    const roomKey = `${accountId}/1001`;
    valueOf(await call(core, 'rooms.open', { accountId, roomId: '1001' }));
    await until(core.events, () => live, 'the room live');
    await core.feeds.chattersKnown(roomKey);
    const api = control(sandbox);
    const updates = (): EventUpdate[] => batches.flatMap((batch) => batch.updates);
    const arrived = (messageId: string): ChatEvent | undefined =>
      batches.flatMap((batch) => batch.events).find((event) => event.messageId === messageId);
    async function say(userId: string, message: string): Promise<ChatEvent> {
      const { messageId } = await api.say('1001', { userId, message });
      await until(core.events, () => arrived(messageId) !== undefined, 'the message');
      return arrived(messageId)!;
    }

    await say('regular', 'hello everyone');
    offset += 11 * 60_000;
    valueOf(await call(core, 'shield.set', { roomKey, on: true }));
    const newcomer = await say('newcomer', 'hi all, first time here');
    expect(newcomer.held?.ruleId).toBe('shield');
    // Held by shield mode alone: no rule flagged it.
    expect(newcomer.flags).toEqual([]);
    await until(
      core.events,
      () => updates().some((u) => u.id === newcomer.id && u.state === 'hidden'),
      'the hold hidden',
    );

    // The room's regular goes on chatting: more messages than the scrollback keeps.
    let last = '';
    for (let index = 0; index < 120; index += 1) {
      last = (await api.say('1001', { userId: 'regular', message: `chat line ${index}` }))
        .messageId;
    }
    await until(core.events, () => arrived(last) !== undefined, 'the chat', 20_000);

    const atService = (await api.message('1001', newcomer.messageId!)).state;
    const kept = valueOf(await call(core, 'feed.snapshot', { roomKey })).events.find(
      (event) => event.messageId === newcomer.messageId,
    );
    expect(atService).toBe('hidden');
    // Hidden at the service and never reviewed: it must still wait in the Held queue.
    expect(kept).toBeDefined();
    expect(isHeld(kept!)).toBe(true);
  });
});
