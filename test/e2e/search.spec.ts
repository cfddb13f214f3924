import { describe, expect, it } from 'vitest';
import { shouldRun } from '../support/env';
import { useTempDir } from '../support/tempDir';
import { browserProblem } from './browser';
import { column, openDeck, row, type Deck } from './fixture';

const USER = { userId: 'searched-user', userName: 'Searched User' };
const TEXT = 'a line to find after the restart';

/** Opens search over every room with Ctrl+Shift+F and searches for `query`. */
async function searchEveryRoom(deck: Deck, query: string) {
  await deck.page.keyboard.press('Control+Shift+F');
  const panel = deck.page.getByRole('dialog', { name: 'Search' });
  await panel.getByText('In every room').waitFor();
  const field = panel.getByRole('searchbox', { name: 'Search messages' });
  await field.fill(query);
  await field.press('Enter');
  return panel;
}

describe.skipIf(!shouldRun('browser end to end', browserProblem()))('search in Chromium', () => {
  it('finds a user’s message in the live deck, and again from the history after a restart', async () => {
    const dir = await useTempDir('moddeck-search-e2e-');
    const first = await openDeck({
      seed: 31,
      userDataDir: dir,
      sandboxOptions: { ratePerRoom: 1 },
    });
    await column(first, '1001').locator('[data-connection="live"]').waitFor();
    const { messageId } = await first.api.say('1001', { ...USER, message: TEXT });
    await row(first, messageId).first().waitFor();

    const live = await searchEveryRoom(first, `from:${USER.userId}`);
    const found = live.getByRole('option', { name: new RegExp(TEXT) });
    await found.waitFor();
    expect(await live.getByRole('option').count()).toBe(1);
    // Still in its column: Enter moves the deck's cursor to it there.
    await found.press('Enter');
    await column(first, '1001')
      .locator(`article.row-focused[data-message-id="${messageId}"]`)
      .waitFor();
    await first.host.close();

    const second = await openDeck({
      seed: 32,
      userDataDir: dir,
      sandboxOptions: { ratePerRoom: 1 },
    });
    const room = column(second, '1001');
    await room.locator('[data-connection="live"]').waitFor();
    // The room's column would hold its stored messages again; closed, only the store has them.
    await room.locator('button[title="Close column"]').click();
    await room.waitFor({ state: 'detached' });

    const stored = await searchEveryRoom(second, `from:${USER.userId}`);
    const again = stored.getByRole('option', { name: new RegExp(TEXT) });
    await again.waitFor();
    expect(await stored.getByRole('option').count()).toBe(1);
    await again.press('Enter');
    const history = second.page.getByRole('dialog', { name: /^History of / });
    const marked = history.locator('li[aria-current="true"]');
    await marked.waitFor();
    expect(await marked.textContent()).toContain(TEXT);
    await expect
      .poll(() => marked.evaluate((element) => element === document.activeElement))
      .toBe(true);
    expect(first.pageErrors).toEqual([]);
    expect(second.pageErrors).toEqual([]);
  });
});
