/**
 * HTTP for provider REST clients: a deadline on every request, network failures and timeouts as
 * `NETWORK` / `TIMEOUT` errors, and retry for idempotent calls on network errors, 5xx and 429
 * (too many requests) — never on another 4xx. Between tries it waits what the answer's
 * `Retry-After` asked (RFC 9110 §10.2.3), up to `MAX_RETRY_AFTER_MS`, or else backs off
 * exponentially with jitter. A change whose request may have reached the service without an
 * answer is tried once more, then reported as `OUTCOME_UNKNOWN` rather than as failed.
 */
import { request as undiciRequest } from 'undici';
import type { z } from 'zod';
import { AppError, ErrorCode } from '../../shared/errors';
import { describeIssues, thrownWords } from '../errors';
import { backoffDelay, type BackoffPolicy } from './backoff';

export interface RetryPolicy extends BackoffPolicy {
  /** Tries in all, the first included; a 429 uses one like any other failure. */
  attempts: number;
  /** The longest `Retry-After` waited for (default `MAX_RETRY_AFTER_MS`). */
  maxRetryAfterMs?: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 3, baseDelayMs: 300, maxDelayMs: 3000 };

/**
 * The longest wait a `Retry-After` gets: 30 s, about what a moderator clearing a raid will wait
 * without wondering whether ModDeck is stuck. An answer that asks for longer is not tried again
 * (trying earlier than asked would not honour it); its error says how long the service asked.
 */
export const MAX_RETRY_AFTER_MS = 30_000;

export interface HttpDeps {
  send: HttpSend;
  timeoutMs: number;
  retry: RetryPolicy;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  /** Epoch ms: turns a `Retry-After` given as an HTTP date into a wait. */
  now: () => number;
}

export function defaultHttpDeps(overrides: Partial<HttpDeps> = {}): HttpDeps {
  return {
    send: sendWithUndici,
    timeoutMs: 10_000,
    retry: DEFAULT_RETRY,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    random: Math.random,
    now: Date.now,
    ...overrides,
  };
}

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/** What one attempt got back, before the provider reads it. */
export interface HttpAnswer {
  status: number;
  text: string;
  /** The `Retry-After` header as sent, or null. */
  retryAfter: string | null;
}

/**
 * Sends one request and reads its whole answer; rejects when no answer came (the connection
 * failed, or `signal` aborted). An HTTP error status is an answer, not a rejection, and a redirect
 * is not followed.
 */
export type HttpSend = (request: HttpRequest, signal: AbortSignal) => Promise<HttpAnswer>;

/**
 * Every provider call goes through undici's `request`. Against a local server with 32 requests in
 * flight it took 45 µs of CPU a request, where `fetch` (the same client behind WHATWG streams,
 * `Headers` and `Response` objects) took 170: at 1,000 hides a second during a raid, `fetch` was a
 * sixth of main's thread.
 */
export async function sendWithUndici(
  request: HttpRequest,
  signal: AbortSignal,
): Promise<HttpAnswer> {
  const response = await undiciRequest(request.url, {
    method: request.method,
    headers: request.headers,
    ...(request.body === undefined ? {} : { body: request.body }),
    signal,
  });
  const retryAfter = response.headers['retry-after'];
  return {
    status: response.statusCode,
    text: await response.body.text(),
    retryAfter: (Array.isArray(retryAfter) ? retryAfter[0] : retryAfter) ?? null,
  };
}

export interface HttpResponse {
  status: number;
  text: string;
  /** The wait its `Retry-After` header asked for, in ms, when it had a readable one. */
  retryAfterMs?: number;
}

/**
 * A `Retry-After` value as a wait in ms from `now`: delta-seconds (`120`) or an HTTP date
 * (`Wed, 21 Oct 2026 07:28:00 GMT`; a date already past is 0). Anything else is undefined, as
 * if the header were absent.
 */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^[0-9]+$/.test(text)) return Number(text) * 1000;
  // Date.parse reads many forms; only the IMF-fixdate of RFC 9110 (and its obsolete forms, which
  // all name a weekday or a month) is a date here, not a bare number or an ISO string.
  if (!/[A-Za-z]{3}/.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

/**
 * Turns an answer into a value with the provider's `interpret`; an error it throws for that answer
 * carries the answer's `Retry-After` (`AppError.retryAfterMs`), for `withRetry` to honour.
 */
export function interpretAnswer<T>(
  response: HttpResponse,
  interpret: (status: number, text: string) => T,
): T {
  try {
    return interpret(response.status, response.text);
  } catch (error) {
    if (!(error instanceof AppError) || response.retryAfterMs === undefined) throw error;
    throw new AppError(error.code, error.message, {
      ...(error.status === undefined ? {} : { status: error.status }),
      ...(error.cause === undefined ? {} : { cause: error.cause }),
      retryAfterMs: response.retryAfterMs,
    });
  }
}

/**
 * Error codes of a connection that never carried the request: no address, refused, unreachable,
 * the connect deadline, or a TLS handshake that failed (certificate codes, `ERR_TLS_*`,
 * `ERR_SSL_*`). Anything else after connecting — a reset, a socket closed mid-answer — may come
 * after the service read the request.
 */
const NOT_SENT_CODES = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_NONAME',
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENETDOWN',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
]);

function neverSent(error: unknown): boolean {
  for (
    let cause = error;
    cause instanceof Error;
    cause = (cause as Error & { cause?: unknown }).cause
  ) {
    const code = (cause as Error & { code?: unknown }).code;
    if (typeof code !== 'string') continue;
    return (
      NOT_SENT_CODES.has(code) ||
      code.startsWith('ERR_TLS_') ||
      code.startsWith('ERR_SSL_') ||
      code.includes('CERT')
    );
  }
  return false;
}

/** Failures known to have happened before the request left (see `failedBeforeSending`). */
const notSent = new WeakSet<object>();

/**
 * Marks `error` as having happened before the request was sent (a connection refused, or a token
 * that could not be had for it), so it never makes an outcome unknown.
 */
export function failedBeforeSending<E>(error: E): E {
  if (typeof error === 'object' && error !== null) notSent.add(error);
  return error;
}

/**
 * Whether a failed attempt may have been carried out by the service all the same: our deadline
 * passed after the request left, the connection broke after it was made, or a gateway answered
 * 504 (the service did not answer it in time).
 */
export function mayHaveReached(error: unknown): boolean {
  if (!(error instanceof AppError) || notSent.has(error)) return false;
  if (error.code === ErrorCode.Timeout || error.code === ErrorCode.Network) return true;
  return error.status === 504;
}

/** One attempt: resolves with any HTTP answer, rejects with NETWORK or TIMEOUT. */
export async function sendOnce(deps: HttpDeps, request: HttpRequest): Promise<HttpResponse> {
  const signal = AbortSignal.timeout(deps.timeoutMs);
  try {
    const answer = await deps.send(request, signal);
    const retryAfterMs = parseRetryAfter(answer.retryAfter, deps.now());
    return {
      status: answer.status,
      text: answer.text,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    };
  } catch (error) {
    if (signal.aborted) {
      throw new AppError(
        ErrorCode.Timeout,
        `The service did not answer within ${deps.timeoutMs / 1000} s.`,
        { cause: error },
      );
    }
    const failure = new AppError(
      ErrorCode.Network,
      `The service could not be reached (${thrownWords(error)}).`,
      { cause: error },
    );
    throw neverSent(error) ? failedBeforeSending(failure) : failure;
  }
}

/**
 * Whether a failed attempt may be tried again: network trouble, server errors, and 429 (the
 * service refused it for now, before doing anything). No other 4xx.
 */
export function isRetryable(error: unknown): boolean {
  if (!(error instanceof AppError)) return false;
  if (error.code === ErrorCode.Network || error.code === ErrorCode.Timeout) return true;
  return error.status !== undefined && (error.status >= 500 || error.status === 429);
}

export interface RetryOptions {
  /**
   * The call changes something on the service. After a failure that may have reached it
   * (`mayHaveReached`) it is tried once more, even past the policy's tries, and no more; if that
   * does not settle it either, the outcome is reported as `OUTCOME_UNKNOWN` instead of the
   * failure. A definite answer (a 4xx) to the last try stands.
   */
  changes?: boolean;
}

export interface AttemptContext {
  /** An earlier try of this call may have been carried out (see `RetryOptions.changes`). */
  afterUnknown: boolean;
}

/**
 * Runs `attempt` up to `policy.attempts` times while it fails with a retryable error, and a change
 * whose outcome a failure left unknown once more (see `RetryOptions.changes`). Between tries it
 * waits what a `Retry-After` asked (and up to a tenth more, so that calls refused together do not
 * all come back at once), or the backoff; a `Retry-After` past the policy's longest wait ends the
 * tries.
 */
export async function withRetry<T>(
  deps: Pick<HttpDeps, 'retry' | 'sleep' | 'random'>,
  attempt: (context: AttemptContext) => Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  let unknown: AppError | null = null;
  let lastTry = deps.retry.attempts;
  for (let tries = 1; ; tries += 1) {
    try {
      return await attempt({ afterUnknown: unknown !== null });
    } catch (error) {
      if (options.changes && unknown === null && mayHaveReached(error)) {
        unknown = error as AppError;
        // One more try settles it, even when the policy's tries are used up: the change may have
        // been made, and trying an idempotent change again is safe.
        lastTry = tries + 1;
      }
      if (tries >= lastTry || !isRetryable(error)) {
        throw unknown !== null && isRetryable(error) ? outcomeUnknown(unknown) : error;
      }
      // isRetryable: an AppError.
      const asked = (error as AppError).retryAfterMs;
      const longest = deps.retry.maxRetryAfterMs ?? MAX_RETRY_AFTER_MS;
      if (asked !== undefined && asked > longest) {
        throw unknown !== null ? outcomeUnknown(unknown) : askedTooLong(error as AppError, longest);
      }
      await deps.sleep(
        asked === undefined
          ? backoffDelay(deps.retry, tries, deps.random)
          : Math.round(asked * (1 + deps.random() / 10)),
      );
    }
  }
}

/** The failure, saying how long the service asked to be left alone. */
function askedTooLong(error: AppError, longestMs: number): AppError {
  const asked = error.retryAfterMs ?? 0;
  return new AppError(
    error.code,
    `${error.message} The service asked to be called again in ${seconds(asked)}, longer than ` +
      `the ${seconds(longestMs)} ModDeck waits by itself; try again after that.`,
    {
      ...(error.status === undefined ? {} : { status: error.status }),
      retryAfterMs: asked,
      cause: error,
    },
  );
}

function seconds(ms: number): string {
  return `${Math.ceil(ms / 1000).toLocaleString('en')} s`;
}

function outcomeUnknown(cause: AppError): AppError {
  return new AppError(
    ErrorCode.OutcomeUnknown,
    `${cause.message} Whether it took effect is not known; trying it again is safe.`,
    { cause },
  );
}

/**
 * Reads a provider's answer with its schema. An answer in a shape ModDeck cannot read is the
 * service's failure (SERVER), not the moderator's: the zod error left to the dispatcher would be
 * reported as INVALID_INPUT.
 */
export function readAnswer<S extends z.ZodType>(
  service: string,
  schema: S,
  answer: unknown,
): z.output<S> {
  const read = schema.safeParse(answer);
  if (read.success) return read.data;
  throw new AppError(
    ErrorCode.Server,
    `${service} answered in a form ModDeck cannot read (${describeIssues(read.error)}).`,
  );
}
