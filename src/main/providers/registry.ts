/**
 * Where main learns which provider serves an account: `createProvider` builds the provider's
 * `ProviderAccount` for a record (the one place that names each provider), and `ProviderRegistry`
 * keeps one per account, built on first use and rebuilt when the account's record changes (an
 * edited base URL or moderator must not keep using the old one). A provider reads the secret for
 * the record it was built from, so one built for an old address is refused the secret.
 */
import type { AccountRecord } from '../../shared/model';
import type { Clock } from '../clock';
import type { AccountsService } from '../services/accounts/accounts';
import type { Redactor } from '../services/accounts/redactor';
import { createFlipFlopAccount } from './flipflop/account';
import { FlipFlopRest } from './flipflop/rest';
import type { ReconnectPolicy } from './backoff';
import type { HttpDeps } from './http';
import type { ProviderAccount } from './types';
import { createVChatCloudAccount } from './vchatcloud/account';
import { VChatCloudRest } from './vchatcloud/rest';

/** Live-connection timing; tests shorten it, the app keeps the defaults. */
export interface LiveTiming {
  reconnect?: ReconnectPolicy;
  heartbeatMs?: number;
  /** How often a room opened while its chat was not open is asked again (`FeedDeps`). */
  closedRecheckMs?: number;
  /** Builds FlipFlop's Gossip WebSocket (the default: `ws` with the STOMP subprotocols). */
  gossipSocket?: (url: string) => unknown;
}

/** What every provider is built with, besides its record and secret. */
export interface ProviderContext {
  http: HttpDeps;
  clock: Clock;
  random: () => number;
  redactor: Redactor;
  live?: LiveTiming;
  /** Gossip's CONNECT login and passcode, when the account names a login (the live feed only). */
  gossipCredentials?: () => Promise<{ login: string; passcode: string } | null>;
}

/** The provider for one account record. */
export function createProvider(
  record: AccountRecord,
  secret: () => Promise<string>,
  context: ProviderContext,
): ProviderAccount {
  const { live } = context;
  const timing = {
    ...(live?.reconnect ? { reconnect: live.reconnect } : {}),
    ...(live?.heartbeatMs ? { heartbeatMs: live.heartbeatMs } : {}),
  };
  if (record.provider === 'flipflop') {
    const rest = new FlipFlopRest({
      baseUrl: record.baseUrl,
      appApiKey: record.appApiKey,
      secret,
      http: context.http,
      redactor: context.redactor,
      tokenSlot: `${record.id}/chat-token`,
    });
    return createFlipFlopAccount({
      record,
      rest,
      clock: context.clock,
      random: context.random,
      ...timing,
      ...(live?.gossipSocket ? { webSocketFactory: live.gossipSocket } : {}),
      ...(record.gossip?.virtualHost ? { virtualHost: record.gossip.virtualHost } : {}),
      ...(context.gossipCredentials ? { credentials: context.gossipCredentials } : {}),
    });
  }
  const rest = new VChatCloudRest({
    baseUrl: record.baseUrl,
    apiKey: secret,
    http: context.http,
    redactor: context.redactor,
    tokenSlot: `${record.id}/access-token`,
    now: () => context.clock.now(),
  });
  return createVChatCloudAccount({
    record,
    rest,
    clock: context.clock,
    random: context.random,
    ...timing,
  });
}

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

  /** Whether the account is still saved (it may have been removed while a call awaited). */
  has(accountId: string): boolean {
    return this.accounts.records().some((record) => record.id === accountId);
  }

  forget(accountId: string): void {
    this.cache.delete(accountId);
  }
}

function sameRecord(a: AccountRecord, b: AccountRecord): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
