/**
 * A real STOMP library (@stomp/stompjs over `ws`) against the sandbox's Gossip server, using the
 * documented CONNECT headers, destinations and message model (api-facts §1.7).
 */
import { describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import type { Sandbox } from '../../../src/sandbox/index';
import {
  activate,
  bodyOf,
  control,
  Inbox,
  memberToken,
  rest,
  seededRooms,
  stompClient,
  useSandbox,
} from './support';

/**
 * Publishes a marker on the room topic and waits for it: everything published before it has
 * been delivered by then, so a test can check what did not arrive without waiting on a clock.
 */
async function barrier(sandbox: Sandbox, videoRoomId: string, inbox: Inbox): Promise<void> {
  const marker = `barrier-${Math.random()}`;
  await control(sandbox, 'POST', `/rooms/${videoRoomId}/messages`, {
    userId: 'barrier',
    message: marker,
  });
  await inbox.next((message) => bodyOf(message)['message'] === marker);
}

describe('Gossip with @stomp/stompjs', () => {
  it('connects with token, appid, userid and username and negotiates STOMP 1.2 over v12.stomp', async () => {
    const sandbox = await useSandbox({ ratePerRoom: 0 });
    const token = await memberToken(sandbox);
    expect(token.chatServerWebSocketUrl).toBe(
      `${sandbox.flipflop.baseUrl.replace('http:', 'ws:')}/gossip`,
    );
    const client = stompClient(token);
    const connected = await activate(client);
    expect(connected.headers['version']).toBe('1.2');
    expect(connected.headers['heart-beat']).toBe('25000,25000');
    // stompjs types its socket without `protocol`; the factory made a `ws` WebSocket.
    expect((client.webSocket as unknown as WebSocket).protocol).toBe('v12.stomp');
  });

  it('receives the room topic in the documented snake_case model, including its own message', async () => {
    const sandbox = await useSandbox({ ratePerRoom: 0 });
    const { live } = await seededRooms(sandbox);
    const token = await memberToken(sandbox);
    const client = stompClient(token);
    await activate(client);
    const inbox = new Inbox();
    client.subscribe(`/topic/chat/${live.channelKey}`, inbox.handler);

    const join = await inbox.next();
    expect(bodyOf(join)).toMatchObject({
      channel_key: live.channelKey,
      message_type: 'JOIN',
      user: { id: token.userId, username: token.userName },
    });
    expect(typeof bodyOf(join)['total_user_count']).toBe('number');
    expect(typeof bodyOf(join)['participant_count']).toBe('number');

    client.publish({
      destination: '/app/chat',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        channel_key: live.channelKey,
        user: { id: token.userId, username: token.userName },
        message_type: 'MESSAGE',
        message: 'hello from stompjs',
        custom_type: 'MSG',
      }),
    });
    const received = await inbox.next((message) => bodyOf(message)['message_type'] === 'MESSAGE');
    const body = bodyOf(received);
    expect(body).toMatchObject({
      channel_key: live.channelKey,
      user: { id: token.userId, username: token.userName },
      message_type: 'MESSAGE',
      message: 'hello from stompjs',
      custom_type: 'MSG',
      data: '',
    });
    expect(body['message_id']).toMatch(/^\d{19}$/);
    expect(body['created_at']).toMatch(/^\d{10}$/);
    expect(received.headers['message-id']).toBe(body['message_id']);
    expect(received.headers['content-type']).toBe('application/json');
    expect(Number(received.headers['content-length'])).toBe(Buffer.byteLength(received.body));
    expect(body).not.toHaveProperty('total_user_count');

    // The 19-digit id from the socket reads the same message over REST, without losing a digit.
    const fetched = await rest(
      sandbox,
      'GET',
      `/v2/apps/me/video-rooms/${live.videoRoomId}/chat-room/messages/${String(body['message_id'])}`,
    );
    expect(fetched.status).toBe(200);
    expect(fetched.json).toMatchObject({
      messageId: body['message_id'],
      message: 'hello from stompjs',
    });
  });

  it('emits camelCase bodies with a numeric createdAt in milliseconds when asked', async () => {
    const sandbox = await useSandbox({ ratePerRoom: 0, casing: 'camel' });
    const { live } = await seededRooms(sandbox);
    const token = await memberToken(sandbox);
    const client = stompClient(token);
    await activate(client);
    const inbox = new Inbox();
    client.subscribe(`/topic/chat/${live.channelKey}`, inbox.handler);
    await inbox.next((message) => bodyOf(message)['messageType'] === 'JOIN');
    // Inbound camelCase is accepted too (api-facts §1.10).
    client.publish({
      destination: '/app/chat',
      body: JSON.stringify({
        channelKey: live.channelKey,
        user: { id: token.userId },
        messageType: 'MESSAGE',
        message: 'camel',
      }),
    });
    const body = bodyOf(
      await inbox.next((message) => bodyOf(message)['messageType'] === 'MESSAGE'),
    );
    expect(body).toMatchObject({
      channelKey: live.channelKey,
      messageType: 'MESSAGE',
      message: 'camel',
    });
    expect(body['messageId']).toMatch(/^\d{19}$/);
    expect(typeof body['createdAt']).toBe('number');
    expect(body['createdAt'] as number).toBeGreaterThan(1e12);
    expect(body).not.toHaveProperty('message_id');
  });

  it('sends a direct message to /app/dm with a receiver header, delivered on the receiver topic only', async () => {
    const sandbox = await useSandbox({ ratePerRoom: 0 });
    const { live } = await seededRooms(sandbox);
    const members = (
      await control<{ appUserId: string }[]>(
        sandbox,
        'GET',
        `/members?videoRoomId=${live.videoRoomId}`,
      )
    ).json;
    const chatterId = members[0]?.appUserId ?? '';
    const moderatorToken = await memberToken(sandbox);
    const chatterToken = await memberToken(sandbox, chatterId);

    const moderator = stompClient(moderatorToken);
    await activate(moderator);
    const moderatorDirect = new Inbox();
    const moderatorRoom = new Inbox();
    moderator.subscribe(
      `/topic/dm/${live.channelKey}/user/${moderatorToken.userId}`,
      moderatorDirect.handler,
    );
    moderator.subscribe(`/topic/chat/${live.channelKey}`, moderatorRoom.handler);

    const chatter = stompClient(chatterToken);
    await activate(chatter);
    const chatterDirect = new Inbox();
    chatter.subscribe(`/topic/dm/${live.channelKey}/user/${chatterId}`, chatterDirect.handler);

    const receipt = `dm-${Date.now()}`;
    const sent = new Promise<void>((resolve) => chatter.watchForReceipt(receipt, () => resolve()));
    chatter.publish({
      destination: '/app/dm',
      headers: { receiver: moderatorToken.userId, receipt },
      body: JSON.stringify({
        channel_key: live.channelKey,
        user: { id: chatterId },
        message_type: 'DM',
        message: 'psst, mod',
      }),
    });
    await sent;
    const direct = bodyOf(await moderatorDirect.next());
    expect(direct).toMatchObject({
      message_type: 'DM',
      message: 'psst, mod',
      user: { id: chatterId },
    });
    // Not on the room topic, and not to the sender.
    await barrier(sandbox, live.videoRoomId, moderatorRoom);
    const state = await control<{ receiverAppUserIds: string[] }>(
      sandbox,
      'GET',
      `/rooms/${live.videoRoomId}/messages/${String(direct['message_id'])}`,
    );
    expect(state.json.receiverAppUserIds).toEqual([moderatorToken.userId]);
    expect(moderatorRoom.messages.map((message) => bodyOf(message)['message_type'])).not.toContain(
      'DM',
    );
    expect(chatterDirect.messages).toHaveLength(0);
  });

  it('delivers admin broadcasts on the room topic and admin direct messages on the DM topics', async () => {
    const sandbox = await useSandbox({ ratePerRoom: 0 });
    const { live } = await seededRooms(sandbox);
    const token = await memberToken(sandbox);
    const client = stompClient(token);
    await activate(client);
    const room = new Inbox();
    const direct = new Inbox();
    client.subscribe(`/topic/chat/${live.channelKey}`, room.handler);
    client.subscribe(`/topic/dm/${live.channelKey}/user/${token.userId}`, direct.handler);
    await room.next((message) => bodyOf(message)['message_type'] === 'JOIN');

    const base = `/v2/apps/me/video-rooms/${live.videoRoomId}/chat-room/admin/messages`;
    const broadcast = await rest(sandbox, 'POST', `${base}/broadcast`, {
      messageType: 'MESSAGE',
      customType: 'NOTICE',
      message: 'Be kind',
      data: { level: 'info' },
    });
    expect(broadcast.status).toBe(201);
    const announced = bodyOf(
      await room.next((message) => bodyOf(message)['message'] === 'Be kind'),
    );
    expect(announced).toMatchObject({
      message_type: 'MESSAGE',
      custom_type: 'NOTICE',
      data: { level: 'info' },
      message_id: (broadcast.json as { messageId: string }).messageId,
    });

    const dm = await rest(sandbox, 'POST', `${base}/direct`, {
      messageType: 'DM',
      customType: 'DM',
      message: 'Just for you',
      appUserIds: [token.userId],
    });
    expect(dm.status).toBe(201);
    expect(bodyOf(await direct.next())).toMatchObject({
      message_type: 'DM',
      message: 'Just for you',
    });

    // A broadcast with receivers goes to their DM topics, not to the room.
    await rest(sandbox, 'POST', `${base}/broadcast`, {
      messageType: 'COMMAND',
      customType: 'WARNING',
      message: 'targeted',
      appUserIds: [token.userId],
    });
    expect(bodyOf(await direct.next())).toMatchObject({
      message_type: 'COMMAND',
      message: 'targeted',
    });
    await barrier(sandbox, live.videoRoomId, room);
    expect(room.messages.map((message) => bodyOf(message)['message'])).not.toContain('targeted');
  });

  it("refuses a subscription to another user's DM topic with an ERROR frame", async () => {
    const sandbox = await useSandbox({ ratePerRoom: 0 });
    const { live } = await seededRooms(sandbox);
    const token = await memberToken(sandbox);
    const client = stompClient(token);
    await activate(client);
    const refused = new Promise<string>((resolve) => {
      client.onStompError = (frame) => resolve(frame.headers['message'] ?? '');
    });
    // Whichever comes first: the refusal, or a receipt that would mean it was allowed.
    const allowed = new Promise<string>((resolve) =>
      client.watchForReceipt('allowed', () => resolve('allowed')),
    );
    client.subscribe(`/topic/dm/${live.channelKey}/user/someoneElse`, () => undefined, {
      receipt: 'allowed',
    });
    expect(await Promise.race([refused, allowed])).toMatch(/own direct messages/);
  });
});
