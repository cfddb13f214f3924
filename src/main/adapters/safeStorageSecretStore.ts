/**
 * The fallback when no OS keychain answers: secrets encrypted with Electron `safeStorage` (which
 * uses the platform's own key store) in `secrets.json` in the user-data folder, readable by the
 * user only. On Linux, `safeStorage` without a secret service falls back to a fixed key
 * ("basic_text"); that is no protection, so it is not offered as a fallback.
 */
import type { SafeStorage } from 'electron';
import { AppError, ErrorCode } from '../../shared/errors';
import type { SecretStoreCause, SecretStoreStatus } from '../../shared/model';
import { readJsonFile, writeJsonFile } from '../services/jsonFile';
import type { SecretStore } from '../services/accounts/secrets';

type SafeStorageLike = Pick<
  SafeStorage,
  'isEncryptionAvailable' | 'encryptString' | 'decryptString'
> & { getSelectedStorageBackend?: () => string };

/** Why `safeStorage` cannot be used, in words and as a code; null when it can. */
export function safeStorageProblem(
  safeStorage: SafeStorageLike,
  platform: string,
): { text: string; cause: Extract<SecretStoreCause, 'noEncryption' | 'fixedKey'> } | null {
  if (!safeStorage.isEncryptionAvailable())
    return { text: 'Electron safeStorage reports no encryption', cause: 'noEncryption' };
  if (platform === 'linux' && safeStorage.getSelectedStorageBackend?.() === 'basic_text') {
    return {
      text: 'Electron safeStorage has no key store on this Linux desktop (it would use a fixed key)',
      cause: 'fixedKey',
    };
  }
  return null;
}

export class SafeStorageSecretStore implements SecretStore {
  readonly status: SecretStoreStatus;

  constructor(
    private readonly safeStorage: SafeStorageLike,
    private readonly path: string,
    keychainProblem: string,
  ) {
    this.status = {
      kind: 'safeStorage',
      reason: `The OS keychain is not available (${keychainProblem}).`,
      cause: 'keychainUnavailable',
      detail: keychainProblem,
    };
  }

  async get(accountId: string): Promise<string | null> {
    const entries = await this.read();
    const sealed = entries[accountId];
    if (sealed === undefined) return null;
    try {
      return this.safeStorage.decryptString(Buffer.from(sealed, 'base64'));
    } catch (error) {
      throw new AppError(ErrorCode.KeychainUnavailable, 'A saved secret could not be decrypted.', {
        cause: error,
      });
    }
  }

  async set(accountId: string, secret: string): Promise<void> {
    const entries = await this.read();
    entries[accountId] = this.safeStorage.encryptString(secret).toString('base64');
    await writeJsonFile(this.path, entries, { mode: 0o600 });
  }

  async delete(accountId: string): Promise<boolean> {
    const entries = await this.read();
    if (!(accountId in entries)) return false;
    delete entries[accountId];
    await writeJsonFile(this.path, entries, { mode: 0o600 });
    return true;
  }

  async list(): Promise<string[]> {
    return Object.keys(await this.read());
  }

  private async read(): Promise<Record<string, string>> {
    const file = await readJsonFile(this.path);
    if (file.kind === 'missing') return {};
    if (file.kind === 'corrupt' || typeof file.value !== 'object' || file.value === null) {
      throw new AppError(ErrorCode.Storage, `The encrypted secrets file ${this.path} is damaged.`);
    }
    const entries: Record<string, string> = {};
    for (const [key, value] of Object.entries(file.value)) {
      if (typeof value === 'string') entries[key] = value;
    }
    return entries;
  }
}
