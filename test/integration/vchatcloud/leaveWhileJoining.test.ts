/**
 * A VChatCloud room closed while its join is still on its way.
 */
import { onTestFinished, describe, expect, it } from 'vitest';
import { buildTestCore, call, recordFeeds, valueOf } from '../../support/core';
import { addVChatCloudAccount, useSandbox } from '../../support/sandbox';
import { useTempDir } from '../../support/tempDir';
import { until } from '../../support/until';
import { vcontrol } from './support';

describe('a VChatCloud room closed while it joins', () => {
  it('leaves the room on the service, as closing a joined room does', async () => {
    const sandbox = await useSandbox({ vchatcloudRooms: 3, ratePerRoom: 0 });
    const { core } = await buildTestCore(await useTempDir(), {
      live: { reconnect: { baseDelayMs: 50, maxDelayMs: 200 } },
    });
    onTestFinished(() => core.dispose());
    const accountId = await addVChatCloudAccount(core, sandbox);
    const api = vcontrol(sandbox);
    const [a, b, c] = (await api.rooms()).filter((room) => room.open);
    const moderator = sandbox.vchatcloud.moderator.clientKey;
    const present = async (roomId: string) =>
      (await api.users(roomId)).some((user) => user.clientKey === moderator && user.connected);
    const { statuses } = recordFeeds(core);
    valueOf(await call(core, 'rooms.open', { accountId, roomId: a!.roomId }));
    await until(core.events, () => statuses.some((s) => s.state === 'live'), 'live');

    // Control: a room closed once its join landed is left on the service.
    const keyB = valueOf(await call(core, 'rooms.open', { accountId, roomId: b!.roomId })).roomKey;
    await expect.poll(() => present(b!.roomId)).toBe(true);
    valueOf(await call(core, 'rooms.close', { roomKey: keyB }));
    await expect.poll(() => present(b!.roomId)).toBe(false);

    // A room closed while its join is on its way: once the join has landed on the service (the
    // room counts one more person who ever joined), the moderator must leave it again.
    const joins = async (roomId: string) =>
      (await api.rooms()).find((room) => room.roomId === roomId)!.joinCount;
    const joinedBefore = await joins(c!.roomId);
    const keyC = valueOf(await call(core, 'rooms.open', { accountId, roomId: c!.roomId })).roomKey;
    valueOf(await call(core, 'rooms.close', { roomKey: keyC }));
    await expect.poll(() => joins(c!.roomId)).toBeGreaterThan(joinedBefore);
    await expect.poll(() => present(c!.roomId), { timeout: 3000 }).toBe(false);
  });
});
