import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  normalizeGossipFrame,
  type FrameContext,
} from '../../../src/main/providers/flipflop/normalize';

const context: FrameContext = {
  roomKey: 'acc_1/1001',
  destination: '/topic/chat/ch-1001',
  moderatorUserId: 'moderator',
  now: 1_763_780_000_000,
};

function ok(body: unknown, overrides: Partial<FrameContext> = {}) {
  const result = normalizeGossipFrame(typeof body === 'string' ? body : JSON.stringify(body), {
    ...context,
    ...overrides,
  });
  if (!result.ok) throw new Error(`expected a normalised event, got: ${result.reason}`);
  return result.event;
}

describe('normalizeGossipFrame', () => {
  it('reads the documented snake_case model, keeping a 19-digit id exact', () => {
    const event = ok(
      '{"channel_key":"ch-1001","user":{"id":"u7","username":"Mina","avatar":"https://img.example/u7.png"},"message_type":"MESSAGE","message_id":"1679786302000000001","message":"hello","custom_type":"MSG","data":"","created_at":"1679786302"}',
    );
    expect(event).toEqual({
      roomKey: 'acc_1/1001',
      id: '1679786302000000001',
      messageId: '1679786302000000001',
      kind: 'message',
      user: { id: 'u7', name: 'Mina', avatar: 'https://img.example/u7.png' },
      text: 'hello',
      createdAt: 1_679_786_302_000,
      receivedAt: context.now,
      state: 'visible',
      // Not filtered yet: the feed service sets the word filter's flags.
      flags: [],
      customType: 'MSG',
    });
  });

  it('keeps an unquoted 19-digit message id exact instead of rounding it', () => {
    const event = ok(
      '{"message_type":"MESSAGE","message_id":1679786302000000123,"user":{"id":"u1"},"message":"x"}',
    );
    expect(event.messageId).toBe('1679786302000000123');
  });

  it('reads the camelCase model of the ffl-gossip SDK, with createdAt in ms and data as an object', () => {
    const event = ok({
      channelKey: 'ch-1001',
      user: { id: 42, username: 'Jun' },
      messageType: 'MESSAGE',
      messageId: '1679786302000000002',
      message: '안녕하세요',
      data: { color: 'red' },
      createdAt: 1_679_786_302_123,
    });
    expect(event.user).toEqual({ id: '42', name: 'Jun' });
    expect(event.createdAt).toBe(1_679_786_302_123);
    expect(event.data).toEqual({ color: 'red' });
    expect(event.text).toBe('안녕하세요');
  });

  it.each([
    ['an ISO string', '2023-03-14T02:50:23.202Z', Date.parse('2023-03-14T02:50:23.202Z')],
    ['epoch seconds as a number', 1_679_786_302, 1_679_786_302_000],
    ['epoch ms as a string', '1679786302123', 1_679_786_302_123],
  ])('reads created_at given as %s', (_name, createdAt, expected) => {
    expect(
      ok({ message_type: 'MESSAGE', user: { id: 'u' }, message: 'm', created_at: createdAt })
        .createdAt,
    ).toBe(expected);
  });

  it('uses the arrival time when created_at is missing or unreadable', () => {
    expect(ok({ message_type: 'MESSAGE', user: { id: 'u' }, message: 'm' }).createdAt).toBe(
      context.now,
    );
    expect(
      ok({ message_type: 'MESSAGE', user: { id: 'u' }, message: 'm', created_at: 'soon' })
        .createdAt,
    ).toBe(context.now);
  });

  it('parses data sent as a JSON string and keeps other strings as they are', () => {
    expect(ok({ message_type: 'COMMAND', message: 'x', data: '{"a":1}' }).data).toEqual({ a: 1 });
    expect(ok({ message_type: 'COMMAND', message: 'x', data: 'OWNER' }).data).toBe('OWNER');
    expect(ok({ message_type: 'COMMAND', message: 'x', data: '' }).data).toBeUndefined();
  });

  it('keeps data within the shared limits and says when it cut some', () => {
    const wide = Object.fromEntries(
      Array.from({ length: 2000 }, (_, index) => [`k${index}`, index]),
    );
    const result = normalizeGossipFrame(
      JSON.stringify({ message_type: 'COMMAND', message: 'x', data: JSON.stringify(wide) }),
      context,
    );
    expect(result.ok && result.trimmed).toBe(true);
    expect(result.ok && Object.keys(result.event.data as object)).toHaveLength(1001);
    const small = normalizeGossipFrame(
      JSON.stringify({ message_type: 'COMMAND', message: 'x', data: { a: 1 } }),
      context,
    );
    expect(small).toMatchObject({ ok: true, event: { data: { a: 1 } } });
    expect(small.ok && 'trimmed' in small).toBe(false);
  });

  it('reads JOIN and LEAVE (and LEAVED) with their counts', () => {
    const join = ok({
      message_type: 'JOIN',
      user: { id: 'u2' },
      total_user_count: 1004,
      participant_count: 12,
    });
    expect(join.kind).toBe('join');
    expect(join.counts).toEqual({ total: 1004, participants: 12 });
    expect(
      ok({ messageType: 'LEAVED', user: { id: 'u2' }, participantCount: '11' }).counts,
    ).toEqual({
      participants: 11,
    });
  });

  it('marks a DM on the moderator DM topic as addressed to the moderator', () => {
    const event = ok(
      {
        message_type: 'DM',
        user: { id: 'u3', username: 'Kim' },
        message: 'help please',
        receiver: 'moderator',
      },
      { destination: '/topic/dm/ch-1001/user/moderator' },
    );
    expect(event.kind).toBe('dm');
    expect(event.toModerator).toBe(true);
    expect(event.receivers).toEqual(['moderator']);
  });

  it("marks the moderator's own messages and never treats them as addressed to the moderator", () => {
    const own = ok(
      { message_type: 'DM', user: { id: 'moderator' }, message: 'noted', receiver: 'u3' },
      { destination: '/topic/dm/ch-1001/user/moderator' },
    );
    expect(own.fromModerator).toBe(true);
    expect(own.toModerator).toBeUndefined();
  });

  it.each([
    ['not JSON', 'hello{'],
    ['a JSON array', '[1,2]'],
    ['a JSON string', '"MESSAGE"'],
    ['null', 'null'],
    ['no message type', JSON.stringify({ user: { id: 'u' }, message: 'm' })],
    [
      'an unknown message type',
      JSON.stringify({ message_type: 'TELEPORT', user: { id: 'u' }, message: 'm' }),
    ],
    ['a chat message without sender', JSON.stringify({ message_type: 'MESSAGE', message: 'm' })],
    ['a chat message without text', JSON.stringify({ message_type: 'MESSAGE', user: { id: 'u' } })],
    [
      'text that is not a string',
      JSON.stringify({ message_type: 'MESSAGE', user: { id: 'u' }, message: { a: 1 } }),
    ],
  ])('reports %s as malformed', (_name, body) => {
    expect(normalizeGossipFrame(body, context).ok).toBe(false);
  });
});

/** A frame that must normalise: the documented model in either casing, with noise. */
const validFrame = fc
  .record({
    snake: fc.boolean(),
    type: fc.constantFrom('MESSAGE', 'DM', 'COMMAND', 'JOIN', 'LEAVE', 'message'),
    id: fc.oneof(
      fc.bigInt({ min: 10n ** 18n, max: 10n ** 19n - 1n }).map(String),
      fc.nat().map(String),
    ),
    userId: fc.string({ minLength: 1, maxLength: 12 }).filter((value) => value.trim() !== ''),
    text: fc.string({ maxLength: 200 }),
    createdAt: fc.oneof(fc.nat(), fc.string(), fc.constant(undefined)),
    data: fc.oneof(fc.string(), fc.dictionary(fc.string(), fc.jsonValue()), fc.constant(undefined)),
  })
  .map((frame) => {
    const name = (snake: string, camel: string) => (frame.snake ? snake : camel);
    return JSON.stringify({
      [name('message_type', 'messageType')]: frame.type,
      [name('message_id', 'messageId')]: frame.id,
      user: { id: frame.userId },
      message: frame.text,
      [name('created_at', 'createdAt')]: frame.createdAt,
      data: frame.data,
    });
  });

/** A frame that must be reported malformed. */
const malformedFrame = fc.oneof(
  fc.string().filter((text) => {
    try {
      const value: unknown = JSON.parse(text);
      return typeof value !== 'object' || value === null || Array.isArray(value);
    } catch {
      return true;
    }
  }),
  fc
    .jsonValue()
    .filter((value) => typeof value !== 'object' || value === null || Array.isArray(value))
    .map((v) => JSON.stringify(v)),
  fc
    .record({ message: fc.string(), user: fc.record({ id: fc.string() }) })
    .map((v) => JSON.stringify(v)),
  fc
    .record({ message_type: fc.constantFrom('MESSAGE', 'DM'), message: fc.string() })
    .map((v) => JSON.stringify(v)),
  fc
    .record({
      message_type: fc
        .string()
        .filter((t) => !/^(message|dm|command|join|joined|leave|leaved|admin|system)$/i.test(t)),
      user: fc.record({ id: fc.string({ minLength: 1 }) }),
      message: fc.string(),
    })
    .map((v) => JSON.stringify(v)),
);

describe('normalizeGossipFrame under 10,000 random and malformed frames', () => {
  it('never throws, and reports exactly the malformed frames as malformed', () => {
    const frames = fc.sample(
      fc.oneof(
        validFrame.map((body) => ({ body, malformed: false })),
        malformedFrame.map((body) => ({ body, malformed: true })),
      ),
      { numRuns: 10_000, seed: 20261122 },
    );
    let malformed = 0;
    let expected = 0;
    for (const frame of frames) {
      const result = normalizeGossipFrame(frame.body, context);
      if (!result.ok) malformed += 1;
      if (frame.malformed) expected += 1;
      expect(result.ok, frame.body).toBe(!frame.malformed);
    }
    expect(frames).toHaveLength(10_000);
    expect(malformed).toBe(expected);
    expect(expected).toBeGreaterThan(1000);
  });
});
