/**
 * Simulated spam: with a spam share the chatter script mixes spammers into the stream, every chat
 * message says what it is, and the hard negatives (the crowd's reactions, a chatter saying "gg"
 * twice) are labelled as chat; the control API starts a raid now.
 */
import { describe, expect, it } from 'vitest';
import {
  ChatterScript,
  DEMO_SPAM,
  isChatEvent,
  SPAM_KINDS,
  type ChatterChatEvent,
  type ChatterEvent,
} from '../../../src/sandbox/index';
import { createAutomod, defaultAutomodConfig } from '../../../src/shared/automod';
import { control, useSandbox } from '../../support/sandbox';

function take(script: ChatterScript, count: number): ChatterEvent[] {
  return Array.from({ length: count }, () => script.next());
}

describe('simulated spam', () => {
  it('leaves the stream as it was without a spam share, and labels none of it spam', () => {
    const plain = take(new ChatterScript({ seed: 5, stream: 'room' }), 3000);
    const zero = take(new ChatterScript({ seed: 5, stream: 'room', spamShare: 0 }), 3000);
    expect(zero).toEqual(plain);
    // The only spam without a share is the old burst raid: one person repeating a line.
    const labels = new Set(plain.filter(isChatEvent).map((event) => event.spam));
    expect([...labels].every((label) => label === null || label === 'repeat')).toBe(true);
  });

  it('keeps the ordinary chat of the embedded default from looking like spam to the default automod', () => {
    // The embedded default's share and rate: 5 messages a second in a room, 10 minutes of it.
    const script = new ChatterScript({ seed: 13, stream: 'room', spamShare: DEMO_SPAM.spamShare });
    const automod = createAutomod(defaultAutomodConfig());
    const flagged: string[] = [];
    let ordinary = 0;
    for (let index = 0; index < 3000; index += 1) {
      const event = script.next();
      if (!isChatEvent(event)) continue;
      const verdicts = automod.check({
        roomKey: 'a/room',
        userId: event.user.id,
        userName: event.user.name,
        text: event.text,
        at: index * 200,
      });
      // Forbidden-word lines share a template ("only a … would say that"): the word filter
      // flags them anyway.
      if (event.spam !== null || event.burst || event.forbiddenWord !== null) continue;
      ordinary += 1;
      flagged.push(...verdicts.map((verdict) => `${verdict.kind}: ${event.text}`));
    }
    expect(ordinary).toBeGreaterThan(1800);
    // Each line said by few people at once: no copy-paste raid among ordinary chat.
    expect(flagged.filter((line) => line.startsWith('raid'))).toEqual([]);
  });

  it('mixes every kind of spammer into the stream, the same for the same seed, with the hard negatives labelled as chat', () => {
    const events = take(new ChatterScript({ seed: 9, stream: 'room', spamShare: 0.05 }), 20_000);
    const again = take(new ChatterScript({ seed: 9, stream: 'room', spamShare: 0.05 }), 20_000);
    expect(again).toEqual(events);
    const chat = events.filter(isChatEvent);
    const kinds = new Set(chat.map((event) => event.spam));
    for (const kind of SPAM_KINDS) expect(kinds.has(kind)).toBe(true);

    const pool = new Set(new ChatterScript({ seed: 9, stream: 'room' }).users.map((u) => u.id));
    const of = (kind: string): ChatterChatEvent[] => chat.filter((event) => event.spam === kind);
    // Raiders and bots are fresh accounts; a raid's copies differ but share the pasted line.
    expect(of('raid').every((event) => !pool.has(event.user.id))).toBe(true);
    expect(of('name').every((event) => /^[a-z]+[_-][a-z]+[_-]\d+$/.test(event.user.name))).toBe(
      true,
    );
    expect(of('caps').every((event) => event.text === event.text.toUpperCase())).toBe(true);
    expect(of('link').every((event) => /https?:\/\/|www\./.test(event.text))).toBe(true);
    expect(of('mention').every((event) => (event.text.match(/@/g) ?? []).length >= 5)).toBe(true);
    // A spammer's repeats come from one user among the chatters.
    expect(of('repeat').every((event) => pool.has(event.user.id))).toBe(true);

    // Hard negatives: the crowd's reactions and a chatter saying a short reaction twice are chat.
    const twice = chat.filter((event, index) =>
      chat
        .slice(index + 1, index + 4)
        .some(
          (later) =>
            later.user.id === event.user.id && later.text === event.text && later.spam === null,
        ),
    );
    expect(twice.some((event) => event.spam === null && event.text.length <= 5)).toBe(true);
    const crowd = chat.filter((event) => event.burst && event.spam === null);
    expect(crowd.length).toBeGreaterThan(0);
    expect(new Set(crowd.map((event) => event.user.id)).size).toBeGreaterThan(5);
  });

  it('starts a raid on a room now through the control API, and refuses a bad one', async () => {
    const sandbox = await useSandbox({ rooms: 1, ratePerRoom: 0 });
    const api = control(sandbox);
    const text = 'join the giveaway before it ends, the link is in my profile';
    const { messageIds } = await api.post<{ messageIds: string[] }>('/rooms/1001/raid', {
      users: 7,
      text,
    });
    expect(messageIds).toHaveLength(7);
    const stored = await Promise.all(
      messageIds.map((id) =>
        api.get<{ message: string; user: { id: string } }>(`/rooms/1001/messages/${id}`),
      ),
    );
    expect(new Set(stored.map((message) => message.user.id)).size).toBe(7);
    for (const message of stored)
      expect(message.message.length).toBeGreaterThanOrEqual(text.length - 1);
    await expect(api.post('/rooms/1001/raid', { users: 0 })).rejects.toThrow(/400/);
    await expect(api.post('/rooms/1001/raid', { text: ' ' })).rejects.toThrow(/400/);
    await expect(api.post('/rooms/9999/raid', {})).rejects.toThrow(/404/);
  });
});
