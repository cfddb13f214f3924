/**
 * A column closed while its room is still opening must not leave the room open in main.
 */
import { describe, expect, it } from 'vitest';
import type { OpenRoom } from '../../../src/shared/chat';
import type { Result } from '../../../src/shared/contract';
import { useRooms } from '../../../src/renderer/src/stores/rooms';
import { installFakeBridge } from './fakeBridge';

describe('closing a column whose room is still opening', () => {
  it('tells main to close the room once its open answers', async () => {
    let answer: (result: Result<OpenRoom>) => void = () => undefined;
    const room: OpenRoom = {
      roomKey: 'ff/r1',
      accountId: 'ff',
      roomId: 'r1',
      provider: 'flipflop',
      name: 'Room',
      capabilities: {} as OpenRoom['capabilities'],
      status: { roomKey: 'ff/r1', state: 'connecting' },
      moderatorUserId: null,
    };
    const bridge = installFakeBridge({
      'rooms.open': () => new Promise((resolve) => (answer = resolve)),
      'rooms.close': ({ roomKey }) => ({ ok: true, value: { roomKey } }),
      'feed.snapshot': () => ({ ok: true, value: { room, events: [] } }),
    });

    const opening = useRooms.getState().open('ff', 'r1');
    // The moderator closes the column while main is still opening the room.
    await useRooms.getState().close('ff/r1');
    answer({ ok: true, value: room });
    await opening;

    // main opened the room (and carries its feed, notifications included): it must be closed.
    expect(bridge.calls.map((call) => call.channel)).toContain('rooms.close');
  });
});
