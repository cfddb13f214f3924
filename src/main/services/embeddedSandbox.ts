/**
 * The embedded default: when the app has no account (and the setting allows it), main starts the
 * local sandbox on a free loopback port and adds a "Sandbox" account pointing at it, so a first
 * start shows live rooms. Its secret goes through the secret store like any other. On the first
 * start its open rooms become the deck's columns and its forbidden words the starter rule list;
 * on later starts the sandbox comes back on a new port and the account follows it.
 */
import { createHash } from 'node:crypto';
import type { AccountRecord, Rule, Settings } from '../../shared/model';
import type { Logger } from '../logger';
import type { ProviderRegistry } from '../providers/registry';
import type { AccountsService } from './accounts';
import type { SettingsService } from './settings';

/** What the sandbox hands back when started (see `src/sandbox/index.ts`). */
export interface StartedSandbox {
  flipflop: {
    baseUrl: string;
    appApiKey: string;
    appApiSecret: string;
    moderator: { appUserId: string; appUserName: string };
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
const STARTER_COLUMNS = 4;

/** Starts the sandbox when it should run; resolves to it (to close at exit), or null. */
export async function startEmbeddedSandbox(
  deps: EmbeddedSandboxDeps,
): Promise<StartedSandbox | null> {
  const { accounts, settings } = deps;
  if (!settings.get().embeddedSandbox) return null;
  const records = accounts.records();
  const existing = records.find(
    (record) => record.sandbox === true && record.provider === 'flipflop',
  );
  if (!existing && records.length > 0) return null;

  const sandbox = await deps.start();
  try {
    const account = await accounts.save(
      {
        ...(existing ? { id: existing.id } : {}),
        provider: 'flipflop',
        name: existing?.name ?? SANDBOX_ACCOUNT_NAME,
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
    if (!existing) await firstStart(deps, account.id);
    return sandbox;
  } catch (error) {
    await sandbox.close();
    throw error;
  }
}

async function firstStart(
  deps: EmbeddedSandboxDeps,
  accountId: AccountRecord['id'],
): Promise<void> {
  const rooms = await deps.registry.get(accountId).listRooms();
  // Left to right in the order of their ids, which reads naturally in a first deck.
  const open = rooms
    .filter((room) => room.chat === 'open')
    .sort((a, b) => a.roomId.localeCompare(b.roomId, 'en', { numeric: true }))
    .slice(0, STARTER_COLUMNS);
  const current = deps.settings.get();
  const patch: Partial<Settings> = {
    layout: { columns: open.map((room) => ({ accountId, roomId: room.roomId })) },
  };
  if (current.rules.global.length === 0) {
    patch.rules = { ...current.rules, global: starterRules(deps.forbiddenWords) };
  }
  await deps.settings.set(patch);
  deps.log.info('embedded sandbox added', { rooms: open.length });
}

/** The sandbox's forbidden words as rules with ids that stay the same from run to run. */
export function starterRules(words: readonly string[]): Rule[] {
  return words.map((word) => ({
    id: `starter-${createHash('sha256').update(word).digest('hex').slice(0, 10)}`,
    pattern: word,
    kind: 'term',
  }));
}
