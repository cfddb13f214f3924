/**
 * What a refused single-instance lock means. Electron's `requestSingleInstanceLock()` answers
 * `false` alike when another ModDeck holds the lock (it was told and shows its window) and when
 * the lock could not be taken at all: Chromium's process singleton keeps its lock in the data
 * folder and reports `LOCK_ERROR` when it cannot create or write there, which Electron folds into
 * the same `false`. Quitting quietly then would make the app vanish without a word. No electron
 * import: the entry hands in the data folder.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Why ModDeck cannot take the lock in `userDataDir` itself, or null when the folder is usable
 * (so another instance holds the lock).
 */
export async function lockRefusal(userDataDir: string): Promise<Error | null> {
  const probe = join(userDataDir, `.write-check-${process.pid}`);
  try {
    await mkdir(userDataDir, { recursive: true });
    await writeFile(probe, '', { flag: 'wx' });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return new Error(`ModDeck cannot create or write files in its data folder (${reason}).`);
  }
  await rm(probe, { force: true });
  return null;
}
