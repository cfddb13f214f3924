import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { shouldRun } from '../support/env';
import { browserProblem } from './browser';
import { openDeck } from './fixture';

const DAMAGED = '{"version": 1, "accounts": [ {"id": "acc_1", "provider": "flip';

describe.skipIf(!shouldRun('browser end to end', browserProblem()))('warnings in Chromium', () => {
  it('shows that a damaged settings file was kept aside, until the moderator dismisses it', async () => {
    const deck = await openDeck({ seed: 31, userData: { 'settings.json': DAMAGED } });
    const file = join(deck.host.userDataDir, 'settings.json');
    const [copyName] = (await readdir(deck.host.userDataDir)).filter((name) =>
      name.startsWith('settings.json.damaged-'),
    );
    const copy = join(deck.host.userDataDir, copyName ?? 'no copy was kept');
    expect(await readFile(copy, 'utf8')).toBe(DAMAGED);

    const banner = deck.page.getByRole('region', { name: 'Warnings' });
    const warning = banner.getByRole('alert');
    await warning.waitFor();
    const text = (await warning.textContent()) ?? '';
    expect(text).toContain(`ModDeck found problems in its settings file ${file}: nothing in it`);
    expect(text).toContain(`The original is kept as ${copy}.`);

    // The deck works beside it: the sandbox's rooms open as on a first start.
    await deck.page.locator('section.column[data-room-key]').first().waitFor();
    await warning.getByRole('button', { name: 'Dismiss' }).click();
    await banner.waitFor({ state: 'detached' });
    expect(deck.pageErrors).toEqual([]);
  });
});
