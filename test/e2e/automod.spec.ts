import { describe, expect, it } from 'vitest';
import { shouldRun } from '../support/env';
import { browserProblem } from './browser';
import { column, openDeck, row, type Deck } from './fixture';

/** Only what the test sends: no chatter, no forbidden words, no spam of the sandbox's own. */
const QUIET = { ratePerRoom: 0, forbiddenShare: 0, directShare: 0 };

function waiting(deck: Deck): Promise<string | null> {
  return deck.page.locator('[data-column="flagged"] .column-count').textContent();
}

describe.skipIf(!shouldRun('browser end to end', browserProblem()))('automod in Chromium', () => {
  it("puts every copy of a raid in the Flagged column with the raid named in words, and not the crowd's gg", async () => {
    const deck = await openDeck({ seed: 47, sandboxOptions: QUIET });
    await column(deck, '1001').locator('[data-connection="live"]').waitFor();
    const crowd: string[] = [];
    for (let index = 0; index < 8; index += 1) {
      const { messageId } = await deck.api.say('1001', {
        userId: `fan${index}`,
        userName: `Fan ${index}`,
        message: index % 2 === 0 ? 'gg' : 'ㅋㅋㅋ',
      });
      crowd.push(messageId);
    }
    const text = 'FREE followers and viewers at followerz dot shop, use code RAID for 50% off';
    const { messageIds } = await deck.api.raid('1001', { users: 10, text });
    const last = messageIds.at(-1) ?? '';
    const inRoom = (id: string) => column(deck, '1001').locator(`article[data-message-id="${id}"]`);
    await inRoom(last).waitFor();

    // Five users make a raid: the fifth copy's verdict flags it and the four before, and each
    // later copy is flagged as it comes, each with the reason as text.
    for (const id of messageIds) {
      const flagged = row(deck, id, 'flagged');
      await flagged.waitFor();
      const marker = flagged.getByRole('note', { name: /^Automod: copy-paste raid “FREE/ });
      await expect.poll(() => marker.textContent()).toMatch(/copy-paste raid “FREE followers/);
      await expect.poll(() => marker.textContent()).toMatch(/\d+ people in \d+ s$/);
      // Automod marks no words: the row has no highlighted span.
      expect(await flagged.locator('.flag').count()).toBe(0);
    }
    await expect.poll(() => waiting(deck)).toBe('10');
    for (const id of crowd) expect(await row(deck, id, 'flagged').count()).toBe(0);
    // The first copies keep their place in the room, flagged there too.
    expect(
      await inRoom(messageIds[0] ?? '')
        .getByRole('note')
        .textContent(),
    ).toMatch(/copy-paste raid/);
    // The room's own rows show the same marker.
    expect(await inRoom(last).getByRole('note').textContent()).toMatch(/copy-paste raid/);
    expect(deck.pageErrors).toEqual([]);
  });
});
