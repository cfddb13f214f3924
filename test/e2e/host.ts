/**
 * The browser host: everything behind the Electron window, without Electron. It builds the same
 * core as `src/main/index.ts` (`createCore`), with browser-friendly adapters (secrets in memory,
 * notifications recorded, a temporary user-data folder, or with `--user-data DIR` a kept one and
 * the message history), serves the production renderer from
 * `out/renderer` and carries the IPC contract over one WebSocket. `npm run host -- --port 0 --seed 7`
 * prints one JSON line when ready and runs until SIGINT/SIGTERM.
 */
import { build as bundle } from 'esbuild';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { promisify } from 'node:util';
import { WebSocketServer, type WebSocket } from 'ws';
import { createCore, type Core, type CoreAdapters } from '../../src/main/core';
import { createLogger, silentLogger, type Logger } from '../../src/main/logger';
import { installProcessGuard } from '../../src/main/processGuard';
import type { StartedSandbox } from '../../src/main/services/embeddedSandbox';
import type { Notice, Notifier } from '../../src/main/services/notifications';
import { Redactor } from '../../src/main/services/accounts/redactor';
import { MemorySecretStore } from '../../src/main/services/accounts/secrets';
import { startSandbox, STARTER_FORBIDDEN_WORDS, type Sandbox } from '../../src/sandbox';
import type { Result } from '../../src/shared/contract';
import { ErrorCode } from '../../src/shared/errors';
import { startTestWorker } from '../support/memory';

const root = resolve(import.meta.dirname, '../..');
const rendererDir = join(root, 'out/renderer');

export interface HostOptions {
  port?: number;
  seed?: number;
  /** A sandbox that is already running (its JSON line); the host starts its own when absent. */
  sandbox?: SandboxInfo;
  /** Sandbox options when the host starts its own. */
  sandboxOptions?: Parameters<typeof startSandbox>[0];
  /** Files put in the fresh user-data folder before the core starts, by name (a damaged profile). */
  userData?: Record<string, string | Uint8Array>;
  /**
   * A user-data folder of the caller's, kept when the host closes, with the message history on
   * (`--user-data DIR`): a second host on the same folder finds the profile and the history the
   * first left. Absent: a temporary folder, removed at close, and no history.
   */
  userDataDir?: string;
  log?: Logger;
  /** What the core's HTTP client uses instead of its defaults (a benchmark's sender that times). */
  http?: CoreAdapters['http'];
  /** The core's redactor; give the one `log` redacts with, so its lines hide the same secrets. */
  redactor?: Redactor;
}

export type SandboxInfo = Omit<Sandbox, 'close'>;

export interface RecordedNotice {
  index: number;
  title: string;
  body: string;
  silent: boolean;
  at: number;
}

export interface Host {
  url: string;
  sandbox: SandboxInfo;
  notifications: string;
  /** The host's own temporary user-data folder. */
  userDataDir: string;
  core: Core;
  notices: RecordedNotice[];
  close(): Promise<void>;
}

/** WebSocket close codes (RFC 6455 §7.4.1): data that is not what the type says; a policy. */
const CLOSE_INVALID_DATA = 1007;
const CLOSE_POLICY = 1008;

function failed(message: string): Result<never> {
  return { ok: false, error: { code: ErrorCode.Internal, message } };
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/** The newest modification time of any file under these folders. */
async function newestChange(folders: string[]): Promise<number> {
  let newest = 0;
  for (const folder of folders) {
    for (const entry of await readdir(folder, { recursive: true, withFileTypes: true })) {
      if (entry.isFile())
        newest = Math.max(newest, (await stat(join(entry.parentPath, entry.name))).mtimeMs);
    }
  }
  return newest;
}

/** Builds the renderer if `out/renderer` is missing or older than its sources. */
async function ensureRenderer(): Promise<void> {
  const built = join(rendererDir, 'index.html');
  if (existsSync(built)) {
    const sources = await newestChange([join(root, 'src/renderer'), join(root, 'src/shared')]);
    if ((await stat(built)).mtimeMs >= sources) return;
  }
  await promisify(execFile)(
    process.execPath,
    [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'],
    {
      cwd: root,
    },
  );
}

async function bridgeScript(): Promise<string> {
  const result = await bundle({
    entryPoints: [join(import.meta.dirname, 'bridgeClient.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    target: 'es2022',
    platform: 'browser',
  });
  const file = result.outputFiles[0];
  if (!file) throw new Error('the bridge script did not build');
  return file.text;
}

export async function startHost(options: HostOptions = {}): Promise<Host> {
  await ensureRenderer();
  const [bridge, indexHtml] = await Promise.all([
    bridgeScript(),
    readFile(join(rendererDir, 'index.html'), 'utf8'),
  ]);
  // The only change to the production page: the bridge loads before the app's own script.
  const page = indexHtml.replace(
    '<script',
    '<script src="/__host/bridge.js"></script>\n    <script',
  );

  let sandbox: Sandbox | null = null;
  let sandboxInfo: SandboxInfo;
  if (options.sandbox) {
    sandboxInfo = options.sandbox;
  } else {
    sandbox = await startSandbox({
      port: 0,
      ...(options.seed === undefined ? {} : { seed: options.seed }),
      ...options.sandboxOptions,
    });
    const { close: _close, ...info } = sandbox;
    sandboxInfo = info;
  }

  const keptDir = options.userDataDir;
  if (keptDir !== undefined) await mkdir(keptDir, { recursive: true, mode: 0o700 });
  const userDataDir = keptDir ?? (await mkdtemp(join(tmpdir(), 'moddeck-host-')));
  for (const [name, content] of Object.entries(options.userData ?? {}))
    await writeFile(join(userDataDir, name), content);
  const notices: RecordedNotice[] = [];
  const clickable: Notice[] = [];
  const notifier: Notifier = {
    show(notice) {
      clickable.push(notice);
      notices.push({
        index: notices.length,
        title: notice.title,
        body: notice.body,
        silent: notice.silent,
        at: Date.now(),
      });
    },
  };
  const log = options.log ?? silentLogger;
  // Electron's main asks its BrowserWindow whether it has the focus; the host has no window to
  // ask, so each page says so whenever it changes (bridgeClient.ts), and a page that says nothing
  // is taken to be in the background.
  const focusOf = new Map<WebSocket, boolean>();
  const core = await createCore({
    userDataDir,
    secretStore: new MemorySecretStore(),
    redactor: options.redactor ?? new Redactor(),
    log,
    app: { name: 'ModDeck', version: 'host', platform: process.platform },
    notifier,
    systemLanguage: () => 'en-US',
    windowFocused: () => [...focusOf.values()].includes(true),
    ...(keptDir === undefined ? {} : { memory: { startWorker: startTestWorker } }),
    ...(options.http === undefined ? {} : { http: options.http }),
    sandbox: {
      // The host's sandbox lives as long as the host; the core must not close it.
      start: () =>
        Promise.resolve<StartedSandbox>({ ...sandboxInfo, close: () => Promise.resolve() }),
      forbiddenWords: STARTER_FORBIDDEN_WORDS,
    },
  });
  await core.start();

  const server = createServer((request, response) => {
    void serve(request, response).catch((error: unknown) => {
      log.error('host request failed', { error: String(error) });
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  });

  async function serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://host');
    if (url.pathname === '/' || url.pathname === '/index.html') {
      response.writeHead(200, { 'Content-Type': MIME['.html'], 'Cache-Control': 'no-store' });
      response.end(page);
      return;
    }
    if (url.pathname === '/__host/bridge.js') {
      response.writeHead(200, { 'Content-Type': MIME['.js'] });
      response.end(bridge);
      return;
    }
    if (url.pathname === '/__host/notifications' && request.method === 'GET') {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify(notices));
      return;
    }
    const click = /^\/__host\/notifications\/(\d+)\/click$/.exec(url.pathname);
    if (click && request.method === 'POST') {
      const notice = clickable[Number(click[1])];
      if (!notice) {
        response.writeHead(404).end();
        return;
      }
      notice.onClick();
      response.writeHead(204).end();
      return;
    }
    const file = normalize(join(rendererDir, decodeURIComponent(url.pathname)));
    if (!file.startsWith(rendererDir + '/') || !existsSync(file)) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'Content-Type': MIME[extname(file)] ?? 'application/octet-stream' });
    response.end(await readFile(file));
  }

  const sockets = new WebSocketServer({ noServer: true });
  server.on('upgrade', (request, socket, head) => {
    const origin = request.headers.origin;
    const address = server.address();
    const own = typeof address === 'object' && address ? `http://127.0.0.1:${address.port}` : '';
    // Like the preload's sender check: only the host's own page may talk to the core.
    if (request.url !== '/__host/bridge' || origin !== own) {
      socket.destroy();
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => connect(ws));
  });

  function connect(ws: WebSocket): void {
    const stop = core.events.subscribe((event, payload) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ event, payload }));
    });
    ws.on('message', (data: Buffer) => answer(ws, data));
    // A frame `ws` itself refuses (not UTF-8, too large) is an 'error' on the socket, which it
    // then closes; without a listener the error would end the process.
    ws.on('error', (error) => log.warn('host socket error', { error: error.message }));
    ws.on('close', () => {
      stop();
      focusOf.delete(ws);
    });
  }

  /**
   * Every frame with a numeric id gets a result envelope, whatever becomes of it; a frame
   * `{ focused }` says whether the page's window has the focus and gets no answer. A frame that
   * cannot be answered (not JSON, not an object, no numeric id) closes the socket with a code and
   * the reason: the page's bridge never sends one, so whatever sent it is not the page.
   */
  function answer(ws: WebSocket, data: Buffer): void {
    let message: unknown;
    try {
      message = JSON.parse(data.toString('utf8'));
    } catch {
      ws.close(CLOSE_INVALID_DATA, 'a frame must be JSON');
      return;
    }
    if (typeof message !== 'object' || message === null || Array.isArray(message)) {
      ws.close(CLOSE_POLICY, 'a frame must be a JSON object');
      return;
    }
    const { id, channel, input, focused } = message as Record<string, unknown>;
    if (id === undefined && channel === undefined && typeof focused === 'boolean') {
      focusOf.set(ws, focused);
      return;
    }
    if (typeof id !== 'number' || !Number.isFinite(id)) {
      ws.close(CLOSE_POLICY, 'a request needs a numeric id');
      return;
    }
    core
      .dispatch(channel, input)
      .catch((error: unknown): Result<never> => {
        log.error('host request failed', { error: String(error) });
        return failed('The host could not handle this request.');
      })
      .then((result) => reply(ws, id, result))
      .catch(() => ws.terminate());
  }

  function reply(ws: WebSocket, id: number, result: Result<unknown>): void {
    if (ws.readyState !== ws.OPEN) return;
    let text: string;
    try {
      text = JSON.stringify({ id, result });
    } catch {
      text = JSON.stringify({ id, result: failed('The answer could not be sent to the page.') });
    }
    ws.send(text);
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const url = `http://127.0.0.1:${port}/`;
  let closing: Promise<void> | undefined;
  return {
    url,
    sandbox: sandboxInfo,
    notifications: `${url}__host/notifications`,
    userDataDir,
    core,
    notices,
    // Once, however often it is asked: a test that restarts the host closes it before the end.
    close() {
      closing ??= (async () => {
        for (const client of sockets.clients) client.terminate();
        sockets.close();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await core.dispose();
        await sandbox?.close();
        if (keptDir === undefined) await rm(userDataDir, { recursive: true, force: true });
      })();
      return closing;
    },
  };
}

function option(argv: string[], name: string): string | undefined {
  const index = argv.indexOf(`--${name}`);
  return index === -1 ? undefined : argv[index + 1];
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const port = Number(option(argv, 'port') ?? 0);
  const seed = option(argv, 'seed');
  const sandboxJson = option(argv, 'sandbox');
  const userDataDir = option(argv, 'user-data');
  const redactor = new Redactor();
  const log = createLogger((line) => process.stderr.write(`${line}\n`), redactor, 'warn');
  installProcessGuard({ log, exit: (code) => process.exit(code) });
  const host = await startHost({
    port,
    ...(seed === undefined ? {} : { seed: Number(seed) }),
    ...(sandboxJson ? { sandbox: JSON.parse(sandboxJson) as SandboxInfo } : {}),
    ...(userDataDir === undefined ? {} : { userDataDir: resolve(userDataDir) }),
    log,
    redactor,
  });
  process.stdout.write(
    `${JSON.stringify({ url: host.url, sandbox: host.sandbox, notifications: host.notifications })}\n`,
  );
  const stop = (): void => {
    void host.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  main().catch((error: unknown) => {
    process.stderr.write(
      `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  });
}
