/**
 * Stable error codes of our own. Provider codes (`CHAT_ROOM_MESSAGE_NOT_FOUND`, a VChatCloud
 * `result_cd` such as `10106`) pass through unchanged as strings; these cover everything else.
 */
export const ErrorCode = {
  /** The request never got an answer: DNS, refused connection, reset. */
  Network: 'NETWORK',
  /** The request took longer than its deadline. */
  Timeout: 'TIMEOUT',
  /** The provider rejected the credentials. */
  Auth: 'AUTH',
  /**
   * A change (hide, delete, mute…) whose request may have reached the service but got no answer,
   * after one more try: it may or may not have taken effect. Not a failure; trying again is safe.
   */
  OutcomeUnknown: 'OUTCOME_UNKNOWN',
  /** The provider failed (5xx) without a more specific code. */
  Server: 'SERVER',
  /** The provider refused the call for now (HTTP 429) without a more specific code. */
  RateLimited: 'RATE_LIMITED',
  /** The input did not match the contract's schema. */
  InvalidInput: 'INVALID_INPUT',
  /** The thing asked for does not exist on our side (an account, a room that is not open). */
  NotFound: 'NOT_FOUND',
  /** The action is not offered by this room's provider. */
  Unsupported: 'UNSUPPORTED',
  /** Another mute, exile or lifting of the same user is under way: this one was not sent. */
  UserBusy: 'USER_BUSY',
  /** An IPC call came from something other than the app's own window. */
  ForbiddenSender: 'FORBIDDEN_SENDER',
  /** An IPC call named a channel that is not in the contract. */
  UnknownChannel: 'UNKNOWN_CHANNEL',
  /**
   * An account's address changed without its secret: a saved secret is only ever sent to the
   * address it was entered for.
   */
  SecretRequired: 'SECRET_REQUIRED',
  /**
   * The account was saved with other addresses while a connection or call made for the old ones
   * was under way: it gets no secret, and the account reconnects with its new details.
   */
  AccountChanged: 'ACCOUNT_CHANGED',
  /** No keychain (nor fallback) could store the secret. */
  KeychainUnavailable: 'KEYCHAIN_UNAVAILABLE',
  /** Reading or writing a file in the user-data folder failed (full disk, permissions). */
  Storage: 'STORAGE',
  /**
   * The chat server refused one room's feed (a FlipFlop SUBSCRIBE answered with an ERROR); the
   * message is the server's own words. The account's other rooms are not concerned.
   */
  RoomRefused: 'ROOM_REFUSED',
  /** The chat server address a provider gave is not one ModDeck connects to (not wss://). */
  BadChatServer: 'BAD_CHAT_SERVER',
  /** A bug: something threw that we did not expect. */
  Internal: 'INTERNAL',
} as const;

export type OwnErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** An error whose code and message are safe to show to the moderator. */
export class AppError extends Error {
  readonly code: string;
  /** HTTP status of the provider answer that caused it, when there was one. */
  readonly status: number | undefined;
  /**
   * How long that answer asked us to wait before trying again (its `Retry-After` header, read
   * when it arrived), in ms; undefined when it did not say.
   */
  readonly retryAfterMs: number | undefined;

  constructor(
    code: string,
    message: string,
    options?: { status?: number; cause?: unknown; retryAfterMs?: number },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = options?.status;
    this.retryAfterMs = options?.retryAfterMs;
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}

/** The words of anything thrown: an error's message, or the value as text. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
