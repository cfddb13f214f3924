/**
 * The user card's channels through the real core and the real memory worker, against the sandbox
 * over loopback: a user's summary after a stream and the moderator's actions, notes, both kept
 * across a restart on the same folder, and what the contract refuses.
 */
import { onTestFinished, describe, expect, it } from 'vitest';
import type { ChatEvent, EventUpdate } from '../../../src/shared/chat';
import type { Core } from '../../../src/main/core';
import { buildTestCore, call, recordFeeds, valueOf, type FeedRecord } from '../../support/core';
import { startTestWorker } from '../../support/memory';
import {
  addSandboxAccount,
  addVChatCloudAccount,
  control,
  useSandbox,
} from '../../support/sandbox';
import { useTempDir } from '../../support/tempDir';
import { until } from '../../support/until';
import { vcontrol } from '../vchatcloud/support';

const memory = { startWorker: startTestWorker };

/** Waits until the store has committed everything posted to it so far. */
async function flushed(core: Core): Promise<void> {
  if (core.memory === null) throw new Error('the core should keep a history');
  await core.memory.request('flush', {});
}

describe('the user card’s memory through the core', () => {
  it('sums up a user after a stream and the moderator’s actions, keeps notes, and both survive a restart', async () => {
    const sandbox = await useSandbox({ rooms: 1, ratePerRoom: 0 });
    const dir = await useTempDir();
    const first = await buildTestCore(dir, { memory });
    const accountId = await addSandboxAccount(first.core, sandbox);
    valueOf(
      await call(first.core, 'settings.set', {
        rules: { global: [{ id: 'scam', pattern: 'scam' }], rooms: {} },
      }),
    );
    const roomKey = `${accountId}/1001`;
    const feeds = recordFeeds(first.core);
    const room = valueOf(await call(first.core, 'rooms.open', { accountId, roomId: '1001' }));
    await until(
      first.core.events,
      () => feeds.statuses.some((status) => status.state === 'live'),
      'the room live',
    );
    const say = async (userId: string, message: string): Promise<string> => {
      const { messageId } = await control(sandbox).say('1001', {
        userId,
        userName: userId === 'chatter1' ? 'Chatter One' : userId,
        message,
      });
      await until(first.core.events, () => carried(feeds, messageId), `the message ${message}`);
      return messageId;
    };
    const [, flagged, hidden, deleted] = [
      await say('chatter1', 'hello all'),
      await say('chatter1', 'cheap scam here'),
      await say('chatter1', 'to be hidden'),
      await say('chatter1', 'to be deleted'),
    ];
    await say('chatter2', 'someone else');
    valueOf(await call(first.core, 'messages.hide', { roomKey, messageId: hidden }));
    valueOf(await call(first.core, 'messages.delete', { roomKey, messageId: deleted }));
    await until(first.core.events, () => updates(feeds).length === 2, 'both changes in a batch');
    await flushed(first.core);

    const user = { accountId, userId: 'chatter1' };
    const summary = valueOf(await call(first.core, 'history.user', user));
    expect(summary).toMatchObject({
      name: 'Chatter One',
      messages: 4,
      flagged: 1,
      hidden: 1,
      deleted: 1,
      mutes: 0,
      exiles: 0,
      notes: [],
    });
    expect(summary.rooms).toMatchObject([{ roomKey, name: room.name, messages: 4 }]);
    expect(summary.actions.map((action) => [action.action, action.roomKey, action.result])).toEqual(
      [
        ['delete', roomKey, 'ok'],
        ['hide', roomKey, 'ok'],
      ],
    );
    expect(summary.firstSeen).not.toBeNull();
    expect(summary.lastSeen).toBeGreaterThanOrEqual(summary.firstSeen ?? Infinity);

    // Their messages, newest first, two a page, each once, with the room's name.
    const page = valueOf(await call(first.core, 'history.userMessages', { ...user, limit: 2 }));
    expect(page.results.map((event) => event.text)).toEqual(['to be deleted', 'to be hidden']);
    expect(page.results.map((event) => [event.state, event.roomName])).toEqual([
      ['deleted', room.name],
      ['hidden', room.name],
    ]);
    const next = valueOf(
      await call(first.core, 'history.userMessages', {
        ...user,
        limit: 2,
        cursor: page.nextCursor ?? undefined,
      }),
    );
    expect(next.results.map((event) => event.text)).toEqual(['cheap scam here', 'hello all']);
    expect(next.results[0]?.messageId).toBe(flagged);
    expect(next.results[0]?.flags).toMatchObject([{ ruleId: 'scam' }]);

    // Notes: added trimmed, edited, deleted.
    const kept = valueOf(
      await call(first.core, 'notes.add', { ...user, text: '  warned about links  ' }),
    );
    expect(kept).toMatchObject({ ...user, text: 'warned about links', editedAt: null });
    const gone = valueOf(await call(first.core, 'notes.add', { ...user, text: 'a mistake' }));
    valueOf(await call(first.core, 'notes.edit', { id: kept.id, text: 'warned twice' }));
    expect(valueOf(await call(first.core, 'notes.delete', { id: gone.id }))).toEqual({
      id: gone.id,
    });
    const notes = valueOf(await call(first.core, 'history.user', user)).notes;
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ id: kept.id, text: 'warned twice' });
    expect(notes[0]?.editedAt).not.toBeNull();
    await first.core.dispose();

    const second = await buildTestCore(dir, { memory, secrets: first.secrets });
    try {
      const after = valueOf(await call(second.core, 'history.user', user));
      expect(after).toEqual({ ...summary, notes });
    } finally {
      await second.core.dispose();
    }
  });

  it('counts the moderator’s mutes and exiles that worked, not one that failed', async () => {
    const sandbox = await useSandbox({ ratePerRoom: 0 });
    const test = await buildTestCore(await useTempDir(), {
      memory,
      live: { reconnect: { baseDelayMs: 50, maxDelayMs: 200 } },
      // Retries of the failing mute come at once.
      http: { sleep: () => Promise.resolve() },
    });
    onTestFinished(() => test.core.dispose());
    const { core } = test;
    const accountId = await addVChatCloudAccount(core, sandbox);
    const api = vcontrol(sandbox);
    const { open } = await api.seeded();
    const roomKey = `${accountId}/${open.roomId}`;
    const feeds = recordFeeds(core);
    valueOf(await call(core, 'rooms.open', { accountId, roomId: open.roomId }));
    await until(
      core.events,
      () => feeds.events.some((event) => event.kind === 'join' && event.user?.id === 'moderator1'),
      'the room joined',
    );
    for (const message of ['first', 'second'])
      await api.say(open.roomId, { clientKey: 'uMina', nickName: 'Mina', message });
    await until(
      core.events,
      () => feeds.events.filter((event) => event.user?.id === 'uMina').length >= 2,
      'her messages',
    );

    valueOf(await call(core, 'users.mute', { roomKey, userId: 'uMina' }));
    valueOf(await call(core, 'users.unmute', { roomKey, userId: 'uMina' }));
    await api.faults({ restFailure: { rate: 1, status: 500 } });
    expect((await call(core, 'users.mute', { roomKey, userId: 'uMina' })).ok).toBe(false);
    await api.clearFaults();
    valueOf(await call(core, 'users.exile', { roomKey, userId: 'uMina' }));
    await until(
      core.events,
      () => feeds.events.some((event) => event.customType === 'exile'),
      'the exile push',
    );
    await flushed(core);

    const summary = valueOf(await call(core, 'history.user', { accountId, userId: 'uMina' }));
    // The mute and exile pushes name her too; they are not messages of hers.
    expect(summary).toMatchObject({ name: 'Mina', messages: 2, mutes: 1, exiles: 1 });
    // The card lists the failed one too, as failed.
    expect(summary.actions.map((action) => [action.action, action.result === 'ok'])).toEqual([
      ['users.exile', true],
      ['users.mute', false],
      ['users.unmute', true],
      ['users.mute', true],
    ]);
  });

  it('refuses an empty note, one over 2,000 characters, and a note it does not have', async () => {
    const test = await buildTestCore(await useTempDir(), { memory });
    onTestFinished(() => test.core.dispose());
    const { core } = test;
    const user = { accountId: 'acc_1', userId: 'chatter1' };
    const code = async (channel: 'notes.add' | 'notes.edit' | 'notes.delete', input: unknown) => {
      const result = await call(core, channel, input);
      return result.ok ? 'ok' : result.error.code;
    };

    expect(await code('notes.add', { ...user, text: '   \n ' })).toBe('INVALID_INPUT');
    expect(await code('notes.add', { ...user, text: 'x'.repeat(2001) })).toBe('INVALID_INPUT');
    expect(await code('notes.add', { ...user, text: 'x'.repeat(2000) })).toBe('ok');
    const { id } = valueOf(await call(core, 'notes.add', { ...user, text: 'kept' }));
    expect(await code('notes.edit', { id, text: '' })).toBe('INVALID_INPUT');
    expect(await code('notes.edit', { id, text: 'y'.repeat(2001) })).toBe('INVALID_INPUT');
    expect(await code('notes.edit', { id: id + 100, text: 'nothing there' })).toBe('NOT_FOUND');
    expect(await code('notes.delete', { id: id + 100 })).toBe('NOT_FOUND');
    expect(await code('notes.delete', { id: -1 })).toBe('INVALID_INPUT');
    // The refused edits changed nothing.
    const { notes } = valueOf(await call(core, 'history.user', user));
    expect(notes.map((note) => note.text)).toEqual(['x'.repeat(2000), 'kept']);
  });

  it('answers UNSUPPORTED when this ModDeck keeps no history', async () => {
    const test = await buildTestCore(await useTempDir());
    onTestFinished(() => test.core.dispose());
    const user = { accountId: 'acc_1', userId: 'chatter1' };
    for (const [channel, input] of [
      ['history.user', user],
      ['history.userMessages', user],
      ['notes.add', { ...user, text: 'hello' }],
      ['notes.edit', { id: 1, text: 'hello' }],
      ['notes.delete', { id: 1 }],
    ] as const) {
      const result = await call(test.core, channel, input);
      expect(result.ok ? 'ok' : result.error.code, channel).toBe('UNSUPPORTED');
    }
  });
});

function carried(feeds: FeedRecord, messageId: string): boolean {
  return feeds.events.some((event: ChatEvent) => event.messageId === messageId);
}

function updates(feeds: FeedRecord): EventUpdate[] {
  return feeds.batches.flatMap((batch) => batch.updates);
}
