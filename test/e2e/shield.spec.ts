import { describe, expect, it } from 'vitest';
import { shouldRun } from '../support/env';
import { browserProblem } from './browser';
import { column, openDeck } from './fixture';

/** Only what the test sends: no chatter, no forbidden words, no spam of the sandbox's own. */
const QUIET = { ratePerRoom: 0, forbiddenShare: 0, directShare: 0 };

describe.skipIf(!shouldRun('browser end to end', browserProblem()))(
  'shield mode in Chromium',
  () => {
    it("holds a raid's copies while on, approves one by key and denies the rest in one action; one notice for the raid", async () => {
      const deck = await openDeck({ seed: 29, sandboxOptions: QUIET });
      const { page } = deck;
      await column(deck, '1001').locator('[data-connection="live"]').waitFor();
      // Notices while the window has the focus too, so that what the raid notifies is seen here.
      const settings = deck.host.core.settings.get();
      await deck.host.core.settings.set({
        notifications: { ...settings.notifications, flagsWhileFocused: true },
      });
      const before = deck.host.notices.length;

      // No rule holds: shield mode alone, from the top bar.
      await page.getByRole('button', { name: 'Shield', pressed: false }).click();
      const on = page.getByRole('button', { pressed: true });
      await expect.poll(() => on.textContent()).toMatch(/^Shield on · 0:0\d$/);
      expect(deck.host.core.shield.state().all).not.toBeNull();

      const text = 'FREE followers and viewers at followerz dot shop, use code RAID for 50% off';
      const { messageIds } = await deck.api.raid('1001', { users: 8, text });
      const held = page.locator('[data-column="held"]');
      const rowOf = (id: string) => held.locator(`article[data-message-id="${id}"]`);
      for (const id of messageIds) await rowOf(id).waitFor();
      await expect.poll(() => held.locator('.column-count').textContent()).toBe('8');
      const states = () =>
        Promise.all(messageIds.map(async (id) => (await deck.api.message('1001', id)).state));
      await expect.poll(states).toEqual(messageIds.map(() => 'hidden'));
      // In the room's column the copies held as the raid's stand as one row, "×N"; those held
      // before it was recognised (as new chatters') stay rows of their own.
      const room = column(deck, '1001');
      const run = room.getByRole('button', { name: /^Show all \d+ copies$/ });
      await run.waitFor();
      const copies = Number((await run.textContent())?.replace('×', ''));
      expect(copies).toBeGreaterThanOrEqual(2);
      const shown = await room
        .locator('article[data-message-id]')
        .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-message-id')));
      expect(messageIds.filter((id) => shown.includes(id))).toHaveLength(
        messageIds.length - copies + 1,
      );
      expect(
        await held
          .locator('article[data-message-id]')
          .first()
          .locator('.held-reason')
          .textContent(),
      ).toMatch(/^shield: copy-paste raid “FREE/);

      // One approved by key: it shows in the room again.
      const first = held.locator('article[data-message-id]').first();
      const approved = (await first.getAttribute('data-message-id')) ?? '';
      await first.locator('.row-text').click();
      await page.keyboard.press('a');
      await expect
        .poll(async () => (await deck.api.message('1001', approved)).state)
        .toBe('visible');

      // The rest in one action: every message of the room shield mode holds.
      const rest = messageIds.filter((id) => id !== approved);
      await rowOf(rest[0] ?? '')
        .locator('.row-text')
        .click();
      await page.keyboard.press('Shift+D');
      await held.getByRole('status').getByText('7 of 7 denied.').waitFor();
      for (const id of rest) expect((await deck.api.message('1001', id)).state).toBe('deleted');
      await page.keyboard.press('Escape');
      await page.mouse.move(1590, 890);
      await expect.poll(() => held.locator('article[data-message-id]').count()).toBe(0);

      // Eight copies, one notice: the rest wait for the room's summary.
      expect(deck.host.notices.slice(before)).toHaveLength(1);

      // Off again: nothing is held any more, so it ends without asking.
      await on.click();
      await page.getByRole('button', { name: 'Shield', pressed: false }).waitFor();
      expect(deck.host.core.shield.state()).toEqual({ all: null, rooms: [] });
      expect(deck.pageErrors).toEqual([]);
    });
  },
);
