import type { IpcMainInvokeEvent } from 'electron';
import { beforeEach, describe, expect, it } from 'vitest';
import { bindIpc, createSenderCheck, isAppDocument } from '../../src/main/ipc';
import { silentLogger } from '../../src/main/logger';
import { REQUEST_CHANNELS } from '../../src/shared/contract';
import { buildTestCore } from '../support/core';
import { useTempDir } from '../support/tempDir';
import { ipcMain, resetElectronStub } from '../stubs/electron';

const APP_URL = 'app://moddeck/index.html';

function senderEvent(senderId: number, url: string, topFrame = true): IpcMainInvokeEvent {
  return {
    sender: { id: senderId },
    senderFrame: { url, parent: topFrame ? null : {} },
  } as unknown as IpcMainInvokeEvent;
}

async function bound() {
  const { core } = await buildTestCore(await useTempDir());
  bindIpc(
    ipcMain as unknown as Parameters<typeof bindIpc>[0],
    core.dispatch,
    createSenderCheck(() => 7, APP_URL),
    silentLogger,
  );
  return (channel: string, event: IpcMainInvokeEvent, input?: unknown) => {
    const handler = ipcMain.handlers.get(channel);
    if (!handler) throw new Error(`no handler for ${channel}`);
    return handler(event, input) as Promise<unknown>;
  };
}

describe('bindIpc', () => {
  beforeEach(resetElectronStub);

  it('registers exactly one handler per contract channel', async () => {
    await bound();
    expect([...ipcMain.handlers.keys()].sort()).toEqual([...REQUEST_CHANNELS].sort());
  });

  it('answers the app window', async () => {
    const call = await bound();
    const result = await call('settings.get', senderEvent(7, APP_URL));
    expect(result).toMatchObject({ ok: true, value: { theme: 'system' } });
  });

  it('refuses another webContents, a sub-frame and a page that navigated away', async () => {
    const call = await bound();
    const refused = { ok: false, error: { code: 'FORBIDDEN_SENDER' } };
    expect(await call('accounts.list', senderEvent(8, APP_URL))).toMatchObject(refused);
    expect(await call('accounts.list', senderEvent(7, APP_URL, false))).toMatchObject(refused);
    expect(await call('accounts.list', senderEvent(7, 'https://evil.example/'))).toMatchObject(
      refused,
    );
    expect(await call('accounts.list', senderEvent(7, 'file:///tmp/other.html'))).toMatchObject(
      refused,
    );
  });

  it('refuses a foreign sender before validating or running anything', async () => {
    const call = await bound();
    const result = await call('accounts.save', senderEvent(99, APP_URL), { not: 'valid' });
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
  });

  it('validates input arriving over IPC', async () => {
    const call = await bound();
    const result = await call('accounts.remove', senderEvent(7, APP_URL), { id: '../../etc' });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('matches the dev server and the app scheme by scheme and host', () => {
    expect(isAppDocument('http://localhost:5173/#/deck', 'http://localhost:5173')).toBe(true);
    expect(isAppDocument('http://localhost:5174/', 'http://localhost:5173')).toBe(false);
    expect(isAppDocument(`${APP_URL}#settings`, APP_URL)).toBe(true);
    expect(isAppDocument('not a url', APP_URL)).toBe(false);
  });

  it('trusts no other custom-scheme page, though every such origin reads "null"', () => {
    expect(isAppDocument('app://elsewhere/index.html', APP_URL)).toBe(false);
    expect(isAppDocument('other://moddeck/index.html', APP_URL)).toBe(false);
    expect(isAppDocument('file:///opt/ModDeck/out/renderer/index.html', APP_URL)).toBe(false);
  });
});
