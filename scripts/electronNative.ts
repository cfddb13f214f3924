/**
 * Readies Electron before `npm start` and `npm run dev` run ModDeck from source: Electron's binary
 * (electron 42+ downloads it on first use, not at install) and keytar and better-sqlite3 built for
 * Electron's ABI in node_modules/.moddeck-electron, which the Electron entry loads
 * (src/main/nativeModules.ts). node_modules keeps both built for Node, for the tests. Both need the internet once; without
 * it, this says so in one sentence and fails (docs/packaging.md).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  electronNativeDir,
  NATIVE_PACKAGES,
  nativePackageForElectron,
  sqliteBindingForElectron,
} from '../src/main/nativeModules';

const ROOT = join(import.meta.dirname, '..');

/**
 * The Electron binary: ELECTRON_PATH, else the electron package's download, found without loading
 * the package (loading it starts the download).
 */
export function electronBinary(
  root: string = ROOT,
  env: NodeJS.ProcessEnv = process.env,
): string | null {
  const explicit = env['ELECTRON_PATH'];
  if (explicit) return existsSync(explicit) ? explicit : null;
  const electronDir = join(root, 'node_modules/electron');
  const pathFile = join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const relative = readFileSync(pathFile, 'utf8').trim();
  const override = env['ELECTRON_OVERRIDE_DIST_PATH'];
  const binary = override ? join(override, relative) : join(electronDir, 'dist', relative);
  return existsSync(binary) ? binary : null;
}

/** The steps, passed in so that tests can stand in for the downloads. */
export interface PrepareSteps {
  electronVersion: string;
  hasBinary(): boolean;
  downloadBinary(): Promise<void>;
  /** True when keytar and better-sqlite3 built for this Electron are there. */
  hasNativeModules(): boolean;
  buildNativeModules(): Promise<void>;
}

/** Runs the steps that are due; on failure writes one sentence and answers exit code 1. */
export async function prepareElectron(
  steps: PrepareSteps,
  write: (line: string) => void,
): Promise<number> {
  try {
    if (!steps.hasBinary()) await steps.downloadBinary();
    if (!steps.hasNativeModules()) await steps.buildNativeModules();
    return 0;
  } catch (error) {
    write(`${failureSentence(steps.electronVersion, error)}\n`);
    return 1;
  }
}

/** The one sentence `npm start` ends with when Electron or its headers cannot be fetched. */
export function failureSentence(electronVersion: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const reason = (message.trim().split('\n')[0] ?? '').slice(0, 160);
  return (
    `ModDeck cannot start from source here: its first start downloads Electron ${electronVersion} ` +
    `and its headers (to build keytar and better-sqlite3 for Electron), and that failed${reason ? ` (${reason})` : ''}; ` +
    'connect this machine to the internet and run npm start again.'
  );
}

/** Runs a tool quietly; on failure, rejects with the line of its output that names the error. */
function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.on('error', fail);
    child.on('close', (code) => {
      if (code === 0) return done();
      const lines = output
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line !== '' && !line.startsWith('at '));
      const reason = lines.findLast((line) => /error/i.test(line)) ?? lines.at(-1);
      fail(new Error(reason?.replace(/^(\w*Error: )+/, '') ?? `${command} exited with ${code}`));
    });
  });
}

async function versionOf(name: string): Promise<string> {
  const path = join(ROOT, 'node_modules', name, 'package.json');
  return (JSON.parse(await readFile(path, 'utf8')) as { version: string }).version;
}

/** The real steps: electron's own installer, then @electron/rebuild on copies of the native packages. */
export async function realSteps(): Promise<PrepareSteps> {
  const electronVersion = await versionOf('electron');
  const versions = Object.fromEntries(
    await Promise.all(NATIVE_PACKAGES.map(async (name) => [name, await versionOf(name)] as const)),
  );
  const dir = electronNativeDir(ROOT);
  const stamp = join(dir, 'built-for');
  const wanted = `electron ${electronVersion}, ${NATIVE_PACKAGES.map((name) => `${name} ${versions[name]}`).join(', ')}\n`;
  const built = [
    join(nativePackageForElectron(ROOT, 'keytar'), 'build/Release/keytar.node'),
    sqliteBindingForElectron(ROOT),
  ];
  return {
    electronVersion,
    // The electron package's own binary, which electron-vite starts (not ELECTRON_PATH).
    hasBinary: () => electronBinary(ROOT, { ...process.env, ELECTRON_PATH: undefined }) !== null,
    downloadBinary: () => run(process.execPath, [join(ROOT, 'node_modules/electron/install.js')]),
    hasNativeModules: () =>
      built.every((file) => existsSync(file)) &&
      existsSync(stamp) &&
      readFileSync(stamp, 'utf8') === wanted,
    buildNativeModules: async () => {
      await rm(dir, { recursive: true, force: true });
      await mkdir(dir, { recursive: true });
      for (const name of NATIVE_PACKAGES) {
        await cp(join(ROOT, 'node_modules', name), nativePackageForElectron(ROOT, name), {
          recursive: true,
          filter: (source) => !source.includes(join(name, 'build')),
        });
      }
      await writeFile(
        join(dir, 'package.json'),
        `${JSON.stringify({ name: 'moddeck-electron-native', private: true, dependencies: versions }, null, 2)}\n`,
      );
      // Without npm's nodedir (set to build the Node copies against the system's Node headers),
      // which would make node-gyp build these for Node too: Electron's headers must be used here.
      const env = Object.fromEntries(
        Object.entries(process.env).filter(([name]) => name.toLowerCase() !== 'npm_config_nodedir'),
      );
      await run(
        process.execPath,
        [
          join(ROOT, 'node_modules/@electron/rebuild/lib/cli.js'),
          '--version',
          electronVersion,
          '--module-dir',
          dir,
          '--only',
          NATIVE_PACKAGES.join(','),
          '--force',
        ],
        env,
      );
      await writeFile(stamp, wanted);
    },
  };
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  process.exitCode = await prepareElectron(await realSteps(), (line) => process.stderr.write(line));
}
