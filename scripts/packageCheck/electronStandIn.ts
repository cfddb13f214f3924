/**
 * The `electron` module for booting the packaged main process under plain Node: the test stub
 * (test/stubs/electron.ts), told it runs packaged, and driven over the IPC channel of the Node
 * process that package:check spawns. package:check bundles this file into one ES module at
 * `node_modules/electron/index.js` of the extracted app, where the packaged main resolves
 * `electron`.
 *
 * The parent sends `{ id, kind, ... }` requests and gets `{ id, value }` or `{ id, error }` back;
 * the stand-in sends `{ kind: 'loaded' }` once the window loads its page, `{ kind: 'dialog' }`
 * for an error box, and disconnects once the app has quit, so the process can end by itself.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as stub from '../../test/stubs/electron';

export * from '../../test/stubs/electron';
export default stub.default;

type Request =
  | { id: number; kind: 'state' }
  | { id: number; kind: 'invoke'; channel: string; input?: unknown }
  | { id: number; kind: 'fetch'; url: string }
  | { id: number; kind: 'quit' };

function send(message: unknown): void {
  if (process.connected) process.send?.(message);
}

const env = process.env;
stub.app.isPackaged = true;
stub.app.appPath = env['MODDECK_STANDIN_APP_PATH'] ?? process.cwd();
stub.app.paths.set('userData', env['MODDECK_STANDIN_USER_DATA'] ?? '');
// As Electron answers when another instance holds the lock, or when it could not take it at all.
if (env['MODDECK_STANDIN_LOCK'] === 'refused') stub.app.requestSingleInstanceLock = () => false;
// Electron answers getName and getVersion from the app's package.json.
const packageJson = JSON.parse(readFileSync(join(stub.app.appPath, 'package.json'), 'utf8')) as {
  productName?: string;
  name: string;
  version: string;
};
stub.app.getName = () => packageJson.productName ?? packageJson.name;
stub.app.getVersion = () => packageJson.version;

const prototype = stub.BrowserWindow.prototype;
const loadURL = Object.getOwnPropertyDescriptor(prototype, 'loadURL')?.value as (
  this: stub.BrowserWindow,
  url: string,
) => Promise<void>;
prototype.loadURL = function (this: stub.BrowserWindow, url: string) {
  const loaded = loadURL.call(this, url);
  send({ kind: 'loaded', url });
  return loaded;
};

const errors = stub.dialog.errors;
stub.dialog.showErrorBox = (title: string, content: string) => {
  errors.push({ title, content });
  send({ kind: 'dialog', title, content });
};

stub.app.quit = () => {
  const event = stub.fakeEvent();
  stub.app.emit('before-quit', event);
  if (event.defaultPrevented) return;
  for (const window of stub.BrowserWindow.getAllWindows()) window.destroy();
  stub.app.emit('will-quit', stub.fakeEvent());
  stub.app.emit('quit');
  send({ kind: 'quit' });
  process.disconnect?.();
};

stub.app.exit = (code = 0) => {
  send({ kind: 'exit', code });
  process.exit(code);
};

function state() {
  return {
    windows: stub.BrowserWindow.instances.map((window) => ({
      webPreferences: window.options['webPreferences'],
      icon: window.options['icon'] ?? null,
      loadedUrl: window.loaded?.url ?? null,
      destroyed: window.isDestroyed(),
    })),
    channels: [...stub.ipcMain.handlers.keys()],
    privileged: stub.protocol.privileged,
    protocols: [...stub.protocol.handlers.keys()],
  };
}

/** Calls a channel's handler the way Electron would for a request from the app's window. */
function invoke(channel: string, input: unknown): Promise<unknown> {
  const handler = stub.ipcMain.handlers.get(channel);
  if (!handler) throw new Error(`no handler for ${channel}`);
  const window = stub.BrowserWindow.getAllWindows()[0];
  if (!window) throw new Error('no window is open');
  const event = {
    sender: window.webContents,
    senderFrame: { url: window.loaded?.url ?? '', parent: null },
  };
  return Promise.resolve(handler(event, input));
}

async function fetchThrough(url: string) {
  const handler = stub.protocol.handlers.get(new URL(url).protocol.replace(/:$/, ''));
  if (!handler) throw new Error(`no protocol handler for ${url}`);
  const response = await handler(new Request(url));
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    body: await response.text(),
  };
}

async function answer(request: Request): Promise<unknown> {
  switch (request.kind) {
    case 'state':
      return state();
    case 'invoke':
      return invoke(request.channel, request.input);
    case 'fetch':
      return fetchThrough(request.url);
    case 'quit':
      setImmediate(() => stub.app.quit());
      return null;
  }
}

process.on('message', (message: Request) => {
  answer(message).then(
    (value) => send({ id: message.id, value }),
    (error: unknown) => send({ id: message.id, error: String(error) }),
  );
});
