/**
 * The Electron-level smoke test: the built app in a real Electron window. It needs an Electron
 * binary, which cannot be downloaded on machines without internet access (Electron 42+ fetches it
 * on first use), so it skips with a reason when there is none — even under MODDECK_REQUIRE_ALL=1,
 * since such machines can never have one.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron as electron } from 'playwright-core';
import { describe, expect, it, onTestFinished } from 'vitest';

const root = new URL('../..', import.meta.url).pathname;
const electronDir = join(root, 'node_modules/electron');

/** The Electron binary, found without loading the package (loading it starts a download). */
function electronBinary(): string | null {
  const override = process.env['ELECTRON_OVERRIDE_DIST_PATH'];
  const pathFile = join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const relative = readFileSync(pathFile, 'utf8').trim();
  const binary = override ? join(override, relative) : join(electronDir, 'dist', relative);
  return existsSync(binary) ? binary : null;
}

const binary = electronBinary();
if (!binary)
  process.stderr.write(
    '[skip] Electron smoke test: no Electron binary is installed on this machine\n',
  );

describe.skipIf(binary === null)('the Electron app', () => {
  it('opens the Sandbox rooms in its window and hides a message', async () => {
    const userData = await mkdtemp(join(tmpdir(), 'moddeck-electron-'));
    onTestFinished(() => rm(userData, { recursive: true, force: true }));
    const app = await electron.launch({
      executablePath: binary ?? '',
      args: [join(root, 'out/main/index.js'), `--user-data-dir=${userData}`],
      cwd: root,
    });
    onTestFinished(() => app.close());
    const window = await app.firstWindow();
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
  });
});
