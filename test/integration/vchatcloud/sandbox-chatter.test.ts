/**
 * Simulated chatters in VChatCloud rooms, the control API that steers them, and the shared faults
 * and reset as the event bus feels them.
 */
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { STARTER_FORBIDDEN_WORDS } from '../../../src/sandbox';
import { useSandbox } from '../../support/sandbox';
import { BusClient, bodyOf, issueToken, vcontrol, vrest, type BusFrame } from './support';

/** Collects pushes on a client until `count` match. */
async function collect(
  client: BusClient,
  count: number,
  predicate: (frame: BusFrame) => boolean,
): Promise<BusFrame[]> {
  const frames: BusFrame[] = [];
  while (frames.length < count) frames.push(await client.next(predicate));
  return frames;
}

describe('simulated chatters', () => {
  it('seed the same rooms and people for the same seed, and others for another', async () => {
    const users = async (seed: number) => {
      const sandbox = await useSandbox({ seed, ratePerRoom: 0 });
      const rooms = await vcontrol(sandbox).rooms();
      const people = await vcontrol(sandbox).users(rooms[0]?.roomId ?? '');
      return { roomIds: rooms.map((room) => room.roomId), people };
    };
    const first = await users(7);
    const again = await users(7);
    const other = await users(8);
    expect(again).toEqual(first);
    expect(other.roomIds).not.toEqual(first.roomIds);
    // Two open rooms and a paused one by default.
    expect(first.roomIds).toHaveLength(3);
    expect(first.people).toHaveLength(20);
  });

  it('take the spam share too: a raider or bot made for the occasion joins before it writes', async () => {
    const sandbox = await useSandbox({ ratePerRoom: 400, spamShare: 0.3, bursts: false });
    const { open } = await vcontrol(sandbox).seeded();
    const moderator = await BusClient.open(sandbox.vchatcloud.eventbusUrl);
    await moderator.join({
      roomId: open.roomId,
      clientKey: sandbox.vchatcloud.moderator.clientKey,
      nickName: sandbox.vchatcloud.moderator.nickName,
      grade: 'userManager',
    });
    // The pool's people have ids starting with `u`; spam's fresh accounts with `s`.
    const fresh = (frame: BusFrame) => String(bodyOf(frame)['clientKey']).startsWith('s');
    const [joined] = await collect(
      moderator,
      1,
      (frame) => frame.address === `s2c.notify.join.user/${open.roomId}` && fresh(frame),
    );
    const clientKey = String(bodyOf(joined as BusFrame)['clientKey']);
    const [message] = await collect(
      moderator,
      1,
      (frame) =>
        frame.address === `s2c.notify.message/${open.roomId}` &&
        String(bodyOf(frame)['clientKey']) === clientKey,
    );
    // The delivery log says what it was: spam of some kind, and the pool's chat `none`.
    const api = vcontrol(sandbox);
    const [connection] = await api.connections();
    const messages = (await api.deliveries(connection?.id ?? '')).filter((entry) =>
      entry.address.startsWith('s2c.notify.message/'),
    );
    const count = Number(bodyOf(message as BusFrame)['messageCount']);
    const logged = messages.find((entry) => entry.messageCount === count);
    expect(logged?.spam).toMatch(/^(repeat|raid|flood|caps|link|mention|name)$/);
    expect(messages.some((entry) => entry.spam === 'none')).toBe(true);
    expect(messages.every((entry) => entry.spam !== null)).toBe(true);
  });

  it('chat in English and Korean, say forbidden words, come and go, and whisper to the moderator', async () => {
    const sandbox = await useSandbox({
      ratePerRoom: 400,
      forbiddenShare: 0.3,
      directShare: 0.1,
      bursts: false,
    });
    const api = vcontrol(sandbox);
    const { open } = await api.seeded();
    const moderator = await BusClient.open(sandbox.vchatcloud.eventbusUrl);
    await moderator.join({
      roomId: open.roomId,
      clientKey: sandbox.vchatcloud.moderator.clientKey,
      nickName: sandbox.vchatcloud.moderator.nickName,
      grade: 'userManager',
    });
    const messages = await collect(
      moderator,
      300,
      (frame) => frame.address === `s2c.notify.message/${open.roomId}`,
    );
    const texts = messages.map((frame) => String(bodyOf(frame)['message']));
    expect(texts.some((text) => /[가-힣]/.test(text))).toBe(true);
    expect(texts.some((text) => /^[\x20-\x7e]+$/.test(text))).toBe(true);
    expect(
      texts.some((text) =>
        STARTER_FORBIDDEN_WORDS.some((word) => text.toLowerCase().includes(word)),
      ),
    ).toBe(true);
    const whispers = await collect(
      moderator,
      3,
      (frame) =>
        frame.address ===
        `s2c.personal.whisper/${open.roomId}/${sandbox.vchatcloud.moderator.clientKey}`,
    );
    for (const whisper of whispers) {
      expect(bodyOf(whisper)).toMatchObject({
        receivedClientKey: 'moderator1',
        messageType: 'whisper',
        grade: 'user',
      });
    }
    await collect(moderator, 2, (frame) => frame.address === `s2c.notify.join.user/${open.roomId}`);
    await collect(
      moderator,
      2,
      (frame) => frame.address === `s2c.notify.leave.user/${open.roomId}`,
    );
    // Every message counts up by one, whatever else happens.
    const counts = messages.map((frame) => Number(bodyOf(frame)['messageCount']));
    expect(counts.every((count, index) => index === 0 || count > (counts[index - 1] ?? 0))).toBe(
      true,
    );
  });

  it('stop talking once exiled, and are refused while muted', async () => {
    const sandbox = await useSandbox({ ratePerRoom: 300, bursts: false, directShare: 0 });
    const api = vcontrol(sandbox);
    const { open } = await api.seeded();
    const token = await issueToken(sandbox);
    const messageCount = async () =>
      (await api.rooms()).find((room) => room.roomId === open.roomId)?.messageCount ?? 0;
    const watcher = await BusClient.open(sandbox.vchatcloud.eventbusUrl);
    await watcher.join({ roomId: open.roomId, clientKey: 'watcher', nickName: 'W' });
    const first = await watcher.push(`s2c.notify.message/${open.roomId}`);
    const talker = String(bodyOf(first)['clientKey']);
    await vrest(sandbox, 'POST', `/openapi/v1/exiles/${open.roomId}/${talker}`, { token });
    const users = await api.users(open.roomId);
    expect(users.some((user) => user.clientKey === talker)).toBe(false);
    const afterExile = await messageCount();
    const later = await collect(
      watcher,
      200,
      (frame) =>
        frame.address === `s2c.notify.message/${open.roomId}` &&
        Number(bodyOf(frame)['messageCount']) > afterExile,
    );
    expect(later.filter((frame) => bodyOf(frame)['clientKey'] === talker)).toEqual([]);

    // Everyone present is muted: only people who come in later can still be heard.
    const present = (await api.users(open.roomId)).filter((user) => user.simulated);
    for (const user of present) {
      await vrest(sandbox, 'POST', `/openapi/v1/mute/${open.roomId}/${user.clientKey}`, { token });
    }
    const muted = new Set(present.map((user) => user.clientKey));
    const refusedBefore = (await api.stats()).writesRefused;
    const afterMute = await messageCount();
    await api.setRate(open.roomId, 1000);
    const heard = await collect(
      watcher,
      20,
      (frame) =>
        frame.address === `s2c.notify.message/${open.roomId}` &&
        Number(bodyOf(frame)['messageCount']) > afterMute,
    );
    expect(heard.filter((frame) => muted.has(String(bodyOf(frame)['clientKey'])))).toEqual([]);
    expect((await api.stats()).writesRefused).toBeGreaterThan(refusedBefore);
  });

  it('chat only while the room is open, at the rate set through the control API', async () => {
    const sandbox = await useSandbox({ ratePerRoom: 0 });
    const api = vcontrol(sandbox);
    const { paused } = await api.seeded();
    expect((await api.setRate(paused.roomId, 50)).ratePerSecond).toBe(50);
    const token = await issueToken(sandbox);
    const resume = {
      roomName: paused.roomName,
      roomType: '01',
      maxUser: '100',
      rtcStat: 'N',
      gTransStat: 'N',
      roomStatus: 'active',
    };
    const watcher = await BusClient.open(sandbox.vchatcloud.eventbusUrl);
    const refused = await watcher.request('c2s.join', {
      roomId: paused.roomId,
      clientKey: 'watcher',
      nickName: 'W',
    });
    expect(refused.failureCode).toBe(10103);
    await vrest(sandbox, 'POST', `/openapi/v2/rooms/${paused.roomId}`, { token, form: resume });
    await watcher.join({ roomId: paused.roomId, clientKey: 'watcher', nickName: 'W' });
    // The paused room starts empty: its first chatter comes in before anyone speaks.
    const joined = await watcher.next(
      (frame) =>
        frame.address === `s2c.notify.join.user/${paused.roomId}` &&
        bodyOf(frame)['clientKey'] !== 'watcher',
    );
    expect(bodyOf(joined)['grade']).toBe('user');
  });
});

describe('the VChatCloud control API', () => {
  it('injects messages, notices, custom messages and whispers as a chatter, and logs what each socket got', async () => {
    const sandbox = await useSandbox({ ratePerRoom: 0 });
    const api = vcontrol(sandbox);
    const { open } = await api.seeded();
    const moderator = await BusClient.open(sandbox.vchatcloud.eventbusUrl);
    await moderator.join({ roomId: open.roomId, clientKey: 'moderator1', nickName: '운영자' });
    const said = await api.say(open.roomId, { clientKey: 'uX', nickName: 'X', message: 'hi' });
    expect(said).toEqual({
      messageCount: 1,
      messageDt: expect.stringMatching(/^\d{14}$/) as string,
    });
    await api.say(open.roomId, { clientKey: 'uX', message: 'n', kind: 'notice' });
    await api.say(open.roomId, { clientKey: 'uX', message: '{}', kind: 'custom' });
    await api.say(open.roomId, { clientKey: 'uX', message: 'psst', kind: 'whisper' });
    await moderator.push(`s2c.personal.whisper/${open.roomId}/moderator1`);
    await expect(
      api.say(open.roomId, {
        clientKey: 'uX',
        message: 'psst',
        kind: 'whisper',
        receivedClientKey: 'ghost',
      }),
    ).rejects.toThrow(/409 .*USER_NOT_EXISTED/);

    const [connection] = await api.connections();
    expect(connection?.sessions).toEqual([{ roomId: open.roomId, clientKey: 'moderator1' }]);
    const log = await api.deliveries(connection?.id ?? '');
    expect(log.map((entry) => [entry.address.split('/')[0], entry.messageCount])).toEqual([
      ['reply-1', null],
      ['s2c.notify.join.user', null],
      ['s2c.notify.message', 1],
      ['s2c.notify.notice', 2],
      ['s2c.notify.custom', 3],
      ['s2c.personal.whisper', null],
    ]);
    const messages = await api.request<Array<{ message: string }>>(
      'GET',
      `/vchatcloud/rooms/${open.roomId}/messages`,
    );
    expect(messages.map((item) => item.message)).toEqual(['hi', 'n']);
    await expect(api.request('GET', '/vchatcloud/rooms/nothing/users')).rejects.toThrow(/404/);
    await expect(api.patch(open.roomId, { colour: 'red' })).rejects.toThrow(/400/);
  });
});

describe('faults and reset on the event bus', () => {
  it('drops every event-bus socket at once, and refuses upgrades while told to', async () => {
    const sandbox = await useSandbox({ ratePerRoom: 0 });
    const api = vcontrol(sandbox);
    const first = await BusClient.open(sandbox.vchatcloud.eventbusUrl);
    const second = await BusClient.open(sandbox.vchatcloud.eventbusUrl);
    await api.faults({ dropConnections: true });
    expect((await first.closed).code).toBe(1006);
    expect((await second.closed).code).toBe(1006);
    expect((await api.connections()).map((item) => item.closeReason)).toEqual([
      'dropped',
      'dropped',
    ]);
    await api.faults({ refuseConnectionsForMs: 600_000 });
    const status = await new Promise<number>((resolve) => {
      const socket = new WebSocket(sandbox.vchatcloud.eventbusUrl);
      socket.on('unexpected-response', (_request, response) => {
        resolve(response.statusCode ?? 0);
        socket.terminate();
      });
      socket.on('open', () => {
        socket.terminate();
        resolve(101);
      });
      socket.on('error', () => undefined);
    });
    expect(status).toBe(503);
  });

  it('closes event-bus sockets with 1012 on reset and seeds the rooms again', async () => {
    const sandbox = await useSandbox({ ratePerRoom: 0 });
    const api = vcontrol(sandbox);
    const { open } = await api.seeded();
    await api.say(open.roomId, { clientKey: 'u1', message: 'before reset' });
    const client = await BusClient.open(sandbox.vchatcloud.eventbusUrl);
    await client.join({ roomId: open.roomId, clientKey: 'me', nickName: 'Me' });
    await api.reset();
    expect((await client.closed).code).toBe(1012);
    const rooms = await api.rooms();
    expect(rooms.map((room) => room.roomId)).toContain(open.roomId);
    expect(rooms.find((room) => room.roomId === open.roomId)?.messageCount).toBe(0);
    expect(await api.connections()).toEqual([]);
  });
});
