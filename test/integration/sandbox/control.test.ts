/**
 * The control API other tests build on: rooms and rates, publishing as a chatter or a raw body,
 * message state, members, tokens, connections and their delivery logs.
 */
import { describe, expect, it } from 'vitest';
import { ChatterScript } from '../../../src/sandbox/index';
import {
  bodyOf,
  control,
  type ControlRoom,
  frameText,
  guestToken,
  memberToken,
  RawStompClient,
  rest,
  rooms,
  seededRooms,
  useSandbox,
} from './support';

describe('control API', () => {
  it('lists rooms with chat state, rate and member count, and sets a rate', async () => {
    const sandbox = await useSandbox({ rooms: 2, ratePerRoom: 0 });
    const list = await rooms(sandbox);
    expect(list).toHaveLength(3);
    expect(list[0]).toEqual({
      videoRoomId: expect.stringMatching(/^\d+$/) as string,
      title: expect.any(String) as string,
      channelKey: expect.any(String) as string,
      chatRoom: { created: true, closed: false },
      ratePerSecond: 0,
      raid: null,
      memberCount: 20,
    });
    expect(list[2]).toMatchObject({ chatRoom: { created: false, closed: false }, memberCount: 0 });

    const set = await control(sandbox, 'PUT', `/rooms/${list[0]?.videoRoomId ?? ''}/rate`, {
      perSecond: 12.5,
    });
    expect(set.status).toBe(200);
    expect((await rooms(sandbox))[0]?.ratePerSecond).toBe(12.5);
    expect(
      (
        await control(sandbox, 'PUT', `/rooms/${list[0]?.videoRoomId ?? ''}/rate`, {
          perSecond: -1,
        })
      ).status,
    ).toBe(400);
    expect((await control(sandbox, 'PUT', '/rooms/424242/rate', { perSecond: 1 })).status).toBe(
      404,
    );
    expect((await control(sandbox, 'GET', '/nothing')).status).toBe(404);
  });

  it('keeps a raid going at a rate, each copy from a fresh user, until set to 0, and refuses a bad one', async () => {
    const sandbox = await useSandbox({ rooms: 1, ratePerRoom: 0 });
    const { live, withoutChat } = await seededRooms(sandbox);
    const token = await memberToken(sandbox);
    const { client } = await RawStompClient.connect(token);
    await client.withReceipt('SUBSCRIBE', {
      id: 'room',
      destination: `/topic/chat/${live.channelKey}`,
    });
    // The moderator's own JOIN.
    await client.messages('room', 1);
    const text = 'join the giveaway before it ends, the link is in my profile';
    const path = `/rooms/${live.videoRoomId}/raid-rate`;

    const set = await control<ControlRoom>(sandbox, 'PUT', path, { perSecond: 500, text });
    expect(set.json.raid).toEqual({ perSecond: 500, text });
    const copies = (await client.messages('room', 60)).map((frame) => bodyOf(frame));
    expect((await control<ControlRoom>(sandbox, 'PUT', path, { perSecond: 0 })).json.raid).toBe(
      null,
    );
    // Fresh users: none of them is one of the room's people.
    const pool = new Set(
      new ChatterScript({ seed: 1, stream: `flipflop/${live.videoRoomId}` }).users.map(
        (user) => user.id,
      ),
    );
    const users = copies.map((body) => (body['user'] as { id: string }).id);
    expect(new Set(users).size).toBe(60);
    for (const body of copies) {
      expect(body['message_type']).toBe('MESSAGE');
      // Junk before and after, and now and then one character changed.
      expect(String(body['message']).length).toBeGreaterThanOrEqual(text.length);
    }
    expect(copies.some((body) => body['message'] !== text)).toBe(true);
    expect(users.filter((user) => pool.has(user))).toEqual([]);

    // Without a line, one of the spam lines, kept while the raid goes on.
    const drawn = await control<ControlRoom>(sandbox, 'PUT', path, { perSecond: 1 });
    expect(drawn.json.raid?.text).toMatch(/\S/);
    const faster = await control<ControlRoom>(sandbox, 'PUT', path, { perSecond: 2 });
    expect(faster.json.raid).toEqual({ perSecond: 2, text: drawn.json.raid?.text });
    await control(sandbox, 'PUT', path, { perSecond: 0 });

    for (const bad of [{ perSecond: -1 }, { perSecond: 'fast' }, { perSecond: 20_000 }, {}]) {
      expect((await control(sandbox, 'PUT', path, bad)).status, JSON.stringify(bad)).toBe(400);
    }
    expect((await control(sandbox, 'PUT', path, { perSecond: 5, text: ' ' })).status).toBe(400);
    expect(
      (
        await control(sandbox, 'PUT', `/rooms/${withoutChat.videoRoomId}/raid-rate`, {
          perSecond: 5,
        })
      ).status,
    ).toBe(409);
    expect(
      (await control(sandbox, 'PUT', '/rooms/424242/raid-rate', { perSecond: 5 })).status,
    ).toBe(404);
  });

  it('publishes a message as a chatter, live on the socket, and reports its state', async () => {
    const sandbox = await useSandbox({ ratePerRoom: 0 });
    const { live, withoutChat } = await seededRooms(sandbox);
    const token = await memberToken(sandbox);
    const { client } = await RawStompClient.connect(token);
    await client.withReceipt('SUBSCRIBE', {
      id: 'room',
      destination: `/topic/chat/${live.channelKey}`,
    });
    await client.withReceipt('SUBSCRIBE', {
      id: 'dm',
      destination: `/topic/dm/${live.channelKey}/user/${token.userId}`,
    });
    await client.messages('room', 1);

    const posted = await control<{ messageId: string }>(
      sandbox,
      'POST',
      `/rooms/${live.videoRoomId}/messages`,
      {
        userId: 'troll1',
        userName: 'Troll',
        message: 'you are such a l0$3r',
        customType: 'MSG',
        data: { source: 'test' },
      },
    );
    expect(posted.status).toBe(200);
    expect(posted.json.messageId).toMatch(/^\d{19}$/);
    const [frame] = await client.messages('room', 1);
    expect(JSON.parse(frame?.body ?? '')).toMatchObject({
      message_id: posted.json.messageId,
      user: { id: 'troll1', username: 'Troll' },
      message_type: 'MESSAGE',
      message: 'you are such a l0$3r',
      custom_type: 'MSG',
      data: { source: 'test' },
    });

    const direct = await control<{ messageId: string }>(
      sandbox,
      'POST',
      `/rooms/${live.videoRoomId}/messages`,
      {
        userId: 'fan1',
        message: 'hi mod',
        messageType: 'DM',
      },
    );
    const [dm] = await client.messages('dm', 1);
    expect(JSON.parse(dm?.body ?? '')).toMatchObject({
      message_id: direct.json.messageId,
      message_type: 'DM',
    });

    const state = await control(
      sandbox,
      'GET',
      `/rooms/${live.videoRoomId}/messages/${posted.json.messageId}`,
    );
    expect(state.json).toEqual({
      messageId: posted.json.messageId,
      state: 'visible',
      messageType: 'MESSAGE',
      message: 'you are such a l0$3r',
      customType: 'MSG',
      user: { id: 'troll1', username: 'Troll' },
      receiverAppUserIds: [],
      createdAt: expect.any(String) as string,
    });
    await rest(
      sandbox,
      'DELETE',
      `/v2/apps/me/video-rooms/${live.videoRoomId}/chat-room/messages/${posted.json.messageId}`,
    );
    // Deleted messages stay readable here, unlike over REST.
    expect(
      (
        await control<{ state: string }>(
          sandbox,
          'GET',
          `/rooms/${live.videoRoomId}/messages/${posted.json.messageId}`,
        )
      ).json.state,
    ).toBe('deleted');
    expect((await control(sandbox, 'GET', `/rooms/${live.videoRoomId}/messages/1234`)).status).toBe(
      404,
    );

    expect(
      (await control(sandbox, 'POST', `/rooms/${live.videoRoomId}/messages`, { message: 'who?' }))
        .status,
    ).toBe(400);
    expect(
      (
        await control(sandbox, 'POST', `/rooms/${live.videoRoomId}/messages`, {
          userId: 'a',
          message: 'x',
          messageType: 'JOIN',
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await control(sandbox, 'POST', `/rooms/${withoutChat.videoRoomId}/messages`, {
          userId: 'a',
          message: 'x',
        })
      ).status,
    ).toBe(409);
  });

  it('sends a raw body as it is, in one MESSAGE frame on the room topic, and stores nothing', async () => {
    const sandbox = await useSandbox({ ratePerRoom: 0 });
    const { live } = await seededRooms(sandbox);
    const token = await memberToken(sandbox);
    const { client } = await RawStompClient.connect(token);
    const destination = `/topic/chat/${live.channelKey}`;
    await client.withReceipt('SUBSCRIBE', { id: 'room', destination });
    await client.messages('room', 1);
    type Stats = { messagesPublished: number; framesDelivered: number };
    const before = (await control<Stats>(sandbox, 'GET', '/stats')).json;

    const bodies = ['not JSON {', '', '{"message_type":"MESSAGE",\u0000"user":null}', '안녕 😀'];
    for (const body of bodies) {
      const posted = await control<{ messageId: string; delivered: number }>(
        sandbox,
        'POST',
        `/rooms/${live.videoRoomId}/raw-messages`,
        { body },
      );
      expect(posted).toEqual({
        status: 200,
        json: { messageId: expect.stringMatching(/^\d{19}$/) as string, delivered: 1 },
      });
      const [frame] = await client.messages('room', 1);
      expect(frame?.body).toBe(body);
      expect(frame?.headers).toMatchObject({
        'message-id': posted.json.messageId,
        destination,
        'content-length': String(Buffer.byteLength(body)),
      });
      expect(
        (
          await control(
            sandbox,
            'GET',
            `/rooms/${live.videoRoomId}/messages/${posted.json.messageId}`,
          )
        ).status,
      ).toBe(404);
    }
    expect((await control<Stats>(sandbox, 'GET', '/stats')).json).toMatchObject({
      messagesPublished: before.messagesPublished,
      framesDelivered: before.framesDelivered + bodies.length,
    });

    expect(
      (
        await control(sandbox, 'POST', `/rooms/${live.videoRoomId}/raw-messages`, {
          body: { message_type: 'MESSAGE' },
        })
      ).status,
    ).toBe(400);
    expect(
      (await control(sandbox, 'POST', '/rooms/424242/raw-messages', { body: 'x' })).status,
    ).toBe(404);
  });

  it('lists a room’s members, including a WebSocket user once subscribed', async () => {
    const sandbox = await useSandbox({ ratePerRoom: 0 });
    const { live } = await seededRooms(sandbox);
    type Member = { appUserId: string; appUserName: string; joinedAt: string };
    const before = (
      await control<Member[]>(sandbox, 'GET', `/members?videoRoomId=${live.videoRoomId}`)
    ).json;
    expect(before).toHaveLength(20);
    const token = await memberToken(sandbox);
    const { client } = await RawStompClient.connect(token);
    await client.withReceipt('SUBSCRIBE', {
      id: 'room',
      destination: `/topic/chat/${live.channelKey}`,
    });
    const after = (
      await control<Member[]>(sandbox, 'GET', `/members?videoRoomId=${live.videoRoomId}`)
    ).json;
    expect(after.map((member) => member.appUserId)).toEqual([
      ...before.map((member) => member.appUserId),
      token.userId,
    ]);
    await client.withReceipt('UNSUBSCRIBE', { id: 'room' });
    expect(
      (await control<Member[]>(sandbox, 'GET', `/members?videoRoomId=${live.videoRoomId}`)).json,
    ).toEqual(before);
    expect((await control(sandbox, 'GET', '/members')).status).toBe(400);
  });

  it('logs every MESSAGE frame per connection, across a reconnect, exactly as the client got them', async () => {
    const sandbox = await useSandbox({ ratePerRoom: 0 });
    const { live } = await seededRooms(sandbox);
    const token = await memberToken(sandbox);
    const destination = `/topic/chat/${live.channelKey}`;

    const { client: first } = await RawStompClient.connect(token);
    await first.withReceipt('SUBSCRIBE', { id: 'a', destination });
    await control(sandbox, 'PUT', `/rooms/${live.videoRoomId}/rate`, { perSecond: 500 });
    const firstFrames = await first.messages('a', 50);
    await control(sandbox, 'POST', '/faults', { dropConnections: true });
    await first.closed;
    const { client: second } = await RawStompClient.connect(await memberToken(sandbox));
    await second.withReceipt('SUBSCRIBE', { id: 'b', destination });
    await second.messages('b', 50);
    await control(sandbox, 'PUT', `/rooms/${live.videoRoomId}/rate`, { perSecond: 0 });
    second.send(frameText('DISCONNECT', { receipt: 'done' }));
    await second.next((frame) => frame.command === 'RECEIPT');
    await second.closed;

    type Connection = {
      id: string;
      userId: string;
      open: boolean;
      delivered: number;
      subscriptions: unknown[];
      connectedAt: string;
      closedAt: string | null;
    };
    const connections = (await control<Connection[]>(sandbox, 'GET', '/connections')).json;
    expect(connections).toHaveLength(2);
    expect(connections[0]).toMatchObject({
      userId: token.userId,
      open: false,
      closedAt: expect.any(String) as string,
    });
    const logs = await Promise.all(
      connections.map(
        async (connection) =>
          (
            await control<{ subscription: string; destination: string; messageId: string }[]>(
              sandbox,
              'GET',
              `/connections/${connection.id}/deliveries`,
            )
          ).json,
      ),
    );
    const idsOf = (client: RawStompClient) =>
      client.received
        .filter((frame) => frame.command === 'MESSAGE')
        .map((frame) => frame.headers['message-id']);
    // The second connection ended cleanly: its log is exactly what its client read, in order.
    expect(logs[1]?.map((entry) => entry.messageId)).toEqual(idsOf(second));
    expect(
      logs[1]?.every((entry) => entry.subscription === 'b' && entry.destination === destination),
    ).toBe(true);
    expect(logs[1]).toHaveLength(connections[1]?.delivered ?? -1);
    // The first was dropped: frames still in flight died with it, so its client read a prefix.
    const firstIds = idsOf(first);
    expect(firstIds.length).toBeGreaterThanOrEqual(50);
    expect(logs[0]?.slice(0, firstIds.length).map((entry) => entry.messageId)).toEqual(firstIds);
    expect(logs[0]).toHaveLength(connections[0]?.delivered ?? -1);
    expect(firstFrames).toHaveLength(50);
    expect((await control(sandbox, 'GET', '/connections/c999/deliveries')).status).toBe(404);
  });

  it('logs each REST request with the time it arrived, before an injected latency, and forgets them on reset', async () => {
    const sandbox = await useSandbox({ ratePerRoom: 0 });
    const { live } = await seededRooms(sandbox);
    const { messageId } = (
      await control<{ messageId: string }>(sandbox, 'POST', `/rooms/${live.videoRoomId}/messages`, {
        userId: 'chatter1',
        message: 'hello',
      })
    ).json;
    await control(sandbox, 'POST', '/faults', { latencyMs: 80 });
    const path = `/v2/apps/me/video-rooms/${live.videoRoomId}/chat-room/messages/${messageId}/hide`;
    const before = performance.timeOrigin + performance.now();
    expect((await rest(sandbox, 'POST', path)).status).toBe(204);
    const after = performance.timeOrigin + performance.now();

    type Log = { now: number; requests: { method: string; path: string; receivedAt: number }[] };
    const log = (await control<Log>(sandbox, 'GET', '/requests')).json;
    // Control calls (the message above, the fault, this read) are not emulated REST requests.
    expect(log.requests.map((entry) => `${entry.method} ${entry.path}`)).toEqual([`POST ${path}`]);
    const hide = log.requests[0]!;
    expect(hide.receivedAt).toBeGreaterThanOrEqual(before - 1);
    // It arrived before the 80 ms of latency the answer waited for.
    expect(hide.receivedAt).toBeLessThanOrEqual(after - 70);
    expect(log.now).toBeGreaterThanOrEqual(after - 1);

    await control(sandbox, 'POST', '/reset');
    expect((await control<Log>(sandbox, 'GET', '/requests')).json.requests).toEqual([]);
  });

  it('hands out the chat server address it is told to with every chat token, until told otherwise', async () => {
    const sandbox = await useSandbox({ ratePerRoom: 0 });
    const own = (await memberToken(sandbox)).chatServerWebSocketUrl;
    const odd = 'ws://user:password@chat.example.invalid/gossip';
    expect(await control(sandbox, 'PUT', '/chat-server-url', { url: odd })).toEqual({
      status: 200,
      json: { url: odd },
    });
    expect((await memberToken(sandbox)).chatServerWebSocketUrl).toBe(odd);
    expect((await guestToken(sandbox)).chatServerWebSocketUrl).toBe(odd);
    expect((await control(sandbox, 'PUT', '/chat-server-url', { url: '' })).status).toBe(200);
    expect((await memberToken(sandbox)).chatServerWebSocketUrl).toBe('');
    expect((await control(sandbox, 'PUT', '/chat-server-url', { url: 42 })).status).toBe(400);
    expect((await control(sandbox, 'PUT', '/chat-server-url', {})).status).toBe(400);

    expect(await control(sandbox, 'PUT', '/chat-server-url', { url: null })).toEqual({
      status: 200,
      json: { url: own },
    });
    expect((await memberToken(sandbox)).chatServerWebSocketUrl).toBe(own);
    await control(sandbox, 'PUT', '/chat-server-url', { url: odd });
    await control(sandbox, 'POST', '/reset');
    expect((await memberToken(sandbox)).chatServerWebSocketUrl).toBe(own);
  });
});
