/**
 * The hold queue against the sandbox: a held message whose hide is still being retried (the
 * service asked to wait) looks "not hidden" in the window, which approves it by marking it handled;
 * the hide landing afterwards must not leave the approved message hidden.
 */
import { onTestFinished, describe, expect, it } from 'vitest';
import { isHeld, type ChatEvent, type FeedBatch } from '../../../src/shared/chat';
import type { Rule } from '../../../src/shared/model';
import { buildTestCore, call, valueOf } from '../../support/core';
import { addSandboxAccount, control, useSandbox } from '../../support/sandbox';
import { useTempDir } from '../../support/tempDir';
import { until } from '../../support/until';

const HOLD_RULE: Rule = { id: 'hold-shop', pattern: 'followerz', action: 'hold' };

describe('approving a hold whose hide is still being retried', () => {
  it('leaves the approved message visible', async () => {
    const sandbox = await useSandbox({ rooms: 1, ratePerRoom: 0 });
    const test = await buildTestCore(await useTempDir());
    onTestFinished(() => test.core.dispose());
    const { core } = test;
    const accountId = await addSandboxAccount(core, sandbox);
    valueOf(await call(core, 'settings.set', { rules: { global: [HOLD_RULE], rooms: {} } }));
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
    const api = control(sandbox);
    const arrived = (messageId: string): ChatEvent | undefined =>
      batches.flatMap((batch) => batch.events).find((event) => event.messageId === messageId);

    // The service refuses for now and asks for 7 s (a rate limit during a raid).
    await api.faults({ restFailure: { rate: 1, status: 429, retryAfterSeconds: 7 } });
    const { messageId } = await api.say('1001', { userId: 'spammer', message: 'cheap followerz' });
    await until(core.events, () => arrived(messageId) !== undefined, 'the message');
    await api.clearFaults();
    // The row says "Not hidden: still visible in the room" (its hide has not landed); the
    // moderator approves, which the window sends as flagged.markHandled (held.ts approvalOf).
    const kept = valueOf(await call(core, 'feed.snapshot', { roomKey })).events.find(
      (event) => event.messageId === messageId,
    )!;
    expect(kept.state).toBe('visible');
    valueOf(await call(core, 'flagged.markHandled', { roomKey, id: kept.id }));

    await until(core.events, () => core.holds.pending() === 0, 'the hide done', 20_000);
    const atService = (await api.message('1001', messageId)).state;
    const after = valueOf(await call(core, 'feed.snapshot', { roomKey })).events.find(
      (event) => event.messageId === messageId,
    )!;
    expect(atService).toBe('visible');
    expect(after.state).toBe('visible');
    expect(isHeld(after)).toBe(false);
  });
});
