/** The OS keychain through keytar: one entry per account under the service name `ModDeck`. */
import { AppError, ErrorCode } from '../../shared/errors';
import type { SecretStoreStatus } from '../../shared/model';
import type { SecretStore } from '../services/accounts/secrets';

/** The part of keytar this store uses; the real module is passed in by the entry point. */
export interface KeytarLike {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
  findCredentials(service: string): Promise<Array<{ account: string; password: string }>>;
}

export const KEYCHAIN_SERVICE = 'ModDeck';

export class KeytarSecretStore implements SecretStore {
  readonly status: SecretStoreStatus = { kind: 'keychain' };

  constructor(
    private readonly keytar: KeytarLike,
    private readonly service: string = KEYCHAIN_SERVICE,
  ) {}

  get(accountId: string): Promise<string | null> {
    return this.call('read', () => this.keytar.getPassword(this.service, accountId));
  }

  set(accountId: string, secret: string): Promise<void> {
    return this.call('save', () => this.keytar.setPassword(this.service, accountId, secret));
  }

  delete(accountId: string): Promise<boolean> {
    return this.call('delete', () => this.keytar.deletePassword(this.service, accountId));
  }

  async list(): Promise<string[]> {
    const credentials = await this.call('list', () => this.keytar.findCredentials(this.service));
    return credentials.map((credential) => credential.account);
  }

  private async call<T>(action: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      // keytar's messages name the keychain's problem (locked, no D-Bus), never the secret.
      const reason = error instanceof Error ? error.message : String(error);
      throw new AppError(
        ErrorCode.KeychainUnavailable,
        `The OS keychain could not ${action} the secret: ${reason}`,
        { cause: error },
      );
    }
  }
}
