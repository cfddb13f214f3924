import { describe, expect, it } from 'vitest';
import { shouldRun } from '../support/env';
import { browserProblem } from './browser';
import { column, openDeck } from './fixture';

/** Only what the test sends: no chatter, no forbidden words, no spam of the sandbox's own. */
const QUIET = { ratePerRoom: 0, forbiddenShare: 0, directShare: 0 };

describe.skipIf(!shouldRun('browser end to end', browserProblem()))(
  'the Held column in Chromium',
  () => {
    it("holds a raid's copies once its rule holds, approves one by key and denies the rest in one action, as the sandbox confirms", async () => {
      const deck = await openDeck({ seed: 28, sandboxOptions: QUIET });
      const { page } = deck;
      await column(deck, '1001').locator('[data-connection="live"]').waitFor();
      const held = page.locator('[data-column="held"]');
      // No rule holds yet: no Held column.
      expect(await held.count()).toBe(0);

      await page.getByRole('button', { name: 'Settings' }).click();
      await page.getByRole('tab', { name: 'Automod' }).click();
      await page.getByLabel('Copy-paste raids: action').selectOption('hold');
      await expect
        .poll(
          () =>
            deck.host.core.settings.get().automod.config.rules.find((rule) => rule.kind === 'raid')
              ?.action,
        )
        .toBe('hold');
      await page.getByRole('button', { name: 'Deck' }).click();
      // A rule holds now: the column is there, empty.
      await held.getByText('Nothing is held.').waitFor();

      const text = 'FREE followers and viewers at followerz dot shop, use code RAID for 50% off';
      const { messageIds } = await deck.api.raid('1001', { users: 8, text });
      expect(messageIds).toHaveLength(8);
      const rowOf = (id: string) => held.locator(`article[data-message-id="${id}"]`);
      for (const id of messageIds) await rowOf(id).waitFor();
      await expect.poll(() => held.locator('.column-count').textContent()).toBe('8');
      const states = () =>
        Promise.all(messageIds.map(async (id) => (await deck.api.message('1001', id)).state));
      // Every copy hidden at the service the moment the raid was recognised, and said so.
      await expect.poll(states).toEqual(messageIds.map(() => 'hidden'));
      await expect
        .poll(() => held.locator('article[data-hold-state="hidden"]').count())
        .toBe(messageIds.length);
      const first = held.locator('article[data-message-id]').first();
      expect(await first.locator('.held-rule').textContent()).toBe('Rule: Copy-paste raids');
      expect(await first.locator('.held-reason').textContent()).toMatch(/copy-paste raid “FREE/);

      // The oldest hold first: approved with `a`, it shows in the room again.
      const approved = (await first.getAttribute('data-message-id')) ?? '';
      await first.locator('.row-text').click();
      await page.keyboard.press('a');
      await expect
        .poll(async () => (await deck.api.message('1001', approved)).state)
        .toBe('visible');
      await expect.poll(() => held.locator('.column-count').textContent()).toBe('7');

      // The rest, with one key: every message of the room held by the raid rule.
      const rest = messageIds.filter((id) => id !== approved);
      await rowOf(rest[0] ?? '')
        .locator('.row-text')
        .click();
      await page.keyboard.press('Shift+D');
      await held.getByRole('status').getByText('7 of 7 denied.').waitFor();
      for (const id of rest) expect((await deck.api.message('1001', id)).state).toBe('deleted');
      expect((await deck.api.message('1001', approved)).state).toBe('visible');
      expect(await held.locator('.column-count').textContent()).toBe('0');
      // The reviewed rows stay while the cursor is in the column; Esc lets it go: empty.
      expect(await rowOf(rest[1] ?? '').textContent()).toContain('Denied: deleted');
      await page.keyboard.press('Escape');
      await page.mouse.move(1590, 890);
      await held.getByText('Nothing is held.').waitFor();
      expect(await held.locator('article[data-message-id]').count()).toBe(0);
      expect(deck.pageErrors).toEqual([]);
    });
  },
);
