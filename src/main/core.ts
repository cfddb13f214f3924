/**
 * The composition root of everything behind the window. `createCore(adapters)` builds the
 * services, the handler table (one function per contract channel) and the event stream. It imports
 * no `electron`: the Electron entry (`index.ts`) and the browser test host both call it, each with
 * its own adapters.
 */
import { join } from 'node:path';
import { AppError, ErrorCode } from '../shared/errors';
import { compileRules } from '../shared/wordfilter';
import {
  sameAddresses,
  type AccountRecord,
  type Rule,
  type SecretStoreStatus,
  type Settings,
} from '../shared/model';
import { systemClock, type Clock } from './clock';
import { createDispatcher, type Dispatcher, type HandlerTable } from './dispatch';
import { EventBus } from './events';
import type { Logger } from './logger';
import { createFlipFlopAccount } from './providers/flipflop/account';
import type { ReconnectPolicy } from './providers/backoff';
import { FlipFlopRest } from './providers/flipflop/rest';
import { defaultHttpDeps, type HttpDeps } from './providers/http';
import { ProviderRegistry, type ProviderFactory } from './providers/registry';
import type { ProviderAccount } from './providers/types';
import { createVChatCloudAccount } from './providers/vchatcloud/account';
import { VChatCloudRest } from './providers/vchatcloud/rest';
import { AccountsService } from './services/accounts';
import { AuditLog } from './services/audit';
import { testConnection } from './services/connectionTest';
import {
  isSandboxAccount,
  startEmbeddedSandbox,
  type StartedSandbox,
} from './services/embeddedSandbox';
import { FeedService, type CompileRules } from './services/feeds';
import type { KeepCopy } from './services/jsonFile';
import { ModerationService } from './services/moderation';
import { NotificationService, type Notifier } from './services/notifications';
import { ProfileStore } from './services/profile';
import { redactEvent, type Redactor } from './services/redactor';
import type { SecretStore } from './services/secrets';
import { SettingsService } from './services/settings';
import { allRules, ruleKey, UnusableRules } from './services/unusableRules';
import { WarningBoard } from './services/warnings';

export interface CoreAdapters {
  /** The folder for settings, the audit log and other files (Electron's `userData`). */
  userDataDir: string;
  secretStore: SecretStore;
  redactor: Redactor;
  log: Logger;
  app: { name: string; version: string; platform: string };
  notifier: Notifier;
  /** Compiles word-filter rules into a matcher (the word filter's own by default). */
  compile?: CompileRules;
  /** The OS language (e.g. `ko-KR`), for text main writes itself, such as notifications. */
  systemLanguage?: () => string;
  /** Whether the app's window has the focus now (absent: never, so flags always notify). */
  windowFocused?: () => boolean;
  clock?: Clock;
  random?: () => number;
  http?: Partial<HttpDeps>;
  /** Live-connection timing; tests shorten it, the app keeps the defaults. */
  live?: {
    reconnect?: ReconnectPolicy;
    heartbeatMs?: number;
    /** Builds FlipFlop's Gossip WebSocket (the default: `ws` with the STOMP subprotocols). */
    gossipSocket?: (url: string) => unknown;
  };
  /** Problems the entry point found before the core started (e.g. a keychain fallback). */
  warnings?: string[];
  /** Keeps a damaged settings file's bytes beside it (the default: `settings.json.damaged-<time>`). */
  keepDamagedCopy?: KeepCopy;
  /** The embedded default: starts the local sandbox (absent: never). */
  sandbox?: { start: () => Promise<StartedSandbox>; forbiddenWords: readonly string[] };
}

export interface Core {
  handlers: HandlerTable;
  dispatch: Dispatcher;
  events: EventBus;
  accounts: AccountsService;
  settings: SettingsService;
  feeds: FeedService;
  moderation: ModerationService;
  audit: AuditLog;
  secretStatus: SecretStoreStatus;
  /** Starts what runs in the background: the embedded sandbox when it should run. */
  start(): Promise<void>;
  /** Stops everything the core started. */
  dispose(): Promise<void>;
}

export async function createCore(adapters: CoreAdapters): Promise<Core> {
  const { log, redactor } = adapters;
  const clock = adapters.clock ?? systemClock;
  const compile = adapters.compile ?? compileRules;
  const random = adapters.random ?? Math.random;
  const http = defaultHttpDeps({ random, ...adapters.http });
  const events = new EventBus({
    prepare: (event, payload) => redactEvent(event, payload, redactor),
    // The error's name only: a serialiser's message may quote the payload, and so the chat
    // (JSON's message for a cycle names the keys around it), as in the feeds' log of what it drops.
    failed: (event, error) =>
      log.error('an event listener failed', {
        event,
        error: error instanceof Error ? error.name : typeof error,
      }),
  });
  const warnings = new WarningBoard((list) => events.emit('app.warnings', list));
  for (const [index, message] of (adapters.warnings ?? []).entries())
    warnings.set({ id: `start-${index}`, kind: 'other', message });
  const profile = await ProfileStore.open(adapters.userDataDir, {
    log,
    warnings,
    now: () => new Date(clock.now()),
    ...(adapters.keepDamagedCopy ? { keepCopy: adapters.keepDamagedCopy } : {}),
  });
  const accounts = new AccountsService({
    profile,
    secrets: adapters.secretStore,
    redactor,
    events,
  });
  const settings = new SettingsService(profile, events);
  const unusableRules = new UnusableRules(warnings);
  unusableRules.check(settings.get().rules);
  const stopCheckingRules = settings.onChange((next) => unusableRules.check(next.rules));

  const createProvider: ProviderFactory = (record, secret) =>
    providerFor(record, secret, {
      http,
      clock,
      random,
      redactor,
      live: adapters.live,
      gossipCredentials: () => accounts.gossipCredentials(record),
    });
  const registry = new ProviderRegistry(accounts, createProvider);
  const notifications = new NotificationService({
    notifier: adapters.notifier,
    clock,
    settings: () => settings.get(),
    systemLanguage: adapters.systemLanguage ?? (() => 'en'),
    windowFocused: adapters.windowFocused ?? (() => false),
    open: (roomKey, id) => events.emit('notification.open', { roomKey, id }),
  });
  const feeds = new FeedService({
    registry,
    settings,
    events,
    clock,
    compile,
    watchers: [notifications],
    log,
    redactor,
  });
  const audit = new AuditLog({
    dir: join(adapters.userDataDir, 'audit'),
    clock,
    log,
    redactor,
    warnings,
  });
  const moderation = new ModerationService({ accounts, registry, feeds, audit });

  // An edited account reconnects with its new details; a removed one stops its rooms.
  const stopFollowingAccounts = events.subscribe((event) => {
    if (event !== 'accounts.changed') return;
    const known = new Set(accounts.records().map((record) => record.id));
    for (const room of feeds.openRooms()) {
      if (!known.has(room.accountId)) feeds.closeAccount(room.accountId);
      else if (registry.isStale(room.accountId)) void feeds.refreshAccount(room.accountId);
    }
  });

  let embedded: StartedSandbox | null = null;

  // A rule saved exactly as it is passes: one this version no longer runs (a lookaround saved by
  // an earlier one) must not block every other change to the lists until it is fixed. The feeds
  // leave it out and the rule editor marks it; a new or changed rule must compile.
  const checkRules = (rules: Settings['rules']): void => {
    const saved = new Set(allRules(settings.get().rules).map(ruleKey));
    for (const list of [rules.global, ...Object.values(rules.rooms)]) {
      const fresh = list.filter((rule) => !saved.has(ruleKey(rule)));
      if (fresh.length > 0) compileOrExplain(compile, fresh);
    }
  };

  const handlers: HandlerTable = {
    'app.info': () => ({
      ...adapters.app,
      secretStore: adapters.secretStore.status,
      warnings: redactEvent('app.warnings', warnings.list(), redactor),
    }),
    'accounts.list': () => accounts.list(),
    'accounts.save': (draft) => accounts.save(draft),
    'accounts.remove': async ({ id }) => {
      const wasSandbox = accounts
        .records()
        .some((record) => record.id === id && isSandboxAccount(record));
      const removed = await accounts.remove(id);
      // The last sandbox account went: the sandbox stays away from now on, as if turned off.
      if (wasSandbox && !accounts.records().some(isSandboxAccount)) {
        await settings.set({ embeddedSandbox: false });
        await embedded?.close();
        embedded = null;
      }
      return removed;
    },
    'accounts.test': ({ accountId }) =>
      testConnection(registry.get(accountId), (text) => redactor.redact(text)),
    'accounts.testDraft': async (draft) => {
      const { secret, id, ...fields } = draft;
      const saved = id === undefined ? undefined : accounts.record(id);
      let secretOf: () => Promise<string>;
      if (secret !== undefined) {
        secretOf = () => Promise.resolve(secret);
      } else if (saved && sameAddresses(saved, draft)) {
        secretOf = () => accounts.secret(saved.id);
      } else {
        throw new AppError(
          ErrorCode.SecretRequired,
          saved
            ? 'The address changed, so the secret must be entered again to test it: ModDeck sends a saved secret only to the address it was entered for.'
            : 'Enter the secret to test the connection.',
        );
      }
      // An id of its own, and so token slots of its own in the redactor: a test must not push the
      // live connection's tokens out of them.
      const record = { ...fields, id: `test-${id ?? 'new'}` } as AccountRecord;
      // What the test registers (the secret tried, its tokens) is masked only while it runs.
      const trial = redactor.lend();
      if (secret !== undefined) trial.add(secret);
      const context = { http, clock, random, redactor: trial, live: adapters.live };
      try {
        return await testConnection(providerFor(record, secretOf, context), (text) =>
          trial.redact(text),
        );
      } finally {
        redactor.giveBack(trial);
      }
    },
    'settings.get': () => settings.get(),
    'settings.set': (patch) => {
      if (patch.rules) checkRules(patch.rules);
      return settings.set(patch);
    },
    'rooms.list': ({ accountId }) => registry.get(accountId).listRooms(),
    'rooms.open': ({ accountId, roomId }) => feeds.open(accountId, roomId),
    'rooms.close': ({ roomKey }) => {
      feeds.close(roomKey);
      return { roomKey };
    },
    'feed.snapshot': ({ roomKey }) => feeds.snapshot(roomKey),
    'messages.hide': ({ roomKey, messageId }) => moderation.message('hide', roomKey, messageId),
    'messages.unhide': ({ roomKey, messageId }) => moderation.message('unhide', roomKey, messageId),
    'messages.delete': ({ roomKey, messageId }) => moderation.message('delete', roomKey, messageId),
    'flagged.markHandled': ({ roomKey, id }) => moderation.markHandled(roomKey, id),
    'admin.broadcast': (request) => moderation.broadcast(request),
    'admin.direct': (request) => moderation.direct(request),
    'members.list': ({ roomKey, cursor, count }) => moderation.members(roomKey, cursor, count),
    'chatRoom.get': ({ accountId, roomId }) => moderation.chatRoom('get', accountId, roomId),
    'chatRoom.create': ({ accountId, roomId }) => moderation.chatRoom('create', accountId, roomId),
    'chatRoom.close': ({ accountId, roomId }) => moderation.chatRoom('close', accountId, roomId),
    'bannedWords.set': ({ accountId, words }) => moderation.bannedWords('set', accountId, words),
    'bannedWords.unset': ({ accountId, words }) =>
      moderation.bannedWords('unset', accountId, words),
    'audit.export': ({ format }) => audit.export(format),
    'users.mute': ({ roomKey, userId }) => moderation.user('mute', roomKey, userId),
    'users.unmute': ({ roomKey, userId }) => moderation.user('unmute', roomKey, userId),
    'users.exile': ({ roomKey, userId }) => moderation.user('exile', roomKey, userId),
    'users.unexile': ({ roomKey, userId }) => moderation.user('unexile', roomKey, userId),
    'users.restrictions': ({ roomKey }) => moderation.restrictions(roomKey),
    'admin.custom': (request) => moderation.custom(request),
    'roomAdmin.get': ({ accountId, roomId }) => moderation.adminRoom(accountId, roomId),
    'roomAdmin.create': ({ accountId, settings }) => moderation.createRoom(accountId, settings),
    'roomAdmin.modify': ({ accountId, roomId, changes }) =>
      moderation.modifyRoom(accountId, roomId, changes),
    'roomAdmin.destroy': async ({ accountId, roomId }) => {
      await moderation.destroyRoom(accountId, roomId);
      return { accountId, roomId };
    },
  };

  return {
    handlers,
    dispatch: createDispatcher({ handlers, redact: (text) => redactor.redact(text), log }),
    events,
    accounts,
    settings,
    feeds,
    moderation,
    audit,
    secretStatus: adapters.secretStore.status,
    start: async () => {
      if (!adapters.sandbox) return;
      try {
        embedded = await startEmbeddedSandbox({
          accounts,
          settings,
          registry,
          start: adapters.sandbox.start,
          forbiddenWords: adapters.sandbox.forbiddenWords,
          log,
        });
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
    },
    dispose: async () => {
      stopFollowingAccounts();
      stopCheckingRules();
      notifications.dispose();
      audit.dispose();
      await feeds.dispose();
      await embedded?.close();
    },
  };
}

interface ProviderContext {
  http: HttpDeps;
  clock: Clock;
  random: () => number;
  redactor: Redactor;
  live: CoreAdapters['live'];
  /** Gossip's CONNECT login and passcode, when the account names a login (the live feed only). */
  gossipCredentials?: () => Promise<{ login: string; passcode: string } | null>;
}

function providerFor(
  record: AccountRecord,
  secret: () => Promise<string>,
  context: ProviderContext,
): ProviderAccount {
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
      ...(context.live?.reconnect ? { reconnect: context.live.reconnect } : {}),
      ...(context.live?.heartbeatMs ? { heartbeatMs: context.live.heartbeatMs } : {}),
      ...(context.live?.gossipSocket ? { webSocketFactory: context.live.gossipSocket } : {}),
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
    ...(context.live?.reconnect ? { reconnect: context.live.reconnect } : {}),
    ...(context.live?.heartbeatMs ? { heartbeatMs: context.live.heartbeatMs } : {}),
  });
}

/** Compiles a rule list, turning a bad rule into an INVALID_INPUT error that names it. */
function compileOrExplain(compile: CompileRules, rules: Rule[]): void {
  try {
    compile(rules);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new AppError(ErrorCode.InvalidInput, `A word rule is not valid: ${message}`);
  }
}
