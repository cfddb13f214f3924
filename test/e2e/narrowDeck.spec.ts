import { describe, expect, it } from 'vitest';
import { shouldRun } from '../support/env';
import { browserProblem } from './browser';
import { column, openDeck, type Deck } from './fixture';

const VIEWPORT = { width: 1366, height: 768 };

/**
 * Every room column as the window shows it: its key, its name, and how much of its width shows
 * between the Flagged column and the list of columns out of view (or the window's edge).
 */
function columnsShown(deck: Deck) {
  return deck.page.evaluate(() => {
    const left = document.querySelector('[data-column="flagged"]')?.getBoundingClientRect().right;
    const list = document.querySelector('nav.columns-out-of-view')?.getBoundingClientRect();
    const right = list ? list.left : window.innerWidth;
    return [...document.querySelectorAll<HTMLElement>('section.column[data-room-key]')].map(
      (section) => {
        const box = section.getBoundingClientRect();
        const shown = Math.max(0, Math.min(box.right, right) - Math.max(box.left, left ?? 0));
        return {
          roomKey: section.dataset['roomKey'] ?? '',
          name: section.querySelector('.column-name')?.textContent ?? '',
          part: shown === 0 ? 'none' : shown >= box.width - 1 ? 'whole' : 'cut',
        };
      },
    );
  });
}

/** The names the list of columns out of view gives, in order. */
function namesOutOfView(deck: Deck) {
  return deck.page.evaluate(() =>
    [...document.querySelectorAll('nav.columns-out-of-view button')].map(
      (button) => button.textContent?.replace(/^[←→]/, '') ?? '',
    ),
  );
}

describe.skipIf(!shouldRun('browser end to end', browserProblem()))(
  'a deck wider than the window, in Chromium',
  () => {
    it('names the columns out of view at 1366×768 instead of showing one cut, and brings one into view on request', async () => {
      const deck = await openDeck({
        seed: 51,
        viewport: VIEWPORT,
        sandboxOptions: { ratePerRoom: 0 },
      });
      const columns = deck.page.locator('section.column[data-room-key]');
      await columns.nth(5).waitFor();
      await column(deck, '1001').locator('[data-connection="live"]').waitFor();
      await expect
        .poll(async () => (await columnsShown(deck)).every((shown) => shown.name !== ''))
        .toBe(true);

      // No column shows in part; the ones that do not show are named, in the deck's order.
      await expect
        .poll(async () => (await columnsShown(deck)).filter((shown) => shown.part === 'cut'))
        .toEqual([]);
      const shown = await columnsShown(deck);
      expect(shown.filter((each) => each.part === 'whole').length).toBeGreaterThan(0);
      const hidden = shown.filter((each) => each.part === 'none');
      expect(hidden.length).toBeGreaterThan(0);
      expect(await namesOutOfView(deck)).toEqual(hidden.map((each) => each.name));

      // The last one, on request: whole, against the Flagged column, and the list follows.
      const last = hidden.at(-1);
      if (!last) throw new Error('no column out of view');
      await deck.page.getByRole('button', { name: `Show ${last.name}` }).click();
      await expect
        .poll(async () => (await columnsShown(deck)).find((each) => each.roomKey === last.roomKey))
        .toEqual({ ...last, part: 'whole' });
      expect((await columnsShown(deck)).filter((each) => each.part === 'cut')).toEqual([]);
      // The list follows the scroll on the next frame or so after the column's box has moved.
      await expect.poll(() => namesOutOfView(deck)).not.toContain(last.name);
      expect(deck.pageErrors).toEqual([]);
    });

    it('brings a room opened again into view, at the end of the deck', async () => {
      const deck = await openDeck({
        seed: 52,
        viewport: VIEWPORT,
        sandboxOptions: { ratePerRoom: 0 },
      });
      const first = column(deck, '1001');
      await first.locator('[data-connection="live"]').waitFor();
      await deck.page.locator('section.column[data-room-key]').nth(5).waitFor();
      const name = (await first.locator('.column-name').textContent()) ?? '';

      await first.getByRole('button', { name: `Close ${name}` }).click();
      await first.waitFor({ state: 'detached' });
      await deck.page.getByRole('banner').getByRole('button', { name: 'Open room' }).click();
      await deck.page
        .getByRole('dialog', { name: 'Open a room' })
        .getByRole('button', { name: `Open ${name}` })
        .click();

      await expect
        .poll(async () => (await columnsShown(deck)).at(-1))
        .toEqual({ roomKey: `${deck.accountId}/1001`, name, part: 'whole' });
      expect(deck.pageErrors).toEqual([]);
    });
  },
);
