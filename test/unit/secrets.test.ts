import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import {
  SafeStorageSecretStore,
  safeStorageProblem,
} from '../../src/main/adapters/safeStorageSecretStore';
import { KeytarSecretStore, type KeytarLike } from '../../src/main/adapters/keytarSecretStore';
import {
  CachedSecretStore,
  chooseSecretStore,
  MemorySecretStore,
} from '../../src/main/services/accounts/secrets';
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

describe('secrets kept in memory once read', () => {
  /** A keychain that counts its reads, and whose next read can be held until released. */
  function countingKeychain() {
    const passwords = new Map<string, string>();
    const keychain = {
      reads: 0,
      failNext: false,
      held: null as null | { release: () => void },
      getPassword(_service: string, account: string): Promise<string | null> {
        keychain.reads += 1;
        if (keychain.failNext) {
          keychain.failNext = false;
          return Promise.reject(new Error('The keychain is locked'));
        }
        const value = passwords.get(account) ?? null;
        if (keychain.held === null) return Promise.resolve(value);
        return new Promise((resolve) => {
          keychain.held = { release: () => resolve(value) };
        });
      },
      setPassword(_service: string, account: string, password: string): Promise<void> {
        passwords.set(account, password);
        return Promise.resolve();
      },
      deletePassword(_service: string, account: string): Promise<boolean> {
        return Promise.resolve(passwords.delete(account));
      },
      findCredentials: () =>
        Promise.resolve([...passwords].map(([account, password]) => ({ account, password }))),
    };
    return keychain;
  }

  it('asks the keychain once for many calls, together or one after another', async () => {
    const keychain = countingKeychain();
    await keychain.setPassword('ModDeck', 'acc', 'first secret');
    const store = new CachedSecretStore(new KeytarSecretStore(keychain));
    const together = await Promise.all(Array.from({ length: 50 }, () => store.get('acc')));
    expect(new Set(together)).toEqual(new Set(['first secret']));
    for (let call = 0; call < 1000; call += 1) expect(await store.get('acc')).toBe('first secret');
    expect(keychain.reads).toBe(1);
    expect(store.status).toEqual({ kind: 'keychain' });
  });

  it('uses a saved secret at once, and forgets a deleted one', async () => {
    const keychain = countingKeychain();
    const store = new CachedSecretStore(new KeytarSecretStore(keychain));
    await store.set('acc', 'first secret');
    expect(await store.get('acc')).toBe('first secret');
    await store.set('acc', 'second secret');
    expect(await store.get('acc')).toBe('second secret');
    expect(keychain.reads).toBe(0);
    expect(await store.delete('acc')).toBe(true);
    expect(await store.get('acc')).toBeNull();
    expect(keychain.reads).toBe(1);
  });

  it('does not keep a secret a read brought back after it was replaced', async () => {
    const keychain = countingKeychain();
    await keychain.setPassword('ModDeck', 'acc', 'old secret');
    const store = new CachedSecretStore(new KeytarSecretStore(keychain));
    keychain.held = { release: () => undefined };
    const reading = store.get('acc');
    await store.set('acc', 'new secret');
    keychain.held.release();
    keychain.held = null;
    // The call that began before the save gets what the keychain said then; every later one the
    // new secret.
    expect(await reading).toBe('old secret');
    expect(await store.get('acc')).toBe('new secret');
    expect(await store.get('acc')).toBe('new secret');
  });

  it('asks again after a failed read or a missing secret', async () => {
    const keychain = countingKeychain();
    const store = new CachedSecretStore(new KeytarSecretStore(keychain));
    expect(await store.get('acc')).toBeNull();
    await keychain.setPassword('ModDeck', 'acc', 'added elsewhere');
    keychain.failNext = true;
    await expect(store.get('acc')).rejects.toThrow(
      /could not read the secret: The keychain is locked/,
    );
    expect(await store.get('acc')).toBe('added elsewhere');
    expect(keychain.reads).toBe(3);
  });
});
