import { describe, expect, it } from 'vitest';
import { shouldRun } from '../support/env';
import { browserProblem } from './browser';
import { column, openDeck, row, type Deck } from './fixture';

interface VChatRoom {
  roomId: string;
  roomName: string;
  open: boolean;
}

interface Person {
  clientKey: string;
  nickName: string;
  simulated: boolean;
}

interface Restrictions {
  exiled: Array<{ clientKey: string }>;
  muted: Array<{ clientKey: string }>;
}

/** The Sandbox VChatCloud account's id, as the app created it on first start. */
async function vchatAccountId(deck: Deck): Promise<string> {
  const account = (await deck.host.core.accounts.list()).find(
    (candidate) => candidate.provider === 'vchatcloud',
  );
  if (!account) throw new Error('the host did not create the Sandbox VChatCloud account');
  return account.id;
}

/** A chatter writes in a VChatCloud room through the sandbox; the HTTP status says if it could. */
async function chatterSays(
  deck: Deck,
  roomId: string,
  chatter: Person,
  message: string,
): Promise<number> {
  const response = await fetch(
    `${deck.host.sandbox.control.baseUrl}/__sandbox/vchatcloud/rooms/${roomId}/messages`,
    {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ clientKey: chatter.clientKey, message }),
    },
  );
  await response.body?.cancel();
  return response.status;
}

describe.skipIf(!shouldRun('browser end to end', browserProblem()))(
  'a FlipFlop and a VChatCloud room in Chromium',
  () => {
    it('opens one FlipFlop and one VChatCloud room side by side, mutes and exiles a VChatCloud user, and hides a FlipFlop message', async () => {
      const deck = await openDeck({ seed: 21, sandboxOptions: { ratePerRoom: 0 } });
      const { page } = deck;
      const vchatId = await vchatAccountId(deck);
      const columns = page.locator('section.column[data-room-key]');
      // The first start opens FlipFlop's four rooms and two VChatCloud rooms; keep FlipFlop's first.
      await columns.nth(5).waitFor();
      const keep = `${deck.accountId}/1001`;
      for (const key of await columns.evaluateAll((elements) =>
        elements.map((element) => element.getAttribute('data-room-key') ?? ''),
      )) {
        if (key === keep) continue;
        await page
          .locator(`section.column[data-room-key="${key}"] button[title="Close column"]`)
          .click();
        await page.locator(`section.column[data-room-key="${key}"]`).waitFor({ state: 'detached' });
      }

      // The VChatCloud room comes from the room picker, next to the FlipFlop one.
      const rooms = await deck.api.get<VChatRoom[]>('/vchatcloud/rooms');
      const room = rooms.find((candidate) => candidate.open);
      if (!room) throw new Error('the sandbox has no open VChatCloud room');
      await page.getByRole('banner').getByRole('button', { name: 'Open room' }).click();
      const picker = page.getByRole('dialog', { name: 'Open a room' });
      const vchatAccount = picker.getByRole('region', { name: 'Sandbox VChatCloud' });
      await vchatAccount.getByRole('button', { name: `Open ${room.roomName}` }).click();
      const vchatColumn = page.locator(`section.column[data-room-key="${vchatId}/${room.roomId}"]`);
      await vchatColumn.locator('[data-connection="live"]').waitFor();
      await column(deck, '1001').locator('[data-connection="live"]').waitFor();
      expect(
        await columns.evaluateAll((elements) =>
          elements.map((element) => element.getAttribute('data-room-key')),
        ),
      ).toEqual([keep, `${vchatId}/${room.roomId}`]);
      const [left, right] = await columns.evaluateAll((elements) =>
        elements.map((element) => element.getBoundingClientRect().left),
      );
      expect(left).toBeLessThan(right ?? 0);
      // VChatCloud offers no room-wide broadcast here but a notice and a custom message.
      await vchatColumn.getByRole('button', { name: `Menu for ${room.roomName}` }).click();
      expect(await page.getByRole('menuitem').allTextContents()).toEqual(
        expect.arrayContaining(['Notice…', 'Custom message…']),
      );
      expect(await page.getByRole('menuitem', { name: 'Broadcast…' }).count()).toBe(0);
      await page.keyboard.press('Escape');

      // Two of the room's chatters write; one is muted with m, the other exiled with Shift+K, Enter.
      const present = await deck.api.get<Person[]>(`/vchatcloud/rooms/${room.roomId}/users`);
      const [spammer, troll] = present.filter((person) => person.simulated);
      if (!spammer || !troll) throw new Error('the room has fewer than two chatters');
      expect(await chatterSays(deck, room.roomId, spammer, 'buy followers now')).toBe(200);
      expect(await chatterSays(deck, room.roomId, troll, 'everyone here is dumb')).toBe(200);
      const spam = vchatColumn.locator('article[data-kind="message"]', {
        hasText: 'buy followers now',
      });
      const insult = vchatColumn.locator('article[data-kind="message"]', {
        hasText: 'everyone here is dumb',
      });
      await spam.waitFor();
      await insult.waitFor();

      // A VChatCloud message cannot be hidden: x only says so.
      await spam.locator('.row-time').click();
      await page.keyboard.press('x');
      await page
        .locator('[data-toast="unavailable"]', { hasText: 'VChatCloud cannot hide messages.' })
        .waitFor();

      await page.keyboard.press('m');
      await page
        .locator('[data-toast="user"]', { hasText: `${spammer.nickName} is muted in` })
        .waitFor();
      await insult.locator('.row-time').click();
      await page.keyboard.press('Shift+K');
      await insult
        .getByRole('group', { name: `Exile ${troll.nickName} from this room?`, exact: false })
        .waitFor();
      await page.keyboard.press('Enter');
      await page
        .locator('[data-toast="user"]', { hasText: `${troll.nickName} is exiled from` })
        .waitFor();

      // The sandbox has them muted and exiled, and refuses what they write now.
      const restrictions = await deck.api.get<Restrictions>(
        `/vchatcloud/rooms/${room.roomId}/restrictions`,
      );
      expect(restrictions.muted.map((entry) => entry.clientKey)).toEqual([spammer.clientKey]);
      expect(restrictions.exiled.map((entry) => entry.clientKey)).toEqual([troll.clientKey]);
      expect(await chatterSays(deck, room.roomId, spammer, 'still here')).toBe(409);

      // Their pushes arrive: once the column no longer holds for the focus and the pointer.
      await page.keyboard.press('Escape');
      await page.mouse.move(2, 2);
      await vchatColumn
        .locator('article[data-custom-type="mute"]', { hasText: `${spammer.nickName} was muted` })
        .waitFor();
      await vchatColumn
        .locator('article[data-custom-type="exile"]', {
          hasText: `${troll.nickName} was exiled from the room`,
        })
        .waitFor();

      // And a FlipFlop message is hidden with x, as the FlipFlop sandbox confirms.
      const { messageId } = await deck.api.say('1001', {
        userId: 'viewer',
        userName: 'Viewer',
        message: 'please hide this one',
      });
      const target = row(deck, messageId);
      await target.waitFor();
      await target.locator('.row-time').click();
      await page.keyboard.press('x');
      await target.and(page.locator('[data-state="hidden"]:not([data-pending])')).waitFor();
      expect((await deck.api.message('1001', messageId)).state).toBe('hidden');
      expect(deck.pageErrors).toEqual([]);
    });
  },
);
