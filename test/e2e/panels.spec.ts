import { describe, expect, it } from 'vitest';
import { shouldRun } from '../support/env';
import { browserProblem } from './browser';
import { column, openDeck, row, screenshot, type Deck } from './fixture';

async function roomName(deck: Deck, roomId: string): Promise<string> {
  return ((await column(deck, roomId).locator('.column-name').first().textContent()) ?? '').trim();
}

async function openRoomMenu(deck: Deck, roomId: string, item: string): Promise<void> {
  const name = await roomName(deck, roomId);
  await deck.page.getByRole('button', { name: `Menu for ${name}` }).click();
  await deck.page.getByRole('menuitem', { name: item }).click();
}

describe.skipIf(!shouldRun('browser end to end', browserProblem()))(
  'the panels around the deck in Chromium',
  () => {
    it('broadcasts to two rooms, showing it in both feeds, and sends a direct message the sandbox records', async () => {
      const deck = await openDeck({ seed: 21, sandboxOptions: { ratePerRoom: 1 } });
      for (const roomId of ['1001', '1002'])
        await column(deck, roomId).locator('[data-connection="live"]').waitFor();

      await openRoomMenu(deck, '1001', 'Broadcast…');
      const composer = deck.page.getByRole('dialog', { name: 'Admin message' });
      await composer.waitFor();
      for (const roomId of ['1001', '1002']) {
        const box = composer.getByRole('checkbox', { name: await roomName(deck, roomId) });
        if (!(await box.isChecked())) await box.check();
      }
      await composer.getByLabel('Text', { exact: true }).fill('The stream starts in five minutes');
      await composer.getByRole('button', { name: 'Send to 2 rooms' }).click();
      for (const roomId of ['1001', '1002']) {
        await column(deck, roomId)
          .locator('article', { hasText: 'The stream starts in five minutes' })
          .waitFor();
        const sent = await deck.api.get<Array<{ kind: string; message: string }>>(
          `/rooms/${roomId}/admin-messages`,
        );
        expect(sent).toContainEqual(
          expect.objectContaining({
            kind: 'broadcast',
            message: 'The stream starts in five minutes',
          }),
        );
      }

      await composer.getByRole('radio', { name: 'Direct message to users' }).check();
      await composer
        .getByLabel('Room', { exact: true })
        .selectOption({ label: await roomName(deck, '1001') });
      // The receiver is found among the room's members by name, not typed as an id.
      const roomKey = `${deck.accountId}/1001`;
      let member: { id: string; name: string } | undefined;
      await expect
        .poll(async () => {
          const listed = await deck.host.core.dispatch('members.list', { roomKey });
          member = listed.ok
            ? (listed.value as { members: Array<{ id: string; name: string }> }).members[0]
            : undefined;
          return member;
        })
        .toBeDefined();
      const receiver = member ?? { id: '', name: '' };
      await composer
        .getByRole('searchbox', { name: 'Find a member by name or user ID' })
        .fill(receiver.name);
      await composer
        .getByRole('button', { name: `Add ${receiver.name} (${receiver.id})`, exact: true })
        .click();
      await composer.getByLabel('Text', { exact: true }).fill('Please keep it friendly');
      await composer.getByRole('button', { name: 'Send to 1 user' }).click();
      await composer.getByText(`Direct message sent to ${receiver.name}.`).waitFor();
      await column(deck, '1001')
        .locator('article', { hasText: 'Please keep it friendly' })
        .waitFor();
      const sent = await deck.api.get<
        Array<{ kind: string; message: string; appUserIds: string[] }>
      >('/rooms/1001/admin-messages');
      expect(sent).toContainEqual(
        expect.objectContaining({
          kind: 'direct',
          message: 'Please keep it friendly',
          appUserIds: [receiver.id],
        }),
      );
      expect(deck.pageErrors).toEqual([]);
    });

    it('adds a rule in Settings with a live preview and a backtest, saves it, and flags new messages by it', async () => {
      const deck = await openDeck({ seed: 22, sandboxOptions: { ratePerRoom: 0 } });
      await column(deck, '1001').locator('[data-connection="live"]').waitFor();
      const earlier = await deck.api.say('1001', {
        userId: 'spammer',
        userName: 'Spammer',
        message: 'huge giveaway at my channel',
      });
      await row(deck, earlier.messageId).waitFor();

      await deck.page
        .getByRole('tab', { name: 'Settings' })
        .or(deck.page.getByRole('button', { name: 'Settings' }))
        .first()
        .click();
      await deck.page.getByRole('tab', { name: 'Forbidden words' }).click();
      await deck.page.getByLabel('Word, phrase or pattern').fill('giveaway');
      await deck.page.getByRole('button', { name: 'Add rule' }).click();

      await deck.page.getByLabel('Sample text').fill('free giv3away, hurry');
      const preview = deck.page.getByRole('status', { name: 'What the rules find' });
      await preview.getByText('“giv3away” read as “giveaway”', { exact: false }).waitFor();

      await deck.page.getByRole('button', { name: 'Backtest against buffered messages' }).click();
      const flagged = deck.page.getByRole('list', { name: 'Messages the list would newly flag' });
      // The hit is highlighted (a flag glyph precedes it), so match the row by its unflagged part.
      const hit = flagged.locator('li', { hasText: 'at my channel' });
      await hit.waitFor();
      expect(await hit.locator('mark').allTextContents()).toEqual(['giveaway']);

      await deck.page.getByRole('button', { name: 'Save rules' }).click();
      await deck.page
        .getByText('The rules are saved; new messages are checked against them.')
        .waitFor();
      expect(deck.host.core.settings.get().rules.global.map((rule) => rule.pattern)).toContain(
        'giveaway',
      );

      await deck.page
        .getByRole('tab', { name: 'Deck' })
        .or(deck.page.getByRole('button', { name: 'Deck' }))
        .first()
        .click();
      const later = await deck.api.say('1001', {
        userId: 'spammer',
        userName: 'Spammer',
        message: 'another g-i-v-e-a-w-a-y today',
      });
      const mark = row(deck, later.messageId).first().locator('mark.flag-text');
      await mark.waitFor();
      expect(await mark.allTextContents()).toEqual(['g-i-v-e-a-w-a-y']);
      expect(deck.pageErrors).toEqual([]);
    });

    it('writes screenshots of the deck in both themes and of Settings', async () => {
      const deck = await openDeck({
        seed: 7,
        sandboxOptions: { ratePerRoom: 4 },
        viewport: { width: 1680, height: 940 },
      });
      for (const roomId of ['1001', '1002', '1003', '1004']) {
        await column(deck, roomId).locator('article[data-message-id]').nth(12).waitFor();
      }
      await deck.page.locator('[data-column="flagged"] article[data-message-id]').nth(3).waitFor();
      const written = [await screenshot(deck.page, 'deck-light')];

      await deck.page
        .getByRole('tab', { name: 'Settings' })
        .or(deck.page.getByRole('button', { name: 'Settings' }))
        .first()
        .click();
      await deck.page.getByRole('radio', { name: 'Dark' }).check();
      await deck.page.waitForFunction(() => document.documentElement.dataset['theme'] === 'dark');
      await deck.page.getByRole('tab', { name: 'Forbidden words' }).click();
      await deck.page.getByLabel('Sample text').fill('free c-a-s-1-n-o chips, you l0$3r');
      const found = deck.page.getByRole('status', { name: 'What the rules find' });
      await found.locator('li').nth(1).waitFor();
      await found.scrollIntoViewIfNeeded();
      written.push(await screenshot(deck.page, 'settings-dark'));
      await deck.page.getByRole('tab', { name: 'General' }).click();

      await deck.page
        .getByRole('tab', { name: 'Deck' })
        .or(deck.page.getByRole('button', { name: 'Deck' }))
        .first()
        .click();
      await column(deck, '1001').locator('article[data-message-id]').first().waitFor();
      written.push(await screenshot(deck.page, 'deck-dark'));

      await deck.page
        .getByRole('tab', { name: 'Settings' })
        .or(deck.page.getByRole('button', { name: 'Settings' }))
        .first()
        .click();
      await deck.page.getByRole('radio', { name: 'Light' }).check();
      await deck.page.waitForFunction(() => document.documentElement.dataset['theme'] === 'light');
      written.push(await screenshot(deck.page, 'settings-light'));

      expect(written.map((path) => path.split('/').at(-1))).toEqual([
        'deck-light.png',
        'settings-dark.png',
        'deck-dark.png',
        'settings-light.png',
      ]);
      expect(deck.pageErrors).toEqual([]);
    });
  },
);
