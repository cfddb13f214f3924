/**
 * Gossip sessions where the server refuses one room's SUBSCRIBE (the sandbox's
 * `subscriptions { refused: true }`) and ends the session: the room's own backoff and gap, and the
 * account's other rooms.
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
  status.error?.code === 'ROOM_REFUSED' &&
  status.error.message === 'Access refused';

/** The statuses of one room. */
const of = (statuses: RoomStatus[], roomKey: string) =>
  statuses.filter((status) => status.roomKey === roomKey);

describe('Gossip sessions where the server refuses one room', () => {
  it('keeps the account’s other rooms live, tries the refused room on its own, and gives it its own gap', async () => {
    const { api, core, accountId, statuses, gaps, events } = await setup();
    const refusedRoom = `${accountId}/1001`;
    const other = `${accountId}/1002`;
    valueOf(await call(core, 'rooms.open', { accountId, roomId: '1001' }));
    valueOf(await call(core, 'rooms.open', { accountId, roomId: '1002' }));
    await until(
      core.events,
      () => statuses.filter((status) => status.state === 'live').length >= 2,
      'both rooms live',
    );
    const before = await api.say('1001', { userId: 'viewer', message: 'before the drop' });
    await until(
      core.events,
      () => events.some((event) => event.messageId === before.messageId),
      'the message before the drop',
    );

    // The connection drops; every SUBSCRIBE to room 1001 is refused from now on.
    await api.put('/rooms/1001/subscriptions', { refused: true });
    const from = statuses.length;
    const droppedAt = Date.now();
    await api.faults({ dropConnections: true });
    // Room 1002 comes back without 1001, with the gap of the drop.
    await until(
      core.events,
      () =>
        of(statuses.slice(from), refusedRoom).some(refused) &&
        of(statuses.slice(from), other).at(-1)?.state === 'live',
      'room 1001 refused and room 1002 live again',
    );
    expect(gaps.filter((gap) => gap.roomKey === other)).toHaveLength(1);
    const heard = await api.say('1002', { userId: 'viewer', message: 'room 1002 is back' });
    await until(
      core.events,
      () => events.some((event) => event.messageId === heard.messageId),
      'room 1002’s message while 1001 is refused',
    );

    // Said while room 1001 is refused: never received, so its gap must cover it.
    const missedAt = Date.now();
    const missed = await api.say('1001', { userId: 'viewer', message: 'said while refused' });
    const settledAt = statuses.length;
    await until(
      core.events,
      () => of(statuses.slice(settledAt), refusedRoom).filter(refused).length >= 2,
      'two more refused tries of room 1001',
    );
    // Those tries were made on connections of their own: room 1002 did not notice them.
    expect(of(statuses.slice(settledAt), other)).toEqual([]);
    expect(gaps.filter((gap) => gap.roomKey === other)).toHaveLength(1);

    await api.put('/rooms/1001/subscriptions', { refused: false });
    await until(
      core.events,
      () => gaps.some((gap) => gap.roomKey === refusedRoom),
      'room 1001’s own gap',
    );
    expect(of(statuses, refusedRoom).at(-1)?.state).toBe('live');
    expect(events.some((event) => event.messageId === missed.messageId)).toBe(false);
    const gap = gaps.find((entry) => entry.roomKey === refusedRoom)!;
    // The room was last known alive before the drop: its gap starts there and runs until it was
    // let in, covering the message said while it was refused.
    expect(gap.from).toBeLessThanOrEqual(droppedAt);
    expect(gap.to).toBeGreaterThan(missedAt);
    expect(gaps.filter((entry) => entry.roomKey === refusedRoom)).toHaveLength(1);
    // Live again on the account's connection: its chat arrives.
    const after = await api.say('1001', { userId: 'viewer', message: 'let in again' });
    await until(
      core.events,
      () => events.some((event) => event.messageId === after.messageId),
      'room 1001’s message after it was let in',
    );
  });

  it('opening a refused room does not take the account’s live rooms down', async () => {
    const { api, core, accountId, statuses, events } = await setup();
    const other = `${accountId}/1002`;
    valueOf(await call(core, 'rooms.open', { accountId, roomId: '1002' }));
    await until(core.events, () => of(statuses, other).at(-1)?.state === 'live', 'room 1002 live');
    await api.put('/rooms/1001/subscriptions', { refused: true });
    const from = statuses.length;
    valueOf(await call(core, 'rooms.open', { accountId, roomId: '1001' }));
    await until(
      core.events,
      () =>
        of(statuses.slice(from), `${accountId}/1001`).some(refused) &&
        of(statuses.slice(from), other).at(-1)?.state === 'live',
      'room 1001 refused and room 1002 live',
    );
    const { messageId } = await api.say('1002', { userId: 'viewer', message: 'still here' });
    await until(
      core.events,
      () => events.some((event) => event.messageId === messageId),
      'room 1002’s message',
    );
    expect(of(statuses, `${accountId}/1001`).at(-1)).toMatchObject({
      state: 'reconnecting',
      error: { code: 'ROOM_REFUSED', message: 'Access refused' },
    });
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
