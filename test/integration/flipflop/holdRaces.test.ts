/**
 * The hold queue against the sandbox: a raid recognised while the hides of its earlier copies
 * (held already by a word rule) are still on their way hides and audits each copy once, and a
 * raid rule that hides does not take a held copy out of the Held queue.
 */
import { onTestFinished, describe, expect, it } from 'vitest';
import { defaultAutomodConfig } from '../../../src/shared/automod';
import { isHeld, type ChatEvent, type FeedBatch } from '../../../src/shared/chat';
import type { Rule } from '../../../src/shared/model';
import { buildTestCore, call, valueOf } from '../../support/core';
import { addSandboxAccount, control, useSandbox } from '../../support/sandbox';
import { useTempDir } from '../../support/tempDir';
import { until } from '../../support/until';

const HOLD_RULE: Rule = { id: 'hold-shop', pattern: 'followerz', action: 'hold' };

describe('hold queue review: raid recognised while earlier holds are in flight', () => {
  it('hides and audits each held copy once', async () => {
    const sandbox = await useSandbox({ rooms: 1, ratePerRoom: 0 });
    const test = await buildTestCore(await useTempDir());
    onTestFinished(() => test.core.dispose());
    const { core } = test;
    const accountId = await addSandboxAccount(core, sandbox);
    const config = defaultAutomodConfig();
    for (const rule of config.rules) if (rule.kind === 'raid') rule.action = 'hold';
    valueOf(
      await call(core, 'settings.set', {
        rules: { global: [HOLD_RULE], rooms: {} },
        automod: { enabled: true, config },
      }),
    );
    const batches: FeedBatch[] = [];
    let live = false;
    core.events.subscribe((event, payload) => {
      if (event === 'feed.status') {
        live ||= (payload as { statuses: Array<{ state: string }> }).statuses.some(
          (status) => status.state === 'live',
        );
      }
      if (event === 'feed.batch') batches.push(payload as FeedBatch);
    });
    valueOf(await call(core, 'rooms.open', { accountId, roomId: '1001' }));
    await until(core.events, () => live, 'the room live');
    const api = control(sandbox);
    const arrived = (messageId: string): ChatEvent | undefined =>
      batches.flatMap((batch) => batch.events).find((event) => event.messageId === messageId);

    // Each hide takes 300 ms: a raid's copies come faster than their hides land.
    await api.faults({ latencyMs: 300 });
    const text = 'FREE followerz and subs at cheapviews dot shop, code RAID for 50% off';
    const copies: ChatEvent[] = [];
    for (let index = 0; index < 6; index += 1) {
      const { messageId } = await api.say('1001', { userId: `raider${index}`, message: text });
      await until(core.events, () => arrived(messageId) !== undefined, 'the copy');
      copies.push(arrived(messageId)!);
    }
    // Every copy is held as it comes (the word rule), the later ones by the raid rule.
    expect(copies.every((copy) => copy.held !== undefined)).toBe(true);
    await until(core.events, () => core.holds.pending() === 0, 'the hides done', 20_000);
    await api.clearFaults();
    await core.moderation.recorded();

    const { requests } = await api.get<{ requests: Array<{ method: string; path: string }> }>(
      '/requests',
    );
    const hideCalls = new Map<string, number>();
    for (const request of requests) {
      const hide = /\/messages\/([^/]+)\/hide$/.exec(request.path);
      if (request.method === 'POST' && hide)
        hideCalls.set(hide[1]!, (hideCalls.get(hide[1]!) ?? 0) + 1);
    }
    const lines = valueOf(await call(core, 'audit.export', { format: 'jsonl' }))
      .content.trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, string>)
      .filter((line) => line['action'] === 'hold');
    const perCopy = copies.map((copy) => ({
      messageId: copy.messageId,
      hideCalls: hideCalls.get(copy.messageId!) ?? 0,
      holdLines: lines.filter((line) => line['messageId'] === copy.messageId).length,
      rules: lines.filter((line) => line['messageId'] === copy.messageId).map((l) => l['detail']),
    }));
    for (const copy of perCopy) {
      expect(copy.hideCalls).toBe(1);
      expect(copy.holdLines).toBe(1);
    }
  });
});

describe('hold queue review: a hide-rule raid recognised while earlier holds are in flight', () => {
  it('leaves copies held by the hold rule waiting for review', async () => {
    const sandbox = await useSandbox({ rooms: 1, ratePerRoom: 0 });
    const test = await buildTestCore(await useTempDir());
    onTestFinished(() => test.core.dispose());
    const { core } = test;
    const accountId = await addSandboxAccount(core, sandbox);
    const config = defaultAutomodConfig();
    for (const rule of config.rules) if (rule.kind === 'raid') rule.action = 'hide';
    valueOf(
      await call(core, 'settings.set', {
        rules: { global: [HOLD_RULE], rooms: {} },
        automod: { enabled: true, config },
      }),
    );
    const batches: FeedBatch[] = [];
    let live = false;
    core.events.subscribe((event, payload) => {
      if (event === 'feed.status') {
        live ||= (payload as { statuses: Array<{ state: string }> }).statuses.some(
          (status) => status.state === 'live',
        );
      }
      if (event === 'feed.batch') batches.push(payload as FeedBatch);
    });
    valueOf(await call(core, 'rooms.open', { accountId, roomId: '1001' }));
    await until(core.events, () => live, 'the room live');
    const api = control(sandbox);
    const arrived = (messageId: string): ChatEvent | undefined =>
      batches.flatMap((batch) => batch.events).find((event) => event.messageId === messageId);

    // Each hide takes 300 ms: a raid's copies come faster than their hides land.
    await api.faults({ latencyMs: 300 });
    const text = 'FREE followerz and subs at cheapviews dot shop, code RAID for 50% off';
    const copies: ChatEvent[] = [];
    for (let index = 0; index < 6; index += 1) {
      const { messageId } = await api.say('1001', { userId: `raider${index}`, message: text });
      await until(core.events, () => arrived(messageId) !== undefined, 'the copy');
      copies.push(arrived(messageId)!);
    }
    // Every copy is held as it comes (the word rule), the later ones by the raid rule.
    expect(copies.every((copy) => copy.held !== undefined)).toBe(true);
    await until(core.events, () => core.holds.pending() === 0, 'the hides done', 20_000);
    await api.clearFaults();
    await core.moderation.recorded();

    const snapshot = valueOf(
      await call(core, 'feed.snapshot', { roomKey: `${accountId}/1001` }),
    ).events;
    const states = copies.map((copy) => {
      const kept = snapshot.find((event) => event.messageId === copy.messageId)!;
      return {
        state: kept.state,
        handled: kept.handled,
        rule: kept.held?.ruleId,
        held: isHeld(kept),
      };
    });
    // Every copy was held for review by the word rule as it came: none left the queue unreviewed.
    expect(states.every((state) => state.held)).toBe(true);
  });
});
