import { describe, expect, it } from 'vitest';
import { shouldRun } from '../support/env';
import { browserProblem } from './browser';
import type { Locator } from 'playwright-core';
import { column, openDeck, row } from './fixture';

/** The text the chatter typed: the row's text without the flag glyphs the deck adds. */
function textWithoutGlyphs(locator: Locator): Promise<string> {
  return locator.evaluate((element) => {
    const copy = element.cloneNode(true) as HTMLElement;
    for (const glyph of copy.querySelectorAll('.flag-icon')) glyph.remove();
    return copy.textContent ?? '';
  });
}

const ROOMS = ['1001', '1002', '1003', '1004'];

describe.skipIf(!shouldRun('browser end to end', browserProblem()))('the deck in Chromium', () => {
  it('shows the Sandbox rooms side by side on a fresh profile, with messages streaming', async () => {
    const deck = await openDeck({ seed: 11 });
    const columns = deck.page.locator('section.column[data-room-key]');
    // FlipFlop's four rooms, then the two open rooms of the Sandbox VChatCloud account.
    await columns.nth(ROOMS.length + 1).waitFor();
    const keys = await columns.evaluateAll((elements) =>
      elements.map((element) => element.getAttribute('data-room-key') ?? ''),
    );
    expect(keys.slice(0, ROOMS.length)).toEqual(
      ROOMS.map((roomId) => `${deck.accountId}/${roomId}`),
    );
    expect(keys).toHaveLength(ROOMS.length + 2);
    expect(keys.slice(ROOMS.length).some((key) => key.startsWith(`${deck.accountId}/`))).toBe(
      false,
    );
    // Side by side: each column starts to the right of the one before.
    const lefts = await columns.evaluateAll((elements) =>
      elements.map((element) => element.getBoundingClientRect().left),
    );
    expect(lefts).toEqual([...lefts].sort((a, b) => a - b));
    expect(new Set(lefts).size).toBe(keys.length);
    for (const roomId of ROOMS) {
      await column(deck, roomId).locator('[data-connection="live"]').waitFor();
      await column(deck, roomId).locator('article[data-message-id]').nth(2).waitFor();
    }
    // The VChatCloud rooms are live too (past the window's edge, their lists wait to be seen).
    for (const key of keys.slice(ROOMS.length)) {
      await deck.page
        .locator(`section.column[data-room-key="${key}"] [data-connection="live"]`)
        .waitFor();
    }
    expect(deck.pageErrors).toEqual([]);
  });

  it('highlights a forbidden word and an evasion of it on exactly the characters typed, naming the rule', async () => {
    const deck = await openDeck({ seed: 12, sandboxOptions: { ratePerRoom: 1 } });
    await column(deck, '1001').locator('[data-connection="live"]').waitFor();
    const plain = await deck.api.say('1001', {
      userId: 'troll1',
      userName: 'Troll',
      message: 'this is a scam, trust me',
    });
    const dodged = await deck.api.say('1001', {
      userId: 'troll2',
      userName: 'Troll Two',
      message: 'best c-a-s-1-n-o in town',
    });

    for (const [messageId, text] of [
      [plain.messageId, 'scam'],
      [dodged.messageId, 'c-a-s-1-n-o'],
    ] as const) {
      const marks = row(deck, messageId).first().locator('mark.flag-text');
      await marks.first().waitFor();
      expect(await marks.allTextContents()).toEqual([text]);
      const rule = text === 'scam' ? 'scam' : 'casino';
      expect(await marks.first().getAttribute('title')).toContain(rule);
    }
    // The rest of the message is plain text, unmarked; only the flag glyph is added before a hit.
    expect(
      await textWithoutGlyphs(row(deck, plain.messageId).first().locator('.message-text')),
    ).toBe('this is a scam, trust me');
  });

  it('lets the keyboard alone hide, unhide, delete and undo, as the sandbox confirms', async () => {
    const deck = await openDeck({ seed: 13, sandboxOptions: { ratePerRoom: 0 } });
    await column(deck, '1001').locator('[data-connection="live"]').waitFor();
    const ids: string[] = [];
    for (const text of ['first message', 'second message', 'third message']) {
      ids.push(
        (await deck.api.say('1001', { userId: 'viewer', userName: 'Viewer', message: text }))
          .messageId,
      );
    }
    await row(deck, ids[2] ?? '').waitFor();
    const focusedId = () =>
      deck.page.evaluate(() => document.activeElement?.getAttribute('data-message-id') ?? null);
    const settled = (messageId: string, state: string) =>
      row(deck, messageId)
        .and(deck.page.locator(`[data-state="${state}"]:not([data-pending])`))
        .waitFor();

    // j focuses the newest message of the first room with one; k and j move within the room.
    await deck.page.keyboard.press('j');
    await deck.page.waitForFunction(
      (id) => document.activeElement?.getAttribute('data-message-id') === id,
      ids[2],
    );
    await deck.page.keyboard.press('k');
    expect(await focusedId()).toBe(ids[1]);
    // l moves to the next room and h comes back to this one; j walks down to its newest message.
    await deck.page.keyboard.press('l');
    await deck.page.waitForFunction(
      (roomKey) => document.activeElement?.getAttribute('data-room-key') !== roomKey,
      `${deck.accountId}/1001`,
    );
    await deck.page.keyboard.press('h');
    await deck.page.waitForFunction(
      (roomKey) => document.activeElement?.getAttribute('data-room-key') === roomKey,
      `${deck.accountId}/1001`,
    );
    for (let presses = 0; presses < 10 && (await focusedId()) !== ids[2]; presses += 1) {
      await deck.page.keyboard.press('j');
    }
    const target = ids[2] ?? '';
    expect(await focusedId()).toBe(target);

    await deck.page.keyboard.press('x');
    await settled(target, 'hidden');
    expect((await deck.api.message('1001', target)).state).toBe('hidden');

    await deck.page.keyboard.press('u');
    await settled(target, 'visible');
    expect((await deck.api.message('1001', target)).state).toBe('visible');

    await deck.page.keyboard.press('x');
    await settled(target, 'hidden');
    await deck.page.keyboard.press('z');
    await settled(target, 'visible');
    expect((await deck.api.message('1001', target)).state).toBe('visible');

    await deck.page.keyboard.press('Delete');
    await deck.page.locator('.delete-confirm').waitFor();
    expect((await deck.api.message('1001', target)).state).toBe('visible');
    await deck.page.keyboard.press('Delete');
    await settled(target, 'deleted');
    expect((await deck.api.message('1001', target)).state).toBe('deleted');
    const rest = await fetch(
      `${deck.host.sandbox.flipflop.baseUrl}/v2/apps/me/video-rooms/1001/chat-room/messages/${target}`,
      {
        headers: {
          Authorization: `Basic ${Buffer.from(`${deck.host.sandbox.flipflop.appApiKey}:${deck.host.sandbox.flipflop.appApiSecret}`).toString('base64')}`,
        },
      },
    );
    expect(rest.status).toBe(404);
  });

  it('puts a direct message to the moderator in the Flagged column and in a notification', async () => {
    const deck = await openDeck({ seed: 14, sandboxOptions: { ratePerRoom: 0 } });
    await column(deck, '1002').locator('[data-connection="live"]').waitFor();
    const { messageId } = await deck.api.say('1002', {
      userId: 'viewer9',
      userName: 'Mina',
      message: 'someone is posting my address, please help',
      messageType: 'DM',
      receiver: 'moderator1',
    });
    await row(deck, messageId, 'flagged').waitFor();
    expect(await row(deck, messageId, 'flagged').textContent()).toContain(
      'someone is posting my address',
    );
    const notices = (await (await fetch(deck.host.notifications)).json()) as Array<{
      title: string;
      body: string;
    }>;
    expect(notices).toContainEqual(
      expect.objectContaining({
        title: expect.stringContaining('Direct message from Mina') as string,
      }),
    );
  });

  it('shows reconnecting when every connection drops, comes back live with a gap divider, and shows no message twice', async () => {
    const deck = await openDeck({ seed: 15, sandboxOptions: { ratePerRoom: 8 } });
    for (const roomId of ROOMS)
      await column(deck, roomId).locator('[data-connection="live"]').waitFor();
    await deck.api.faults({ dropConnections: true, refuseConnectionsForMs: 2500 });
    for (const roomId of ROOMS)
      await column(deck, roomId).locator('[data-connection="reconnecting"]').waitFor();
    for (const roomId of ROOMS) {
      await column(deck, roomId).locator('[data-connection="live"]').waitFor({ timeout: 30_000 });
      await column(deck, roomId).locator('[data-kind="gap"]').waitFor();
    }
    for (const roomId of ROOMS) {
      const ids = await column(deck, roomId)
        .locator('article[data-message-id]')
        .evaluateAll((rows) => rows.map((element) => element.getAttribute('data-message-id')));
      expect(ids.length).toBeGreaterThan(0);
      expect(new Set(ids).size).toBe(ids.length);
    }
    expect(deck.pageErrors).toEqual([]);
  });

  it('renders hostile chat text as inert text: no dialog, no error, no navigation', async () => {
    const deck = await openDeck({ seed: 16, sandboxOptions: { ratePerRoom: 0 } });
    await column(deck, '1001').locator('[data-connection="live"]').waitFor();
    const hostile = [
      '<img src=x onerror=alert(1)>',
      '<script>alert(2)</script>',
      '<a href="javascript:alert(3)">click me</a> javascript:alert(4)',
      'left \u202Eevil\u202C right \u2066isolated\u2069 and \u200Bhidden',
      `long ${'x'.repeat(10_000)}`,
      '"><svg onload=alert(5)>',
    ];
    const ids: string[] = [];
    for (const message of hostile)
      ids.push(
        (await deck.api.say('1001', { userId: 'attacker', userName: '<b>Attacker</b>', message }))
          .messageId,
      );
    const feed = column(deck, '1001');
    const inRoom = (messageId: string) => feed.locator(`article[data-message-id="${messageId}"]`);
    for (const messageId of ids) await inRoom(messageId).waitFor();

    // Every message reads exactly as it was sent, the 10,000 characters and the bidi controls too,
    // and each sits in its own isolate, so an override cannot reorder the row around it.
    for (const [index, messageId] of ids.entries()) {
      const text = inRoom(messageId).locator('.message-text');
      expect(await text.textContent()).toBe(hostile[index]);
      expect(await text.evaluate((element) => element.tagName)).toBe('BDI');
    }
    expect(
      await inRoom(ids[0] ?? '')
        .locator('.row-user')
        .textContent(),
    ).toBe('<b>Attacker</b>');
    // The 10,000 characters are more than the word filter reads: the row says so, and the message
    // is pinned in the Flagged column like any flagged one.
    expect(
      await inRoom(ids[4] ?? '')
        .locator('.row-kind-overLong')
        .textContent(),
    ).toBe('Over-long message');
    await row(deck, ids[4] ?? '', 'flagged').waitFor();
    expect(await feed.locator('img, script, svg, a[href^="javascript"], iframe').count()).toBe(0);
    expect(deck.dialogs).toEqual([]);
    expect(deck.pageErrors).toEqual([]);
    expect(deck.navigations).toEqual([deck.host.url]);
    expect(deck.page.url()).toBe(deck.host.url);
  });
});
