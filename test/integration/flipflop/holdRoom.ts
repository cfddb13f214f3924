/**
 * One room of the sandbox open in a real core with hold rules, for the hold queue's tests: what
 * the feed carried, and ways to send a message and wait for it, or for a state.
 */
import { onTestFinished } from 'vitest';
import type { ChatEvent, EventUpdate, FeedBatch } from '../../../src/shared/chat';
import type { RequestInput } from '../../../src/shared/contract';
import type { Rule } from '../../../src/shared/model';
import { buildTestCore, call, valueOf, type TestCoreOptions } from '../../support/core';
import { addSandboxAccount, control, useSandbox } from '../../support/sandbox';
import { useTempDir } from '../../support/tempDir';
import { until } from '../../support/until';

export const HOLD_RULE: Rule = { id: 'hold-shop', pattern: 'followerz', action: 'hold' };
export const HIDE_RULE: Rule = { id: 'hide-slur', pattern: 'scumbag', action: 'hide' };

export async function openHoldRoom(
  options: TestCoreOptions = {},
  settings: RequestInput<'settings.set'> = { rules: { global: [HOLD_RULE, HIDE_RULE], rooms: {} } },
) {
  const sandbox = await useSandbox({ rooms: 1, ratePerRoom: 0 });
  const test = await buildTestCore(await useTempDir(), options);
  onTestFinished(() => test.core.dispose());
  const accountId = await addSandboxAccount(test.core, sandbox);
  valueOf(await call(test.core, 'settings.set', settings));
  const batches: FeedBatch[] = [];
  let live = false;
  test.core.events.subscribe((event, payload) => {
    if (event === 'feed.status') {
      live ||= (payload as { statuses: Array<{ state: string }> }).statuses.some(
        (status) => status.state === 'live',
      );
    }
    if (event === 'feed.batch') batches.push(payload as FeedBatch);
  });
  const roomKey = `${accountId}/1001`;
  valueOf(await call(test.core, 'rooms.open', { accountId, roomId: '1001' }));
  await until(test.core.events, () => live, 'the room live');
  // With a message history, first-time chatters are known once its chatters are read.
  await test.core.feeds.chattersKnown(roomKey);
  const api = control(sandbox);
  const updates = (): EventUpdate[] => batches.flatMap((batch) => batch.updates);
  const arrived = (messageId: string): ChatEvent | undefined =>
    batches.flatMap((batch) => batch.events).find((event) => event.messageId === messageId);
  /** Sends a message (a DM when it names its receiver) and waits until the feed carried it. */
  async function say(userId: string, message: string, receiver?: string): Promise<ChatEvent> {
    const dm = receiver === undefined ? {} : { messageType: 'DM' as const, receiver };
    const { messageId } = await api.say('1001', { userId, message, ...dm });
    await until(test.core.events, () => arrived(messageId) !== undefined, 'the message');
    return arrived(messageId)!;
  }
  /** Waits until an update says the message is in `state`. */
  async function reaches(messageId: string, state: ChatEvent['state']): Promise<EventUpdate> {
    const found = () =>
      updates().find((update) => update.id === messageId && update.state === state);
    await until(test.core.events, () => found() !== undefined, `${messageId} ${state}`);
    return found()!;
  }
  const kept = async (messageId: string): Promise<ChatEvent | undefined> =>
    valueOf(await call(test.core, 'feed.snapshot', { roomKey })).events.find(
      (event) => event.messageId === messageId,
    );
  // The audit log as its export gives it (from the files, or the history's store).
  const auditLines = async () =>
    valueOf(await call(test.core, 'audit.export', { format: 'jsonl' }))
      .content.trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, string>);
  return { ...test, sandbox, api, accountId, roomKey, say, reaches, kept, updates, auditLines };
}
