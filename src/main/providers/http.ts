/**
 * HTTP for provider REST clients: a deadline on every request, network failures and timeouts as
 * `NETWORK` / `TIMEOUT` errors, and retry with exponential backoff and jitter for idempotent calls
 * on network errors and 5xx — never on 4xx.
 */
import type { z } from 'zod';
import { AppError, ErrorCode } from '../../shared/errors';
import { describeIssues } from '../dispatch';

export interface RetryPolicy {
  /** Tries in all, the first included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 3, baseDelayMs: 300, maxDelayMs: 3000 };

/** How a live connection waits between tries to come back; every provider uses the same. */
export interface ReconnectPolicy {
  baseDelayMs: number;
  maxDelayMs: number;
}

/** 1 s, doubling to 30 s, with jitter (`backoffDelay`). */
export const DEFAULT_RECONNECT: ReconnectPolicy = { baseDelayMs: 1000, maxDelayMs: 30_000 };

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
    throw new AppError(
      ErrorCode.Network,
      `The service could not be reached (${describe(error)}).`,
      {
        cause: error,
      },
    );
  }
}

/** Whether a failed attempt may be tried again: network trouble and server errors only. */
export function isRetryable(error: unknown): boolean {
  if (!(error instanceof AppError)) return false;
  if (error.code === ErrorCode.Network || error.code === ErrorCode.Timeout) return true;
  return error.status !== undefined && error.status >= 500;
}

/** Runs `attempt` up to `policy.attempts` times while it fails with a retryable error. */
export async function withRetry<T>(
  deps: Pick<HttpDeps, 'retry' | 'sleep' | 'random'>,
  attempt: () => Promise<T>,
): Promise<T> {
  for (let tries = 1; ; tries += 1) {
    try {
      return await attempt();
    } catch (error) {
      if (tries >= deps.retry.attempts || !isRetryable(error)) throw error;
      await deps.sleep(backoffDelay(deps.retry, tries, deps.random));
    }
  }
}

/** Exponential backoff with "equal jitter": half fixed, half random, capped. */
export function backoffDelay(
  policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>,
  failures: number,
  random: () => number,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (failures - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as Error & { cause?: unknown }).cause;
    if (cause instanceof Error && cause.message) return cause.message;
    return error.message;
  }
  return String(error);
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
