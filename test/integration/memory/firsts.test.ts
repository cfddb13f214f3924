import { describe, expect, it } from 'vitest';
import type { ChatEvent } from '../../../src/shared/chat';
import { defaultSettings } from '../../../src/shared/model';
import type { Core } from '../../../src/main/core';
import type { Sandbox } from '../../../src/sandbox';
import { buildTestCore, call, recordFeeds, valueOf, type FeedRecord } from '../../support/core';
import { chatEvent, startTestWorker } from '../../support/memory';
import { addSandboxAccount, control, useSandbox } from '../../support/sandbox';
import { useTempDir } from '../../support/tempDir';
import { until } from '../../support/until';

const memory = { startWorker: startTestWorker };
const DAY = 24 * 60 * 60 * 1000;

describe('first-time chatters', () => {
  it("marks a user's first message in a room, not the next, and remembers them after a restart", async () => {
    const sandbox = await useSandbox({ rooms: 1, ratePerRoom: 0 });
    const dir = await useTempDir();
    const first = await buildTestCore(dir, { memory });
    const accountId = await addSandboxAccount(first.core, sandbox);
    const roomKey = `${accountId}/1001`;
    const feeds = await openLive(first.core, accountId);
    const hello = await say(first.core, sandbox, feeds, 'newbie', 'hello');
    const again = await say(first.core, sandbox, feeds, 'newbie', 'hello again');
    expect(hello.first).toBe('marked');
    expect(again.first).toBeUndefined();
    // Marked only: not in the Flagged queue, no notice.
    expect(first.notifier.shown).toHaveLength(0);
    const snapshot = valueOf(await call(first.core, 'feed.snapshot', { roomKey })).events;
    expect(snapshot.find((event) => event.id === hello.id)?.first).toBe('marked');
    await first.core.dispose();

    const second = await buildTestCore(dir, { memory, secrets: first.secrets });
    try {
      const live = await openLive(second.core, accountId);
      const back = await say(second.core, sandbox, live, 'newbie', 'back again');
      const stranger = await say(second.core, sandbox, live, 'stranger', 'hi, new here');
      expect(back.first).toBeUndefined();
      expect(stranger.first).toBe('marked');
      // The stored first message keeps its mark, and is:first finds the two firsts.
      await second.core.memory?.request('flush', {});
      const found = valueOf(
        await call(second.core, 'history.search', { query: 'is:first', roomKeys: [roomKey] }),
      );
      expect(found.results.map((event) => event.text)).toEqual(['hi, new here', 'hello']);
    } finally {
      await second.core.dispose();
    }
  });

  it('with the setting on, puts a first message in the Flagged queue and notifies', async () => {
    const sandbox = await useSandbox({ rooms: 1, ratePerRoom: 0 });
    const dir = await useTempDir();
    const { core, notifier } = await buildTestCore(dir, { memory });
    try {
      const accountId = await addSandboxAccount(core, sandbox);
      const roomKey = `${accountId}/1001`;
      valueOf(
        await call(core, 'settings.set', {
          history: { ...defaultSettings().history, firstChatters: 'flag' },
        }),
      );
      const feeds = await openLive(core, accountId);
      const hello = await say(core, sandbox, feeds, 'newbie', 'hello');
      const again = await say(core, sandbox, feeds, 'newbie', 'hello again');
      expect(hello.first).toBe('raised');
      expect(again.first).toBeUndefined();
      expect(notifier.shown).toHaveLength(1);
      expect(notifier.shown[0]?.title).toMatch(/^First message in /);
      expect(notifier.shown[0]?.body).toContain('hello');
      // Pinned like a flagged message: it can be marked handled, which a plain one cannot.
      valueOf(await call(core, 'flagged.markHandled', { roomKey, id: hello.id }));
      const refused = await call(core, 'flagged.markHandled', { roomKey, id: again.id });
      expect(refused.ok).toBe(false);
    } finally {
      await core.dispose();
    }
  });

  it('gives automod the first-time mark, so a burst of new chatters is flagged', async () => {
    const sandbox = await useSandbox({ rooms: 1, ratePerRoom: 0 });
    const dir = await useTempDir();
    const { core } = await buildTestCore(dir, { memory });
    try {
      const accountId = await addSandboxAccount(core, sandbox);
      const feeds = await openLive(core, accountId);
      // Ten newcomers at once (the rule's default: 10 in 10 s); then one of them speaks again.
      const said: ChatEvent[] = [];
      for (let index = 0; index < 10; index += 1) {
        said.push(await say(core, sandbox, feeds, `newcomer-${index}`, `hi from ${index}`));
      }
      const again = await say(core, sandbox, feeds, 'newcomer-0', 'me again');
      const burst = (event: ChatEvent | undefined) =>
        event?.flags.find((flag) => flag.ruleId === 'automod-new-chatters');
      expect(said.every((event) => event.first === 'marked')).toBe(true);
      expect(said.slice(0, 9).filter((event) => burst(event) !== undefined)).toEqual([]);
      expect(burst(said[9])?.reason).toMatch(/10/);
      expect(burst(again)).toBeUndefined();
    } finally {
      await core.dispose();
    }
  });

  it('marks nothing without a message history', async () => {
    const sandbox = await useSandbox({ rooms: 1, ratePerRoom: 0 });
    const dir = await useTempDir();
    const { core } = await buildTestCore(dir);
    try {
      const accountId = await addSandboxAccount(core, sandbox);
      const feeds = await openLive(core, accountId);
      const hello = await say(core, sandbox, feeds, 'newbie', 'hello');
      expect(hello.first).toBeUndefined();
    } finally {
      await core.dispose();
    }
  });
});

describe('retention from the settings', () => {
  it('reaches the worker: a 1-day setting prunes what is older', async () => {
    const dir = await useTempDir();
    const { core } = await buildTestCore(dir, { memory });
    try {
      const store = core.memory;
      if (store === null) throw new Error('no store');
      const old = chatEvent('acc/r', 'two days ago', { receivedAt: Date.now() - 2 * DAY });
      const fresh = chatEvent('acc/r', 'just now');
      store.ingest({ events: [old, fresh], updates: [], stats: [] });
      // The default keeps 30 days: both stay.
      expect((await store.request('prune', {})).events).toBe(2);
      valueOf(
        await call(core, 'settings.set', {
          history: { ...defaultSettings().history, keepDays: 1 },
        }),
      );
      // Posted after the new retention, so answered after the prune it starts.
      expect((await store.request('prune', {})).events).toBe(1);
      const kept = await store.request('events', { roomKeys: ['acc/r'] });
      expect(kept.events.map((event) => event.text)).toEqual(['just now']);
    } finally {
      await core.dispose();
    }
  });

  it('refuses a retention out of its bounds', async () => {
    const dir = await useTempDir();
    const { core } = await buildTestCore(dir, { memory });
    try {
      for (const history of [
        { keepDays: 0, maxGigabytes: 2 },
        { keepDays: 3651, maxGigabytes: 2 },
        { keepDays: 30, maxGigabytes: 0.05 },
        { keepDays: 30, maxGigabytes: 101 },
        { keepDays: 1.5, maxGigabytes: 2 },
      ]) {
        const result = await call(core, 'settings.set', {
          history: { ...defaultSettings().history, ...history },
        });
        expect(result.ok, JSON.stringify(history)).toBe(false);
      }
      expect(core.settings.get().history.keepDays).toBe(30);
    } finally {
      await core.dispose();
    }
  });
});

/**
 * Opens the sandbox's room 1001, waits until it is live and the store has said who its chatters
 * are (messages before that are not marked); returns what the feeds send.
 */
async function openLive(core: Core, accountId: string): Promise<FeedRecord> {
  const feeds = recordFeeds(core);
  valueOf(await call(core, 'rooms.open', { accountId, roomId: '1001' }));
  await until(
    core.events,
    () => feeds.statuses.some((status) => status.state === 'live'),
    'the room live',
  );
  await core.feeds.chattersKnown(`${accountId}/1001`);
  return feeds;
}

/** Says a message as `userId` in room 1001 and waits until the feed carries it. */
async function say(
  core: Core,
  sandbox: Sandbox,
  feeds: FeedRecord,
  userId: string,
  message: string,
): Promise<ChatEvent> {
  const { messageId } = await control(sandbox).say('1001', { userId, message });
  let carried: ChatEvent | undefined;
  await until(
    core.events,
    () => (carried = feeds.events.find((event) => event.messageId === messageId)) !== undefined,
    `the message ${message}`,
  );
  return carried as ChatEvent;
}
