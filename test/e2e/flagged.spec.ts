import { describe, expect, it } from 'vitest';
import { shouldRun } from '../support/env';
import { browserProblem } from './browser';
import { column, openDeck, row, type Deck } from './fixture';

interface Person {
  clientKey: string;
  simulated: boolean;
}

/** Only the messages a test writes are flagged: the chatter says nothing forbidden. */
const QUIET = { ratePerRoom: 0, forbiddenShare: 0, directShare: 0 };

/** The Flagged column's count of what waits, as the deck shows it. */
function waiting(deck: Deck): Promise<string | null> {
  return deck.page.locator('[data-column="flagged"] .column-count').textContent();
}

/** The row the keyboard's cursor is on: its column and message id. */
function focusedRow(deck: Deck): Promise<{ column: string | null; id: string | null }> {
  return deck.page.evaluate(() => {
    const focused = document.activeElement?.closest('article[data-message-id]');
    const section = focused?.closest('section');
    return {
      column:
        section?.getAttribute('data-column') ?? section?.getAttribute('data-room-key') ?? null,
      id: focused?.getAttribute('data-message-id') ?? null,
    };
  });
}

describe.skipIf(!shouldRun('browser end to end', browserProblem()))(
  'the Flagged column in Chromium',
  () => {
    it('counts what waits: a hide through the sandbox or "looks fine" takes it out, n goes to the oldest still waiting, and a reload keeps it so', async () => {
      const deck = await openDeck({ seed: 41, sandboxOptions: QUIET });
      const { page } = deck;
      for (const roomId of ['1001', '1002', '1003'])
        await column(deck, roomId).locator('[data-connection="live"]').waitFor();
      const say = async (roomId: string, message: string) =>
        (await deck.api.say(roomId, { userId: 'troll', userName: 'Troll', message })).messageId;

      const oldest = await say('1002', 'first scam of the day');
      // Busy chat in 1002 pushes the flagged message far up its column: many people, so that
      // automod sees chat, not one user's flood.
      for (let index = 0; index < 120; index += 1)
        await deck.api.say('1002', { userId: `chatter${index}`, message: `hello ${index}` });
      const middle = await say('1001', 'a scam in another room');
      const newest = await say('1003', 'the newest scam');
      await row(deck, newest, 'flagged').waitFor();
      await expect.poll(() => waiting(deck)).toBe('3');

      // n: the oldest flagged message still waiting, in the Flagged column. The room it came
      // from stays where it was, live, instead of scrolling back to it.
      await page.keyboard.press('n');
      await expect.poll(() => focusedRow(deck)).toEqual({ column: 'flagged', id: oldest });
      expect(await column(deck, '1002').locator('.feed').getAttribute('data-paused')).toBeNull();
      expect(await column(deck, '1002').locator('.feed-tail').count()).toBe(1);

      // Hidden with x, as the sandbox confirms: it no longer waits.
      await page.keyboard.press('x');
      await expect.poll(async () => (await deck.api.message('1002', oldest)).state).toBe('hidden');
      await expect.poll(() => waiting(deck)).toBe('2');

      // n goes on to the oldest still waiting; e says it looks fine, and the sandbox keeps it.
      await page.keyboard.press('n');
      await expect.poll(() => focusedRow(deck)).toEqual({ column: 'flagged', id: middle });
      await page.keyboard.press('e');
      await expect.poll(() => waiting(deck)).toBe('1');
      expect((await deck.api.message('1001', middle)).state).toBe('visible');

      // The row's button does the same.
      await page.keyboard.press('Escape');
      const last = row(deck, newest, 'flagged');
      await last.hover();
      await last.getByRole('button', { name: 'Looks fine' }).click();
      await expect.poll(() => waiting(deck)).toBe('0');

      // Main keeps what was handled: after a reload the queue is still empty, and the filter
      // lists all three again.
      await page.reload();
      await row(deck, newest).waitFor();
      await row(deck, middle).waitFor();
      expect(await waiting(deck)).toBe('0');
      expect(await page.locator('[data-column="flagged"] article[data-message-id]').count()).toBe(
        0,
      );
      await page
        .locator('[data-column="flagged"]')
        .getByRole('button', { name: 'Show handled' })
        .click();
      for (const messageId of [newest, middle, oldest])
        await row(deck, messageId, 'flagged').waitFor();
      expect(deck.pageErrors).toEqual([]);
    });

    it('lists what main received in one frame newest first, from the first batch after a reload', async () => {
      const deck = await openDeck({ seed: 42, sandboxOptions: QUIET });
      const { page } = deck;
      const vchatColumn = page
        .locator('section.column[data-room-key]')
        .filter({ has: page.locator('.provider-vchatcloud') })
        .first();
      await vchatColumn.locator('[data-connection="live"]').waitFor();
      const roomId = ((await vchatColumn.getAttribute('data-room-key')) ?? '').split('/')[1] ?? '';
      const [chatter] = (await deck.api.get<Person[]>(`/vchatcloud/rooms/${roomId}/users`)).filter(
        (person) => person.simulated,
      );
      if (!chatter) throw new Error('the VChatCloud room has no chatter');

      // Said while the deck's connection is down: VChatCloud hands all four back in the history
      // of the next join, one frame that main receives in one millisecond.
      await deck.api.faults({ dropConnections: true, refuseConnectionsForMs: 2500 });
      await vchatColumn.locator('[data-connection="reconnecting"]').waitFor();
      for (const number of [1, 2, 3, 4]) {
        await deck.api.post(`/vchatcloud/rooms/${roomId}/messages`, {
          clientKey: chatter.clientKey,
          message: `scam number ${number}`,
        });
      }
      await vchatColumn.locator('[data-connection="live"]').waitFor({ timeout: 30_000 });

      const numbersInFlagged = () =>
        page.evaluate(() =>
          [...document.querySelectorAll('[data-column="flagged"] article[data-message-id]')]
            .map((element) => /scam number (\d)/.exec(element.textContent ?? '')?.[1])
            .filter((number) => number !== undefined),
        );
      await expect.poll(numbersInFlagged).toEqual(['4', '3', '2', '1']);

      // Every frame while the Flagged column fills again shows them in that one order.
      await page.reload();
      await page.waitForFunction(
        () => {
          const numbers = [
            ...document.querySelectorAll('[data-column="flagged"] article[data-message-id]'),
          ]
            .map((element) => /scam number (\d)/.exec(element.textContent ?? '')?.[1])
            .filter((number) => number !== undefined);
          const seen = window as unknown as { flaggedOrders?: string[][] };
          (seen.flaggedOrders ??= []).push(numbers);
          return numbers.length === 4;
        },
        undefined,
        { polling: 'raf', timeout: 30_000 },
      );
      const orders = await page.evaluate(
        () => (window as unknown as { flaggedOrders: string[][] }).flaggedOrders,
      );
      for (const order of orders) expect(order).toEqual([...order].sort().reverse());
      expect(orders.at(-1)).toEqual(['4', '3', '2', '1']);
      expect(deck.pageErrors).toEqual([]);
    });
  },
);
