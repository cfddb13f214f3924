import { onTestFinished, describe, expect, it } from 'vitest';
import { defaultAutomodConfig } from '../../../src/shared/automod';
import type { ChatEvent, FlagSpan } from '../../../src/shared/chat';
import { buildTestCore, call, recordFeeds, valueOf } from '../../support/core';
import { addSandboxAccount, control, useSandbox } from '../../support/sandbox';
import { useTempDir } from '../../support/tempDir';
import { until } from '../../support/until';

/** A core with a quiet sandbox room open and live, recording what its feed carries. */
async function setup() {
  const sandbox = await useSandbox({ rooms: 1, ratePerRoom: 0 });
  const test = await buildTestCore(await useTempDir());
  onTestFinished(() => test.core.dispose());
  const accountId = await addSandboxAccount(test.core, sandbox);
  const feeds = recordFeeds(test.core);
  const roomKey = `${accountId}/1001`;
  valueOf(await call(test.core, 'rooms.open', { accountId, roomId: '1001' }));
  await until(
    test.core.events,
    () => feeds.statuses.some((status) => status.roomKey === roomKey && status.state === 'live'),
    'live',
  );
  const api = control(sandbox);
  const messages = (): ChatEvent[] =>
    feeds.events.filter((event) => event.roomKey === roomKey && event.kind === 'message');
  /** Sends the texts in order and waits until the feed carried the last of them. */
  async function say(userId: string, texts: string[]): Promise<ChatEvent[]> {
    const ids: string[] = [];
    for (const message of texts) ids.push((await api.say('1001', { userId, message })).messageId);
    const last = ids.at(-1);
    await until(
      test.core.events,
      () => messages().some((event) => event.messageId === last),
      'the messages',
    );
    return ids.map((id) => messages().find((event) => event.messageId === id) as ChatEvent);
  }
  /** The flags the feed gave an event after sending it (automod naming earlier messages). */
  const lateFlags = (id: string | undefined): FlagSpan[] | undefined =>
    feeds.batches
      .flatMap((batch) => batch.updates)
      .filter((update) => update.roomKey === roomKey && update.id === id)
      .findLast((update) => update.flags !== undefined)?.flags;
  return { ...test, api, roomKey, say, messages, lateFlags };
}

const SPAM = [
  'buy cheap followers at followerz dot shop now',
  'buy cheap followers at followerz dot shop now!!',
  'BUY cheap followers at followerz dot shop now',
  'buy cheap followers at followerz dot shop now 😀',
];

describe('automod in the feeds', () => {
  it('flags a repeating chatter with the rule and its reason, and no span; leaves the crowd alone', async () => {
    const { core, roomKey, say, lateFlags } = await setup();
    const crowd = [];
    for (let index = 0; index < 8; index += 1) crowd.push(...(await say(`fan${index}`, ['gg'])));
    crowd.push(...(await say('fan1', ['lol', 'ㅋㅋㅋ'])));
    const spam = await say('spammer', SPAM);

    expect(crowd.every((event) => event.flags.length === 0)).toBe(true);
    expect(spam[0]?.flags).toEqual([]);
    expect(spam[1]?.flags).toEqual([]);
    expect(spam[2]?.flags).toHaveLength(1);
    expect(spam[2]?.flags[0]).toEqual({
      ruleId: 'automod-repeats',
      reason: spam[2]?.flags[0]?.reason,
      why: { kind: 'repeats', exact: true, times: 3, spanMs: expect.any(Number) as number },
      severity: 'medium',
    });
    expect(spam[2]?.flags[0]?.reason).toMatch(/^same message 3 times in \d+ s$/);
    expect(spam[3]?.flags[0]).toMatchObject({ ruleId: 'automod-repeats' });
    expect(spam[3]?.flags[0]?.start).toBeUndefined();
    // The first two copies were not repeats when they came; the third's verdict flags them then,
    // with its own reason, in an update (sent with the third at the latest).
    for (const copy of spam.slice(0, 2)) {
      expect(lateFlags(copy?.id)).toEqual([spam[2]?.flags[0]]);
    }
    expect(crowd.every((event) => lateFlags(event.id) === undefined)).toBe(true);
    // Pinned like a word rule's hit: the room's snapshot keeps all four flagged.
    const snapshot = valueOf(await call(core, 'feed.snapshot', { roomKey }));
    const kept = spam.map((copy) => snapshot.events.find((event) => event.id === copy?.id));
    expect(kept.map((event) => event?.flags[0]?.reason)).toEqual([
      spam[2]?.flags[0]?.reason,
      spam[2]?.flags[0]?.reason,
      spam[2]?.flags[0]?.reason,
      spam[3]?.flags[0]?.reason,
    ]);
  });

  it('flags nothing while automod is off', async () => {
    const { core, say } = await setup();
    valueOf(
      await call(core, 'settings.set', {
        automod: { enabled: false, config: defaultAutomodConfig() },
      }),
    );
    const spam = await say('spammer', SPAM);
    expect(spam.map((event) => event.flags)).toEqual([[], [], [], []]);
  });

  it('applies a changed configuration to the next messages', async () => {
    const { core, say } = await setup();
    const config = defaultAutomodConfig();
    for (const rule of config.rules) {
      if (rule.kind === 'repeats') rule.severity = 'high';
      if (rule.kind === 'caps') rule.enabled = false;
    }
    valueOf(await call(core, 'settings.set', { automod: { enabled: true, config } }));
    const [shout] = await say('shouter', ['THIS IS ALL IN CAPITALS AND LOUD']);
    expect(shout?.flags).toEqual([]);
    const spam = await say('spammer', SPAM.slice(0, 3));
    expect(spam[2]?.flags).toMatchObject([{ ruleId: 'automod-repeats', severity: 'high' }]);

    valueOf(
      await call(core, 'settings.set', {
        automod: { enabled: true, config: defaultAutomodConfig() },
      }),
    );
    const [again] = await say('shouter', ['THIS IS ALL IN CAPITALS AND LOUD']);
    expect(again?.flags).toMatchObject([{ ruleId: 'automod-caps', severity: 'low' }]);
  });

  it("does not judge the moderator's own messages", async () => {
    const { say } = await setup();
    const own = await say('moderator1', SPAM);
    expect(own.map((event) => event.flags)).toEqual([[], [], [], []]);
  });

  it('keeps what it remembers across a change of other settings', async () => {
    const { core, say } = await setup();
    await say('spammer', SPAM.slice(0, 2));
    valueOf(await call(core, 'settings.set', { theme: 'dark' }));
    const [third] = await say('spammer', SPAM.slice(2, 3));
    expect(third?.flags).toMatchObject([{ ruleId: 'automod-repeats' }]);
  });

  it('refuses a configuration that does not validate, naming the problem', async () => {
    const { core } = await setup();
    const config = defaultAutomodConfig();
    const answer = await call(core, 'settings.set', {
      automod: {
        enabled: true,
        config: { ...config, rules: [{ id: 'r', kind: 'flood', params: { messages: 0 } }] },
      },
    });
    expect(answer.ok).toBe(false);
  });

  it('flags the copies of a raid started through the sandbox, naming the raid, and not the crowd', async () => {
    const { core, api, roomKey, say, messages, lateFlags } = await setup();
    const crowd: ChatEvent[] = [];
    for (let index = 0; index < 10; index += 1) {
      crowd.push(...(await say(`fan${index}`, [index % 2 === 0 ? 'gg' : 'ㅋㅋㅋ'])));
    }
    crowd.push(...(await say('fan1', ['gg', 'lol'])));
    const text = 'FREE followers and viewers at followerz dot shop, use code RAID for 50% off';
    const { messageIds } = await api.raid('1001', { users: 12, text });
    expect(messageIds).toHaveLength(12);
    await until(
      core.events,
      () => messages().some((event) => event.messageId === messageIds.at(-1)),
      'the raid',
    );
    const copies = messageIds.map(
      (id) => messages().find((event) => event.messageId === id) as ChatEvent,
    );
    // Twelve fresh users, each copy with its own junk around the line.
    expect(new Set(copies.map((event) => event.user?.id)).size).toBe(12);
    expect(new Set(copies.map((event) => event.text)).size).toBeGreaterThan(6);
    // Five users make a raid (the default); from then on every copy is flagged with its reason.
    for (const copy of copies.slice(4)) {
      expect(copy.flags).toContainEqual({
        ruleId: 'automod-raid',
        reason: expect.stringMatching(/^copy-paste raid “FREE followers and viewers/) as string,
        why: expect.objectContaining({
          kind: 'raid',
          name: expect.stringMatching(/^FREE followers and viewers/) as string,
        }) as unknown,
        severity: 'high',
      });
    }
    // The four copies before were chat when they came: the fifth's verdict flags them too.
    const raidFlag = copies[4]?.flags.find((flag) => flag.ruleId === 'automod-raid');
    for (const copy of copies.slice(0, 4)) {
      expect(copy.flags).toEqual([]);
      expect(lateFlags(copy.id)).toEqual([raidFlag]);
    }
    expect(crowd.every((event) => event.flags.length === 0)).toBe(true);
    expect(crowd.every((event) => lateFlags(event.id) === undefined)).toBe(true);
    // The Flagged queue keeps them: they are pinned in the room's snapshot, every copy.
    const snapshot = valueOf(await call(core, 'feed.snapshot', { roomKey }));
    const flagged = snapshot.events.filter((event) => event.flags.length > 0);
    expect(flagged.map((event) => event.messageId)).toEqual(messageIds);

    // The sandbox's delivery log says what each message was.
    const [connection] = (await api.connections()).filter(
      (candidate) => candidate.open && candidate.userId === 'moderator1',
    );
    const labels = new Map(
      (await api.deliveries(connection?.id ?? '')).map((delivery) => [
        delivery.messageId,
        delivery.spam,
      ]),
    );
    expect(messageIds.map((id) => labels.get(id))).toEqual(messageIds.map(() => 'raid'));
    expect(labels.get(crowd[0]?.messageId ?? '')).toBeNull();
  });
});
