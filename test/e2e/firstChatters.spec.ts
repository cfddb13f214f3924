import { describe, expect, it } from 'vitest';
import { shouldRun } from '../support/env';
import { useTempDir } from '../support/tempDir';
import { browserProblem } from './browser';
import { column, openDeck, row } from './fixture';

const NEWCOMER = { userId: 'first-timer', userName: 'First Timer' };

describe.skipIf(!shouldRun('browser end to end', browserProblem()))(
  'first-time chatters, in Chromium',
  () => {
    it('marks a newcomer’s first message, not the next, and still after a restart', async () => {
      const dir = await useTempDir('moddeck-firsts-e2e-');
      const first = await openDeck({
        seed: 51,
        userDataDir: dir,
        sandboxOptions: { ratePerRoom: 0 },
      });
      // The room's known chatters come from the local store as the room opens, well before its
      // live connection is up: a message said once the column is live is checked against them.
      await column(first, '1001').locator('[data-connection="live"]').waitFor();
      const hello = await first.api.say('1001', { ...NEWCOMER, message: 'hello, new here' });
      const again = await first.api.say('1001', { ...NEWCOMER, message: 'me again' });
      const firstRow = row(first, hello.messageId).first();
      await firstRow.waitFor();
      await row(first, again.messageId).first().waitFor();
      expect(await firstRow.getAttribute('aria-label')).toContain('First message in this room');
      expect(await firstRow.locator('.row-kind-first').textContent()).toContain('First message');
      expect(await row(first, again.messageId).first().locator('.row-kind-first').count()).toBe(0);
      await first.host.close();

      const second = await openDeck({
        seed: 52,
        userDataDir: dir,
        sandboxOptions: { ratePerRoom: 0 },
      });
      const room = column(second, '1001');
      await room.locator('[data-connection="live"]').waitFor();
      // The stored first message keeps its mark; the newcomer's next one is not a first.
      const stored = room.locator(`article[data-message-id="${hello.messageId}"]`);
      await stored.waitFor();
      expect(await stored.locator('.row-kind-first').count()).toBe(1);
      const back = await second.api.say('1001', { ...NEWCOMER, message: 'back after the restart' });
      const backRow = room.locator(`article[data-message-id="${back.messageId}"]`);
      await backRow.waitFor();
      expect(await backRow.locator('.row-kind-first').count()).toBe(0);
      expect(first.pageErrors).toEqual([]);
      expect(second.pageErrors).toEqual([]);
    });
  },
);
