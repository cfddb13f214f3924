import { describe, expect, it } from 'vitest';
import { defaultHttpDeps, type HttpDeps } from '../../../src/main/providers/http';
import { FlipFlopRest } from '../../../src/main/providers/flipflop/rest';
import { createFlipFlopAccount } from '../../../src/main/providers/flipflop/account';
import { systemClock } from '../../../src/main/clock';
import { Redactor } from '../../../src/main/services/accounts/redactor';
import type { Sandbox } from '../../../src/sandbox';
import { countingSend } from '../../support/http';
import { useLoopbackServer } from '../../support/loopbackServer';
import { control, useSandbox } from '../../support/sandbox';

/** A client of the service at `baseUrl`, retrying three times with short waits. */
function restAt(baseUrl: string, appApiKey: string, secret: string, http: Partial<HttpDeps> = {}) {
  return new FlipFlopRest({
    baseUrl,
    appApiKey,
    secret: () => Promise.resolve(secret),
    http: defaultHttpDeps({ retry: { attempts: 3, baseDelayMs: 5, maxDelayMs: 20 }, ...http }),
    redactor: new Redactor(),
    tokenSlot: 'tokens',
  });
}

function client(
  sandbox: Sandbox,
  http: Partial<HttpDeps> = {},
  secret = sandbox.flipflop.appApiSecret,
) {
  return restAt(sandbox.flipflop.baseUrl, sandbox.flipflop.appApiKey, secret, http);
}

/**
 * A plain HTTP server on loopback that gives every request the same answer and counts the requests
 * that reach it: a proxy or a failing service in front of FlipFlop, with no `errorCode` body.
 */
async function useBareService(answer: { status: number; body: string; contentType?: string }) {
  const requests: string[] = [];
  const baseUrl = await useLoopbackServer((request, response) => {
    requests.push(`${request.method ?? '?'} ${request.url ?? '?'}`);
    request.resume();
    response.writeHead(
      answer.status,
      answer.contentType === undefined ? {} : { 'content-type': answer.contentType },
    );
    response.end(answer.body);
  });
  return { rest: restAt(baseUrl, 'app-key', 'app-secret'), requests };
}

describe('the FlipFlop REST client against the sandbox', () => {
  it('lists video rooms with their chat state, through the provider account', async () => {
    const sandbox = await useSandbox({ rooms: 3, ratePerRoom: 0 });
    const rest = client(sandbox);
    const account = createFlipFlopAccount({
      record: {
        id: 'acc_1',
        provider: 'flipflop',
        name: 'Sandbox',
        baseUrl: sandbox.flipflop.baseUrl,
        appApiKey: sandbox.flipflop.appApiKey,
      },
      rest,
      clock: systemClock,
      random: Math.random,
    });
    const rooms = await account.listRooms();
    // Newest first, as the picker shows them.
    expect(rooms[0]?.roomId).toBe('1004');
    const byId = [...rooms].sort((a, b) => a.roomId.localeCompare(b.roomId));
    expect(byId.map((room) => [room.roomId, room.chat, room.state])).toEqual([
      ['1001', 'open', 'LIVE'],
      ['1002', 'open', 'LIVE'],
      ['1003', 'open', 'LIVE'],
      ['1004', 'none', 'SCHEDULED'],
    ]);
    const resolved = await account.resolveRoom('1001');
    expect(resolved.chatOpen).toBe(true);
    expect(resolved.channel).toBe((await control(sandbox).rooms())[0]?.channelKey);
  });

  it('creates, reads and closes a chat room, with the documented errors', async () => {
    const sandbox = await useSandbox({ rooms: 1, ratePerRoom: 0 });
    const rest = client(sandbox);
    await expect(rest.getChatRoom('1002')).rejects.toMatchObject({
      code: 'CHAT_ROOM_NOT_FOUND',
      status: 404,
    });
    const created = await rest.createChatRoom('1002');
    expect(created).toMatchObject({ closed: false, totalChatMessageCount: 0 });
    await expect(rest.createChatRoom('1002')).rejects.toMatchObject({
      code: 'CHAT_ROOM_ALREADY_EXISTS',
      status: 400,
    });
    expect((await rest.closeChatRoom('1002')).closed).toBe(true);
    expect((await rest.getChatRoom('1002')).closed).toBe(true);
    await expect(rest.getChatRoom('9999')).rejects.toMatchObject({
      code: 'VIDEO_ROOM_NOT_FOUND',
      status: 404,
    });
  });

  it('pages through members with the cursor until the end', async () => {
    const sandbox = await useSandbox({ rooms: 1, ratePerRoom: 0 });
    const account = createFlipFlopAccount({
      record: {
        id: 'acc_1',
        provider: 'flipflop',
        name: 'S',
        baseUrl: sandbox.flipflop.baseUrl,
        appApiKey: sandbox.flipflop.appApiKey,
      },
      rest: client(sandbox),
      clock: systemClock,
      random: Math.random,
    });
    const members = account.members;
    if (!members) throw new Error('FlipFlop accounts list members');
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 10; page += 1) {
      const answer = await members('1001', cursor, 6);
      seen.push(...answer.members.map((member) => member.id));
      if (answer.nextCursor === null) break;
      cursor = answer.nextCursor;
    }
    expect(seen).toHaveLength(20);
    expect(new Set(seen).size).toBe(20);
  });

  it('sends admin messages, reads a message and keeps its 19-digit id exact', async () => {
    const sandbox = await useSandbox({ rooms: 1, ratePerRoom: 0, restMessageIds: 'number' });
    const rest = client(sandbox);
    const messageId = await rest.broadcast('1001', {
      messageType: 'MESSAGE',
      customType: 'NOTICE',
      message: 'Welcome!',
      data: { level: 1 },
    });
    expect(messageId).toMatch(/^\d{19}$/);
    const read = await rest.getMessage('1001', messageId);
    expect(read).toMatchObject({
      messageId,
      messageType: 'MESSAGE',
      customType: 'NOTICE',
      message: 'Welcome!',
      data: { level: 1 },
    });
    const direct = await rest.direct('1001', {
      messageType: 'DM',
      message: 'hi',
      appUserIds: ['moderator1'],
    });
    expect((await rest.getMessage('1001', direct)).receiverAppUserIds).toEqual(['moderator1']);
    await expect(
      rest.direct('1001', { messageType: 'DM', message: 'hi', appUserIds: [] }),
    ).rejects.toMatchObject({
      code: 'EMPTY_CHAT_ROOM_APP_USER_IDS',
    });
  });

  it('hides, unhides and deletes a message, as the sandbox confirms', async () => {
    const sandbox = await useSandbox({ rooms: 1, ratePerRoom: 0 });
    const rest = client(sandbox);
    const api = control(sandbox);
    const { messageId } = await api.say('1001', {
      userId: 'someone',
      userName: 'Someone',
      message: 'hello',
    });
    await rest.hideMessage('1001', messageId);
    expect((await api.message('1001', messageId)).state).toBe('hidden');
    await rest.unhideMessage('1001', messageId);
    expect((await api.message('1001', messageId)).state).toBe('visible');
    await rest.deleteMessage('1001', messageId);
    expect((await api.message('1001', messageId)).state).toBe('deleted');
    await expect(rest.getMessage('1001', messageId)).rejects.toMatchObject({
      code: 'CHAT_ROOM_MESSAGE_NOT_FOUND',
      status: 404,
    });
  });

  it('gets member and guest chat tokens', async () => {
    const sandbox = await useSandbox({ rooms: 1, ratePerRoom: 0 });
    const rest = client(sandbox);
    const member = await rest.memberChatToken('moderator1');
    expect(member).toMatchObject({ userId: 'moderator1', appId: 'ffl-sandbox-1' });
    expect(member.chatServerWebSocketUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/gossip$/);
    const guest = await rest.guestChatToken('ModDeckGuest');
    expect(guest.userName).toBe('ModDeckGuest');
    await expect(rest.memberChatToken('nobody')).rejects.toMatchObject({
      code: 'MEMBER_NOT_FOUND',
    });
  });

  it('registers every chat token with the redactor, so a server quoting one is masked', async () => {
    const sandbox = await useSandbox({ rooms: 1, ratePerRoom: 0 });
    const redactor = new Redactor();
    const rest = new FlipFlopRest({
      baseUrl: sandbox.flipflop.baseUrl,
      appApiKey: sandbox.flipflop.appApiKey,
      secret: () => Promise.resolve(sandbox.flipflop.appApiSecret),
      http: defaultHttpDeps(),
      redactor,
      tokenSlot: 'tokens',
    });
    const member = await rest.memberChatToken('moderator1');
    const guest = await rest.guestChatToken();
    expect(redactor.redact(`invalid ${member.chatToken} or ${guest.chatToken}`)).toBe(
      'invalid [redacted] or [redacted]',
    );
  });

  it('keeps the redactor to the two newest chat tokens however many are issued, both masked', async () => {
    const sandbox = await useSandbox({ rooms: 1, ratePerRoom: 0 });
    const redactor = new Redactor();
    const rest = new FlipFlopRest({
      baseUrl: sandbox.flipflop.baseUrl,
      appApiKey: sandbox.flipflop.appApiKey,
      secret: () => Promise.resolve(sandbox.flipflop.appApiSecret),
      http: defaultHttpDeps(),
      redactor,
      tokenSlot: 'acc_1/chat-token',
    });
    const tokens: string[] = [];
    for (let issued = 0; issued < 1000; issued += 1) {
      tokens.push((await rest.memberChatToken('moderator1')).chatToken);
    }
    expect(new Set(tokens).size).toBe(1000);
    const [previous, newest] = tokens.slice(-2);
    expect(redactor.redact(`invalid ${newest} after ${previous}`)).toBe(
      'invalid [redacted] after [redacted]',
    );
    // The app secret, its Basic value and the two newest tokens, each also URL-encoded where that
    // differs.
    expect(redactor.size).toBeLessThanOrEqual(4 * 2);
  });

  it('sets and unsets the app banned words', async () => {
    const sandbox = await useSandbox({ rooms: 1, ratePerRoom: 0 });
    const rest = client(sandbox);
    await rest.setBannedWords(['scam', '도박']);
    expect((await control(sandbox).get<{ words: string[] }>('/banned-words')).words.sort()).toEqual(
      ['scam', '도박'].sort(),
    );
    await rest.unsetBannedWords(['scam']);
    expect((await control(sandbox).get<{ words: string[] }>('/banned-words')).words).toEqual([
      '도박',
    ]);
  });

  it("passes the provider's errorCode through for rejected credentials", async () => {
    const sandbox = await useSandbox({ rooms: 1, ratePerRoom: 0 });
    await expect(client(sandbox, {}, 'wrong-secret').getChatRoom('1001')).rejects.toMatchObject({
      code: 'INVALID_APP_CREDENTIALS',
      status: 401,
    });
  });

  it('retries an idempotent call after an injected 503, and succeeds once the fault clears', async () => {
    const sandbox = await useSandbox({ rooms: 1, ratePerRoom: 0 });
    const api = control(sandbox);
    await api.faults({ restFailure: { rate: 1, status: 503 } });
    const counted = countingSend();
    // The wait between tries is where the fault is lifted: try 1 fails, try 2 works.
    const rest = client(sandbox, {
      send: counted.send,
      sleep: () => api.clearFaults().then(() => undefined),
    });
    const room = await rest.getChatRoom('1001');
    expect(room.closed).toBe(false);
    expect(counted.calls).toHaveLength(2);
  });

  it('gives up after three tries of a call that keeps failing with 503', async () => {
    const sandbox = await useSandbox({ rooms: 1, ratePerRoom: 0 });
    await control(sandbox).faults({ restFailure: { rate: 1, status: 503 } });
    const counted = countingSend();
    await expect(
      client(sandbox, { send: counted.send }).hideMessage('1001', '1'),
    ).rejects.toMatchObject({ status: 503 });
    expect(counted.calls).toHaveLength(3);
  });

  it('never retries a 404, nor a broadcast or a direct message', async () => {
    const sandbox = await useSandbox({ rooms: 1, ratePerRoom: 0 });
    const counted = countingSend();
    const rest = client(sandbox, { send: counted.send });
    await expect(rest.getMessage('1001', '1679786302000000000')).rejects.toMatchObject({
      code: 'CHAT_ROOM_MESSAGE_NOT_FOUND',
    });
    expect(counted.calls).toHaveLength(1);

    await control(sandbox).faults({ restFailure: { rate: 1, status: 500 } });
    await expect(
      rest.broadcast('1001', { messageType: 'MESSAGE', message: 'once' }),
    ).rejects.toMatchObject({ status: 500 });
    await expect(
      rest.direct('1001', { messageType: 'DM', message: 'once', appUserIds: ['moderator1'] }),
    ).rejects.toMatchObject({ status: 500 });
    expect(counted.calls).toHaveLength(3);
  });

  it('reports TIMEOUT when the service is slower than the deadline', async () => {
    const sandbox = await useSandbox({ rooms: 1, ratePerRoom: 0 });
    await control(sandbox).faults({ latencyMs: 1000 });
    await expect(
      client(sandbox, {
        timeoutMs: 100,
        retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
      }).getChatRoom('1001'),
    ).rejects.toMatchObject({
      code: 'TIMEOUT',
    });
  });

  it('reports NETWORK when nothing listens', async () => {
    const sandbox = await useSandbox({ rooms: 1, ratePerRoom: 0 });
    const baseUrl = sandbox.flipflop.baseUrl;
    await sandbox.close();
    const rest = new FlipFlopRest({
      baseUrl,
      appApiKey: 'k',
      secret: () => Promise.resolve('s'),
      http: defaultHttpDeps({ retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 } }),
      redactor: new Redactor(),
      tokenSlot: 'tokens',
    });
    await expect(rest.getChatRoom('1001')).rejects.toMatchObject({ code: 'NETWORK' });
  });
});

describe('the FlipFlop REST client when an answer has no errorCode', () => {
  it.each([
    [401, ''],
    [403, '<html><body>Forbidden</body></html>'],
  ])('reports a bare %i as AUTH, and does not retry it', async (status, body) => {
    const { rest, requests } = await useBareService({ status, body, contentType: 'text/html' });
    await expect(rest.getChatRoom('1001')).rejects.toMatchObject({
      code: 'AUTH',
      status,
      message: 'The service refused the app API key or secret.',
    });
    expect(requests).toEqual(['GET /v2/apps/me/video-rooms/1001/chat-room']);
  });

  it.each([
    [500, ''],
    [502, '<html><body>Bad Gateway</body></html>'],
  ])(
    'reports a bare %i as SERVER after three tries of an idempotent call',
    async (status, body) => {
      const { rest, requests } = await useBareService({ status, body, contentType: 'text/html' });
      await expect(rest.hideMessage('1001', '1679786302000000000')).rejects.toMatchObject({
        code: 'SERVER',
        status,
        message: `The service failed (HTTP ${status}).`,
      });
      expect(requests).toEqual(
        Array.from(
          { length: 3 },
          () => 'POST /v2/apps/me/video-rooms/1001/chat-room/messages/1679786302000000000/hide',
        ),
      );
    },
  );

  it('reports a bare 500 on a broadcast as SERVER after one try', async () => {
    const { rest, requests } = await useBareService({ status: 500, body: '' });
    await expect(
      rest.broadcast('1001', { messageType: 'MESSAGE', message: 'once' }),
    ).rejects.toMatchObject({ code: 'SERVER', status: 500 });
    expect(requests).toHaveLength(1);
  });

  it('reports a 200 whose body is not JSON as SERVER, and does not retry it', async () => {
    const { rest, requests } = await useBareService({
      status: 200,
      body: '<html><body>Welcome to the hotel Wi-Fi</body></html>',
      contentType: 'text/html',
    });
    await expect(rest.getChatRoom('1001')).rejects.toMatchObject({
      code: 'SERVER',
      status: 200,
      message: 'The service answered 200 with a body that is not JSON.',
    });
    expect(requests).toHaveLength(1);
  });

  it('reports a 200 whose JSON is not the documented shape as SERVER, naming what it lacks', async () => {
    const { rest, requests } = await useBareService({
      status: 200,
      body: '{"videoRoomId":1001}',
      contentType: 'application/json',
    });
    const failure = rest.getChatRoom('1001');
    await expect(failure).rejects.toMatchObject({ code: 'SERVER' });
    await expect(failure).rejects.toThrow(
      /^FlipFlop answered in a form ModDeck cannot read \(.*channelKey/,
    );
    expect(requests).toHaveLength(1);
  });
});
