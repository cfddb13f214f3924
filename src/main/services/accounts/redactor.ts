/**
 * Removes secrets from text before it leaves the main process (error envelopes, events, logs, the
 * audit log). Every secret read from or written to the secret store is registered here, together
 * with the forms it travels in (a Basic authorization value, a URL-encoded copy); tokens a service
 * issues over and over are kept in slots, the newest two of each.
 */
import type { ChatEvent } from '../../../shared/chat';
import type { ErrorInfo, EventName, EventPayload } from '../../../shared/contract';
import { JSON_LIMITS } from '../../../shared/json';

const MIN_SECRET_LENGTH = 4;
const MASK = '[redacted]';
/** Tokens kept per slot: the newest, and the one before it, which a connection may still use. */
const TOKENS_PER_SLOT = 2;

/** Names whose value is a credential, in a header, a query or a record. */
const CREDENTIAL_NAMES =
  'authorization|proxy-authorization|x-auth-token|api_key|api-key|apikey|chattoken|chat_token|token|secret|password|appapisecret';
/** Header-like `name: value` or `name=value` pairs whose value is a credential. */
const CREDENTIAL_PAIR = new RegExp(
  `\\b(${CREDENTIAL_NAMES})(["']?\\s*[:=]\\s*["']?)(basic\\s+|bearer\\s+)?[^\\s"',;&]+`,
  'gi',
);
/** A record's member named like a credential, whose string value is masked whole. */
const CREDENTIAL_NAME = new RegExp(`^(${CREDENTIAL_NAMES})$`, 'i');

export class Redactor {
  private readonly secrets = new Set<string>();
  /** The newest tokens of each slot, newest first. */
  private readonly slots = new Map<string, string[]>();
  private pattern: RegExp | null = null;
  /** Redactors lent out by `lend`, whose secrets are masked here too until they are given back. */
  private readonly lent = new Set<Redactor>();
  private lender: Redactor | null = null;

  /** Registers a secret (and its URL-encoded form) so it never appears in redacted text. */
  add(secret: string): void {
    for (const form of forms(secret)) {
      if (!this.secrets.has(form)) {
        this.secrets.add(form);
        this.changed();
      }
    }
  }

  /**
   * Registers `token` as the newest of `slot` (one per account and kind of token) and lets go of
   * the slot's older tokens but the one before it. A service issues tokens again and again (after
   * a refusal, a failed connection, an expiry); kept for good, each would make every mask slower
   * (one more alternative in the regex run on four strings of every chat event: a chat line with
   * 800 tokens kept takes 0.7 µs instead of 40 ns, `npm run bench -- hostile-input`). The one
   * before stays masked because a connection made with it may still answer.
   */
  rotate(slot: string, token: string): void {
    const kept = this.slots.get(slot) ?? [];
    if (kept[0] === token) return;
    const next = [token, ...kept.filter((older) => older !== token)].slice(0, TOKENS_PER_SLOT);
    this.slots.set(slot, next);
    this.changed();
  }

  /**
   * A redactor for what is only tried (a draft account's connection test): it masks everything
   * this one does, and what it registers is masked here too until it is given back with
   * `giveBack`. Registered here for good, a mistyped secret ("test") would be masked in every chat
   * line until ModDeck restarts.
   */
  lend(): Redactor {
    const borrowed = new Redactor();
    borrowed.lender = this;
    this.lent.add(borrowed);
    return borrowed;
  }

  /** Ends a `lend`: what the borrowed redactor registered is no longer masked here. */
  giveBack(borrowed: Redactor): void {
    if (this.lent.delete(borrowed)) this.changed();
  }

  /** How many texts are masked: each form of each secret, and of each token still in a slot. */
  get size(): number {
    return this.masked().size;
  }

  /** Registers the HTTP Basic credential built from a user name and a secret. */
  addBasicCredential(user: string, secret: string): void {
    this.add(secret);
    this.add(Buffer.from(`${user}:${secret}`, 'utf8').toString('base64'));
  }

  redact(text: string): string {
    let result = text.replace(CREDENTIAL_PAIR, (_match, name: string, separator: string) => {
      return `${name}${separator}${MASK}`;
    });
    const pattern = this.compiled();
    if (pattern) result = result.replace(pattern, MASK);
    return result;
  }

  /**
   * The text with the registered secrets masked, and nothing else: for chat, where a
   * `password: …` someone wrote is what the moderator has to see as written. About 25 ns for a
   * line of chat with nothing to mask, a tenth of what `redact` takes.
   */
  maskSecrets(text: string): string {
    const pattern = this.compiled();
    if (pattern === null) return text;
    pattern.lastIndex = 0;
    return pattern.test(text) ? text.replace(pattern, MASK) : text;
  }

  private compiled(): RegExp | null {
    if (this.pattern !== null) return this.pattern;
    const masked = this.masked();
    if (masked.size === 0) return null;
    // Longest first, so a secret that contains another is masked whole.
    const alternatives = [...masked]
      .sort((a, b) => b.length - a.length)
      .map((secret) => secret.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    this.pattern = new RegExp(alternatives.join('|'), 'g');
    return this.pattern;
  }

  private masked(): Set<string> {
    const masked = this.ownMasked();
    for (const borrowed of this.lent) for (const text of borrowed.ownMasked()) masked.add(text);
    if (this.lender) for (const text of this.lender.masked()) masked.add(text);
    return masked;
  }

  private ownMasked(): Set<string> {
    const masked = new Set(this.secrets);
    for (const tokens of this.slots.values()) {
      for (const token of tokens) for (const form of forms(token)) masked.add(form);
    }
    return masked;
  }

  /** Forgets the compiled masks that include this redactor's texts: its own and its kin's. */
  private changed(): void {
    const root = this.lender ?? this;
    root.pattern = null;
    for (const borrowed of root.lent) borrowed.pattern = null;
  }
}

/** The forms a secret travels in that are long enough to mask: as it is, and URL-encoded. */
function forms(secret: string): string[] {
  return [secret, encodeURIComponent(secret)].filter((form) => form.length >= MIN_SECRET_LENGTH);
}

/**
 * Masks the registered secrets in every text a chat event carries (`maskSecrets`), in place: the
 * normaliser made the event for this call alone. Anything else in it stays as the service sent it.
 */
export function maskSecretsInEvent(
  event: ChatEvent,
  redactor: Pick<Redactor, 'maskSecrets'>,
): void {
  event.text = redactor.maskSecrets(event.text);
  const user = event.user;
  if (user !== null) {
    user.id = redactor.maskSecrets(user.id);
    user.name = redactor.maskSecrets(user.name);
    if (user.avatar !== undefined) user.avatar = redactor.maskSecrets(user.avatar);
  }
  if (event.customType !== undefined) event.customType = redactor.maskSecrets(event.customType);
  if (event.receivers !== undefined) {
    event.receivers = event.receivers.map((receiver) => redactor.maskSecrets(receiver));
  }
  if (event.data !== undefined) {
    event.data = maskStrings(event.data, (text) => redactor.maskSecrets(text), 0);
  }
}

/**
 * The value with `mask` applied to its strings and keys: itself when nothing changed, else a copy
 * of what changed. Data is bounded before it gets here (`boundJson`); past that depth it is left.
 */
function maskStrings(value: unknown, mask: (text: string) => string, depth: number): unknown {
  if (typeof value === 'string') return mask(value);
  if (typeof value !== 'object' || value === null || depth > JSON_LIMITS.depth) return value;
  if (Array.isArray(value)) {
    const elements: unknown[] = value;
    let copy: unknown[] | null = null;
    for (let index = 0; index < elements.length; index += 1) {
      const element = elements[index];
      const masked = maskStrings(element, mask, depth + 1);
      if (masked !== element) (copy ??= [...elements])[index] = masked;
    }
    return copy ?? value;
  }
  // Every chat event's data comes here: nothing is allocated but the key list until a member
  // changes, and then the members before it are copied as they are.
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  let copy: Record<string, unknown> | null = null;
  for (let index = 0; index < keys.length; index += 1) {
    const key = keys[index]!;
    const element = record[key];
    const maskedKey = mask(key);
    const masked = maskStrings(element, mask, depth + 1);
    if (copy === null) {
      if (maskedKey === key && masked === element) continue;
      copy = {};
      for (const earlier of keys.slice(0, index)) setMember(copy, earlier, record[earlier]);
    }
    setMember(copy, maskedKey, masked);
  }
  return copy ?? value;
}

/**
 * `value` as JSON, with every string in it redacted (keys too), and the string of a member named
 * like a credential (`token`, `password`, …) masked whole. `redact` runs on the strings, never on
 * the JSON text: its `name=value` rule stops a value at a `"` but takes the `\` before it, so a
 * chat line such as `password="hunter2"` would lose the backslash escaping its quote, and the
 * JSON would no longer parse. Strings are redacted after any `toJSON`, at every depth.
 */
export function redactedJson(value: unknown, redactor: Pick<Redactor, 'redact'>): string {
  return JSON.stringify(value, (name: string, member: unknown) => {
    if (typeof member === 'string')
      return CREDENTIAL_NAME.test(name) ? MASK : redactor.redact(member);
    if (typeof member !== 'object' || member === null || Array.isArray(member)) return member;
    const record = member as Record<string, unknown>;
    const keys = Object.keys(record);
    if (keys.every((key) => redactor.redact(key) === key)) return member;
    const copy: Record<string, unknown> = {};
    for (const key of keys) setMember(copy, redactor.redact(key), record[key]);
    return copy;
  });
}

/** Sets a member, one named `__proto__` (JSON allows it) included, which `=` would not create. */
function setMember(record: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(record, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

/** A service's error as it may leave main: its code and words redacted. */
export function redactedError(error: ErrorInfo, redact: (text: string) => string): ErrorInfo {
  return { code: redact(error.code), message: redact(error.message) };
}

type EventRedaction<E extends EventName> = (
  payload: EventPayload<E>,
  redact: (text: string) => string,
) => EventPayload<E>;

/**
 * What of each event goes through the redactor on its way to the window. Every event is named
 * here, so a new one cannot be added without deciding (docs/hostile-input.md says why each is so).
 */
const EVENT_REDACTIONS: { [E in EventName]: EventRedaction<E> } = {
  // A service's error text as it wrote it: one that echoes a credential would show it.
  'feed.status': ({ statuses }, redact) => ({
    statuses: statuses.map((status) =>
      status.error === undefined
        ? status
        : { ...status, error: redactedError(status.error, redact) },
    ),
  }),
  // Chat had the registered secrets masked where it was read (`maskSecretsInEvent`), so that
  // `feed.snapshot` answers the same; `redact`'s `name: value` rules would change what chatters
  // wrote, and cost every message of the flood.
  'feed.batch': (payload) => payload,
  // Room keys, ids and times.
  'feed.gap': (payload) => payload,
  'feed.history': (payload) => payload,
  'notification.open': (payload) => payload,
  'shield.changed': (payload) => payload,
  // The moderator's own records and settings, which never hold a secret; the window saves
  // settings back, so a word rule masked here would be saved masked.
  'accounts.changed': (payload) => payload,
  'settings.changed': (payload) => payload,
  // A bulk action's failure is in a service's words, as a feed's status error is.
  'moderation.result': (result, redact) =>
    result.error === undefined ? result : { ...result, error: redactedError(result.error, redact) },
  // Problems main found, some in the words of a file system or a service.
  'app.warnings': (warnings, redact) => maskStrings(warnings, redact, 0) as typeof warnings,
};

/** The payload as it may leave main: what could carry a service's words, redacted. */
export function redactEvent<E extends EventName>(
  event: E,
  payload: EventPayload<E>,
  redactor: Pick<Redactor, 'redact'>,
): EventPayload<E> {
  const redaction = EVENT_REDACTIONS[event] as EventRedaction<E>;
  return redaction(payload, (text) => redactor.redact(text));
}
