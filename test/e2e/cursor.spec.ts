import { describe, expect, it } from 'vitest';
import { shouldRun } from '../support/env';
import { browserProblem } from './browser';
import { column, openDeck, row, type Deck } from './fixture';

const ROOMS = ['1001', '1002', '1003', '1004'];

/** `count` messages in each room, interleaved in time, so every room has a past to go back to. */
async function backlog(deck: Deck, rooms: readonly string[], count: number) {
  const ids: Record<string, string[]> = Object.fromEntries(rooms.map((room) => [room, []]));
  for (let index = 0; index < count; index += 1) {
    for (const room of rooms) {
      const { messageId } = await deck.api.say(room, {
        userId: `chatter${index % 7}`,
        userName: `Chatter ${index % 7}`,
        message: `${room} backlog ${index}`,
      });
      ids[room]?.push(messageId);
    }
  }
  return ids;
}

/** The room of the focused row, and its message id. */
function focused(deck: Deck) {
  return deck.page.evaluate(() => ({
    room: document.activeElement?.getAttribute('data-room-key') ?? null,
    id: document.activeElement?.getAttribute('data-message-id') ?? null,
  }));
}

/** Each room's feed: paused or not, and what its header says about it. */
function columnStates(deck: Deck, rooms: readonly string[]) {
  return deck.page.evaluate(
    ({ accountId, roomIds }) =>
      roomIds.map((room) => {
        const section = document.querySelector(
          `section.column[data-room-key="${accountId}/${room}"]`,
        );
        return {
          room,
          paused: section?.querySelector('.feed')?.getAttribute('data-paused') === 'true',
          header:
            section?.querySelector('.column-header [data-column-state]')?.textContent?.trim() ?? '',
        };
      }),
    { accountId: deck.accountId, roomIds: rooms },
  );
}

/**
 * Points of the text of a message row where something else is on top: for each line box of the
 * text, points every 6 px along its middle and at both ends, checked with `elementFromPoint`.
 * Empty when the whole text can be read.
 */
function coveredTextPoints(deck: Deck, messageId: string, within: string) {
  return deck.page.evaluate(
    ({ id, scope }) => {
      const text = document.querySelector(
        `${scope} article[data-message-id="${id}"] .message-text`,
      );
      if (!text) return ['no text'];
      const covered: string[] = [];
      for (const box of text.getClientRects()) {
        const y = box.top + box.height / 2;
        const xs: number[] = [];
        for (let x = box.left + 1; x < box.right - 1; x += 6) xs.push(x);
        xs.push(box.right - 1);
        for (const x of xs) {
          const hit = document.elementFromPoint(x, y);
          if (!hit || !text.contains(hit)) {
            const name = hit ? `${hit.tagName.toLowerCase()}.${[...hit.classList].join('.')}` : '';
            covered.push(`${Math.round(x)},${Math.round(y)} under ${name || 'nothing'}`);
          }
        }
      }
      return covered;
    },
    { id: messageId, scope: within },
  );
}

/** The confirmation's box, whether it lies in the window, and whether anything covers it. */
function confirmationView(deck: Deck) {
  return deck.page.evaluate(() => {
    const element = document.querySelector('.row-focused .delete-confirm');
    if (!element) return { present: false, inWindow: false, uncovered: false };
    const box = element.getBoundingClientRect();
    const inWindow =
      box.width > 0 &&
      box.top >= 0 &&
      box.left >= 0 &&
      box.bottom <= window.innerHeight &&
      box.right <= window.innerWidth;
    // Its corners, inside their rounding, and its centre.
    const points: [number, number][] = [
      [box.left + 4, box.top + 4],
      [box.right - 4, box.top + 4],
      [box.left + 4, box.bottom - 4],
      [box.right - 4, box.bottom - 4],
      [(box.left + box.right) / 2, (box.top + box.bottom) / 2],
    ];
    const uncovered = points.every(([x, y]) => {
      const hit = document.elementFromPoint(x, y);
      return hit !== null && element.contains(hit);
    });
    return { present: true, inWindow, uncovered };
  });
}

describe.skipIf(!shouldRun('browser end to end', browserProblem()))(
  'the keyboard’s cursor in Chromium',
  () => {
    it('leaves every column it passed through live, says which one it holds paused, and Esc brings them all back to live', async () => {
      const deck = await openDeck({
        automod: false,
        seed: 41,
        viewport: { width: 1920, height: 1080 },
        sandboxOptions: { ratePerRoom: 0 },
      });
      for (const room of ROOMS)
        await column(deck, room).locator('[data-connection="live"]').waitFor();
      const ids = await backlog(deck, ROOMS, 90);
      for (const room of ROOMS) await row(deck, ids[room]?.at(-1) ?? '').waitFor();

      // Into the first room's past (beyond the rows a live column shows), then across the rooms.
      const first = ids['1001'] ?? [];
      await deck.page.keyboard.press('j');
      await expect.poll(async () => (await focused(deck)).id).toBe(first.at(-1));
      for (let index = first.length - 2; index >= 20; index -= 1) {
        await deck.page.keyboard.press('k');
        await expect.poll(async () => (await focused(deck)).id).toBe(first[index]);
      }
      for (const room of ROOMS.slice(1)) {
        await deck.page.keyboard.press('l');
        await expect.poll(async () => (await focused(deck)).room).toBe(`${deck.accountId}/${room}`);
      }

      // The rooms the cursor left are live again; the one it holds says it is paused, and how many
      // messages wait.
      await expect
        .poll(() => columnStates(deck, ROOMS))
        .toEqual([
          { room: '1001', paused: false, header: 'Live' },
          { room: '1002', paused: false, header: 'Live' },
          { room: '1003', paused: false, header: 'Live' },
          { room: '1004', paused: true, header: expect.stringMatching(/^Paused/) as string },
        ]);
      const more = await deck.api.say('1004', {
        userId: 'late',
        userName: 'Late',
        message: 'arrived while the cursor held the room',
      });
      await expect
        .poll(async () => (await columnStates(deck, ['1004']))[0]?.header)
        .toMatch(/^Paused · \d+ new$/);
      expect(await row(deck, more.messageId).count()).toBe(0);

      // Esc: every column live by the second frame after the key (well within a second, counted
      // in frames rather than wall time), and its header says so.
      await deck.page.keyboard.press('Escape');
      await deck.page.evaluate(
        () =>
          new Promise<void>((resolve) =>
            requestAnimationFrame(() => requestAnimationFrame(() => resolve())),
          ),
      );
      expect(await columnStates(deck, ROOMS)).toEqual(
        ROOMS.map((room) => ({ room, paused: false, header: 'Live' })),
      );
      expect(
        await deck.page.locator('[data-column="flagged"] .feed').getAttribute('data-paused'),
      ).toBeNull();
      await row(deck, more.messageId).waitFor();
      expect(deck.pageErrors).toEqual([]);
    });

    it.each([
      { width: 1920, height: 1080 },
      { width: 1366, height: 768 },
    ])(
      'keeps the whole text of the focused message readable at $width×$height, beside its buttons and clear of the “N new” button',
      async (viewport) => {
        const deck = await openDeck({
          automod: false,
          seed: 42,
          viewport,
          sandboxOptions: { ratePerRoom: 0 },
        });
        const room = column(deck, '1001');
        await room.locator('[data-connection="live"]').waitFor();
        const ids: string[] = [];
        for (let index = 0; index < 30; index += 1) {
          const { messageId } = await deck.api.say('1001', {
            userId: 'chatter',
            userName: 'Chatter',
            // Long enough to run to the row's far edge, where its buttons would sit.
            message: `message ${index}: ${'every word of this line matters to the moderator '.repeat(2)}`,
          });
          ids.push(messageId);
        }
        const newest = ids.at(-1) ?? '';
        await row(deck, newest).waitFor();
        const scope = `section.column[data-room-key="${deck.accountId}/1001"]`;

        // The cursor on the newest message: its buttons show, beside the text and not over it.
        await deck.page.keyboard.press('j');
        await expect
          .poll(() =>
            deck.page.evaluate(() => document.activeElement?.getAttribute('data-message-id')),
          )
          .toBe(newest);
        await room.locator('.row-focused .row-actions button').first().waitFor();
        expect(await coveredTextPoints(deck, newest, scope)).toEqual([]);

        // Messages arrive while the cursor holds the room: the "N new" button shows, and still
        // covers nothing of the focused message.
        for (let index = 0; index < 3; index += 1) {
          await deck.api.say('1001', {
            userId: 'chatter',
            userName: 'Chatter',
            message: `later ${index}`,
          });
        }
        await room.getByRole('button', { name: '3 new messages ↓' }).waitFor();
        expect(await coveredTextPoints(deck, newest, scope)).toEqual([]);

        // One message up, the same holds.
        await deck.page.keyboard.press('k');
        await expect
          .poll(() =>
            deck.page.evaluate(() => document.activeElement?.getAttribute('data-message-id')),
          )
          .toBe(ids.at(-2));
        expect(await coveredTextPoints(deck, ids.at(-2) ?? '', scope)).toEqual([]);
        expect(deck.pageErrors).toEqual([]);
      },
    );

    it('shows the delete confirmation of the newest message whole at 1366×768, and a second Delete acts only while it is in view', async () => {
      const deck = await openDeck({
        automod: false,
        seed: 43,
        viewport: { width: 1366, height: 768 },
        sandboxOptions: { ratePerRoom: 0 },
      });
      const room = column(deck, '1001');
      await room.locator('[data-connection="live"]').waitFor();
      const ids: string[] = [];
      for (let index = 0; index < 60; index += 1) {
        const { messageId } = await deck.api.say('1001', {
          userId: 'chatter',
          userName: 'Chatter',
          message: `message ${index}`,
        });
        ids.push(messageId);
      }
      const newest = ids.at(-1) ?? '';
      await row(deck, newest).waitFor();

      await deck.page.keyboard.press('j');
      await expect
        .poll(() =>
          deck.page.evaluate(() => document.activeElement?.getAttribute('data-message-id')),
        )
        .toBe(newest);
      await deck.page.keyboard.press('Delete');
      await expect
        .poll(() => confirmationView(deck))
        .toEqual({ present: true, inWindow: true, uncovered: true });

      // The moderator scrolls away: the confirmation is out of view, and Delete does not delete.
      const feed = await room.locator('.feed').boundingBox();
      if (!feed) throw new Error('the room has no feed on screen');
      await deck.page.mouse.move(feed.x + feed.width / 2, feed.y + feed.height / 2);
      for (let turn = 0; turn < 20 && (await confirmationView(deck)).uncovered; turn += 1) {
        await deck.page.mouse.wheel(0, -400);
        await deck.page.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
      }
      expect((await confirmationView(deck)).uncovered).toBe(false);
      await deck.page.keyboard.press('Delete');
      // The key brings the confirmation back into view instead.
      await expect
        .poll(() => confirmationView(deck))
        .toEqual({ present: true, inWindow: true, uncovered: true });
      expect(await row(deck, newest).getAttribute('data-pending')).toBeNull();
      expect(await row(deck, newest).getAttribute('data-state')).toBe('visible');
      expect((await deck.api.message('1001', newest)).state).toBe('visible');

      // In view, the second Delete deletes.
      await deck.page.keyboard.press('Delete');
      await row(deck, newest)
        .and(deck.page.locator('[data-state="deleted"]:not([data-pending])'))
        .waitFor();
      expect((await deck.api.message('1001', newest)).state).toBe('deleted');
      expect(deck.pageErrors).toEqual([]);
    });

    it('brings a confirmation out from under an open side panel, and the second Delete then deletes', async () => {
      const deck = await openDeck({
        automod: false,
        seed: 44,
        viewport: { width: 1366, height: 768 },
        sandboxOptions: { ratePerRoom: 0 },
      });
      for (const room of ['1001', '1002', '1003'])
        await column(deck, room).locator('[data-connection="live"]').waitFor();
      const ids = await backlog(deck, ['1001', '1002', '1003'], 5);
      await row(deck, ids['1003']?.at(-1) ?? '').waitFor();

      // A user card open on the right, over part of the second room; a click on what shows of a
      // row there puts the cursor on it.
      await deck.page.keyboard.press('j');
      await deck.page.keyboard.press('c');
      const panel = await deck.page.locator('.side-panel').boundingBox();
      const target = ids['1002']?.at(-2) ?? '';
      const box = await row(deck, target).boundingBox();
      if (!panel || !box) throw new Error('the panel or the row is not on screen');
      expect(box.x).toBeLessThan(panel.x);
      expect(box.x + box.width).toBeGreaterThan(panel.x);
      await row(deck, target).click({ position: { x: 8, y: 8 } });
      await expect
        .poll(() =>
          deck.page.evaluate(() =>
            document.querySelector('.row-focused')?.getAttribute('data-message-id'),
          ),
        )
        .toBe(target);
      await deck.page.keyboard.press('Delete');
      await expect
        .poll(() => confirmationView(deck))
        .toEqual({ present: true, inWindow: true, uncovered: true });
      await deck.page.keyboard.press('Delete');
      await expect.poll(async () => (await deck.api.message('1002', target)).state).toBe('deleted');
      expect(deck.pageErrors).toEqual([]);
    });
  },
);
