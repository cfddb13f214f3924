import { describe, expect, it } from 'vitest';
import { shouldRun } from '../support/env';
import { browserProblem } from './browser';
import { column, openDeck, row, type Deck } from './fixture';

const ROOM = '1001';

async function say(deck: Deck, count: number, prefix: string): Promise<string[]> {
  const ids: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const { messageId } = await deck.api.say(ROOM, {
      userId: 'chatter',
      userName: 'Chatter',
      message: `${prefix} ${index}`,
    });
    ids.push(messageId);
  }
  return ids;
}

/** The row's top edge on the page, or null when it is not in the document. */
function topOf(deck: Deck, messageId: string): Promise<number | null> {
  return deck.page.evaluate((id) => {
    const element = document.querySelector(`article[data-message-id="${id}"]`);
    return element ? element.getBoundingClientRect().top : null;
  }, messageId);
}

/** The focused element's message id and its edges on the page. */
function focusedBox(deck: Deck) {
  return deck.page.evaluate(() => {
    const element = document.activeElement;
    const rect = element?.getBoundingClientRect();
    return {
      id: element?.getAttribute('data-message-id') ?? null,
      top: rect?.top ?? NaN,
      bottom: rect?.bottom ?? NaN,
      left: rect?.left ?? NaN,
      right: rect?.right ?? NaN,
    };
  });
}

/**
 * What is under the point, sampled at every animation frame until `frames` have passed: the
 * message id of the row there, or '' for anything else.
 */
function sampleUnder(deck: Deck, x: number, y: number, frames: number): Promise<string[]> {
  return deck.page.evaluate(
    ([px, py, count]) =>
      new Promise<string[]>((resolve) => {
        const seen: string[] = [];
        const step = () => {
          const hit = document.elementFromPoint(px, py)?.closest('article');
          seen.push(hit?.getAttribute('data-message-id') ?? '');
          if (seen.length >= count) resolve(seen);
          else requestAnimationFrame(step);
        };
        requestAnimationFrame(step);
      }),
    [x, y, frames] as const,
  );
}

describe.skipIf(!shouldRun('browser end to end', browserProblem()))(
  'a room’s scrollback in Chromium',
  () => {
    it('keeps every row still when the pointer pauses a room, scrolls back to its oldest message, and jumps back to the newest', async () => {
      const deck = await openDeck({
        automod: false,
        seed: 21,
        sandboxOptions: { ratePerRoom: 0 },
      });
      const room = column(deck, ROOM);
      await room.locator('[data-connection="live"]').waitFor();
      const ids = await say(deck, 150, 'backlog');
      const newest = ids[ids.length - 1] ?? '';
      await row(deck, newest).waitFor();
      const feed = room.locator('.feed');
      const box = await feed.boundingBox();
      if (!box) throw new Error('the room has no feed on screen');

      // Live, the column holds only the newest rows, not its whole scrollback.
      expect(await room.locator('article[data-message-id]').count()).toBeLessThan(100);
      expect(await row(deck, ids[0] ?? '').count()).toBe(0);

      // The pointer pauses the room; nothing under it moves, and what arrives is only counted.
      const before = await topOf(deck, newest);
      await deck.page.mouse.move(box.x + box.width / 2, box.y + box.height - 30);
      await expect.poll(() => feed.getAttribute('data-paused')).toBe('true');
      const more = await say(deck, 3, 'later');
      await room.getByRole('button', { name: '3 new messages ↓' }).waitFor();
      expect(await topOf(deck, newest)).toBe(before);
      expect(await row(deck, more[0] ?? '').count()).toBe(0);

      // Scrolling up takes the room into its scrollback, with a row under the pointer in every frame
      // while the virtualised list takes over (it hides its rows until it has its first position).
      const x = box.x + box.width / 2;
      const y = box.y + box.height / 2;
      await deck.page.mouse.move(x, y);
      const [under] = await Promise.all([
        sampleUnder(deck, x, y, 20),
        deck.page.mouse.wheel(0, -200),
      ]);
      expect(under.filter((id) => id === '')).toEqual([]);
      for (let turn = 0; turn < 60 && (await topOf(deck, ids[0] ?? '')) === null; turn += 1) {
        await deck.page.mouse.wheel(0, -1500);
        await deck.page.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
      }
      await expect.poll(() => topOf(deck, ids[0] ?? '')).not.toBeNull();
      expect(await room.locator('article[data-message-id]').count()).toBeLessThan(100);
      expect(await row(deck, newest).count()).toBe(0);

      // The button goes back to the newest, with what arrived meanwhile.
      await room.getByRole('button', { name: '3 new messages ↓' }).click();
      await deck.page.mouse.move(0, 0);
      await row(deck, more[2] ?? '').waitFor();
      await expect.poll(() => feed.getAttribute('data-paused')).toBeNull();
      expect(await row(deck, ids[0] ?? '').count()).toBe(0);
      const last = await row(deck, more[2] ?? '').boundingBox();
      expect(last && last.y + last.height).toBeLessThanOrEqual(box.y + box.height + 1);
      expect(last && last.y + last.height).toBeGreaterThan(box.y + box.height - 40);
      expect(deck.pageErrors).toEqual([]);
    });

    it('shows a live room in only as many rows as cover it, whether they are one line long or many', async () => {
      const deck = await openDeck({
        automod: false,
        seed: 23,
        sandboxOptions: { ratePerRoom: 0 },
      });
      const room = column(deck, ROOM);
      await room.locator('[data-connection="live"]').waitFor();
      const box = await room.locator('.feed').boundingBox();
      if (!box) throw new Error('the room has no feed on screen');
      // The rows the column holds, and how many of them show (some part inside the feed).
      const rows = () =>
        deck.page.evaluate((roomKey) => {
          const feed = document.querySelector(`section.column[data-room-key="${roomKey}"] .feed`);
          const top = feed?.getBoundingClientRect().top ?? 0;
          const all = [...(feed?.querySelectorAll('article[data-message-id]') ?? [])];
          const shown = all.filter((each) => each.getBoundingClientRect().bottom > top);
          return { held: all.length, shown: shown.length };
        }, `${deck.accountId}/${ROOM}`);
      const long = (index: number) =>
        `long ${index} ${'a moderately long chat message '.repeat(8)}`;

      const short = await say(deck, 150, 'short');
      await row(deck, short[short.length - 1] ?? '').waitFor();
      await expect.poll(async () => (await rows()).held).toBeLessThan(150);
      const oneLine = await rows();
      // A quarter more than show, and two (the column's height in the shortest possible rows, and
      // ten, before it measured them).
      expect(oneLine.held).toBeLessThanOrEqual(oneLine.shown + Math.ceil(oneLine.shown / 4) + 3);

      // Rows of several lines: fewer show, and fewer are held.
      const longIds: string[] = [];
      for (let index = 0; index < 60; index += 1) {
        const { messageId } = await deck.api.say(ROOM, {
          userId: 'chatter',
          userName: 'Chatter',
          message: long(index),
        });
        longIds.push(messageId);
      }
      await row(deck, longIds[longIds.length - 1] ?? '').waitFor();
      await expect.poll(async () => (await rows()).held).toBeLessThan(oneLine.shown);

      // Back to one-line rows, arriving while every frame is sampled just inside the feed's top
      // edge: a row is always there, the tail grows before a frame shows it short of the top.
      const x = box.x + box.width / 2;
      const [under] = await Promise.all([
        sampleUnder(deck, x, box.y + 3, 90),
        say(deck, 80, 'short again'),
      ]);
      expect(under.filter((id) => id === '')).toEqual([]);
      await expect.poll(async () => (await rows()).shown).toBeGreaterThan(oneLine.shown - 3);
      expect(deck.pageErrors).toEqual([]);
    });

    it('brings a column scrolled out of the window into view when the cursor moves to it, with its latest messages', async () => {
      const width = 800;
      const deck = await openDeck({
        automod: false,
        seed: 24,
        viewport: { width, height: 700 },
        sandboxOptions: { ratePerRoom: 0 },
      });
      await column(deck, ROOM).locator('[data-connection="live"]').waitFor();
      // The last FlipFlop room's column (numeric room ids), past the window's right edge.
      const keys = await deck.page.evaluate(() =>
        [...document.querySelectorAll('section.column[data-room-key]')].map(
          (element) => element.getAttribute('data-room-key') ?? '',
        ),
      );
      const lastKey = keys.filter((key) => /\/\d+$/.test(key)).pop() ?? '';
      const lastRoom = lastKey.slice(lastKey.indexOf('/') + 1);
      expect(lastRoom).not.toBe(ROOM);
      await column(deck, lastRoom).locator('[data-connection="live"]').waitFor();
      const before = await column(deck, lastRoom).boundingBox();
      expect(before && before.x).toBeGreaterThanOrEqual(width);

      // Messages arrive in the first room, then in the last one while it is out of the window.
      const first = await say(deck, 3, 'first room');
      await row(deck, first[2] ?? '').waitFor();
      const latest: string[] = [];
      for (let index = 0; index < 3; index += 1) {
        const { messageId } = await deck.api.say(lastRoom, {
          userId: 'chatter',
          userName: 'Chatter',
          message: `last room ${index}: cheap scam`,
        });
        latest.push(messageId);
      }
      // They are flagged, so the Flagged column in view shows when the window has them all; the
      // cursor must not come before them, or the column would rightly count them as new instead.
      await row(deck, latest[2] ?? '', 'flagged').waitFor();

      await deck.page.keyboard.press('j');
      await deck.page.waitForFunction(
        (id) => document.activeElement?.getAttribute('data-message-id') === id,
        first[2],
      );
      const activeRoom = () =>
        deck.page.evaluate(() => document.activeElement?.getAttribute('data-room-key') ?? null);
      for (let step = 0; step < keys.length && (await activeRoom()) !== lastKey; step += 1) {
        const from = await activeRoom();
        await deck.page.keyboard.press('l');
        await deck.page.waitForFunction(
          (key) => document.activeElement?.getAttribute('data-room-key') !== key,
          from,
        );
      }
      expect(await activeRoom()).toBe(lastKey);
      const focused = await focusedBox(deck);
      // The cursor's row (the one that arrived nearest in time to where it was) is on screen.
      expect(focused.id).not.toBeNull();
      expect(focused.left).toBeGreaterThanOrEqual(0);
      expect(focused.right).toBeLessThanOrEqual(width);
      // So is what arrived while the column was out of the window.
      const newest = await column(deck, lastRoom)
        .locator(`article[data-message-id="${latest[2] ?? ''}"]`)
        .boundingBox();
      expect(newest && newest.x).toBeGreaterThanOrEqual(0);
      expect(newest && newest.x + newest.width).toBeLessThanOrEqual(width);
      expect(deck.pageErrors).toEqual([]);
    });

    it('keeps the keyboard’s cursor in view as it walks up past the newest rows into the scrollback', async () => {
      const deck = await openDeck({
        automod: false,
        seed: 22,
        sandboxOptions: { ratePerRoom: 0 },
      });
      const room = column(deck, ROOM);
      await room.locator('[data-connection="live"]').waitFor();
      const ids = await say(deck, 150, 'backlog');
      await row(deck, ids[ids.length - 1] ?? '').waitFor();
      const box = await room.locator('.feed').boundingBox();
      if (!box) throw new Error('the room has no feed on screen');
      const focused = () => focusedBox(deck);

      // j takes the cursor to the newest message; every k moves it one older, always on screen.
      await deck.page.keyboard.press('j');
      await expect.poll(async () => (await focused()).id).toBe(ids[ids.length - 1]);
      for (let step = 1; step <= 120; step += 1) {
        await deck.page.keyboard.press('k');
        if (step % 20 !== 0) continue;
        const expected = ids[ids.length - 1 - step];
        await expect.poll(async () => (await focused()).id).toBe(expected);
        await expect
          .poll(async () => {
            const { top, bottom } = await focused();
            // In view, give or take the list's rounding of fractional row heights.
            return top >= box.y - 4 && bottom <= box.y + box.height + 4;
          })
          .toBe(true);
      }
      expect(deck.pageErrors).toEqual([]);
    });
  },
);
