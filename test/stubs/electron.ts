/**
 * Stands in for the `electron` module in tests (aliased in vitest.config.ts): the real package
 * downloads its binary on first load, which cannot work on these machines. Each fake records what
 * the code under test asked of it, so tests can assert on it; `resetElectronStub()` clears it all.
 */
import { EventEmitter } from 'node:events';

type Listener = (...args: unknown[]) => void;

export interface FakeEvent {
  defaultPrevented: boolean;
  preventDefault(): void;
}

export function fakeEvent(): FakeEvent {
  return {
    defaultPrevented: false,
    preventDefault() {
      this.defaultPrevented = true;
    },
  };
}

let nextWebContentsId = 1;

export class FakeWebContents extends EventEmitter {
  readonly id = nextWebContentsId++;
  windowOpenHandler: ((details: { url: string }) => { action: 'allow' | 'deny' }) | null = null;
  readonly sent: Array<{ channel: string; payload: unknown }> = [];

  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'allow' | 'deny' }): void {
    this.windowOpenHandler = handler;
  }

  send(channel: string, payload: unknown): void {
    this.sent.push({ channel, payload });
  }

  /** Emits an event the way Electron does, with a preventable event object first. */
  fire(name: string, ...args: unknown[]): FakeEvent {
    const event = fakeEvent();
    this.emit(name, event, ...args);
    return event;
  }
}

export class BrowserWindow extends EventEmitter {
  static readonly instances: BrowserWindow[] = [];
  readonly options: Record<string, unknown>;
  readonly webContents = new FakeWebContents();
  loaded: { url?: string; file?: string } | null = null;
  private destroyed = false;
  private bounds: { x: number; y: number; width: number; height: number };

  constructor(options: Record<string, unknown> = {}) {
    super();
    this.options = options;
    this.bounds = {
      x: typeof options.x === 'number' ? options.x : 0,
      y: typeof options.y === 'number' ? options.y : 0,
      width: typeof options.width === 'number' ? options.width : 800,
      height: typeof options.height === 'number' ? options.height : 600,
    };
    BrowserWindow.instances.push(this);
  }

  static getAllWindows(): BrowserWindow[] {
    return BrowserWindow.instances.filter((window) => !window.destroyed);
  }

  /** Every URL loaded, in order. */
  readonly loads: string[] = [];

  loadURL(url: string): Promise<void> {
    this.loaded = { url };
    this.loads.push(url);
    return Promise.resolve();
  }

  loadFile(file: string): Promise<void> {
    this.loaded = { file };
    return Promise.resolve();
  }

  getBounds(): { x: number; y: number; width: number; height: number } {
    return { ...this.bounds };
  }

  setBounds(bounds: Partial<{ x: number; y: number; width: number; height: number }>): void {
    this.bounds = { ...this.bounds, ...bounds };
    this.emit('resize');
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  destroy(): void {
    this.destroyed = true;
    this.emit('closed');
  }

  isMinimized(): boolean {
    return false;
  }

  isFullScreen(): boolean {
    return false;
  }

  show(): void {}
  focus(): void {}
  restore(): void {}
}

type Handler = (event: unknown, ...args: unknown[]) => unknown;

export const ipcMain = {
  handlers: new Map<string, Handler>(),
  handle(channel: string, handler: Handler): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, handler);
  },
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  },
};

class FakeIpcRenderer extends EventEmitter {
  readonly invoked: Array<{ channel: string; input: unknown }> = [];
  answer: (channel: string, input: unknown) => unknown = () => ({ ok: true, value: null });

  invoke(channel: string, input: unknown): Promise<unknown> {
    this.invoked.push({ channel, input });
    return Promise.resolve(this.answer(channel, input));
  }
}

export const ipcRenderer = new FakeIpcRenderer();

export const contextBridge = {
  exposed: new Map<string, unknown>(),
  exposeInMainWorld(key: string, api: unknown): void {
    this.exposed.set(key, api);
  },
};

export const shell = {
  opened: [] as string[],
  openExternal(url: string): Promise<void> {
    this.opened.push(url);
    return Promise.resolve();
  },
};

/** Reversible "encryption" that still changes the bytes, so a test can see it was applied. */
export const safeStorage = {
  available: true,
  backend: 'gnome_libsecret',
  isEncryptionAvailable(): boolean {
    return this.available;
  },
  getSelectedStorageBackend(): string {
    return this.backend;
  },
  encryptString(text: string): Buffer {
    return Buffer.from(Buffer.from(`sealed:${text}`, 'utf8').map((byte) => byte ^ 0x5a));
  },
  decryptString(data: Buffer): string {
    const text = Buffer.from(data.map((byte) => byte ^ 0x5a)).toString('utf8');
    if (!text.startsWith('sealed:')) throw new Error('not sealed by this stub');
    return text.slice('sealed:'.length);
  },
};

export class Notification extends EventEmitter {
  static readonly shown: Notification[] = [];
  static supported = true;
  readonly options: Record<string, unknown>;

  constructor(options: Record<string, unknown> = {}) {
    super();
    this.options = options;
  }

  static isSupported(): boolean {
    return Notification.supported;
  }

  show(): void {
    Notification.shown.push(this);
  }

  close(): void {
    this.emit('close');
  }
}

/** Records `registerSchemesAsPrivileged` and the handler each scheme was given. */
export const protocol = {
  privileged: [] as unknown[],
  handlers: new Map<string, (request: Request) => Promise<Response>>(),
  registerSchemesAsPrivileged(schemes: unknown[]): void {
    this.privileged.push(...schemes);
  },
  handle(scheme: string, handler: (request: Request) => Promise<Response>): void {
    if (this.handlers.has(scheme)) throw new Error(`second handler for ${scheme}`);
    this.handlers.set(scheme, handler);
  },
};

export const dialog = {
  errors: [] as Array<{ title: string; content: string }>,
  showErrorBox(title: string, content: string): void {
    this.errors.push({ title, content });
  },
};

const appEvents = new EventEmitter();
export const app = {
  isPackaged: false,
  appPath: '/opt/ModDeck/resources/app.asar',
  getAppPath(): string {
    return this.appPath;
  },
  paths: new Map<string, string>([['userData', '/tmp/moddeck-stub-user-data']]),
  getPath(name: string): string {
    const path = this.paths.get(name);
    if (!path) throw new Error(`no stub path for ${name}`);
    return path;
  },
  locale: 'en-US',
  getLocale(): string {
    return this.locale;
  },
  getName: () => 'ModDeck',
  getVersion: () => '0.0.0-test',
  whenReady: () => Promise.resolve(),
  requestSingleInstanceLock: () => true,
  on: (name: string, listener: Listener) => appEvents.on(name, listener),
  emit: (name: string, ...args: unknown[]) => appEvents.emit(name, ...args),
  quit(): void {},
  exit(_code?: number): void {},
  focus: () => undefined,
};

export const screen = {
  displays: [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }],
  getAllDisplays() {
    return this.displays;
  },
};

export const session = {
  defaultSession: {
    permissionHandler: null as unknown,
    setPermissionRequestHandler(handler: unknown): void {
      this.permissionHandler = handler;
    },
  },
};

export function resetElectronStub(): void {
  BrowserWindow.instances.length = 0;
  ipcMain.handlers.clear();
  ipcRenderer.removeAllListeners();
  ipcRenderer.invoked.length = 0;
  ipcRenderer.answer = () => ({ ok: true, value: null });
  contextBridge.exposed.clear();
  shell.opened.length = 0;
  safeStorage.available = true;
  safeStorage.backend = 'gnome_libsecret';
  Notification.shown.length = 0;
  Notification.supported = true;
  protocol.privileged.length = 0;
  protocol.handlers.clear();
  dialog.errors.length = 0;
}

export default {
  app,
  BrowserWindow,
  contextBridge,
  dialog,
  ipcMain,
  ipcRenderer,
  Notification,
  protocol,
  safeStorage,
  screen,
  session,
  shell,
};
