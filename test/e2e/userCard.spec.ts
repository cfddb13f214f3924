/**
 * The user card's memory in Chromium through the browser host on a kept user-data folder: a note
 * and a hidden message of a user are still on their card after the host is closed and a new one
 * started on the same folder.
 */
import { describe, expect, it } from 'vitest';
import { shouldRun } from '../support/env';
import { useTempDir } from '../support/tempDir';
import { browserProblem } from './browser';
import { column, openDeck, row, type Deck } from './fixture';

const NAME = 'Card Holder';

/** Opens the card of the author of `messageId` from their row's name. */
async function openCard(deck: Deck, messageId: string) {
  await row(deck, messageId).getByRole('button', { name: NAME, exact: true }).click();
  const card = deck.page.getByRole('dialog', { name: NAME });
  await card.waitFor();
  return card;
}

describe.skipIf(!shouldRun('browser end to end', browserProblem()))(
  'the user card across a restart, in Chromium',
  () => {
    it('keeps a note and the hidden count of a user after the host is started again', async () => {
      const dir = await useTempDir();
      const first = await openDeck({
        seed: 31,
        userDataDir: dir,
        sandboxOptions: { ratePerRoom: 0 },
      });
      await column(first, '1001').locator('[data-connection="live"]').waitFor();
      const ids: string[] = [];
      for (const message of ['hello from the card holder', 'hide this one']) {
        const said = await first.api.say('1001', {
          userId: 'cardholder',
          userName: NAME,
          message,
        });
        ids.push(said.messageId);
      }
      const [kept = '', hidden = ''] = ids;
      await row(first, hidden).waitFor();
      // A row shows its buttons while the pointer is over it.
      await row(first, hidden).hover();
      await row(first, hidden).getByRole('button', { name: 'Hide', exact: true }).click();
      await row(first, hidden)
        .and(first.page.locator('[data-state="hidden"]:not([data-pending])'))
        .waitFor();

      const card = await openCard(first, kept);
      await card.getByText('Notes stay on this computer', { exact: false }).waitFor();
      await card.getByLabel('New note').fill('Asked to stop posting links.');
      await card.getByRole('button', { name: 'Add note' }).click();
      await card
        .getByRole('list', { name: 'Notes' })
        .getByText('Asked to stop posting links.')
        .waitFor();
      expect(first.pageErrors).toEqual([]);
      await first.host.close();

      const second = await openDeck({
        seed: 32,
        userDataDir: dir,
        sandboxOptions: { ratePerRoom: 0 },
      });
      // The room opens with what the history kept; the card is opened from a stored row.
      await row(second, kept).waitFor();
      const again = await openCard(second, kept);
      await again.getByText('2 messages: 0 flagged, 1 hidden, 0 deleted').waitFor();
      await again
        .getByRole('list', { name: 'Notes' })
        .getByText('Asked to stop posting links.')
        .waitFor();
      // The hide is among this app's latest actions on them.
      await again.locator('dt:text-is("Latest actions") + dd li', { hasText: 'Hidden' }).waitFor();
      const listed = again.getByRole('list', { name: 'Recent messages' });
      await listed.getByText('hello from the card holder').waitFor();
      expect(await listed.locator('li.user-message-hidden').count()).toBe(1);
      expect(second.pageErrors).toEqual([]);
    });
  },
);
