/**
 * The domain model shared by every process: accounts, settings and word-filter rules.
 * Schemas are zod so the IPC contract can validate them; types are inferred from the schemas.
 */
import { z } from 'zod';
import { AutomodAction, AutomodConfig, AutomodScope, defaultAutomodConfig } from './automod/config';
import { MAX_RULE_EXCEPTIONS, MAX_RULE_PATTERN } from './wordfilter/matcher';

export const PROVIDERS = ['flipflop', 'vchatcloud'] as const;
export const ProviderId = z.enum(PROVIDERS);
export type ProviderId = z.infer<typeof ProviderId>;

export const AccountId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'an account id is 1–64 letters, digits, "-" or "_"');
export type AccountId = z.infer<typeof AccountId>;

/** This machine's host names as `URL` writes them: 127.0.0.0/8, localhost and [::1]. */
export function isLoopbackHost(hostname: string): boolean {
  return (
    hostname === 'localhost' ||
    hostname === '[::1]' ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)
  );
}

/** URL schemes for credentials: the secure one anywhere, the plain one only on this machine. */
export interface UrlSchemes {
  secure: string;
  plain: string;
}

/** What keeps a URL from being one we may send credentials to (`secureUrlProblem`). */
export type UrlProblem = 'not-a-url' | 'scheme' | 'credentials';

/**
 * Why `value` is not a URL we may send credentials to, or null when it is: an absolute URL, of
 * the secure scheme anywhere or the plain one only on this machine (the embedded sandbox), with
 * no user name or password in it. Basic auth over plain http to a remote host would leak the secret.
 */
export function secureUrlProblem(value: string, schemes: UrlSchemes): UrlProblem | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'not-a-url';
  }
  if (url.username !== '' || url.password !== '') return 'credentials';
  if (url.protocol === schemes.secure) return null;
  return url.protocol === schemes.plain && isLoopbackHost(url.hostname) ? null : 'scheme';
}

function secureUrl(schemes: UrlSchemes) {
  return z
    .string()
    .trim()
    .max(2048)
    .refine((value) => secureUrlProblem(value, schemes) === null, {
      message: `must be a ${schemes.secure}// URL (${schemes.plain}// only on this computer: 127.x.x.x, localhost or [::1]), without credentials`,
    })
    .transform((value) => value.replace(/\/+$/, ''));
}

export const HttpUrl = secureUrl({ secure: 'https:', plain: 'http:' });
export const WsUrl = secureUrl({ secure: 'wss:', plain: 'ws:' });

const Name = z.string().trim().min(1, 'must not be empty').max(80);
const Identifier = z.string().trim().min(1, 'must not be empty').max(200);
/** A secret goes one way only: renderer → main → keychain. */
const Secret = z.string().min(1, 'must not be empty').max(1000);

const FlipFlopModerator = z.object({
  appUserId: Identifier,
  appUserName: z.string().trim().max(80).optional(),
});

const VChatCloudModerator = z.object({
  clientKey: Identifier,
  nickName: z.string().trim().min(1).max(50),
});

/** What an account is, without its secret. The secret lives in the OS keychain. */
const FlipFlopAccountFields = {
  provider: z.literal('flipflop'),
  name: Name,
  /** REST base, e.g. `https://api.flipflop.tv`; paths such as `/v2/apps/me/...` are appended. */
  baseUrl: HttpUrl,
  /** The app API key is the user half of HTTP Basic; the app API secret is the secret. */
  appApiKey: Identifier,
  /** The app user the moderator chats as; without one the live feed uses a guest token. */
  moderator: FlipFlopModerator.optional(),
  /** Gossip's STOMP CONNECT, for a chat server that asks for more than the chat token. */
  gossip: z
    .object({
      /** CONNECT's `host` (the virtual host); the chat server address's host name when unset. */
      virtualHost: z.string().trim().min(1).max(255).optional(),
      /** CONNECT's `login`; its `passcode` is a secret, kept in the keychain beside the account's. */
      login: z.string().trim().min(1).max(200).optional(),
    })
    .optional(),
};

const VChatCloudAccountFields = {
  provider: z.literal('vchatcloud'),
  name: Name,
  /** The origin under which `/openapi/...` lives, e.g. `https://vchatcloud.com`. */
  baseUrl: HttpUrl,
  /** The event-bus WebSocket, e.g. `wss://vchatcloud.com:9001/eventbus/websocket`. */
  eventbusUrl: WsUrl,
  moderator: VChatCloudModerator,
};

const StoredFields = {
  id: AccountId,
  /** True for the account the app creates for its embedded sandbox. */
  sandbox: z.boolean().optional(),
};

/** An account as stored in the settings file: never a secret in here. */
export const AccountRecord = z.discriminatedUnion('provider', [
  z.object({ ...StoredFields, ...FlipFlopAccountFields }),
  z.object({ ...StoredFields, ...VChatCloudAccountFields }),
]);
export type AccountRecord = z.infer<typeof AccountRecord>;

/** An account as the renderer sees it: the record, and whether a secret is saved for it. */
export const Account = z.discriminatedUnion('provider', [
  z.object({
    ...StoredFields,
    ...FlipFlopAccountFields,
    hasSecret: z.boolean(),
    /** Whether a Gossip passcode is saved (with `gossip.login`). */
    hasGossipPasscode: z.boolean().optional(),
  }),
  z.object({ ...StoredFields, ...VChatCloudAccountFields, hasSecret: z.boolean() }),
]);
export type Account = z.infer<typeof Account>;

/**
 * What the renderer sends to create or edit an account. Without `id` it creates one.
 * `secret` replaces the stored secret when present and leaves it alone when absent; an edit that
 * changes the account's addresses (`sameAddresses`) must carry it.
 */
export const AccountDraft = z.discriminatedUnion('provider', [
  z.object({
    id: AccountId.optional(),
    ...FlipFlopAccountFields,
    secret: Secret.optional(),
    /**
     * Gossip's CONNECT `passcode`: replaces the saved one when present, kept when absent, and
     * dropped with `gossip.login` (or when the account's address changes and it is not given again).
     */
    gossipPasscode: Secret.optional(),
  }),
  z.object({ id: AccountId.optional(), ...VChatCloudAccountFields, secret: Secret.optional() }),
]);
export type AccountDraft = z.infer<typeof AccountDraft>;

/** Where an account sends its secret: the REST base and, for VChatCloud, the event bus. */
type AccountAddresses = { provider: ProviderId; baseUrl: string; eventbusUrl?: string };

/** `url` as the WHATWG parser writes it (host case, default port), or as typed when unparsable. */
function normalizedAddress(url: string | undefined): string {
  const trimmed = (url ?? '').trim().replace(/\/+$/, '');
  try {
    return new URL(trimmed).href;
  } catch {
    return trimmed;
  }
}

/**
 * Whether two versions of an account send its secret to the same places. A secret is entered for
 * an address: saving another address without entering the secret again is refused.
 */
export function sameAddresses(a: AccountAddresses, b: AccountAddresses): boolean {
  return (
    a.provider === b.provider &&
    normalizedAddress(a.baseUrl) === normalizedAddress(b.baseUrl) &&
    (a.provider !== 'vchatcloud' ||
      normalizedAddress(a.eventbusUrl) === normalizedAddress(b.eventbusUrl))
  );
}

/**
 * How urgent a rule's match is: `low` is marked in the deck and never notifies, `normal` is summed
 * up per room in the OS notifications, `high` notifies at once.
 */
export const RULE_SEVERITIES = ['low', 'normal', 'high'] as const;
export const RuleSeverity = z.enum(RULE_SEVERITIES);
export type RuleSeverity = z.infer<typeof RuleSeverity>;

/** A word-filter rule (the interface of `src/shared/wordfilter`). */
export const Rule = z.object({
  id: z.string().min(1).max(64),
  pattern: z.string().min(1).max(MAX_RULE_PATTERN),
  kind: z.enum(['term', 'regex']).optional(),
  wholeWord: z.boolean().optional(),
  /** Absent means `normal`, so rules saved before severities existed read as they did. */
  severity: RuleSeverity.optional(),
  // Rules, version 2 (issue #27). Each field is optional and absent means its default, so rules
  // saved before they existed read as they did, and a rule at its defaults is saved as before.
  /**
   * Absent means `flag`. `hold` hides a match at once and queues it for review; `hide` hides it.
   * Where the provider cannot hide (VChatCloud) both act as `flag`.
   */
  action: AutomodAction.optional(),
  /** Allowed terms that contain a match (`ass` except `assistant`): a match inside one is dropped. */
  exceptions: z.array(z.string().min(1).max(200)).max(MAX_RULE_EXCEPTIONS).optional(),
  /** User ids or display names (any case) the rule never flags. */
  exemptUsers: z.array(z.string().min(1).max(200)).max(1000).optional(),
  /** Where the rule looks: the text, the sender's display name, or both. Absent means `text`. */
  scope: AutomodScope.optional(),
});
export type Rule = z.infer<typeof Rule>;
export type RuleAction = z.infer<typeof AutomodAction>;

/**
 * The word rules a room runs: the global list, then the room's own, where a room's rule of a
 * global rule's id (its own copy of it: an id comes from the pattern) replaces that rule, in its
 * place, with all it says: its allowed terms, scope, severity, exempt users and action.
 */
export function rulesOfRoom(global: readonly Rule[], own: readonly Rule[]): Rule[] {
  if (own.length === 0) return [...global];
  const byId = new Map<string, Rule>();
  for (const rule of global) byId.set(rule.id, rule);
  for (const rule of own) byId.set(rule.id, rule);
  return [...byId.values()];
}
export type RuleScope = z.infer<typeof AutomodScope>;

export const Theme = z.enum(['system', 'light', 'dark']);
export const Language = z.enum(['system', 'en', 'ko']);

const Notifications = z.object({
  doNotDisturb: z.boolean(),
  /** Sound for a direct message and for a high-severity flag. */
  sound: z.boolean(),
  /** Sound for the notices that sum up a room's flagged messages; off unless asked for. */
  flagSound: z.boolean().default(false),
  /**
   * Flagged messages notify also while ModDeck's window has the focus; by default they do not,
   * since the deck shows them. Direct messages notify either way.
   */
  flagsWhileFocused: z.boolean().default(false),
  /** Room keys (`accountId/roomId`) whose notifications are muted. */
  mutedRooms: z.array(z.string().max(200)).max(1000),
});

const Rules = z.object({
  global: z.array(Rule).max(10_000),
  /** Per-room rules by room key. */
  rooms: z.record(z.string().max(200), z.array(Rule).max(10_000)),
});

/** Days of message history kept at most (issue #26: 30 by default). */
export const HISTORY_DAYS = { min: 1, max: 3650, default: 30 } as const;
/** Gigabytes (GiB) of message history kept at most. */
export const HISTORY_GIGABYTES = { min: 0.1, max: 100, default: 2 } as const;

/** The message history: how long and how much it keeps, and what a first-time chatter gets. */
const History = z.object({
  keepDays: z.number().int().min(HISTORY_DAYS.min).max(HISTORY_DAYS.max),
  maxGigabytes: z.number().min(HISTORY_GIGABYTES.min).max(HISTORY_GIGABYTES.max),
  /**
   * A user's first message in a room the history has seen: `mark` shows a mark on it; `flag`
   * also puts it in the Flagged column and notifies, as a flagged word does.
   */
  firstChatters: z.enum(['mark', 'flag']),
});

/** Room columns a deck can hold. */
export const MAX_COLUMNS = 50;

const Layout = z.object({
  /** Open room columns, left to right; restored at the next start. */
  columns: z
    .array(
      z.object({
        accountId: AccountId,
        roomId: z.string().min(1).max(128),
        /** Column width in pixels; the default when absent. */
        width: z.number().int().min(200).max(2000).optional(),
      }),
    )
    .max(MAX_COLUMNS),
  /** The Flagged column's width in pixels; the default when absent. */
  flaggedWidth: z.number().int().min(200).max(2000).optional(),
});

/** A moderator's reason for an action, and a reason template: trimmed, 1–200 characters. */
export const ReasonText = z.string().trim().min(1).max(200);
/** Reason templates, picked by number (1–9) after an action. */
export const MAX_REASON_TEMPLATES = 9;

/**
 * Automod (issue #27): behaviour detectors that flag messages beside the word filter. `config`
 * holds one rule per detector (shared/automod/config.ts); a rule's `hold` and `hide` hide what it
 * flags where the provider can (see `Rule.action`).
 */
const Automod = z.object({
  enabled: z.boolean(),
  config: AutomodConfig,
});
export type AutomodSettings = z.infer<typeof Automod>;

/**
 * The Held queue (issue #28): a held message left unreviewed for `staleAfterMinutes` (null: never)
 * is approved (shown again) or denied (deleted), as `staleAction` says.
 */
const Hold = z.object({
  staleAfterMinutes: z
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60)
    .nullable(),
  staleAction: z.enum(['approve', 'deny']),
});
export type HoldSettings = z.infer<typeof Hold>;

/**
 * Shield mode (issue #28): while it is on in a room, every message from a chatter first seen there
 * within `newChatterMinutes` and every copy of a raid is held. Where the service cannot hide
 * (VChatCloud), `muteSenders` mutes their senders instead.
 */
const Shield = z.object({
  newChatterMinutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60),
  muteSenders: z.boolean(),
});
export type ShieldSettings = z.infer<typeof Shield>;

/** Where shield mode is on, and since when (epoch ms): every room, or some. */
export const ShieldState = z.object({
  all: z.number().nullable(),
  rooms: z.array(z.object({ roomKey: z.string(), since: z.number() })),
});
export type ShieldState = z.infer<typeof ShieldState>;

/** Each top-level section is replaced whole by `settings.set`. */
const settingsSections = {
  theme: Theme,
  language: Language,
  /** Messages kept per room, not counting flagged ones, which are never evicted. */
  scrollback: z.number().int().min(100).max(100_000),
  /** Start the built-in sandbox and add its account when the app has none. */
  embeddedSandbox: z.boolean(),
  /** A room's column shows a run of one user's identical messages as one row ("×4"). */
  collapseRepeats: z.boolean(),
  notifications: Notifications,
  /** Key bindings that differ from the defaults, by action name. */
  keymap: z.record(z.string().max(64), z.string().max(64)),
  rules: Rules,
  layout: Layout,
  /** Reason templates in the moderator's order; null: the defaults, in the window's language. */
  reasonTemplates: z.array(ReasonText).max(MAX_REASON_TEMPLATES).nullable(),
  history: History,
  automod: Automod,
  hold: Hold,
  shield: Shield,
};

export const Settings = z.object(settingsSections);
export type Settings = z.infer<typeof Settings>;

/**
 * `settings.set` input: the sections to replace; unnamed ones stay as they are. A section named
 * with the value `undefined` is refused: Electron's IPC keeps such a key, and taking it would
 * write a file without the section.
 */
export const SettingsPatch = z
  .object(settingsSections)
  .partial()
  .strict()
  .superRefine((patch, context) => {
    for (const [section, value] of Object.entries(patch)) {
      if (value !== undefined) continue;
      context.addIssue({
        code: 'custom',
        path: [section],
        message: 'has no value; leave a section out to keep it as it is',
      });
    }
  });
export type SettingsPatch = z.infer<typeof SettingsPatch>;

export function defaultSettings(): Settings {
  return {
    theme: 'system',
    language: 'system',
    scrollback: 5000,
    embeddedSandbox: true,
    collapseRepeats: true,
    notifications: {
      doNotDisturb: false,
      sound: true,
      flagSound: false,
      flagsWhileFocused: false,
      mutedRooms: [],
    },
    keymap: {},
    rules: { global: [], rooms: {} },
    layout: { columns: [] },
    reasonTemplates: null,
    history: {
      keepDays: HISTORY_DAYS.default,
      maxGigabytes: HISTORY_GIGABYTES.default,
      firstChatters: 'mark',
    },
    automod: { enabled: true, config: defaultAutomodConfig() },
    // Like Twitch's AutoMod, a held message nobody reviews stays hidden; after a time, if set, it
    // is denied.
    hold: { staleAfterMinutes: null, staleAction: 'deny' },
    // Raids come from accounts made for them: ten minutes covers one, and few regulars are new.
    shield: { newChatterMinutes: 10, muteSenders: false },
  };
}

/**
 * Why the OS keychain is not in use, as a code the window puts in its own language: ModDeck runs
 * where there is none (the browser host, a test); the keychain did not answer (safeStorage is in
 * use); it did not answer and safeStorage has no encryption, or only a fixed key.
 */
export const SecretStoreCause = z.enum([
  'noKeychainHere',
  'keychainUnavailable',
  'noEncryption',
  'fixedKey',
]);
export type SecretStoreCause = z.infer<typeof SecretStoreCause>;

export const SecretStoreStatus = z.object({
  kind: z.enum(['keychain', 'safeStorage', 'memory', 'unavailable']),
  /** Why the OS keychain is not in use, in words (English, for logs); absent when it is. */
  reason: z.string().optional(),
  /** The same reason as a code, for the window's words. */
  cause: SecretStoreCause.optional(),
  /** What the keychain itself said, quoted as it is. */
  detail: z.string().optional(),
});
export type SecretStoreStatus = z.infer<typeof SecretStoreStatus>;
