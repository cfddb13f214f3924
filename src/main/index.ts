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
  protocol,
  safeStorage,
  screen,
  session,
} from 'electron';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import icon from '../../resources/icon.png?asset';
import { DEMO_SPAM, startSandbox, STARTER_FORBIDDEN_WORDS } from '../sandbox';
import { createElectronNotifier } from './adapters/electronNotifier';
import { appPaths } from './adapters/electronPaths';
import { KeytarSecretStore, type KeytarLike } from './adapters/keytarSecretStore';
import { SafeStorageSecretStore, safeStorageProblem } from './adapters/safeStorageSecretStore';
import {
  APP_SCHEME,
  APP_SCHEME_PRIVILEGES,
  createAppProtocolHandler,
  rendererPageUrl,
} from './appProtocol';
import { createCore, type Core } from './core';
import { bindIpc, createSenderCheck } from './ipc';
import { createLogger } from './logger';
import { keytarForElectron, sqliteBindingForElectron } from './nativeModules';
import { installProcessGuard } from './processGuard';
import { Redactor } from './services/accounts/redactor';
import { lockRefusal } from './singleInstance';
import { describeStartFailure } from './startFailure';
import { chooseSecretStore } from './services/accounts/secrets';
import startMemoryWorker from './services/memory/worker?nodeWorker';
import { WindowStateStore } from './services/profile/windowState';
import { createMainWindow } from './window';

const here = fileURLToPath(new URL('.', import.meta.url));
const preloadPath = join(here, '../preload/index.cjs');
const rendererDir = join(here, '../renderer');
// The dev server only from source: a packaged app ignores the variable, or anyone who can set it
// could load any page with the IPC bridge.
const pageUrl = rendererPageUrl(app.isPackaged, process.env['ELECTRON_RENDERER_URL']);
// Before `ready`, as Electron requires.
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);

const redactor = new Redactor();
const log = createLogger((line) => process.stderr.write(`${line}\n`), redactor);
installProcessGuard({ log, exit: (code) => app.exit(code) });

let mainWindow: BrowserWindow | null = null;

/**
 * The packaged app's keytar was rebuilt for Electron when it was packaged. From source,
 * node_modules holds keytar built for Node (the tests use it), so Electron loads the copy that
 * `npm start` builds for it beside (docs/packaging.md).
 */
async function loadKeytar(): Promise<KeytarLike> {
  if (!app.isPackaged) {
    return createRequire(import.meta.url)(keytarForElectron(app.getAppPath())) as KeytarLike;
  }
  const module = (await import('keytar')) as KeytarLike & { default?: KeytarLike };
  return module.default ?? module;
}

async function start(): Promise<void> {
  const paths = appPaths(app);
  const userDataDir = paths.userData;
  // The renderer needs no permission (camera, notifications, geolocation...): deny them all.
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, done) => done(false));
  protocol.handle(APP_SCHEME, createAppProtocolHandler(rendererDir));

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
    sandbox: {
      start: () => startSandbox({ port: 0, ...DEMO_SPAM }),
      forbiddenWords: STARTER_FORBIDDEN_WORDS,
    },
    // electron-vite bundles the worker as its own file beside this one (out/main). From source,
    // the worker loads better-sqlite3's copy built for Electron, as the entry does keytar's.
    memory: {
      startWorker: (data) =>
        startMemoryWorker({
          workerData: app.isPackaged
            ? data
            : { ...data, nativeBinding: sqliteBindingForElectron(app.getAppPath()) },
        }),
    },
  });
  await core.start();

  bindIpc(
    ipcMain,
    core.dispatch,
    createSenderCheck(() => mainWindow?.webContents.id ?? null, pageUrl),
    log,
  );

  const windowState = WindowStateStore.inFolder(userDataDir, log);
  const openWindow = async (): Promise<void> => {
    mainWindow = createMainWindow({
      preloadPath,
      pageUrl,
      // Linux takes the window's icon from here; macOS and Windows from the executable.
      ...(process.platform === 'linux' ? { icon } : {}),
      savedBounds: await windowState.load(),
      workAreas: screen.getAllDisplays().map((display) => display.workArea),
      onBoundsChanged: (bounds) => windowState.save(bounds),
      onRendererGone: (reason, reloading) =>
        log.error('the window’s renderer is gone', { reason, reloading }),
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
  // Electron quits right after `before-quit` unless it is prevented: hold the quit until the
  // window state is saved and the core has closed its connections, the sandbox and the audit log.
  let disposing: Promise<unknown> | null = null;
  let disposed = false;
  app.on('before-quit', (event) => {
    if (disposed) return;
    event.preventDefault();
    disposing ??= Promise.allSettled([windowState.flush(), core.dispose()]).then(() => {
      disposed = true;
      app.quit();
    });
  });
}

/** The native error dialog for a start that failed, then the end of the process. */
function showStartFailure(error: unknown): void {
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
}

if (!app.requestSingleInstanceLock()) {
  // Another ModDeck was told and shows its window, unless the lock failed in an unusable data
  // folder: then say so (after `ready`, or Linux prints the dialog to stderr only).
  void lockRefusal(app.getPath('userData')).then((problem) => {
    if (problem === null) app.quit();
    else void app.whenReady().then(() => showStartFailure(problem));
  });
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
  app.whenReady().then(start).catch(showStartFailure);
}
