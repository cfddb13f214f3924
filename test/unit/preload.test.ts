import { beforeAll, describe, expect, it } from 'vitest';
import { EVENT_NAMES, REQUEST_CHANNELS } from '../../src/shared/channels';
import { contextBridge, ipcRenderer, resetElectronStub } from '../stubs/electron';

interface ExposedBridge {
  invoke(channel: unknown, input?: unknown): Promise<unknown>;
  on(event: unknown, listener: unknown): () => void;
}

let bridge: ExposedBridge;

describe('the preload', () => {
  beforeAll(async () => {
    resetElectronStub();
    await import('../../src/preload/index');
    bridge = contextBridge.exposed.get('moderator') as ExposedBridge;
  });

  it('exposes exactly window.moderator, with only invoke and on', () => {
    expect([...contextBridge.exposed.keys()]).toEqual(['moderator']);
    expect(Object.keys(bridge).sort()).toEqual(['invoke', 'on']);
    expect(Object.isFrozen(bridge)).toBe(true);
  });

  it('forwards a contract channel to main', async () => {
    ipcRenderer.answer = (channel) => ({ ok: true, value: channel });
    const result = await bridge.invoke(REQUEST_CHANNELS[0], undefined);
    expect(result).toEqual({ ok: true, value: REQUEST_CHANNELS[0] });
    expect(ipcRenderer.invoked.at(-1)).toEqual({ channel: REQUEST_CHANNELS[0], input: undefined });
  });

  it('refuses a channel that is not in the contract without reaching main', async () => {
    const before = ipcRenderer.invoked.length;
    const result = await bridge.invoke('ELECTRON_BROWSER_REQUIRE', 'child_process');
    expect(result).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
    expect(ipcRenderer.invoked.length).toBe(before);
  });

  it('delivers contract events without the Electron event object, and unsubscribes', () => {
    const received: unknown[] = [];
    const stop = bridge.on(EVENT_NAMES[0], (...args: unknown[]) => received.push(args));
    ipcRenderer.emit(EVENT_NAMES[0], { sender: 'secret internals' }, { hello: 1 });
    stop();
    ipcRenderer.emit(EVENT_NAMES[0], {}, { hello: 2 });
    expect(received).toEqual([[{ hello: 1 }]]);
  });

  it('refuses to listen to events outside the contract', () => {
    expect(() => bridge.on('ipc-internal', () => undefined)).toThrow(/not a ModDeck event/);
    expect(() => bridge.on(EVENT_NAMES[0], 'not a function')).toThrow(/must be a function/);
  });
});
