/**
 * Gossip sessions that get CONNECTED and then end before their rooms are live (a refused
 * SUBSCRIBE, the sandbox's `subscriptions { refused: true }`): backoff, gaps, the other rooms.
 */
import { onTestFinished, describe, expect, it } from 'vitest';
import type { RoomStatus } from '../../../src/shared/chat';
import { buildTestCore, call, recordFeeds, valueOf } from '../../support/core';
import { addSandboxAccount, control, useSandbox } from '../../support/sandbox';
import { useTempDir } from '../../support/tempDir';
import { until } from '../../support/until';

async function setup(reconnect = { baseDelayMs: 50, maxDelayMs: 200 }) {
  const sandbox = await useSandbox({ rooms: 2, ratePerRoom: 0 });
  const { core } = await buildTestCore(await useTempDir(), { live: { reconnect } });
  onTestFinished(() => core.dispose());
  const accountId = await addSandboxAccount(core, sandbox);
  const record = recordFeeds(core);
  // Each status with the wall-clock time it was emitted (the core runs on the real clock).
  const timed: Array<{ at: number; status: RoomStatus }> = [];
  core.events.subscribe((event, payload) => {
    if (event !== 'feed.status') return;
    for (const status of (payload as { statuses: RoomStatus[] }).statuses)
      timed.push({ at: Date.now(), status });
  });
  return { sandbox, api: control(sandbox), core, accountId, ...record, timed };
}

/** The status a refused session leaves while it waits its backoff (it says when it tries next). */
const refused = (status: RoomStatus) =>
  status.state === 'reconnecting' &&
  status.retryAt !== undefined &&
  status.error?.message === 'Chat server: Access refused';

describe('Gossip sessions that end before their rooms are live', () => {
  it('starts the gap at the last frame before the original loss, not at a later refused session', async () => {
    const { api, core, accountId, statuses, gaps, events } = await setup();
    valueOf(await call(core, 'rooms.open', { accountId, roomId: '1001' }));
    valueOf(await call(core, 'rooms.open', { accountId, roomId: '1002' }));
    await until(
      core.events,
      () => statuses.filter((status) => status.state === 'live').length >= 2,
      'both rooms live',
    );
    const before = await api.say('1002', { userId: 'viewer', message: 'before the drop' });
    await until(
      core.events,
      () => events.some((event) => event.messageId === before.messageId),
      'the message before the drop',
    );

    // The connection drops; every attempt after it gets CONNECTED, then an ERROR for room 1001.
    await api.put('/rooms/1001/subscriptions', { refused: true });
    const droppedAt = Date.now();
    await api.faults({ dropConnections: true });
    await until(
      core.events,
      () => statuses.filter(refused).length >= 2 * 2,
      'two refused sessions (two rooms each)',
    );
    // Said while the feed was down: room 1002 never receives it.
    const missedAt = Date.now();
    const missed = await api.say('1002', { userId: 'viewer', message: 'said during the outage' });
    const refusals = statuses.filter(refused).length;
    await until(
      core.events,
      () => statuses.filter(refused).length >= refusals + 2,
      'one more refused session after the missed message',
    );

    await api.put('/rooms/1001/subscriptions', { refused: false });
    await until(core.events, () => gaps.length >= 2, 'the gap in both rooms');

    expect(events.some((event) => event.messageId === missed.messageId)).toBe(false);
    const gap = gaps.find((entry) => entry.roomKey === `${accountId}/1002`)!;
    // The feed was last known alive before the drop: the gap must start there, so that it covers
    // everything the room missed, the message said during the outage included.
    expect(
      gap.from,
      `gap ${gap.from}..${gap.to}; dropped at ${droppedAt}; missed message said at ${missedAt}`,
    ).toBeLessThanOrEqual(missedAt);
    expect(gap.from).toBeLessThanOrEqual(droppedAt);
  });

  it('backs off further with each refused session instead of retrying at the first delay forever', async () => {
    const { api, core, accountId, timed } = await setup({ baseDelayMs: 40, maxDelayMs: 1000 });
    await api.put('/rooms/1001/subscriptions', { refused: true });
    valueOf(await call(core, 'rooms.open', { accountId, roomId: '1001' }));
    await until(
      core.events,
      () => timed.filter((entry) => refused(entry.status)).length >= 7,
      'seven refused sessions',
      20_000,
    );
    const waits = timed
      .filter((entry) => refused(entry.status))
      .map((entry) => (entry.status.retryAt ?? 0) - entry.at);
    const connections = (await api.connections()).filter((c) => c.userId === 'moderator1');
    // Seven failures in a row: the waits should have grown 20–40, 40–80, … up to 500–1000 ms.
    expect(
      Math.max(...waits),
      `waits after each refused session (ms): ${waits.join(', ')}; connections so far: ${connections.length}`,
    ).toBeGreaterThanOrEqual(400);
  });
});
