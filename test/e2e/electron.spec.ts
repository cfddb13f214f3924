/**
 * The Electron-level smoke test: the packaged app (electron-builder `--linux dir` around the
 * installed Electron binary) in a real Electron window. It needs an Electron binary (ELECTRON_PATH
 * or the electron package's own download), which machines without internet access cannot have
 * (Electron 42+ fetches it on first use), so it skips with a reason when there is none — even
 * under MODDECK_REQUIRE_ALL=1, since such machines can never have one; there
 * `npm run package:check` boots the same package under Node instead.
 *
 * The packaged binary's fuses turn off `--inspect`, which Playwright's Electron launcher needs, so
 * the window is driven over the Chromium DevTools protocol instead.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { electronBinary } from '../../scripts/electronNative';
import { packageLinuxDir } from '../../scripts/packageCheck/run';

const root = new URL('../..', import.meta.url).pathname;
const binary = electronBinary(root);
if (!binary)
  process.stderr.write(
    '[skip] Electron smoke test: no Electron binary is installed on this machine\n',
  );

let workDir = '';

/** Starts the packaged app with a DevTools port; resolves with its endpoint. */
function launch(
  executable: string,
  userData: string,
): { app: ChildProcess; endpoint: Promise<string> } {
  const app = spawn(executable, ['--remote-debugging-port=0', `--user-data-dir=${userData}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const endpoint = new Promise<string>((done, fail) => {
    let output = '';
    app.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /DevTools listening on (ws:\/\/\S+)/.exec(output);
      if (match?.[1]) done(match[1]);
    });
    app.once('exit', (code) =>
      fail(new Error(`the app ended (${code}) before it listened: ${output}`)),
    );
  });
  return { app, endpoint };
}

async function appPage(endpoint: string): Promise<Page> {
  const browser = await chromium.connectOverCDP(endpoint);
  const context = browser.contexts()[0];
  if (!context) throw new Error('the app has no browser context');
  const page =
    context.pages().find((candidate) => candidate.url().startsWith('app://')) ??
    (await context.waitForEvent('page', (candidate) => candidate.url().startsWith('app://')));
  await page.waitForLoadState('domcontentloaded');
  return page;
}

describe.skipIf(binary === null)('the packaged Electron app', () => {
  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'moddeck-electron-'));
    // The installed Electron's folder as electronDist: nothing is downloaded. keytar stays as
    // built for Node, so the app uses its safeStorage fallback; this test is not about the keychain.
    const failure = await packageLinuxDir(root, dirname(binary ?? ''), join(workDir, 'dist'));
    if (failure !== null) throw new Error(`electron-builder failed:\n${failure}`);
  });

  afterAll(async () => {
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('opens the Sandbox rooms, hides a message with x, and quits', async () => {
    const userData = join(workDir, 'user-data');
    const { app, endpoint } = launch(join(workDir, 'dist/linux-unpacked/moddeck'), userData);
    const exited = new Promise<number | null>((done) => app.once('exit', done));
    onTestFinished(() => {
      if (app.exitCode === null) app.kill('SIGKILL');
    });

    const window = await appPage(await endpoint);
    const columns = window.locator('section.column[data-room-key]');
    await columns.nth(3).waitFor();
    const firstRow = columns
      .first()
      .locator('article[data-message-id][data-state="visible"]')
      .last();
    await firstRow.waitFor();
    const messageId = await firstRow.getAttribute('data-message-id');
    await firstRow.focus();
    await window.keyboard.press('x');
    await window
      .locator(`article[data-message-id="${messageId}"][data-state="hidden"]:not([data-pending])`)
      .first()
      .waitFor();
    expect(
      await window.evaluate(() => typeof (window as unknown as { moderator?: unknown }).moderator),
    ).toBe('object');

    // SIGTERM quits Electron the way the OS asks an app to end: before-quit, then exit.
    app.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
