/**
 * The composition root of everything behind the window. `createCore(adapters)` builds the
 * services, the handler table (one function per contract channel) and the event stream. It imports
 * no `electron`: the Electron entry (`index.ts`) and the browser test host both call it, each with
 * its own adapters.
 */
import { join } from 'node:path';
import { AppError, ErrorCode } from '../shared/errors';
import { compileRules } from '../shared/wordfilter';
import type { EventPayload } from '../shared/contract';
import type { SecretStoreStatus } from '../shared/model';
import { systemClock, type Clock } from './clock';
import { createDispatcher, type Dispatcher, type HandlerTable } from './dispatch';
import { EventBus } from './events';
import type { Logger } from './logger';
import { defaultHttpDeps, type HttpDeps } from './providers/http';
import {
  createProvider,
  ProviderRegistry,
  type LiveTiming,
  type ProviderContext,
} from './providers/registry';
import { AccountsService } from './services/accounts/accounts';
import { AuditLog } from './services/audit';
import { testConnection, testDraftConnection } from './services/accounts/connectionTest';
import { EmbeddedSandboxService, type StartedSandbox } from './services/embeddedSandbox';
import { FeedService, type CompileRules } from './services/feeds/feeds';
import type { KeepCopy } from './services/jsonFile';
import { backtestStoredDetector } from './services/memory/backtestHistory';
import { roomChatters, roomHistory } from './services/memory/history';
import { MemoryStore, retentionOf, type MemoryOptions } from './services/memory/memory';
import { searchHistory } from './services/memory/searchHistory';
import {
  addNote,
  deleteNote,
  editNote,
  userMessages,
  userSummary,
} from './services/memory/userHistory';
import { HoldService } from './services/holds';
import { ShieldService } from './services/shield';
import { ModerationService } from './services/moderation';
import { NotificationService, type Notifier } from './services/notifications';
import { ProfileStore } from './services/profile/profile';
import { redactedError, redactEvent, type Redactor } from './services/accounts/redactor';
import { CachedSecretStore, type SecretStore } from './services/accounts/secrets';
import { SettingsService } from './services/profile/settings';
import { checkNewRules, UnusableRules } from './services/feeds/unusableRules';
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
  live?: LiveTiming;
  /** Problems the entry point found before the core started (e.g. a keychain fallback). */
  warnings?: string[];
  /** Keeps a damaged settings file's bytes beside it (the default: `settings.json.damaged-<time>`). */
  keepDamagedCopy?: KeepCopy;
  /**
   * The message history: how its worker starts, and where and how much it keeps (the file
   * defaults to `memory.sqlite` in `userDataDir`). Absent: nothing is kept.
   */
  memory?: Omit<MemoryOptions, 'file' | 'clock' | 'log' | 'warnings' | 'describeRoom'> & {
    file?: string;
  };
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
  holds: HoldService;
  shield: ShieldService;
  audit: AuditLog;
  /** The message history; null when the adapters keep none. */
  memory: MemoryStore | null;
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
  const http = defaultHttpDeps({ random, now: () => clock.now(), ...adapters.http });
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
    secrets: new CachedSecretStore(adapters.secretStore),
    redactor,
    events,
  });
  const settings = new SettingsService(profile, events);
  const unusableRules = new UnusableRules(warnings);
  unusableRules.check(settings.get().rules);
  const stopCheckingRules = settings.onChange((next) => unusableRules.check(next.rules));

  const providers: ProviderContext = {
    http,
    clock,
    random,
    redactor,
    ...(adapters.live ? { live: adapters.live } : {}),
  };
  const registry = new ProviderRegistry(accounts, (record, secret) =>
    createProvider(record, secret, {
      ...providers,
      gossipCredentials: () => accounts.gossipCredentials(record),
    }),
  );
  const notifications = new NotificationService({
    notifier: adapters.notifier,
    clock,
    settings: () => settings.get(),
    systemLanguage: adapters.systemLanguage ?? (() => 'en'),
    windowFocused: adapters.windowFocused ?? (() => false),
    open: (roomKey, id) => events.emit('notification.open', { roomKey, id }),
  });
  // Before the feeds, which read a room's history from it; it asks the feeds for a room's name
  // only when a batch arrives, by then they are built.
  const memory: MemoryStore | null = adapters.memory
    ? new MemoryStore({
        file: join(adapters.userDataDir, 'memory.sqlite'),
        ...adapters.memory,
        // The settings' retention unless the adapters name one (tests).
        retention: { ...retentionOf(settings.get().history), ...adapters.memory.retention },
        clock,
        log,
        warnings,
        describeRoom: (roomKey) => {
          const room = feeds.openRooms().find((open) => open.roomKey === roomKey);
          return room && { accountId: room.accountId, provider: room.provider, name: room.name };
        },
      })
    : null;
  const feeds = new FeedService({
    registry,
    settings,
    events,
    clock,
    compile,
    watchers: [notifications],
    log,
    redactor,
    ...(adapters.live?.closedRecheckMs ? { closedRecheckMs: adapters.live.closedRecheckMs } : {}),
    ...(memory
      ? {
          history: {
            load: (roomKey: string, before: number, limit: number) =>
              roomHistory(memory, roomKey, before, limit),
            chatters: (roomKey: string) => roomChatters(memory, roomKey),
            startedAt: clock.now(),
          },
        }
      : {}),
  });
  const audit = new AuditLog({
    dir: join(adapters.userDataDir, 'audit'),
    clock,
    log,
    redactor,
    warnings,
    store: memory,
    accountName: (accountId) => accounts.records().find((record) => record.id === accountId)?.name,
  });
  // The same batches the window gets, redacted as it gets them; the store's worker commits each in
  // one transaction. An event structured clone cannot copy makes `ingest` throw, and the bus then
  // hands it the batch without that event, as it does the window.
  const stopRemembering = memory
    ? events.subscribe((event, payload) => {
        if (event === 'feed.batch') memory.ingest(payload as EventPayload<'feed.batch'>);
      })
    : () => undefined;
  // A retention changed in Settings reaches the worker, which prunes with it at once.
  let keptHistorySettings = settings.get().history;
  const stopFollowingRetention = settings.onChange((next) => {
    const before = keptHistorySettings;
    keptHistorySettings = next.history;
    if (
      memory === null ||
      (before.keepDays === next.history.keepDays &&
        before.maxGigabytes === next.history.maxGigabytes)
    )
      return;
    memory.setRetention(retentionOf(next.history));
  });
  const moderation = new ModerationService({ accounts, registry, feeds, audit, events, log });
  const holds = new HoldService({ moderation, feeds, settings, clock, log });
  feeds.setAutoHide(
    (request) => holds.hide(request),
    (roomKey, events) => holds.adopt(roomKey, events),
  );
  const shield = new ShieldService({ clock, events, audit });
  feeds.setShield(
    (roomKey) => shield.isOn(roomKey),
    (request) => holds.mute(request),
  );
  const keptHistory = (): MemoryStore => {
    if (memory === null)
      throw new AppError(ErrorCode.Unsupported, 'This ModDeck keeps no message history.');
    return memory;
  };

  const embedded = new EmbeddedSandboxService({
    accounts,
    settings,
    registry,
    warnings,
    log,
    ...(adapters.sandbox ? { sandbox: adapters.sandbox } : {}),
  });

  const stopFollowingAccounts = events.subscribe((event) => {
    if (event === 'accounts.changed')
      feeds.accountsChanged(new Set(accounts.records().map((record) => record.id)));
  });

  const handlers: HandlerTable = {
    'app.info': () => ({
      ...adapters.app,
      secretStore: adapters.secretStore.status,
      warnings: redactEvent('app.warnings', warnings.list(), redactor),
    }),
    'accounts.list': () => accounts.list(),
    'accounts.save': (draft) => accounts.save(draft),
    'accounts.remove': ({ id }) => embedded.removeAccount(id),
    'accounts.test': ({ accountId }) =>
      testConnection(registry.get(accountId), (text) => redactor.redact(text)),
    'accounts.testDraft': (draft) =>
      testDraftConnection(draft, {
        accounts,
        redactor,
        provider: (record, secret, trial) =>
          createProvider(record, secret, { ...providers, redactor: trial }),
      }),
    'settings.get': () => settings.get(),
    'settings.set': (patch) => {
      if (patch.rules) checkNewRules(compile, settings.get().rules, patch.rules);
      return settings.set(patch);
    },
    'rooms.list': ({ accountId }) => registry.get(accountId).listRooms(),
    'rooms.open': ({ accountId, roomId }) => feeds.open(accountId, roomId),
    'rooms.close': ({ roomKey }) => {
      feeds.close(roomKey);
      return { roomKey };
    },
    'feed.snapshot': ({ roomKey }) => feeds.snapshot(roomKey),
    'messages.hide': ({ roomKey, messageId, reason }) =>
      moderation.message('hide', roomKey, messageId, reason),
    'messages.unhide': ({ roomKey, messageId }) => moderation.message('unhide', roomKey, messageId),
    'messages.delete': ({ roomKey, messageId, reason }) =>
      moderation.message('delete', roomKey, messageId, reason),
    // Each result as its live event has it: a service's error words redacted.
    'messages.bulk': async (request) => {
      const answer = await moderation.bulk(request);
      return {
        ...answer,
        results: answer.results.map((result) => redactEvent('moderation.result', result, redactor)),
      };
    },
    'flagged.markHandled': ({ roomKey, id }) => moderation.markHandled(roomKey, id),
    // A room's failure is in a service's words, inside an ok answer the dispatcher leaves as it is.
    'admin.broadcast': async (request) => {
      const { results } = await moderation.broadcast(request);
      return {
        results: results.map((result) =>
          result.ok
            ? result
            : { ...result, error: redactedError(result.error, (text) => redactor.redact(text)) },
        ),
      };
    },
    // Receivers it missed carry a service's words, inside an ok answer, as a broadcast's rooms do.
    'admin.direct': async (request) => {
      const { messageId, undelivered } = await moderation.direct(request);
      if (undelivered === undefined) return { messageId };
      return {
        messageId,
        undelivered: undelivered.map(({ userId, error }) => ({
          userId,
          error: redactedError(error, (text) => redactor.redact(text)),
        })),
      };
    },
    'members.list': ({ roomKey, cursor, count }) => moderation.members(roomKey, cursor, count),
    'chatRoom.get': ({ accountId, roomId }) => moderation.chatRoom('get', accountId, roomId),
    'chatRoom.create': ({ accountId, roomId }) => moderation.chatRoom('create', accountId, roomId),
    'chatRoom.close': ({ accountId, roomId }) => moderation.chatRoom('close', accountId, roomId),
    'bannedWords.set': ({ accountId, words }) => moderation.bannedWords('set', accountId, words),
    'bannedWords.unset': ({ accountId, words }) =>
      moderation.bannedWords('unset', accountId, words),
    'audit.export': ({ format }) => audit.export(format),
    'audit.reason': (request) => moderation.reason(request),
    'history.size': () => keptHistory().request('size', {}),
    'history.clear': () => audit.clearHistory(keptHistory()),
    'history.search': (input) => searchHistory(keptHistory(), input, clock.now()),
    'history.around': (input) => keptHistory().request('around', input),
    'history.backtestDetector': (input) =>
      backtestStoredDetector(keptHistory(), input, clock.now()),
    'history.user': (input) => userSummary(keptHistory(), input),
    'history.userMessages': (input) => userMessages(keptHistory(), input),
    'notes.add': (input) => addNote(keptHistory(), input),
    'notes.edit': (input) => editNote(keptHistory(), input),
    'notes.delete': (input) => deleteNote(keptHistory(), input),
    'users.mute': ({ roomKey, userId, reason }) => moderation.user('mute', roomKey, userId, reason),
    'users.unmute': ({ roomKey, userId }) => moderation.user('unmute', roomKey, userId),
    'users.exile': ({ roomKey, userId, reason }) =>
      moderation.user('exile', roomKey, userId, reason),
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
    'shield.get': () => shield.state(),
    'shield.set': ({ roomKey, on }) => shield.set(roomKey, on),
  };

  return {
    handlers,
    dispatch: createDispatcher({ handlers, redact: (text) => redactor.redact(text), log }),
    events,
    accounts,
    settings,
    feeds,
    moderation,
    holds,
    shield,
    audit,
    memory,
    secretStatus: adapters.secretStore.status,
    start: () => embedded.start(),
    dispose: async () => {
      stopFollowingAccounts();
      stopCheckingRules();
      notifications.dispose();
      holds.dispose();
      // The audit lines of hides already answered reach the log before it and the history stop.
      await moderation.recorded();
      audit.dispose();
      await feeds.dispose();
      stopRemembering();
      stopFollowingRetention();
      await memory?.close();
      // Actions the store could not commit before it closed (writing paused) go to the files.
      await audit.settled;
      await embedded.close();
    },
  };
}
