import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  electronBinary,
  failureSentence,
  prepareElectron,
  type PrepareSteps,
} from '../../scripts/electronNative';
import { useTempDir } from '../support/tempDir';

const ROOT = join(import.meta.dirname, '../..');

function steps(overrides: Partial<PrepareSteps> = {}) {
  const done: string[] = [];
  const all: PrepareSteps = {
    electronVersion: '45.6.1',
    hasBinary: () => false,
    downloadBinary: () => {
      done.push('download');
      return Promise.resolve();
    },
    hasNativeModules: () => false,
    buildNativeModules: () => {
      done.push('build');
      return Promise.resolve();
    },
    ...overrides,
  };
  return { all, done };
}

describe('readying Electron for npm start', () => {
  it('downloads the binary and builds the native modules for Electron when they are missing', async () => {
    const { all, done } = steps();
    expect(await prepareElectron(all, () => undefined)).toBe(0);
    expect(done).toEqual(['download', 'build']);
  });

  it('does nothing on a start after the first', async () => {
    const { all, done } = steps({ hasBinary: () => true, hasNativeModules: () => true });
    expect(await prepareElectron(all, () => undefined)).toBe(0);
    expect(done).toEqual([]);
  });

  it('fails with one sentence, not a stack trace, when the download fails', async () => {
    const error = new Error('getaddrinfo EAI_AGAIN\n    at GetAddrInfoReqWrap.onlookup');
    const { all, done } = steps({ downloadBinary: () => Promise.reject(error) });
    const written: string[] = [];
    expect(await prepareElectron(all, (line) => written.push(line))).toBe(1);
    expect(done).toEqual([]);
    expect(written).toEqual([
      'ModDeck cannot start from source here: its first start downloads Electron 45.6.1 and its ' +
        'headers (to build keytar and better-sqlite3 for Electron), and that failed (getaddrinfo EAI_AGAIN); connect ' +
        'this machine to the internet and run npm start again.\n',
    ]);
  });

  it('fails the same way when only the headers cannot be fetched', async () => {
    const { all } = steps({
      hasBinary: () => true,
      buildNativeModules: () => Promise.reject(new Error('connect ECONNREFUSED')),
    });
    const written: string[] = [];
    expect(await prepareElectron(all, (line) => written.push(line))).toBe(1);
    expect(written).toEqual([`${failureSentence('45.6.1', new Error('connect ECONNREFUSED'))}\n`]);
  });
});

describe('finding an Electron binary without loading the electron package', () => {
  it('takes ELECTRON_PATH when it names a file', async () => {
    const dir = await useTempDir();
    const binary = join(dir, 'electron');
    await writeFile(binary, '');
    expect(electronBinary(dir, { ELECTRON_PATH: binary })).toBe(binary);
    expect(electronBinary(dir, { ELECTRON_PATH: join(dir, 'missing') })).toBeNull();
  });

  it("reads the installed package's path.txt, and finds nothing before the download", async () => {
    const root = await useTempDir();
    const electronDir = join(root, 'node_modules/electron');
    await mkdir(join(electronDir, 'dist'), { recursive: true });
    expect(electronBinary(root, {})).toBeNull();
    await writeFile(join(electronDir, 'path.txt'), 'electron');
    expect(electronBinary(root, {})).toBeNull();
    await writeFile(join(electronDir, 'dist/electron'), '');
    expect(electronBinary(root, {})).toBe(join(electronDir, 'dist/electron'));
  });
});

// The script itself, with Electron's download pointed at a closed loopback port: what `npm start`
// prints on a machine without internet access. Where an Electron binary is installed the script
// would go on to build keytar instead, so the case does not arise there.
describe.skipIf(electronBinary(ROOT) !== null)('npm start without internet access', () => {
  it('prints one sentence and exits with 1', async () => {
    const cache = await useTempDir();
    const { code, stdout, stderr } = await new Promise<{
      code: number | null;
      stdout: string;
      stderr: string;
    }>((done) => {
      const child = spawn(
        process.execPath,
        [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, 'scripts/electronNative.ts')],
        {
          cwd: ROOT,
          env: {
            PATH: process.env['PATH'] ?? '',
            HOME: cache,
            ELECTRON_MIRROR: 'http://127.0.0.1:9/',
            electron_config_cache: cache,
          },
        },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      child.on('close', (code) => done({ code, stdout, stderr }));
    });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.split('\n')).toEqual([
      expect.stringMatching(/^ModDeck cannot start .*again\.$/),
      '',
    ]);
  });
});
