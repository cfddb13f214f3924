import { describe, expect, it } from 'vitest';
import { checkBoot, type BootReport } from '../../scripts/packageCheck/boot';
import { HARDENED_WEB_PREFERENCES } from '../../src/main/webPreferences';

const APP = '/tmp/moddeck-app';
const CHANNELS = ['app.info', 'messages.hide'];

function goodReport(): BootReport {
  return {
    appDir: APP,
    userDataDir: '/tmp/moddeck-user-data',
    started: true,
    output: '',
    dialogs: [],
    windows: [
      {
        webPreferences: { ...HARDENED_WEB_PREFERENCES, preload: `${APP}/out/preload/index.cjs` },
        icon: `${APP}/resources/icon.png`,
        loadedUrl: 'app://moddeck/index.html',
      },
    ],
    channels: [...CHANNELS],
    privileged: [{ scheme: 'app', privileges: { standard: true, secure: true } }],
    protocols: ['app'],
    appInfo: { ok: true, value: { name: 'ModDeck', version: '1.2.3' } },
    sandbox: { address: 'http://127.0.0.1:4000', answered: true, answeredAfterQuit: false },
    page: {
      status: 200,
      contentType: 'text/html; charset=utf-8',
      body: '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'">',
    },
    traversal: { status: 404 },
    userDataFiles: ['settings.json'],
    exit: { code: 0, signal: null, afterMs: 40 },
  };
}

function check(
  change: (report: BootReport) => void,
  exists: (path: string) => boolean = () => true,
) {
  const report = goodReport();
  change(report);
  return checkBoot(report, { channels: CHANNELS, platform: 'linux', version: '1.2.3', exists });
}

describe('judging a boot of the packaged app', () => {
  it('passes a boot that did everything', () => {
    expect(check(() => undefined)).toEqual([]);
  });

  it('names the crash when no window opened', () => {
    expect(
      check((report) => {
        report.started = false;
        report.output = "Error [ERR_MODULE_NOT_FOUND]: Cannot find package 'zustand'\nNode.js v20";
      }),
    ).toEqual([
      "the packaged app opened no window; its last words: Error [ERR_MODULE_NOT_FOUND]: Cannot find package 'zustand'",
    ]);
  });

  it('fails when the embedded sandbox or the core did not start', () => {
    expect(check((report) => (report.sandbox.address = null))).toEqual([
      'the embedded sandbox did not start: no sandbox account was added',
    ]);
    expect(check((report) => (report.userDataFiles = []))).toEqual([
      'the core wrote no settings.json in the fresh user-data folder',
    ]);
  });

  it('fails on a window without the hardened preferences, its preload or its page', () => {
    expect(
      check((report) => {
        const window = report.windows[0];
        if (window?.webPreferences) window.webPreferences['sandbox'] = false;
      }),
    ).toEqual(["the window's webPreferences.sandbox is false; it must be true"]);
    expect(
      check(
        () => undefined,
        (path) => !path.endsWith('index.cjs'),
      ),
    ).toEqual([`the window's preload ${APP}/out/preload/index.cjs does not exist in the package`]);
    expect(
      check(
        () => undefined,
        (path) => !path.endsWith('index.html'),
      ),
    ).toEqual([`the renderer page ${APP}/out/renderer/index.html does not exist in the package`]);
    expect(
      check((report) => {
        const window = report.windows[0];
        if (window) window.loadedUrl = `file://${APP}/out/renderer/index.html`;
      }),
    ).toEqual([
      `the window loaded file://${APP}/out/renderer/index.html, not app://moddeck/index.html`,
    ]);
    expect(check((report) => (report.windows[0]!.icon = null))).toEqual([
      'the window has no icon on Linux',
    ]);
  });

  it('fails when the app scheme serves a path outside the renderer folder', () => {
    expect(check((report) => (report.traversal = { status: 200 }))).toEqual([
      'the app:// handler served a path outside the renderer folder (status 200)',
    ]);
  });

  it('fails on a channel without a handler, or a handler without a channel', () => {
    expect(check((report) => (report.channels = ['app.info', 'debug.eval']))).toEqual([
      'the channel messages.hide has no handler on ipcMain',
      'ipcMain handles debug.eval, which the contract lacks',
    ]);
  });

  it('fails when app.info does not answer through ipcMain', () => {
    const answer = { ok: false, error: { code: 'FORBIDDEN_SENDER' } };
    expect(check((report) => (report.appInfo = answer))).toEqual([
      `app.info did not answer through ipcMain: ${JSON.stringify(answer)}`,
    ]);
  });

  it('fails when quitting leaves the process or the sandbox running', () => {
    expect(check((report) => (report.exit = null))).toEqual([
      'the process did not end by itself after quitting',
    ]);
    expect(check((report) => (report.sandbox.answeredAfterQuit = true))).toEqual([
      'the embedded sandbox still answered after quitting',
    ]);
    expect(check((report) => (report.exit = { code: 1, signal: null, afterMs: 5 }))).toEqual([
      'the process ended with code 1 after quitting',
    ]);
  });
});
