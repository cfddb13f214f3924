import { describe, expect, it } from 'vitest';
import { shouldRun } from '../support/env';
import { useTempDir } from '../support/tempDir';
import { browserProblem } from './browser';
import { column, openDeck, row } from './fixture';

const BEFORE = { userId: 'kept-user', userName: 'Kept User', message: 'said before the restart' };

describe.skipIf(!shouldRun('browser end to end', browserProblem()))(
  'a restart on the same user-data folder, in Chromium',
  () => {
    it('shows the room’s stored messages before a divider naming the time ModDeck was closed', async () => {
      const dir = await useTempDir('moddeck-restart-e2e-');
      const first = await openDeck({
        seed: 41,
        userDataDir: dir,
        sandboxOptions: { ratePerRoom: 1 },
      });
      await column(first, '1001').locator('[data-connection="live"]').waitFor();
      const { messageId } = await first.api.say('1001', BEFORE);
      await row(first, messageId).first().waitFor();
      await first.host.close();

      const second = await openDeck({
        seed: 42,
        userDataDir: dir,
        sandboxOptions: { ratePerRoom: 1 },
      });
      const room = column(second, '1001');
      const stored = room.locator(`article[data-message-id="${messageId}"]`);
      await stored.waitFor();
      expect(await stored.textContent()).toContain(BEFORE.message);
      const divider = room.locator('article[data-kind="gap"]', {
        hasText: /^ModDeck was closed for /,
      });
      await divider.waitFor();
      // The stored message comes before the divider, the live ones after it.
      const order = await room
        .locator('article[data-message-id]')
        .evaluateAll(
          (rows, id) =>
            rows.map((element) =>
              element.getAttribute('data-message-id') === id
                ? 'stored'
                : element.getAttribute('data-kind') === 'gap'
                  ? 'gap'
                  : 'other',
            ),
          messageId,
        );
      expect(order.indexOf('stored')).toBeGreaterThanOrEqual(0);
      expect(order.indexOf('stored')).toBeLessThan(order.indexOf('gap'));
      expect(first.pageErrors).toEqual([]);
      expect(second.pageErrors).toEqual([]);
    });
  },
);
