/**
 * The composition root of everything behind the window. `createCore(adapters)` builds the
 * services, the handler table (one function per contract channel) and the event stream. It imports
 * no `electron`: the Electron entry (`index.ts`) and the browser test host both call it, each with
 * its own adapters.
 */
import { AppError, ErrorCode } from '../shared/errors';
import type { SecretStoreStatus } from '../shared/model';
import { createDispatcher, type Dispatcher, type HandlerTable } from './dispatch';
import { EventBus } from './events';
import type { Logger } from './logger';
import { AccountsService } from './services/accounts';
import { ProfileStore } from './services/profile';
import type { Redactor } from './services/redactor';
import type { SecretStore } from './services/secrets';
import { SettingsService } from './services/settings';

export interface CoreAdapters {
  /** The folder for settings, the audit log and other files (Electron's `userData`). */
  userDataDir: string;
  secretStore: SecretStore;
  redactor: Redactor;
  log: Logger;
  app: { name: string; version: string; platform: string };
  /** Problems the entry point found before the core started (e.g. a keychain fallback). */
  warnings?: string[];
}

export interface Core {
  handlers: HandlerTable;
  dispatch: Dispatcher;
  events: EventBus;
  accounts: AccountsService;
  settings: SettingsService;
  secretStatus: SecretStoreStatus;
  /** Stops everything the core started. */
  dispose(): Promise<void>;
}

function notYet(): never {
  throw new AppError(ErrorCode.Unsupported, 'Not available yet.');
}

export async function createCore(adapters: CoreAdapters): Promise<Core> {
  const { log, redactor } = adapters;
  const events = new EventBus();
  const opened = await ProfileStore.open(adapters.userDataDir, log);
  const warnings = [...(adapters.warnings ?? []), ...opened.warnings];
  const accounts = new AccountsService({
    profile: opened.store,
    secrets: adapters.secretStore,
    redactor,
    events,
  });
  const settings = new SettingsService(opened.store, events);

  const handlers: HandlerTable = {
    'app.info': () => ({
      ...adapters.app,
      secretStore: adapters.secretStore.status,
      warnings,
    }),
    'accounts.list': () => accounts.list(),
    'accounts.save': (draft) => accounts.save(draft),
    'accounts.remove': ({ id }) => accounts.remove(id),
    'settings.get': () => settings.get(),
    'settings.set': (patch) => settings.set(patch),
    // Placeholders until the FlipFlop services land on this branch; never merged as they are.
    'rooms.list': notYet,
    'rooms.open': notYet,
    'rooms.close': notYet,
    'feed.snapshot': notYet,
    'messages.hide': notYet,
    'messages.unhide': notYet,
    'messages.delete': notYet,
    'admin.broadcast': notYet,
    'admin.direct': notYet,
    'members.list': notYet,
    'chatRoom.get': notYet,
    'chatRoom.create': notYet,
    'chatRoom.close': notYet,
    'bannedWords.set': notYet,
    'bannedWords.unset': notYet,
    'audit.export': notYet,
  };

  return {
    handlers,
    dispatch: createDispatcher({ handlers, redact: (text) => redactor.redact(text), log }),
    events,
    accounts,
    settings,
    secretStatus: adapters.secretStore.status,
    dispose: () => Promise.resolve(),
  };
}
