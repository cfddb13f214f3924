/**
 * Rooms closed, and accounts removed or edited, while a room is still opening or while the
 * account is live.
 */
import { onTestFinished, describe, expect, it } from 'vitest';
import { buildTestCore, call, recordFeeds, valueOf } from '../../support/core';
import { addSandboxAccount, control, useSandbox } from '../../support/sandbox';
import { useTempDir } from '../../support/tempDir';
import { until } from '../../support/until';

async function setup() {
  const sandbox = await useSandbox({ rooms: 2, ratePerRoom: 0 });
  const test = await buildTestCore(await useTempDir(), {
    live: { reconnect: { baseDelayMs: 50, maxDelayMs: 200 } },
  });
  onTestFinished(() => test.core.dispose());
  const accountId = await addSandboxAccount(test.core, sandbox);
  return { sandbox, api: control(sandbox), ...test, accountId, ...recordFeeds(test.core) };
}

/** Waits until the sandbox has received a REST request for this path (its answer delayed). */
async function requested(api: ReturnType<typeof control>, path: string) {
  await expect
    .poll(async () => {
      const log = await api.get<{ requests: Array<{ path: string }> }>('/requests');
      return log.requests.some((request) => request.path.endsWith(path));
    })
    .toBe(true);
}

describe('rooms and accounts that change while a room opens', () => {
  it('does not carry a room closed while it was still opening', async () => {
    const { api, core, accountId, events, notifier, statuses } = await setup();
    valueOf(await call(core, 'rooms.open', { accountId, roomId: '1001' }));
    await until(core.events, () => statuses.some((s) => s.state === 'live'), 'room 1001 live');

    // The room's REST look-up is slow; the moderator closes the column meanwhile.
    await api.faults({ latencyMs: 400 });
    const roomKey = `${accountId}/1002`;
    const opening = call(core, 'rooms.open', { accountId, roomId: '1002' });
    await requested(api, '/video-rooms/1002');
    valueOf(await call(core, 'rooms.close', { roomKey }));
    const opened = await opening;
    await api.clearFaults();
    // An open that answered for the closed room carries it: wait until it is live, so that the
    // direct message below would reach it.
    await until(
      core.events,
      () => !opened.ok || statuses.some((s) => s.roomKey === roomKey && s.state === 'live'),
      'the open refused, or the closed room live anyway',
    );

    // A direct message in the closed room, then a marker in the open one on the same socket.
    const dm = await api.say('1002', { userId: 'viewer', message: 'hi mod', messageType: 'DM' });
    const marker = await api.say('1001', { userId: 'viewer', message: 'marker' });
    await until(
      core.events,
      () => events.some((event) => event.messageId === marker.messageId),
      'the marker',
    );

    expect({
      stillOpen: core.feeds.openRooms().map((room) => room.roomKey),
      dmCarried: events.some((event) => event.messageId === dm.messageId),
      notified: notifier.shown.length,
    }).toEqual({ stillOpen: [`${accountId}/1001`], dmCarried: false, notified: 0 });
  });

  it('does not connect for an account removed while one of its rooms was opening', async () => {
    const { api, core, accountId, statuses } = await setup();
    await api.faults({ latencyMs: 400 });
    const roomKey = `${accountId}/1001`;
    const opening = call(core, 'rooms.open', { accountId, roomId: '1001' });
    await requested(api, '/video-rooms/1001');
    valueOf(await call(core, 'accounts.remove', { id: accountId }));
    const opened = await opening;
    await api.clearFaults();

    // The removed account's room must not stay open and retrying; an open that answered for it
    // shows it retrying.
    await until(
      core.events,
      () =>
        !opened.ok ||
        statuses.filter((s) => s.roomKey === roomKey && s.retryAt !== undefined).length >= 3,
      'the open refused, or three retries for the removed account',
    );
    expect({
      openAnswered: opened.ok,
      stillOpen: core.feeds.openRooms().map((room) => room.roomKey),
      retries: statuses
        .filter((s) => s.roomKey === roomKey && s.retryAt !== undefined)
        .slice(0, 1)
        .map((s) => s.error?.code),
    }).toEqual({ openAnswered: opened.ok, stillOpen: [], retries: [] });
  });

  it('shows a gap for what an account edit’s reconnect missed', async () => {
    const { api, core, accountId, statuses, events, gaps } = await setup();
    const roomKey = `${accountId}/1001`;
    valueOf(await call(core, 'rooms.open', { accountId, roomId: '1001' }));
    await until(core.events, () => statuses.some((s) => s.state === 'live'), 'room live');

    // The moderator renames the account: its rooms reconnect with the new details. The new chat
    // token takes a while to come (REST latency).
    await api.faults({ latencyMs: 400 });
    const record = core.accounts.records().find((entry) => entry.id === accountId)!;
    const liveBefore = statuses.length;
    await core.accounts.save({ ...record, name: 'Renamed' });
    await until(
      core.events,
      () =>
        statuses
          .slice(liveBefore)
          .some((s) => s.state === 'connecting' || s.state === 'reconnecting'),
      'the room reconnecting',
    );
    await expect
      .poll(async () => (await api.connections()).some((c) => c.userId === 'moderator1' && c.open))
      .toBe(false);
    // Said while the room has no connection.
    const saidAt = Date.now();
    const missed = await api.say('1001', { userId: 'viewer', message: 'said between connections' });
    await until(
      core.events,
      () => statuses.slice(liveBefore).some((s) => s.state === 'live'),
      'live again',
    );
    await api.clearFaults();
    const marker = await api.say('1001', { userId: 'viewer', message: 'marker' });
    await until(
      core.events,
      () => events.some((event) => event.messageId === marker.messageId),
      'the marker',
    );

    const carried = events.some((event) => event.messageId === missed.messageId);
    const covered = gaps.some((g) => g.roomKey === roomKey && g.from <= saidAt && g.to >= saidAt);
    // Either the message reached the room, or the room shows a gap where it was missed.
    expect({ carried, gaps: gaps.length, covered: carried || covered }).toEqual({
      carried,
      gaps: gaps.length,
      covered: true,
    });
  });
});
