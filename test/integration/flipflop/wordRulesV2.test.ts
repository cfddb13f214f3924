/**
 * Word rules, version 2, in the live feed: allowed terms, exempt users, name scope and severity,
 * through the real core and the sandbox; and a settings file written before they existed.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { onTestFinished, describe, expect, it } from 'vitest';
import { PROFILE_FILE } from '../../../src/main/services/profile/profile';
import type { ChatEvent } from '../../../src/shared/chat';
import { defaultSettings, type Rule } from '../../../src/shared/model';
import { buildTestCore, call, recordFeeds, valueOf } from '../../support/core';
import { addSandboxAccount, control, useSandbox } from '../../support/sandbox';
import { useTempDir } from '../../support/tempDir';
import { until } from '../../support/until';

async function setup(rules: { global: Rule[]; room?: Rule[] }) {
  const sandbox = await useSandbox({ rooms: 1, ratePerRoom: 0 });
  const test = await buildTestCore(await useTempDir());
  onTestFinished(() => test.core.dispose());
  const accountId = await addSandboxAccount(test.core, sandbox);
  const roomKey = `${accountId}/1001`;
  valueOf(
    await call(test.core, 'settings.set', {
      rules: { global: rules.global, rooms: rules.room ? { [roomKey]: rules.room } : {} },
    }),
  );
  const feeds = recordFeeds(test.core);
  valueOf(await call(test.core, 'rooms.open', { accountId, roomId: '1001' }));
  await until(
    test.core.events,
    () => feeds.statuses.some((status) => status.roomKey === roomKey && status.state === 'live'),
    'live',
  );
  const api = control(sandbox);
  const messages = (): ChatEvent[] =>
    feeds.events.filter((event) => event.roomKey === roomKey && event.kind === 'message');
  /** Sends one message as this user and waits until the feed carried it. */
  async function say(userId: string, message: string, userName?: string): Promise<ChatEvent> {
    const { messageId } = await api.say('1001', {
      userId,
      message,
      ...(userName ? { userName } : {}),
    });
    await until(
      test.core.events,
      () => messages().some((event) => event.messageId === messageId),
      message,
    );
    return messages().find((event) => event.messageId === messageId) as ChatEvent;
  }
  return { ...test, say };
}

describe('word rules v2 in the feeds', () => {
  it('drops a match inside an allowed term, and spares an exempt user', async () => {
    const { say } = await setup({
      global: [
        { id: 'ass', pattern: 'ass', exceptions: ['assistant'] },
        { id: 'scam', pattern: 'scam', exemptUsers: ['trusted'], severity: 'high' },
      ],
    });
    expect((await say('fan1', 'my assistant is here')).flags).toEqual([]);
    expect((await say('fan1', 'you ass')).flags).toEqual([{ ruleId: 'ass', start: 4, end: 7 }]);
    expect((await say('trusted', 'that is a scam')).flags).toEqual([]);
    expect((await say('fan2', 'that is a scam')).flags).toEqual([
      { ruleId: 'scam', start: 10, end: 14, severity: 'high' },
    ]);
  });

  it('flags a hostile display name with its reason under name scope, not under text scope', async () => {
    const { say } = await setup({
      global: [{ id: 'viewers', pattern: 'free viewers', scope: 'name' }],
      // The room's own rule: the text only.
      room: [{ id: 'followers', pattern: 'followers' }],
    });
    const hostile = await say('bot77', 'hello everyone', 'free_viewers_77');
    expect(hostile.flags).toEqual([
      {
        ruleId: 'viewers',
        reason: 'name matches “free_viewers”',
        why: { kind: 'wordName', matched: 'free_viewers' },
        severity: 'medium',
      },
    ]);
    expect((await say('fan1', 'free viewers anyone?')).flags).toEqual([]);
    expect((await say('followers_bot', 'hi')).flags).toEqual([]);
    expect((await say('fan1', 'buy followers')).flags).toEqual([
      { ruleId: 'followers', start: 4, end: 13 },
    ]);
  });
});

describe('word rule actions until the hold queue exists', () => {
  it("takes a room's own copy of a global rule whole: its allowed terms, its severity, one span a hit", async () => {
    const { say } = await setup({
      global: [{ id: 'ass', pattern: 'ass', severity: 'high' }],
      room: [{ id: 'ass', pattern: 'ass', exceptions: ['assistant'] }],
    });
    expect((await say('fan1', 'my assistant is here')).flags).toEqual([]);
    expect((await say('fan1', 'you ass')).flags).toEqual([{ ruleId: 'ass', start: 4, end: 7 }]);
  });

  it('flags a message whose rule says hold or hide, and leaves it visible', async () => {
    const { say } = await setup({
      global: [
        { id: 'held', pattern: 'held', action: 'hold' },
        { id: 'hidden', pattern: 'hidden', action: 'hide' },
      ],
    });
    const held = await say('fan1', 'this is held');
    const hidden = await say('fan1', 'this is hidden');
    expect(held.flags).toEqual([{ ruleId: 'held', start: 8, end: 12 }]);
    expect(hidden.flags).toEqual([{ ruleId: 'hidden', start: 8, end: 14 }]);
    expect([held.state, hidden.state]).toEqual(['visible', 'visible']);
  });
});

describe('a settings file from before rules v2', () => {
  it('loads, and its rules read as they did (flag, no exceptions, the text)', async () => {
    const dir = await useTempDir();
    const old = {
      version: 1,
      accounts: [],
      settings: {
        ...defaultSettings(),
        embeddedSandbox: false,
        rules: {
          global: [
            { id: 'r-1', pattern: 'bad' },
            { id: 'r-2', pattern: 'b[a4]d', kind: 'regex', wholeWord: true, severity: 'high' },
          ],
          rooms: { 'acc/1001': [{ id: 'r-3', pattern: 'worse', severity: 'low' }] },
        },
      },
    };
    await writeFile(join(dir, PROFILE_FILE), JSON.stringify(old));
    const { core } = await buildTestCore(dir);
    onTestFinished(() => core.dispose());
    const info = valueOf(await call(core, 'app.info'));
    expect(info.warnings).toEqual([]);
    const settings = valueOf(await call(core, 'settings.get'));
    expect(settings.rules).toEqual(old.settings.rules);
    for (const rule of [...settings.rules.global, ...(settings.rules.rooms['acc/1001'] ?? [])]) {
      expect(rule.action ?? 'flag').toBe('flag');
      expect(rule.scope ?? 'text').toBe('text');
      expect(rule.exceptions ?? []).toEqual([]);
    }
  });
});
