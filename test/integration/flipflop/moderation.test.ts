import { readFile } from 'node:fs/promises';
import { onTestFinished, describe, expect, it, vi } from 'vitest';
import type { EventUpdate, FeedBatch } from '../../../src/shared/chat';
import { buildTestCore, call, valueOf, type TestCoreOptions } from '../../support/core';
import { addSandboxAccount, control, useSandbox } from '../../support/sandbox';
import { useTempDir } from '../../support/tempDir';
import { until } from '../../support/until';

async function setup(options: TestCoreOptions = {}) {
  const sandbox = await useSandbox({ rooms: 3, ratePerRoom: 0 });
  const test = await buildTestCore(await useTempDir(), options);
  onTestFinished(() => test.core.dispose());
  const accountId = await addSandboxAccount(test.core, sandbox);
  const updates: EventUpdate[] = [];
  const batches: FeedBatch[] = [];
  let live = false;
  test.core.events.subscribe((event, payload) => {
    if (event === 'feed.status') {
      live ||= (payload as { statuses: Array<{ state: string }> }).statuses.some(
        (status) => status.state === 'live',
      );
    }
    if (event !== 'feed.batch') return;
    batches.push(payload as FeedBatch);
    updates.push(...(payload as FeedBatch).updates);
  });
  const roomKey = `${accountId}/1001`;
  const room = valueOf(await call(test.core, 'rooms.open', { accountId, roomId: '1001' }));
  await until(test.core.events, () => live, 'the room live');
  const api = control(sandbox);
  const { messageId } = await api.say('1001', {
    userId: 'chatter1',
    userName: 'Chatter One',
    message: 'buy followers at spam.example',
  });
  await until(
    test.core.events,
    () => batches.some((batch) => batch.events.some((e) => e.messageId === messageId)),
    'the message',
  );
  const auditLines = async () =>
    (await readFile(test.core.audit.path, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, string>);
  return {
    ...test,
    sandbox,
    api,
    accountId,
    roomKey,
    roomName: room.name,
    messageId,
    updates,
    batches,
    auditLines,
  };
}

describe('moderation through the service', () => {
  it('hides, unhides and deletes: the sandbox, the buffer, every view and the audit log agree', async () => {
    const { core, api, roomKey, roomName, messageId, updates, auditLines } = await setup();
    const state = async () =>
      valueOf(await call(core, 'feed.snapshot', { roomKey })).events.find(
        (e) => e.messageId === messageId,
      )?.state;

    expect(valueOf(await call(core, 'messages.hide', { roomKey, messageId }))).toEqual({
      roomKey,
      messageId,
      state: 'hidden',
    });
    expect((await api.message('1001', messageId)).state).toBe('hidden');
    expect(await state()).toBe('hidden');

    valueOf(await call(core, 'messages.unhide', { roomKey, messageId }));
    expect((await api.message('1001', messageId)).state).toBe('visible');
    expect(await state()).toBe('visible');

    valueOf(await call(core, 'messages.delete', { roomKey, messageId }));
    expect((await api.message('1001', messageId)).state).toBe('deleted');
    expect(await state()).toBe('deleted');

    await until(core.events, () => updates.length === 3, 'three updates');
    expect(updates.map((update) => update.state)).toEqual(['hidden', 'visible', 'deleted']);
    expect(await auditLines()).toEqual([
      expect.objectContaining({
        action: 'hide',
        account: roomKey.split('/')[0],
        accountName: 'Sandbox',
        room: roomKey,
        roomName,
        messageId,
        authorId: 'chatter1',
        author: 'Chatter One',
        result: 'ok',
        text: 'buy followers at spam.example',
      }),
      expect.objectContaining({ action: 'unhide', messageId, result: 'ok' }),
      expect.objectContaining({ action: 'delete', messageId, result: 'ok' }),
    ]);
  });

  it('marks a flagged message handled: every view, a reload of the window and the audit log agree', async () => {
    const { core, api, roomKey, messageId: plainId, batches, updates, auditLines } = await setup();
    valueOf(
      await call(core, 'settings.set', {
        rules: { global: [{ id: 'scam', pattern: 'scam', kind: 'term' }], rooms: {} },
      }),
    );
    const said = async (message: string) => {
      const { messageId } = await api.say('1001', { userId: 'chatter2', message });
      await until(
        core.events,
        () => batches.some((batch) => batch.events.some((e) => e.messageId === messageId)),
        message,
      );
      return messageId;
    };
    const looksFine = await said('is this a scam?');
    const hidden = await said('total scam, click here');
    const snapshot = async () => valueOf(await call(core, 'feed.snapshot', { roomKey })).events;

    expect(valueOf(await call(core, 'flagged.markHandled', { roomKey, id: looksFine }))).toEqual({
      roomKey,
      id: looksFine,
    });
    // A hide is the moderator's decision about the message too: it is handled as well.
    valueOf(await call(core, 'messages.hide', { roomKey, messageId: hidden }));
    await until(core.events, () => updates.length === 2, 'two updates');
    expect(updates).toEqual([
      { roomKey, id: looksFine, state: 'visible', handled: true },
      { roomKey, id: hidden, state: 'hidden', handled: true },
    ]);
    // A window that reloads gets the events from main's buffer, handled as they were.
    const kept = await snapshot();
    expect(kept.find((event) => event.id === looksFine)).toMatchObject({
      state: 'visible',
      handled: true,
    });
    expect(kept.find((event) => event.id === hidden)?.handled).toBe(true);
    expect((await api.message('1001', looksFine)).state).toBe('visible');

    // Only flagged messages and DMs to the moderator wait in the queue; a gone one says so.
    expect(await call(core, 'flagged.markHandled', { roomKey, id: plainId })).toMatchObject({
      ok: false,
      error: {
        code: 'INVALID_INPUT',
        message: 'Only a flagged message or a direct message to you can be marked as handled.',
      },
    });
    expect(await call(core, 'flagged.markHandled', { roomKey, id: '42' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect((await snapshot()).find((event) => event.id === plainId)?.handled).toBeUndefined();
    expect(
      (await auditLines()).map((line) => [line['action'], line['messageId'], line['result']]),
    ).toEqual([
      ['flagged.markHandled', looksFine, 'ok'],
      ['hide', hidden, 'ok'],
      ['flagged.markHandled', plainId, 'INVALID_INPUT'],
      ['flagged.markHandled', undefined, 'NOT_FOUND'],
    ]);
    expect((await auditLines())[0]).toMatchObject({
      room: roomKey,
      text: 'is this a scam?',
      detail: `event ${looksFine}`,
    });
    expect((await auditLines())[3]).toMatchObject({ detail: 'event 42' });
  });

  it("answers gone, not failed, when the message was deleted first, and audits the provider's answer", async () => {
    const { core, roomKey, messageId, auditLines } = await setup();
    valueOf(await call(core, 'messages.delete', { roomKey, messageId }));
    expect(await call(core, 'messages.hide', { roomKey, messageId })).toEqual({
      ok: true,
      value: { roomKey, messageId, state: 'deleted', gone: true },
    });
    expect((await auditLines()).at(-1)).toMatchObject({
      action: 'hide',
      result: 'CHAT_ROOM_MESSAGE_NOT_FOUND',
    });
  });

  it('answers a hide past the deadline as unknown, not failed, and a retry confirms it', async () => {
    // The service answers after 1.5 s, the client waits 0.5 s: the hide is carried out unanswered.
    const { core, api, roomKey, messageId, auditLines } = await setup({ http: { timeoutMs: 500 } });
    await api.faults({ latencyMs: 1500 });
    const tries = async () =>
      (
        await api.get<{ requests: Array<{ method: string; path: string }> }>('/requests')
      ).requests.filter((request) => request.path.endsWith(`/messages/${messageId}/hide`)).length;

    const answer = await call(core, 'messages.hide', { roomKey, messageId });
    expect(answer).toEqual({
      ok: false,
      error: {
        code: 'OUTCOME_UNKNOWN',
        message:
          'The service did not answer within 0.5 s. Whether it took effect is not known; trying it again is safe.',
      },
    });
    expect(await tries()).toBe(2);
    expect(await auditLines()).toEqual([
      expect.objectContaining({ action: 'hide', messageId, result: 'unknown' }),
    ]);
    // Nothing claims it happened: the buffer still has the message as it was.
    const shown = valueOf(await call(core, 'feed.snapshot', { roomKey })).events.find(
      (event) => event.messageId === messageId,
    );
    expect(shown?.state).toBe('visible');
    // And yet the service did it.
    await expect
      .poll(async () => (await api.message('1001', messageId)).state, { timeout: 10_000 })
      .toBe('hidden');

    await api.clearFaults();
    expect(valueOf(await call(core, 'messages.hide', { roomKey, messageId }))).toEqual({
      roomKey,
      messageId,
      state: 'hidden',
    });
    expect((await auditLines()).at(-1)).toMatchObject({ action: 'hide', result: 'ok' });
  });

  it('takes a delete whose unanswered first try is followed by "not found" as done', async () => {
    let api: ReturnType<typeof control> | null = null;
    let messageId = '';
    const { core, roomKey, auditLines, ...rest } = await setup({
      http: {
        timeoutMs: 500,
        // Before the second try: the first one has been carried out, and the service is quick again.
        sleep: async () => {
          await vi.waitFor(
            async () => expect((await api?.message('1001', messageId))?.state).toBe('deleted'),
            { timeout: 10_000, interval: 50 },
          );
          await api?.clearFaults();
        },
      },
    });
    api = rest.api;
    messageId = rest.messageId;
    await api.faults({ latencyMs: 1500 });

    expect(valueOf(await call(core, 'messages.delete', { roomKey, messageId }))).toEqual({
      roomKey,
      messageId,
      state: 'deleted',
    });
    const deletes = (
      await api.get<{ requests: Array<{ method: string; path: string }> }>('/requests')
    ).requests.filter(
      (request) => request.method === 'DELETE' && request.path.endsWith(`/messages/${messageId}`),
    );
    expect(deletes).toHaveLength(2);
    expect(await auditLines()).toEqual([
      expect.objectContaining({ action: 'delete', messageId, result: 'ok' }),
    ]);
  });

  it('broadcasts to several rooms, answering for each, and shows it in the feed as the moderator’s', async () => {
    const { core, accountId, api, batches } = await setup();
    valueOf(await call(core, 'chatRoom.close', { accountId, roomId: '1003' }));
    const result = valueOf(
      await call(core, 'admin.broadcast', {
        roomKeys: [`${accountId}/1001`, `${accountId}/1002`, `${accountId}/1003`],
        messageType: 'MESSAGE',
        customType: 'NOTICE',
        message: 'Stream starts in 5 minutes',
      }),
    );
    expect(result.results.map((entry) => [entry.roomKey.split('/')[1], entry.ok])).toEqual([
      ['1001', true],
      ['1002', true],
      ['1003', false],
    ]);
    const failed = result.results[2];
    expect(failed && !failed.ok && failed.error.code).toBe('CHAT_ROOM_CLOSED');
    const sent = await api.get<Array<{ kind: string; message: string }>>(
      '/rooms/1002/admin-messages',
    );
    expect(sent).toEqual([
      expect.objectContaining({ kind: 'broadcast', message: 'Stream starts in 5 minutes' }),
    ]);
    await until(
      core.events,
      () => batches.some((batch) => batch.events.some((e) => e.kind === 'admin')),
      'the broadcast in the feed',
    );
    const shown = batches.flatMap((batch) => batch.events).find((event) => event.kind === 'admin');
    expect(shown).toMatchObject({
      fromModerator: true,
      text: 'Stream starts in 5 minutes',
      roomKey: `${accountId}/1001`,
    });
  });

  it('sends a direct message to a chatter and records it in the feed', async () => {
    const { core, api, roomKey, batches, auditLines } = await setup();
    const { messageId } = valueOf(
      await call(core, 'admin.direct', {
        roomKey,
        messageType: 'DM',
        message: 'Please keep it civil',
        appUserIds: ['chatter1'],
      }),
    );
    const sent = await api.get<Array<{ kind: string; messageId: string; appUserIds: string[] }>>(
      '/rooms/1001/admin-messages',
    );
    expect(sent).toEqual([
      expect.objectContaining({ kind: 'direct', messageId, appUserIds: ['chatter1'] }),
    ]);
    await until(
      core.events,
      () => batches.some((batch) => batch.events.some((e) => e.messageId === messageId)),
      'the DM in the feed',
    );
    const shown = batches
      .flatMap((batch) => batch.events)
      .find((event) => event.messageId === messageId);
    expect(shown).toMatchObject({
      kind: 'dm',
      fromModerator: true,
      receivers: ['chatter1'],
      text: 'Please keep it civil',
      user: { id: 'moderator1' },
    });
    expect(shown?.toModerator).toBeUndefined();
    expect((await auditLines()).at(-1)).toMatchObject({
      action: 'direct',
      result: 'ok',
      detail: 'to chatter1',
      text: 'Please keep it civil',
    });
  });

  it('lists members page by page through the contract', async () => {
    const { core, roomKey } = await setup();
    const first = valueOf(await call(core, 'members.list', { roomKey, count: 15 }));
    expect(first.members).toHaveLength(15);
    expect(first.nextCursor).not.toBeNull();
    const second = valueOf(
      await call(core, 'members.list', { roomKey, count: 15, cursor: first.nextCursor }),
    );
    expect(second.nextCursor).toBeNull();
    const ids = [...first.members, ...second.members].map((member) => member.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toContain('moderator1');
  });

  it('sets and unsets banned words and exports the audit log', async () => {
    const { core, accountId, api } = await setup();
    valueOf(await call(core, 'bannedWords.set', { accountId, words: ['spam', '도박'] }));
    valueOf(await call(core, 'bannedWords.unset', { accountId, words: ['spam'] }));
    expect((await api.get<{ words: string[] }>('/banned-words')).words).toEqual(['도박']);
    const exported = valueOf(await call(core, 'audit.export', { format: 'csv' }));
    expect(
      exported.content.split('\r\n').filter((line) => line.includes('bannedWords')),
    ).toHaveLength(2);
  });
});
