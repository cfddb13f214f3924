/**
 * One `ProviderAccount` per account, built on first use and rebuilt when the account's record
 * changes (an edited base URL or moderator must not keep using the old one). A provider reads the
 * secret for the record it was built from, so one built for an old address is refused the secret.
 */
import type { AccountRecord } from '../../shared/model';
import type { AccountsService } from '../services/accounts';
import type { ProviderAccount } from './types';

export type ProviderFactory = (
  record: AccountRecord,
  secret: () => Promise<string>,
) => ProviderAccount;

export class ProviderRegistry {
  private readonly cache = new Map<string, { record: AccountRecord; account: ProviderAccount }>();

  constructor(
    private readonly accounts: AccountsService,
    private readonly factory: ProviderFactory,
  ) {}

  get(accountId: string): ProviderAccount {
    const record = this.accounts.record(accountId);
    const cached = this.cache.get(accountId);
    if (cached && sameRecord(cached.record, record)) return cached.account;
    const account = this.factory(record, () => this.accounts.secretFor(record));
    this.cache.set(accountId, { record, account });
    return account;
  }

  /** True when the account's record differs from the one its provider was built with. */
  isStale(accountId: string): boolean {
    const cached = this.cache.get(accountId);
    if (!cached) return false;
    const current = this.accounts.records().find((record) => record.id === accountId);
    return !current || !sameRecord(cached.record, current);
  }

  forget(accountId: string): void {
    this.cache.delete(accountId);
  }
}

function sameRecord(a: AccountRecord, b: AccountRecord): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
