import { describe, expect, it } from 'vitest';
import type { Locator } from 'playwright-core';
import { shouldRun } from '../support/env';
import { browserProblem } from './browser';
import { column, openDeck, row } from './fixture';

/** Where the first `letter` of `word` is drawn, left to right, in the row's message text. */
function letterLeft(locator: Locator, word: string, letter: string): Promise<number> {
  return locator.evaluate(
    (element, [word, letter]) => {
      const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
        const at = node.textContent?.indexOf(word) ?? -1;
        if (at === -1) continue;
        const range = document.createRange();
        const offset = at + word.indexOf(letter);
        range.setStart(node, offset);
        range.setEnd(node, offset + 1);
        return range.getBoundingClientRect().left;
      }
      throw new Error(`no "${word}" drawn`);
    },
    [word, letter] as const,
  );
}

/** The top of the first line that draws `word`. */
function wordTop(locator: Locator, word: string): Promise<number> {
  return locator.evaluate((element, word) => {
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
      const at = node.textContent?.indexOf(word) ?? -1;
      if (at === -1) continue;
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + word.length);
      return range.getBoundingClientRect().top;
    }
    throw new Error(`no "${word}" drawn`);
  }, word);
}

async function height(locator: Locator): Promise<number> {
  const box = await locator.boundingBox();
  if (!box) throw new Error('not drawn');
  return box.height;
}

/** Stacked combining marks above each letter, as "zalgo" text piles them. */
const ZALGO = [...'zalgo'].map((letter) => letter + '\u0351\u0310\u0352\u0357'.repeat(12)).join('');

describe.skipIf(!shouldRun('browser end to end', browserProblem()))('chat text in Chromium', () => {
  it('cannot impersonate the app: an override is isolated, zalgo clipped, blank lines folded, and a chatter named Admin is not the app’s badge', async () => {
    const deck = await openDeck({ seed: 41, sandboxOptions: { ratePerRoom: 0 } });
    await column(deck, '1001').locator('[data-connection="live"]').waitFor();
    const say = (userId: string, userName: string, message: string) =>
      deck.api.say('1001', { userId, userName, message }).then((sent) => sent.messageId);
    const plain = await say('viewer', 'Viewer', 'just one line');
    const override = await say('spoof', 'Spoof', 'open \u202Eevil.exe now');
    const zalgo = await say('noise', 'Noise', ZALGO);
    const blank = await say('spacer', 'Spacer', `first${'\n'.repeat(30)}last`);
    const fake = await say('impostor', 'Admin', 'Admins here: send me your password');
    const broadcast = await deck.host.core.dispatch('admin.broadcast', {
      roomKeys: [`${deck.accountId}/1001`],
      messageType: 'MESSAGE',
      message: 'Be kind, everyone',
    });
    expect(broadcast).toMatchObject({ ok: true, value: { results: [{ ok: true }] } });
    const real = deck.page
      .locator(`section.column[data-room-key="${deck.accountId}/1001"] article`)
      .filter({ hasText: 'Be kind, everyone' });
    for (const id of [plain, override, zalgo, blank, fake]) await row(deck, id).waitFor();
    await real.waitFor();

    // U+202E reverses nothing: "evil.exe" reads left to right, its v before its x.
    const text = row(deck, override).locator('.message-text');
    expect(await letterLeft(text, 'evil.exe', 'v')).toBeLessThan(
      await letterLeft(text, 'evil.exe', 'x'),
    );
    const control = row(deck, override).locator('.bidi-control');
    expect(await control.evaluate((element) => getComputedStyle(element).unicodeBidi)).toBe(
      'isolate',
    );
    expect(await text.evaluate((element) => element.textContent)).toBe('open \u202Eevil.exe now');

    // Zalgo stays in a row of one line, which clips what its marks draw beyond it.
    const oneLine = await height(row(deck, plain));
    expect(await height(row(deck, zalgo))).toBeLessThanOrEqual(oneLine + 2);
    expect(
      await row(deck, zalgo)
        .locator('.row-line')
        .evaluate((element) => getComputedStyle(element).overflowY),
    ).toBe('clip');

    // Thirty line breaks draw as one blank line between the two lines of text.
    const lineHeight = await row(deck, plain)
      .locator('.message-text')
      .evaluate((element) => parseFloat(getComputedStyle(element).lineHeight));
    const blankText = row(deck, blank).locator('.message-text');
    const gap = (await wordTop(blankText, 'last')) - (await wordTop(blankText, 'first'));
    expect(gap).toBeGreaterThan(lineHeight * 1.5);
    expect(gap).toBeLessThan(lineHeight * 2.5);
    expect(await height(row(deck, blank))).toBeLessThan(oneLine + lineHeight * 2.5);

    // The app's admin is a filled badge; the chatter called Admin is a plain name.
    const badge = real.locator('.row-official');
    expect(await badge.textContent()).toBe('Admin');
    const fill = (locator: Locator) =>
      locator.evaluate((element) => getComputedStyle(element).backgroundColor);
    expect(await fill(badge)).not.toBe('rgba(0, 0, 0, 0)');
    const name = row(deck, fake).locator('.row-user');
    expect(await name.textContent()).toBe('Admin');
    expect(await fill(name)).toBe('rgba(0, 0, 0, 0)');
    expect(await row(deck, fake).locator('.row-official, .row-kind').count()).toBe(0);
    expect(deck.pageErrors).toEqual([]);
  });
});
