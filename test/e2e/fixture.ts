/**
 * One deck per test: its own sandbox seed, its own browser host (the real core behind the
 * production renderer) and a fresh Chromium page. Page errors, dialogs and navigations are
 * recorded so a test can prove that nothing ran that should not have.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { control } from '../support/sandbox';
import { launchChromium } from './browser';
import { startHost, type Host, type HostOptions } from './host';

export interface Deck {
  host: Host;
  page: Page;
  browser: Browser;
  api: ReturnType<typeof control>;
  /** The Sandbox account's id, as the app created it on first start. */
  accountId: string;
  pageErrors: string[];
  dialogs: string[];
  navigations: string[];
}

export async function openDeck(
  options: HostOptions & {
    viewport?: { width: number; height: number };
    /**
     * false: automod is turned off before the page opens. For tests that fill a room as fast as
     * they can from one chatter, which automod rightly flags as a flood and repeats.
     */
    automod?: boolean;
  } = {},
): Promise<Deck> {
  const host = await startHost({ port: 0, ...options });
  onTestFinished(() => host.close());
  if (options.automod === false) {
    const { config } = host.core.settings.get().automod;
    await host.core.settings.set({ automod: { enabled: false, config } });
  }
  const browser = await launchChromium();
  onTestFinished(() => browser.close());
  const page = await browser.newPage({
    viewport: options.viewport ?? { width: 1600, height: 900 },
  });
  const pageErrors: string[] = [];
  const dialogs: string[] = [];
  const navigations: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) navigations.push(frame.url());
  });
  await page.goto(host.url);
  const account = (await host.core.accounts.list()).find((candidate) => candidate.sandbox);
  if (!account) throw new Error('the host did not create the Sandbox account');
  return {
    host,
    page,
    browser,
    api: control({ ...host.sandbox, close: () => Promise.resolve() }),
    accountId: account.id,
    pageErrors,
    dialogs,
    navigations,
  };
}

/** A room column, by its video-room id. */
export function column(deck: Deck, roomId: string) {
  return deck.page.locator(`section.column[data-room-key="${deck.accountId}/${roomId}"]`);
}

/** A message row in a room column (or the Flagged column), by its message id. */
export function row(deck: Deck, messageId: string, within?: 'flagged') {
  const scope = within === 'flagged' ? deck.page.locator('[data-column="flagged"]') : deck.page;
  return scope.locator(`article[data-message-id="${messageId}"]`);
}

/** Writes a screenshot into test-results/. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const folder = join(process.cwd(), 'test-results');
  await mkdir(folder, { recursive: true });
  const path = join(folder, `${name}.png`);
  await page.screenshot({ path });
  return path;
}
