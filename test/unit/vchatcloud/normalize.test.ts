import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  messageIdFor,
  normalizeHistoryEntry,
  normalizePush,
  parsePushAddress,
  parseUserInfo,
  readCount,
  type PushContext,
} from '../../../src/main/providers/vchatcloud/normalize';
import { JSON_LIMITS, TRIMMED_MARKER } from '../../../src/shared/json';

const context: PushContext = {
  roomKey: 'vc_1/RoomA1',
  moderatorClientKey: 'moderator1',
  now: 1_763_780_000_000,
};

/** 2020-08-26 16:07:08 in Korean time (the documents' `messageDt` example, "20200826160708"). */
const EXAMPLE_MS = Date.UTC(2020, 7, 26, 7, 7, 8);

function push(address: string, body: unknown) {
  const parsed = parsePushAddress(address);
  if (parsed === null) throw new Error(`not a push address: ${address}`);
  const result = normalizePush(parsed, body, context);
  if (!result.ok) throw new Error(`expected an event, got: ${result.reason}`);
  return result;
}

const MESSAGE = {
  nickName: 'Mina',
  roomId: 'RoomA1',
  clientKey: 'uMina',
  message: 'hello',
  mimeType: 'text',
  messageDt: '20200826160708',
  messageCount: 4979,
  grade: 'user',
};

describe('parsePushAddress', () => {
  it('splits kind, room and the personal receiver as the JS SDK does', () => {
    expect(parsePushAddress('s2c.notify.message/RoomA1')).toEqual({
      kind: 'notify.message',
      roomId: 'RoomA1',
      target: null,
    });
    expect(parsePushAddress('s2c.personal.whisper/RoomA1/moderator1')).toEqual({
      kind: 'personal.whisper',
      roomId: 'RoomA1',
      target: 'moderator1',
    });
    expect(parsePushAddress('join_user_init')).toBeNull();
    expect(parsePushAddress('s2c.notify.message')).toBeNull();
  });
});

describe('normalizePush', () => {
  it('reads the documented notify.message with messageDt in Korean time and an id from its content', () => {
    const { event, dedupKey } = push('s2c.notify.message/RoomA1', MESSAGE);
    expect(event).toEqual({
      roomKey: 'vc_1/RoomA1',
      id: expect.stringMatching(/^vc-[0-9a-f]{20}$/) as string,
      messageId: event.id,
      kind: 'message',
      user: { id: 'uMina', name: 'Mina' },
      text: 'hello',
      createdAt: EXAMPLE_MS,
      receivedAt: context.now,
      state: 'visible',
      // Not filtered yet: the feed service sets the word filter's flags.
      flags: [],
      data: { grade: 'user' },
    });
    expect(dedupKey).not.toBeNull();
    expect(messageIdFor(dedupKey ?? '', 1)).toBe(event.id);
    expect(messageIdFor(dedupKey ?? '', 2)).toBe(`${event.id}-2`);
  });

  it('reads messageDt as epoch milliseconds, as a number or a string, and as the spaced form', () => {
    for (const messageDt of [EXAMPLE_MS, String(EXAMPLE_MS), '2020-08-26 16:07:08']) {
      expect(push('s2c.notify.message/RoomA1', { ...MESSAGE, messageDt }).event.createdAt).toBe(
        EXAMPLE_MS,
      );
    }
    // Without a readable time, the time it arrived.
    expect(
      push('s2c.notify.message/RoomA1', { ...MESSAGE, messageDt: 'yesterday' }).event.createdAt,
    ).toBe(context.now);
  });

  it('gives the same message the same id live and in history, whatever the time form', () => {
    const live = push('s2c.notify.message/RoomA1', MESSAGE).event;
    const history = normalizeHistoryEntry(
      {
        logType: 'message',
        roomId: 'RoomA1',
        clientKey: 'uMina',
        message: 'hello',
        mimeType: 'text',
        messageType: null,
        nickName: 'Mina',
        date: '2020-08-26 16:07:08',
        grade: 'user',
        userInfo: '{"profile":3}',
      },
      context,
    );
    expect(history.ok && history.event.messageId).toBe(live.messageId);
    expect(history.ok && history.event.data).toEqual({ grade: 'user', userInfo: { profile: 3 } });
    const other = push('s2c.notify.message/RoomA1', { ...MESSAGE, message: 'hello!' }).event;
    expect(other.messageId).not.toBe(live.messageId);
  });

  it('reads userInfo as an object, a JSON string or Map text', () => {
    const info = (userInfo: unknown) =>
      (
        push('s2c.notify.message/RoomA1', { ...MESSAGE, userInfo }).event.data as {
          userInfo?: unknown;
        }
      ).userInfo;
    expect(info({ profile: 1, lang: 'ko' })).toEqual({ profile: 1, lang: 'ko' });
    expect(info('{"profile":1,"lang":"ko"}')).toEqual({ profile: 1, lang: 'ko' });
    expect(info('{profile=1, lang=ko}')).toEqual({ profile: '1', lang: 'ko' });
    expect(info('{profile=1,lang=ko}')).toEqual({ profile: '1', lang: 'ko' });
    expect(info('not user info')).toBeUndefined();
    expect(info(null)).toBeUndefined();
  });

  it('keeps userInfo within the shared limits and says when it cut some', () => {
    const long = 'x'.repeat(20_000);
    const result = push('s2c.notify.message/RoomA1', { ...MESSAGE, userInfo: { bio: long } });
    expect(result.trimmed).toBe(true);
    const kept = (result.event.data as { userInfo: { bio: string } }).userInfo.bio;
    expect(kept.endsWith('[trimmed]')).toBe(true);
    expect(kept.length).toBeLessThan(long.length);
    expect('trimmed' in push('s2c.notify.message/RoomA1', { ...MESSAGE, userInfo: {} })).toBe(
      false,
    );
    const join = push('s2c.notify.join.user/RoomA1', {
      ...MESSAGE,
      userInfo: `{${Array.from({ length: 1500 }, (_, index) => `k${index}=v`).join(', ')}}`,
    });
    expect(join.trimmed).toBe(true);
  });

  it('keeps an outsized grade or mime type within the limit on text and says it cut it', () => {
    const long = 'x'.repeat(JSON_LIMITS.textLength + 1);
    for (const field of ['grade', 'mimeType'] as const) {
      const result = push('s2c.notify.message/RoomA1', { ...MESSAGE, [field]: long });
      expect(result.trimmed, field).toBe(true);
      const kept = (result.event.data as Record<string, string>)[field];
      expect(kept, field).toBe(`${long.slice(0, JSON_LIMITS.textLength)}${TRIMMED_MARKER}`);
    }
    expect('trimmed' in push('s2c.notify.message/RoomA1', { ...MESSAGE, grade: 'vip' })).toBe(
      false,
    );
  });

  it('marks notices, the service’s own messages and the moderator’s', () => {
    expect(push('s2c.notify.notice/RoomA1', { ...MESSAGE, messageType: 'notice' }).event.kind).toBe(
      'notice',
    );
    // A notice may also come on the message address, flagged by messageType.
    expect(
      push('s2c.notify.message/RoomA1', { ...MESSAGE, messageType: 'notice' }).event.kind,
    ).toBe('notice');
    const admin = push('s2c.notify.notice/RoomA1', {
      ...MESSAGE,
      clientKey: 'admin',
      nickName: '운영자',
      grade: 'admin',
    }).event;
    expect(admin.fromModerator).toBe(true);
    const own = push('s2c.notify.message/RoomA1', { ...MESSAGE, clientKey: 'moderator1' }).event;
    expect(own.fromModerator).toBe(true);
    expect(push('s2c.notify.message/RoomA1', MESSAGE).event.fromModerator).toBeUndefined();
  });

  it('reads a custom message without an id to act on', () => {
    const { event, dedupKey } = push('s2c.notify.custom/RoomA1', {
      ...MESSAGE,
      message: '{"type":"notice","msg":"hi"}',
      messageCount: '12',
    });
    expect(event).toMatchObject({ kind: 'custom', text: '{"type":"notice","msg":"hi"}' });
    expect(event.messageId).toBeNull();
    expect(event.id).toMatch(/^vc-local-\d+$/);
    expect(dedupKey).toBeNull();
  });

  it('reads a whisper to the moderator as a direct message to them', () => {
    const { event } = push('s2c.personal.whisper/RoomA1/moderator1', {
      ...MESSAGE,
      receivedClientKey: 'moderator1',
      messageType: 'whisper',
      userInfo: { lang: 'en' },
    });
    expect(event).toMatchObject({
      kind: 'dm',
      toModerator: true,
      receivers: ['moderator1'],
      user: { id: 'uMina', name: 'Mina' },
    });
    // A whisper the moderator sent to someone else is theirs, not to them.
    const sent = push('s2c.personal.whisper/RoomA1/uTom', {
      ...MESSAGE,
      clientKey: 'moderator1',
    }).event;
    expect(sent).toMatchObject({ kind: 'dm', fromModerator: true, receivers: ['uTom'] });
    expect(sent.toModerator).toBeUndefined();
    // The prototype's `notify.whisper` names the receiver in the body.
    expect(
      push('s2c.notify.whisper/RoomA1', { ...MESSAGE, receivedClientKey: 'moderator1' }).event
        .toModerator,
    ).toBe(true);
  });

  it('reads joins and leaves with their counts as numbers or strings, and a leave with only a nickname', () => {
    for (const [joinCount, currentUserCount] of [
      [25, 21],
      ['25', '21'],
    ]) {
      const { event } = push('s2c.notify.join.user/RoomA1', {
        roomId: 'RoomA1',
        clientKey: 'uMina',
        nickName: 'Mina',
        grade: 'user',
        joinCount,
        currentUserCount,
        userInfo: '{lang=ko}',
      });
      expect(event).toMatchObject({
        kind: 'join',
        user: { id: 'uMina', name: 'Mina' },
        text: '',
        counts: { total: 25, participants: 21 },
        data: { grade: 'user', userInfo: { lang: 'ko' } },
      });
    }
    const leave = push('s2c.notify.leave.user/RoomA1', { nickName: 'Mina' }).event;
    expect(leave).toMatchObject({ kind: 'leave', user: { id: 'Mina', name: 'Mina' } });
    expect(leave.counts).toBeUndefined();
  });

  it('reads exile, mute and their lifting as system events about a user, personal ones addressed', () => {
    const kinds = [
      ['s2c.notify.kick.user/RoomA1', 'exile'],
      ['s2c.notify.unkick.user/RoomA1', 'unexile'],
      ['s2c.notify.mute.user/RoomA1', 'mute'],
      ['s2c.notify.unmute.user/RoomA1', 'unmute'],
    ] as const;
    for (const [address, customType] of kinds) {
      const { event } = push(address, { roomId: 'RoomA1', clientKey: 'uTroll', nickName: 'Troll' });
      expect(event).toMatchObject({
        kind: 'system',
        customType,
        user: { id: 'uTroll', name: 'Troll' },
        text: '',
        messageId: null,
      });
      expect(event.receivers).toBeUndefined();
    }
    const personal = push('s2c.personal.mute.user/RoomA1/moderator1', {
      clientKey: 'moderator1',
      nickName: '운영자',
      messageDt: 1598438218334,
    }).event;
    expect(personal).toMatchObject({
      kind: 'system',
      customType: 'mute',
      receivers: ['moderator1'],
      toModerator: true,
      createdAt: 1598438218334,
    });
    expect(
      push('s2c.personal.duplicate.user/RoomA1/moderator1', {
        clientKey: 'moderator1',
        messageDt: 1598438072058,
      }).event.customType,
    ).toBe('duplicate');
  });

  it('unwraps a body the server wrapped with a returncode, and reads a body sent as JSON text', () => {
    expect(push('s2c.notify.message/RoomA1', { returncode: 1, data: MESSAGE }).event.text).toBe(
      'hello',
    );
    expect(push('s2c.notify.message/RoomA1', JSON.stringify(MESSAGE)).event.text).toBe('hello');
  });

  it('calls anything else malformed instead of throwing', () => {
    const cases: Array<[string, unknown]> = [
      ['s2c.notify.message/RoomA1', null],
      ['s2c.notify.message/RoomA1', 'not json'],
      ['s2c.notify.message/RoomA1', [MESSAGE]],
      ['s2c.notify.message/RoomA1', { ...MESSAGE, message: 42 }],
      ['s2c.notify.message/RoomA1', { message: 'who?' }],
      ['s2c.notify.join.user/RoomA1', { grade: 'user' }],
      ['s2c.something.new/RoomA1', MESSAGE],
      ['s2c.notify.message/RoomA1', { returncode: 1, data: 'x' }],
    ];
    for (const [address, body] of cases) {
      const parsed = parsePushAddress(address);
      expect(parsed && normalizePush(parsed, body, context).ok, JSON.stringify(body)).toBe(false);
    }
    expect(normalizeHistoryEntry({ logType: 'join', clientKey: 'x' }, context).ok).toBe(false);
  });

  it('never throws, whatever the body', () => {
    fc.assert(
      fc.property(
        fc.jsonValue(),
        fc.constantFrom(...Object.keys(KNOWN_ADDRESSES)),
        (body, address) => {
          const parsed = parsePushAddress(address);
          if (parsed === null) return false;
          normalizePush(parsed, body, context);
          normalizeHistoryEntry(body, context);
          return true;
        },
      ),
    );
  });
});

const KNOWN_ADDRESSES = {
  's2c.notify.message/R': 1,
  's2c.notify.notice/R': 1,
  's2c.notify.custom/R': 1,
  's2c.notify.join.user/R': 1,
  's2c.notify.leave.user/R': 1,
  's2c.notify.kick.user/R': 1,
  's2c.personal.whisper/R/moderator1': 1,
  's2c.personal.kick.user/R/moderator1': 1,
};

describe('readCount and parseUserInfo', () => {
  it('reads counts as numbers or digit strings only', () => {
    expect(readCount(4979)).toBe(4979);
    expect(readCount('4979')).toBe(4979);
    expect(readCount(' 12 ')).toBe(12);
    expect(readCount('')).toBeUndefined();
    expect(readCount('many')).toBeUndefined();
    expect(readCount(Number.NaN)).toBeUndefined();
    expect(readCount(null)).toBeUndefined();
  });

  it('treats text that is not a flat Map as unreadable rather than guessing', () => {
    expect(parseUserInfo('{a=b, c}')).toBeUndefined();
    expect(parseUserInfo('{}')).toBeUndefined();
    expect(parseUserInfo('[1,2]')).toBeUndefined();
    expect(parseUserInfo({ nested: { a: 1 } })).toEqual({ nested: { a: 1 } });
  });
});
