/**
 * Where account secrets live. The OS keychain (keytar) is the store; Electron `safeStorage` is
 * the fallback only when no keychain answers; when neither works the app refuses to store a
 * secret and says why. Implementations that touch keytar or Electron are in `../adapters`.
 */
import { AppError, ErrorCode } from '../../../shared/errors';
import type { SecretStoreCause, SecretStoreStatus } from '../../../shared/model';

export interface SecretStore {
  readonly status: SecretStoreStatus;
  get(accountId: string): Promise<string | null>;
  set(accountId: string, secret: string): Promise<void>;
  /** Resolves true when a secret was removed, false when there was none. */
  delete(accountId: string): Promise<boolean>;
  /** The account ids that have a secret. */
  list(): Promise<string[]>;
}

/** Keeps secrets in memory only: for the browser test host and tests. */
export class MemorySecretStore implements SecretStore {
  readonly status: SecretStoreStatus = {
    kind: 'memory',
    reason: 'ModDeck runs without an OS keychain here (the browser host or a test).',
    cause: 'noKeychainHere',
  };
  private readonly secrets = new Map<string, string>();

  get(accountId: string): Promise<string | null> {
    return Promise.resolve(this.secrets.get(accountId) ?? null);
  }

  set(accountId: string, secret: string): Promise<void> {
    this.secrets.set(accountId, secret);
    return Promise.resolve();
  }

  delete(accountId: string): Promise<boolean> {
    return Promise.resolve(this.secrets.delete(accountId));
  }

  list(): Promise<string[]> {
    return Promise.resolve([...this.secrets.keys()]);
  }
}

/**
 * A store's secrets kept in main's memory once read, so that a REST call does not ask the OS
 * keychain each time: a call reads its account's secret (so a replaced one takes effect at once),
 * and a raid's thousand hides a second were as many keychain reads, each a round trip to the
 * keychain's own process (on Linux over D-Bus). Main holds the secrets it has read anyway (the
 * redactor masks them in logs and errors). Saving or deleting a secret through this store replaces
 * or forgets what it keeps at once; a read that was under way meanwhile does not bring the old one
 * back. Failed reads and missing secrets are not kept: the next call asks the keychain again.
 */
export class CachedSecretStore implements SecretStore {
  private readonly kept = new Map<string, string>();
  /** Reads under way, so that calls made together ask the keychain once. */
  private readonly reading = new Map<string, Promise<string | null>>();
  /** Bumped by each save or delete of an account's secret: a read begun before is not kept. */
  private readonly changes = new Map<string, number>();

  constructor(private readonly store: SecretStore) {}

  get status(): SecretStoreStatus {
    return this.store.status;
  }

  get(accountId: string): Promise<string | null> {
    const kept = this.kept.get(accountId);
    if (kept !== undefined) return Promise.resolve(kept);
    const under = this.reading.get(accountId);
    if (under) return under;
    const change = this.changes.get(accountId) ?? 0;
    const read = this.store.get(accountId).then(
      (secret) => {
        if (this.reading.get(accountId) === read) this.reading.delete(accountId);
        if (secret !== null && (this.changes.get(accountId) ?? 0) === change) {
          this.kept.set(accountId, secret);
        }
        return secret;
      },
      (error: unknown) => {
        if (this.reading.get(accountId) === read) this.reading.delete(accountId);
        throw error;
      },
    );
    this.reading.set(accountId, read);
    return read;
  }

  async set(accountId: string, secret: string): Promise<void> {
    this.changed(accountId);
    await this.store.set(accountId, secret);
    this.changed(accountId);
    this.kept.set(accountId, secret);
  }

  async delete(accountId: string): Promise<boolean> {
    this.changed(accountId);
    try {
      return await this.store.delete(accountId);
    } finally {
      this.changed(accountId);
    }
  }

  list(): Promise<string[]> {
    return this.store.list();
  }

  /** Forgets the account's secret and any read under way, before and after a save or delete. */
  private changed(accountId: string): void {
    this.kept.delete(accountId);
    this.reading.delete(accountId);
    this.changes.set(accountId, (this.changes.get(accountId) ?? 0) + 1);
  }
}

/** Used when nothing can keep a secret safely: reads find nothing, writes are refused. */
export class UnavailableSecretStore implements SecretStore {
  readonly status: SecretStoreStatus;

  constructor(reason: string, why: { cause?: SecretStoreCause; detail?: string } = {}) {
    this.status = { kind: 'unavailable', reason, ...why };
  }

  get(): Promise<string | null> {
    return Promise.resolve(null);
  }

  set(): Promise<void> {
    return Promise.reject(
      new AppError(
        ErrorCode.KeychainUnavailable,
        `The secret was not saved: ${this.status.reason ?? 'no keychain is available'}`,
      ),
    );
  }

  delete(): Promise<boolean> {
    return Promise.resolve(false);
  }

  list(): Promise<string[]> {
    return Promise.resolve([]);
  }
}

/** Why no store can keep a secret: in words, and as a code with the keychain's own words. */
export interface Unavailable {
  unavailable: string;
  cause?: SecretStoreCause;
  detail?: string;
}

export interface SecretStoreCandidates {
  /** Builds the OS keychain store; it is probed with `list()` before it is chosen. */
  keychain: () => Promise<SecretStore>;
  /** Builds the fallback, or explains why there is none. */
  fallback: (keychainProblem: string) => Promise<SecretStore | Unavailable>;
  probeTimeoutMs?: number;
}

/** Picks the OS keychain when it answers, else the fallback, else a store that refuses. */
export async function chooseSecretStore(candidates: SecretStoreCandidates): Promise<SecretStore> {
  let problem: string;
  try {
    const keychain = await candidates.keychain();
    await withTimeout(keychain.list(), candidates.probeTimeoutMs ?? 5000);
    return keychain;
  } catch (error) {
    problem = error instanceof Error ? error.message : String(error);
  }
  const fallback = await candidates.fallback(problem);
  if ('unavailable' in fallback) {
    const { unavailable, ...why } = fallback;
    return new UnavailableSecretStore(unavailable, why);
  }
  return fallback;
}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the OS keychain did not answer within ${timeoutMs / 1000} s`)),
      timeoutMs,
    );
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
