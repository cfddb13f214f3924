/**
 * The once-a-second stats timer after the last room closed.
 */
import { onTestFinished, describe, expect, it } from 'vitest';
import { buildTestCore, call, valueOf } from '../../support/core';
import { addSandboxAccount, useSandbox } from '../../support/sandbox';
import { useTempDir } from '../../support/tempDir';

const statsTimer = (feeds: unknown) => (feeds as { statsTimer: unknown }).statsTimer;

describe('the stats timer', () => {
  it('stops when the last room closes, whether or not its chat was open', async () => {
    const sandbox = await useSandbox({ rooms: 1, ratePerRoom: 0 });
    const { core } = await buildTestCore(await useTempDir());
    onTestFinished(() => core.dispose());
    const accountId = await addSandboxAccount(core, sandbox);

    // Control: a live room.
    const live = valueOf(await call(core, 'rooms.open', { accountId, roomId: '1001' }));
    valueOf(await call(core, 'rooms.close', { roomKey: live.roomKey }));
    expect(statsTimer(core.feeds)).toBeNull();

    // A room whose chat is closed (no live connection is opened for it).
    valueOf(await call(core, 'chatRoom.create', { accountId, roomId: '1002' }));
    valueOf(await call(core, 'chatRoom.close', { accountId, roomId: '1002' }));
    const closedChat = valueOf(await call(core, 'rooms.open', { accountId, roomId: '1002' }));
    expect(closedChat.status.state).toBe('offline');
    valueOf(await call(core, 'rooms.close', { roomKey: closedChat.roomKey }));
    expect(core.feeds.openRooms()).toEqual([]);
    expect(statsTimer(core.feeds)).toBeNull();
  });
});
