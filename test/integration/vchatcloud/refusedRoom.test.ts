/**
 * A VChatCloud room the service will not let the moderator into while the account's connection is
 * fine (exiled, locked): it says why, and comes back by itself once the service lets it in again,
 * with a gap for what it missed meanwhile.
 */
import { onTestFinished, describe, expect, it } from 'vitest';
import { buildTestCore, call, recordFeeds, valueOf } from '../../support/core';
import { addVChatCloudAccount, useSandbox } from '../../support/sandbox';
import { useTempDir } from '../../support/tempDir';
import { until } from '../../support/until';
import { issueToken, vcontrol, vrest } from './support';

async function setup() {
  const sandbox = await useSandbox({ vchatcloudRooms: 2, ratePerRoom: 0 });
  const { core } = await buildTestCore(await useTempDir(), {
    live: { reconnect: { baseDelayMs: 50, maxDelayMs: 200 } },
  });
  onTestFinished(() => core.dispose());
  const accountId = await addVChatCloudAccount(core, sandbox);
  const api = vcontrol(sandbox);
  const [first, second] = (await api.rooms()).filter((room) => room.open);
  const record = recordFeeds(core);
  const keys: string[] = [];
  for (const room of [first!, second!]) {
    keys.push(valueOf(await call(core, 'rooms.open', { accountId, roomId: room.roomId })).roomKey);
  }
  const last = (roomKey: string) =>
    record.statuses.filter((status) => status.roomKey === roomKey).at(-1);
  await until(core.events, () => keys.every((key) => last(key)?.state === 'live'), 'both live');
  return { sandbox, api, core, first: first!, second: second!, keys, last, ...record };
}

describe('a VChatCloud room refused on a live connection', () => {
  it('joins again by itself once the exile is lifted, with a gap for the time it was out', async () => {
    const { sandbox, api, core, first, second, keys, last, events, gaps } = await setup();
    const [firstKey, secondKey] = keys as [string, string];
    const moderator = sandbox.vchatcloud.moderator.clientKey;
    const token = await issueToken(sandbox);
    const exile = `/openapi/v1/exiles/${first.roomId}/${moderator}`;

    const exiledAt = Date.now();
    expect((await vrest(sandbox, 'POST', exile, { token })).body.result_cd).toBe(1);
    await until(core.events, () => last(firstKey)?.state === 'offline', 'the room offline');
    expect(last(firstKey)?.error?.code).toBe('10106');
    // The account's other room is not touched.
    expect(last(secondKey)?.state).toBe('live');

    await api.say(first.roomId, {
      clientKey: 'viewer',
      message: 'said while the moderator was out',
    });
    expect((await vrest(sandbox, 'PUT', exile, { token })).body.result_cd).toBe(1);
    await until(core.events, () => last(firstKey)?.state === 'live', 'the room live again');
    await api.say(first.roomId, { clientKey: 'viewer', message: 'said once it was back' });
    await until(
      core.events,
      () => events.some((event) => event.text === 'said once it was back'),
      'the message after the return',
    );
    // What was said meanwhile came with the join's history, and the gap says the room was out.
    expect(
      events.filter((event) => event.text === 'said while the moderator was out'),
    ).toHaveLength(1);
    const roomGaps = gaps.filter((gap) => gap.roomKey === firstKey);
    expect(roomGaps).toHaveLength(1);
    expect(roomGaps[0]!.from).toBeGreaterThanOrEqual(exiledAt - 1000);
    expect(roomGaps[0]!.from).toBeLessThanOrEqual(roomGaps[0]!.to);
    expect(gaps.filter((gap) => gap.roomKey === secondKey)).toEqual([]);
    // One connection all along: the room came back on its own.
    expect((await api.connections()).filter((connection) => connection.open)).toHaveLength(1);
    const sessions = (await api.connections()).find((connection) => connection.open)?.sessions;
    expect(sessions?.map((session) => session.roomId).sort()).toEqual(
      [first.roomId, second.roomId].sort(),
    );
  });
});
