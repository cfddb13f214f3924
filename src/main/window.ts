/**
 * The app window, with the Electron security checklist applied: an isolated, sandboxed renderer
 * without Node, web security on, no navigation away from the app's own page, no new windows
 * (http/https links open in the system browser instead), and no background throttling, so live
 * feeds keep flowing while the window is hidden. A page whose renderer crashed (out of memory in a
 * raid, a GPU fault) is loaded again, and takes the deck back from main, where the feeds went on.
 */
import { BrowserWindow, shell, type Rectangle, type WebContents } from 'electron';
import { HARDENED_WEB_PREFERENCES } from './webPreferences';

export interface MainWindowOptions {
  preloadPath: string;
  /** The dev server's URL, or the bundled `index.html` served on the app's own scheme. */
  pageUrl: string;
  /** Bounds saved at the last close, if any. */
  savedBounds: Rectangle | null;
  /** Work areas of the connected displays (from `screen`), to keep the window on one of them. */
  workAreas: Rectangle[];
  onBoundsChanged: (bounds: Rectangle) => void;
  /** Told when the page's renderer is gone, and whether the page is loaded again. */
  onRendererGone?: (reason: string, reloading: boolean) => void;
  /** The clock the crashes are counted on (tests). */
  now?: () => number;
  /** The window's icon (Linux takes it from here; macOS and Windows from the executable). */
  icon?: string;
}

export const DEFAULT_BOUNDS = { width: 1400, height: 900 } as const;

/**
 * Crashes of the page's renderer within {@link CRASH_WINDOW_MS} after which it is no longer loaded
 * again: a page that crashes as it loads would otherwise take a core, over and over.
 */
export const RELOADS_AT_MOST = 3;
export const CRASH_WINDOW_MS = 60_000;
const MIN_VISIBLE = 100;

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const bounds = ensureBoundsVisible(options.savedBounds, options.workAreas);
  const window = new BrowserWindow({
    ...bounds,
    minWidth: 640,
    minHeight: 400,
    show: false,
    title: 'ModDeck',
    backgroundColor: '#111418',
    ...(options.icon ? { icon: options.icon } : {}),
    webPreferences: {
      preload: options.preloadPath,
      ...HARDENED_WEB_PREFERENCES,
      navigateOnDragDrop: false,
      spellcheck: false,
      backgroundThrottling: false,
    },
  });

  hardenWebContents(window.webContents, options.pageUrl, (url) => void shell.openExternal(url));

  const saveBounds = (): void => {
    if (!window.isDestroyed() && !window.isMinimized() && !window.isFullScreen()) {
      options.onBoundsChanged(window.getBounds());
    }
  };
  window.on('resize', saveBounds);
  window.on('move', saveBounds);
  window.on('close', saveBounds);
  window.once('ready-to-show', () => window.show());
  reloadAfterCrashes(window, options);

  void window.loadURL(options.pageUrl);
  return window;
}

/** Loads the page again when its renderer is gone, up to {@link RELOADS_AT_MOST} times a minute. */
function reloadAfterCrashes(window: BrowserWindow, options: MainWindowOptions): void {
  const now = options.now ?? Date.now;
  const crashes: number[] = [];
  window.webContents.on('render-process-gone', (_event, details: { reason: string }) => {
    if (details.reason === 'clean-exit' || window.isDestroyed()) return;
    const at = now();
    while (crashes.length > 0 && at - (crashes[0] ?? at) >= CRASH_WINDOW_MS) crashes.shift();
    const reloading = crashes.length < RELOADS_AT_MOST;
    options.onRendererGone?.(details.reason, reloading);
    if (!reloading) return;
    crashes.push(at);
    void window.loadURL(options.pageUrl);
  });
}

/**
 * Denies every way the page could leave the app: navigation, redirects, new windows, webviews.
 * A link to an http(s) page opens in the system browser; anything else is dropped.
 */
export function hardenWebContents(
  contents: WebContents,
  appUrl: string,
  openExternal: (url: string) => void,
): void {
  contents.on('will-navigate', (event, url) => {
    if (isSameDocument(url, appUrl)) return;
    event.preventDefault();
    const external = externalUrl(url);
    if (external) openExternal(external);
  });
  contents.on('will-redirect', (event, url) => {
    if (!isSameDocument(url, appUrl)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    const external = externalUrl(url);
    if (external) openExternal(external);
    return { action: 'deny' };
  });
}

/** Returns the URL when it is a plain http(s) link that may open in the system browser. */
export function externalUrl(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  if (url.username !== '' || url.password !== '') return null;
  return url.toString();
}

function isSameDocument(target: string, appUrl: string): boolean {
  try {
    const a = new URL(target);
    const b = new URL(appUrl);
    return a.protocol === b.protocol && a.host === b.host && a.pathname === b.pathname;
  } catch {
    return false;
  }
}

/**
 * Keeps saved bounds only when enough of the window would be visible on a connected display
 * (a monitor may have been unplugged since); otherwise centres a default-sized window.
 */
export function ensureBoundsVisible(
  saved: Rectangle | null,
  workAreas: Rectangle[],
): Partial<Rectangle> & { width: number; height: number } {
  if (!saved) return { ...DEFAULT_BOUNDS };
  const visible = workAreas.some((area) => {
    const width = Math.min(saved.x + saved.width, area.x + area.width) - Math.max(saved.x, area.x);
    const height =
      Math.min(saved.y + saved.height, area.y + area.height) - Math.max(saved.y, area.y);
    return width >= MIN_VISIBLE && height >= MIN_VISIBLE;
  });
  if (!visible) return { width: saved.width, height: saved.height };
  return { ...saved };
}
