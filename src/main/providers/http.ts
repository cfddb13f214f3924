/**
 * HTTP for provider REST clients: a deadline on every request, network failures and timeouts as
 * `NETWORK` / `TIMEOUT` errors, and retry with exponential backoff and jitter for idempotent calls
 * on network errors and 5xx — never on 4xx. A change whose request may have reached the service
 * without an answer is tried once more, then reported as `OUTCOME_UNKNOWN` rather than as failed.
 */
import type { z } from 'zod';
import { AppError, ErrorCode } from '../../shared/errors';
import { describeIssues, thrownWords } from '../errors';
import { backoffDelay, type BackoffPolicy } from './backoff';

export interface RetryPolicy extends BackoffPolicy {
  /** Tries in all, the first included. */
  attempts: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 3, baseDelayMs: 300, maxDelayMs: 3000 };

export interface HttpDeps {
  fetch: typeof fetch;
  timeoutMs: number;
  retry: RetryPolicy;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
}

export function defaultHttpDeps(overrides: Partial<HttpDeps> = {}): HttpDeps {
  return {
    fetch: globalThis.fetch.bind(globalThis),
    timeoutMs: 10_000,
    retry: DEFAULT_RETRY,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    random: Math.random,
    ...overrides,
  };
}

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export interface HttpResponse {
  status: number;
  text: string;
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
    const response = await deps.fetch(request.url, {
      method: request.method,
      headers: request.headers,
      ...(request.body === undefined ? {} : { body: request.body }),
      signal,
      redirect: 'error',
    });
    return { status: response.status, text: await response.text() };
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

/** Whether a failed attempt may be tried again: network trouble and server errors only. */
export function isRetryable(error: unknown): boolean {
  if (!(error instanceof AppError)) return false;
  if (error.code === ErrorCode.Network || error.code === ErrorCode.Timeout) return true;
  return error.status !== undefined && error.status >= 500;
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
 * whose outcome a failure left unknown once more (see `RetryOptions.changes`).
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
      await deps.sleep(backoffDelay(deps.retry, tries, deps.random));
    }
  }
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
