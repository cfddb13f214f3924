/**
 * The hold queue against the sandbox: a hide whose answer never came (the service took it after
 * ModDeck stopped waiting) may have hidden the message, so approving that hold shows it again.
 */
import { onTestFinished, describe, expect, it } from 'vitest';
import { isHeld, type ChatEvent, type EventUpdate, type FeedBatch } from '../../../src/shared/chat';
import type { Rule } from '../../../src/shared/model';
import { buildTestCore, call, valueOf } from '../../support/core';
import { addSandboxAccount, control, useSandbox } from '../../support/sandbox';
import { useTempDir } from '../../support/tempDir';
import { until } from '../../support/until';

const HOLD_RULE: Rule = { id: 'hold-shop', pattern: 'followerz', action: 'hold' };

describe('a hold whose hide timed out after the service took it', () => {
  it('is shown again when approved, though the hold says its hide failed', async () => {
    const sandbox = await useSandbox({ rooms: 1, ratePerRoom: 0 });
    const test = await buildTestCore(await useTempDir(), {
      http: { timeoutMs: 150, retry: { attempts: 2, baseDelayMs: 5, maxDelayMs: 10 } },
    });
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
    const updates = (): EventUpdate[] => batches.flatMap((batch) => batch.updates);
    const arrived = (messageId: string): ChatEvent | undefined =>
      batches.flatMap((batch) => batch.events).find((event) => event.messageId === messageId);

    // The service takes each call but answers after ModDeck stopped waiting.
    await api.faults({ latencyMs: 400 });
    const { messageId } = await api.say('1001', { userId: 'spammer', message: 'cheap followerz' });
    await until(core.events, () => arrived(messageId) !== undefined, 'the message');
    const id = arrived(messageId)!.id;
    const failed = () => updates().find((u) => u.id === id && u.held?.failed !== undefined);
    await until(core.events, () => failed() !== undefined, 'the hide given up', 10_000);
    // The sandbox finishes what it took (each call waits 400 ms there): the service hid it, though
    // ModDeck could not know.
    const deadline = Date.now() + 5000;
    while ((await api.message('1001', messageId)).state !== 'hidden') {
      if (Date.now() > deadline) throw new Error('the sandbox never hid the message');
    }
    await api.clearFaults();

    // Approving must show it again.
    const kept = valueOf(await call(core, 'feed.snapshot', { roomKey })).events.find(
      (event) => event.messageId === messageId,
    )!;
    expect(kept.held?.failed).toBe('OUTCOME_UNKNOWN');
    valueOf(await call(core, 'flagged.markHandled', { roomKey, id: kept.id }));
    expect((await api.message('1001', messageId)).state).toBe('visible');
    const after = valueOf(await call(core, 'feed.snapshot', { roomKey })).events.find(
      (event) => event.messageId === messageId,
    )!;
    expect(isHeld(after)).toBe(false);
  });
});
