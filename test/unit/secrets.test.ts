import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import {
  SafeStorageSecretStore,
  safeStorageProblem,
} from '../../src/main/adapters/safeStorageSecretStore';
import { KeytarSecretStore, type KeytarLike } from '../../src/main/adapters/keytarSecretStore';
import { chooseSecretStore, MemorySecretStore } from '../../src/main/services/accounts/secrets';
import { useTempDir } from '../support/tempDir';
import { safeStorage } from '../stubs/electron';

const brokenKeytar: KeytarLike = {
  getPassword: () => Promise.reject(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY')),
  setPassword: () => Promise.reject(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY')),
  deletePassword: () => Promise.reject(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY')),
  findCredentials: () => Promise.reject(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY')),
};

describe('choosing a secret store', () => {
  it('uses the OS keychain when it answers', async () => {
    const keychain = new MemorySecretStore();
    const chosen = await chooseSecretStore({
      keychain: () => Promise.resolve(keychain),
      fallback: () => Promise.reject(new Error('must not be asked')),
    });
    expect(chosen).toBe(keychain);
  });

  it('falls back to safeStorage when the keychain fails, and says why', async () => {
    const dir = await useTempDir();
    const chosen = await chooseSecretStore({
      keychain: () => Promise.resolve(new KeytarSecretStore(brokenKeytar)),
      fallback: (problem) =>
        Promise.resolve(
          new SafeStorageSecretStore(safeStorage, join(dir, 'secrets.json'), problem),
        ),
    });
    expect(chosen.status.kind).toBe('safeStorage');
    expect(chosen.status.reason).toContain('Cannot autolaunch D-Bus');
    expect(chosen.status.cause).toBe('keychainUnavailable');
    expect(chosen.status.detail).toContain('Cannot autolaunch D-Bus');
  });

  it('falls back when the keychain never answers', async () => {
    const dir = await useTempDir();
    const silent: KeytarLike = { ...brokenKeytar, findCredentials: () => new Promise(() => {}) };
    const chosen = await chooseSecretStore({
      keychain: () => Promise.resolve(new KeytarSecretStore(silent)),
      fallback: (problem) =>
        Promise.resolve(new SafeStorageSecretStore(safeStorage, join(dir, 's.json'), problem)),
      probeTimeoutMs: 50,
    });
    expect(chosen.status.reason).toContain('did not answer');
  });

  it('refuses to store secrets when neither works', async () => {
    const chosen = await chooseSecretStore({
      keychain: () => Promise.reject(new Error('keytar failed to load')),
      fallback: (problem) =>
        Promise.resolve({
          unavailable: `nothing works (${problem})`,
          cause: 'noEncryption',
          detail: problem,
        }),
    });
    expect(chosen.status).toEqual({
      kind: 'unavailable',
      reason: 'nothing works (keytar failed to load)',
      cause: 'noEncryption',
      detail: 'keytar failed to load',
    });
    await expect(chosen.set('acc', 'secret')).rejects.toMatchObject({
      code: 'KEYCHAIN_UNAVAILABLE',
    });
  });
});

describe('the safeStorage fallback', () => {
  it('stores only ciphertext on disk and reads it back', async () => {
    const dir = await useTempDir();
    const path = join(dir, 'secrets.json');
    const store = new SafeStorageSecretStore(safeStorage, path, 'no keychain');
    await store.set('acc_1', 'plain-secret-value');
    expect(await store.get('acc_1')).toBe('plain-secret-value');
    expect(await store.list()).toEqual(['acc_1']);
    expect(await readFile(path, 'utf8')).not.toContain('plain-secret-value');
    expect(await store.delete('acc_1')).toBe(true);
    expect(await store.get('acc_1')).toBeNull();
  });

  it('is not offered on Linux when it would use a fixed key', () => {
    const basic = { ...safeStorage, getSelectedStorageBackend: () => 'basic_text' };
    expect(safeStorageProblem(basic, 'linux')).toEqual({
      text: expect.stringMatching(/fixed key/) as string,
      cause: 'fixedKey',
    });
    expect(safeStorageProblem(safeStorage, 'linux')).toBeNull();
    const none = { ...safeStorage, isEncryptionAvailable: () => false };
    expect(safeStorageProblem(none, 'darwin')).toEqual({
      text: expect.stringMatching(/no encryption/) as string,
      cause: 'noEncryption',
    });
  });
});
