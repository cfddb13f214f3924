/**
 * package:check without internet access: packages `--linux dir` with a stand-in Electron
 * distribution and no native rebuild, then checks the packaged tree and boots it under Node
 * (docs/packaging.md). Each step returns problems as lines; the caller prints them.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import asar from '@electron/asar';
import { getCurrentFuseWire } from '@electron/fuses';
import yaml from 'js-yaml';
import { REQUEST_CHANNELS } from '../../src/shared/channels';
import { bootPackagedApp, checkBoot, installElectronStandIn, type BootReport } from './boot';
import * as checks from './checks';
import type { PackageJson } from './checks';

export const ROOT = join(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);

/** The fuse sentinel of `@electron/fuses`, then wire version 1, eight fuses. */
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
/** Electron's own defaults: RunAsNode, NODE_OPTIONS, --inspect and file:// privileges on. */
const ELECTRON_DEFAULT_FUSES = '10110001';

/**
 * A folder electron-builder accepts as `electronDist`: an `electron` executable that carries a
 * fuse wire (set as Electron ships it) and refuses to run.
 */
export async function createStandInDist(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const executable = join(dir, 'electron');
  await writeFile(
    executable,
    `#!/bin/sh\n# ${FUSE_SENTINEL}\u0001\u0008${ELECTRON_DEFAULT_FUSES}\n` +
      'echo "This is the stand-in Electron of npm run package:check; it cannot run an app." >&2\n' +
      'exit 1\n',
  );
  await chmod(executable, 0o755);
}

/** Runs electron-builder `--linux dir` offline; resolves with its output when it fails. */
export async function packageLinuxDir(
  projectDir: string,
  electronDist: string,
  outputDir: string,
): Promise<string | null> {
  const cli = require.resolve('electron-builder/cli.js');
  const args = [
    cli,
    '--linux',
    'dir',
    `--config.electronDist=${electronDist}`,
    '--config.npmRebuild=false',
    `--config.directories.output=${outputDir}`,
  ];
  return new Promise((done) => {
    const child = spawn(process.execPath, args, {
      cwd: projectDir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.on('close', (code) => done(code === 0 ? null : output));
  });
}

interface BuilderConfig {
  npmRebuild?: unknown;
  deb?: { depends?: string[] };
}

/** electron-builder's default deb dependencies, from the copy that packages the app. */
export function defaultDebDepends(): string[] {
  const fromBuilder = createRequire(require.resolve('electron-builder'));
  const fpm = fromBuilder('app-builder-lib/out/targets/FpmTarget') as {
    default: { prototype: { getDefaultDepends(this: unknown, target: string): string[] } };
  };
  return fpm.default.prototype.getDefaultDepends.call(null, 'deb');
}

async function readJson<T>(path: string): Promise<T> {
  return JSON.parse(await readFile(path, 'utf8')) as T;
}

/** The `engines.node` of the packages whose declaration ModDeck's must follow. */
async function declaredEngines(projectDir: string): Promise<Map<string, string>> {
  const declared = new Map<string, string>();
  for (const name of ['electron', '@electron/rebuild']) {
    const path = join(projectDir, 'node_modules', name, 'package.json');
    if (!existsSync(path)) continue;
    const engines = (await readJson<PackageJson>(path)).engines?.node;
    if (engines) declared.set(name, engines);
  }
  return declared;
}

/** The config's checks: metadata, engines, the deb's dependencies, rebuilding keytar. */
export async function checkConfig(projectDir: string): Promise<string[]> {
  const packageJson = await readJson<PackageJson>(join(projectDir, 'package.json'));
  const config = yaml.load(
    await readFile(join(projectDir, 'electron-builder.yml'), 'utf8'),
  ) as BuilderConfig;
  return [
    ...checks.checkMetadata(packageJson, await declaredEngines(projectDir)),
    ...checks.checkDebDepends(config.deb?.depends, defaultDebDepends()),
    ...checks.checkRebuild(config),
    ...checks.checkSourceStart(packageJson.scripts),
  ];
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

/** Names some packaged package depends on (so a devDependency may be there for them). */
async function shippedDependencies(
  appDir: string,
  entries: readonly string[],
): Promise<Set<string>> {
  const names = new Set<string>();
  const manifests = entries.filter((entry) =>
    /^\/node_modules\/(?:@[^/]+\/)?[^/@]+\/package\.json$/.test(entry),
  );
  for (const manifest of manifests) {
    const packageJson = await readJson<PackageJson>(join(appDir, manifest));
    for (const name of Object.keys(packageJson.dependencies ?? {})) names.add(name);
  }
  return names;
}

/** The packaged tree's checks, on `app.asar` and its extracted copy in `appDir`. */
export async function checkPackagedTree(unpackedDir: string, appDir: string): Promise<string[]> {
  const archive = join(unpackedDir, 'resources', 'app.asar');
  if (!existsSync(archive)) return [`${archive} does not exist`];
  const entries = asar.listPackage(archive, { isPack: false });
  const packageJson = await readJson<PackageJson>(join(ROOT, 'package.json'));
  const devDependencies = new Set(Object.keys(packageJson.devDependencies ?? {}));
  const problems = [
    ...checks.checkAsarEntries(entries, packageJson, await shippedDependencies(appDir, entries)),
    ...checks.checkNativeModules(
      entries,
      (entry) => {
        const stat = asar.statFile(archive, entry.slice(1)) as { unpacked?: boolean };
        return stat.unpacked === true;
      },
      (entry) => existsSync(join(`${archive}.unpacked`, entry)),
    ),
  ];
  const bundles = new Map<string, string>();
  const mainDir = join(appDir, 'out', 'main');
  if (existsSync(mainDir)) {
    for (const file of await filesUnder(mainDir)) {
      if (/\.[cm]?js$/.test(file))
        bundles.set(relative(appDir, file), await readFile(file, 'utf8'));
    }
  }
  problems.push(
    ...checks.checkMainImports(
      bundles,
      (name) => existsSync(join(appDir, 'node_modules', name, 'package.json')),
      devDependencies,
    ),
  );
  const binary = join(unpackedDir, 'moddeck');
  if (!existsSync(binary)) problems.push(`the packaged executable ${binary} does not exist`);
  else problems.push(...checks.checkFuses(await getCurrentFuseWire(binary)));
  return problems;
}

/** Extracts app.asar (with what sits in app.asar.unpacked) into `appDir`. */
export function extractApp(unpackedDir: string, appDir: string): void {
  asar.extractAll(join(unpackedDir, 'resources', 'app.asar'), appDir);
}

/** Boots the extracted app with the stand-in and judges it. */
export async function checkBootOf(
  appDir: string,
  workDir: string,
): Promise<{ problems: string[]; report: BootReport }> {
  // Node looks for packages in every parent folder's node_modules too: there must be none, or the
  // boot could pass on packages the package lacks.
  const stray = [];
  for (let dir = dirname(appDir); dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'node_modules'))) stray.push(join(dir, 'node_modules'));
  }
  if (existsSync('/node_modules')) stray.push('/node_modules');
  if (stray.length > 0) {
    throw new Error(`the boot could resolve packages outside the package: ${stray.join(', ')}`);
  }
  await installElectronStandIn(appDir);
  const userDataDir = join(workDir, 'user-data');
  await mkdir(userDataDir);
  const report = await bootPackagedApp({ appDir, userDataDir });
  const { version } = await readJson<{ version: string }>(join(appDir, 'package.json'));
  return {
    report,
    problems: checkBoot(report, {
      channels: REQUEST_CHANNELS,
      platform: process.platform,
      version,
    }),
  };
}

async function main(): Promise<number> {
  const outputDir = join(ROOT, 'dist');
  const unpackedDir = join(outputDir, 'linux-unpacked');
  const workDir = await mkdtemp(join(tmpdir(), 'moddeck-package-check-'));
  const started = Date.now();
  const step = (text: string): void => {
    process.stdout.write(`package:check ${((Date.now() - started) / 1000).toFixed(1)}s ${text}\n`);
  };
  try {
    const problems = await checkConfig(ROOT);
    step('config checked');
    const electronDist = join(workDir, 'electron-dist');
    await createStandInDist(electronDist);
    await rm(unpackedDir, { recursive: true, force: true });
    const failure = await packageLinuxDir(ROOT, electronDist, outputDir);
    if (failure !== null) {
      process.stderr.write(failure);
      process.stderr.write(
        'package:check: electron-builder --linux dir failed (its output above)\n',
      );
      return 1;
    }
    step(`packaged ${relative(ROOT, unpackedDir)}`);
    const appDir = join(workDir, 'app');
    extractApp(unpackedDir, appDir);
    problems.push(...(await checkPackagedTree(unpackedDir, appDir)));
    step('packaged tree checked');
    const boot = await checkBootOf(appDir, workDir);
    problems.push(...boot.problems);
    step(
      `booted: ${boot.report.channels.length} channels, sandbox at ${boot.report.sandbox.address}, ended after ${boot.report.exit?.afterMs ?? '—'} ms`,
    );
    if (problems.length > 0) {
      if (boot.report.output.trim()) process.stderr.write(`${boot.report.output.trim()}\n`);
      for (const problem of problems) process.stderr.write(`package:check: ${problem}\n`);
      return 1;
    }
    step('passed');
    return 0;
  } catch (error) {
    process.stderr.write(
      `package:check: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return 1;
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  process.exitCode = await main();
}
