import { describe, expect, it } from 'vitest';
import type { EventUpdate } from '../../../src/shared/chat';
import { buildTestCore, call, recordFeeds, valueOf } from '../../support/core';
import { parseQuery } from '../../../src/shared/search';
import { chatEvent, startTestWorker } from '../../support/memory';
import { addSandboxAccount, control, useSandbox } from '../../support/sandbox';
import { useTempDir } from '../../support/tempDir';
import { until } from '../../support/until';

describe('the core with a message history', () => {
  it('keeps what the feeds carried and what the moderator did, across a restart', async () => {
    const sandbox = await useSandbox({ rooms: 1, ratePerRoom: 0 });
    const dir = await useTempDir();
    const first = await buildTestCore(dir, { memory: { startWorker: startTestWorker } });
    const accountId = await addSandboxAccount(first.core, sandbox);
    const feeds = recordFeeds(first.core);
    const roomKey = `${accountId}/1001`;
    valueOf(await call(first.core, 'rooms.open', { accountId, roomId: '1001' }));
    await until(
      first.core.events,
      () => feeds.statuses.some((status) => status.state === 'live'),
      'the room live',
    );
    const { messageId } = await control(sandbox).say('1001', {
      userId: 'chatter1',
      userName: 'Chatter One',
      message: '너 바보야 ok',
    });
    await until(
      first.core.events,
      () => feeds.events.some((event) => event.messageId === messageId),
      'the message',
    );
    valueOf(await call(first.core, 'messages.hide', { roomKey, messageId }));
    const updates = (): EventUpdate[] => feeds.batches.flatMap((batch) => batch.updates);
    await until(first.core.events, () => updates().length === 1, 'the hide in a batch');
    // The audit log is kept in the store, and exported from it.
    expect((await first.core.audit.export('jsonl')).content).toContain('"action":"hide"');
    await first.core.dispose();

    const second = await buildTestCore(dir, { memory: { startWorker: startTestWorker } });
    const memory = second.core.memory;
    if (memory === null) throw new Error('the core should keep a history');
    try {
      for (const term of ['바보', 'ok']) {
        const page = await memory.request('events', { roomKeys: [roomKey], terms: [term] });
        expect(page.events).toMatchObject([
          { messageId, state: 'hidden', user: { id: 'chatter1', name: 'Chatter One' } },
        ]);
      }
      const summary = await memory.request('userSummary', { accountId, userId: 'chatter1' });
      expect(summary).toMatchObject({ messages: 1, hidden: 1 });
      expect(summary.rooms).toMatchObject([{ roomKey }]);
      const { actions } = await memory.request('actions', {
        user: { accountId, userId: 'chatter1' },
      });
      expect(actions).toMatchObject([
        { action: 'hide', roomKey, messageId, userName: 'Chatter One', result: 'ok' },
      ]);
      expect(actions[0]?.reason).toBeUndefined();

      // Settings' size and "clear history", through the contract.
      const size = valueOf(await call(second.core, 'history.size'));
      // The message, and whatever else the room carried (a join, a gap…).
      expect(size.events).toBeGreaterThanOrEqual(1);
      expect(size.actions).toBe(1);
      expect(size.bytes).toBeGreaterThan(0);
      expect(valueOf(await call(second.core, 'history.clear'))).toMatchObject({
        events: 0,
        actions: 0,
      });
      const after = await memory.request('events', { terms: ['바보'] });
      expect(after.events).toEqual([]);
    } finally {
      await second.core.dispose();
    }
  });

  it('runs without a history when the adapters give none, and says so when asked for it', async () => {
    const { core } = await buildTestCore(await useTempDir());
    expect(core.memory).toBeNull();
    const result = await call(core, 'history.size');
    expect(result.ok ? null : result.error.code).toBe('UNSUPPORTED');
    const search = await call(core, 'history.search', { query: 'gg' });
    expect(search.ok ? null : search.error.code).toBe('UNSUPPORTED');
    const around = await call(core, 'history.around', { roomKey: 'acc_1/1001', seq: 1 });
    expect(around.ok ? null : around.error.code).toBe('UNSUPPORTED');
    await core.dispose();
  });

  it('searches the history through the contract, page by page, and refuses a malformed query', async () => {
    const { core } = await buildTestCore(await useTempDir(), {
      memory: { startWorker: startTestWorker },
    });
    const memory = core.memory;
    if (memory === null) throw new Error('the core should keep a history');
    try {
      const said = ['gg 바보야', 'gg wp', 'nothing here', 'gg again', '바보 gg'];
      const events = said.map((text) => chatEvent('acc_1/1001', text, { userId: 'chatter1' }));
      memory.ingest({ events, updates: [], stats: [] });
      await memory.request('flush', {});

      const found: string[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < 10; page += 1) {
        const result = valueOf(
          await call(core, 'history.search', {
            query: 'from:chatter1 gg',
            roomKeys: ['acc_1/1001'],
            limit: 2,
            ...(cursor === undefined ? {} : { cursor }),
          }),
        );
        expect(result.stoppedEarly).toBe(false);
        found.push(...result.results.map((event) => event.text));
        if (result.nextCursor === null) break;
        cursor = result.nextCursor;
      }
      expect(found).toEqual(['바보 gg', 'gg again', 'gg wp', 'gg 바보야']);
      const korean = valueOf(await call(core, 'history.search', { query: '바보 -gg' }));
      expect(korean.results).toEqual([]);

      const malformed = 'is:nothing';
      const parsed = parseQuery(malformed);
      if (parsed.ok) throw new Error('the query should be malformed');
      const result = await call(core, 'history.search', { query: malformed });
      expect(result.ok ? null : result.error).toEqual({
        code: 'INVALID_INPUT',
        message: parsed.error,
      });
    } finally {
      await core.dispose();
    }
  });

  it('answers a search result’s neighbours in its room through the contract, from the worker', async () => {
    const { core } = await buildTestCore(await useTempDir(), {
      memory: { startWorker: startTestWorker },
    });
    const memory = core.memory;
    if (memory === null) throw new Error('the core should keep a history');
    try {
      const events = ['one', 'two', 'elsewhere', 'three', 'four', 'five'].map((text) =>
        chatEvent(text === 'elsewhere' ? 'acc_1/1002' : 'acc_1/1001', text),
      );
      memory.ingest({ events, updates: [], stats: [] });
      await memory.request('flush', {});
      const [found] = valueOf(await call(core, 'history.search', { query: 'three' })).results;
      if (!found) throw new Error('the search should find "three"');

      const around = valueOf(
        await call(core, 'history.around', {
          roomKey: 'acc_1/1001',
          seq: found.seq,
          before: 1,
          after: 1,
        }),
      );
      expect(around.events.map((event) => event.text)).toEqual(['two', 'three', 'four']);
      const tooMany = await call(core, 'history.around', {
        roomKey: 'acc_1/1001',
        seq: found.seq,
        before: 101,
      });
      expect(tooMany.ok ? null : tooMany.error.code).toBe('INVALID_INPUT');
    } finally {
      await core.dispose();
    }
  });
});
