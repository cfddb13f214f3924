/**
 * The system Chromium for the end-to-end suite, driven by playwright-core (Playwright's own
 * browser download does not work on these machines). Found at CHROMIUM_PATH, else on the usual
 * paths; launched headless with networking to Google's services turned off.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The Chromium to use, or null when there is none. */
export function findChromium(): string | null {
  const configured = process.env['CHROMIUM_PATH'];
  if (configured) return executable(configured) ? configured : null;
  if (executable('/usr/bin/chromium')) return '/usr/bin/chromium';
  for (const folder of (process.env['PATH'] ?? '').split(delimiter)) {
    for (const name of NAMES) {
      const candidate = join(folder, name);
      if (executable(candidate)) return candidate;
    }
  }
  return null;
}

/** Why the browser suite cannot run here, or null when it can. */
export function browserProblem(): string | null {
  if (findChromium() !== null) return null;
  return process.env['CHROMIUM_PATH']
    ? `CHROMIUM_PATH (${process.env['CHROMIUM_PATH']}) is not an executable`
    : 'no Chromium found (set CHROMIUM_PATH, or install chromium)';
}

/** Launches Chromium with a fresh profile of its own. */
export async function launchChromium(): Promise<Browser> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error(browserProblem() ?? 'no Chromium');
  return chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
}
