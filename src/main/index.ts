/**
 * The Electron entry: app lifecycle and wiring. It builds the Electron adapters, calls
 * `createCore`, opens the window and binds the handler table to IPC. Decisions live elsewhere.
 */
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Notification,
  safeStorage,
  screen,
  session,
} from 'electron';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSandbox, STARTER_FORBIDDEN_WORDS } from '../sandbox';
import { createElectronNotifier } from './adapters/electronNotifier';
import { appPaths } from './adapters/electronPaths';
import { KeytarSecretStore, type KeytarLike } from './adapters/keytarSecretStore';
import { SafeStorageSecretStore, safeStorageProblem } from './adapters/safeStorageSecretStore';
import { createCore, type Core } from './core';
import { bindIpc, createSenderCheck } from './ipc';
import { createLogger } from './logger';
import { installProcessGuard } from './processGuard';
import { Redactor } from './services/accounts/redactor';
import { describeStartFailure } from './startFailure';
import { chooseSecretStore } from './services/accounts/secrets';
import startMemoryWorker from './services/memory/worker?nodeWorker';
import { WindowStateStore } from './services/profile/windowState';
import { createMainWindow } from './window';

const here = fileURLToPath(new URL('.', import.meta.url));
const preloadPath = join(here, '../preload/index.cjs');
const rendererFile = join(here, '../renderer/index.html');
const devServerUrl = process.env['ELECTRON_RENDERER_URL'];

const redactor = new Redactor();
const log = createLogger((line) => process.stderr.write(`${line}\n`), redactor);
installProcessGuard({ log, exit: (code) => app.exit(code) });

let mainWindow: BrowserWindow | null = null;

async function loadKeytar(): Promise<KeytarLike> {
  const module = (await import('keytar')) as KeytarLike & { default?: KeytarLike };
  return module.default ?? module;
}

async function start(): Promise<void> {
  const paths = appPaths(app);
  const userDataDir = paths.userData;
  // The renderer needs no permission (camera, notifications, geolocation...): deny them all.
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, done) => done(false));

  const secretStore = await chooseSecretStore({
    keychain: async () => new KeytarSecretStore(await loadKeytar()),
    fallback: (problem) => {
      const unusable = safeStorageProblem(safeStorage, process.platform);
      if (unusable) {
        return Promise.resolve({
          unavailable: `No OS keychain answered (${problem}) and ${unusable.text}.`,
          cause: unusable.cause,
          detail: problem,
        });
      }
      return Promise.resolve(
        new SafeStorageSecretStore(safeStorage, join(userDataDir, 'secrets.json'), problem),
      );
    },
  });
  if (secretStore.status.kind !== 'keychain') {
    log.warn('secrets are not in the OS keychain', { reason: secretStore.status.reason });
  }

  const core: Core = await createCore({
    userDataDir,
    secretStore,
    redactor,
    log,
    app: { name: app.getName(), version: app.getVersion(), platform: process.platform },
    notifier: createElectronNotifier(Notification, () => {
      if (!mainWindow) return;
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.show();
      mainWindow.focus();
    }),
    systemLanguage: () => paths.locale,
    // Asked when a flag arrives, so main never acts on a focus it heard about late.
    windowFocused: () => mainWindow !== null && !mainWindow.isDestroyed() && mainWindow.isFocused(),
    sandbox: { start: () => startSandbox({ port: 0 }), forbiddenWords: STARTER_FORBIDDEN_WORDS },
    // electron-vite bundles the worker as its own file beside this one (out/main).
    memory: {
      startWorker: (data) => startMemoryWorker({ workerData: data }),
    },
  });
  await core.start();

  const appUrl = devServerUrl ?? `file://${rendererFile}`;
  bindIpc(
    ipcMain,
    core.dispatch,
    createSenderCheck(() => mainWindow?.webContents.id ?? null, appUrl),
    log,
  );

  const windowState = WindowStateStore.inFolder(userDataDir, log);
  const openWindow = async (): Promise<void> => {
    mainWindow = createMainWindow({
      preloadPath,
      page: devServerUrl ? { url: devServerUrl } : { file: rendererFile },
      savedBounds: await windowState.load(),
      workAreas: screen.getAllDisplays().map((display) => display.workArea),
      onBoundsChanged: (bounds) => windowState.save(bounds),
    });
    mainWindow.on('closed', () => {
      mainWindow = null;
    });
  };

  core.events.subscribe((event, payload) => {
    if (mainWindow && !mainWindow.isDestroyed()) mainWindow.webContents.send(event, payload);
  });

  await openWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) void openWindow();
  });
  app.on('before-quit', () => {
    void windowState.flush();
    void core.dispose();
  });
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (mainWindow) {
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.focus();
    }
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      let userDataDir: string | null = null;
      try {
        userDataDir = app.getPath('userData');
      } catch {
        // Named as unknown in the dialog.
      }
      log.error('ModDeck could not start', { error: String(error), userDataDir });
      const failure = describeStartFailure(error, userDataDir, app.getLocale());
      dialog.showErrorBox(redactor.redact(failure.title), redactor.redact(failure.content));
      app.exit(1);
    });
}
