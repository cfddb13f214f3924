import { describe, expect, it } from 'vitest';
import { shouldRun } from '../support/env';
import { browserProblem } from './browser';
import { column, openDeck } from './fixture';

describe.skipIf(!shouldRun('browser end to end', browserProblem()))('Settings in Chromium', () => {
  it('leaving Settings with an unsaved rule does not lose it: it asks, and keeps or saves the rule', async () => {
    const deck = await openDeck({ seed: 31, sandboxOptions: { ratePerRoom: 0 } });
    const { page } = deck;
    await column(deck, '1001').locator('[data-connection="live"]').waitFor();
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('tab', { name: 'Forbidden words' }).click();
    const panel = page.getByRole('tabpanel', { name: 'Forbidden words' });
    const adding = panel.getByRole('form', { name: 'Add a rule' });
    await adding.getByLabel('Word, phrase or pattern').fill('raidbot');
    await adding.getByLabel('Severity').selectOption('high');
    await adding.getByRole('button', { name: 'Add rule' }).click();
    const unsaved = panel.locator('.rule-item', { hasText: 'raidbot' });
    await unsaved.getByText('Not saved').waitFor();

    // Another section and back: the draft is still there.
    await page.getByRole('tab', { name: 'Notifications' }).click();
    await page.getByRole('tab', { name: 'Forbidden words' }).click();
    await unsaved.waitFor();

    // Leaving asks; staying keeps the rule in the draft.
    await page.getByRole('button', { name: 'Deck' }).click();
    const question = page.getByRole('alertdialog', {
      name: 'Forbidden-word changes are not saved',
    });
    await question.waitFor();
    await question.getByRole('button', { name: 'Stay in Settings' }).click();
    await question.waitFor({ state: 'detached' });
    await unsaved.getByText('Not saved').waitFor();
    expect(await page.getByRole('button', { name: 'Settings' }).getAttribute('aria-current')).toBe(
      'page',
    );
    expect(deck.host.core.settings.get().rules.global.map((rule) => rule.pattern)).not.toContain(
      'raidbot',
    );

    // Leaving again and saving: the rule is in main's settings, with its severity.
    await page.getByRole('button', { name: 'Deck' }).click();
    await question.getByRole('button', { name: 'Save and leave' }).click();
    await column(deck, '1001').waitFor();
    expect(deck.host.core.settings.get().rules.global).toContainEqual(
      expect.objectContaining({ pattern: 'raidbot', severity: 'high' }),
    );
    expect(deck.pageErrors).toEqual([]);
  });

  it('adding an account tests it first: a refused secret is said in words and nothing is saved until it works', async () => {
    const deck = await openDeck({ seed: 32, sandboxOptions: { ratePerRoom: 0 } });
    const { page } = deck;
    const { flipflop } = deck.host.sandbox;
    await page.getByRole('button', { name: 'Accounts' }).click();
    await page.getByRole('button', { name: 'Add account' }).click();
    const form = page.getByRole('form', { name: 'New account' });
    await form.getByLabel('Display name').fill('Second show');
    await form.getByLabel('API address').fill(flipflop.baseUrl);
    await form.getByLabel('App API key').fill(flipflop.appApiKey);
    await form.getByLabel('App API secret').fill('not-the-secret');
    await form.getByRole('button', { name: 'Save' }).click();

    await form
      .getByRole('alert')
      .getByText('Could not connect: The service rejected the account’s API key or secret')
      .waitFor();
    await form.getByRole('button', { name: 'Save anyway' }).waitFor();
    expect((await deck.host.core.accounts.list()).map((account) => account.name)).not.toContain(
      'Second show',
    );

    await form.getByLabel('App API secret').fill(flipflop.appApiSecret);
    await form.getByRole('button', { name: 'Save' }).click();
    const saved = page.locator('li', { has: page.getByText('Second show', { exact: true }) });
    await saved.getByText(/^✓ Connected: \d+ rooms$/).waitFor();
    expect((await deck.host.core.accounts.list()).map((account) => account.name)).toContain(
      'Second show',
    );
    expect(deck.pageErrors).toEqual([]);
  });
});
