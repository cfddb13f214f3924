/**
 * package:check against a real package: electron-builder `--linux dir` with the stand-in Electron,
 * once, then the tree checks and the boot, as they pass and as they fail when one part breaks.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootPackagedApp, installElectronStandIn } from '../../scripts/packageCheck/boot';
import {
  checkBootOf,
  checkPackagedTree,
  createStandInDist,
  extractApp,
  packageLinuxDir,
  ROOT,
} from '../../scripts/packageCheck/run';
import { useTempDir } from '../support/tempDir';
import { REQUEST_CHANNELS } from '../../src/shared/channels';

let workDir = '';
let unpackedDir = '';

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'out/main/index.js'))) {
    throw new Error('out/ is missing: run `npm run build` first (npm test does)');
  }
  workDir = await mkdtemp(join(tmpdir(), 'moddeck-package-test-'));
  await createStandInDist(join(workDir, 'electron-dist'));
  const failure = await packageLinuxDir(
    ROOT,
    join(workDir, 'electron-dist'),
    join(workDir, 'dist'),
  );
  if (failure !== null) throw new Error(`electron-builder failed:\n${failure}`);
  unpackedDir = join(workDir, 'dist/linux-unpacked');
});

afterAll(async () => {
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

/** The packaged app extracted into a fresh folder, changed by `change` before it is checked. */
async function extracted(change?: (appDir: string) => Promise<void>) {
  const dir = await useTempDir('moddeck-packaged-');
  const appDir = join(dir, 'app');
  extractApp(unpackedDir, appDir);
  await change?.(appDir);
  return { dir, appDir };
}

async function editMain(appDir: string, edit: (source: string) => string): Promise<void> {
  const file = join(appDir, 'out/main/index.js');
  const source = await readFile(file, 'utf8');
  const edited = edit(source);
  if (edited === source) throw new Error('the edit changed nothing in out/main/index.js');
  await writeFile(file, edited);
}

describe('the packaged app', () => {
  it('passes every check of its tree and boots, serves, answers and quits', async () => {
    const { dir, appDir } = await extracted();
    expect(await checkPackagedTree(unpackedDir, appDir)).toEqual([]);
    const { problems, report } = await checkBootOf(appDir, dir);
    expect(problems).toEqual([]);
    expect(report.exit?.code).toBe(0);
  });

  it('fails, naming it, when main imports a devDependency', async () => {
    const { dir, appDir } = await extracted((appDir) =>
      editMain(appDir, (source) => `import { create } from "zustand";\n${source}`),
    );
    expect(await checkPackagedTree(unpackedDir, appDir)).toContain(
      'out/main/index.js imports zustand, a devDependency, which is not in the package',
    );
    const { problems } = await checkBootOf(appDir, dir);
    expect(problems[0]).toMatch(/^the packaged app opened no window; its last words: .*zustand/);
  });

  it('fails, naming it, when the preload is missing', async () => {
    const { dir, appDir } = await extracted((appDir) => rm(join(appDir, 'out/preload/index.cjs')));
    const { problems } = await checkBootOf(appDir, dir);
    expect(problems).toEqual([
      `the window's preload ${join(appDir, 'out/preload/index.cjs')} does not exist in the package`,
    ]);
  });

  it('fails, naming it, when a contract channel gets no handler', async () => {
    // The list's last channel is taken out of the bundle's copy of it.
    const last = REQUEST_CHANNELS.at(-1)!;
    const entry = new RegExp(`,\\s*"${last.replaceAll('.', '\\.')}"\\s*\\]`);
    const { dir, appDir } = await extracted((appDir) =>
      editMain(appDir, (source) => source.replace(entry, '\n]')),
    );
    const { problems } = await checkBootOf(appDir, dir);
    expect(problems).toEqual([`the channel ${last} has no handler on ipcMain`]);
  });

  it('quits quietly when another instance holds the lock', async () => {
    const { dir, appDir } = await extracted(installElectronStandIn);
    const userDataDir = join(dir, 'user-data');
    await mkdir(userDataDir);
    const report = await bootPackagedApp({ appDir, userDataDir, lockRefused: true });
    expect(report.started).toBe(false);
    expect(report.dialogs).toEqual([]);
    expect(report.exit?.code).toBe(0);
  });

  it('says why it cannot start when the lock failed in a data folder it cannot write', async () => {
    // A regular file where the data folder's parent should be: no folder can be made there.
    const { dir, appDir } = await extracted(installElectronStandIn);
    await writeFile(join(dir, 'not-a-folder'), '');
    const userDataDir = join(dir, 'not-a-folder', 'ModDeck');
    const report = await bootPackagedApp({ appDir, userDataDir, lockRefused: true });
    expect(report.started).toBe(false);
    expect(report.dialogs).toEqual([
      expect.objectContaining({
        title: 'ModDeck could not start',
        content: expect.stringContaining(
          `ModDeck cannot create or write files in its data folder (ENOTDIR`,
        ) as unknown,
      }),
    ]);
    expect(report.dialogs[0]?.content).toContain(`Its data folder: ${userDataDir}`);
    expect(report.exit?.code).toBe(1);
  });

  it('refuses to boot where a parent folder holds node_modules the package might lean on', async () => {
    const dir = await useTempDir('moddeck-packaged-');
    await mkdir(join(dir, 'node_modules'));
    const appDir = join(dir, 'app');
    extractApp(unpackedDir, appDir);
    await expect(checkBootOf(appDir, dir)).rejects.toThrow(
      `the boot could resolve packages outside the package: ${join(dir, 'node_modules')}`,
    );
  });
});
