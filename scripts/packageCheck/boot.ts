/**
 * Boots what users get: the packaged `out/main/index.js`, extracted from app.asar, under plain
 * Node with the electron stand-in (electronStandIn.ts) in the package's own node_modules; then asks
 * it what a real start would have shown and quits it. `checkBoot` judges the report.
 */
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { APP_PAGE_URL, APP_SCHEME } from '../../src/main/appProtocol';
import { HARDENED_WEB_PREFERENCES } from '../../src/main/webPreferences';

const STAND_IN_SOURCE = resolve(import.meta.dirname, 'electronStandIn.ts');

/** What the booted app showed, from start to exit. */
export interface BootReport {
  /** The extracted app (its `out/`, `node_modules/`, `package.json`). */
  appDir: string;
  userDataDir: string;
  /** The window loaded its page. */
  started: boolean;
  /** The process's own words (stderr and stdout), for the reader of a failure. */
  output: string;
  dialogs: Array<{ title: string; content: string }>;
  windows: Array<{
    webPreferences: Record<string, unknown> | undefined;
    icon: string | null;
    loadedUrl: string | null;
  }>;
  channels: string[];
  privileged: Array<{ scheme?: string; privileges?: Record<string, unknown> }>;
  protocols: string[];
  /** What `app.info` answered through the stand-in ipcMain. */
  appInfo: unknown;
  sandbox: { address: string | null; answered: boolean; answeredAfterQuit: boolean };
  /** The window's page fetched through the app's protocol handler. */
  page: { status: number; contentType: string | null; body: string } | null;
  /** A request that climbs out of the renderer folder, through the same handler. */
  traversal: { status: number } | null;
  /** What the core left in the fresh user-data folder. */
  userDataFiles: string[];
  /**
   * How the process ended after quitting (`afterMs` 0: by itself, before opening a window); null
   * when it was still running at the deadline.
   */
  exit: { code: number | null; signal: string | null; afterMs: number } | null;
}

/** Builds the stand-in into `<appDir>/node_modules/electron`. */
export async function installElectronStandIn(appDir: string): Promise<void> {
  const dir = join(appDir, 'node_modules', 'electron');
  await mkdir(dir, { recursive: true });
  await build({
    entryPoints: [STAND_IN_SOURCE],
    outfile: join(dir, 'index.js'),
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'error',
  });
  await writeFile(
    join(dir, 'package.json'),
    `${JSON.stringify({ name: 'electron', version: '0.0.0-stand-in', type: 'module', main: 'index.js' })}\n`,
  );
}

interface BootOptions {
  appDir: string;
  userDataDir: string;
  /** How long the app may take to open its window. */
  startTimeoutMs?: number;
  /** How long the process may take to end after quitting. */
  exitTimeoutMs?: number;
  /** Electron refuses the single-instance lock. */
  lockRefused?: boolean;
}

/** Starts the packaged main process, asks it everything `checkBoot` judges, and quits it. */
export async function bootPackagedApp(options: BootOptions): Promise<BootReport> {
  const { appDir, userDataDir } = options;
  const startTimeoutMs = options.startTimeoutMs ?? 20_000;
  const exitTimeoutMs = options.exitTimeoutMs ?? 5_000;
  const report: BootReport = {
    appDir,
    userDataDir,
    started: false,
    output: '',
    dialogs: [],
    windows: [],
    channels: [],
    privileged: [],
    protocols: [],
    appInfo: null,
    sandbox: { address: null, answered: false, answeredAfterQuit: false },
    page: null,
    traversal: null,
    userDataFiles: [],
    exit: null,
  };

  // Plain Node, resolving packages from the package alone: no NODE_PATH, no NODE_OPTIONS, the
  // working folder inside the extracted app, and no session bus (keytar must not write the
  // sandbox's secrets into the keychain of whoever runs the check).
  const child = fork(join(appDir, 'out/main/index.js'), [], {
    cwd: appDir,
    env: {
      PATH: process.env['PATH'] ?? '',
      HOME: userDataDir,
      DBUS_SESSION_BUS_ADDRESS: 'disabled:',
      MODDECK_STANDIN_APP_PATH: appDir,
      MODDECK_STANDIN_USER_DATA: userDataDir,
      ...(options.lockRefused ? { MODDECK_STANDIN_LOCK: 'refused' } : {}),
    },
    execArgv: [],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const keepOutput = (chunk: Buffer): void => {
    report.output = (report.output + chunk.toString('utf8')).slice(-8_000);
  };
  child.stdout?.on('data', keepOutput);
  child.stderr?.on('data', keepOutput);

  const exited = new Promise<{ code: number | null; signal: string | null }>((done) => {
    child.once('exit', (code, signal) => done({ code, signal }));
  });
  let nextId = 1;
  const pending = new Map<number, (message: { value?: unknown; error?: string }) => void>();
  let loaded: () => void = () => undefined;
  const windowLoaded = new Promise<void>((done) => (loaded = done));
  child.on(
    'message',
    (message: { id?: number; kind?: string; value?: unknown; error?: string }) => {
      if (message.id !== undefined) {
        pending.get(message.id)?.(message);
        pending.delete(message.id);
      } else if (message.kind === 'loaded') {
        loaded();
      } else if (message.kind === 'dialog') {
        report.dialogs.push(message as unknown as { title: string; content: string });
      }
    },
  );
  const ask = (request: Record<string, unknown>): Promise<unknown> =>
    new Promise((done, fail) => {
      const id = nextId++;
      pending.set(id, (message) => {
        if (message.error !== undefined) fail(new Error(message.error));
        else done(message.value);
      });
      child.send({ id, ...request });
    });

  try {
    const outcome = await Promise.race([
      windowLoaded.then(() => 'loaded' as const),
      exited.then(() => 'exited' as const),
      delay(startTimeoutMs).then(() => 'timeout' as const),
    ]);
    if (outcome === 'exited') report.exit = { ...(await exited), afterMs: 0 };
    if (outcome !== 'loaded') return report;
    report.started = true;

    const state = (await ask({ kind: 'state' })) as Pick<
      BootReport,
      'windows' | 'channels' | 'privileged' | 'protocols'
    >;
    Object.assign(report, state);
    report.appInfo = await ask({ kind: 'invoke', channel: 'app.info' });
    report.sandbox.address = sandboxAddress(
      await ask({ kind: 'invoke', channel: 'accounts.list' }),
    );
    if (report.sandbox.address) report.sandbox.answered = await answers(report.sandbox.address);
    report.page = (await ask({
      kind: 'fetch',
      url: report.windows[0]?.loadedUrl ?? APP_PAGE_URL,
    })) as BootReport['page'];
    report.traversal = (await ask({
      kind: 'fetch',
      url: `${APP_SCHEME}://moddeck/..%2f..%2fpackage.json`,
    })) as BootReport['traversal'];
    report.userDataFiles = await readdir(userDataDir);

    await ask({ kind: 'quit' });
    const quitAt = Date.now();
    const ended = await Promise.race([exited, delay(exitTimeoutMs).then(() => null)]);
    if (ended) report.exit = { ...ended, afterMs: Date.now() - quitAt };
    if (report.sandbox.address) {
      report.sandbox.answeredAfterQuit = await answers(report.sandbox.address);
    }
    return report;
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

/** The embedded sandbox's address, from `accounts.list`'s answer. */
function sandboxAddress(answer: unknown): string | null {
  const result = answer as { ok?: boolean; value?: Array<{ sandbox?: boolean; baseUrl?: string }> };
  if (!result.ok || !Array.isArray(result.value)) return null;
  return result.value.find((account) => account.sandbox === true)?.baseUrl ?? null;
}

async function answers(address: string): Promise<boolean> {
  try {
    const response = await fetch(address, { signal: AbortSignal.timeout(2_000) });
    await response.body?.cancel();
    return true;
  } catch {
    return false;
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms).unref());
}

interface BootExpectations {
  /** Every request channel of the contract. */
  channels: readonly string[];
  /** The version in the packaged package.json, which `app.info` must report. */
  version: string;
  platform: string;
  exists?: (path: string) => boolean;
}

/** The problems a boot report shows, one line each. */
export function checkBoot(report: BootReport, expected: BootExpectations): string[] {
  const exists = expected.exists ?? existsSync;
  const problems: string[] = [];
  for (const dialog of report.dialogs) {
    problems.push(`the packaged app showed an error: ${dialog.title}: ${dialog.content}`);
  }
  if (!report.started) {
    // The error's own line when there is one (Node ends a crash with its version line).
    const lines = report.output.trim().split('\n');
    const lastLine = lines.findLast((line) => /Error\b/.test(line)) ?? lines.at(-1) ?? '';
    problems.push(
      `the packaged app opened no window${lastLine ? `; its last words: ${lastLine}` : ''}`,
    );
    return problems;
  }

  if (!report.sandbox.address) {
    problems.push('the embedded sandbox did not start: no sandbox account was added');
  } else if (!report.sandbox.answered) {
    problems.push(`the embedded sandbox at ${report.sandbox.address} did not answer`);
  }
  if (!report.userDataFiles.includes('settings.json')) {
    problems.push('the core wrote no settings.json in the fresh user-data folder');
  }

  if (report.windows.length !== 1) {
    problems.push(`the packaged app opened ${report.windows.length} windows, not one`);
  }
  const window = report.windows[0];
  if (window) problems.push(...checkWindow(window, report, expected.platform, exists));

  const privileged = report.privileged.find((entry) => entry.scheme === APP_SCHEME);
  if (!privileged?.privileges?.['standard'] || !privileged.privileges['secure']) {
    problems.push(`the ${APP_SCHEME}:// scheme was not registered as standard and secure`);
  }
  if (!report.protocols.includes(APP_SCHEME)) {
    problems.push(`no handler serves the ${APP_SCHEME}:// scheme`);
  }
  if (report.traversal?.status !== 404) {
    problems.push(
      `the ${APP_SCHEME}:// handler served a path outside the renderer folder (status ${report.traversal?.status})`,
    );
  }

  const registered = new Set(report.channels);
  for (const channel of expected.channels) {
    if (!registered.has(channel)) problems.push(`the channel ${channel} has no handler on ipcMain`);
  }
  const known = new Set(expected.channels);
  for (const channel of report.channels) {
    if (!known.has(channel)) problems.push(`ipcMain handles ${channel}, which the contract lacks`);
  }
  const info = report.appInfo as { ok?: boolean; value?: { name?: string; version?: string } };
  if (!info?.ok || info.value?.name !== 'ModDeck' || info.value.version !== expected.version) {
    problems.push(`app.info did not answer through ipcMain: ${JSON.stringify(report.appInfo)}`);
  }

  if (!report.exit) {
    problems.push('the process did not end by itself after quitting');
  } else if (report.exit.code !== 0) {
    problems.push(
      `the process ended with ${report.exit.signal ?? `code ${report.exit.code}`} after quitting`,
    );
  }
  if (report.sandbox.answeredAfterQuit) {
    problems.push('the embedded sandbox still answered after quitting');
  }
  return problems;
}

function checkWindow(
  window: BootReport['windows'][number],
  report: BootReport,
  platform: string,
  exists: (path: string) => boolean,
): string[] {
  const problems: string[] = [];
  const preferences = window.webPreferences ?? {};
  for (const [name, wanted] of Object.entries(HARDENED_WEB_PREFERENCES)) {
    if (preferences[name] !== wanted) {
      problems.push(
        `the window's webPreferences.${name} is ${String(preferences[name])}; it must be ${String(wanted)}`,
      );
    }
  }
  const preload = join(report.appDir, 'out/preload/index.cjs');
  if (preferences['preload'] !== preload) {
    problems.push(`the window's preload is ${String(preferences['preload'])}, not ${preload}`);
  } else if (!exists(preload)) {
    problems.push(`the window's preload ${preload} does not exist in the package`);
  }
  if (window.loadedUrl !== APP_PAGE_URL) {
    problems.push(`the window loaded ${window.loadedUrl}, not ${APP_PAGE_URL}`);
  }
  const rendererPage = join(report.appDir, 'out/renderer/index.html');
  if (!exists(rendererPage)) {
    problems.push(`the renderer page ${rendererPage} does not exist in the package`);
  } else if (report.page?.status !== 200 || !report.page.contentType?.startsWith('text/html')) {
    problems.push(
      `the window's page did not load through ${APP_SCHEME}:// (status ${report.page?.status})`,
    );
  } else if (!report.page.body.includes('Content-Security-Policy')) {
    problems.push("the window's page has no Content-Security-Policy");
  }
  if (platform === 'linux') {
    if (!window.icon) problems.push('the window has no icon on Linux');
    else if (!exists(window.icon))
      problems.push(`the window's icon ${window.icon} is not packaged`);
  }
  return problems;
}
