import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { systemClock } from '../../../src/main/clock';
import type { Core } from '../../../src/main/core';
import { silentLogger } from '../../../src/main/logger';
import { Redactor } from '../../../src/main/services/accounts/redactor';
import { AuditLog, type AuditEntry } from '../../../src/main/services/audit';
import { MemoryDatabase } from '../../../src/main/services/memory/database';
import { MemoryStore, type MemoryWorkerHandle } from '../../../src/main/services/memory/memory';
import { buildTestCore, call, recordFeeds, valueOf } from '../../support/core';
import { chatEvent, startTestWorker } from '../../support/memory';
import { addSandboxAccount, control, useSandbox } from '../../support/sandbox';
import { useTempDir } from '../../support/tempDir';
import { until } from '../../support/until';

const withMemory = { memory: { startWorker: startTestWorker } };

/** A sandbox room open in `core`, and a way to have a chatter say something in it. */
async function openRoom(core: Core, sandbox: Awaited<ReturnType<typeof useSandbox>>) {
  const accountId = await addSandboxAccount(core, sandbox);
  const feeds = recordFeeds(core);
  valueOf(await call(core, 'rooms.open', { accountId, roomId: '1001' }));
  await until(
    core.events,
    () => feeds.statuses.some((status) => status.state === 'live'),
    'the room live',
  );
  return {
    accountId,
    roomKey: `${accountId}/1001`,
    async say(message: string): Promise<string> {
      const { messageId } = await control(sandbox).say('1001', {
        userId: 'chatter1',
        userName: 'Chatter One',
        message,
      });
      await until(
        core.events,
        () => feeds.events.some((event) => event.messageId === messageId),
        message,
      );
      return messageId;
    },
  };
}

async function exported(core: Core): Promise<Array<Record<string, string>>> {
  const { content } = valueOf(await call(core, 'audit.export', { format: 'jsonl' }));
  return content
    .trim()
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, string>);
}

function memoryOf(core: Core) {
  if (core.memory === null) throw new Error('the core should keep a history');
  return core.memory;
}

describe('the audit log in the message history', () => {
  it('keeps a reason given with a hide, and one attached afterwards on the most recent matching action', async () => {
    const sandbox = await useSandbox({ rooms: 1, ratePerRoom: 0 });
    const dir = await useTempDir();
    const { core } = await buildTestCore(dir, withMemory);
    try {
      const room = await openRoom(core, sandbox);
      const first = await room.say('buy followers');
      const second = await room.say('cheap followers');
      const { roomKey } = room;

      valueOf(await call(core, 'messages.hide', { roomKey, messageId: first, reason: '  Spam  ' }));
      valueOf(await call(core, 'messages.hide', { roomKey, messageId: second }));
      valueOf(await call(core, 'messages.unhide', { roomKey, messageId: second }));
      valueOf(await call(core, 'messages.hide', { roomKey, messageId: second }));
      // For the second message's latest hide: not its first hide, not the unhide, not message one.
      expect(
        valueOf(
          await call(core, 'audit.reason', {
            roomKey,
            messageId: second,
            action: 'hide',
            reason: 'Advertising',
          }),
        ),
      ).toEqual({ found: true });
      expect(
        valueOf(
          await call(core, 'audit.reason', {
            roomKey,
            messageId: first,
            action: 'delete',
            reason: 'Off-topic',
          }),
        ),
      ).toEqual({ found: false });

      await memoryOf(core).request('flush', {});
      const { actions } = await memoryOf(core).request('actions', { roomKeys: [roomKey] });
      expect(actions.map((action) => [action.action, action.messageId, action.reason])).toEqual([
        ['hide', second, 'Advertising'],
        ['unhide', second, undefined],
        ['hide', second, undefined],
        ['hide', first, 'Spam'],
      ]);

      const lines = await exported(core);
      expect(lines.map((line) => [line['action'], line['messageId'], line['reason']])).toEqual([
        ['hide', first, 'Spam'],
        ['hide', second, undefined],
        ['unhide', second, undefined],
        ['hide', second, 'Advertising'],
      ]);
      expect(lines[0]).toMatchObject({
        account: room.accountId,
        accountName: 'Sandbox',
        room: roomKey,
        authorId: 'chatter1',
        author: 'Chatter One',
        result: 'ok',
        text: 'buy followers',
      });
      const csv = valueOf(await call(core, 'audit.export', { format: 'csv' })).content.split(
        '\r\n',
      );
      expect(csv[0]?.endsWith(',author,authorId,reason')).toBe(true);
      expect(csv[1]?.endsWith(',Chatter One,chatter1,Spam')).toBe(true);
      // The store is where the records are: no file is written beside it.
      expect(await readdir(join(dir, 'audit'))).toEqual(['imported.json']);
    } finally {
      await core.dispose();
    }
  });

  it('exports after a restart the actions from before it, oldest first', async () => {
    const sandbox = await useSandbox({ rooms: 1, ratePerRoom: 0 });
    const dir = await useTempDir();
    const first = await buildTestCore(dir, withMemory);
    const room = await openRoom(first.core, sandbox);
    const messageId = await room.say('first run');
    valueOf(await call(first.core, 'messages.delete', { roomKey: room.roomKey, messageId }));
    valueOf(
      await call(first.core, 'audit.reason', {
        roomKey: room.roomKey,
        messageId,
        action: 'delete',
        reason: 'Slur',
      }),
    );
    await first.core.dispose();

    const second = await buildTestCore(dir, withMemory);
    try {
      const again = await openRoom(second.core, sandbox);
      const later = await again.say('second run');
      valueOf(
        await call(second.core, 'messages.hide', { roomKey: again.roomKey, messageId: later }),
      );
      const lines = await exported(second.core);
      expect(lines.map((line) => [line['action'], line['messageId'], line['reason']])).toEqual([
        ['delete', messageId, 'Slur'],
        ['hide', later, undefined],
      ]);
    } finally {
      await second.core.dispose();
    }
  });

  it('imports the audit files of earlier runs once, with their times, and leaves them where they are', async () => {
    // Within the history's 30 days, which the store's actions are kept for.
    const now = Date.now();
    const days = (count: number, plusMs = 0) =>
      new Date(now - count * 24 * 60 * 60 * 1000 + plusMs).toISOString();
    const dir = await useTempDir();
    const folder = join(dir, 'audit');
    await mkdir(folder, { recursive: true });
    const line = (fields: Record<string, unknown>) =>
      JSON.stringify({ account: 'acc_1', room: 'acc_1/1001', result: 'ok', ...fields });
    // An automatic hide's reason as values is kept; values this version cannot read are left out.
    const why = { kind: 'wordTerm', pattern: 'old' };
    const rotated = `${line({ time: days(3), messageId: '1', action: 'hide', text: 'old one', why })}\n`;
    const current = [
      line({ time: days(2), messageId: '2', action: 'delete' }),
      line({
        time: days(2, 1000),
        messageId: '2',
        action: 'reason',
        detail: 'delete',
        reason: 'Harassment',
      }),
      'not a line of JSON',
      line({
        time: days(1),
        action: 'users.mute',
        authorId: 'u-9',
        author: 'nine',
        text: `${'y'.repeat(300)}`,
        why: { kind: 'notAKind' },
      }),
    ]
      .map((text) => `${text}\n`)
      .join('');
    await writeFile(join(folder, 'audit.1.jsonl'), rotated);
    await writeFile(join(folder, 'audit.jsonl'), current);

    for (let start = 0; start < 2; start += 1) {
      const { core } = await buildTestCore(dir, withMemory);
      try {
        await core.audit.imported;
        const lines = await exported(core);
        expect(lines.map((record) => [record['time'], record['action'], record['reason']])).toEqual(
          [
            [days(3), 'hide', undefined],
            [days(2), 'delete', 'Harassment'],
            [days(1), 'users.mute', undefined],
          ],
        );
        expect(lines[2]).toMatchObject({ authorId: 'u-9', author: 'nine', text: 'y'.repeat(200) });
        expect(lines.map((record) => record['why'])).toEqual([why, undefined, undefined]);
        expect((await memoryOf(core).request('size', {})).actions).toBe(3);
      } finally {
        await core.dispose();
      }
    }
    expect(await readFile(join(folder, 'audit.1.jsonl'), 'utf8')).toBe(rotated);
    expect(await readFile(join(folder, 'audit.jsonl'), 'utf8')).toBe(current);
  });

  it('does not import the audit files again after "Clear history", not even their last line', async () => {
    const dir = await useTempDir();
    const folder = join(dir, 'audit');
    await mkdir(folder, { recursive: true });
    const daysAgo = (count: number) => new Date(Date.now() - count * 86_400_000).toISOString();
    const line = (fields: Record<string, unknown>) =>
      JSON.stringify({ account: 'acc_1', room: 'acc_1/1001', result: 'ok', ...fields });
    await writeFile(
      join(folder, 'audit.jsonl'),
      [
        line({ time: daysAgo(2), messageId: '1', action: 'hide', text: 'first' }),
        line({ time: daysAgo(1), messageId: '2', action: 'delete', text: 'second' }),
      ].join('\n') + '\n',
    );

    const first = await buildTestCore(dir, withMemory);
    try {
      await first.core.audit.imported;
      expect((await memoryOf(first.core).request('size', {})).actions).toBe(2);
      valueOf(await call(first.core, 'history.clear'));
      expect((await memoryOf(first.core).request('size', {})).actions).toBe(0);
    } finally {
      await first.core.dispose();
    }

    // The import marker named the last line's time, and lines from that time on were imported.
    const second = await buildTestCore(dir, withMemory);
    try {
      await second.core.audit.imported;
      expect(await exported(second.core)).toEqual([]);
    } finally {
      await second.core.dispose();
    }
  });

  it('includes in the export the actions and reasons still waiting for a full disk', async () => {
    const sandbox = await useSandbox({ rooms: 1, ratePerRoom: 0 });
    const dir = await useTempDir();
    const { core } = await buildTestCore(dir, withMemory);
    try {
      const room = await openRoom(core, sandbox);
      const written = await room.say('before the disk filled');
      valueOf(await call(core, 'messages.hide', { roomKey: room.roomKey, messageId: written }));
      const memory = memoryOf(core);
      await memory.request('flush', {});
      const waiting = await room.say('hidden while the disk is full');
      // SQLite keeps the limit at the pages the file has when asked for fewer: no page to grow by.
      const { usedBytes } = await memory.request('size', {});
      await memory.request('limitPages', { pages: Math.floor(usedBytes / 4096) });
      const paused = new Promise<void>((resolve) => {
        const stop = memory.onMessage((message) => {
          if (message.type !== 'paused') return;
          stop();
          resolve();
        });
      });
      const long = 'x'.repeat(4000);
      memory.ingest({
        events: Array.from({ length: 20 }, (_, index) =>
          chatEvent(room.roomKey, `${long} ${index}`),
        ),
        updates: [],
        stats: [],
      });
      await paused;
      valueOf(await call(core, 'messages.hide', { roomKey: room.roomKey, messageId: waiting }));
      for (const [messageId, reason] of [
        [written, 'Spam'],
        [waiting, 'Advertising'],
      ] as const) {
        const answer = await call(core, 'audit.reason', {
          roomKey: room.roomKey,
          messageId,
          action: 'hide',
          reason,
        });
        expect(valueOf(answer)).toEqual({ found: true });
      }
      const lines = await exported(core);
      expect(lines.map((line) => [line['messageId'], line['reason']])).toEqual([
        [written, 'Spam'],
        [waiting, 'Advertising'],
      ]);
    } finally {
      await core.dispose();
    }
  });

  it('records the hide of a message that quotes a credential, and the actions after it', async () => {
    const sandbox = await useSandbox({ rooms: 1, ratePerRoom: 0 });
    const dir = await useTempDir();
    const { core } = await buildTestCore(dir, withMemory);
    try {
      const room = await openRoom(core, sandbox);
      const quoted = await room.say('my password="hunter2" lol');
      const plain = await room.say('buy followers');
      const { roomKey } = room;

      valueOf(await call(core, 'messages.hide', { roomKey, messageId: quoted }));
      valueOf(await call(core, 'messages.hide', { roomKey, messageId: plain }));
      const lines = await exported(core);
      expect(lines.map((line) => [line['messageId'], line['text']])).toEqual([
        [quoted, 'my password="[redacted]" lol'],
        [plain, 'buy followers'],
      ]);
    } finally {
      await core.dispose();
    }
  });

  it('without a store, keeps the records and their reasons in the files and exports them from there', async () => {
    const sandbox = await useSandbox({ rooms: 1, ratePerRoom: 0 });
    const dir = await useTempDir();
    const { core } = await buildTestCore(dir);
    try {
      const room = await openRoom(core, sandbox);
      const messageId = await room.say('no history here');
      valueOf(await call(core, 'messages.hide', { roomKey: room.roomKey, messageId }));
      valueOf(
        await call(core, 'audit.reason', {
          roomKey: room.roomKey,
          messageId,
          action: 'hide',
          reason: 'Spam',
        }),
      );
      const file = (await readFile(core.audit.path, 'utf8')).trim().split('\n');
      expect(file.map((text) => (JSON.parse(text) as { action: string }).action)).toEqual([
        'hide',
        'reason',
      ]);
      const lines = await exported(core);
      expect(lines.map((line) => [line['action'], line['reason']])).toEqual([['hide', 'Spam']]);
    } finally {
      await core.dispose();
    }
  });
});

/** A store and its audit log, with a way to make the store's worker die as a crash would. */
async function auditWithStore(dir: string) {
  const workers: MemoryWorkerHandle[] = [];
  const memory = new MemoryStore({
    file: join(dir, 'memory.sqlite'),
    startWorker: (data) => {
      const worker = startTestWorker(data);
      workers.push(worker);
      return worker;
    },
    clock: systemClock,
    log: silentLogger,
    describeRoom: () => ({ accountId: 'a', provider: 'flipflop', name: 'Lobby' }),
  });
  onTestFinished(() => memory.close());
  const [worker] = workers;
  if (worker === undefined) throw new Error('the store started no worker');
  // After the store's own listener, which stops it.
  const exited = new Promise<void>((resolve) => worker.on('exit', () => resolve()));
  const audit = new AuditLog({
    dir: join(dir, 'audit'),
    clock: systemClock,
    log: silentLogger,
    redactor: new Redactor(),
    store: memory,
  });
  await audit.imported;
  const crash = async () => {
    void worker.terminate();
    await exited;
    expect(memory.available).toBe(false);
  };
  return { memory, audit, crash };
}

function hide(messageId: string): AuditEntry {
  return { account: 'a', room: 'a/r', messageId, action: 'hide', result: 'ok' };
}

async function exportedIds(audit: AuditLog): Promise<string[]> {
  const { content } = await audit.export('jsonl');
  return content
    .trim()
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => (JSON.parse(line) as { messageId: string }).messageId);
}

describe('the audit log when the store’s worker dies', () => {
  it('exports the actions the store committed before it died, read from its file, and those after', async () => {
    const dir = await useTempDir();
    const { memory, audit, crash } = await auditWithStore(dir);
    await audit.append(hide('m1'));
    await memory.request('flush', {});
    await crash();
    // With the store stopped, this one goes to the files, as without a store.
    await audit.append(hide('m2'));
    expect(await exportedIds(audit)).toEqual(['m1', 'm2']);
  });

  it('writes to the files an action given to the store that its worker had not committed', async () => {
    const dir = await useTempDir();
    const { audit, crash } = await auditWithStore(dir);
    // Resolved: the audit log counts it as recorded. The worker dies before it commits it.
    await audit.append({ ...hide('m1'), roomName: 'Evening show' });
    await crash();
    await audit.settled;
    const lines = (await readFile(audit.path, 'utf8')).trim().split('\n');
    // The line the store handed back is the line the files would have had, the room's name too.
    expect(lines.map((line) => JSON.parse(line) as Record<string, unknown>)).toMatchObject([
      { room: 'a/r', roomName: 'Evening show', messageId: 'm1', action: 'hide', result: 'ok' },
    ]);
    const stored = new MemoryDatabase(join(dir, 'memory.sqlite'));
    expect(stored.actions({}).actions).toEqual([]);
    stored.close();
    expect(await exportedIds(audit)).toEqual(['m1']);
  });

  it('keeps in the files an action still waiting for a full disk when ModDeck closes, for the next start', async () => {
    const dir = await useTempDir();
    const first = await buildTestCore(dir, withMemory);
    try {
      await first.core.audit.imported;
      const memory = memoryOf(first.core);
      // SQLite keeps the limit at the pages the file has when asked for fewer: no page to grow by.
      const { usedBytes } = await memory.request('size', {});
      await memory.request('limitPages', { pages: Math.floor(usedBytes / 4096) });
      const paused = new Promise<void>((resolve) => {
        const stop = memory.onMessage((message) => {
          if (message.type !== 'paused') return;
          stop();
          resolve();
        });
      });
      memory.ingest({
        events: Array.from({ length: 20 }, (_, index) =>
          chatEvent('acc_1/1001', `${'x'.repeat(4000)} ${index}`),
        ),
        updates: [],
        stats: [],
      });
      await paused;
      await first.core.audit.append({ ...hide('m1'), account: 'acc_1', room: 'acc_1/1001' });
    } finally {
      await first.core.dispose();
    }
    const second = await buildTestCore(dir, withMemory);
    try {
      await second.core.audit.imported;
      expect((await exported(second.core)).map((line) => line['messageId'])).toEqual(['m1']);
    } finally {
      await second.core.dispose();
    }
  });
});
