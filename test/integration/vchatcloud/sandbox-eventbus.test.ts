/**
 * The emulated event-bus bridge at `/eventbus/websocket` with a bare `ws` client: joining with
 * history, sending, whispering, the client list, every refusal code, the pushes that follow an
 * exile or a mute over REST, and pings that are never answered.
 */
import { describe, expect, it } from 'vitest';
import { useSandbox } from '../../support/sandbox';
import { BusClient, bodyOf, issueToken, vcontrol, vrest, type BusFrame } from './support';
import type { SandboxOptions } from '../../support/sandbox';

async function setup(options: SandboxOptions = {}) {
  const sandbox = await useSandbox({ ratePerRoom: 0, ...options });
  const api = vcontrol(sandbox);
  const { open, paused } = await api.seeded();
  const connect = () => BusClient.open(sandbox.vchatcloud.eventbusUrl);
  const token = await issueToken(sandbox);
  const rest = (method: string, path: string) => vrest(sandbox, method, path, { token });
  return { sandbox, api, open, paused, connect, rest };
}

function refusal(frame: BusFrame) {
  return { type: frame.type, failureCode: frame.failureCode, failureType: frame.failureType };
}

describe('joining', () => {
  it('answers the join on its reply address with the room name and its history, then pushes the join to the room', async () => {
    const { sandbox, api, open, connect } = await setup();
    await api.say(open.roomId, { clientKey: 'uAlice', nickName: 'Alice', message: 'hello' });
    await vrest(sandbox, 'POST', `/openapi/v1/notice/${open.roomId}`, {
      token: await issueToken(sandbox),
      form: { nickName: '운영자', notice: '공지' },
    });
    const watcher = await connect();
    await watcher.join({ roomId: open.roomId, clientKey: 'watcher', nickName: 'Watcher' });

    const client = await connect();
    client.send(
      'c2s.join',
      {
        roomId: open.roomId,
        clientKey: 'moderator1',
        nickName: '운영자',
        grade: 'userManager',
        userInfo: { profile: 1 },
      },
      'join_user_init',
    );
    const reply = await client.next();
    expect(reply.address).toBe('join_user_init');
    expect(reply.type).toBe('rec');
    // The raw-WebSocket path sends binary frames of UTF-8 JSON (api-facts §2.7).
    expect(reply.binary).toBe(true);
    const body = bodyOf(reply);
    expect(body['roomName']).toBe(open.roomName);
    expect(body['history']).toEqual([
      {
        logType: 'message',
        roomId: open.roomId,
        clientKey: 'uAlice',
        nickName: 'Alice',
        message: 'hello',
        mimeType: 'text',
        messageType: null,
        date: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/) as string,
        grade: 'user',
        userInfo: null,
      },
      expect.objectContaining({
        clientKey: 'admin',
        message: '공지',
        messageType: 'notice',
        grade: 'admin',
      }),
    ]);
    const joined = await client.push(`s2c.notify.join.user/${open.roomId}`);
    expect(bodyOf(joined)).toEqual({
      roomId: open.roomId,
      clientKey: 'moderator1',
      nickName: '운영자',
      grade: 'userManager',
      joinCount: 22,
      currentUserCount: 22,
      userInfo: { profile: 1 },
    });
    // The watcher hears its own join first, then the moderator's.
    const joins = [
      await watcher.push(`s2c.notify.join.user/${open.roomId}`),
      await watcher.push(`s2c.notify.join.user/${open.roomId}`),
    ];
    expect(joins.map((frame) => bodyOf(frame)['clientKey'])).toEqual(['watcher', 'moderator1']);
  });

  it('keeps at most the configured history, and sends text frames and string counts when told to', async () => {
    const { api, open, connect } = await setup({
      vchatcloudHistorySize: 3,
      eventbusFrames: 'text',
      vchatcloudNumbers: 'string',
    });
    for (let index = 1; index <= 5; index += 1) {
      await api.say(open.roomId, { clientKey: 'uBob', message: `m${index}` });
    }
    const client = await connect();
    client.send('c2s.join', { roomId: open.roomId, clientKey: 'k1', nickName: 'K' }, 'r');
    const reply = await client.next((frame) => frame.address === 'r');
    expect(reply.binary).toBe(false);
    const history = bodyOf(reply)['history'] as Array<{ message: string }>;
    expect(history.map((item) => item.message)).toEqual(['m3', 'm4', 'm5']);
    // 20 chatters and this client; messages injected through the control API join no one.
    expect(bodyOf(reply)['joinCount']).toBe('21');
    await api.say(open.roomId, { clientKey: 'uBob', message: 'm6' });
    const message = await client.push(`s2c.notify.message/${open.roomId}`);
    expect(bodyOf(message)['messageCount']).toBe('6');
  });

  it('refuses joins with the documented codes', async () => {
    const { sandbox, api, open, paused, connect } = await setup();
    const client = await connect();
    const tryJoin = async (body: Record<string, unknown>) =>
      refusal(await client.request('c2s.join', { grade: 'user', ...body }));
    const person = { clientKey: 'k1', nickName: 'K' };
    const code = (failureCode: number) => ({
      type: 'err',
      failureCode,
      failureType: 'RECIPIENT_FAILURE',
    });

    expect(await tryJoin({ roomId: open.roomId, clientKey: 'k1' })).toEqual(code(10901));
    expect(await tryJoin({ ...person })).toEqual(code(10901));
    expect(await tryJoin({ ...person, roomId: 'NoSuchRoom' })).toEqual(code(10102));
    expect(await tryJoin({ ...person, roomId: paused.roomId })).toEqual(code(10103));

    await api.patch(open.roomId, { startDt: new Date(Date.now() + 3600_000).toISOString() });
    expect(await tryJoin({ ...person, roomId: open.roomId })).toEqual(code(10103));
    await api.patch(open.roomId, {
      startDt: new Date(Date.now() - 7200_000).toISOString(),
      endDt: new Date(Date.now() - 3600_000).toISOString(),
    });
    expect(await tryJoin({ ...person, roomId: open.roomId })).toEqual(code(10104));
    await api.patch(open.roomId, { endDt: new Date(Date.now() + 3600_000).toISOString() });

    await api.patch(open.roomId, { allowedClientKeys: ['vip'] });
    expect(await tryJoin({ ...person, roomId: open.roomId })).toEqual(code(10114));
    await api.patch(open.roomId, { allowedClientKeys: null, password: 'secret' });
    expect(await tryJoin({ ...person, roomId: open.roomId })).toEqual(code(10115));
    expect(await tryJoin({ ...person, roomId: open.roomId, password: 'wrong' })).toEqual(
      code(10115),
    );
    const withPassword = await client.request('c2s.join', {
      ...person,
      roomId: open.roomId,
      password: 'secret',
    });
    expect(withPassword.type).toBe('rec');

    const token = await issueToken(sandbox);
    await vrest(sandbox, 'POST', `/openapi/v1/exiles/${open.roomId}/banned1`, { token });
    expect(await tryJoin({ clientKey: 'banned1', nickName: 'B', roomId: open.roomId })).toEqual(
      code(10106),
    );

    const small = await vrest(sandbox, 'POST', '/openapi/v2/rooms', {
      token,
      form: { roomName: 'tiny', maxUser: '1', gTransStat: 'N', roomType: '01', rtcStat: 'N' },
    });
    const tiny = String(small.body.data?.['roomId']);
    expect((await client.request('c2s.join', { ...person, roomId: tiny })).type).toBe('rec');
    const other = await connect();
    expect(
      refusal(await other.request('c2s.join', { clientKey: 'k2', nickName: 'K2', roomId: tiny })),
    ).toEqual(code(10101));
  });

  it('tells an older session of the same clientKey that it signed in elsewhere, unless duplicates are allowed', async () => {
    const { api, open, connect } = await setup();
    const first = await connect();
    await first.join({ roomId: open.roomId, clientKey: 'same', nickName: 'Same' });
    const second = await connect();
    await second.join({ roomId: open.roomId, clientKey: 'same', nickName: 'Same' });
    const duplicate = await first.push(`s2c.personal.duplicate.user/${open.roomId}/same`);
    expect(bodyOf(duplicate)).toEqual({
      roomId: open.roomId,
      clientKey: 'same',
      messageDt: expect.any(Number) as number,
    });
    // The older session is out of the room: writing from it is refused.
    const refused = await first.request('c2s.send.message', {
      roomId: open.roomId,
      clientKey: 'same',
      nickName: 'Same',
      message: 'still here?',
    });
    expect(refused.failureCode).toBe(10107);

    await api.patch(open.roomId, { isPossibleDup: true });
    const third = await connect();
    await third.join({ roomId: open.roomId, clientKey: 'same', nickName: 'Same' });
    const sent = await second.request('c2s.send.message', {
      roomId: open.roomId,
      clientKey: 'same',
      nickName: 'Same',
      message: 'both of us',
    });
    expect(sent.type).toBe('rec');
    expect(bodyOf(await third.push(`s2c.notify.message/${open.roomId}`))['message']).toBe(
      'both of us',
    );
    expect(second.received.some((frame) => frame.address?.includes('duplicate'))).toBe(false);
  });
});

describe('writing', () => {
  it('pushes a sent message to everyone joined, the sender included, in the documented shape', async () => {
    const { open, connect } = await setup();
    const alice = await connect();
    await alice.join({
      roomId: open.roomId,
      clientKey: 'alice',
      nickName: 'Alice',
      userInfo: '{"lang":"en"}',
    });
    const bob = await connect();
    await bob.join({ roomId: open.roomId, clientKey: 'bob', nickName: 'Bob' });
    const reply = await alice.request('c2s.send.message', {
      roomId: open.roomId,
      clientKey: 'alice',
      nickName: 'Alice',
      message: '안녕하세요',
      mimeType: 'text',
      grade: 'user',
    });
    expect(reply.type).toBe('rec');
    for (const client of [alice, bob]) {
      const push = await client.push(`s2c.notify.message/${open.roomId}`);
      expect(bodyOf(push)).toEqual({
        roomId: open.roomId,
        clientKey: 'alice',
        nickName: 'Alice',
        message: '안녕하세요',
        mimeType: 'text',
        messageDt: expect.stringMatching(/^\d{14}$/) as string,
        messageCount: 1,
        grade: 'user',
        userInfo: { lang: 'en' },
      });
    }
    // A notice sent on the socket arrives as a notice.
    alice.send('c2s.send.message', {
      roomId: open.roomId,
      clientKey: 'alice',
      nickName: 'Alice',
      message: 'notice!',
      messageType: 'notice',
    });
    const notice = await bob.push(`s2c.notify.notice/${open.roomId}`);
    expect(bodyOf(notice)).toMatchObject({ message: 'notice!', messageType: 'notice' });
    alice.send('c2s.sendcustom', {
      roomId: open.roomId,
      clientKey: 'alice',
      nickName: 'Alice',
      message: '{"type":"like"}',
    });
    expect(bodyOf(await bob.push(`s2c.notify.custom/${open.roomId}`))).toMatchObject({
      message: '{"type":"like"}',
      clientKey: 'alice',
      messageCount: 3,
    });
  });

  it('whispers to one person only, answers the sender, and refuses a receiver who is not there with 10107', async () => {
    const { api, open, connect } = await setup();
    const alice = await connect();
    await alice.join({ roomId: open.roomId, clientKey: 'alice', nickName: 'Alice' });
    const bob = await connect();
    await bob.join({ roomId: open.roomId, clientKey: 'bob', nickName: 'Bob' });
    const carol = await connect();
    await carol.join({ roomId: open.roomId, clientKey: 'carol', nickName: 'Carol' });

    const reply = await alice.request('c2s.whisper.message', {
      roomId: open.roomId,
      clientKey: 'alice',
      nickName: 'Alice',
      receivedClientKey: 'bob',
      message: 'psst',
      mimeType: 'text',
    });
    expect(reply.type).toBe('rec');
    const whisper = await bob.push(`s2c.personal.whisper/${open.roomId}/bob`);
    expect(bodyOf(whisper)).toMatchObject({
      roomId: open.roomId,
      clientKey: 'alice',
      nickName: 'Alice',
      receivedClientKey: 'bob',
      message: 'psst',
      messageType: 'whisper',
    });
    const missing = await alice.request('c2s.whisper.message', {
      roomId: open.roomId,
      clientKey: 'alice',
      nickName: 'Alice',
      receivedClientKey: 'nobody',
      message: 'hello?',
    });
    expect(refusal(missing)).toMatchObject({ type: 'err', failureCode: 10107 });
    // Carol saw no whisper: after a message everyone gets, nothing personal came before it.
    await alice.request('c2s.send.message', {
      roomId: open.roomId,
      clientKey: 'alice',
      nickName: 'Alice',
      message: 'marker',
    });
    await carol.push(`s2c.notify.message/${open.roomId}`);
    expect(carol.received.some((frame) => frame.address?.startsWith('s2c.personal'))).toBe(false);
    expect((await api.whispers(open.roomId)).map((item) => [item.to, item.delivered])).toEqual([
      ['bob', true],
    ]);
  });

  it('answers the client list with everyone present', async () => {
    const { open, connect } = await setup();
    const client = await connect();
    await client.join({ roomId: open.roomId, clientKey: 'me', nickName: 'Me', userInfo: { a: 1 } });
    const reply = await client.request('c2s.clientlist', { roomId: open.roomId });
    const list = bodyOf(reply)['clientlist'] as Array<Record<string, unknown>>;
    expect(list).toHaveLength(21);
    expect(list).toContainEqual({
      roomId: open.roomId,
      clientKey: 'me',
      nickName: 'Me',
      grade: 'user',
      userInfo: { a: 1 },
    });
    expect(refusal(await client.request('c2s.clientlist', {}))).toMatchObject({
      failureCode: 10901,
    });
  });

  it('refuses writing before joining with 10107, and an address nobody handles with NO_HANDLERS', async () => {
    const { open, connect } = await setup();
    const client = await connect();
    const send = await client.request('c2s.send.message', {
      roomId: open.roomId,
      clientKey: 'me',
      nickName: 'Me',
      message: 'hi',
    });
    expect(refusal(send)).toMatchObject({ type: 'err', failureCode: 10107 });
    const unknown = await client.request('c2s.nothing', { roomId: open.roomId });
    expect(refusal(unknown)).toEqual({ type: 'err', failureCode: -1, failureType: 'NO_HANDLERS' });
    client.sendRaw('this is not json');
    expect(await client.next()).toEqual({ type: 'err', body: 'invalid_json', binary: true });
    client.sendRaw(JSON.stringify({ type: 'shout', address: 'x' }));
    expect((await client.next()).body).toBe('invalid_type');
    client.sendRaw(JSON.stringify({ type: 'send', body: {} }));
    expect((await client.next()).body).toBe('missing_address');
  });

  it('says goodbye to the room when a member leaves or their socket closes', async () => {
    const { open, connect } = await setup();
    const watcher = await connect();
    await watcher.join({ roomId: open.roomId, clientKey: 'watcher', nickName: 'W' });
    const leaver = await connect();
    await leaver.join({ roomId: open.roomId, clientKey: 'leaver', nickName: 'L' });
    await leaver.request('c2s.leave', { roomId: open.roomId, clientKey: 'leaver' });
    expect(bodyOf(await watcher.push(`s2c.notify.leave.user/${open.roomId}`))).toMatchObject({
      clientKey: 'leaver',
      nickName: 'L',
      currentUserCount: 21,
    });
    const closer = await connect();
    await closer.join({ roomId: open.roomId, clientKey: 'closer', nickName: 'C' });
    closer.socket.close();
    expect(bodyOf(await watcher.push(`s2c.notify.leave.user/${open.roomId}`))['clientKey']).toBe(
      'closer',
    );
  });
});

describe('exile and mute over REST, as members see them', () => {
  it('pushes a kick to the room and to the exiled member, who is out and cannot join again until the exile is lifted', async () => {
    const { open, connect, rest } = await setup();
    const moderator = await connect();
    await moderator.join({
      roomId: open.roomId,
      clientKey: 'moderator1',
      nickName: '운영자',
      grade: 'userManager',
    });
    const target = await connect();
    await target.join({ roomId: open.roomId, clientKey: 'troll', nickName: 'Troll' });

    expect((await rest('POST', `/openapi/v1/exiles/${open.roomId}/troll`)).body.result_cd).toBe(1);
    const kick = await moderator.push(`s2c.notify.kick.user/${open.roomId}`);
    expect(bodyOf(kick)).toEqual({
      roomId: open.roomId,
      clientKey: 'troll',
      nickName: 'Troll',
      messageDt: expect.stringMatching(/^\d{14}$/) as string,
    });
    await target.push(`s2c.notify.kick.user/${open.roomId}`);
    const personal = await target.push(`s2c.personal.kick.user/${open.roomId}/troll`);
    expect(bodyOf(personal)).toMatchObject({ clientKey: 'troll', nickName: 'Troll' });
    expect(typeof bodyOf(personal)['messageDt']).toBe('number');

    const after = await target.request('c2s.send.message', {
      roomId: open.roomId,
      clientKey: 'troll',
      nickName: 'Troll',
      message: 'I am back',
    });
    expect(after.failureCode).toBe(10107);
    const rejoin = await target.request('c2s.join', {
      roomId: open.roomId,
      clientKey: 'troll',
      nickName: 'Troll',
    });
    expect(refusal(rejoin)).toMatchObject({ type: 'err', failureCode: 10106 });

    expect((await rest('PUT', `/openapi/v1/exiles/${open.roomId}/troll`)).body.result_cd).toBe(1);
    expect(bodyOf(await moderator.push(`s2c.notify.unkick.user/${open.roomId}`))).toMatchObject({
      clientKey: 'troll',
      nickName: 'Troll',
    });
    await target.join({ roomId: open.roomId, clientKey: 'troll', nickName: 'Troll' });
  });

  it('pushes a mute to the room and to the member, refuses their messages, and lifts it the same way', async () => {
    const { open, connect, rest } = await setup();
    const moderator = await connect();
    await moderator.join({ roomId: open.roomId, clientKey: 'moderator1', nickName: '운영자' });
    const target = await connect();
    await target.join({ roomId: open.roomId, clientKey: 'loud', nickName: 'Loud' });
    const write = (message: string) =>
      target.request('c2s.send.message', {
        roomId: open.roomId,
        clientKey: 'loud',
        nickName: 'Loud',
        message,
      });

    await rest('POST', `/openapi/v1/mute/${open.roomId}/loud`);
    expect(bodyOf(await moderator.push(`s2c.notify.mute.user/${open.roomId}`))).toMatchObject({
      clientKey: 'loud',
      nickName: 'Loud',
    });
    const personal = await target.push(`s2c.personal.mute.user/${open.roomId}/loud`);
    expect(bodyOf(personal)).toEqual({
      clientKey: 'loud',
      nickName: 'Loud',
      messageDt: expect.any(Number) as number,
    });
    expect(refusal(await write('SPAM'))).toMatchObject({ type: 'err', failureCode: 10120 });
    const whisper = await target.request('c2s.whisper.message', {
      roomId: open.roomId,
      clientKey: 'loud',
      nickName: 'Loud',
      receivedClientKey: 'moderator1',
      message: 'why?',
    });
    expect(whisper.failureCode).toBe(10120);

    await rest('PUT', `/openapi/v1/mute/${open.roomId}/loud`);
    expect(bodyOf(await moderator.push(`s2c.notify.unmute.user/${open.roomId}`))).toMatchObject({
      clientKey: 'loud',
    });
    await target.push(`s2c.personal.unmute.user/${open.roomId}/loud`);
    expect((await write('sorry')).type).toBe('rec');
  });

  it('pushes a REST notice to the room from the admin', async () => {
    const { open, connect, rest, sandbox } = await setup();
    const client = await connect();
    await client.join({ roomId: open.roomId, clientKey: 'me', nickName: 'Me' });
    const token = await issueToken(sandbox);
    await vrest(sandbox, 'POST', `/openapi/v1/notice/${open.roomId}`, {
      token,
      form: { nickName: '운영자', notice: '규칙을 지켜 주세요' },
    });
    expect(bodyOf(await client.push(`s2c.notify.notice/${open.roomId}`))).toEqual({
      roomId: open.roomId,
      clientKey: 'admin',
      nickName: '운영자',
      message: '규칙을 지켜 주세요',
      mimeType: 'text',
      messageType: 'notice',
      messageDt: expect.stringMatching(/^\d{14}$/) as string,
      messageCount: 1,
      grade: 'admin',
    });
    expect(
      (await rest('GET', `/openapi/v2/rooms/${open.roomId}`)).body.data?.['messageCount'],
    ).toBe('1');
  });
});

describe('pings', () => {
  it('accepts pings and never answers them', async () => {
    const { api, open, connect } = await setup();
    const client = await connect();
    for (let index = 0; index < 5; index += 1) client.ping();
    const reply = await client.request('c2s.clientlist', { roomId: open.roomId });
    expect(reply.type).toBe('rec');
    // Frames are handled in order: had any ping been answered, it would have come first.
    expect(client.received).toEqual([reply]);
    const [connection] = await api.connections();
    expect(connection?.pings).toBe(5);
  });

  it('closes a socket that sends nothing for the ping timeout, and keeps one that pings', async () => {
    const { api, connect } = await setup({ eventbusPingTimeoutMs: 300 });
    const pinging = await connect();
    const timer = setInterval(() => pinging.ping(), 50);
    try {
      const silent = await connect();
      await silent.closed;
      expect(pinging.socket.readyState).toBe(pinging.socket.OPEN);
      const views = await api.connections();
      expect(views.map((view) => [view.open, view.closeReason])).toEqual([
        [true, null],
        [false, 'ping timeout'],
      ]);
    } finally {
      clearInterval(timer);
    }
  });
});

describe('raw frames', () => {
  it('sends a raw frame as it is to every socket joined to the room, and stores nothing', async () => {
    const { api, open, paused, connect } = await setup();
    const joined = await connect();
    await joined.join({ roomId: open.roomId, clientKey: 'uJoined', nickName: 'Joined' });
    const elsewhere = await connect();
    const before = await api.stats();
    const frame = JSON.stringify({
      type: 'rec',
      address: `s2c.notify.message/${open.roomId}`,
      headers: {},
      body: { clientKey: 'uOdd', message: 42, userInfo: [[[[]]]] },
    });

    expect(await api.rawFrame(open.roomId, frame)).toEqual({ delivered: 1 });
    const received = await joined.push('s2c.notify.message/');
    expect(JSON.stringify({ ...received, binary: undefined })).toBe(frame);
    expect(elsewhere.received).toEqual([]);
    expect(await api.rawFrame(paused.roomId, frame)).toEqual({ delivered: 0 });
    const after = await api.stats();
    expect(after.messagesPublished).toBe(before.messagesPublished);
    expect(after.framesDelivered).toBe(before.framesDelivered + 1);
    const [connection] = await api.connections();
    expect((await api.deliveries(connection?.id ?? '')).at(-1)).toEqual({
      address: '',
      type: 'rec',
      messageCount: null,
      spam: null,
    });
    expect(
      await api.request<unknown[]>('GET', `/vchatcloud/rooms/${open.roomId}/messages`),
    ).toEqual([]);
    await expect(
      api.request('POST', `/vchatcloud/rooms/${open.roomId}/raw-frames`, { frame: 7 }),
    ).rejects.toThrow(/400 .*frame is required/);
  });
});
