import { beforeEach, describe, expect, it } from 'vitest';
import {
  createMainWindow,
  CRASH_WINDOW_MS,
  DEFAULT_BOUNDS,
  ensureBoundsVisible,
  externalUrl,
} from '../../src/main/window';
import { HARDENED_WEB_PREFERENCES } from '../../src/main/webPreferences';
import { BrowserWindow, resetElectronStub, shell } from '../stubs/electron';

const PAGE_URL = 'app://moddeck/index.html';

function open(
  savedBounds: { x: number; y: number; width: number; height: number } | null = null,
  now: () => number = Date.now,
) {
  const saved: unknown[] = [];
  const gone: Array<[string, boolean]> = [];
  createMainWindow({
    preloadPath: '/opt/ModDeck/out/preload/index.cjs',
    pageUrl: PAGE_URL,
    savedBounds,
    workAreas: [{ x: 0, y: 0, width: 1920, height: 1080 }],
    onBoundsChanged: (bounds) => saved.push(bounds),
    onRendererGone: (reason, reloading) => gone.push([reason, reloading]),
    now,
  });
  const window = BrowserWindow.instances.at(-1);
  if (!window) throw new Error('no window was created');
  return { window, saved, gone };
}

describe('the main window', () => {
  beforeEach(resetElectronStub);

  it('is created with the Electron security checklist', () => {
    const { window } = open();
    const preferences = window.options.webPreferences as Record<string, unknown>;
    expect(preferences).toMatchObject({ ...HARDENED_WEB_PREFERENCES, backgroundThrottling: false });
    expect(preferences['preload']).toBe('/opt/ModDeck/out/preload/index.cjs');
    // The checklist's core, spelled out so that a weakened shared list fails here too.
    const core = ['contextIsolation', 'sandbox', 'nodeIntegration', 'webSecurity'];
    expect(core.map((name) => preferences[name])).toEqual([true, true, false, true]);
    expect(window.loaded).toEqual({ url: PAGE_URL });
  });

  it('prevents navigation to another origin and opens http links in the system browser', () => {
    const { window } = open();
    const navigation = window.webContents.fire('will-navigate', 'https://evil.example/phish');
    expect(navigation.defaultPrevented).toBe(true);
    expect(shell.opened).toEqual(['https://evil.example/phish']);
  });

  it('prevents navigation to other schemes without opening anything', () => {
    const { window } = open();
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'data:text/html,hi']) {
      expect(window.webContents.fire('will-navigate', url).defaultPrevented).toBe(true);
    }
    expect(shell.opened).toEqual([]);
  });

  it('lets the app page reload itself', () => {
    const { window } = open();
    const reload = window.webContents.fire('will-navigate', `${PAGE_URL}#deck`);
    expect(reload.defaultPrevented).toBe(false);
  });

  it('denies window.open, sending http(s) links to the system browser only', () => {
    const { window } = open();
    const handler = window.webContents.windowOpenHandler;
    if (!handler) throw new Error('no window open handler was set');
    expect(handler({ url: 'https://docs.example/help' })).toEqual({ action: 'deny' });
    expect(handler({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    expect(handler({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(shell.opened).toEqual(['https://docs.example/help']);
  });

  it('refuses to attach a webview', () => {
    const { window } = open();
    expect(window.webContents.fire('will-attach-webview', {}, {}).defaultPrevented).toBe(true);
  });

  it('loads the page again when its renderer crashes, at most three times a minute', () => {
    let time = 0;
    const { window, gone } = open(null, () => time);
    expect(window.loads).toEqual([PAGE_URL]);
    for (const reason of ['crashed', 'oom', 'killed']) {
      window.webContents.fire('render-process-gone', { reason, exitCode: 1 });
      time += 1000;
    }
    expect(window.loads).toHaveLength(4);
    // A fourth crash within the minute: a page that keeps crashing is not loaded again.
    window.webContents.fire('render-process-gone', { reason: 'crashed', exitCode: 1 });
    expect(window.loads).toHaveLength(4);
    // A minute after the first, it is again.
    time = CRASH_WINDOW_MS;
    window.webContents.fire('render-process-gone', { reason: 'oom', exitCode: 1 });
    expect(window.loads).toEqual(Array.from({ length: 5 }, () => PAGE_URL));
    expect(gone).toEqual([
      ['crashed', true],
      ['oom', true],
      ['killed', true],
      ['crashed', false],
      ['oom', true],
    ]);
    // A renderer that exited as asked is not a crash.
    window.webContents.fire('render-process-gone', { reason: 'clean-exit', exitCode: 0 });
    expect(window.loads).toHaveLength(5);
  });

  it('remembers its bounds when moved, resized or closed', () => {
    const { window, saved } = open({ x: 100, y: 80, width: 1200, height: 800 });
    expect(window.getBounds()).toEqual({ x: 100, y: 80, width: 1200, height: 800 });
    window.setBounds({ width: 1000 });
    expect(saved.at(-1)).toEqual({ x: 100, y: 80, width: 1000, height: 800 });
  });
});

describe('ensureBoundsVisible', () => {
  const display = [{ x: 0, y: 0, width: 1920, height: 1080 }];

  it('keeps bounds that are on a connected display', () => {
    const bounds = { x: 50, y: 50, width: 800, height: 600 };
    expect(ensureBoundsVisible(bounds, display)).toEqual(bounds);
  });

  it('drops the position of bounds left on a display that is gone', () => {
    expect(ensureBoundsVisible({ x: 3000, y: 50, width: 800, height: 600 }, display)).toEqual({
      width: 800,
      height: 600,
    });
  });

  it('uses the default size when nothing was saved', () => {
    expect(ensureBoundsVisible(null, display)).toEqual(DEFAULT_BOUNDS);
  });
});

describe('externalUrl', () => {
  it('accepts plain http and https links only', () => {
    expect(externalUrl('https://example.com/a?b=c')).toBe('https://example.com/a?b=c');
    expect(externalUrl('http://example.com/')).toBe('http://example.com/');
    expect(externalUrl('https://user:pass@example.com/')).toBeNull();
    expect(externalUrl('smb://share/x')).toBeNull();
    expect(externalUrl('not a url')).toBeNull();
  });
});
