import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type keytarModule from 'keytar';
import { KeytarSecretStore } from '../../src/main/adapters/keytarSecretStore';
import { shouldRun } from '../support/env';

type Keytar = typeof keytarModule;

/** keytar's native module, or why it did not load (not built for this machine). */
const loaded: Keytar | string = await import('keytar').then(
  (module) => module.default,
  (error: unknown) =>
    `keytar's native module did not load (${error instanceof Error ? error.message : String(error)})`,
);

/** Asks the real Secret Service for something harmless; returns the problem, or null. */
async function keychainProblem(): Promise<string | null> {
  if (typeof loaded === 'string') return loaded;
  const keytar = loaded;
  try {
    await Promise.race([
      keytar.findCredentials('ModDeck-probe'),
      new Promise((_, reject) => setTimeout(() => reject(new Error('no answer in 5 s')), 5000)),
    ]);
    return null;
  } catch (error) {
    return `no Secret Service reachable (${error instanceof Error ? error.message : String(error)})`;
  }
}

const problem = await keychainProblem();

describe.skipIf(!shouldRun('keychain', problem))(
  'KeytarSecretStore on a real Secret Service',
  () => {
    it('stores, reads, lists and deletes a secret', async () => {
      expect(problem, 'a Secret Service must be reachable').toBeNull();
      // A service name of its own, so a developer's real ModDeck entries are never touched.
      const store = new KeytarSecretStore(loaded as Keytar, `ModDeck-test-${randomUUID()}`);
      try {
        expect(await store.list()).toEqual([]);
        await store.set('acc_one', 'first-secret ✓ 비밀');
        await store.set('acc_two', 'second-secret');
        expect(await store.get('acc_one')).toBe('first-secret ✓ 비밀');
        expect((await store.list()).sort()).toEqual(['acc_one', 'acc_two']);

        await store.set('acc_one', 'replaced');
        expect(await store.get('acc_one')).toBe('replaced');

        expect(await store.delete('acc_one')).toBe(true);
        expect(await store.delete('acc_one')).toBe(false);
        expect(await store.get('acc_one')).toBeNull();
        expect(await store.list()).toEqual(['acc_two']);
      } finally {
        for (const account of await store.list()) await store.delete(account);
      }
    });
  },
);
