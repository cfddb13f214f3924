import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SCAN_UNITS,
  MAX_REGEX_UNITS,
  compileQuery,
  hasLink,
  matchesQuery,
  scanMessages,
  searchableEvent,
  type Query,
  type SearchableMessage,
} from '../../../src/shared/search';
import type { ChatEvent } from '../../../src/shared/chat';
import { NOW, parsed } from './parsed';

function message(overrides: Partial<SearchableMessage> = {}): SearchableMessage {
  return {
    roomKey: 'acc-1/room-7',
    roomName: 'Lobby',
    userId: 'u-42',
    userName: 'Bob',
    text: 'hello there',
    kind: 'message',
    state: 'visible',
    ruleIds: [],
    at: NOW - 60_000,
    ...overrides,
  };
}

function finds(text: string, overrides: Partial<SearchableMessage> = {}): boolean {
  return matchesQuery(parsed(text), message(overrides));
}

describe('matchesQuery: text', () => {
  it('ignores case and full-width forms', () => {
    expect(finds('hello', { text: 'HeLLo world' })).toBe(true);
    expect(finds('Hello', { text: 'ｈｅｌｌｏ world' })).toBe(true);
  });

  it('finds a two-syllable Korean word inside a longer word', () => {
    expect(finds('바보', { text: '너 바보야?' })).toBe(true);
    expect(finds('바보', { text: '바다 보러 가자' })).toBe(false);
  });

  it('finds Korean typed as decomposed jamo', () => {
    expect(finds('바보', { text: '바보'.normalize('NFD') })).toBe(true);
  });

  it('finds a two-letter English word', () => {
    expect(finds('gg', { text: 'gg wp' })).toBe(true);
    expect(finds('GG', { text: 'that was a good game' })).toBe(false);
  });

  it('needs every word, in any order', () => {
    expect(finds('there hello', { text: 'hello there' })).toBe(true);
    expect(finds('hello nobody', { text: 'hello there' })).toBe(false);
  });

  it('matches a phrase across any white space, but not out of order', () => {
    expect(finds('"gg wp"', { text: 'GG\n  wp all' })).toBe(true);
    expect(finds('"wp gg"', { text: 'gg wp' })).toBe(false);
  });

  it('leaves out excluded words and phrases', () => {
    expect(finds('hello -there', { text: 'hello there' })).toBe(false);
    expect(finds('hello -"there hello"', { text: 'hello there' })).toBe(true);
  });

  it('matches everything with an empty query', () => {
    expect(finds('', { text: '' })).toBe(true);
  });
});

describe('matchesQuery: operators', () => {
  it('from: matches the user name or id, any of a list, not a part of one', () => {
    expect(finds('from:bob')).toBe(true);
    expect(finds('from:U-42')).toBe(true);
    expect(finds('from:alice,bob')).toBe(true);
    expect(finds('from:bo')).toBe(false);
    expect(finds('from:"bob smith"', { userName: 'Bob  Smith' })).toBe(true);
    expect(finds('from:bob', { userId: null, userName: null })).toBe(false);
    expect(finds('-from:bob')).toBe(false);
  });

  it('in: matches the room name, key or id', () => {
    expect(finds('in:lobby')).toBe(true);
    expect(finds('in:acc-1/room-7')).toBe(true);
    expect(finds('in:room-7')).toBe(true);
    expect(finds('in:other,LOBBY')).toBe(true);
    expect(finds('in:lob')).toBe(false);
  });

  it('is: matches each trait', () => {
    expect(finds('is:flagged', { ruleIds: ['r-1'] })).toBe(true);
    expect(finds('is:flagged')).toBe(false);
    expect(finds('is:hidden', { state: 'hidden' })).toBe(true);
    expect(finds('is:deleted', { state: 'deleted' })).toBe(true);
    expect(finds('is:held', { state: 'held' })).toBe(true);
    expect(finds('is:hidden', { state: 'held' })).toBe(false);
    expect(finds('is:dm', { kind: 'dm' })).toBe(true);
    expect(finds('is:dm')).toBe(false);
    expect(finds('is:first', { first: true })).toBe(true);
    expect(finds('is:first')).toBe(false);
    expect(finds('is:hidden,deleted', { state: 'deleted' })).toBe(true);
    expect(finds('-is:hidden', { state: 'hidden' })).toBe(false);
  });

  it('rule: matches a rule among the message flags, exactly', () => {
    expect(finds('rule:r-1', { ruleIds: ['r-0', 'r-1'] })).toBe(true);
    expect(finds('rule:r-2,r-3', { ruleIds: ['r-1'] })).toBe(false);
    expect(finds('rule:R-1', { ruleIds: ['r-1'] })).toBe(false);
  });

  it('before: and after: split time at the start of the named moment', () => {
    const startOfDay = new Date(2026, 11, 1).getTime();
    expect(finds('before:2026-12-01', { at: startOfDay - 1 })).toBe(true);
    expect(finds('before:2026-12-01', { at: startOfDay })).toBe(false);
    expect(finds('after:2026-12-01', { at: startOfDay })).toBe(true);
    expect(finds('after:2026-12-01', { at: startOfDay - 1 })).toBe(false);
    expect(finds('after:today')).toBe(true);
    expect(finds('after:today', { at: new Date(2026, 11, 6, 23, 59).getTime() })).toBe(false);
    expect(finds('after:12h before:1h', { at: NOW - 2 * 60 * 60 * 1000 })).toBe(true);
    expect(finds('after:12h before:1h', { at: NOW - 30 * 60 * 1000 })).toBe(false);
  });

  it('regex: matches the folded text', () => {
    expect(finds('regex:/b[a4]d\\s+word/', { text: 'a B4D   word' })).toBe(true);
    expect(finds('regex:^hello$', { text: 'hello there' })).toBe(false);
    expect(finds('-regex:\\d{3}', { text: 'call 555' })).toBe(false);
  });

  it('regex: runs a catastrophic pattern in linear time', () => {
    // On a backtracking engine, (a+)+$ over 30 a's and a ! takes about 2^30 steps.
    const hostile = parsed('regex:(a+)+$');
    const text = `${'a'.repeat(MAX_REGEX_UNITS - 1)}!`;
    const started = performance.now();
    expect(matchesQuery(hostile, message({ text }))).toBe(false);
    expect(matchesQuery(hostile, message({ text: 'aaa' }))).toBe(true);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('bounds', () => {
  it('gives a regex only the first MAX_REGEX_UNITS units of a message, and words all of it', () => {
    const text = `${'a '.repeat(MAX_REGEX_UNITS)}zz`;
    expect(finds('regex:zz', { text })).toBe(false);
    expect(finds('zz', { text })).toBe(true);
  });
});

describe('has:link', () => {
  it.each([
    'see https://example.com',
    'http://x',
    'www.example',
    'go to example.com/x now',
    'twitch.tv',
    '(naver.com)',
    'sub.domain.co.kr',
    'weird.tld/path',
  ])('finds a link in %s', (text) => {
    expect(hasLink(text)).toBe(true);
    expect(finds('has:link', { text })).toBe(true);
  });

  it.each(['node.js rocks', 'file.txt', 'e.g. this', 'version 2.0', 'a.m.', 'https:// alone', ''])(
    'finds no link in %s',
    (text) => {
      expect(hasLink(text)).toBe(false);
      expect(finds('-has:link', { text })).toBe(true);
    },
  );
});

describe('compileQuery', () => {
  it('tests many messages with one compiled query', () => {
    const test = compileQuery(parsed('gg -from:bob'));
    expect(test(message({ text: 'gg', userName: 'alice', userId: 'u-1' }))).toBe(true);
    expect(test(message({ text: 'gg' }))).toBe(false);
    expect(test(message({ text: 'wp', userName: 'alice', userId: 'u-1' }))).toBe(false);
  });

  it('matches nothing for a regex the guard refuses, instead of running it', () => {
    for (const negated of [false, true]) {
      const unsafe: Query = { clauses: [{ type: 'regex', negated, pattern: '(a)\\1' }] };
      expect(compileQuery(unsafe)(message({ text: 'aa' }))).toBe(false);
      expect(compileQuery(unsafe)(message({ text: 'ab' }))).toBe(false);
    }
  });
});

describe('scanMessages', () => {
  const messages = Array.from({ length: 10 }, (_, index) =>
    message({ text: `message ${index} ${'x'.repeat(90)}` }),
  );

  it('scans the whole list when the budget allows', () => {
    const result = scanMessages(parsed('regex:message\\s[02468]'), messages, { maxUnits: 10_000 });
    expect(result).toMatchObject({ scanned: 10, stoppedEarly: false });
    expect(result.matches).toEqual([0, 2, 4, 6, 8].map((index) => messages[index]));
  });

  it('stops at the message budget and says where to resume', () => {
    const result = scanMessages(parsed('regex:message'), messages, { maxMessages: 4 });
    expect(result).toMatchObject({ scanned: 4, stoppedEarly: true });
    expect(result.matches).toHaveLength(4);
  });

  it('stops before a message that would exceed the character budget', () => {
    const length = messages[0]!.text.length;
    const result = scanMessages(parsed('message'), messages, { maxUnits: length * 3 + 1 });
    expect(result).toMatchObject({ scanned: 3, stoppedEarly: true });
    const rest = scanMessages(parsed('message'), messages.slice(result.scanned), {});
    expect(rest).toMatchObject({ scanned: 7, stoppedEarly: false });
  });

  it('reads a first message longer than the budget, so that resuming moves on', () => {
    const result = scanMessages(parsed('message'), messages, { maxUnits: 10 });
    expect(result).toMatchObject({ scanned: 1, stoppedEarly: true });
    expect(result.matches).toEqual([messages[0]]);
  });

  it('reads DEFAULT_SCAN_UNITS when not told otherwise', () => {
    const big = Array.from({ length: 3 }, () =>
      message({ text: 'z'.repeat(DEFAULT_SCAN_UNITS / 2 - 1) }),
    );
    expect(scanMessages(parsed('zz'), big)).toMatchObject({ scanned: 2, stoppedEarly: true });
  });
});

describe('a live chat event as search reads it', () => {
  const event: ChatEvent = {
    roomKey: 'acc-1/room-7',
    id: 'm1',
    messageId: 'm1',
    kind: 'message',
    user: { id: 'u-42', name: 'Bob' },
    text: 'hello there',
    createdAt: NOW - 60_000,
    receivedAt: NOW - 60_000,
    state: 'visible',
    flags: [{ ruleId: 'r-1', start: 0, end: 5 }],
  };

  it("finds a first-time chatter's message by is:first, marked or raised, and nothing else", () => {
    for (const first of ['marked', 'raised'] as const) {
      expect(matchesQuery(parsed('is:first'), searchableEvent({ ...event, first }))).toBe(true);
      expect(matchesQuery(parsed('-is:first'), searchableEvent({ ...event, first }))).toBe(false);
    }
    expect(matchesQuery(parsed('is:first'), searchableEvent(event))).toBe(false);
  });

  it('reads its user, room, rules and time as the store does', () => {
    const live = searchableEvent(event, 'Lobby');
    for (const text of ['from:bob', 'from:u-42', 'in:lobby', 'in:room-7', 'rule:r-1', 'hello'])
      expect(matchesQuery(parsed(text), live), text).toBe(true);
    expect(matchesQuery(parsed('in:lobby'), searchableEvent(event))).toBe(false);
  });
});
