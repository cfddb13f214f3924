/**
 * The embedded default: while the `embeddedSandbox` setting is on (it is on a fresh profile), main
 * starts the local sandbox on a free loopback port and keeps a "Sandbox" (FlipFlop) and a "Sandbox
 * VChatCloud" account pointing at it, so a first start shows live rooms of both providers. Their
 * secrets go through the secret store like any other. When the accounts are added, their open
 * rooms join the deck's columns (FlipFlop's first) and, on a profile without rules, the sandbox's
 * forbidden words become the starter list; on later starts the sandbox comes back on a new port and
 * the sandbox accounts follow it. With the setting off, the sandbox does not start and accounts it
 * left behind are removed with their columns. The setting takes effect at the next start; removing
 * the last sandbox account turns it off. `EmbeddedSandboxService` holds the running sandbox for the
 * core: starting it (a failure is a warning, not a failed start), the removal rule, closing it.
 */
import { createHash } from 'node:crypto';
import { MAX_COLUMNS, type AccountRecord, type Rule, type Settings } from '../../shared/model';
import type { Logger } from '../logger';
import type { ProviderRegistry } from '../providers/registry';
import type { AccountsService } from './accounts/accounts';
import type { SettingsService } from './profile/settings';
import type { WarningSink } from './warnings';

/** What the sandbox hands back when started (see `src/sandbox/index.ts`). */
export interface StartedSandbox {
  flipflop: {
    baseUrl: string;
    appApiKey: string;
    appApiSecret: string;
    moderator: { appUserId: string; appUserName: string };
  };
  /** Absent when the sandbox runs without VChatCloud (an older sandbox's description). */
  vchatcloud?: {
    baseUrl: string;
    apiKey: string;
    eventbusUrl: string;
    moderator: { clientKey: string; nickName: string };
  };
  close(): Promise<void>;
}

export interface EmbeddedSandboxDeps {
  accounts: AccountsService;
  settings: SettingsService;
  registry: ProviderRegistry;
  start: () => Promise<StartedSandbox>;
  forbiddenWords: readonly string[];
  log: Logger;
}

export const SANDBOX_ACCOUNT_NAME = 'Sandbox';
export const SANDBOX_VCHATCLOUD_ACCOUNT_NAME = 'Sandbox VChatCloud';
/** Columns opened per sandbox account on the first start. */
const STARTER_COLUMNS = 4;

/** Whether an account is one the embedded sandbox added. */
export function isSandboxAccount(record: AccountRecord): boolean {
  return record.sandbox === true;
}

export interface EmbeddedSandboxServiceDeps extends Omit<
  EmbeddedSandboxDeps,
  'start' | 'forbiddenWords'
> {
  warnings: WarningSink;
  /** How to start the sandbox, and its forbidden words (absent: the sandbox never runs). */
  sandbox?: { start: () => Promise<StartedSandbox>; forbiddenWords: readonly string[] };
}

export class EmbeddedSandboxService {
  private running: StartedSandbox | null = null;

  constructor(private readonly deps: EmbeddedSandboxServiceDeps) {}

  /** Starts the sandbox when it should run; a sandbox that cannot start is a warning. */
  async start(): Promise<void> {
    const { sandbox, log, warnings } = this.deps;
    if (!sandbox) return;
    try {
      this.running = await startEmbeddedSandbox({ ...this.deps, ...sandbox });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      warnings.set({
        id: 'sandbox',
        kind: 'sandboxFailed',
        reason,
        message: `The built-in sandbox could not start: ${reason}`,
      });
      log.error('embedded sandbox failed', { error: reason });
    }
  }

  /**
   * Removes an account. When it was the last sandbox account, the sandbox goes with it and stays
   * away from now on, as if turned off.
   */
  async removeAccount(id: string): Promise<{ id: string }> {
    const { accounts, settings } = this.deps;
    const wasSandbox = accounts
      .records()
      .some((record) => record.id === id && isSandboxAccount(record));
    const removed = await accounts.remove(id);
    if (wasSandbox && !accounts.records().some(isSandboxAccount)) {
      await settings.set({ embeddedSandbox: false });
      await this.close();
    }
    return removed;
  }

  async close(): Promise<void> {
    const running = this.running;
    this.running = null;
    await running?.close();
  }
}

/** Starts the sandbox when it should run; resolves to it (to close at exit), or null. */
export async function startEmbeddedSandbox(
  deps: EmbeddedSandboxDeps,
): Promise<StartedSandbox | null> {
  const { accounts, settings } = deps;
  if (!settings.get().embeddedSandbox) {
    await removeSandboxAccounts(deps);
    return null;
  }
  const records = accounts.records();
  const existing = (provider: AccountRecord['provider']) =>
    records.find((record) => isSandboxAccount(record) && record.provider === provider);
  const flipflop = existing('flipflop');
  const vchatcloud = existing('vchatcloud');
  const first = !flipflop && !vchatcloud;

  const sandbox = await deps.start();
  try {
    const added: string[] = [];
    if (first || flipflop) {
      const account = await accounts.save(
        {
          ...(flipflop ? { id: flipflop.id } : {}),
          provider: 'flipflop',
          name: flipflop?.name ?? SANDBOX_ACCOUNT_NAME,
          baseUrl: sandbox.flipflop.baseUrl,
          appApiKey: sandbox.flipflop.appApiKey,
          moderator: {
            appUserId: sandbox.flipflop.moderator.appUserId,
            appUserName: sandbox.flipflop.moderator.appUserName,
          },
          secret: sandbox.flipflop.appApiSecret,
        },
        { sandbox: true },
      );
      added.push(account.id);
    }
    const vchat = sandbox.vchatcloud;
    if (vchat && (first || vchatcloud)) {
      const account = await accounts.save(
        {
          ...(vchatcloud ? { id: vchatcloud.id } : {}),
          provider: 'vchatcloud',
          name: vchatcloud?.name ?? SANDBOX_VCHATCLOUD_ACCOUNT_NAME,
          baseUrl: vchat.baseUrl,
          eventbusUrl: vchat.eventbusUrl,
          moderator: { clientKey: vchat.moderator.clientKey, nickName: vchat.moderator.nickName },
          secret: vchat.apiKey,
        },
        { sandbox: true },
      );
      added.push(account.id);
    }
    if (first) await openSandboxRooms(deps, added);
    return sandbox;
  } catch (error) {
    await sandbox.close();
    throw error;
  }
}

/** Adds the sandbox accounts' open rooms after the deck's columns, and starter rules if none. */
async function openSandboxRooms(deps: EmbeddedSandboxDeps, accountIds: string[]): Promise<void> {
  const columns: Settings['layout']['columns'] = [];
  for (const accountId of accountIds) {
    const rooms = await deps.registry.get(accountId).listRooms();
    // Left to right in the order of their ids, which reads naturally in a first deck.
    const open = rooms
      .filter((room) => room.chat === 'open')
      .sort((a, b) => a.roomId.localeCompare(b.roomId, 'en', { numeric: true }))
      .slice(0, STARTER_COLUMNS);
    columns.push(...open.map((room) => ({ accountId, roomId: room.roomId })));
  }
  const current = deps.settings.get();
  const patch: Partial<Settings> = {
    layout: {
      ...current.layout,
      columns: [...current.layout.columns, ...columns].slice(0, MAX_COLUMNS),
    },
  };
  if (current.rules.global.length === 0) {
    patch.rules = { ...current.rules, global: starterRules(deps.forbiddenWords) };
  }
  await deps.settings.set(patch);
  deps.log.info('embedded sandbox added', { rooms: columns.length });
}

/** Removes the accounts a sandbox left behind (their secrets too) and the columns of their rooms. */
async function removeSandboxAccounts(deps: EmbeddedSandboxDeps): Promise<void> {
  const leftovers = deps.accounts.records().filter(isSandboxAccount);
  if (leftovers.length === 0) return;
  const ids = new Set(leftovers.map((record) => record.id));
  for (const record of leftovers) await deps.accounts.remove(record.id);
  const layout = deps.settings.get().layout;
  await deps.settings.set({
    layout: { ...layout, columns: layout.columns.filter((column) => !ids.has(column.accountId)) },
  });
  deps.log.info('embedded sandbox accounts removed', { accounts: leftovers.length });
}

/** The sandbox's forbidden words as rules with ids that stay the same from run to run. */
export function starterRules(words: readonly string[]): Rule[] {
  return words.map((word) => ({
    id: `starter-${createHash('sha256').update(word).digest('hex').slice(0, 10)}`,
    pattern: word,
    kind: 'term',
  }));
}
