import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  AUDIT_RETRY_FIRST_MS,
  AuditLog,
  csvCell,
  type AuditEntry,
  type AuditStore,
} from '../../src/main/services/audit';
import { silentLogger } from '../../src/main/logger';
import { Redactor } from '../../src/main/services/accounts/redactor';
import { WarningBoard } from '../../src/main/services/warnings';
import type { AppWarning } from '../../src/shared/warnings';
import { buildTestCore, call, valueOf } from '../support/core';
import { FakeClock } from '../support/fakeClock';
import { useTempDir } from '../support/tempDir';
import { until } from '../support/until';

function log(dir: string, options: { maxBytes?: number; redactor?: Redactor } = {}) {
  return new AuditLog({
    dir,
    clock: new FakeClock(Date.UTC(2026, 10, 22, 3, 0, 0)),
    log: silentLogger,
    redactor: options.redactor ?? new Redactor(),
    ...(options.maxBytes ? { maxBytes: options.maxBytes } : {}),
  });
}

describe('the audit log', () => {
  it('appends one JSON line per action with at most 200 characters of text', async () => {
    const dir = await useTempDir();
    const audit = log(dir);
    await audit.append({
      account: 'acc_1',
      room: 'acc_1/1001',
      messageId: '1679786302000000001',
      action: 'hide',
      result: 'ok',
      text: 'x'.repeat(500),
    });
    await audit.append({
      account: 'acc_1',
      room: 'acc_1/1001',
      messageId: '2',
      action: 'delete',
      result: 'CHAT_ROOM_MESSAGE_NOT_FOUND',
    });
    const lines = (await readFile(audit.path, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toEqual([
      {
        time: '2026-11-22T03:00:00.000Z',
        account: 'acc_1',
        room: 'acc_1/1001',
        messageId: '1679786302000000001',
        action: 'hide',
        result: 'ok',
        text: 'x'.repeat(200),
      },
      {
        time: '2026-11-22T03:00:00.000Z',
        account: 'acc_1',
        room: 'acc_1/1001',
        messageId: '2',
        action: 'delete',
        result: 'CHAT_ROOM_MESSAGE_NOT_FOUND',
      },
    ]);
  });

  it('never writes a known secret', async () => {
    const dir = await useTempDir();
    const redactor = new Redactor();
    redactor.add('topsecret-42');
    const audit = log(dir, { redactor });
    await audit.append({
      account: 'acc_1',
      action: 'broadcast',
      result: 'ok',
      text: 'my password is topsecret-42',
    });
    expect(await readFile(audit.path, 'utf8')).not.toContain('topsecret-42');
  });

  it('keeps a line whose text quotes a credential whole, with the credential and a secret masked', async () => {
    const dir = await useTempDir();
    const redactor = new Redactor();
    redactor.add('top"secret\\42');
    const audit = log(dir, { redactor });
    const text = 'my password="hunter2" lol, and top"secret\\42';
    await audit.append({ account: 'acc_1', messageId: '7', action: 'hide', result: 'ok', text });
    await audit.append({ account: 'acc_1', messageId: '8', action: 'hide', result: 'ok' });

    const written = await readFile(audit.path, 'utf8');
    const lines = written
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((line) => line['text'])).toEqual([
      'my password="[redacted]" lol, and [redacted]',
      undefined,
    ]);
    expect(written).not.toContain('hunter2');
    const csv = (await audit.export('csv')).content.trim().split('\r\n');
    expect(csv).toHaveLength(3);
  });

  it('takes the actions after one whose record the store refused', async () => {
    const dir = await useTempDir();
    const kept: AuditEntry[] = [];
    const store = {
      available: true,
      action(entry: AuditEntry) {
        if (entry.messageId === 'refused') throw new Error('the worker is gone');
        kept.push(entry);
      },
      request: () => Promise.reject(new Error('not asked in this test')),
      onActionsLost: () => undefined,
      reader: () => null,
    } as unknown as AuditStore;
    const audit = new AuditLog({
      dir,
      clock: new FakeClock(Date.UTC(2026, 10, 22, 3, 0, 0)),
      log: silentLogger,
      redactor: new Redactor(),
      store,
    });
    const refused = { account: 'acc_1', messageId: 'refused', action: 'hide', result: 'ok' };
    await expect(audit.append(refused)).rejects.toThrow('the worker is gone');
    await audit.append({ account: 'acc_1', messageId: 'next', action: 'hide', result: 'ok' });
    await audit.settled;
    expect(kept.map((entry) => entry.messageId)).toEqual(['next']);
  });

  it('rotates past its size limit and exports every line in order', async () => {
    const dir = await useTempDir();
    const audit = log(dir, { maxBytes: 400 });
    for (let i = 0; i < 12; i += 1)
      await audit.append({ account: 'acc_1', messageId: String(i), action: 'hide', result: 'ok' });
    const files = (await readdir(dir)).sort();
    expect(files).toContain('audit.1.jsonl');
    expect(files.length).toBeGreaterThan(2);
    const exported = await audit.export('jsonl');
    expect(exported.filename).toMatch(/^moddeck-audit-2026-11-22-03-00-00\.jsonl$/);
    const ids = exported.content
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { messageId: string }).messageId);
    expect(ids).toEqual(
      ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11'].slice(-ids.length),
    );
    expect(ids.length).toBeGreaterThanOrEqual(10);
  });

  it('exports CSV with quoting and formula-safe cells', async () => {
    const dir = await useTempDir();
    const audit = log(dir);
    await audit.append({
      account: 'acc_1',
      action: 'broadcast',
      result: 'ok',
      text: '=HYPERLINK("x"), "hi"',
    });
    const { content, mimeType } = await audit.export('csv');
    expect(mimeType).toBe('text/csv');
    expect(content.split('\r\n')[0]).toBe(
      'time,account,room,messageId,action,result,text,detail,accountName,roomName,author,authorId,reason',
    );
    expect(content).toContain(`"'=HYPERLINK(""x""), ""hi"""`);
    expect(csvCell('-1+1')).toBe("'-1+1");
    expect(csvCell(' padded')).toBe('" padded"');
  });

  it('exports the names of the account, the room and the author beside their ids, and older lines as they were', async () => {
    const dir = await useTempDir();
    const audit = log(dir);
    // A line written before the names were kept.
    const older = {
      time: '2026-11-21T09:00:00.000Z',
      account: 'acc_1',
      room: 'acc_1/1001',
      messageId: '7',
      action: 'hide',
      result: 'ok',
    };
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'audit.jsonl'), `${JSON.stringify(older)}\n`);
    await audit.append({
      account: 'acc_1',
      accountName: 'Studio, main',
      room: 'acc_1/1001',
      roomName: 'Morning yoga',
      messageId: '8',
      action: 'delete',
      authorId: 'u-eve',
      author: 'eve',
      result: 'ok',
      text: 'spam',
    });

    const csv = (await audit.export('csv')).content.split('\r\n');
    expect(csv[0]).toBe(
      'time,account,room,messageId,action,result,text,detail,accountName,roomName,author,authorId,reason',
    );
    expect(csv[1]).toBe('2026-11-21T09:00:00.000Z,acc_1,acc_1/1001,7,hide,ok,,,,,,,');
    expect(csv[2]).toBe(
      '2026-11-22T03:00:00.000Z,acc_1,acc_1/1001,8,delete,ok,spam,,"Studio, main",Morning yoga,eve,u-eve,',
    );

    const lines = (await audit.export('jsonl')).content
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, string>);
    expect(lines[0]).toEqual(older);
    expect(lines[1]).toMatchObject({
      accountName: 'Studio, main',
      roomName: 'Morning yoga',
      author: 'eve',
      authorId: 'u-eve',
    });
  });

  it('without a store, writes a reason given afterwards as its own line and folds it into its action in the export', async () => {
    const dir = await useTempDir();
    const redactor = new Redactor();
    redactor.add('hunter2-secret');
    const audit = log(dir, { redactor });
    const hide = { account: 'acc_1', room: 'acc_1/1001', action: 'hide', result: 'ok' };
    await audit.append({ ...hide, messageId: '7' });
    await audit.append({ ...hide, messageId: '8' });
    await audit.append({ ...hide, messageId: '7', action: 'unhide' });
    await audit.append({ ...hide, messageId: '7' });
    expect(
      await audit.reason({
        roomKey: 'acc_1/1001',
        action: 'hide',
        messageId: '7',
        reason: 'Spam hunter2-secret',
      }),
    ).toEqual({ found: true });
    expect(
      await audit.reason({
        roomKey: 'acc_1/1001',
        action: 'users.mute',
        userId: 'u1',
        reason: 'Slur',
      }),
    ).toEqual({ found: false });

    const written = (await readFile(audit.path, 'utf8')).trim().split('\n');
    expect(written).toHaveLength(6);
    expect(JSON.parse(written[4] ?? '')).toMatchObject({
      action: 'reason',
      detail: 'hide',
      messageId: '7',
    });
    const records = (await audit.export('jsonl')).content
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, string>);
    // The most recent hide of message 7 has it; the earlier one and message 8 do not.
    expect(
      records.map((record) => [record['action'], record['messageId'], record['reason']]),
    ).toEqual([
      ['hide', '7', undefined],
      ['hide', '8', undefined],
      ['unhide', '7', undefined],
      ['hide', '7', 'Spam [redacted]'],
      // A reason whose action is not in the log stays a line of its own.
      ['reason', undefined, 'Slur'],
    ]);
    const csv = (await audit.export('csv')).content.split('\r\n');
    expect(csv[4]?.endsWith(',hide,ok,,,,,,,Spam [redacted]')).toBe(true);
  });

  it('keeps a line it cannot write and writes it with the next one', async () => {
    const dir = await useTempDir();
    const folder = join(dir, 'audit');
    await writeFile(folder, 'a file where the folder should be');
    const audit = log(folder);
    await audit.append({ account: 'acc_1', messageId: 'lost?', action: 'hide', result: 'ok' });
    expect((await audit.export('jsonl')).content).toContain('"messageId":"lost?"');
    await rm(folder);
    await mkdir(folder);
    await audit.append({ account: 'acc_1', messageId: 'next', action: 'hide', result: 'ok' });
    const written = await readFile(audit.path, 'utf8');
    expect(written.indexOf('lost?')).toBeGreaterThanOrEqual(0);
    expect(written.indexOf('lost?')).toBeLessThan(written.indexOf('next'));
  });
});

describe('audit lines waiting in memory', () => {
  it('tells the moderator how many wait and why, retries on a timer that backs off, and clears once written', async () => {
    const dir = await useTempDir();
    const folder = join(dir, 'audit');
    // A file where the folder should be: no write can succeed, even as root.
    await writeFile(folder, 'a file where the folder should be');
    const clock = new FakeClock();
    const board = new WarningBoard();
    const audit = new AuditLog({
      dir: folder,
      clock,
      log: silentLogger,
      redactor: new Redactor(),
      warnings: board,
    });

    await audit.append({ account: 'acc_1', messageId: 'one', action: 'hide', result: 'ok' });
    await audit.append({ account: 'acc_1', messageId: 'two', action: 'delete', result: 'ok' });
    expect(board.list()).toEqual([
      {
        id: 'audit-1',
        kind: 'auditPending',
        folder,
        count: 2,
        reason: 'a file stands where a folder should be',
        message: `2 audit log lines could not be written to ${folder} (a file stands where a folder should be). ModDeck keeps them in memory and in exports, and keeps trying.`,
      },
    ]);
    expect((await audit.export('jsonl')).content).toMatch(/"one".*\n.*"two"/);

    // The first retry comes after a second, fails, and the next waits twice as long.
    expect(clock.pending).toBe(1);
    clock.advance(AUDIT_RETRY_FIRST_MS);
    await expect.poll(() => clock.pending).toBe(1);
    expect(board.list()).toHaveLength(1);

    await rm(folder);
    await mkdir(folder);
    clock.advance(2 * AUDIT_RETRY_FIRST_MS - 1);
    expect(board.list()).toHaveLength(1);
    clock.advance(1);
    await expect.poll(() => board.list()).toEqual([]);
    const written = (await readFile(audit.path, 'utf8')).trim().split('\n');
    expect(written.map((line) => (JSON.parse(line) as { messageId: string }).messageId)).toEqual([
      'one',
      'two',
    ]);
    expect(clock.pending).toBe(0);

    // A later spell of failures is a new warning, shown again even if the last one was dismissed.
    await rm(folder, { recursive: true });
    await writeFile(folder, 'broken again');
    await audit.append({ account: 'acc_1', messageId: 'three', action: 'hide', result: 'ok' });
    expect(board.list()).toMatchObject([{ id: 'audit-2', count: 1 }]);
    expect(board.list()[0]?.message).toMatch(/^1 audit log line could not be written/);
    audit.dispose();
    expect(clock.pending).toBe(0);
  });

  it('starts no retry timer for a line that comes after dispose, and still keeps the line', async () => {
    const dir = await useTempDir();
    const folder = join(dir, 'audit');
    await writeFile(folder, 'a file where the folder should be');
    const clock = new FakeClock();
    const audit = new AuditLog({ dir: folder, clock, log: silentLogger, redactor: new Redactor() });
    // One line on its way when the app quits, one from an action that finishes after.
    const inFlight = audit.append({
      account: 'acc_1',
      messageId: 'one',
      action: 'hide',
      result: 'ok',
    });
    audit.dispose();
    await inFlight;
    await audit.append({ account: 'acc_1', messageId: 'two', action: 'hide', result: 'ok' });
    expect(clock.pending).toBe(0);
    expect((await audit.export('jsonl')).content).toMatch(/"one".*\n.*"two"/);
  });

  it('tells the window through app.warnings while the core cannot write its audit log', async () => {
    const dir = await useTempDir();
    await writeFile(join(dir, 'audit'), 'a file where the folder should be');
    const clock = new FakeClock();
    const { core } = await buildTestCore(dir, { clock });
    const announced: AppWarning[][] = [];
    core.events.subscribe((event, payload) => {
      if (event === 'app.warnings') announced.push(payload as AppWarning[]);
    });

    await core.audit.append({ account: 'acc_1', action: 'broadcast', result: 'ok' });
    expect(announced).toMatchObject([[{ kind: 'auditPending', count: 1 }]]);
    expect(valueOf(await call(core, 'app.info')).warnings).toEqual(announced[0]);

    await rm(join(dir, 'audit'));
    clock.advance(AUDIT_RETRY_FIRST_MS);
    await until(core.events, () => announced.length === 2, 'the warning to clear');
    expect(announced[1]).toEqual([]);
    await core.dispose();
  });
});
