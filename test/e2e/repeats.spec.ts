import { describe, expect, it } from 'vitest';
import { shouldRun } from '../support/env';
import { browserProblem } from './browser';
import { column, openDeck, row } from './fixture';

describe.skipIf(!shouldRun('browser end to end', browserProblem()))(
  'repeated messages in Chromium',
  () => {
    it('shows four copies as one row "×4" and hides and brings back every copy from it, as the sandbox confirms', async () => {
      const deck = await openDeck({ automod: false, seed: 27, sandboxOptions: { ratePerRoom: 0 } });
      await column(deck, '1001').locator('[data-connection="live"]').waitFor();
      const say = async (userId: string, message: string) =>
        (await deck.api.say('1001', { userId, userName: userId, message })).messageId;
      const copies: string[] = [];
      copies.push(await say('spammer', 'Buy followers at example dot com'));
      copies.push(await say('spammer', 'buy followers at example dot com'));
      const between = await say('viewer', 'please stop');
      copies.push(await say('spammer', 'BUY FOLLOWERS at example dot com'));
      copies.push(await say('spammer', 'Buy followers  at example dot com'));
      await row(deck, between).waitFor();

      const first = row(deck, copies[0] ?? '');
      const toggle = first.getByRole('button', { name: 'Show all 4 copies' });
      await toggle.waitFor();
      expect(await toggle.textContent()).toBe('×4');
      expect(await first.getAttribute('aria-label')).toContain('4 times');
      for (const copy of copies.slice(1)) expect(await row(deck, copy).count()).toBe(0);

      await first.hover();
      await first.getByRole('button', { name: 'Hide', exact: true }).click();
      await deck.page.getByText('4 of 4 hidden.').waitFor();
      const states = () =>
        Promise.all(copies.map(async (copy) => (await deck.api.message('1001', copy)).state));
      await expect.poll(states).toEqual(['hidden', 'hidden', 'hidden', 'hidden']);
      expect((await deck.api.message('1001', between)).state).toBe('visible');

      await deck.page.keyboard.press('z');
      await deck.page.getByText('4 of 4 unhidden.').waitFor();
      await expect.poll(states).toEqual(['visible', 'visible', 'visible', 'visible']);

      await toggle.click();
      for (const copy of copies) await row(deck, copy).waitFor();
      expect(deck.pageErrors).toEqual([]);
    });
  },
);
