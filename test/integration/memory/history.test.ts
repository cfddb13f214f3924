import { describe, expect, it } from 'vitest';
import { isHeld, type ChatEvent } from '../../../src/shared/chat';
import type { StartMemoryWorker } from '../../../src/main/services/memory/memory';
import type { FromWorker } from '../../../src/main/services/memory/protocol';
import type { EventPage } from '../../../src/main/services/memory/types';
import type { Core } from '../../../src/main/core';
import { buildTestCore, call, recordFeeds, valueOf, type FeedRecord } from '../../support/core';
import { startTestWorker } from '../../support/memory';
import type { Sandbox } from '../../../src/sandbox';
import { addSandboxAccount, control, useSandbox } from '../../support/sandbox';
import { useTempDir } from '../../support/tempDir';
import { until } from '../../support/until';

describe('a room opened after a restart', () => {
  it('shows its stored messages, as they were left, before the live ones and a divider for the time away', async () => {
    const sandbox = await useSandbox({ rooms: 1, ratePerRoom: 0 });
    const dir = await useTempDir();
    const memory = { startWorker: startTestWorker };
    const first = await buildTestCore(dir, { memory });
    const accountId = await addSandboxAccount(first.core, sandbox);
    valueOf(
      await call(first.core, 'settings.set', {
        rules: { global: [{ id: 'scam', pattern: 'scam' }], rooms: {} },
      }),
    );
    const roomKey = `${accountId}/1001`;
    const feeds = await openLive(first.core, accountId);
    const said: string[] = [];
    for (const message of ['first', 'second, a scam', 'third', 'fourth, a scam too'])
      said.push(await say(first.core, sandbox, feeds, message));
    expect(first.notifier.shown).toHaveLength(1);
    const hidden = said[0] as string;
    const dealtWith = said[3] as string;
    valueOf(await call(first.core, 'messages.hide', { roomKey, messageId: hidden }));
    valueOf(await call(first.core, 'flagged.markHandled', { roomKey, id: dealtWith }));
    await until(
      first.core.events,
      () =>
        feeds.batches.flatMap((batch) => batch.updates).filter((update) => update.handled).length >=
        2,
      'the hide and the mark in a batch',
    );
    await first.core.dispose();
    const stoppedAt = Date.now();

    const restartedAt = Date.now();
    const second = await buildTestCore(dir, { memory, secrets: first.secrets });
    try {
      const histories: string[] = [];
      second.core.events.subscribe((event, payload) => {
        if (event === 'feed.history') histories.push((payload as { roomKey: string }).roomKey);
      });
      const live = await openLive(second.core, accountId);
      await until(second.core.events, () => histories.includes(roomKey), 'the room history');
      const fresh = await say(second.core, sandbox, live, 'after the restart');

      const { events } = valueOf(await call(second.core, 'feed.snapshot', { roomKey }));
      const ids = events.map((event) => event.id);
      expect(new Set(ids).size).toBe(ids.length);
      const place = (messageId: string): number =>
        events.findIndex((event) => event.messageId === messageId);
      const divider = events.findIndex((event) => event.gap?.reason !== undefined);
      expect(said.map(place).every((index) => index >= 0)).toBe(true);
      expect(said.map(place)).toEqual([...said.map(place)].sort((a, b) => a - b));
      expect(place(dealtWith)).toBeLessThan(divider);
      expect(divider).toBeLessThan(place(fresh));
      const stored = (messageId: string): ChatEvent | undefined => events[place(messageId)];
      expect(stored(hidden)?.state).toBe('hidden');
      // Handled only if it was: the one never dealt with is raised in the Flagged queue again.
      expect(stored(said[1] as string)).toMatchObject({
        state: 'visible',
        flags: [{ ruleId: 'scam' }],
      });
      expect(stored(said[1] as string)?.handled).toBeUndefined();
      expect(stored(dealtWith)).toMatchObject({
        state: 'visible',
        flags: [{ ruleId: 'scam' }],
        handled: true,
      });
      const gap = events[divider]?.gap;
      expect(gap?.reason).toBe('appClosed');
      expect(gap?.from).toBeLessThanOrEqual(stoppedAt);
      expect(gap?.to).toBeGreaterThanOrEqual(restartedAt);
      // History was neither sent as new events (so not stored again) nor notified.
      expect(live.events.some((event) => said.includes(event.messageId ?? ''))).toBe(false);
      expect(second.notifier.shown).toHaveLength(0);
    } finally {
      await second.core.dispose();
    }
  });

  it('brings back a held message still waiting for review as held, and an approved one as handled', async () => {
    const sandbox = await useSandbox({ rooms: 1, ratePerRoom: 0 });
    const dir = await useTempDir();
    const memory = { startWorker: startTestWorker };
    const first = await buildTestCore(dir, { memory });
    const accountId = await addSandboxAccount(first.core, sandbox);
    valueOf(
      await call(first.core, 'settings.set', {
        rules: { global: [{ id: 'shop', pattern: 'followerz', action: 'hold' }], rooms: {} },
      }),
    );
    const roomKey = `${accountId}/1001`;
    const feeds = await openLive(first.core, accountId);
    const waiting = await say(first.core, sandbox, feeds, 'cheap followerz');
    const approved = await say(first.core, sandbox, feeds, 'more followerz');
    const hiddenUpdates = () =>
      feeds.batches.flatMap((batch) => batch.updates).filter((update) => update.state === 'hidden');
    await until(first.core.events, () => hiddenUpdates().length >= 2, 'both hidden');
    valueOf(await call(first.core, 'messages.unhide', { roomKey, messageId: approved }));
    await until(
      first.core.events,
      () => feeds.batches.some((batch) => batch.updates.some((update) => update.handled)),
      'the approval in a batch',
    );
    await first.core.dispose();

    const second = await buildTestCore(dir, { memory, secrets: first.secrets });
    try {
      let historyCame = false;
      second.core.events.subscribe((event) => {
        if (event === 'feed.history') historyCame = true;
      });
      await openLive(second.core, accountId);
      await until(second.core.events, () => historyCame, 'the room history');
      const { events } = valueOf(await call(second.core, 'feed.snapshot', { roomKey }));
      const stored = (messageId: string) => events.find((event) => event.messageId === messageId);
      expect(stored(waiting)).toMatchObject({ state: 'hidden', held: { ruleId: 'shop' } });
      expect(isHeld(stored(waiting)!)).toBe(true);
      expect(stored(approved)).toMatchObject({ state: 'visible', handled: true });
      expect(isHeld(stored(approved)!)).toBe(false);
    } finally {
      await second.core.dispose();
    }
  });

  it('does not hold the live feed for the store, and keeps an event both carried once', async () => {
    const sandbox = await useSandbox({ rooms: 1, ratePerRoom: 0 });
    const dir = await useTempDir();
    const first = await buildTestCore(dir, { memory: { startWorker: startTestWorker } });
    const accountId = await addSandboxAccount(first.core, sandbox);
    const roomKey = `${accountId}/1001`;
    const old = await say(first.core, sandbox, await openLive(first.core, accountId), 'before');
    await first.core.dispose();

    // The store's answer with the room's history waits for the test; the live message it is
    // then given as well stands for one a provider hands over again after a restart.
    const held = heldHistory();
    const second = await buildTestCore(dir, {
      memory: { startWorker: held.startWorker },
      secrets: first.secrets,
    });
    try {
      let historyCame = false;
      second.core.events.subscribe((event) => {
        if (event === 'feed.history') historyCame = true;
      });
      const live = await openLive(second.core, accountId);
      // The live message comes while the history waits.
      const fresh = await say(second.core, sandbox, live, 'after');
      expect(historyCame).toBe(false);
      const carried = live.events.find((event) => event.messageId === fresh) as ChatEvent;
      held.release([carried]);
      await until(second.core.events, () => historyCame, 'the room history');

      const { events } = valueOf(await call(second.core, 'feed.snapshot', { roomKey }));
      const ids = events.map((event) => event.id);
      expect(new Set(ids).size).toBe(ids.length);
      const order = events
        .filter((event) => event.messageId === old || event.messageId === fresh || event.gap)
        .map((event) => (event.gap ? 'divider' : event.messageId));
      expect(order).toEqual([old, 'divider', fresh]);
    } finally {
      await second.core.dispose();
    }
  });

  it('keeps an automod flag with its reason and severity through the store', async () => {
    const sandbox = await useSandbox({ rooms: 1, ratePerRoom: 0 });
    const dir = await useTempDir();
    const memory = { startWorker: startTestWorker };
    const first = await buildTestCore(dir, { memory });
    const accountId = await addSandboxAccount(first.core, sandbox);
    const roomKey = `${accountId}/1001`;
    const feeds = await openLive(first.core, accountId);
    const said: string[] = [];
    for (const suffix of ['', '!!', ' 😀'])
      said.push(
        await say(first.core, sandbox, feeds, `free followers at followerz dot shop${suffix}`),
      );
    const flagged = feeds.events.find((event) => event.messageId === said[2]);
    expect(flagged?.flags).toMatchObject([{ ruleId: 'automod-repeats', severity: 'medium' }]);
    await first.core.dispose();

    const second = await buildTestCore(dir, { memory, secrets: first.secrets });
    try {
      let historyCame = false;
      second.core.events.subscribe((event) => {
        if (event === 'feed.history') historyCame = true;
      });
      await openLive(second.core, accountId);
      await until(second.core.events, () => historyCame, 'the room history');
      const { events } = valueOf(await call(second.core, 'feed.snapshot', { roomKey }));
      const stored = events.find((event) => event.messageId === said[2]);
      expect(stored?.flags).toEqual(flagged?.flags);
      expect(stored?.flags[0]?.reason).toMatch(/^same message 3 times in/);
      // The first two copies were flagged by the third's verdict after they came, and stored so.
      for (const id of said.slice(0, 2)) {
        expect(events.find((event) => event.messageId === id)?.flags).toEqual(flagged?.flags);
      }
      // The store's flagged search finds them by the automod rule's id, newest first.
      const found = valueOf(
        await call(second.core, 'history.search', { query: 'rule:automod-repeats' }),
      );
      expect(found.results.map((event) => event.messageId)).toEqual([...said].reverse());
      expect(found.results[0]?.flags[0]?.reason).toMatch(/^same message 3 times in/);
    } finally {
      await second.core.dispose();
    }
  });
});

/** A memory worker whose first page of events is answered when the test says, with extra events. */
function heldHistory(): {
  startWorker: StartMemoryWorker;
  release: (extra: ChatEvent[]) => void;
} {
  let release: (extra: ChatEvent[]) => void = () => undefined;
  const released = new Promise<ChatEvent[]>((resolve) => {
    release = resolve;
  });
  let holding = true;
  const startWorker: StartMemoryWorker = (data) => {
    const worker = startTestWorker(data);
    const on = (event: 'message' | 'error' | 'exit', listener: (value: never) => void): unknown => {
      if (event !== 'message')
        return worker.on(event as 'exit', listener as (code: number) => void);
      return worker.on('message', (message: FromWorker) => {
        const deliver = listener as (message: FromWorker) => void;
        // The page of events only: the room's chatters are asked for beside it.
        const isPage =
          message.type === 'answer' &&
          message.ok &&
          typeof message.value === 'object' &&
          message.value !== null &&
          'events' in message.value;
        if (!holding || !isPage) {
          deliver(message);
          return;
        }
        const page = message.value as EventPage;
        holding = false;
        void released.then((extra) =>
          deliver({ ...message, value: { ...page, events: [...extra, ...page.events] } }),
        );
      });
    };
    return {
      postMessage: (message) => worker.postMessage(message),
      terminate: () => worker.terminate(),
      on,
    };
  };
  return { startWorker, release: (extra) => release(extra) };
}

/** Opens the sandbox's room 1001 and waits until it is live; returns what the feeds send. */
async function openLive(core: Core, accountId: string): Promise<FeedRecord> {
  const feeds = recordFeeds(core);
  valueOf(await call(core, 'rooms.open', { accountId, roomId: '1001' }));
  await until(
    core.events,
    () => feeds.statuses.some((status) => status.state === 'live'),
    'the room live',
  );
  return feeds;
}

/** Says a message in room 1001 and waits until the feed carries it; returns its message id. */
async function say(
  core: Core,
  sandbox: Sandbox,
  feeds: FeedRecord,
  message: string,
): Promise<string> {
  const { messageId } = await control(sandbox).say('1001', { userId: 'chatter1', message });
  await until(
    core.events,
    () => feeds.events.some((event) => event.messageId === messageId),
    `the message ${message}`,
  );
  return messageId;
}
