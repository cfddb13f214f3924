/**
 * Simulated chatters: the same seed gives the same stream, in English and Korean, with forbidden
 * words (plain and disguised), direct messages to the moderator, bursts, joins and leaves; and the
 * sandbox plays that stream on the socket at the rate it is told.
 */
import { describe, expect, it } from 'vitest';
import {
  ChatterScript,
  isChatEvent,
  STARTER_FORBIDDEN_WORDS,
  type ChatterEvent,
} from '../../../src/sandbox/index';
import { control, memberToken, RawStompClient, rooms, useSandbox, frameText } from './support';
import type { Sandbox } from '../../../src/sandbox/index';

function take(script: ChatterScript, count: number): ChatterEvent[] {
  return Array.from({ length: count }, () => script.next());
}

describe('the chatter script', () => {
  it('gives the same stream for the same seed and room, and another for another seed or room', () => {
    const first = take(new ChatterScript({ seed: 42, stream: 'room-a' }), 2000);
    const again = take(new ChatterScript({ seed: 42, stream: 'room-a' }), 2000);
    const otherSeed = take(new ChatterScript({ seed: 43, stream: 'room-a' }), 2000);
    const otherRoom = take(new ChatterScript({ seed: 42, stream: 'room-b' }), 2000);
    expect(again).toEqual(first);
    expect(otherSeed).not.toEqual(first);
    expect(otherRoom).not.toEqual(first);
    expect(new ChatterScript({ seed: 42, stream: 'room-a' }).users).toEqual(
      new ChatterScript({ seed: 42, stream: 'room-a' }).users,
    );
  });

  it('chats in English and Korean, says every starter word plainly and disguised, DMs, bursts, joins and leaves', () => {
    const script = new ChatterScript({
      seed: 7,
      stream: 'mix',
      forbiddenShare: 0.2,
      directShare: 0.05,
    });
    const events = take(script, 20_000);
    const chat = events.filter(isChatEvent);
    const kinds = new Set(events.map((event) => event.kind));
    expect([...kinds].sort()).toEqual(['direct', 'join', 'leave', 'message']);

    const languages = new Set(chat.map((event) => event.language));
    expect([...languages].sort()).toEqual(['en', 'ko']);
    expect(chat.some((event) => /[가-힣]/.test(event.text))).toBe(true);
    expect(chat.some((event) => /^[\x20-\x7e]+$/.test(event.text))).toBe(true);

    const steady = chat.filter((event) => !event.burst);
    const forbidden = steady.filter((event) => event.forbiddenWord !== null);
    const share = forbidden.length / steady.length;
    expect(share).toBeGreaterThan(0.15);
    expect(share).toBeLessThan(0.25);
    expect(new Set(forbidden.map((event) => event.forbiddenWord))).toEqual(
      new Set(STARTER_FORBIDDEN_WORDS),
    );

    const evasions = new Set(forbidden.map((event) => event.evasion));
    expect([...evasions].sort()).toEqual(
      [
        'leetspeak',
        'lookalike',
        'mixedCase',
        'plain',
        'repeated',
        'separators',
        'spacing',
        'zeroWidth',
      ].sort(),
    );
    for (const event of forbidden) {
      const word = event.forbiddenWord ?? '';
      // Plain means the word is there as is; a disguise means a substring match misses it.
      expect(event.text.includes(word), `${event.evasion ?? ''}: ${event.text}`).toBe(
        event.evasion === 'plain',
      );
    }
    expect(
      forbidden.some(
        (event) =>
          event.text.includes('\u200b') ||
          event.text.includes('\u2060') ||
          event.text.includes('\u200c') ||
          event.text.includes('\u200d'),
      ),
    ).toBe(true);

    const bursts = chat.filter((event) => event.burst);
    expect(bursts.length).toBeGreaterThan(0);
    const directShare = steady.filter((event) => event.kind === 'direct').length / steady.length;
    expect(directShare).toBeGreaterThan(0.03);
    expect(directShare).toBeLessThan(0.07);
  });

  it('has each person present say a reaction burst at most once, as a crowd does', () => {
    const events = take(new ChatterScript({ seed: 7, stream: 'crowd' }), 50_000);
    // Runs of consecutive reaction-burst messages (a burst's raid is one person: spam 'repeat').
    const runs: string[][] = [];
    let previous: ChatterEvent | undefined;
    for (const event of events) {
      const reaction = isChatEvent(event) && event.burst && event.spam === null;
      if (reaction) {
        const continues =
          previous !== undefined && isChatEvent(previous) && previous.text === event.text;
        if (continues && runs.length > 0) runs.at(-1)!.push(event.user.id);
        else runs.push([event.user.id]);
      }
      previous = reaction ? event : undefined;
    }
    expect(runs.length).toBeGreaterThan(10);
    expect(runs.some((run) => run.length >= 5)).toBe(true);
    for (const run of runs) expect(new Set(run).size).toBe(run.length);
  });

  it('has no bursts when bursts are off', () => {
    const events = take(new ChatterScript({ seed: 7, stream: 'calm', bursts: false }), 20_000);
    expect(events.some((event) => event.burst)).toBe(false);
  });
});

interface Heard {
  type: string;
  userId: string;
  message: string;
}

/** Subscribes to a room (and the moderator's DMs there), then turns the chatter on. */
async function listen(sandbox: Sandbox, videoRoomId: string, perSecond: number) {
  const room = (await rooms(sandbox)).find((item) => item.videoRoomId === videoRoomId);
  const token = await memberToken(sandbox);
  const { client } = await RawStompClient.connect(token);
  await client.withReceipt('SUBSCRIBE', {
    id: 'room',
    destination: `/topic/chat/${room?.channelKey ?? ''}`,
  });
  await client.withReceipt('SUBSCRIBE', {
    id: 'dm',
    destination: `/topic/dm/${room?.channelKey ?? ''}/user/${token.userId}`,
  });
  // Our own JOIN comes first; the chatter is silent until its rate is set.
  await client.messages('room', 1);
  await control(sandbox, 'PUT', `/rooms/${videoRoomId}/rate`, { perSecond });
  return {
    client,
    async heard(count: number): Promise<Heard[]> {
      const heard: Heard[] = [];
      while (heard.length < count) {
        const frame = await client.next((item) => item.command === 'MESSAGE');
        const body = JSON.parse(frame.body) as {
          message_type: string;
          user: { id: string };
          message: string;
        };
        heard.push({ type: body.message_type, userId: body.user.id, message: body.message });
      }
      return heard;
    },
  };
}

describe('chatter on the socket', () => {
  it('plays the same stream for the same seed, whatever the timing', async () => {
    const a = await useSandbox({ seed: 99, ratePerRoom: 0 });
    const b = await useSandbox({ seed: 99, ratePerRoom: 0 });
    const c = await useSandbox({ seed: 100, ratePerRoom: 0 });
    const [roomA] = await rooms(a);
    const [roomC] = await rooms(c);
    expect((await rooms(b))[0]?.channelKey).toBe(roomA?.channelKey);
    expect(roomC?.channelKey).not.toBe(roomA?.channelKey);
    const heardA = await (await listen(a, roomA?.videoRoomId ?? '', 400)).heard(60);
    const heardB = await (await listen(b, roomA?.videoRoomId ?? '', 150)).heard(60);
    const heardC = await (await listen(c, roomC?.videoRoomId ?? '', 400)).heard(60);
    expect(heardB).toEqual(heardA);
    expect(heardC).not.toEqual(heardA);
    expect(new Set(heardA.map((item) => item.type))).toContain('MESSAGE');
  });

  it('plays a room at 2,000 messages per second', async () => {
    const sandbox = await useSandbox({ ratePerRoom: 0, bursts: false });
    const [room] = await rooms(sandbox);
    const listener = await listen(sandbox, room?.videoRoomId ?? '', 2000);
    const heard = await listener.heard(4000);
    expect(heard).toHaveLength(4000);
    expect((await rooms(sandbox))[0]?.ratePerSecond).toBe(2000);
    const [connection] = (await control<{ delivered: number }[]>(sandbox, 'GET', '/connections'))
      .json;
    expect(connection?.delivered).toBeGreaterThanOrEqual(4001);
  });

  it('sends chatters’ direct messages to the moderator’s DM topic', async () => {
    const sandbox = await useSandbox({ ratePerRoom: 0, directShare: 0.5, bursts: false });
    const [room] = await rooms(sandbox);
    const { client } = await listen(sandbox, room?.videoRoomId ?? '', 500);
    const direct = await client.next(
      (frame) => frame.command === 'MESSAGE' && frame.headers['subscription'] === 'dm',
    );
    expect(JSON.parse(direct.body)).toMatchObject({ message_type: 'DM' });
  });

  it('stops a closed chat room: the socket may still send, but nothing is delivered', async () => {
    const sandbox = await useSandbox({ ratePerRoom: 0 });
    const [room] = await rooms(sandbox);
    const token = await memberToken(sandbox);
    const { client } = await RawStompClient.connect(token);
    await client.withReceipt('SUBSCRIBE', {
      id: 'room',
      destination: `/topic/chat/${room?.channelKey ?? ''}`,
    });
    await client.messages('room', 1);
    await fetch(
      `${sandbox.flipflop.baseUrl}/v2/apps/me/video-rooms/${room?.videoRoomId ?? ''}/chat-room/close`,
      {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${sandbox.flipflop.appApiKey}:${sandbox.flipflop.appApiSecret}`).toString('base64')}`,
        },
      },
    );
    await client.withReceipt(
      'SEND',
      { destination: '/app/chat' },
      JSON.stringify({
        channel_key: room?.channelKey,
        user: { id: token.userId },
        message_type: 'MESSAGE',
        message: 'anyone?',
      }),
    );
    const stats = (await control<{ sendsDropped: number }>(sandbox, 'GET', '/stats')).json;
    expect(stats.sendsDropped).toBe(1);
    client.send(frameText('DISCONNECT', { receipt: 'end' }));
    await client.next((frame) => frame.command === 'RECEIPT');
    expect(client.frames.filter((frame) => frame.command === 'MESSAGE')).toEqual([]);
    expect(
      (await control(sandbox, 'PUT', `/rooms/${room?.videoRoomId ?? ''}/rate`, { perSecond: 100 }))
        .status,
    ).toBe(200);
    const stillRooms = await rooms(sandbox);
    expect(stillRooms[0]?.chatRoom).toEqual({ created: true, closed: true });
  });
});
