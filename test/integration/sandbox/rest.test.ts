/**
 * The emulated FlipFlop REST API over real HTTP: every endpoint's success shape and every error
 * code the documents list (seeds/000_…, api-facts §1.1–1.5).
 */
import { describe, expect, it } from 'vitest';
import type { Sandbox } from '../../../src/sandbox/index';
import {
  basicAuth,
  control,
  guestToken,
  RawStompClient,
  rest,
  seededRooms,
  useSandbox,
  type HttpAnswer,
} from './support';

const CHAT_ROOM = (videoRoomId: string) => `/v2/apps/me/video-rooms/${videoRoomId}/chat-room`;

/** Connects `count` guests that subscribe to the room (which makes each a member); their ids. */
async function joinGuests(sandbox: Sandbox, channelKey: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const token = await guestToken(sandbox);
    const { client } = await RawStompClient.connect(token);
    await client.withReceipt('SUBSCRIBE', { id: 'room', destination: `/topic/chat/${channelKey}` });
    ids.push(token.userId);
  }
  return ids;
}

function expectError(answer: HttpAnswer, status: number, errorCode: string): void {
  expect(answer.status, answer.text).toBe(status);
  expect(answer.json).toMatchObject({ errorCode, errorMessage: expect.any(String) as string });
}

describe('FlipFlop REST: auth and malformed requests', () => {
  it('answers 401 EMPTY_APP_CREDENTIALS without Basic auth and INVALID_APP_CREDENTIALS when wrong', async () => {
    const sandbox = await useSandbox({ ratePerRoom: 0 });
    expectError(
      await rest(sandbox, 'GET', '/v2/apps/me/video-rooms', undefined, { authorization: null }),
      401,
      'EMPTY_APP_CREDENTIALS',
    );
    for (const authorization of [
      basicAuth(sandbox.flipflop.appApiKey, 'wrong'),
      basicAuth('wrong', sandbox.flipflop.appApiSecret),
      'Bearer something',
      'Basic !!!',
    ]) {
      expectError(
        await rest(sandbox, 'GET', '/v2/apps/me/video-rooms', undefined, { authorization }),
        401,
        'INVALID_APP_CREDENTIALS',
      );
    }
    // Auth comes before everything else, even on an unknown room.
    expectError(
      await rest(sandbox, 'POST', CHAT_ROOM('999999'), undefined, { authorization: null }),
      401,
      'EMPTY_APP_CREDENTIALS',
    );
  });

  it('answers 400 INVALID_HTTP_MESSAGE_BODY for malformed JSON and UNSUPPORTED_HTTP_METHOD for a wrong method', async () => {
    const sandbox = await useSandbox({ ratePerRoom: 0 });
    const { live } = await seededRooms(sandbox);
    for (const body of ['{"messageType": "MESSAGE",', '[1,2]', '"text"']) {
      expectError(
        await rest(
          sandbox,
          'POST',
          `${CHAT_ROOM(live.videoRoomId)}/admin/messages/broadcast`,
          body,
        ),
        400,
        'INVALID_HTTP_MESSAGE_BODY',
      );
    }
    expectError(
      await rest(sandbox, 'POST', '/v2/apps/me/banned-chat-words', '{words:'),
      400,
      'INVALID_HTTP_MESSAGE_BODY',
    );
    expectError(
      await rest(sandbox, 'PUT', CHAT_ROOM(live.videoRoomId)),
      400,
      'UNSUPPORTED_HTTP_METHOD',
    );
    expectError(await rest(sandbox, 'GET', '/v2/apps/me/nothing-here'), 404, 'NOT_FOUND');
  });
});

describe('FlipFlop REST: video rooms', () => {
  it('lists video rooms as a Spring page with the chat fields, and gets one', async () => {
    const sandbox = await useSandbox({ ratePerRoom: 0, rooms: 3 });
    const list = await rest(sandbox, 'GET', '/v2/apps/me/video-rooms');
    expect(list.status).toBe(200);
    const page = list.json as {
      content: {
        id: number;
        title: string;
        chat: Record<string, unknown>;
        videoRoomState: string;
      }[];
    } & Record<string, unknown>;
    expect(page).toMatchObject({
      totalElements: 4,
      totalPages: 1,
      numberOfElements: 4,
      number: 0,
      size: 20,
      first: true,
      last: true,
      empty: false,
      pageable: { offset: 0, pageNumber: 0, pageSize: 20, paged: true, unpaged: false },
      sort: { sorted: true },
    });
    const [first] = page.content;
    expect(first).toMatchObject({
      id: expect.any(Number) as number,
      state: 'ACTIVE',
      videoRoomState: 'LIVE',
      type: 'BROADCAST_RTMP',
      chat: {
        videoKey: String(first?.id),
        channelKey: expect.any(String) as string,
        created: true,
        closed: false,
      },
    });
    const scheduled = page.content.find((room) => room.chat['created'] === false);
    expect(scheduled?.videoRoomState).toBe('SCHEDULED');
    expect(scheduled?.chat['channelKey']).toEqual(expect.any(String));

    const paged = (await rest(sandbox, 'GET', '/v2/apps/me/video-rooms?page=1&pageSize=3')).json;
    expect(paged).toMatchObject({
      number: 1,
      size: 3,
      numberOfElements: 1,
      first: false,
      last: true,
      totalPages: 2,
    });
    const live = (await rest(sandbox, 'GET', '/v2/apps/me/video-rooms?videoRoomState=SCHEDULED'))
      .json;
    expect(live).toMatchObject({ totalElements: 1 });
    const descending = (
      await rest(sandbox, 'GET', '/v2/apps/me/video-rooms?sortBy=CREATED_AT_DESC')
    ).json as { content: { id: number }[] };
    expect(descending.content.map((room) => room.id)).toEqual(
      page.content.map((room) => room.id).reverse(),
    );
    expectError(
      await rest(sandbox, 'GET', '/v2/apps/me/video-rooms?sortBy=SIDEWAYS'),
      400,
      'INVALID_REQUEST_PARAMETER',
    );

    const one = await rest(sandbox, 'GET', `/v2/apps/me/video-rooms/${first?.id ?? ''}`);
    expect(one.json).toEqual(first);
    expectError(
      await rest(sandbox, 'GET', '/v2/apps/me/video-rooms/424242'),
      404,
      'VIDEO_ROOM_NOT_FOUND',
    );
  });
});

describe('FlipFlop REST: chat rooms', () => {
  it('creates a chat room (200), refuses a second one, gets and closes it', async () => {
    const sandbox = await useSandbox({ ratePerRoom: 0 });
    const { withoutChat, live } = await seededRooms(sandbox);
    expectError(
      await rest(sandbox, 'GET', CHAT_ROOM(withoutChat.videoRoomId)),
      404,
      'CHAT_ROOM_NOT_FOUND',
    );
    expectError(
      await rest(sandbox, 'POST', `${CHAT_ROOM(withoutChat.videoRoomId)}/close`),
      404,
      'CHAT_ROOM_NOT_FOUND',
    );

    const created = await rest(sandbox, 'POST', CHAT_ROOM(withoutChat.videoRoomId), '');
    expect(created.status).toBe(200);
    expect(created.json).toEqual({
      videoKey: withoutChat.videoRoomId,
      channelKey: withoutChat.channelKey,
      totalChatMessageCount: 0,
      totalChatMemberCount: 0,
      closed: false,
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/) as string,
    });
    expectError(
      await rest(sandbox, 'POST', CHAT_ROOM(withoutChat.videoRoomId)),
      400,
      'CHAT_ROOM_ALREADY_EXISTS',
    );
    expect((await rest(sandbox, 'GET', CHAT_ROOM(withoutChat.videoRoomId))).json).toEqual(
      created.json,
    );

    const seeded = (await rest(sandbox, 'GET', CHAT_ROOM(live.videoRoomId))).json;
    expect(seeded).toMatchObject({ totalChatMemberCount: 20, closed: false });

    const closed = await rest(sandbox, 'POST', `${CHAT_ROOM(live.videoRoomId)}/close`);
    expect(closed.status).toBe(200);
    expect(closed.json).toMatchObject({ closed: true, channelKey: live.channelKey });
    expect(
      (await rest(sandbox, 'GET', `/v2/apps/me/video-rooms/${live.videoRoomId}`)).json,
    ).toMatchObject({
      chat: { created: true, closed: true, closedAt: expect.any(String) as string },
    });
    // A closed room takes no admin messages.
    expectError(
      await rest(sandbox, 'POST', `${CHAT_ROOM(live.videoRoomId)}/admin/messages/broadcast`, {
        messageType: 'MESSAGE',
      }),
      400,
      'CHAT_ROOM_CLOSED',
    );

    for (const [method, path] of [
      ['POST', CHAT_ROOM('424242')],
      ['GET', CHAT_ROOM('424242')],
      ['POST', `${CHAT_ROOM('424242')}/close`],
      ['GET', `${CHAT_ROOM('424242')}/members`],
    ] as const) {
      expectError(await rest(sandbox, method, path), 404, 'VIDEO_ROOM_NOT_FOUND');
    }
  });

  it('pages members with cursor and count, defaulting to 0 and 20', async () => {
    const sandbox = await useSandbox({ ratePerRoom: 0 });
    const { live } = await seededRooms(sandbox);
    // The seed puts exactly 20 members in a room, which any default of 20 or more returns whole;
    // five guests more tell a default of 20 from a larger one.
    const guests = await joinGuests(sandbox, live.channelKey, 5);
    const everyone = (
      await control<{ appUserId: string }[]>(
        sandbox,
        'GET',
        `/members?videoRoomId=${live.videoRoomId}`,
      )
    ).json.map((member) => member.appUserId);
    expect(everyone).toHaveLength(25);
    expect(everyone.slice(20)).toEqual(guests);

    const members = (cursor?: number, count?: number) => {
      const query = new URLSearchParams();
      if (cursor !== undefined) query.set('cursor', String(cursor));
      if (count !== undefined) query.set('count', String(count));
      return rest(sandbox, 'GET', `${CHAT_ROOM(live.videoRoomId)}/members?${query.toString()}`);
    };
    type Page = { nextCursor: number; count: number; content: { appUserId: string }[] };
    const ids = (page: Page) => page.content.map((member) => member.appUserId);

    const first = (await members()).json as Page;
    expect(first.count).toBe(20);
    expect(ids(first)).toEqual(everyone.slice(0, 20));
    expect(first.nextCursor).toBe(20);
    expect(first.content[0]).toEqual({
      appUserId: expect.stringMatching(/^[A-Za-z0-9]+$/) as string,
      appUserName: expect.any(String) as string,
      appUserProfileImgUrl: expect.toBeOneOf([null, expect.stringMatching(/^http:\/\//)]) as string,
      joinedAt: expect.any(String) as string,
    });
    const second = (await members(first.nextCursor)).json as Page;
    expect(second.count).toBe(5);
    expect(ids(second)).toEqual(guests);
    expect((await members(second.nextCursor)).json).toEqual({
      nextCursor: second.nextCursor,
      count: 0,
      content: [],
    });

    const seen: string[] = [];
    let cursor = 0;
    for (;;) {
      const page = (await members(cursor, 7)).json as Page;
      seen.push(...ids(page));
      if (page.count === 0) break;
      expect(page.count).toBeLessThanOrEqual(7);
      cursor = page.nextCursor;
    }
    expect(seen).toEqual(everyone);
    expectError(
      await rest(sandbox, 'GET', `${CHAT_ROOM(live.videoRoomId)}/members?count=-1`),
      400,
      'INVALID_REQUEST_PARAMETER',
    );
  });
});

describe('FlipFlop REST: admin messages and message moderation', () => {
  it('broadcasts (201) and sends direct messages (201) with documented validation', async () => {
    const sandbox = await useSandbox({ ratePerRoom: 0 });
    const { live, withoutChat } = await seededRooms(sandbox);
    const base = `${CHAT_ROOM(live.videoRoomId)}/admin/messages`;
    const broadcast = await rest(sandbox, 'POST', `${base}/broadcast`, {
      messageType: 'MESSAGE',
      customType: 'MSG',
      message: 'Foo Message',
      data: { foo: 'bar', bar: 'foo' },
      appUserIds: [],
    });
    expect(broadcast.status).toBe(201);
    expect(broadcast.json).toEqual({
      videoKey: live.videoRoomId,
      channelKey: live.channelKey,
      messageId: expect.stringMatching(/^\d{19}$/) as string,
    });
    const direct = await rest(sandbox, 'POST', `${base}/direct`, {
      messageType: 'DM',
      customType: 'DM',
      message: 'Foo Message',
      appUserIds: ['1', '2'],
    });
    expect(direct.status).toBe(201);
    expect(direct.json).toEqual({
      videoKey: live.videoRoomId,
      channelKey: live.channelKey,
      messageId: expect.stringMatching(/^\d{19}$/) as string,
    });
    expect((direct.json as { messageId: string }).messageId).not.toBe(
      (broadcast.json as { messageId: string }).messageId,
    );

    expectError(
      await rest(sandbox, 'POST', `${base}/broadcast`, { message: 'no type' }),
      400,
      'EMPTY_CHAT_ROOM_MESSAGE_TYPE',
    );
    expectError(
      await rest(sandbox, 'POST', `${base}/direct`, { messageType: null, appUserIds: ['1'] }),
      400,
      'EMPTY_CHAT_ROOM_MESSAGE_TYPE',
    );
    expectError(
      await rest(sandbox, 'POST', `${base}/direct`, { messageType: 'DM' }),
      400,
      'EMPTY_CHAT_ROOM_APP_USER_IDS',
    );
    expectError(
      await rest(sandbox, 'POST', `${base}/direct`, { messageType: 'DM', appUserIds: [] }),
      400,
      'EMPTY_CHAT_ROOM_APP_USER_IDS',
    );
    // Enum values outside ChatRoomBroadcastMessageType / ChatRoomDirectMessageType cannot be read.
    expectError(
      await rest(sandbox, 'POST', `${base}/broadcast`, { messageType: 'DM' }),
      400,
      'INVALID_HTTP_MESSAGE_BODY',
    );
    expectError(
      await rest(sandbox, 'POST', `${base}/direct`, { messageType: 'MESSAGE', appUserIds: ['1'] }),
      400,
      'INVALID_HTTP_MESSAGE_BODY',
    );
    expectError(
      await rest(sandbox, 'POST', `${base}/broadcast`, { messageType: 'MESSAGE', data: 'text' }),
      400,
      'INVALID_HTTP_MESSAGE_BODY',
    );
    expectError(await rest(sandbox, 'POST', `${base}/broadcast`), 400, 'INVALID_HTTP_MESSAGE_BODY');
    expectError(
      await rest(sandbox, 'POST', `${CHAT_ROOM('424242')}/admin/messages/broadcast`, {
        messageType: 'MESSAGE',
      }),
      404,
      'VIDEO_ROOM_NOT_FOUND',
    );
    expectError(
      await rest(sandbox, 'POST', `${CHAT_ROOM('424242')}/admin/messages/direct`, {
        messageType: 'DM',
        appUserIds: ['1'],
      }),
      404,
      'VIDEO_ROOM_NOT_FOUND',
    );
    expectError(
      await rest(
        sandbox,
        'POST',
        `${CHAT_ROOM(withoutChat.videoRoomId)}/admin/messages/broadcast`,
        { messageType: 'MESSAGE' },
      ),
      404,
      'CHAT_ROOM_NOT_FOUND',
    );

    const log = (
      await control<{ kind: string; messageId: string; appUserIds: string[] }[]>(
        sandbox,
        'GET',
        `/rooms/${live.videoRoomId}/admin-messages`,
      )
    ).json;
    expect(log.map((item) => [item.kind, item.messageId, item.appUserIds])).toEqual([
      ['broadcast', (broadcast.json as { messageId: string }).messageId, []],
      ['direct', (direct.json as { messageId: string }).messageId, ['1', '2']],
    ]);
  });

  it('gets a message, hides, unhides and deletes it (204 each), then answers 404', async () => {
    const sandbox = await useSandbox({ ratePerRoom: 0 });
    const { live } = await seededRooms(sandbox);
    const sent = await rest(
      sandbox,
      'POST',
      `${CHAT_ROOM(live.videoRoomId)}/admin/messages/direct`,
      {
        messageType: 'COMMAND',
        customType: 'WARNING',
        message: 'foobar',
        data: { foo: 'bar' },
        appUserIds: ['1', '2'],
      },
    );
    const { messageId } = sent.json as { messageId: string };
    const path = `${CHAT_ROOM(live.videoRoomId)}/messages/${messageId}`;
    const got = await rest(sandbox, 'GET', path);
    expect(got.status).toBe(200);
    expect(got.json).toEqual({
      videoKey: live.videoRoomId,
      channelKey: live.channelKey,
      messageId,
      messageType: 'COMMAND',
      customType: 'WARNING',
      message: 'foobar',
      data: { foo: 'bar' },
      receiverAppUserIds: ['1', '2'],
      createdAt: expect.any(String) as string,
    });
    const state = async () =>
      (
        await control<{ state: string }>(
          sandbox,
          'GET',
          `/rooms/${live.videoRoomId}/messages/${messageId}`,
        )
      ).json.state;

    const hidden = await rest(sandbox, 'POST', `${path}/hide`);
    expect(hidden.status).toBe(204);
    expect(hidden.text).toBe('');
    expect(await state()).toBe('hidden');
    expect((await rest(sandbox, 'GET', path)).status).toBe(200);
    expect((await rest(sandbox, 'POST', `${path}/unhide`)).status).toBe(204);
    expect(await state()).toBe('visible');
    expect((await rest(sandbox, 'DELETE', path)).status).toBe(204);
    expect(await state()).toBe('deleted');

    for (const [method, suffix] of [
      ['GET', ''],
      ['DELETE', ''],
      ['POST', '/hide'],
      ['POST', '/unhide'],
    ] as const) {
      expectError(
        await rest(sandbox, method, `${path}${suffix}`),
        404,
        'CHAT_ROOM_MESSAGE_NOT_FOUND',
      );
      expectError(
        await rest(sandbox, method, `${CHAT_ROOM('424242')}/messages/${messageId}${suffix}`),
        404,
        'VIDEO_ROOM_NOT_FOUND',
      );
    }
  });

  it('keeps all 19 digits of a message id: a rounded id is another message', async () => {
    const sandbox = await useSandbox({ ratePerRoom: 0 });
    const { live } = await seededRooms(sandbox);
    // Ids near 1.7e18 are 256 apart as doubles: one in 256 survives rounding unchanged, and
    // proves nothing here. Send until the id is one that rounding changes into an id no message
    // has (an earlier id of this loop that survived rounding is one it may round to).
    const sent = new Set<string>();
    let messageId: string;
    let rounded: string;
    do {
      const answer = await rest(
        sandbox,
        'POST',
        `${CHAT_ROOM(live.videoRoomId)}/admin/messages/broadcast`,
        { messageType: 'MESSAGE', message: 'exact' },
      );
      messageId = (answer.json as { messageId: string }).messageId;
      sent.add(messageId);
      rounded = BigInt(Number(messageId)).toString();
    } while (sent.has(rounded));
    expect(
      (await rest(sandbox, 'GET', `${CHAT_ROOM(live.videoRoomId)}/messages/${messageId}`)).status,
    ).toBe(200);
    expectError(
      await rest(sandbox, 'GET', `${CHAT_ROOM(live.videoRoomId)}/messages/${rounded}`),
      404,
      'CHAT_ROOM_MESSAGE_NOT_FOUND',
    );
    expectError(
      await rest(sandbox, 'GET', `${CHAT_ROOM(live.videoRoomId)}/messages/not-a-number`),
      404,
      'CHAT_ROOM_MESSAGE_NOT_FOUND',
    );
  });

  it('writes messageId as a bare JSON number when restMessageIds is "number"', async () => {
    const sandbox = await useSandbox({ ratePerRoom: 0, restMessageIds: 'number' });
    const { live } = await seededRooms(sandbox);
    const sent = await rest(
      sandbox,
      'POST',
      `${CHAT_ROOM(live.videoRoomId)}/admin/messages/broadcast`,
      { messageType: 'MESSAGE', message: 'long' },
    );
    const digits = /"messageId":(\d{19})[,}]/.exec(sent.text)?.[1];
    expect(digits).toMatch(/^\d{19}$/);
    const got = await rest(
      sandbox,
      'GET',
      `${CHAT_ROOM(live.videoRoomId)}/messages/${digits ?? ''}`,
    );
    expect(got.text).toContain(`"messageId":${digits ?? ''}`);
  });
});

describe('FlipFlop REST: chat tokens and banned words', () => {
  it('issues member chat tokens, and 404 MEMBER_NOT_FOUND for strangers', async () => {
    const sandbox = await useSandbox({ ratePerRoom: 0 });
    const { moderator } = sandbox.flipflop;
    const answer = await rest(
      sandbox,
      'POST',
      `/v2/apps/me/members/${moderator.appUserId}/chat-tokens`,
      '',
    );
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({
      chatServerWebSocketUrl: expect.stringMatching(/^ws:\/\/127\.0\.0\.1:\d+\/gossip$/) as string,
      chatToken: expect.any(String) as string,
      appId: expect.any(String) as string,
      userId: moderator.appUserId,
      userName: moderator.appUserName,
      avatarProfileUrl: null,
    });
    expectError(
      await rest(sandbox, 'POST', '/v2/apps/me/members/nobody/chat-tokens'),
      404,
      'MEMBER_NOT_FOUND',
    );
    const tokens = (await control<{ userId: string; kind: string }[]>(sandbox, 'GET', '/tokens'))
      .json;
    expect(tokens).toEqual([
      expect.objectContaining({ userId: moderator.appUserId, kind: 'member' }),
    ]);
  });

  it('issues guest chat tokens with generated or given ids, and refuses non-alphanumeric ids', async () => {
    const sandbox = await useSandbox({ ratePerRoom: 0 });
    const generated = await guestToken(sandbox, '');
    expect(generated).toMatchObject({
      chatServerWebSocketUrl: expect.stringMatching(/^ws:\/\/127\.0\.0\.1:\d+\/gossip$/) as string,
      chatToken: expect.stringMatching(/\S{16}/) as string,
      appId: expect.stringMatching(/\S/) as string,
    });
    expect(generated.userId).toMatch(/^[A-Za-z0-9]{27}$/);
    expect(generated.userName).toMatch(/^GUEST_[0-9a-f-]{36}$/);
    expect(generated.avatarProfileUrl).toBeNull();
    const named = await guestToken(sandbox, {
      appUserId: 'guest42',
      appUserName: 'Visitor',
      appUserProfileImgUrl: 'https://img.example/1.png',
    });
    expect(named.chatToken).not.toBe(generated.chatToken);
    expect(named).toMatchObject({
      userId: 'guest42',
      userName: 'Visitor',
      avatarProfileUrl: 'https://img.example/1.png',
    });
    expectError(
      await rest(sandbox, 'POST', '/v2/apps/me/members/guest-chat-tokens', {
        appUserId: 'not ok!',
      }),
      400,
      'INVALID_APP_USER_ID_FORMAT',
    );
    expectError(
      await rest(sandbox, 'POST', '/v2/apps/me/members/guest-chat-tokens', '{"appUserId":'),
      400,
      'INVALID_HTTP_MESSAGE_BODY',
    );
    const kinds = (await control<{ kind: string }[]>(sandbox, 'GET', '/tokens')).json.map(
      (token) => token.kind,
    );
    expect(kinds).toEqual(['guest', 'guest']);
  });

  it('sets banned words app-wide (204), refuses an empty list, and unsets a comma list', async () => {
    const sandbox = await useSandbox({ ratePerRoom: 0 });
    const words = async () =>
      (await control<{ words: string[] }>(sandbox, 'GET', '/banned-words')).json.words;
    expect(await words()).toEqual([]);
    const set = await rest(sandbox, 'POST', '/v2/apps/me/banned-chat-words', {
      words: ['foo', 'bar', '바보'],
    });
    expect(set.status).toBe(204);
    expect(await words()).toEqual(['foo', 'bar', '바보']);
    expectError(
      await rest(sandbox, 'POST', '/v2/apps/me/banned-chat-words', { words: [] }),
      400,
      'EMPTY_CHAT_ROOM_WORDS',
    );
    expectError(
      await rest(sandbox, 'POST', '/v2/apps/me/banned-chat-words', {}),
      400,
      'EMPTY_CHAT_ROOM_WORDS',
    );
    const unset = await rest(
      sandbox,
      'POST',
      `/v2/apps/me/banned-chat-words/${encodeURIComponent('foo,바보')}`,
    );
    expect(unset.status).toBe(204);
    expect(await words()).toEqual(['bar']);
    expect((await rest(sandbox, 'DELETE', '/v2/apps/me/banned-chat-words/bar')).status).toBe(204);
    expect(await words()).toEqual([]);
  });
});
